"""The dashboard's rows: the selectors' figures with their Japanese labels, units and admin links.

The one place where the dashboard, its downloads and the committee report get the words and
links beside a figure; the figures themselves come from portal.selectors. No function here
queries the database except through a selector.
"""

from dataclasses import dataclass, fields, replace

from core.admin import links as admin_links
from core.fiscal import fiscal_year_label
from outreach.models import CaseStatus
from portal.dashboard.comparison import (  # noqa: F401 - BreakdownRow, ComparedRow, compare_rows re-exported
    BreakdownRow,
    ComparedRow,
    TotalRow,
    compare_rows,
    participants_if_known,
    previous_year_records,
    unique_participants_if_known,
)
from portal.dashboard.quality import data_quality
from portal.selectors import (
    HOST_UNKNOWN,
    HOSTED_BY_ORGANIZATION,
    Reconciliation,
    ReconciliationRow,
    TrendRow,
    YearlySummary,
    YearTotals,
    attendance_reaches,
    audience_figures,
    collaborations,
    host_figures,
    month_figures,
    multi_year_trend,
    reconciliation,
    session_groups,
    ward_breakdown,
    year_totals,  # noqa: F401 - re-exported (tests build total rows with it)
    yearly_summary,
    years_totals,
)
from trainings.models import Audience

WARD_COUNT = 18
HOST_LABELS = {HOSTED_BY_ORGANIZATION: "区役所・団体の主催", HOST_UNKNOWN: "主催の記録なし"}
TOTAL_LABEL = "合計"


def category_url(fiscal_year, category_id):
    """Return the admin list of `fiscal_year`'s sessions of the category `category_id` (None: no category)."""
    if category_id:
        return admin_links.sessions_url(fiscal_year, category__id__exact=category_id)
    return admin_links.sessions_url(fiscal_year, category__isnull="True")


def category_breakdown(*, fiscal_year, summary=None):
    """Return one BreakdownRow per training category of `fiscal_year` (from yearly_summary)."""
    summary = summary or yearly_summary(fiscal_year=fiscal_year)
    return [
        BreakdownRow(
            key=row.code,
            label=f"{row.code} {row.name}",
            sessions=row.sessions,
            participants=row.participants,
            sessions_without_count=row.sessions_without_count,
            admin_url=category_url(fiscal_year, row.category_id),
        )
        for row in summary.categories
    ]


def _row(group, label, admin_url):
    return BreakdownRow(group.key, label, group.sessions, group.participants, group.sessions_without_count, admin_url)


def audience_breakdown(*, fiscal_year, groups=None):
    """Return one BreakdownRow per audience (対象), all choices in their order, for `fiscal_year`.

    One query, none with `groups` (portal.selectors.groups.SessionGroups).
    """
    return [
        _row(group, Audience(group.key).label, admin_links.sessions_url(fiscal_year, audience__exact=group.key))
        for group in audience_figures(fiscal_year=fiscal_year, groups=groups)
    ]


def host_breakdown(*, fiscal_year, groups=None):
    """Return one BreakdownRow per host bureau of `fiscal_year`'s sessions, then organisations, then no host."""
    rows = []
    for group in host_figures(fiscal_year=fiscal_year, groups=groups):
        if group.ref is not None:
            url = admin_links.sessions_url(fiscal_year, host_bureau__id__exact=group.ref)
        else:
            hosted = "False" if group.key == HOSTED_BY_ORGANIZATION else "True"
            url = admin_links.sessions_url(fiscal_year, host_bureau__isnull="True", host_organization__isnull=hosted)
        rows.append(_row(group, group.name if group.ref is not None else HOST_LABELS[group.key], url))
    return rows


def month_breakdown(*, fiscal_year, groups=None):
    """Return twelve BreakdownRows, April to March, for `fiscal_year` (one query, none with `groups`)."""
    rows = []
    for group in month_figures(fiscal_year=fiscal_year, groups=groups):
        year, month = int(group.key[:4]), int(group.key[5:])
        rows.append(
            _row(group, f"{month}月", admin_links.sessions_url(fiscal_year, date__year=year, date__month=month))
        )
    return rows


