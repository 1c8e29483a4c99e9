import functools
import unicodedata

from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from import_export.admin import ExportMixin
from import_export.formats import base_formats
from import_export.forms import ExportForm

from core.admin.base import HistoryModelAdmin, ModelAdmin
from core.admin.display import count_column, truncated, truncated_column
from core.admin.filters import fiscal_year_filter
from core.admin.inlines import CompactTabularInline
from core.admin.paginator import EstimatedCountPaginator
from core.text import kana_variants
from partners.admin import organization_ids_matching
from trainings.admin_blank_sheets import sessions_template_view, sign_in_sheet_view
from trainings.admin_paste import paste_view
from trainings.importing.admin import SheetImportMixin
from trainings.importing.mappings import HeaderMapping
from trainings.importing.participants import ParticipantsMultiResource
from trainings.importing.services import undo_import
from trainings.importing.sessions import SessionsResource
from trainings.models import (
    Attendance,
    AttendanceSheet,
    ReportedFigure,
    SheetKind,
    TrainingCategory,
    TrainingSession,
)
from trainings.names import name_search_key


class ExcelExportMixin(ExportMixin):
    """Export to CSV (UTF-8 with BOM, so Excel opens it) and XLSX, for users who may view the records.

    Files are named in Japanese after `export_name` (「研修一覧_2018年度_2026-11-28.csv」: the
    fiscal year the list was filtered by, if any, and the day of the export in Tokyo), and an
    XLSX sheet is titled `export_name` instead of tablib's 「Tablib Dataset」.
    """

    export_formats = [base_formats.CSV, base_formats.XLSX]
    to_encoding = "utf-8-sig"
    # The plain form: the field picker shows import-export's English field names.
    export_form_class = ExportForm
    export_template_name = "admin/trainings/export.html"
    export_name = ""
    # The list filter parameter holding the fiscal year (core.admin.filters.fiscal_year_filter).
    export_year_parameter = "fiscal_year"

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_export_filename(self, request, queryset, file_format):
        """Return 「<export_name>[_<年度>]_<YYYY-MM-DD>.<ext>」, the date in Tokyo time."""
        parts = [self.export_name or str(self.model._meta.verbose_name_plural)]
        year = request.GET.get(self.export_year_parameter, "")
        if year.isdigit():
            parts.append(f"{int(year)}年度")
        parts.append(f"{timezone.localdate():%Y-%m-%d}")
        return f"{'_'.join(parts)}.{file_format.get_extension()}"

    def get_data_for_export(self, request, queryset, **kwargs):
        dataset = super().get_data_for_export(request, queryset, **kwargs)
        dataset.title = self.export_name or str(self.model._meta.verbose_name_plural)
        return dataset

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        # import-export writes filename="…" as is; a Japanese name needs RFC 6266's filename*.
        response = super()._do_file_export(file_format, request, queryset, export_form=export_form)
        filename = self.get_export_filename(request, queryset, file_format)
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
        return response


@admin.register(TrainingCategory)
class TrainingCategoryAdmin(ModelAdmin):
    list_display = ["code", "name", "order", "is_itemised"]
    list_editable = ["order"]
    search_fields = ["code", "name"]


