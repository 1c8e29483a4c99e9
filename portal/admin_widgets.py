"""Admin autocomplete widgets that re-render a refused form even when the submitted id is not a key.

Django's AutocompleteSelect shows a refused form again by querying the submitted ids; an id that
is not a number (「abc」) raises ValueError there, and one beyond the column's range raises
OverflowError on SQLite — a 500 instead of the form's own 「正しく選択してください」. These
subclasses leave such values out of the query (the form has already refused them).
`install()` makes the admin build its autocomplete fields with them; the import form uses them
directly.
"""

from django.contrib.admin import options, widgets
from django.core.exceptions import ValidationError


class SafeAutocompleteMixin:
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if self._is_key(v)], attr)

    def _is_key(self, value):
        """Return whether `value` is a valid value of the key the widget's relation points to."""
        opts = self.field.remote_field.model._meta
        target = opts.get_field(getattr(self.field.remote_field, "field_name", None) or opts.pk.name)
        try:
            target.run_validators(target.to_python(value))
        except (ValidationError, ValueError, TypeError):
            return False
        return True


class SafeAutocompleteSelect(SafeAutocompleteMixin, widgets.AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(SafeAutocompleteMixin, widgets.AutocompleteSelectMultiple):
    pass


def install():
    """Make ModelAdmin's autocomplete_fields use the safe widgets (called once from PortalConfig.ready)."""
    options.AutocompleteSelect = SafeAutocompleteSelect
    options.AutocompleteSelectMultiple = SafeAutocompleteSelectMultiple
