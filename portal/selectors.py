"""Cross-app roll-ups. Every figure a page shows comes from a function here."""

from dataclasses import dataclass, field

from django.db.models import Case as DbCase
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, Sum, TextChoices, Value, When
from django.db.models.functions import ExtractMonth

from core.admin import links as admin_links
from core.fiscal import fiscal_year_era_label, fiscal_year_label
from core.numbers import approximate
from outreach.models import ApproachCase, CaseEvent, CaseStatus, PlanItem, PlanItemStatus
from partners.models import Collaboration, Ward
from portal.quality import data_quality
from trainings.models import Attendance, Audience, ReportedFigure, TrainingCategory, TrainingSession


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
                category_id=category_id,
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
    ward_id: int | None = None

    @property
    def reached(self):
        """A ward is reached when a session was held there or someone from it attended."""
        return self.sessions > 0 or self.attendees_from_ward > 0


@dataclass(frozen=True)
class AttendanceReach:
    """Whom a fiscal year's attendance rows reached: rows per ward, and the registered organisations."""

    rows_by_ward: dict  # ward id -> attendance rows whose ward is that ward
    organization_ids: frozenset  # registered organisations with at least one row


def attendance_reach(*, fiscal_year):
    """Return the AttendanceReach of `fiscal_year` (one query).

    The year's rows grouped by (organisation, ward): an index-only scan of
    attendance_fy_org_ward_idx that answers both the wards' attendees and the organisations
    reached, which the dashboard needs for two years of about 100,000 rows each at city scale.
    """
    rows_by_ward, organization_ids = {}, set()
    groups = (
        Attendance.objects.for_fiscal_year(fiscal_year)
        .order_by()
        .values("organization", "ward")
        .annotate(n=Count("*"))  # COUNT(*), not COUNT(id): the index answers alone
        .values_list("organization", "ward", "n")
    )
    for organization_id, ward_id, n in groups:
        if ward_id is not None:
            rows_by_ward[ward_id] = rows_by_ward.get(ward_id, 0) + n
        if organization_id is not None:
            organization_ids.add(organization_id)
    return AttendanceReach(rows_by_ward=rows_by_ward, organization_ids=frozenset(organization_ids))


