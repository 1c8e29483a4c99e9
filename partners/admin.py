from django.contrib import admin

from core.admin.base import HistoryModelAdmin, ModelAdmin
from core.admin.display import truncated_column
from core.admin.filters import fiscal_year_filter
from partners.models import Bureau, Collaboration, Organization, Ward


@admin.register(Ward)
class WardAdmin(ModelAdmin):
    list_display = ["code", "name", "name_kana"]
    search_fields = ["code", "name", "name_kana"]
    ordering = ["code"]


@admin.register(Bureau)
class BureauAdmin(ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name"]


@admin.register(Organization)
class OrganizationAdmin(HistoryModelAdmin):
    list_display = ["name_column", "kind", "ward", "bureau"]
    list_filter = ["kind", "ward", "bureau"]
    list_select_related = ["ward", "bureau"]
    search_fields = ["name", "address", "note"]
    autocomplete_fields = ["ward", "bureau"]
    name_column = truncated_column("name", "名称")


@admin.register(Collaboration)
class CollaborationAdmin(ModelAdmin):
    list_display = ["fiscal_year", "bureau", "description_column"]
    list_filter = [fiscal_year_filter(), "bureau"]
    list_select_related = ["bureau"]
    search_fields = ["description", "bureau__name"]
    autocomplete_fields = ["bureau"]
    description_column = truncated_column("description", "連携内容")
