"""A fiscal year's sessions and participants grouped by audience, host and month (figures and ids only)."""

from dataclasses import dataclass

from django.db.models import Case, Value, When
from django.db.models.functions import ExtractMonth

from trainings.models import Audience, TrainingSession


@dataclass(frozen=True)
class GroupFigures:
    """Sessions and participants of one group; `key` names the group, `ref`/`name` the record behind it."""

    key: str
    sessions: int
    participants: int
    sessions_without_count: int
    ref: int | None = None  # the host bureau's id
    name: str = ""  # the host bureau's name


def grouped_figures(queryset, *group_by):
    """Return {group values tuple: (sessions, participants, sessions without count)} of `queryset` (one query)."""
    return {
        tuple(row[g] for g in group_by): (row["sessions"], row["participants"] or 0, row["sessions_without_count"])
        for row in queryset.participant_totals_by(*group_by)
    }


def audience_figures(*, fiscal_year):
    """Return one GroupFigures per audience (対象), keyed by its value, every choice in order (one query)."""
    counts = grouped_figures(TrainingSession.objects.for_fiscal_year(fiscal_year), "audience")
    return [GroupFigures(audience.value, *counts.get((audience.value,), (0, 0, 0))) for audience in Audience]


HOST_BUREAU = "bureau"
HOSTED_BY_ORGANIZATION = "organization"
HOST_UNKNOWN = "none"


def host_figures(*, fiscal_year):
    """Return one GroupFigures per host of `fiscal_year`'s sessions (one query).

    Each host bureau is a group keyed `bureau-<id>` (with `ref` its id and `name` its name), in
    the bureaus' display order; then the sessions hosted by an organisation (a ward office, a
    care plaza…) keyed HOSTED_BY_ORGANIZATION, then those with no host keyed HOST_UNKNOWN.
    """
    counts = grouped_figures(
        TrainingSession.objects.for_fiscal_year(fiscal_year).annotate(
            host_kind=Case(
                When(host_bureau__isnull=False, then=Value(HOST_BUREAU)),
                When(host_organization__isnull=False, then=Value(HOSTED_BY_ORGANIZATION)),
                default=Value(HOST_UNKNOWN),
            )
        ),
        "host_kind",
        "host_bureau",
        "host_bureau__name",
        "host_bureau__order",
    )
    rows = []
    for (kind, bureau_id, name, order), figures in counts.items():
        if kind == HOST_BUREAU:
            rows.append(((0, order, name), GroupFigures(f"bureau-{bureau_id}", *figures, ref=bureau_id, name=name)))
        else:
            rows.append(((1 if kind == HOSTED_BY_ORGANIZATION else 2, 0, ""), GroupFigures(kind, *figures)))
    return [row for _, row in sorted(rows, key=lambda item: item[0])]


FISCAL_MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)


def month_figures(*, fiscal_year):
    """Return twelve GroupFigures, April to March, keyed 'YYYY-MM', for `fiscal_year` (one query)."""
    counts = grouped_figures(
        TrainingSession.objects.for_fiscal_year(fiscal_year).annotate(month=ExtractMonth("date")), "month"
    )
    return [
        GroupFigures(f"{fiscal_year if month >= 4 else fiscal_year + 1}-{month:02d}", *counts.get((month,), (0, 0, 0)))
        for month in FISCAL_MONTHS
    ]
