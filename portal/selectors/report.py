"""What the committee report lists for a year: the narrative, sessions by category, case timelines, plan items."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q

from outreach.models import TIMELINE_ORDER, Achievement, ApproachCase, CaseEvent, PlanItem, PlanItemStatus
from portal.selectors.reconciliation import Reconciliation, reconciliation
from portal.selectors.summary import YearlySummary, collaborations, yearly_summary
from trainings.models import TrainingSession


@dataclass(frozen=True)
class ReportSession:
    """One line of the report's session list."""

    title: str
    date: object  # datetime.date
    participant_count: int | None


def sessions_by_category(*, fiscal_year, summary=None):
    """Return [(CategoryRow, [ReportSession, …]), …] of `fiscal_year` in report order.

    One query, three when `summary` (the yearly_summary of the year) is not given.

    Sessions are plain rows (title, date, participant_count), not model instances: a city-size
    year lists thousands. Categories come from yearly_summary so that headings and counts agree.
    """
    summary = summary or yearly_summary(fiscal_year=fiscal_year)
    sessions = (
        TrainingSession.objects.for_fiscal_year(fiscal_year)
        .with_participant_counts()
        .order_by("date", "title")
        .values_list("category_id", "title", "date", "participant_count")
    )
    by_category = {}
    for category_id, title, date, participants in sessions:
        by_category.setdefault(category_id, []).append(ReportSession(title, date, participants))
    return [(row, by_category.get(row.category_id, [])) for row in summary.categories]


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
    sessions_by_category: list  # (CategoryRow, [ReportSession])
    cases: list  # ApproachCase with .timeline
    plan_rows: list  # PlanRow, with note numbers
    plan_notes: list  # the distinct status notes, each once (PlanRow.status_note is 1-based)
    reconciliation: Reconciliation

    @property
    def next_fiscal_year(self):
        return self.fiscal_year + 1

    @property
    def has_data(self):
        return self.summary.has_data or bool(self.collaborations) or bool(self.achievements)


def committee_report(*, fiscal_year):
    """Return the CommitteeReport of `fiscal_year` (about a dozen queries whatever the data size)."""
    summary = yearly_summary(fiscal_year=fiscal_year)
    rows, notes = plan_notes(plan_items_with_status(fiscal_year=fiscal_year))
    return CommitteeReport(
        fiscal_year=fiscal_year,
        summary=summary,
        achievements=achievements(fiscal_year=fiscal_year),
        collaborations=collaborations(fiscal_year=fiscal_year),
        sessions_by_category=sessions_by_category(fiscal_year=fiscal_year, summary=summary),
        cases=cases_with_timelines(fiscal_year=fiscal_year),
        plan_rows=rows,
        plan_notes=notes,
        reconciliation=reconciliation(fiscal_year=fiscal_year, summary=summary),
    )
