"""The dashboard's headline figures (主な数値) beside the previous year's, with units and admin links."""

from dataclasses import dataclass

from core.admin import links as admin_links
from core.numbers import known_participants
from outreach.models import CaseStatus
from portal.selectors import YearTotals

WARD_COUNT = 18


@dataclass(frozen=True)
class TotalRow:
    """One headline figure of the year beside the previous year's."""

    key: str
    label: str
    unit: str
    value: int | None  # None: not known (e.g. 実人数 without any attendance sheet)
    previous: int | None
    admin_url: str = ""
    out_of: int | None = None  # e.g. 18 for the wards reached

    @property
    def difference(self):
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


def _unique_participants(totals):
    """実人数 is known only where a sheet with names was imported."""
    return totals.unique_participants if totals.attendance_rows else None


def total_rows(current: YearTotals, previous: YearTotals):
    """Return the TotalRows of YearTotals `current` beside `previous` (no query)."""
    fy = current.fiscal_year

    def ids_url(app_model, ids, **params):
        return admin_links.changelist_url(app_model, id__in=admin_links.ids_param(ids), **params)

    attendance_url = admin_links.changelist_url("trainings.attendance", session_fiscal_year=fy)
    # (key, label, unit, figure of a YearTotals, admin link, out of)
    spec = [
        ("sessions", "研修等の回数", "回", lambda t: t.sessions, admin_links.sessions_url(fy), None),
        (
            "participants",
            "参加者数（延べ）",
            "人",
            lambda t: known_participants(t.participants, t.sessions, t.sessions_without_count),
            admin_links.sessions_url(fy),
            None,
        ),
        (
            "sessions_without_count",
            "参加者数が不明の回数",
            "回",
            lambda t: t.sessions_without_count,
            admin_links.sessions_url(fy, headcount__isnull="True"),
            None,
        ),
        ("attendance_rows", "出席者名簿の行数（延べ）", "行", lambda t: t.attendance_rows, attendance_url, None),
        ("unique_participants", "実人数（名簿の氏名による）", "人", _unique_participants, attendance_url, None),
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
    rows = [
        TotalRow(key, label, unit, figure(current), figure(previous), url, out_of=out_of)
        for key, label, unit, figure, url, out_of in spec
    ]
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
                    previous_status.get(status.value, 0),
                    ids_url("outreach.approachcase", current.case_ids, status__exact=status.value),
                )
            )
    return rows
