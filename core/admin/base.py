"""Base classes for the project's admins: autocomplete fields that survive ids which are not keys,
date fields that read dates as people type them (core.admin.dates), and forms that screen
readers can name (JIS X 8341-3 / WCAG 2.0 AA).

Every ModelAdmin and inline of the project derives from these instead of Django's classes, so
the safe widgets of core.admin.widgets and the accessible names are used without replacing
anything inside Django.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import FieldDoesNotExist
from django.forms.formsets import DELETION_FIELD_NAME
from simple_history.admin import SimpleHistoryAdmin

from core.admin.dates import JapaneseDateAdminMixin
from core.admin.display import boolean_column
from core.admin.widgets import SafeAutocompleteSelect, SafeAutocompleteSelectMultiple


class SafeAutocompleteAdminMixin:
    """Build autocomplete fields with SafeAutocompleteSelect(Multiple) instead of Django's widgets.

    Also shows boolean list columns with a Japanese alternative text (Django's icons say
    alt="True"/"False"), by listing them through core.admin.display.boolean_column.
    """

    def get_list_display(self, request):
        columns = []
        for name in super().get_list_display(request):
            field = None
            if isinstance(name, str) and name not in getattr(self, "list_editable", ()):
                try:
                    field = self.model._meta.get_field(name)
                except FieldDoesNotExist:  # a method or an attribute of the admin or model
                    field = None
            if field is not None and field.get_internal_type() == "BooleanField":
                columns.append(boolean_column(name, field.verbose_name))
            else:
                columns.append(name)
        return columns

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


class IllustrativeFieldsAdminMixin:
    """Show a record's illustrative fields (core.illustrative) by their Japanese names to read-only users.

    Django shows a read-only text field as stored ('date venue'); for users who may not change
    the record the field is replaced by the model's illustrative_fields_display().
    """

    def _swap_illustrative(self, names):
        return ["illustrative_fields_display" if name == "illustrative_fields" else name for name in names]

    def _has_illustrative_fields(self):
        return any(field.name == "illustrative_fields" for field in self.model._meta.fields)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if self._has_illustrative_fields() and not self.has_change_permission(request, obj):
            return [*readonly, "illustrative_fields_display"]
        return readonly

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._has_illustrative_fields() or self.has_change_permission(request, obj):
            return fieldsets
        return [
            (name, {**options, "fields": self._swap_illustrative(options["fields"])}) for name, options in fieldsets
        ]


class ModelAdmin(IllustrativeFieldsAdminMixin, JapaneseDateAdminMixin, SafeAutocompleteAdminMixin, admin.ModelAdmin):
    """The project's plain ModelAdmin."""

    @property
    def media(self):
        return super().media + ACCESSIBLE_MEDIA


class HistoryModelAdmin(
    IllustrativeFieldsAdminMixin, JapaneseDateAdminMixin, SafeAutocompleteAdminMixin, SimpleHistoryAdmin
):
    """The project's ModelAdmin for records with audit history (core.history)."""

    def history_form_view_title(self, request, obj):
        # simple-history titles a past version with Django's "View %s", which the catalogue words
        # for a record opened read-only (「研修の詳細」): a past version says that it is one.
        return f"{obj}（過去の内容）"

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


class TabularInline(
    IllustrativeFieldsAdminMixin, JapaneseDateAdminMixin, SafeAutocompleteAdminMixin, admin.TabularInline
):
    """The project's tabular inline: every control of its rows has an accessible name."""

    formset = AccessibleInlineFormSet
