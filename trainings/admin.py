from django.contrib import admin
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from import_export.admin import ExportMixin
from import_export.formats import base_formats
from import_export.forms import ExportForm

from core.admin.base import HistoryModelAdmin, ModelAdmin, TabularInline
from core.admin.filters import fiscal_year_filter
from core.admin.paginator import EstimatedCountPaginator
from partners.models import Organization
from trainings.importing.admin import SheetImportMixin
from trainings.importing.participants import ParticipantsMultiResource
from trainings.importing.sessions import SessionsResource
from trainings.models import Attendance, AttendanceSheet, ReportedFigure, TrainingCategory, TrainingSession
from trainings.names import person_key


class ExcelExportMixin(ExportMixin):
    """Export to CSV (UTF-8 with BOM, so Excel opens it) and XLSX, for users who may view the records."""

    export_formats = [base_formats.CSV, base_formats.XLSX]
    to_encoding = "utf-8-sig"
    # The plain form: the field picker shows import-export's English field names.
    export_form_class = ExportForm
    export_template_name = "admin/trainings/export.html"

    def has_export_permission(self, request):
        return self.has_view_permission(request)


@admin.register(TrainingCategory)
class TrainingCategoryAdmin(ModelAdmin):
    list_display = ["code", "name", "order", "is_itemised"]
    list_editable = ["order"]
    search_fields = ["code", "name"]


class AttendanceInline(TabularInline):
    model = Attendance
    fields = ["row_number", "name", "name_kana", "organization", "organization_text", "ward", "role", "note", "sheet"]
    readonly_fields = ["sheet"]
    autocomplete_fields = ["organization", "ward"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization", "ward", "sheet")


@admin.register(TrainingSession)
class TrainingSessionAdmin(ExcelExportMixin, HistoryModelAdmin):
    resource_classes = [SessionsResource]
    list_display = [
        "date",
        "title",
        "category",
        "ward",
        "host_display",
        "audience",
        "headcount",
        "attendance_count",
        "is_illustrative",
    ]
    list_display_links = ["date", "title"]
    list_filter = [fiscal_year_filter(), "category", "ward", "host_bureau", "audience", "is_illustrative"]
    list_select_related = ["category", "ward", "host_bureau", "host_organization"]
    search_fields = ["title", "venue", "audience_detail", "description"]
    date_hierarchy = "date"
    autocomplete_fields = ["category", "ward", "host_bureau", "host_organization"]
    readonly_fields = ["fiscal_year", "attendance_count"]
    inlines = [AttendanceInline]
    fieldsets = [
        (None, {"fields": ["title", "category", "date", "fiscal_year"]}),
        (
            "主催・対象・会場",
            {"fields": ["host_bureau", "host_organization", "audience", "audience_detail", "ward", "venue"]},
        ),
        ("参加者", {"fields": ["headcount", "attendance_count"]}),
        ("内容・注記", {"fields": ["description", "is_illustrative", "data_note"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not request.user.has_perm("trainings.import_attendancesheet"):
            return fieldsets
        return [
            (name, {**options, "fields": [*options["fields"], "import_link"]} if name == "参加者" else options)
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "import_link"]

    @admin.display(description="出席者名簿")
    def import_link(self, obj):
        if not obj.pk:
            return ""
        url = reverse("admin:trainings_attendancesheet_import") + f"?kind=participants&session={obj.pk}"
        return format_html('<a href="{}">この研修の出席者名簿を取り込む</a>', url)

    @admin.display(description="主催")
    def host_display(self, obj):
        return obj.host or ""


def _years_with_attendance():
    # From the sessions' stored row counts: a DISTINCT over a million attendance rows would cost
    # more than the rest of the page.
    return (
        TrainingSession.objects.filter(attendance_count__gt=0)
        .order_by()
        .values_list("fiscal_year", flat=True)
        .distinct()
    )


@admin.register(Attendance)
class AttendanceAdmin(ExcelExportMixin, HistoryModelAdmin):
    resource_classes = [ParticipantsMultiResource]
    list_display = ["name", "session", "organization_label", "ward", "role", "sheet"]
    list_filter = [
        # The parameter keeps the name the dashboard links use; the filter reads the row's own
        # (indexed) copy of the session's year.
        fiscal_year_filter("fiscal_year", parameter_name="session_fiscal_year", years=_years_with_attendance),
        "session__category",
        "ward",
        "organization__kind",
    ]
    list_select_related = ["session", "organization", "ward", "sheet"]
    search_fields = ["name", "name_kana", "organization_text", "organization__name", "session__title"]
    search_help_text = (
        "氏名（空白は無視）・ふりがな・所属（記載どおり）は前方一致、研修名・登録団体名は部分一致で探します。"
    )
    autocomplete_fields = ["session", "organization", "ward"]
    readonly_fields = ["sheet", "row_number"]
    # A million rows: no COUNT(*) of the whole table on each page view (see EstimatedCountPaginator).
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    search_count_cap = 1_000

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        cap = self.search_count_cap if request.GET.get("q", "").strip() else None
        return self.paginator(queryset, per_page, orphans, allow_empty_first_page, cap=cap)

    @admin.display(description="所属")
    def organization_label(self, obj):
        return obj.organization_label

    def get_search_results(self, request, queryset, search_term):
        """Match the whole search text so that every branch can use an index on a million rows.

        Names, furigana and the organisation as written match from the start (the person key,
        which is the name without spaces, has a prefix index; so have the other two); session
        titles and registered organisation names, short tables, match anywhere and are resolved
        to ids first so that PostgreSQL can combine the index scans (BitmapOr).
        """
        term = search_term.strip()
        if not term:
            return queryset, False
        name = person_key(term)
        sessions = list(TrainingSession.objects.filter(title__icontains=term).values_list("pk", flat=True))
        organizations = list(Organization.objects.filter(name__icontains=term).values_list("pk", flat=True))
        condition = (
            Q(name_kana__startswith=term)
            | Q(organization_text__startswith=term)
            | Q(session__in=sessions)
            | Q(organization__in=organizations)
        )
        if name:
            condition |= Q(person_key__startswith=name.split("|")[0])
        return queryset.filter(condition), False


@admin.register(AttendanceSheet)
class AttendanceSheetAdmin(SheetImportMixin, HistoryModelAdmin):
    list_display = ["file_name", "uploaded_at", "kind", "session", "row_count", "uploaded_by"]
    list_filter = ["kind", "uploaded_at"]
    list_select_related = ["session", "uploaded_by"]
    search_fields = ["file_name", "sha256", "session__title"]
    date_hierarchy = "uploaded_at"
    readonly_fields = ["kind", "file_name", "sha256", "session", "uploaded_by", "uploaded_at", "row_count"]

    def has_add_permission(self, request):
        # Sheets come into being only through an import, never by hand.
        return False


@admin.register(ReportedFigure)
class ReportedFigureAdmin(ModelAdmin):
    list_display = [
        "fiscal_year",
        "category_display",
        "sessions",
        "participants",
        "participants_approximate",
        "source_document",
    ]
    list_filter = [fiscal_year_filter(), "category"]
    list_select_related = ["category"]
    search_fields = ["source_document"]
    autocomplete_fields = ["category"]

    @admin.display(description="研修区分", ordering="category__order")
    def category_display(self, obj):
        return obj.category or "合計"
