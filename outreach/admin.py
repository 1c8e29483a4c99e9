from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models

from core.admin.base import AccessibleInlineFormSet, HistoryModelAdmin, ModelAdmin, TabularInline
from core.admin.display import truncated_column
from core.admin.filters import fiscal_year_filter
from core.admin.inlines import CompactTabularInline
from core.admin.widgets import SafeModelMultipleChoiceField
from outreach.models import Achievement, ApproachCase, CaseEvent, PlanItem, PlanItemStatus, Scheme
from outreach.timeline import place_dated_entries


@admin.register(Scheme)
class SchemeAdmin(ModelAdmin):
    list_display = ["name", "bureau", "order"]
    list_filter = ["bureau"]
    list_select_related = ["bureau"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["bureau"]


class CaseEventFormSet(AccessibleInlineFormSet):
    """The timeline's rows: dated entries left unplaced run by date; positions that contradict dates are refused."""

    def clean(self):
        super().clean()
        entries = [
            form.instance
            for form in self.forms
            if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        problems = place_dated_entries(entries)
        if problems:
            raise ValidationError(problems)


class CaseEventInline(CompactTabularInline):
    """The case's timeline, one line an event; the order within a year and the linked session behind 「詳細」."""

    model = CaseEvent
    formset = CaseEventFormSet
    fields = [
        "date",
        "fiscal_year",
        "kind",
        "text",
        "is_planned",
        "calendar_year",
        "position",
        "training_session",
        "illustrative_fields",
        "data_note",
    ]
    detail_fields = ["calendar_year", "position", "training_session", "illustrative_fields", "data_note"]
    column_widths = {
        "date": "13.5em",
        "fiscal_year": "5.5em",
        "kind": "9.5em",
        "text": "minmax(16em, 1fr)",
        "is_planned": "3.5em",
    }
    autocomplete_fields = ["training_session"]
    extra = 1
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("training_session")


@admin.register(ApproachCase)
class ApproachCaseAdmin(HistoryModelAdmin):
    list_display = ["title_column", "ward", "district", "theme", "status", "lead_organization_column", "is_published"]
    list_filter = ["is_published", "status", "theme", "ward", "schemes"]
    list_select_related = ["ward", "lead_organization"]
    search_fields = ["title", "district", "summary", "slug"]
    search_help_text = (
        "事例名・地区・概要・成果・経過・活用した制度から探します（空き家／空家のような書き方の違いも探します）。"
    )
    autocomplete_fields = ["ward", "lead_organization", "partner_organizations", "schemes"]
    formfield_overrides = {models.ManyToManyField: {"form_class": SafeModelMultipleChoiceField}}
    inlines = [CaseEventInline]
    title_column = truncated_column("title", "事例名")
    lead_organization_column = truncated_column("lead_organization", "窓口の団体", short=True)

    def get_search_results(self, request, queryset, search_term):
        # The words of the public case search (timeline, schemes, spellings), or the URL name.
        if not search_term.strip():
            return queryset, False
        matched = queryset.matching(search_term) | queryset.filter(slug=search_term.strip())
        return matched, False

    fieldsets = [
        (None, {"fields": ["title", "slug", "ward", "district", "theme", "status", "is_published"]}),
        ("団体・制度", {"fields": ["lead_organization", "partner_organizations", "schemes"]}),
        ("内容", {"fields": ["summary", "outcome"]}),
        ("職員用", {"fields": ["staff_note", "illustrative_fields", "data_note"]}),
    ]


class CaseEventForm(forms.ModelForm):
    """One timeline entry on its own page, checked against the case's other entries (outreach.timeline)."""

    def _post_clean(self):
        super()._post_clean()
        if self.errors or not self.instance.case_id:
            return
        others = list(CaseEvent.objects.filter(case_id=self.instance.case_id).exclude(pk=self.instance.pk))
        for problem in place_dated_entries([*others, self.instance]):
            self.add_error("position", problem)


@admin.register(CaseEvent)
class CaseEventAdmin(HistoryModelAdmin):
    form = CaseEventForm
    list_display = ["case_column", "when", "kind", "text_column", "is_planned"]
    list_filter = [fiscal_year_filter(), "kind", "is_planned", "case__ward"]
    list_select_related = ["case", "training_session"]
    search_fields = ["text", "case__title"]
    date_hierarchy = "date"
    autocomplete_fields = ["case", "training_session"]
    case_column = truncated_column("case", "事例", ordering="case__title", short=True)
    text_column = truncated_column("text", "内容")

    @admin.display(description="時期", ordering="sort_date")
    def when(self, obj):
        return obj.when_label


class AchievementForm(forms.ModelForm):
    class Meta:
        model = Achievement
        fields = ["fiscal_year", "code", "order", "text"]
        widgets = {
            "code": forms.TextInput(attrs={"size": 6}),
            "text": forms.Textarea(attrs={"rows": 8, "cols": 90, "class": "vLargeTextField"}),
        }


@admin.register(Achievement)
class AchievementAdmin(HistoryModelAdmin):
    """The narrative items of a fiscal year (取組実績と成果 ア, イ, …) that the committee report prints."""

    form = AchievementForm
    list_display = ["fiscal_year", "code", "order", "text_column"]
    list_display_links = ["fiscal_year", "code"]
    list_filter = [fiscal_year_filter()]
    search_fields = ["code", "text"]
    fields = ["fiscal_year", "code", "order", "text"]
    text_column = truncated_column("text", "内容")


class PlanItemStatusInline(TabularInline):
    model = PlanItemStatus
    extra = 1


@admin.register(PlanItem)
class PlanItemAdmin(ModelAdmin):
    list_display = ["code", "title_column", "from_fiscal_year"]
    list_filter = [fiscal_year_filter("from_fiscal_year", "開始年度")]
    search_fields = ["code", "title", "description"]
    inlines = [PlanItemStatusInline]
    title_column = truncated_column("title", "項目")


@admin.register(PlanItemStatus)
class PlanItemStatusAdmin(ModelAdmin):
    list_display = ["plan_item_column", "fiscal_year", "status", "note_column"]
    list_filter = [fiscal_year_filter(), "status"]
    list_select_related = ["plan_item"]
    search_fields = ["plan_item__title", "note"]
    autocomplete_fields = ["plan_item"]
    plan_item_column = truncated_column("plan_item", "計画項目", ordering="plan_item__code", short=True)
    note_column = truncated_column("note", "補足")
