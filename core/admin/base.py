"""Base classes for the project's admins: autocomplete fields that survive ids which are not keys,
and forms that screen readers can name (JIS X 8341-3 / WCAG 2.0 AA).

Every ModelAdmin and inline of the project derives from these instead of Django's classes, so
the safe widgets of core.admin.widgets and the accessible names are used without replacing
anything inside Django.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.forms.formsets import DELETION_FIELD_NAME
from simple_history.admin import SimpleHistoryAdmin

from core.admin.widgets import SafeAutocompleteSelect, SafeAutocompleteSelectMultiple


class SafeAutocompleteAdminMixin:
    """Build autocomplete fields with SafeAutocompleteSelect(Multiple) instead of Django's widgets."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


# Loaded by every page of the project's admins (through their media): link underlines and
# focus outlines that Django's stylesheet leaves to colour alone.
ACCESSIBLE_MEDIA = forms.Media(css={"all": ["css/admin_a11y.css"]})


class ModelAdmin(SafeAutocompleteAdminMixin, admin.ModelAdmin):
    """The project's plain ModelAdmin."""

    @property
    def media(self):
        return super().media + ACCESSIBLE_MEDIA


class HistoryModelAdmin(SafeAutocompleteAdminMixin, SimpleHistoryAdmin):
    """The project's ModelAdmin for records with audit history (core.history)."""

    @property
    def media(self):
        return super().media + ACCESSIBLE_MEDIA


def _inner_widget(widget):
    """Return the widget that renders the control (a RelatedFieldWidgetWrapper's wrapped widget)."""
    return widget.widget if isinstance(widget, RelatedFieldWidgetWrapper) else widget


class AccessibleInlineFormSet(forms.BaseInlineFormSet):
    """An inline formset whose controls carry their column and row in an aria-label.

    A tabular inline shows each field's label once, as a column header, so the controls of
    its rows have no <label>: a screen reader would announce a bare 「編集」 box. Each control
    is named 「氏名（2行目）」, the delete box 「2行目を削除」, the row added by 「追加」 「新しい行」.
    """

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = f"{index + 1}行目" if index is not None else "新しい行"
        for name, field in form.fields.items():
            widget = _inner_widget(field.widget)
            if widget.is_hidden:
                continue
            if name == DELETION_FIELD_NAME:
                widget.attrs["aria-label"] = f"{row}を削除"
            else:
                widget.attrs.setdefault("aria-label", f"{field.label}（{row}）")


class TabularInline(SafeAutocompleteAdminMixin, admin.TabularInline):
    """The project's tabular inline: every control of its rows has an accessible name."""

    formset = AccessibleInlineFormSet
