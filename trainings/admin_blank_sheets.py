"""The admin's blank sheets: a session's sign-in sheet (受付名簿) and a fiscal year's 研修一覧 template.

Each page says what the file holds and offers it as Excel (XLSX) or CSV; the file itself comes
from trainings.importing.blank_sheets. Anyone who may view sessions may download them (they hold
no personal data: a session's title, date and venue, the headers, empty lines).
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from core.admin.filters import parse_fiscal_year
from core.fiscal import fiscal_year, fiscal_year_label
from trainings.importing import blank_sheets
from trainings.importing import columns as cols
from trainings.models import SheetKind, TrainingSession

TEMPLATE = "admin/trainings/trainingsession/blank_sheet.html"
IMPORT_PERMISSION = "trainings.import_attendancesheet"


def _download(data, content_type, file_name):
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=file_name)
    return response


def _render(session_admin, request, context):
    opts = session_admin.model._meta
    context = {
        **session_admin.admin_site.each_context(request),
        "opts": opts,
        "media": session_admin.media,
        "changelist_url": reverse("admin:trainings_trainingsession_changelist"),
        "can_import": request.user.has_perm(IMPORT_PERMISSION),
        **context,
    }
    request.current_app = session_admin.admin_site.name
    return TemplateResponse(request, TEMPLATE, context)


def sign_in_sheet_view(session_admin, request, object_id):
    """Show the session's sign-in sheet page; with ?format=xlsx or csv, return the file (2 queries)."""
    session = session_admin.get_object(request, unquote(object_id))
    if session is None:
        raise Http404("研修が見つかりません。")
    if not session_admin.has_view_permission(request, session):
        raise PermissionDenied
    blank = blank_sheets.sign_in_sheet(session)
    fmt = request.GET.get("format")
    if fmt in blank_sheets.FORMATS:
        data, content_type = blank_sheets.file_bytes(blank, fmt)
        return _download(data, content_type, blank_sheets.sign_in_file_name(session, fmt))
    import_url = reverse("admin:trainings_attendancesheet_import")
    return _render(
        session_admin,
        request,
        {
            "title": "受付名簿のダウンロード",
            "session": session,
            "change_url": reverse("admin:trainings_trainingsession_change", args=[session.pk]),
            "import_url": f"{import_url}?kind=participants&session={session.pk}",
            "headers": blank.headers,
            "header_row": blank.header_row,
            "row_count": len(blank.rows),
            "title_rows": blank.title_rows[1:4],  # 研修名, 開催日, 会場
        },
    )


def _offered_years(current):
    """Return the fiscal years offered, newest first: those with sessions and the current one ± 1 (1 query)."""
    years = set(TrainingSession.objects.order_by().values_list("fiscal_year", flat=True).distinct())
    years |= {current - 1, current, current + 1}
    return sorted((y for y in years if parse_fiscal_year(str(y)) is not None), reverse=True)


def sessions_template_view(session_admin, request):
    """Show the 研修一覧 template page for a fiscal year (?fiscal_year=, default the current one);
    with ?format=xlsx or csv, return the file (2 queries)."""
    if not session_admin.has_view_permission(request):
        raise PermissionDenied
    current = fiscal_year(timezone.localdate())
    year = parse_fiscal_year(request.GET.get("fiscal_year")) or current
    fmt = request.GET.get("format")
    if fmt in blank_sheets.FORMATS:
        data, content_type = blank_sheets.file_bytes(blank_sheets.sessions_sheet(year), fmt)
        return _download(data, content_type, blank_sheets.sessions_file_name(year, fmt))
    return _render(
        session_admin,
        request,
        {
            "title": "研修一覧のひな形",
            "fiscal_year": year,
            "years": [(y, fiscal_year_label(y)) for y in _offered_years(current)],
            "import_url": reverse("admin:trainings_attendancesheet_import") + "?kind=sessions",
            "headers": [c.label for c in cols.COLUMNS[SheetKind.SESSIONS]],
        },
    )
