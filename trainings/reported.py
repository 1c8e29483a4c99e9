"""The figures the division published for each fiscal year, to reconcile the records with."""

from django.db import models
from django.db.models import Q

from core.fiscal import fiscal_year_label
from core.querysets import FiscalYearQuerySet
from core.validators import FISCAL_YEAR_VALIDATORS


class ReportedFigure(models.Model):
    """A figure the division published for a fiscal year: per category, or the total (no category)."""

    fiscal_year = models.PositiveSmallIntegerField("年度", validators=FISCAL_YEAR_VALIDATORS, db_index=True)
    category = models.ForeignKey(
        "trainings.TrainingCategory",
        verbose_name="研修区分",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_figures",
        help_text="空欄は年度の合計（全○回、参加者約○人）。",
    )
    sessions = models.PositiveIntegerField("公表回数")
    participants = models.PositiveIntegerField("公表参加者数")
    participants_approximate = models.BooleanField("参加者数は概数（約）", default=False)
    source_document = models.CharField("出典", max_length=300)

    objects = FiscalYearQuerySet.as_manager()

    class Meta:
        verbose_name = "公表数値"
        verbose_name_plural = "公表数値"
        ordering = ["-fiscal_year", "category__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "category"],
                name="unique_reported_figure_category",
                violation_error_message="この年度・区分の公表数値は既に登録されています。",
            ),
            # NULLs are distinct in a plain unique constraint, so the yearly total needs its own.
            models.UniqueConstraint(
                fields=["fiscal_year"],
                condition=Q(category__isnull=True),
                name="unique_reported_figure_total",
                violation_error_message="この年度の合計の公表数値は既に登録されています。",
            ),
        ]

    def __str__(self):
        what = self.category or "合計"
        return f"{fiscal_year_label(self.fiscal_year)} {what}"