def ward_rows(*, fiscal_year, reach=None, groups=None):
    """Return ward_breakdown as BreakdownRows (all 18 wards), with attendees from each ward."""
    return [
        BreakdownRow(
            key=row.code,
            label=row.name,
            sessions=row.sessions,
            participants=row.participants,
            sessions_without_count=row.sessions_without_count,
            admin_url=admin_links.sessions_url(fiscal_year, ward__id__exact=row.ward_id),
            attendees_from_ward=row.attendees_from_ward,
        )
        for row in ward_breakdown(fiscal_year=fiscal_year, reach=reach, groups=groups)
    ]


def total_rows(current: YearTotals, previous: YearTotals):
    """Return the TotalRows of YearTotals `current` beside `previous` (no query)."""
    fy = current.fiscal_year

    def ids_url(app_model, ids, **params):
        # ids None: too many to link (YearTotals.organization_ids); the whole list is linked.
        return admin_links.changelist_url(
            app_model, id__in=None if ids is None else admin_links.ids_param(ids), **params
        )

    attendance_url = admin_links.changelist_url("trainings.attendance", session_fiscal_year=fy)
    # (key, label, unit, figure of a YearTotals, admin link, out of)
    spec = [
        ("sessions", "研修等の回数", "回", lambda t: t.sessions, admin_links.sessions_url(fy), None),
        ("participants", "参加者数（延べ）", "人", participants_if_known, admin_links.sessions_url(fy), None),
        (
            "sessions_without_count",
            "参加者数が不明の回数",
            "回",
            lambda t: t.sessions_without_count,
            admin_links.sessions_url(fy, headcount__isnull="True"),
            None,
        ),
        ("attendance_rows", "出席者名簿の行数（延べ）", "行", lambda t: t.attendance_rows, attendance_url, None),
        ("unique_participants", "実人数（名簿の氏名による）", "人", unique_participants_if_known, attendance_url, None),
        (
            "organizations_reached",
            "到達した団体数",
            "団体",
            lambda t: t.organizations_reached,
            ids_url("partners.organization", current.organization_ids),
            None,
        ),
        (
            "wards_reached",
            "到達した区",
            "区",
            lambda t: t.wards_reached,
            ids_url("partners.ward", current.ward_ids),
            WARD_COUNT,
        ),
        (
            "bureaus_collaborated",
            "連携した局（局間連携）",
            "局",
            lambda t: t.bureaus_collaborated,
            admin_links.changelist_url("partners.collaboration", fiscal_year=fy),
            None,
        ),
        (
            "cases_active",
            "経過のあった事例",
            "件",
            lambda t: t.cases_active,
            ids_url("outreach.approachcase", current.case_ids),
            None,
        ),
    ]
    recorded = previous_year_records(previous)
    kind_of = {"bureaus_collaborated": "collaborations", "cases_active": "cases"}
    rows = []
    for key, label, unit, figure, url, out_of in spec:
        previous_recorded = recorded[kind_of.get(key, "trainings")]
        rows.append(
            TotalRow(
                key,
                label,
                unit,
                figure(current),
                figure(previous) if previous_recorded else None,
                url,
                out_of=out_of,
                unknown_text="不明" if key == "participants" else TotalRow.unknown_text,
                previous_recorded=previous_recorded,
            )
        )
    previous_status = {value: n for value, _, n in previous.cases_by_status}
    current_status = {value: n for value, _, n in current.cases_by_status}
    for status in CaseStatus:
        if status.value in current_status or status.value in previous_status:
            rows.append(
                TotalRow(
                    f"cases_{status.value}",
                    f"　うち状況「{status.label}」",
                    "件",
                    current_status.get(status.value, 0),
                    previous_status.get(status.value, 0) if recorded["cases"] else None,
                    ids_url("outreach.approachcase", current.case_ids, status__exact=status.value),
                    previous_recorded=recorded["cases"],
                )
            )
    return rows


@dataclass(frozen=True)
class TrendLine(TrendRow):
    """A TrendRow with its year's label and the admin list of its sessions."""

    label: str = ""
    admin_url: str = ""


