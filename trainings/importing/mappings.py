"""The columns staff chose for header spellings the portal does not know, kept for the next sheet of that layout."""

from django.conf import settings
from django.db import models

from trainings.importing.remembered import Remembered, column_choices, mapping_key
from trainings.uploads import SheetKind


class HeaderMappingQuerySet(models.QuerySet):
    def remembered(self):
        """Return every mapping as a Remembered for one import (1 query, run when a header is first looked up)."""

        def load():
            by_kind = {}
            for kind, key, column in self.values_list("kind", "key", "column"):
                by_kind.setdefault(kind, {})[key] = column
            return by_kind

        return Remembered(loader=load)


class HeaderMapping(models.Model):
    """A header spelling of a sheet kind and the column it means (or 「取り込まない」), as staff chose it.

    Written by `remember` (the preview's 「見出しの対応」, the command's --map); read at every import
    after the built-in header names. Holds header text only, never a cell's value.
    """

    kind = models.CharField("名簿の種類", max_length=30, choices=SheetKind.choices)
    header = models.CharField("見出し（記載どおり）", max_length=200)
    key = models.CharField(
        "照合用の見出し", max_length=200, help_text="全角・半角、空白、大文字・小文字を揃えた形で照合します。"
    )
    column = models.CharField("対応する列", max_length=30, choices=column_choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登録者",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="空欄はコマンド（manage.py import_attendance --map）での登録です。",
    )
    created_at = models.DateTimeField("登録日時", auto_now=True)

    objects = HeaderMappingQuerySet.as_manager()

    class Meta:
        verbose_name = "見出しの対応"
        verbose_name_plural = "見出しの対応"
        ordering = ["kind", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key"],
                name="unique_header_mapping_kind_key",
                violation_error_message="この種類の名簿には、同じ見出しの対応が既にあります。",
            )
        ]

    def __str__(self):
        return f"「{self.header}」→ {self.get_column_display()}（{self.get_kind_display()}）"


def remember(kind, choices, *, user=None):
    """Keep `choices` ({header as written: column key or SKIP}) for sheets of `kind`; return how many (2 queries each).

    A spelling chosen before is replaced by the new choice (one mapping per kind and spelling).
    """
    by = user if user is not None and user.is_authenticated else None
    for header, column in choices.items():
        HeaderMapping.objects.update_or_create(
            kind=kind,
            key=mapping_key(header)[:200],
            defaults={"header": header[:200], "column": column, "created_by": by},
        )
    return len(choices)
