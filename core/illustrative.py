"""Illustrative (例示) values: which fields of a record were assumed rather than taken from a source.

A record lists the names of its assumed fields in one text column (`illustrative_fields`, names
separated by spaces), so the flag works the same on SQLite and PostgreSQL and survives a JSON
dump; the record's data note says what was assumed. Public pages and open data never publish a
flagged value as a fact (`public_value()` gives None for it). In the admin the column is a list
of check boxes with the fields' Japanese names.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

LABEL = "例示の項目"
HELP_TEXT = (
    "出典（報告書など）に記載がなく、例示として補った項目にチェックします。補った内容は「データの注記」に書きます。"
)


class IllustrativeFieldsFormField(forms.MultipleChoiceField):
    """Check boxes of a model's fields; cleans to the space-separated names the model stores."""

    widget = forms.CheckboxSelectMultiple

    def prepare_value(self, value):
        return value.split() if isinstance(value, str) else value

    def to_python(self, value):
        return super().to_python(value.split() if isinstance(value, str) else value)

    def clean(self, value):
        return " ".join(super().clean(value))

    def has_changed(self, initial, data):
        return set(self.prepare_value(initial or "")) != set(self.prepare_value(data or []))


class IllustrativeFieldsField(models.CharField):
    """The names of a record's illustrative fields, separated by spaces ('' when none)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("verbose_name", LABEL)
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("help_text", HELP_TEXT)
        super().__init__(*args, **kwargs)

    def flaggable_fields(self):
        """Return [(name, verbose name)] of the model's fields that can be flagged."""
        skip = {self.name, "data_note", "is_illustrative"}
        return [
            (f.name, str(f.verbose_name))
            for f in self.model._meta.get_fields()
            if getattr(f, "editable", False)
            and not f.auto_created
            and f.name not in skip
            and hasattr(f, "verbose_name")
        ]

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        unknown = set(value.split()) - {name for name, _ in self.flaggable_fields()}
        if unknown:
            raise ValidationError(f"例示の項目に存在しない項目があります：{'、'.join(sorted(unknown))}")

    def formfield(self, **kwargs):
        return IllustrativeFieldsFormField(
            choices=self.flaggable_fields(), required=False, label=self.verbose_name, help_text=self.help_text
        )


class IllustrativeMixin:
    """Methods for a model with an `illustrative_fields` column (IllustrativeFieldsField)."""

    @property
    def illustrative_field_names(self):
        """Return the frozenset of the names of this record's illustrative fields."""
        return frozenset(self.illustrative_fields.split())

    def is_illustrative_field(self, name):
        """Return True when the field `name` of this record holds an illustrative value."""
        return name in self.illustrative_field_names

    def illustrative_fields_display(self):
        """Return the Japanese names of this record's illustrative fields, joined by 「、」 ('' when none)."""
        labels = dict(self._meta.get_field("illustrative_fields").flaggable_fields())
        return "、".join(labels.get(name, name) for name in self.illustrative_fields.split())

    illustrative_fields_display.short_description = LABEL

    def public_value(self, name, value=None):
        """Return the field's value (or `value`) for publication: None when the field is illustrative."""
        if self.is_illustrative_field(name):
            return None
        return getattr(self, name) if value is None else value
