"""What the committee report lists for a year: the narrative, sessions by category, case timelines, plan items."""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Window
from django.db.models.functions import RowNumber

from outreach.models import (
    TIMELINE_ORDER,
    Achievement,
    ApproachCase,
    CaseEvent,
    CaseStatus,
    EventKind,
    PlanItem,
    PlanItemStatus,
    event_when_label,
)
from portal.selectors.reconciliation import Reconciliation, reconciliation
from portal.selectors.summary import YearlySummary, collaborations, yearly_summary
from trainings.models import TrainingSession


@dataclass(frozen=True)
class ReportSession:
    """One line of the report's session list."""

    title: str
    date: object  # datetime.date
    participant_count: int | None


# A category lists at most this many sessions (those with the most participants); a city-size year
# holds thousands, which the committee does not read and which made the report slow and heavy.
LISTED_PER_CATEGORY = 30


class SessionList(list):
    """The ReportSessions a category lists, in date order; `unlisted`: how many of its sessions are left out,
    `total`: all its sessions, `category_id`: its category (None for sessions without one)."""

    def __init__(self, sessions=(), *, unlisted=0, category_id=None):
        super().__init__(sessions)
        self.unlisted = unlisted
        self.category_id = category_id

    @property
    def total(self):
        return len(self) + self.unlisted


def sessions_by_category(*, fiscal_year, summary=None):
    """Return [(CategoryRow, SessionList), …] of `fiscal_year` in report order.

    One query, three when `summary` (the yearly_summary of the year) is not given.

    A category lists all its sessions when it has at most LISTED_PER_CATEGORY, otherwise the
    LISTED_PER_CATEGORY with the most participants (unknown counts last), in date order either
    way; the SessionList says how many are left out (the full list is the admin's). Sessions are
    plain rows (title, date, participant_count), not model instances. Categories come from
    yearly_summary so that headings and counts agree.
    """
    summary = summary or yearly_summary(fiscal_year=fiscal_year)
    sessions = (
        TrainingSession.objects.for_fiscal_year(fiscal_year)
        .with_participant_counts()
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("category_id")],
                order_by=[F("participant_count").desc(nulls_last=True), F("date").asc(), F("title").asc()],
            )
        )
        .filter(rank__lte=LISTED_PER_CATEGORY)
        .order_by("date", "title")
        .values_list("category_id", "title", "date", "participant_count")
    )
    by_category = {}
    for category_id, title, date, participants in sessions:
        by_category.setdefault(category_id, []).append(ReportSession(title, date, participants))
    return [
        (row, SessionList(listed, unlisted=row.sessions - len(listed), category_id=row.category_id))
        for row in summary.categories
        for listed in [by_category.get(row.category_id, [])]
    ]


def cases_with_timelines(*, fiscal_year):
    """Return the approach cases with an entry up to `fiscal_year`, each with `timeline` (two queries).

    The timeline holds the entries up to the end of the fiscal year and the planned ones after
    it, in the order the story is told (outreach.models.TIMELINE_ORDER: by fiscal year, within a
    year by the explicit position, then by date); a case is listed when it has at least one entry
    up to that year.
    """
    timeline = CaseEvent.objects.filter(Q(fiscal_year__lte=fiscal_year) | Q(is_planned=True)).order_by(*TIMELINE_ORDER)
    return list(
        ApproachCase.objects.filter(Exists(CaseEvent.objects.filter(case=OuterRef("pk"), fiscal_year__lte=fiscal_year)))
        .select_related("ward", "lead_organization")
        .prefetch_related(Prefetch("events", queryset=timeline, to_attr="timeline"))
        .order_by("ward__code", "title")
    )


# The printed report shows at most this many timeline entries per case (the seed's case has 7); the
# Word and Excel reports and the case's admin page have them all.
TIMELINE_SHOWN = 8


@dataclass(frozen=True)
class ReportEvent:
    """One timeline line of the printed report."""

    when: str  # CaseEvent.when_label
    planned_mark: bool  # CaseEvent.shows_planned_mark
    kind: str  # the kind's label
    text: str


@dataclass(frozen=True)
class ReportCase:
    """A case as the printed report shows it, with at most TIMELINE_SHOWN entries of its timeline."""

    pk: int
    title: str
    place: str  # ward and district, 「南区中村地区」
    lead_organization: str  # "" when none
    status: str  # the current status's label
    summary: str
    timeline: list  # ReportEvent, the latest TIMELINE_SHOWN in the order the story is told
    not_shown: int  # entries left out (the earliest ones)


