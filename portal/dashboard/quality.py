"""Data-quality checks of one fiscal year's records, shown on the dashboard beside the figures.

Each check is one query whatever the data size and returns the records it found (with links to
their admin pages), so that staff can correct them before the report is printed.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, Exists, F, OuterRef, Window

from core.admin import links as admin_links
from outreach.models import ApproachCase, CaseEvent, CaseStatus
from trainings.models import Attendance, TrainingSession

# The panel lists this many records per check; the count and the admin link cover all of them.
ITEMS_SHOWN = 20


@dataclass(frozen=True)
class QualityItem:
    label: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class QualityCheck:
    key: str
    title: str
    explanation: str
    count: int
    list_url: str
    items: list = field(default_factory=list)  # QualityItem, at most ITEMS_SHOWN

    @property
    def ok(self):
        return self.count == 0

    @property
    def items_not_shown(self):
        return max(self.count - len(self.items), 0)


class FlaggedSession(NamedTuple):
    pk: int
    date: object  # datetime.date
    title: str
    headcount: int | None
    attendance_count: int
    roster_is_partial: bool
    n_flagged: int  # how many sessions the check flagged in all


def _session_check(key, title, explanation, sessions, list_params, detail=None):
    # One query: the total comes from a window count, and only as many sessions are loaded as
    # the panel shows or the id__in link can carry (not every flagged session of a city-size year).
    # Plain rows, not model instances: up to 201 sessions for each of four checks.
    found = [
        FlaggedSession(*row)
        for row in sessions.annotate(n_flagged=Window(Count("*")))
        .order_by("date", "title")
        .values_list("pk", "date", "title", "headcount", "attendance_count", "roster_is_partial", "n_flagged")[
            : admin_links.MAX_IDS_IN_LINK + 1
        ]
    ]
    count = found[0].n_flagged if found else 0
    ids = admin_links.ids_param(s.pk for s in found) if count <= admin_links.MAX_IDS_IN_LINK else None
    params = {"id__in": ids} if ids is not None else list_params
    return QualityCheck(
        key=key,
        title=title,
        explanation=explanation,
        count=count,
        list_url=admin_links.changelist_url("trainings.trainingsession", **params),
        items=[
            QualityItem(
                label=f"{s.date:%Y-%m-%d} {s.title}",
                url=admin_links.change_url("trainings.trainingsession", s.pk),
                detail=detail(s) if detail else "",
            )
            for s in found[:ITEMS_SHOWN]
        ],
    )


def sessions_without_participants(fiscal_year):
    """Return the check of sessions with neither a typed headcount nor attendance rows."""
    sessions = TrainingSession.objects.for_fiscal_year(fiscal_year).filter(headcount__isnull=True, attendance_count=0)
    return _session_check(
        "no_participants",
        "参加者数も出席者名簿もない研修",
        "参加者数が分からないため、参加者の合計に含まれていません。",
        sessions,
        {"fiscal_year": fiscal_year, "headcount__isnull": "True"},
    )


def sessions_with_differing_headcount(fiscal_year):
    """Return the check of sessions whose typed headcount differs from their attendance rows.

    Each item says both figures and which one the totals use (with_participant_counts: the typed
    headcount when the roster is marked partial, otherwise the rows).
    """
    sessions = (
        TrainingSession.objects.for_fiscal_year(fiscal_year)
        .with_participant_counts()
        .filter(attendance_count__gt=0, headcount__isnull=False)
        .exclude(headcount=F("attendance_count"))
    )
    return _session_check(
        "headcount_differs",
        "参加者数（集計値）と名簿の行数が異なる研修",
        "「名簿は一部」の研修は入力値を、それ以外は名簿の行数を集計に使っています。どちらが正しいか確認してください。",
        sessions,
        {"fiscal_year": fiscal_year},
        detail=_differing_detail,
    )


def _differing_detail(session):
    """Return 「入力値15人／名簿2行、集計は入力値（名簿は一部）」 for one session of the check."""
    used = "集計は入力値（名簿は一部）" if session.roster_is_partial else "集計は名簿の行数"
    return f"入力値{session.headcount:,}人／名簿{session.attendance_count:,}行、{used}"


def sessions_without_category(fiscal_year):
    """Return the check of sessions with no training category."""
    return _session_check(
        "no_category",
        "研修区分が未設定の研修",
        "区分別の集計と報告書の項目に入りません。",
        TrainingSession.objects.for_fiscal_year(fiscal_year).filter(category__isnull=True),
        {"fiscal_year": fiscal_year, "category__isnull": "True"},
    )


def sessions_without_ward(fiscal_year):
    """Return the check of sessions with no ward (city-wide sessions legitimately have none)."""
    return _session_check(
        "no_ward",
        "区が未設定の研修",
        "区別の集計に入りません（全市対象の研修は区なしで問題ありません）。",
        TrainingSession.objects.for_fiscal_year(fiscal_year).filter(ward__isnull=True),
        {"fiscal_year": fiscal_year, "ward__isnull": "True"},
    )


def unmatched_attendance(fiscal_year):
    """Return the check of attendance rows whose organisation is not a registered one, grouped by the text written."""
    groups = list(
        Attendance.objects.for_fiscal_year(fiscal_year)
        .filter(organization__isnull=True)
        .order_by()
        .values("organization_text")
        .annotate(n=Count("*"))  # COUNT(*): an index-only scan of attendance_fy_unmatched_idx
        .order_by("-n", "organization_text")
    )
    base = admin_links.changelist_url(
        "trainings.attendance", session_fiscal_year=fiscal_year, organization__isnull="True"
    )
    return QualityCheck(
        key="unmatched_organization",
        title="所属が登録団体と照合されていない出席者",
        explanation="団体別の集計（到達した団体数）に入りません。所属の表記を確認し、登録団体を選んでください。",
        count=sum(group["n"] for group in groups),
        list_url=base,
        items=[
            QualityItem(
                label=group["organization_text"] or "（所属の記載なし）",
                url=admin_links.changelist_url(
                    "trainings.attendance",
                    session_fiscal_year=fiscal_year,
                    organization__isnull="True",
                    organization_text=group["organization_text"],
                ),
                detail=f"{group['n']}行",
            )
            for group in groups[:ITEMS_SHOWN]
        ],
    )


def cases_without_events(fiscal_year):
    """Return the check of approach cases (other than completed ones) with no timeline entry in the year."""
    # As _session_check: a window count, and only the cases the panel and its link need.
    cases = list(
        ApproachCase.objects.exclude(status=CaseStatus.COMPLETED)
        .exclude(Exists(CaseEvent.objects.filter(case=OuterRef("pk"), fiscal_year=fiscal_year)))
        .annotate(n_flagged=Window(Count("*")))
        .select_related("ward")
        .only("pk", "title", "status", "ward__name", "ward__code")
        .order_by("ward__code", "title")[: admin_links.MAX_IDS_IN_LINK + 1]
    )
    count = cases[0].n_flagged if cases else 0
    ids = admin_links.ids_param(c.pk for c in cases) if count <= admin_links.MAX_IDS_IN_LINK else None
    return QualityCheck(
        key="case_without_events",
        title="この年度の経過がない事例",
        explanation="整備完了の事例を除き、年度内の経過（ヒアリング・相談・出前塾など）が記録されていない事例です。",
        count=count,
        list_url=admin_links.changelist_url("outreach.approachcase", id__in=ids),
        items=[
            QualityItem(
                label=case.title,
                url=admin_links.change_url("outreach.approachcase", case.pk),
                detail=f"{case.ward.name}・{case.get_status_display()}",
            )
            for case in cases[:ITEMS_SHOWN]
        ],
    )


def data_quality(*, fiscal_year):
    """Return the list of QualityChecks of `fiscal_year` in panel order (six queries)."""
    return [
        sessions_without_participants(fiscal_year),
        sessions_with_differing_headcount(fiscal_year),
        sessions_without_category(fiscal_year),
        sessions_without_ward(fiscal_year),
        unmatched_attendance(fiscal_year),
        cases_without_events(fiscal_year),
    ]


def issue_count(checks):
    """Return the number of records flagged by `checks`, for the panel's heading."""
    return sum(check.count for check in checks)
