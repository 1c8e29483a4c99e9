"""The managers' fiscal-year dashboard, the printable committee report and the table downloads.

Staff only (portal.access.manager_required). The views call portal.selectors (figures) and
portal.dashboard.presentation (labels and links) and render.
"""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header

from core.fiscal import FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR, fiscal_year_label, is_allowed_fiscal_year
from core.numbers import ROUNDING_RULE
from core.public_cache import cached_figures
from portal import selectors, ward_map
from portal.access import manager_required
from portal.dashboard import charts, exports, presentation, report_docx, report_text, report_xlsx
from portal.roles import PUBLISH_PERMISSION
from portal.services import publication_state


def _year_not_found(request, text):
    return render(request, "dashboard/not_found.html", {"message": text}, status=404)


def _out_of_range_message(fy):
    return (
        f"{fy}年度のページはありません。年度は{FIRST_FISCAL_YEAR}年度から{LAST_FISCAL_YEAR}年度までを指定してください。"
    )


def _year_choices(fy, years):
    """Return [(fy, label)] for the switcher, newest first.

    Every year from the one before the earliest with records to the latest (and the year shown),
    so that a year without records, such as the one before the first, can be chosen and is
    marked as such.
    """
    with_records = set(years)
    first = max(min([*years, fy]) - 1, FIRST_FISCAL_YEAR)
    last = max([*years, fy])
    return [
        (year, fiscal_year_label(year) + ("" if year in with_records else "（記録なし）"))
        for year in range(last, first - 1, -1)
    ]


def dashboard_figures(fy):
    """Return the DashboardData of `fy`, computed once per data version (the dashboard and its exports share it)."""
    return cached_figures(f"dashboard:{fy}", lambda: presentation.fiscal_year_dashboard(fiscal_year=fy))


@manager_required
def dashboard_latest(request):
    """Send the manager to the year asked in the switcher (?fy=), or to the latest year with records."""
    asked = request.GET.get("fy")
    if asked is not None:
        if not asked.strip().isdigit() or not is_allowed_fiscal_year(int(asked)):
            return _year_not_found(request, f"「{asked}」は年度として指定できません。年度を選び直してください。")
        return redirect("dashboard_year", fy=int(asked))
    years = selectors.available_fiscal_years()
    if not years:
        return render(request, "dashboard/empty.html", {})
    return redirect("dashboard_year", fy=years[0])


def _year_on_year_chart(data, title, rows, *, horizontal=False):
    """Return the SVG bar chart of `rows` (ComparedRow) by sessions, this year against the previous one."""
    return charts.comparison_bar_chart(
        title=title,
        labels=[row.row.label for row in rows],
        current=[row.row.sessions for row in rows],
        previous=[row.previous_sessions for row in rows],
        current_label=data.label,
        previous_label=f"{data.previous_label}（斜線）",
        horizontal=horizontal,
    )


def _ward_maps(data):
    """Return the ward maps of the year: sessions held in each ward and their participants."""
    wards = [
        ward_map.WardCount(w.row.key, w.row.label, w.row.sessions, w.row.participants, w.row.sessions_without_count)
        for w in data.wards
    ]
    return ward_map.reach_maps(wards, id_prefix="dashboard-wards")


def _charts(data):
    return {
        "categories": _year_on_year_chart(data, "研修区分別の回数", data.categories, horizontal=True),
        "wards": _year_on_year_chart(data, "区別の開催回数", data.wards, horizontal=True),
        "months": _year_on_year_chart(data, "月別の回数", data.months),
        "trend_sessions": charts.comparison_bar_chart(
            title="年度別の回数",
            labels=[f"{row.fiscal_year}年度" for row in data.trend],
            current=[row.sessions for row in data.trend],
            previous=[row.published_sessions or 0 for row in data.trend],
            current_label="記録",
            previous_label="公表値（斜線）",
        ),
        "trend_participants": charts.comparison_bar_chart(
            title="年度別の参加者数",
            labels=[f"{row.fiscal_year}年度" for row in data.trend],
            current=[row.participants for row in data.trend],
            previous=[row.published_participants or 0 for row in data.trend],
            current_label="記録",
            previous_label="公表値（斜線）",
        ),
    }


