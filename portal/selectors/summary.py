"""A fiscal year's summary: totals per training category and per ward, collaborations, headline figures."""

from dataclasses import dataclass, field

from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast

from core.admin.links import MAX_IDS_IN_LINK
from core.numbers import approximate
from outreach.models import CaseEvent, CaseStatus
from partners.models import Collaboration, Ward
from portal.selectors.groups import as_id, session_groups
from trainings.models import ReachTotal, TrainingCategory, TrainingSession
from trainings.reach import WHOLE_YEAR, Reach, ReachKind


@dataclass(frozen=True)
class CategoryRow:
    code: str
    name: str
    order: int
    is_itemised: bool
    sessions: int
    participants: int
    sessions_without_count: int
    category_id: int | None = None


@dataclass(frozen=True)
class YearlySummary:
    fiscal_year: int
    sessions: int
    participants: int
    sessions_without_count: int
    categories: list[CategoryRow] = field(default_factory=list)

    @property
    def participants_approximate(self):
        """Return the participant total as the reports round it (1,820 → 1,800)."""
        return approximate(self.participants)

    @property
    def has_data(self):
        return self.sessions > 0


# The row of sessions without a category: (code, name, order, itemised). It sorts last.
UNCATEGORISED = ("—", "区分未設定", 10_000, False)


def yearly_summary(*, fiscal_year, groups=None):
    """Return the YearlySummary of `fiscal_year`: totals and one row per training category.

    Participants are the sum of the sessions' participant counts (attendance rows where a
    sheet was imported, otherwise the typed headcount); sessions whose count is unknown add
    nothing and are counted in `sessions_without_count`. Two queries whatever the data size, one
    with `groups` (portal.selectors.groups.SessionGroups of the year and others).
    """
    groups = groups or session_groups(fiscal_years=[fiscal_year], dimensions=["category"])
    by_category = {
        as_id(key): {"sessions": sessions, "participants": participants, "sessions_without_count": without}
        for (key, _), (sessions, participants, without) in groups.of("category", fiscal_year).items()
    }
    categories = {c.pk: c for c in TrainingCategory.objects.all()}

    rows = []
    for category_id, row in by_category.items():
        category = categories.get(category_id)
        code, name, order, itemised = (
            (category.code, category.name, category.order, category.is_itemised) if category else UNCATEGORISED
        )
        rows.append(
            CategoryRow(
                code=code,
                name=name,
                order=order,
                is_itemised=itemised,
                sessions=row["sessions"],
                participants=row["participants"] or 0,
                sessions_without_count=row["sessions_without_count"],
                category_id=category_id,
            )
        )
    rows.sort(key=lambda r: (r.order, r.code))
    return YearlySummary(
        fiscal_year=fiscal_year,
        sessions=sum(r.sessions for r in rows),
        participants=sum(r.participants for r in rows),
        sessions_without_count=sum(r.sessions_without_count for r in rows),
        categories=rows,
    )


@dataclass(frozen=True)
class WardRow:
    code: str
    name: str
    sessions: int
    participants: int
    attendees_from_ward: int
    ward_id: int | None = None
    sessions_without_count: int = 0  # sessions held there whose count is unknown

    @property
    def reached(self):
        """A ward is reached when a session was held there or someone from it attended."""
        return self.sessions > 0 or self.attendees_from_ward > 0


@dataclass(frozen=True)
class AttendanceReach:
    """Whom a fiscal year's attendance rows reached, per ward."""

    rows_by_ward: dict  # ward id -> attendance rows whose ward is that ward


def attendance_reach(*, fiscal_year):
    """Return the AttendanceReach of `fiscal_year` (one query reading 18 rows, whatever the number of attendances)."""
    return attendance_reaches(fiscal_years=[fiscal_year])[fiscal_year]


def attendance_reaches(*, fiscal_years):
    """Return {fiscal year: AttendanceReach} of `fiscal_years` (one query, 18 rows a year).

    Read from the table the attendance triggers keep (trainings.reach) instead of grouping the
    years' 100,000 attendance rows each.
    """
    rows_by_ward = {fy: {} for fy in fiscal_years}
    reached = Reach.objects.filter(fiscal_year__in=fiscal_years, scope=WHOLE_YEAR, kind=ReachKind.WARD)
    for fy, value, rows in reached.values_list("fiscal_year", "value", "row_count"):
        rows_by_ward[fy][int(value)] = rows
    return {fy: AttendanceReach(rows_by_ward=wards) for fy, wards in rows_by_ward.items()}


