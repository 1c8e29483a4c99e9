from django.contrib import admin

from core.admin.base import HistoryModelAdmin, ModelAdmin
from core.admin.display import truncated_column
from core.admin.filters import fiscal_year_filter
from core.text import fold
from partners.models import Bureau, Collaboration, Organization, Ward


def organization_ids_matching(text, fields=("name",)):
    """Return the ids of the organisations whose `fields` contain `text`, both folded (core.text.fold).

    髙島町 finds 高島町, ｹｱﾌﾟﾗｻﾞ finds ケアプラザ. The folding is done here, over the whole
    table: registered organisations are a few thousand at most (each a ward's facility or group).
    """
    folded = fold(text)
    if not folded:
        return []
    rows = Organization.objects.order_by().values_list("pk", *fields)
    return [pk for pk, *values in rows.iterator(chunk_size=2000) if any(folded in fold(value) for value in values)]


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
    search_help_text = (
        "名称・住所・備考から探します（異体字（髙・﨑など）・全角半角・カタカナとひらがなの違いは区別しません）。"
    )
    autocomplete_fields = ["ward", "bureau"]
    name_column = truncated_column("name", "名称")

    def get_search_results(self, request, queryset, search_term):
        # Also the attendance inline's and the sessions' organisation pickers (autocomplete).
        if not search_term.strip():
            return queryset, False
        return queryset.filter(pk__in=organization_ids_matching(search_term, self.search_fields)), False


@admin.register(Collaboration)
class CollaborationAdmin(ModelAdmin):
    list_display = ["fiscal_year", "bureau", "description_column"]
    list_filter = [fiscal_year_filter(), "bureau"]
    list_select_related = ["bureau"]
    search_fields = ["description", "bureau__name"]
    autocomplete_fields = ["bureau"]
    description_column = truncated_column("description", "連携内容")