def case_summaries(*, fiscal_year):
    """Return the cases of cases_with_timelines as ReportCases, each with at most TIMELINE_SHOWN entries.

    Two queries, plain rows rather than model instances: a city-size year lists 500 cases with
    1,700 entries, and building instances was most of the report's time. The entries shown
    are the last TIMELINE_SHOWN of the timeline (outreach.models.TIMELINE_ORDER), the planned
    ones included, in the timeline's order.
    """
    listed = Exists(CaseEvent.objects.filter(case=OuterRef("pk"), fiscal_year__lte=fiscal_year))
    cases = (
        ApproachCase.objects.filter(listed)
        .order_by("ward__code", "title")
        .values_list("pk", "title", "ward__name", "district", "lead_organization__name", "status", "summary")
    )
    latest_first = [F(name).desc() for name in TIMELINE_ORDER]
    events = (
        CaseEvent.objects.filter(Q(fiscal_year__lte=fiscal_year) | Q(is_planned=True))
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("case_id")], order_by=latest_first),
            entries=Window(Count("*"), partition_by=[F("case_id")]),
        )
        .filter(rank__lte=TIMELINE_SHOWN)
        .order_by("case_id", "-rank")  # back in the timeline's order
        .values_list("case_id", "date", "calendar_year", "fiscal_year", "kind", "is_planned", "text", "entries")
    )
    timelines, counts = {}, {}
    for case_id, date, calendar_year, fy, kind, planned, text, entries in events:
        mark = planned and kind != EventKind.PLAN
        timelines.setdefault(case_id, []).append(
            ReportEvent(event_when_label(date, calendar_year, fy), mark, EventKind(kind).label, text)
        )
        counts[case_id] = entries
    return [
        ReportCase(
            pk=pk,
            title=title,
            place=f"{ward}{district}",
            lead_organization=lead or "",
            status=CaseStatus(status).label,
            summary=summary,
            timeline=timelines.get(pk, []),
            not_shown=counts.get(pk, 0) - len(timelines.get(pk, [])),
        )
        for pk, title, ward, district, lead, status, summary in cases
    ]


def achievements(*, fiscal_year):
    """Return the Achievement items (取組実績と成果 ア, イ, …) of `fiscal_year` in their order (one query)."""
    return list(Achievement.objects.for_fiscal_year(fiscal_year))


@dataclass(frozen=True)
class PlanRow:
    item: object  # PlanItem
    status: object  # PlanItemStatus of the fiscal year, or None
    next_status: object  # PlanItemStatus of the next fiscal year, or None
    status_note: int | None = None  # number (1, 2, …) of the status's note in plan_notes, or None
    next_status_note: int | None = None  # the same for next_status


def plan_notes(rows):
    """Return (rows with their note numbers, [note text, …]): each distinct status note once.

    A note written the same on every item (「…年度の状況は例示。」) is printed once under the table
    instead of in every row; the rows carry the number of their note.
    """
    notes = []

    def number(status):
        if status is None or not status.note:
            return None
        if status.note not in notes:
            notes.append(status.note)
        return notes.index(status.note) + 1

    numbered = [
        PlanRow(row.item, row.status, row.next_status, number(row.status), number(row.next_status)) for row in rows
    ]
    return numbered, notes


def plan_items_with_status(*, fiscal_year):
    """Return a PlanRow per plan item started by the next fiscal year, with its status in this and the next year.

    The seed's report for FY2018 lists the directions 「平成31年度以降の進め方」, i.e. items starting
    the year after; items of earlier years are kept while they have a status. Two queries. The
    rows' note numbers are unset: plan_notes numbers them.
    """
    statuses = PlanItemStatus.objects.filter(fiscal_year__in=[fiscal_year, fiscal_year + 1])
    items = PlanItem.objects.filter(from_fiscal_year__lte=fiscal_year + 1).prefetch_related(
        Prefetch("statuses", queryset=statuses, to_attr="near_statuses")
    )
    rows = []
    for item in items:
        by_year = {status.fiscal_year: status for status in item.near_statuses}
        rows.append(PlanRow(item=item, status=by_year.get(fiscal_year), next_status=by_year.get(fiscal_year + 1)))
    return rows


@dataclass(frozen=True)
class CommitteeReport:
    """What the printable committee report shows for one fiscal year (headings come from the template)."""

    fiscal_year: int
    summary: YearlySummary
    achievements: list  # Achievement (取組実績と成果)
    collaborations: list
    sessions_by_category: list  # (CategoryRow, SessionList)
    cases: list  # ApproachCase with .timeline, or ReportCase (committee_report's full_timelines)
    plan_rows: list  # PlanRow, with note numbers
    plan_notes: list  # the distinct status notes, each once (PlanRow.status_note is 1-based)
    reconciliation: Reconciliation

    @property
    def next_fiscal_year(self):
        return self.fiscal_year + 1

    @property
    def has_data(self):
        return self.summary.has_data or bool(self.collaborations) or bool(self.achievements)


def committee_report(*, fiscal_year, full_timelines=True):
    """Return the CommitteeReport of `fiscal_year` (about a dozen queries whatever the data size).

    With `full_timelines` (the Word and Excel files) the cases are ApproachCases with their whole
    `timeline`; without (the printed page) ReportCases with at most TIMELINE_SHOWN entries each.
    """
    summary = yearly_summary(fiscal_year=fiscal_year)
    rows, notes = plan_notes(plan_items_with_status(fiscal_year=fiscal_year))
    return CommitteeReport(
        fiscal_year=fiscal_year,
        summary=summary,
        achievements=achievements(fiscal_year=fiscal_year),
        collaborations=collaborations(fiscal_year=fiscal_year),
        sessions_by_category=sessions_by_category(fiscal_year=fiscal_year, summary=summary),
        cases=(cases_with_timelines if full_timelines else case_summaries)(fiscal_year=fiscal_year),
        plan_rows=rows,
        plan_notes=notes,
        reconciliation=reconciliation(fiscal_year=fiscal_year, summary=summary),
    )