def ward_breakdown(*, fiscal_year, reach=None, groups=None):
    """Return one WardRow per ward (all 18, in code order) for `fiscal_year`.

    `sessions`/`participants` count the sessions held in the ward; `attendees_from_ward`
    counts attendance rows whose ward is that ward (from `reach`, the year's AttendanceReach,
    when given). Three queries whatever the data size, one less with each of `reach` and
    `groups` (the year's SessionGroups).
    """
    reach = reach or attendance_reach(fiscal_year=fiscal_year)
    return ward_rows(held_in_wards(fiscal_year, groups), reach.rows_by_ward)


def held_in_wards(fiscal_year, groups=None):
    """Return {ward id: {"sessions", "participants", "sessions_without_count"}} of the sessions held in each ward."""
    groups = groups or session_groups(fiscal_years=[fiscal_year], dimensions=["ward"])
    return {
        as_id(key): {"sessions": sessions, "participants": participants, "sessions_without_count": without}
        for (key, _), (sessions, participants, without) in groups.of("ward", fiscal_year).items()
        if key is not None
    }


def ward_rows(held, attended):
    """Return one WardRow per ward (all 18, in code order; one query).

    `held`: {ward id: {"sessions", "participants", "sessions_without_count"}} of the sessions held
    in each ward; `attended`: {ward id: attendance rows whose ward is that ward}.
    """
    return [
        WardRow(
            code=ward.code,
            name=ward.name,
            sessions=held.get(ward.pk, {}).get("sessions", 0),
            participants=held.get(ward.pk, {}).get("participants") or 0,
            attendees_from_ward=attended.get(ward.pk, 0),
            ward_id=ward.pk,
            sessions_without_count=held[ward.pk]["sessions_without_count"] if ward.pk in held else 0,
        )
        for ward in Ward.objects.order_by("code")
    ]


def collaborations(*, fiscal_year):
    """Return the inter-bureau collaborations (局間連携) of `fiscal_year`, bureau loaded, in report order."""
    return list(
        Collaboration.objects.for_fiscal_year(fiscal_year).select_related("bureau").order_by("order", "bureau__order")
    )


@dataclass(frozen=True)
class YearTotals:
    """The headline figures of one fiscal year, with the ids of the records behind them (for links)."""

    fiscal_year: int
    sessions: int
    participants: int
    sessions_without_count: int
    attendance_rows: int
    unique_participants: int
    organizations_reached: int = 0
    organization_ids: tuple | None = ()  # None when more than MAX_IDS_IN_LINK (too many to link)
    ward_ids: tuple = ()
    bureau_ids: tuple = ()
    case_ids: tuple = ()
    cases_by_status: tuple = ()  # ((status value, label, count), …) in CaseStatus order

    @property
    def wards_reached(self):
        return len(self.ward_ids)

    @property
    def bureaus_collaborated(self):
        return len(self.bureau_ids)

    @property
    def cases_active(self):
        return len(self.case_ids)

    @property
    def has_sessions(self):
        return self.sessions > 0


def _organizations_reached(fiscal_years, attending):
    """Return {fiscal year: (registered organisations reached, their ids or None when over MAX_IDS_IN_LINK)}.

    The hosts of each year's sessions together with the organisations of its attendance rows;
    `attending` is {fiscal year: the trigger-kept count of the latter (ReachTotal)}. One query
    for the hosts (with whether their staff attended too), then one a year reading at most
    MAX_IDS_IN_LINK + 1 of the attending organisations (a city-size year has 2,000, whose ids no
    link can carry; reading them all cost 100 ms on a table the triggers update often).
    """
    attended = Reach.objects.filter(scope=WHOLE_YEAR, kind=ReachKind.ORGANIZATION)
    hosts = (
        TrainingSession.objects.filter(fiscal_year__in=fiscal_years, host_organization__isnull=False)
        .annotate(
            host_key=Cast("host_organization", CharField(max_length=320)),
            attended=Exists(attended.filter(fiscal_year=OuterRef("fiscal_year"), value=OuterRef("host_key"))),
        )
        .order_by()
        .values_list("fiscal_year", "host_organization", "attended")
        .distinct()
    )
    hosts_by_year = {}
    for fy, pk, was_attended in hosts:
        hosts_by_year.setdefault(fy, []).append((pk, was_attended))
    reached = {}
    for fy in fiscal_years:
        year_hosts = hosts_by_year.get(fy, [])
        count = attending.get(fy, 0) + sum(1 for _, was_attended in year_hosts if not was_attended)
        # Run whatever the count, so that a page's query count does not depend on the data.
        listed = attended.filter(fiscal_year=fy).values_list("value", flat=True)[: MAX_IDS_IN_LINK + 1]
        listed = {int(value) for value in listed}
        ids = None if count > MAX_IDS_IN_LINK else tuple(sorted(listed | {pk for pk, _ in year_hosts}))
        reached[fy] = (count, ids)
    return reached


