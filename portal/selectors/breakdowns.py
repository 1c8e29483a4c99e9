"""A fiscal year's sessions and participants grouped by audience, host and month (figures and ids only)."""

from dataclasses import dataclass

from partners.models import Bureau
from portal.selectors.groups import (
    HOST_BUREAU,
    HOST_UNKNOWN,
    HOSTED_BY_ORGANIZATION,
    NO_FIGURES,
    as_id,
    session_groups,
)
from trainings.models import Audience

__all__ = [
    "HOSTED_BY_ORGANIZATION",
    "HOST_UNKNOWN",
    "GroupFigures",
    "audience_figures",
    "host_figures",
    "month_figures",
]


@dataclass(frozen=True)
class GroupFigures:
    """Sessions and participants of one group; `key` names the group, `ref`/`name` the record behind it."""

    key: str
    sessions: int
    participants: int
    sessions_without_count: int
    ref: int | None = None  # the host bureau's id
    name: str = ""  # the host bureau's name


def _groups(groups, dimension, fiscal_year):
    groups = groups or session_groups(fiscal_years=[fiscal_year], dimensions=[dimension])
    return groups.of(dimension, fiscal_year)


def audience_figures(*, fiscal_year, groups=None):
    """Return one GroupFigures per audience (対象), keyed by its value, every choice in order.

    One query, none with `groups` (the SessionGroups of the year and others).
    """
    counts = _groups(groups, "audience", fiscal_year)
    return [GroupFigures(audience.value, *counts.get((audience.value, None), NO_FIGURES)) for audience in Audience]


def host_figures(*, fiscal_year, groups=None):
    """Return one GroupFigures per host of `fiscal_year`'s sessions (two queries, one with `groups`).

    Each host bureau is a group keyed `bureau-<id>` (with `ref` its id and `name` its name), in
    the bureaus' display order; then the sessions hosted by an organisation (a ward office, a
    care plaza…) keyed HOSTED_BY_ORGANIZATION, then those with no host keyed HOST_UNKNOWN.
    """
    counts = _groups(groups, "host", fiscal_year)
    bureaus = {bureau.pk: bureau for bureau in Bureau.objects.only("pk", "name", "order")}
    rows = []
    for (kind, bureau_key), figures in counts.items():
        if kind == HOST_BUREAU:
            bureau = bureaus[as_id(bureau_key)]
            rows.append(
                (
                    (0, bureau.order, bureau.name),
                    GroupFigures(f"bureau-{bureau.pk}", *figures, ref=bureau.pk, name=bureau.name),
                )
            )
        else:
            rows.append(((1 if kind == HOSTED_BY_ORGANIZATION else 2, 0, ""), GroupFigures(kind, *figures)))
    return [row for _, row in sorted(rows, key=lambda item: item[0])]


FISCAL_MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)


def month_figures(*, fiscal_year, groups=None):
    """Return twelve GroupFigures, April to March, keyed 'YYYY-MM', for `fiscal_year`.

    One query, none with `groups`.
    """
    # The key is the month as text ('4'; some databases write a number as '4.0').
    counts = {int(float(key)): figures for (key, _), figures in _groups(groups, "month", fiscal_year).items()}
    return [
        GroupFigures(f"{fiscal_year if month >= 4 else fiscal_year + 1}-{month:02d}", *counts.get(month, NO_FIGURES))
        for month in FISCAL_MONTHS
    ]
