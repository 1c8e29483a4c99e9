"""Admin autocomplete widgets that re-render a refused form even when the submitted id is not a key.

Django's AutocompleteSelect shows a refused form again by querying the submitted ids; an id that
is not a number (「abc」) raises ValueError there, and one beyond the column's range raises
OverflowError on SQLite — a 500 instead of the form's own 「正しく選択してください」. These
subclasses leave such values out of the query (the form has already refused them).
core.admin.base.SafeAutocompleteMixin makes the project's admins build their autocomplete
fields with them; the import form uses them directly.

SafeModelMultipleChoiceField does the same for many-to-many fields: Django checks the submitted
ids with one `pk__in` query, which overflows on SQLite for an id beyond 64 bits.
"""

from django import forms
from django.contrib.admin import widgets
from django.core.exceptions import ValidationError


def is_valid_key(model_field, value):
    """Return whether `value` can be a key of `model_field` (a number within the column's range for ids)."""
    try:
        model_field.run_validators(model_field.to_python(value))
    except (ValidationError, ValueError, TypeError):
        return False
    return True


class SafeAutocompleteMixin:
    @property
    def media(self):
        # select2 builds its own combobox beside the hidden <select>; this names it after the field.
        return super().media + forms.Media(css={"all": ["css/admin_a11y.css"]}, js=["js/select2_names.js"])

    def optgroups(self, name, value, attr=None):
        opts = self.field.remote_field.model._meta
        target = opts.get_field(getattr(self.field.remote_field, "field_name", None) or opts.pk.name)
        return super().optgroups(name, [v for v in value if is_valid_key(target, v)], attr)


class SafeAutocompleteSelect(SafeAutocompleteMixin, widgets.AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(SafeAutocompleteMixin, widgets.AutocompleteSelectMultiple):
    pass


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """ModelMultipleChoiceField refusing ids that cannot be keys before querying them."""

    def _check_values(self, value):
        if isinstance(value, list | tuple):
            opts = self.queryset.model._meta
            target = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
            for key in value:
                if not is_valid_key(target, key):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": key}
                    )
        return super()._check_values(value)
