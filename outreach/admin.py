from django.contrib import admin
from django.db import models

from core.admin.base import HistoryModelAdmin, ModelAdmin, TabularInline
from core.admin.filters import fiscal_year_filter
from core.admin.widgets import SafeModelMultipleChoiceField
from outreach.models import ApproachCase, CaseEvent, PlanItem, PlanItemStatus, Scheme


@admin.register(Scheme)
class SchemeAdmin(ModelAdmin):
    list_display = ["name", "bureau", "order"]
    list_filter = ["bureau"]
    list_select_related = ["bureau"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["bureau"]


class CaseEventInline(TabularInline):
    model = CaseEvent
    fields = ["date", "fiscal_year", "position", "kind", "text", "is_planned", "training_session"]
    autocomplete_fields = ["training_session"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("training_session")


@admin.register(ApproachCase)
class ApproachCaseAdmin(HistoryModelAdmin):
    list_display = ["title", "ward", "district", "theme", "status", "lead_organization", "is_published"]
    list_filter = ["is_published", "status", "theme", "ward", "schemes"]
    list_select_related = ["ward", "lead_organization"]
    search_fields = ["title", "district", "summary", "slug"]
    autocomplete_fields = ["ward", "lead_organization", "partner_organizations", "schemes"]
    formfield_overrides = {models.ManyToManyField: {"form_class": SafeModelMultipleChoiceField}}
    inlines = [CaseEventInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "ward", "district", "theme", "status", "is_published"]}),
        ("団体・制度", {"fields": ["lead_organization", "partner_organizations", "schemes"]}),
        ("内容", {"fields": ["summary", "outcome"]}),
        ("職員用", {"fields": ["staff_note", "data_note"]}),
    ]


@admin.register(CaseEvent)
class CaseEventAdmin(HistoryModelAdmin):
    list_display = ["case", "when", "kind", "text", "is_planned"]
    list_filter = [fiscal_year_filter(), "kind", "is_planned", "case__ward"]
    list_select_related = ["case", "training_session"]
    search_fields = ["text", "case__title"]
    date_hierarchy = "date"
    autocomplete_fields = ["case", "training_session"]

    @admin.display(description="時期", ordering="sort_date")
    def when(self, obj):
        return obj.when_label


class PlanItemStatusInline(TabularInline):
    model = PlanItemStatus
    extra = 1


@admin.register(PlanItem)
class PlanItemAdmin(ModelAdmin):
    list_display = ["code", "title", "from_fiscal_year"]
    list_filter = [fiscal_year_filter("from_fiscal_year", "開始年度")]
    search_fields = ["code", "title", "description"]
    inlines = [PlanItemStatusInline]


@admin.register(PlanItemStatus)
class PlanItemStatusAdmin(ModelAdmin):
    list_display = ["plan_item", "fiscal_year", "status", "note"]
    list_filter = [fiscal_year_filter(), "status"]
    list_select_related = ["plan_item"]
    search_fields = ["plan_item__title", "note"]
    autocomplete_fields = ["plan_item"]
