"""Cross-app roll-ups. Every figure a page shows comes from a function here."""

from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, Sum

from outreach.models import ApproachCase, CaseEvent
from partners.models import Collaboration, Ward
from portal.fiscal import fiscal_year_label
from portal.numbers import approximate
from trainings.models import Attendance, ReportedFigure, TrainingCategory, TrainingSession


@dataclass(frozen=True)
class CategoryRow:
    code: str
    name: str
    order: int
    is_itemised: bool
    sessions: int
    participants: int
    sessions_without_count: int


@dataclass(frozen=True)
class YearlySummary:
    fiscal_year: int
    label: str
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


UNCATEGORISED = ("—", "区分未設定", 10_000, False)


def latest_fiscal_year():
    """Return the newest fiscal year that has training sessions, or None when there are none."""
    return TrainingSession.objects.aggregate(fy=Max("fiscal_year"))["fy"]


def yearly_summary(*, fiscal_year):
    """Return the YearlySummary of `fiscal_year`: totals and one row per training category.

    Participants are the sum of the sessions' participant counts (attendance rows where a
    sheet was imported, otherwise the typed headcount); sessions whose count is unknown add
    nothing and are counted in `sessions_without_count`. Two queries whatever the data size.
    """
    per_category = (
        TrainingSession.objects.for_fiscal_year(fiscal_year)
        .with_participant_counts()
        .order_by()
        .values("category")
        .annotate(
            n_sessions=Count("pk"),
            n_participants=Sum("participant_count"),
            n_unknown=Count("pk", filter=Q(participant_count__isnull=True)),
        )
    )
    by_category = {row["category"]: row for row in per_category}
    categories = {c.pk: c for c in TrainingCategory.objects.filter(pk__in=[k for k in by_category if k])}

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
                sessions=row["n_sessions"],
                participants=row["n_participants"] or 0,
                sessions_without_count=row["n_unknown"],
            )
        )
    rows.sort(key=lambda r: (r.order, r.code))
    return YearlySummary(
        fiscal_year=fiscal_year,
        label=fiscal_year_label(fiscal_year),
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

    @property
    def reached(self):
        """A ward is reached when a session was held there or someone from it attended."""
        return self.sessions > 0 or self.attendees_from_ward > 0


def ward_breakdown(*, fiscal_year):
    """Return one WardRow per ward (all 18, in code order) for `fiscal_year`.

    `sessions`/`participants` count the sessions held in the ward; `attendees_from_ward`
    counts attendance rows whose ward is that ward. Three queries whatever the data size.
    """
    held = {
        row["ward"]: row
        for row in TrainingSession.objects.for_fiscal_year(fiscal_year)
        .filter(ward__isnull=False)
        .with_participant_counts()
        .order_by()
        .values("ward")
        .annotate(n_sessions=Count("pk"), n_participants=Sum("participant_count"))
    }
    attended = dict(
        Attendance.objects.for_fiscal_year(fiscal_year)
        .filter(ward__isnull=False)
        .order_by()
        .values("ward")
        .annotate(n=Count("pk"))
        .values_list("ward", "n")
    )
    return [
        WardRow(
            code=ward.code,
            name=ward.name,
            sessions=held.get(ward.pk, {}).get("n_sessions", 0),
            participants=held.get(ward.pk, {}).get("n_participants") or 0,
            attendees_from_ward=attended.get(ward.pk, 0),
        )
        for ward in Ward.objects.order_by("code")
    ]


def collaborations(*, fiscal_year):
    """Return the inter-bureau collaborations (局間連携) of `fiscal_year`, bureau loaded, in report order."""
    return list(
        Collaboration.objects.for_fiscal_year(fiscal_year).select_related("bureau").order_by("order", "bureau__order")
    )


def published_cases():
    """Return the published approach-support cases with ward and lead organisation loaded."""
    return list(
        ApproachCase.objects.published().select_related("ward", "lead_organization").order_by("ward__code", "title")
    )


# --- Public site roll-ups (issue 7). Aggregates only: nothing here returns attendee rows. ---


def public_fiscal_years():
    """Return the fiscal years the public site covers, newest first.

    A year is covered when it has training sessions, inter-bureau collaborations or a timeline
    entry of a published case. One query (a UNION) whatever the data size.
    """
    years = (
        TrainingSession.objects.order_by()
        .values_list("fiscal_year", flat=True)
        .union(
            Collaboration.objects.order_by().values_list("fiscal_year", flat=True),
            CaseEvent.objects.filter(case__is_published=True, fiscal_year__isnull=False)
            .order_by()
            .values_list("fiscal_year", flat=True),
        )
    )
    return sorted({fy for fy in years if fy is not None}, reverse=True)


def published_cases_for_fiscal_year(*, fiscal_year):
    """Return the published cases with a timeline entry in `fiscal_year`, ward loaded, in ward order."""
    return list(
        ApproachCase.objects.published()
        .filter(events__fiscal_year=fiscal_year)
        .select_related("ward")
        .distinct()
        .order_by("ward__code", "title")
    )


def search_published_cases(*, ward=None, theme="", scheme=None, status="", text=""):
    """Return the published cases matching every given filter, with ward, lead organisation and schemes loaded.

    `ward` and `scheme` are model instances (or None), `theme`/`status` choice values (or ""),
    `text` words that must each appear in the title, summary or district. Two queries.
    """
    cases = ApproachCase.objects.published().select_related("ward", "lead_organization").prefetch_related("schemes")
    if ward is not None:
        cases = cases.filter(ward=ward)
    if theme:
        cases = cases.filter(theme=theme)
    if scheme is not None:
        cases = cases.filter(schemes=scheme)
    if status:
        cases = cases.filter(status=status)
    if text:
        cases = cases.matching(text)
    return list(cases.distinct().order_by("ward__code", "title"))


def fiscal_year_data_notes(*, fiscal_year):
    """Return the distinct data notes of `fiscal_year`'s illustrative sessions (what in the records is an example)."""
    return list(
        TrainingSession.objects.for_fiscal_year(fiscal_year)
        .filter(is_illustrative=True)
        .exclude(data_note="")
        .order_by("data_note")
        .values_list("data_note", flat=True)
        .distinct()
    )


def reported_figures(*, fiscal_year):
    """Return `fiscal_year`'s published figures (ReportedFigure) as (total or None, {category code: figure})."""
    total, by_category = None, {}
    for figure in ReportedFigure.objects.for_fiscal_year(fiscal_year).select_related("category"):
        if figure.category_id is None:
            total = figure
        else:
            by_category[figure.category.code] = figure
    return total, by_category


def public_sessions(*, fiscal_year):
    """Return `fiscal_year`'s training sessions in date order with category, hosts and ward loaded.

    Each session carries `participant_count` (see TrainingSessionQuerySet.with_participant_counts).
    Attendance rows are counted, never loaded. One query.
    """
    return list(
        TrainingSession.objects.for_fiscal_year(fiscal_year)
        .with_participant_counts()
        .select_related("category", "host_bureau", "host_organization", "ward")
        .order_by("date", "title")
    )


def published_case_details():
    """Return the published cases with ward, lead and partner organisations, schemes and timeline loaded.

    Five queries whatever the number of cases. Staff-only fields (staff_note, organisations'
    contact details) are on the objects but the public pages and files never read them.
    """
    return list(
        ApproachCase.objects.published()
        .select_related("ward", "lead_organization")
        .prefetch_related("schemes", "partner_organizations", "events")
        .order_by("ward__code", "title")
    )