def trend_lines(rows):
    """Return the TrendRows `rows` as TrendLines (no query)."""
    return [
        TrendLine(
            **{f.name: getattr(row, f.name) for f in fields(TrendRow)},
            label=fiscal_year_label(row.fiscal_year),
            admin_url=admin_links.sessions_url(row.fiscal_year),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class ReconciliationLine(ReconciliationRow):
    """A ReconciliationRow with its label ('ア 地域まちづくり課主催研修', '合計') and admin link."""

    label: str = ""
    admin_url: str = ""


def reconciliation_lines(rec: Reconciliation):
    """Return `rec` with its rows and total as ReconciliationLines (no query)."""

    def line(row):
        return ReconciliationLine(
            **{f.name: getattr(row, f.name) for f in fields(ReconciliationRow)},
            label=TOTAL_LABEL if row.is_total else f"{row.key} {row.name}",
            admin_url=admin_links.sessions_url(rec.fiscal_year)
            if row.is_total
            else category_url(rec.fiscal_year, row.category_id),
        )

    return replace(rec, rows=[line(row) for row in rec.rows], total=line(rec.total))


@dataclass(frozen=True)
class DashboardData:
    """Everything the fiscal-year dashboard shows, this year beside the previous one."""

    fiscal_year: int
    label: str
    previous_label: str
    summary: YearlySummary
    totals: YearTotals
    previous_totals: YearTotals
    categories: list  # ComparedRow
    audiences: list
    hosts: list
    wards: list
    months: list
    collaborations: list  # Collaboration
    trend: list  # TrendLine
    reconciliation: Reconciliation  # with ReconciliationLines
    quality: list  # portal.dashboard.quality.QualityCheck

    @property
    def previous_fiscal_year(self):
        return self.fiscal_year - 1

    @property
    def total_rows(self):
        return total_rows(self.totals, self.previous_totals)

    @property
    def previous_has_data(self):
        return self.previous_totals.has_sessions

    @property
    def has_data(self):
        return self.totals.has_sessions or bool(self.collaborations) or self.reconciliation.has_published_figures


def fiscal_year_dashboard(*, fiscal_year):
    """Return the DashboardData of `fiscal_year`: totals, breakdowns and trend against the previous year,
    collaborations, reconciliation with the published figures and the data-quality checks.

    A fixed number of queries (about thirty) whatever the size of the data.
    """
    previous = fiscal_year - 1
    # One query totals both years' sessions by category, audience, host, month and ward.
    groups = session_groups(fiscal_years=[fiscal_year, previous])
    summary = yearly_summary(fiscal_year=fiscal_year, groups=groups)
    previous_summary = yearly_summary(fiscal_year=previous, groups=groups)
    # One read of both years' trigger-kept ward reach serves both the totals and the ward table.
    reaches = attendance_reaches(fiscal_years=[fiscal_year, previous])
    reach, previous_reach = reaches[fiscal_year], reaches[previous]
    totals = years_totals(fiscal_years=[fiscal_year, previous], reaches=reaches, groups=groups)
    previous_totals = totals[previous]
    # Without training records in the previous year there is nothing to compare with.
    recorded = {"previous_has_records": previous_totals.has_sessions}
    return DashboardData(
        fiscal_year=fiscal_year,
        label=fiscal_year_label(fiscal_year),
        previous_label=fiscal_year_label(previous),
        summary=summary,
        totals=totals[fiscal_year],
        previous_totals=previous_totals,
        categories=compare_rows(
            category_breakdown(fiscal_year=fiscal_year, summary=summary),
            category_breakdown(fiscal_year=previous, summary=previous_summary),
            **recorded,
        ),
        audiences=compare_rows(
            audience_breakdown(fiscal_year=fiscal_year, groups=groups),
            audience_breakdown(fiscal_year=previous, groups=groups),
            **recorded,
        ),
        hosts=compare_rows(
            host_breakdown(fiscal_year=fiscal_year, groups=groups),
            host_breakdown(fiscal_year=previous, groups=groups),
            **recorded,
        ),
        wards=compare_rows(
            ward_rows(fiscal_year=fiscal_year, reach=reach, groups=groups),
            ward_rows(fiscal_year=previous, reach=previous_reach, groups=groups),
            **recorded,
        ),
        months=compare_rows(
            month_breakdown(fiscal_year=fiscal_year, groups=groups),
            _shift_months(month_breakdown(fiscal_year=previous, groups=groups)),
            **recorded,
        ),
        collaborations=collaborations(fiscal_year=fiscal_year),
        trend=trend_lines(multi_year_trend(last_fiscal_year=fiscal_year)),
        reconciliation=reconciliation_lines(reconciliation(fiscal_year=fiscal_year, summary=summary)),
        quality=data_quality(fiscal_year=fiscal_year),
    )


def _shift_months(rows):
    """Re-key the previous year's month rows (2017-04 → 2018-04) so that they pair with this year's months."""
    return [replace(row, key=f"{int(row.key[:4]) + 1}{row.key[4:]}") for row in rows]
