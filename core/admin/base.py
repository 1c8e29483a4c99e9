"""Base classes for the project's admins: autocomplete fields that survive ids which are not keys,
and date fields that read dates as people type them (core.admin.dates).

Every ModelAdmin and inline of the project derives from these instead of Django's classes, so
the safe widgets of core.admin.widgets are used without replacing anything inside Django.
"""

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
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


class ModelAdmin(JapaneseDateAdminMixin, SafeAutocompleteAdminMixin, admin.ModelAdmin):
    """The project's plain ModelAdmin."""


class HistoryModelAdmin(JapaneseDateAdminMixin, SafeAutocompleteAdminMixin, SimpleHistoryAdmin):
    """The project's ModelAdmin for records with audit history (core.history)."""

    def history_form_view_title(self, request, obj):
        # simple-history titles a past version with Django's "View %s", which the catalogue words
        # for a record opened read-only (「研修の詳細」): a past version says that it is one.
        return f"{obj}（過去の内容）"


class TabularInline(JapaneseDateAdminMixin, SafeAutocompleteAdminMixin, admin.TabularInline):
    """The project's tabular inline."""