def year_totals(*, fiscal_year, reach=None, groups=None):
    """Return the YearTotals of `fiscal_year` (see years_totals; eight queries, fewer with `reach` and `groups`)."""
    reaches = None if reach is None else {fiscal_year: reach}
    return years_totals(fiscal_years=[fiscal_year], reaches=reaches, groups=groups)[fiscal_year]


def years_totals(*, fiscal_years, reaches=None, groups=None):
    """Return {fiscal year: YearTotals} of `fiscal_years`.

    Six queries and one a year; one less with each of `reaches` ({fiscal year: AttendanceReach})
    and `groups` (the SessionGroups of these years):

    - participants (延べ): the sum of the sessions' participant counts (see yearly_summary);
    - unique participants (実人数): distinct named persons in the imported attendance rows
      (0 when no sheet with names was imported), kept per year by the attendance triggers
      (trainings.reach.ReachTotal) instead of a COUNT(DISTINCT) of the year's rows;
    - organisations reached: registered organisations that hosted a session of the year or
      whose staff appear in its attendance rows (their ids only when at most MAX_IDS_IN_LINK);
    - wards reached: wards where a session was held or from which someone attended (of 18);
    - bureaus collaborated with: bureaus with an inter-bureau collaboration (局間連携) that year;
    - approach cases active: cases with at least one timeline entry in the year, counted by
      their current status.
    """
    fiscal_years = list(fiscal_years)
    groups = groups or session_groups(fiscal_years=fiscal_years, dimensions=["ward"])
    reaches = reaches or attendance_reaches(fiscal_years=fiscal_years)
    reach_totals = {
        fy: (persons, organizations)
        for fy, persons, organizations in ReachTotal.objects.filter(
            fiscal_year__in=fiscal_years, scope=WHOLE_YEAR
        ).values_list("fiscal_year", "persons", "organizations")
    }
    organizations = _organizations_reached(fiscal_years, {fy: n for fy, (_, n) in reach_totals.items()})
    bureaus = {}
    for fy, bureau in Collaboration.objects.filter(fiscal_year__in=fiscal_years).values_list("fiscal_year", "bureau"):
        bureaus.setdefault(fy, set()).add(bureau)
    cases = {}
    active = CaseEvent.objects.filter(fiscal_year__in=fiscal_years).order_by()
    for fy, pk, status in active.values_list("fiscal_year", "case", "case__status").distinct():
        cases.setdefault(fy, {})[pk] = status
    totals = {}
    for fy in fiscal_years:
        session_count, participants, without_count = groups.totals(fy)
        # Wards: where a session was held, and the attendance rows' wards (AttendanceReach).
        held_in = {as_id(key) for key, _ in groups.of("ward", fy) if key is not None}
        ward_ids = held_in | set(reaches[fy].rows_by_ward)
        year_cases = cases.get(fy, {})
        status_counts = {}
        for status in year_cases.values():
            status_counts[status] = status_counts.get(status, 0) + 1
        organizations_reached, organization_ids = organizations[fy]
        totals[fy] = YearTotals(
            fiscal_year=fy,
            sessions=session_count,
            participants=participants,
            sessions_without_count=without_count,
            attendance_rows=groups.attendance_rows.get(fy, 0),
            unique_participants=reach_totals.get(fy, (0, 0))[0],
            organizations_reached=organizations_reached,
            organization_ids=organization_ids,
            ward_ids=tuple(sorted(ward_ids)),
            bureau_ids=tuple(sorted(bureaus.get(fy, ()))),
            case_ids=tuple(sorted(year_cases)),
            cases_by_status=tuple(
                (status.value, status.label, status_counts[status.value])
                for status in CaseStatus
                if status.value in status_counts
            ),
        )
    return totals