def ward_breakdown(*, fiscal_year, reach=None):
    """Return one WardRow per ward (all 18, in code order) for `fiscal_year`.

    `sessions`/`participants` count the sessions held in the ward; `attendees_from_ward`
    counts attendance rows whose ward is that ward (from `reach`, the year's AttendanceReach,
    when given). Three queries whatever the data size, two with `reach`.
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
    attended = (reach or attendance_reach(fiscal_year=fiscal_year)).rows_by_ward
    return [
        WardRow(
            code=ward.code,
            name=ward.name,
            sessions=held.get(ward.pk, {}).get("n_sessions", 0),
            participants=held.get(ward.pk, {}).get("n_participants") or 0,
            attendees_from_ward=attended.get(ward.pk, 0),
            ward_id=ward.pk,
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
        # DISTINCT first: an index-only scan of the fiscal_year index rather than hashing every session.
        TrainingSession.objects.order_by()
        .values_list("fiscal_year", flat=True)
        .distinct()
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


# --- Fiscal-year dashboard and committee report -------------------------------------------------
# Everything below returns plain dataclasses with the figures already computed, so that the
# dashboard, the report and the exports show the same numbers. Each function runs a fixed
# number of queries whatever the size of the data.


def available_fiscal_years():
    """Return the fiscal years that have sessions, collaborations or published figures, newest first."""
    years = (
        # DISTINCT first: an index-only scan of the fiscal_year index rather than hashing every session.
        TrainingSession.objects.order_by()
        .values_list("fiscal_year", flat=True)
        .distinct()
        .union(
            Collaboration.objects.order_by().values_list("fiscal_year", flat=True),
            ReportedFigure.objects.order_by().values_list("fiscal_year", flat=True),
        )
    )
    return sorted({fy for fy in years if fy is not None}, reverse=True)


@dataclass(frozen=True)
class YearTotals:
    """The headline figures of one fiscal year, with the ids of the records behind them (for links)."""

    fiscal_year: int
    label: str
    sessions: int
    participants: int
    sessions_without_count: int
    attendance_rows: int
    unique_participants: int
    organization_ids: tuple = ()
    ward_ids: tuple = ()
    bureau_ids: tuple = ()
    case_ids: tuple = ()
    cases_by_status: tuple = ()  # ((status value, label, count), …) in CaseStatus order

    @property
    def organizations_reached(self):
        return len(self.organization_ids)

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


def year_totals(*, fiscal_year, reach=None):
    """Return the YearTotals of `fiscal_year` (six queries, five with `reach`, the year's AttendanceReach).

    - participants (延べ): the sum of the sessions' participant counts (see yearly_summary);
    - unique participants (実人数): distinct named persons in the imported attendance rows
      (0 when no sheet with names was imported);
    - organisations reached: registered organisations that hosted a session of the year or
      whose staff appear in its attendance rows;
    - wards reached: wards where a session was held or from which someone attended (of 18);
    - bureaus collaborated with: bureaus with an inter-bureau collaboration (局間連携) that year;
    - approach cases active: cases with at least one timeline entry in the year, counted by
      their current status.
    """
    totals = (
        TrainingSession.objects.for_fiscal_year(fiscal_year)
        .with_participant_counts()
        .aggregate(
            n_sessions=Count("pk"),
            n_participants=Sum("participant_count"),
            n_unknown=Count("pk", filter=Q(participant_count__isnull=True)),
            n_rows=Sum("attendance_count"),
        )
    )
    attendance = Attendance.objects.for_fiscal_year(fiscal_year)
    sessions = TrainingSession.objects.for_fiscal_year(fiscal_year)
    # Organisations: the hosts' ids and the attendance rows' (AttendanceReach). An EXISTS per
    # organisation made SQLite scan the year's sessions once for each of 2,000 (2.6 s).
    hosts = sessions.filter(host_organization__isnull=False).order_by().values_list("host_organization", flat=True)
    reach = reach or attendance_reach(fiscal_year=fiscal_year)
    organization_ids = set(hosts.distinct()) | reach.organization_ids
    # Wards stay an EXISTS each: 18 of them, and each stops at its first row.
    ward_ids = Ward.objects.filter(
        Exists(sessions.filter(ward=OuterRef("pk"))) | Exists(attendance.filter(ward=OuterRef("pk")))
    ).values_list("pk", flat=True)
    bureau_ids = Collaboration.objects.for_fiscal_year(fiscal_year).order_by().values_list("bureau", flat=True)
    cases = ApproachCase.objects.filter(
        Exists(CaseEvent.objects.filter(case=OuterRef("pk"), fiscal_year=fiscal_year))
    ).values_list("pk", "status")
    cases = list(cases)
    status_counts = {}
    for _, status in cases:
        status_counts[status] = status_counts.get(status, 0) + 1
    return YearTotals(
        fiscal_year=fiscal_year,
        label=fiscal_year_label(fiscal_year),
        sessions=totals["n_sessions"],
        participants=totals["n_participants"] or 0,
        sessions_without_count=totals["n_unknown"],
        attendance_rows=totals["n_rows"] or 0,
        unique_participants=attendance.unique_participant_count(),
        organization_ids=tuple(sorted(organization_ids)),
        ward_ids=tuple(sorted(ward_ids)),
        bureau_ids=tuple(sorted(set(bureau_ids))),
        case_ids=tuple(sorted(pk for pk, _ in cases)),
        cases_by_status=tuple(
            (status.value, status.label, status_counts[status.value])
            for status in CaseStatus
            if status.value in status_counts
        ),
    )


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


def total_rows(current, previous):
    """Return the TotalRows of YearTotals `current` beside `previous` (no query)."""
    fy = current.fiscal_year

    def unique(totals):
        return totals.unique_participants if totals.attendance_rows else None

    def ids_url(app_model, ids, **params):
        return admin_links.changelist_url(app_model, id__in=admin_links.ids_param(ids), **params)

    rows = [
        TotalRow("sessions", "研修等の回数", "回", current.sessions, previous.sessions, admin_links.sessions_url(fy)),
        TotalRow(
            "participants",
            "参加者数（延べ）",
            "人",
            current.participants,
            previous.participants,
            admin_links.sessions_url(fy),
        ),
        TotalRow(
            "sessions_without_count",
            "参加者数が不明の回数",
            "回",
            current.sessions_without_count,
            previous.sessions_without_count,
            admin_links.sessions_url(fy, headcount__isnull="True"),
        ),
        TotalRow(
            "attendance_rows",
            "出席者名簿の行数（延べ）",
            "行",
            current.attendance_rows,
            previous.attendance_rows,
            admin_links.changelist_url("trainings.attendance", session_fiscal_year=fy),
        ),
        TotalRow(
            "unique_participants",
            "実人数（名簿の氏名による）",
            "人",
            unique(current),
            unique(previous),
            admin_links.changelist_url("trainings.attendance", session_fiscal_year=fy),
        ),
        TotalRow(
            "organizations_reached",
            "到達した団体数",
            "団体",
            current.organizations_reached,
            previous.organizations_reached,
            ids_url("partners.organization", current.organization_ids),
        ),
        TotalRow(
            "wards_reached",
            "到達した区",
            "区",
            current.wards_reached,
            previous.wards_reached,
            ids_url("partners.ward", current.ward_ids),
            out_of=WARD_COUNT,
        ),
        TotalRow(
            "bureaus_collaborated",
            "連携した局（局間連携）",
            "局",
            current.bureaus_collaborated,
            previous.bureaus_collaborated,
            admin_links.changelist_url("partners.collaboration", fiscal_year=fy),
        ),
        TotalRow(
            "cases_active",
            "経過のあった事例",
            "件",
            current.cases_active,
            previous.cases_active,
            ids_url("outreach.approachcase", current.case_ids),
        ),
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


@dataclass(frozen=True)
class BreakdownRow:
    """Sessions and participants of one group (a category, an audience, a host, a ward, a month)."""

    key: str
    label: str
    sessions: int
    participants: int
    sessions_without_count: int
    admin_url: str = ""
    attendees_from_ward: int | None = None

    @property
    def participants_known(self):
        """False when no session of the group has a known participant count."""
        return self.sessions_without_count < self.sessions or self.sessions == 0


def _grouped_counts(queryset, *group_by):
    """Return {group values tuple: (sessions, participants, sessions without count)} in one query."""
    rows = (
        queryset.with_participant_counts()
        .order_by()
        .values(*group_by)
        .annotate(
            n_sessions=Count("pk"),
            n_participants=Sum("participant_count"),
            n_unknown=Count("pk", filter=Q(participant_count__isnull=True)),
        )
    )
    return {
        tuple(row[g] for g in group_by): (row["n_sessions"], row["n_participants"] or 0, row["n_unknown"])
        for row in rows
    }


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
            admin_url=admin_links.sessions_url(
                fiscal_year,
                **({"category__id__exact": row.category_id} if row.category_id else {"category__isnull": "True"}),
            ),
        )
        for row in summary.categories
    ]


def audience_breakdown(*, fiscal_year):
    """Return one BreakdownRow per audience (対象), all choices in their order, for `fiscal_year` (one query)."""
    counts = _grouped_counts(TrainingSession.objects.for_fiscal_year(fiscal_year), "audience")
    return [
        BreakdownRow(
            key=audience.value,
            label=audience.label,
            sessions=counts.get((audience.value,), (0, 0, 0))[0],
            participants=counts.get((audience.value,), (0, 0, 0))[1],
            sessions_without_count=counts.get((audience.value,), (0, 0, 0))[2],
            admin_url=admin_links.sessions_url(fiscal_year, audience__exact=audience.value),
        )
        for audience in Audience
    ]


HOSTED_BY_ORGANIZATION = ("organization", "区役所・団体の主催")
HOST_UNKNOWN = ("none", "主催の記録なし")


def host_breakdown(*, fiscal_year):
    """Return one BreakdownRow per host bureau of `fiscal_year`'s sessions (one query).

    Sessions hosted by an organisation (a ward office, a care plaza…) form one row, sessions with
    no host another; bureaus come in their display order.
    """
    counts = _grouped_counts(
        TrainingSession.objects.for_fiscal_year(fiscal_year).annotate(
            host_kind=DbCase(
                When(host_bureau__isnull=False, then=Value("bureau")),
                When(host_organization__isnull=False, then=Value(HOSTED_BY_ORGANIZATION[0])),
                default=Value(HOST_UNKNOWN[0]),
            )
        ),
        "host_kind",
        "host_bureau",
        "host_bureau__name",
        "host_bureau__order",
    )
    rows = []
    for (kind, bureau_id, name, order), (n, participants, unknown) in counts.items():
        if kind == "bureau":
            key, label, sort = f"bureau-{bureau_id}", name, (0, order, name)
            url = admin_links.sessions_url(fiscal_year, host_bureau__id__exact=bureau_id)
        elif kind == HOSTED_BY_ORGANIZATION[0]:
            key, label, sort = HOSTED_BY_ORGANIZATION[0], HOSTED_BY_ORGANIZATION[1], (1, 0, "")
            url = admin_links.sessions_url(fiscal_year, host_bureau__isnull="True", host_organization__isnull="False")
        else:
            key, label, sort = HOST_UNKNOWN[0], HOST_UNKNOWN[1], (2, 0, "")
            url = admin_links.sessions_url(fiscal_year, host_bureau__isnull="True", host_organization__isnull="True")
        rows.append((sort, BreakdownRow(key, label, n, participants, unknown, url)))
    return [row for _, row in sorted(rows, key=lambda item: item[0])]


FISCAL_MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)


def month_breakdown(*, fiscal_year):
    """Return twelve BreakdownRows, April to March, for `fiscal_year` (one query)."""
    counts = _grouped_counts(
        TrainingSession.objects.for_fiscal_year(fiscal_year).annotate(month=ExtractMonth("date")), "month"
    )
    rows = []
    for month in FISCAL_MONTHS:
        year = fiscal_year if month >= 4 else fiscal_year + 1
        n, participants, unknown = counts.get((month,), (0, 0, 0))
        rows.append(
            BreakdownRow(
                key=f"{year}-{month:02d}",
                label=f"{month}月",
                sessions=n,
                participants=participants,
                sessions_without_count=unknown,
                admin_url=admin_links.sessions_url(fiscal_year, date__year=year, date__month=month),
            )
        )
    return rows


def ward_rows(*, fiscal_year, reach=None):
    """Return ward_breakdown as BreakdownRows (all 18 wards), with attendees from each ward."""
    return [
        BreakdownRow(
            key=row.code,
            label=row.name,
            sessions=row.sessions,
            participants=row.participants,
            sessions_without_count=0,
            admin_url=admin_links.sessions_url(fiscal_year, ward__id__exact=row.ward_id),
            attendees_from_ward=row.attendees_from_ward,
        )
        for row in ward_breakdown(fiscal_year=fiscal_year, reach=reach)
    ]


@dataclass(frozen=True)
class ComparedRow:
    """A BreakdownRow of the year beside the same group's figures in the previous year."""

    row: BreakdownRow
    previous_sessions: int
    previous_participants: int

    @property
    def sessions_difference(self):
        return self.row.sessions - self.previous_sessions

    @property
    def participants_difference(self):
        return self.row.participants - self.previous_participants


def compare_rows(current, previous):
    """Return ComparedRows: each row of `current` beside the row of `previous` with the same key.

    Groups present only in the previous year are added with zero this year, so that a group
    that disappeared still shows its drop.
    """
    previous_by_key = {row.key: row for row in previous}
    compared = [
        ComparedRow(
            row=row,
            previous_sessions=previous_by_key[row.key].sessions if row.key in previous_by_key else 0,
            previous_participants=previous_by_key[row.key].participants if row.key in previous_by_key else 0,
        )
        for row in current
    ]
    current_keys = {row.key for row in current}
    for row in previous:
        if row.key not in current_keys:
            empty = BreakdownRow(row.key, row.label, 0, 0, 0, "", 0 if row.attendees_from_ward is not None else None)
            compared.append(
                ComparedRow(row=empty, previous_sessions=row.sessions, previous_participants=row.participants)
            )
    return compared


@dataclass(frozen=True)
class TrendRow:
    fiscal_year: int
    label: str
    sessions: int
    participants: int
    sessions_without_count: int
    published_sessions: int | None
    published_participants: int | None
    published_participants_approximate: bool = False
    admin_url: str = ""


def multi_year_trend(*, last_fiscal_year, years=5):
    """Return one TrendRow per fiscal year from `last_fiscal_year - years + 1` to `last_fiscal_year`.

    Years without sessions are included with zeros; published totals (ReportedFigure without a
    category) are given where they exist. Two queries.
    """
    first = last_fiscal_year - years + 1
    counts = _grouped_counts(
        TrainingSession.objects.filter(fiscal_year__range=(first, last_fiscal_year)), "fiscal_year"
    )
    published = {
        figure.fiscal_year: figure
        for figure in ReportedFigure.objects.filter(fiscal_year__range=(first, last_fiscal_year), category__isnull=True)
    }
    rows = []
    for fy in range(first, last_fiscal_year + 1):
        n, participants, unknown = counts.get((fy,), (0, 0, 0))
        figure = published.get(fy)
        rows.append(
            TrendRow(
                fiscal_year=fy,
                label=fiscal_year_label(fy),
                sessions=n,
                participants=participants,
                sessions_without_count=unknown,
                published_sessions=figure.sessions if figure else None,
                published_participants=figure.participants if figure else None,
                published_participants_approximate=figure.participants_approximate if figure else False,
                admin_url=admin_links.sessions_url(fy),
            )
        )
    return rows


class Match(TextChoices):
    EXACT = "exact", "一致"
    APPROXIMATE = "approximate", "概数で一致"
    DIFFERENT = "different", "差異あり"
    NOT_PUBLISHED = "not_published", "公表内訳なし"
    NOT_RECORDED = "not_recorded", "記録なし"


@dataclass(frozen=True)
class ReconciliationRow:
    """Recorded figures of a category (or of the year) beside the published ones."""

    key: str
    label: str
    recorded_sessions: int
    recorded_participants: int
    sessions_without_count: int
    published_sessions: int | None
    published_participants: int | None
    participants_approximate: bool
    admin_url: str = ""

    @property
    def is_published(self):
        return self.published_sessions is not None

    @property
    def sessions_difference(self):
        return None if not self.is_published else self.recorded_sessions - self.published_sessions

    @property
    def participants_difference(self):
        return None if not self.is_published else self.recorded_participants - self.published_participants

    @property
    def sessions_match(self):
        if not self.is_published:
            return Match.NOT_PUBLISHED
        return Match.EXACT if self.sessions_difference == 0 else Match.DIFFERENT

    @property
    def participants_match(self):
        """Exact when equal; for a published 約 figure, approximate when the recorded total rounds to it."""
        if not self.is_published:
            return Match.NOT_PUBLISHED
        if self.participants_difference == 0:
            return Match.EXACT
        if self.participants_approximate and approximate(self.recorded_participants) == self.published_participants:
            return Match.APPROXIMATE
        return Match.DIFFERENT

    @property
    def has_difference(self):
        return Match.DIFFERENT in (self.sessions_match, self.participants_match)


@dataclass(frozen=True)
class Reconciliation:
    fiscal_year: int
    label: str
    rows: list  # ReconciliationRow per category, published or recorded
    total: ReconciliationRow
    published_itemised_sessions: int  # the sum of the published category figures
    published_itemised_participants: int

    @property
    def has_published_figures(self):
        return self.total.is_published or any(row.is_published for row in self.rows)

    @property
    def sessions_not_itemised(self):
        """Return the published total's sessions left out of the published categories (None without a total)."""
        if not self.total.is_published:
            return None
        return self.total.published_sessions - self.published_itemised_sessions

    @property
    def itemised_sum_differs_from_total(self):
        """True when the published categories do not add up to the published total (the seed's 32 vs 48)."""
        if not self.total.is_published or not any(row.is_published for row in self.rows):
            return False
        return (
            self.published_itemised_sessions != self.total.published_sessions
            or self.published_itemised_participants != self.total.published_participants
        )


def reconciliation(*, fiscal_year, summary=None):
    """Return the Reconciliation of `fiscal_year`: recorded vs published (ReportedFigure) per category and total.

    One query plus yearly_summary's two when `summary` is not given.
    """
    summary = summary or yearly_summary(fiscal_year=fiscal_year)
    total_figure, published = reported_figures(fiscal_year=fiscal_year)

    rows = []
    recorded_codes = set()
    for category in summary.categories:
        recorded_codes.add(category.code)
        figure = published.get(category.code)
        rows.append(
            ReconciliationRow(
                key=category.code,
                label=f"{category.code} {category.name}",
                recorded_sessions=category.sessions,
                recorded_participants=category.participants,
                sessions_without_count=category.sessions_without_count,
                published_sessions=figure.sessions if figure else None,
                published_participants=figure.participants if figure else None,
                participants_approximate=figure.participants_approximate if figure else False,
                admin_url=admin_links.sessions_url(
                    fiscal_year,
                    **(
                        {"category__id__exact": category.category_id}
                        if category.category_id
                        else {"category__isnull": "True"}
                    ),
                ),
            )
        )
    for code, figure in published.items():
        if code not in recorded_codes:
            rows.append(
                ReconciliationRow(
                    key=code,
                    label=f"{code} {figure.category.name}",
                    recorded_sessions=0,
                    recorded_participants=0,
                    sessions_without_count=0,
                    published_sessions=figure.sessions,
                    published_participants=figure.participants,
                    participants_approximate=figure.participants_approximate,
                    admin_url=admin_links.sessions_url(fiscal_year, category__id__exact=figure.category_id),
                )
            )
    order = {category.code: category.order for category in summary.categories}
    order.update({code: figure.category.order for code, figure in published.items()})
    rows.sort(key=lambda row: (order.get(row.key, UNCATEGORISED[2]), row.key))
    total = ReconciliationRow(
        key="total",
        label="合計",
        recorded_sessions=summary.sessions,
        recorded_participants=summary.participants,
        sessions_without_count=summary.sessions_without_count,
        published_sessions=total_figure.sessions if total_figure else None,
        published_participants=total_figure.participants if total_figure else None,
        participants_approximate=total_figure.participants_approximate if total_figure else False,
        admin_url=admin_links.sessions_url(fiscal_year),
    )
    return Reconciliation(
        fiscal_year=fiscal_year,
        label=fiscal_year_label(fiscal_year),
        rows=rows,
        total=total,
        published_itemised_sessions=sum(figure.sessions for figure in published.values()),
        published_itemised_participants=sum(figure.participants for figure in published.values()),
    )


def reported_fiscal_years():
    """Return the fiscal years that have published figures (ReportedFigure rows), newest first."""
    return list(ReportedFigure.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).distinct())


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
    it, in date order; a case is listed when it has at least one entry up to that year.
    """
    timeline = CaseEvent.objects.filter(Q(fiscal_year__lte=fiscal_year) | Q(is_planned=True)).order_by(
        "sort_date", "pk"
    )
    return list(
        ApproachCase.objects.filter(Exists(CaseEvent.objects.filter(case=OuterRef("pk"), fiscal_year__lte=fiscal_year)))
        .select_related("ward", "lead_organization")
        .prefetch_related(Prefetch("events", queryset=timeline, to_attr="timeline"))
        .order_by("ward__code", "title")
    )


@dataclass(frozen=True)
class PlanRow:
    item: object  # PlanItem
    status: object  # PlanItemStatus of the fiscal year, or None
    next_status: object  # PlanItemStatus of the next fiscal year, or None


def plan_items_with_status(*, fiscal_year):
    """Return a PlanRow per plan item started by the next fiscal year, with its status in this and the next year.

    The seed's report for FY2018 lists the directions 「平成31年度以降の進め方」, i.e. items starting
    the year after; items of earlier years are kept while they have a status. Two queries.
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
    trend: list  # TrendRow
    reconciliation: Reconciliation
    quality: list  # portal.quality.QualityCheck

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

    A fixed number of queries (about forty) whatever the size of the data.
    """
    previous = fiscal_year - 1
    summary = yearly_summary(fiscal_year=fiscal_year)
    previous_summary = yearly_summary(fiscal_year=previous)
    # One scan of each year's attendance rows serves both the totals and the ward table.
    reach = attendance_reach(fiscal_year=fiscal_year)
    previous_reach = attendance_reach(fiscal_year=previous)
    return DashboardData(
        fiscal_year=fiscal_year,
        label=fiscal_year_label(fiscal_year),
        previous_label=fiscal_year_label(previous),
        summary=summary,
        totals=year_totals(fiscal_year=fiscal_year, reach=reach),
        previous_totals=year_totals(fiscal_year=previous, reach=previous_reach),
        categories=compare_rows(
            category_breakdown(fiscal_year=fiscal_year, summary=summary),
            category_breakdown(fiscal_year=previous, summary=previous_summary),
        ),
        audiences=compare_rows(audience_breakdown(fiscal_year=fiscal_year), audience_breakdown(fiscal_year=previous)),
        hosts=compare_rows(host_breakdown(fiscal_year=fiscal_year), host_breakdown(fiscal_year=previous)),
        wards=compare_rows(
            ward_rows(fiscal_year=fiscal_year, reach=reach), ward_rows(fiscal_year=previous, reach=previous_reach)
        ),
        months=compare_rows(
            month_breakdown(fiscal_year=fiscal_year), _shift_months(month_breakdown(fiscal_year=previous))
        ),
        collaborations=collaborations(fiscal_year=fiscal_year),
        trend=multi_year_trend(last_fiscal_year=fiscal_year),
        reconciliation=reconciliation(fiscal_year=fiscal_year, summary=summary),
        quality=data_quality(fiscal_year=fiscal_year),
    )


def _shift_months(rows):
    """Re-key the previous year's month rows (2017-04 → 2018-04) so that they pair with this year's months."""
    return [
        BreakdownRow(
            key=f"{int(row.key[:4]) + 1}{row.key[4:]}",
            label=row.label,
            sessions=row.sessions,
            participants=row.participants,
            sessions_without_count=row.sessions_without_count,
            admin_url=row.admin_url,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class CommitteeReport:
    """What the printable committee report shows for one fiscal year."""

    fiscal_year: int
    label: str
    summary: YearlySummary
    collaborations: list
    sessions_by_category: list  # (CategoryRow, [ReportSession])
    cases: list  # ApproachCase with .timeline
    plan_rows: list  # PlanRow
    reconciliation: Reconciliation

    @property
    def next_label(self):
        return fiscal_year_label(self.fiscal_year + 1)

    @property
    def era_label(self):
        """Return the year as the report heads it, e.g. '平成30年度'."""
        return fiscal_year_era_label(self.fiscal_year)

    @property
    def next_era_label(self):
        return fiscal_year_era_label(self.fiscal_year + 1)

    @property
    def has_data(self):
        return self.summary.has_data or bool(self.collaborations)


def committee_report(*, fiscal_year):
    """Return the CommitteeReport of `fiscal_year` (about a dozen queries whatever the data size)."""
    summary = yearly_summary(fiscal_year=fiscal_year)
    return CommitteeReport(
        fiscal_year=fiscal_year,
        label=fiscal_year_label(fiscal_year),
        summary=summary,
        collaborations=collaborations(fiscal_year=fiscal_year),
        sessions_by_category=sessions_by_category(fiscal_year=fiscal_year, summary=summary),
        cases=cases_with_timelines(fiscal_year=fiscal_year),
        plan_rows=plan_items_with_status(fiscal_year=fiscal_year),
        reconciliation=reconciliation(fiscal_year=fiscal_year, summary=summary),
    )