class AttendanceInline(CompactTabularInline):
    """One line a person (50 rows fit a laptop screen); furigana, note and source sheet behind 「詳細」."""

    model = Attendance
    fields = ["row_number", "name", "organization", "organization_text", "ward", "role", "name_kana", "note", "sheet"]
    detail_fields = ["name_kana", "note", "sheet"]
    column_widths = {
        "row_number": "5em",
        "name": "minmax(7em, 1fr)",
        "organization": "minmax(11em, 1.6fr)",
        "organization_text": "minmax(9em, 1.4fr)",
        "ward": "minmax(7.5em, .8fr)",
        "role": "minmax(6em, .9fr)",
    }
    readonly_fields = ["sheet"]
    autocomplete_fields = ["organization", "ward"]
    add_related_fields = ["organization"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization", "ward", "sheet")


@admin.register(TrainingSession)
class TrainingSessionAdmin(ExcelExportMixin, HistoryModelAdmin):
    resource_classes = [SessionsResource]
    export_name = "研修一覧"
    # The export button's template plus the 研修一覧 template's (trainings.admin_blank_sheets).
    import_export_change_list_template = "admin/trainings/trainingsession/change_list.html"
    list_display = [
        "date",
        "title_column",
        "category_column",
        "ward",
        "host_display",
        "audience",
        "headcount",
        "roster_column",
    ]
    list_display_links = ["date", "title_column"]
    list_filter = [
        fiscal_year_filter(),
        "category",
        "ward",
        "host_bureau",
        "audience",
        "roster_is_partial",
        "is_illustrative",
    ]
    list_select_related = ["category", "ward", "host_bureau", "host_organization"]
    search_fields = ["title", "venue", "audience_detail", "description"]
    date_hierarchy = "date"
    autocomplete_fields = ["category", "ward", "host_bureau", "host_organization"]
    readonly_fields = ["fiscal_year", "attendance_count"]
    inlines = [AttendanceInline]
    fieldsets = [
        (None, {"fields": ["title", "title_kana", "category", "date", "start_time", "end_time", "fiscal_year"]}),
        (
            "主催・対象・会場",
            {
                "fields": [
                    "host_bureau",
                    "host_organization",
                    "audience",
                    "audience_detail",
                    "ward",
                    "venue",
                    "venue_address",
                ]
            },
        ),
        ("参加者", {"fields": ["headcount", "headcount_approximate", "attendance_count", "roster_is_partial"]}),
        ("内容・注記", {"fields": ["description", "is_illustrative", "illustrative_fields", "data_note"]}),
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
        paste_url = reverse("admin:trainings_trainingsession_paste", args=[obj.pk])
        return format_html(
            '<a href="{}">この研修の出席者名簿を取り込む</a>　<a href="{}" class="paste-link">Excelから貼り付け</a>',
            url,
            paste_url,
        )

    def get_urls(self):
        paste = path(
            "<path:object_id>/paste/",
            self.admin_site.admin_view(functools.partial(paste_view, self)),
            name="trainings_trainingsession_paste",
        )
        sign_in = path(
            "<path:object_id>/sign-in-sheet/",
            self.admin_site.admin_view(functools.partial(sign_in_sheet_view, self)),
            name="trainings_trainingsession_sign_in_sheet",
        )
        template = path(
            "sessions-template/",
            self.admin_site.admin_view(functools.partial(sessions_template_view, self)),
            name="trainings_trainingsession_sessions_template",
        )
        return [paste, sign_in, template, *super().get_urls()]

    category_column = truncated_column("category", "研修区分", short=True)

    @admin.display(description="研修名", ordering="title")
    def title_column(self, obj):
        # 例示 marks a session with illustrative values in the title's cell: a column of its own
        # pushed the list past a laptop's width.
        if obj.is_illustrative:
            badge = format_html(
                '<span class="badge" title="{}">例示</span>', "報告書に記載がなく、デモ用に補った値を含みます"
            )
            return format_html("{} {}", truncated(obj.title), badge)
        return truncated(obj.title)

    @admin.display(description="名簿の行数", ordering="attendance_count")
    def roster_column(self, obj):
        # 一部 marks a partial roster in the rows' cell (a column of its own would push the list
        # past a laptop's width): the participant count is then the typed headcount beside it.
        if obj.roster_is_partial and obj.attendance_count and obj.headcount is not None:
            badge = format_html(
                '<span class="badge" title="{}">一部</span>',
                f"名簿は一部：参加者数は入力値の{obj.headcount:,}人",
            )
            return format_html("{} {}", obj.attendance_count, badge)
        return obj.attendance_count

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
    export_name = "出席者一覧"
    export_year_parameter = "session_fiscal_year"
    list_display = ["name", "session_column", "organization_label", "ward", "role", "sheet_column"]
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
        "氏名・ふりがな・所属（記載どおり）は前方一致、研修名・登録団体名は部分一致で探します。"
        "氏名の空白、異体字（髙・﨑・邊・齋など）、全角半角、カタカナとひらがなの違いは区別しません。"
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

    session_column = truncated_column("session", "研修")
    sheet_column = truncated_column("sheet", "取込元の名簿", short=True)

    @admin.display(description="所属")
    def organization_label(self, obj):
        return truncated(obj.organization_label, short=True)

    def get_search_results(self, request, queryset, search_term):
        """Match the whole search text so that every branch can use an index on a million rows.

        Names match from the start on their folded form (search_key, prefix-indexed: 高橋 finds
        髙橋, ﾀｶﾊｼ finds たかはし); furigana (in hiragana and in katakana) and the organisation as
        written match from the start too (both prefix-indexed). Session titles and registered
        organisation names, short tables, match anywhere and are resolved to ids first so that
        PostgreSQL can combine the index scans (BitmapOr).
        """
        term = search_term.strip()
        if not term:
            return queryset, False
        titles = Q(title__icontains=term) | Q(title__icontains=unicodedata.normalize("NFKC", term))
        sessions = list(TrainingSession.objects.filter(titles).values_list("pk", flat=True))
        condition = (
            Q(organization_text__startswith=term)
            | Q(session__in=sessions)
            | Q(organization__in=organization_ids_matching(term))
        )
        for kana in kana_variants(term):
            condition |= Q(name_kana__startswith=kana)
        if key := name_search_key(term):
            condition |= Q(search_key__startswith=key)
        return queryset.filter(condition), False


@admin.register(AttendanceSheet)
class AttendanceSheetAdmin(SheetImportMixin, HistoryModelAdmin):
    list_display = ["file_name_column", "uploaded_at", "kind", "session_column", "row_count_column", "uploaded_by"]
    list_filter = ["kind", "uploaded_at"]
    list_select_related = ["session", "uploaded_by"]
    search_fields = ["file_name", "sha256", "session__title"]
    date_hierarchy = "uploaded_at"
    readonly_fields = ["kind", "file_name", "sha256", "session", "uploaded_by", "uploaded_at", "row_count"]

    file_name_column = truncated_column("file_name", "ファイル名", short=True)
    session_column = truncated_column("session", "対象の研修")
    row_count_column = count_column("row_count", "行数")

    def has_add_permission(self, request):
        # Sheets come into being only through an import, never by hand.
        return False

    # Deleting a sheet undoes its import (trainings.importing.services.undo_import): its rows go in
    # one set-based DELETE, with one audit entry, however many there are. The confirmation page
    # counts the rows instead of listing each attendee (200,000 names would be loaded and shown).

    def get_deleted_objects(self, objs, request):
        sheets = list(objs)
        # A session list's sheet owns no attendance rows: its sessions stay.
        rows = sum(sheet.row_count for sheet in sheets if sheet.kind != SheetKind.SESSIONS)
        deleted = [
            f"{sheet}（研修一覧 {sheet.row_count:,}件: 研修は残ります）"
            if sheet.kind == SheetKind.SESSIONS
            else f"{sheet}（出席者 {sheet.row_count:,}行）"
            for sheet in sheets
        ]
        counts = {str(AttendanceSheet._meta.verbose_name_plural): len(sheets)}
        if rows:
            counts[str(Attendance._meta.verbose_name_plural)] = f"{rows:,}"
        # As Django's own check: deleting the rows needs the permission to delete attendance rows.
        perms_needed = set()
        if rows and not request.user.has_perm("trainings.delete_attendance"):
            perms_needed.add(str(Attendance._meta.verbose_name))
        return deleted, counts, perms_needed, []

    def delete_model(self, request, obj):
        undo_import(obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for sheet in queryset:
            undo_import(sheet, user=request.user)

    def response_delete(self, request, obj_display, obj_id):
        """Return to the list of imports after an undo (Django sends users who may only view it to the index)."""
        response = super().response_delete(request, obj_display, obj_id)
        if IS_POPUP_VAR not in request.POST and self.has_view_permission(request):
            return HttpResponseRedirect(reverse("admin:trainings_attendancesheet_changelist"))
        return response


@admin.register(HeaderMapping)
class HeaderMappingAdmin(ModelAdmin):
    """The columns chosen for headers the portal does not know (header text only, no cell values).

    Made by the import's 「見出しの対応」 and the command's --map, never here; a wrong one is removed
    (the next sheet with that header asks again).
    """

    list_display = ["header", "column", "kind", "created_by", "created_at"]
    list_filter = ["kind", "column"]
    list_select_related = ["created_by"]
    search_fields = ["header", "key"]
    readonly_fields = ["kind", "header", "key", "column", "created_by", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReportedFigure)
class ReportedFigureAdmin(ModelAdmin):
    list_display = [
        "fiscal_year",
        "category_display",
        "sessions",
        "participants",
        "participants_approximate",
        "source_document_column",
    ]
    list_filter = [fiscal_year_filter(), "category"]
    list_select_related = ["category"]
    search_fields = ["source_document"]
    autocomplete_fields = ["category"]

    source_document_column = truncated_column("source_document", "出典")

    @admin.display(description="研修区分", ordering="category__order")
    def category_display(self, obj):
        return obj.category or "合計"