@manager_required
def dashboard(request, fy):
    """The dashboard of fiscal year `fy`, against the previous year."""
    if not is_allowed_fiscal_year(fy):
        return _year_not_found(request, _out_of_range_message(fy))
    data = dashboard_figures(fy)
    context = {
        "data": data,
        "total_rows": data.total_rows if data.has_data else [],  # built once (a property)
        "years": _year_choices(fy, selectors.available_fiscal_years()),
        "reported_years": selectors.reported_fiscal_years(),
        "charts": _charts(data) if data.has_data else {},
        "ward_maps": _ward_maps(data) if data.has_data else [],
        "rounding_rule": ROUNDING_RULE,
        "tables": exports.TABLES,
        "valid_previous": is_allowed_fiscal_year(fy - 1),
        "valid_next": is_allowed_fiscal_year(fy + 1),
        "publication": publication_state(fiscal_year=fy),
        "may_publish": request.user.has_perm(PUBLISH_PERMISSION),
    }
    return render(request, "dashboard/dashboard.html", context)


@manager_required
def committee_report(request, fy):
    """The yearly progress report to the promotion committee, laid out for A4 printing."""
    if not is_allowed_fiscal_year(fy):
        return _year_not_found(request, _out_of_range_message(fy))
    # The page lists at most TIMELINE_SHOWN entries per case; the Word and Excel files all of them.
    report = selectors.committee_report(fiscal_year=fy, full_timelines=False)
    words = {
        "trainings_heading": report_text.trainings_heading(report),
        "categories": report_text.itemised_categories(report),
        "unitemised_notes": report_text.unitemised_notes(report),
        "closing_notes": report_text.closing_notes(report, ROUNDING_RULE),
        "docx_name": report_text.file_name(report, "docx"),
        "xlsx_name": report_text.file_name(report, "xlsx"),
    }
    context = {"report": report, "words": words, "publication": publication_state(fiscal_year=fy)}
    return render(request, "dashboard/report.html", context)


REPORT_FILES = {
    "docx": (report_docx.build, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (report_xlsx.build, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@manager_required
def committee_report_file(request, fy, fmt):
    """The committee report of `fy` as an editable Word file (docx) or its tables as a workbook (xlsx)."""
    if not is_allowed_fiscal_year(fy):
        return _year_not_found(request, _out_of_range_message(fy))
    if fmt not in REPORT_FILES:
        return _year_not_found(
            request, f"報告書の「{fmt}」形式のダウンロードはありません。Word（docx）か Excel（xlsx）です。"
        )
    report = selectors.committee_report(fiscal_year=fy)
    if not report.has_data:
        return _year_not_found(request, report_text.no_data_message(report))
    build, content_type = REPORT_FILES[fmt]
    response = HttpResponse(
        build(report, rounding_rule=ROUNDING_RULE, today=timezone.localdate()), content_type=content_type
    )
    # A Japanese file name needs RFC 6266's filename* (UTF-8); Django writes both forms.
    response["Content-Disposition"] = content_disposition_header(True, report_text.file_name(report, fmt))
    return response


@manager_required
def export_table(request, fy, table, fmt):
    """One dashboard table of `fy` as CSV (UTF-8 with BOM) or XLSX."""
    if not is_allowed_fiscal_year(fy):
        return _year_not_found(request, _out_of_range_message(fy))
    if table not in exports.TABLES or fmt not in exports.FORMATS:
        return _year_not_found(request, f"「{table}.{fmt}」という表のダウンロードはありません。")
    built = exports.build_table(table, dashboard_figures(fy))
    filename = exports.file_name(table, fy, fmt)
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(built), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.to_xlsx(built), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    # A Japanese file name needs RFC 5987/6266's filename*=utf-8''… (Django writes it).
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response
