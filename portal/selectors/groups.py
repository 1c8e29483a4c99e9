"""The sessions of some fiscal years totalled by category, audience, host, month and ward in one query.

The dashboard shows each of these breakdowns for a year and the one before; asking the database
for each of them separately was a dozen scans of the year's sessions and as many queries. The
selectors of summary and breakdowns take a SessionGroups (`groups=`) and otherwise read their
own, for one year and their dimension only.
"""

from dataclasses import dataclass

from django.db.models import Case, F, Sum, Value, When
from django.db.models.functions import ExtractMonth

from trainings.models import TrainingSession

HOST_BUREAU = "bureau"
HOSTED_BY_ORGANIZATION = "organization"
HOST_UNKNOWN = "none"

# name -> (key, second key) of each breakdown.
DIMENSIONS = {
    "category": (F("category"), None),
    "audience": (F("audience"), None),
    "host": (
        Case(
            When(host_bureau__isnull=False, then=Value(HOST_BUREAU)),
            When(host_organization__isnull=False, then=Value(HOSTED_BY_ORGANIZATION)),
            default=Value(HOST_UNKNOWN),
        ),
        F("host_bureau"),
    ),
    "month": (ExtractMonth("date"), None),
    "ward": (F("ward"), None),
}

NO_FIGURES = (0, 0, 0)


@dataclass(frozen=True)
class SessionGroups:
    """Sessions, participants and sessions without a count per fiscal year, dimension and group."""

    fiscal_years: tuple
    dimensions: tuple
    # (dimension, fiscal year) -> {(key, key2): (sessions, participants, sessions without count)};
    # keys are text (ids as '12') or None. Participants are 0 where no count is known.
    figures: dict
    attendance_rows: dict  # fiscal year -> the attendance rows of its sessions

    def of(self, dimension, fiscal_year):
        """Return {(key, key2): (sessions, participants, sessions without count)} of one dimension and year."""
        if fiscal_year not in self.fiscal_years:
            raise ValueError(f"{fiscal_year} is not among the years read ({self.fiscal_years})")
        return self.figures.get((dimension, fiscal_year), {})

    def totals(self, fiscal_year):
        """Return (sessions, participants, sessions without count) of the whole year."""
        rows = self.of(self.dimensions[0], fiscal_year).values()  # every session is in one group of each
        return tuple(sum(row[i] for row in rows) for i in range(3))


def session_groups(*, fiscal_years, dimensions=tuple(DIMENSIONS)):
    """Return the SessionGroups of `fiscal_years` for `dimensions` (one query, a few rows per group)."""
    fiscal_years, dimensions = tuple(fiscal_years), tuple(dimensions)
    rows = TrainingSession.objects.filter(fiscal_year__in=fiscal_years).participant_totals_by_each(
        {name: DIMENSIONS[name] for name in dimensions}, attendance_rows=Sum("attendance_count")
    )
    figures, attendance_rows = {}, {}
    for row in rows:
        group = figures.setdefault((row["dimension"], row["fiscal_year"]), {})
        group[(row["key"], row["key2"])] = (row["sessions"], row["participants"] or 0, row["sessions_without_count"])
        if row["dimension"] == dimensions[0]:
            attendance_rows[row["fiscal_year"]] = attendance_rows.get(row["fiscal_year"], 0) + (
                row["attendance_rows"] or 0
            )
    return SessionGroups(fiscal_years, dimensions, figures, attendance_rows)


def as_id(key):
    """Return a group key read as a record id (None stays None)."""
    return None if key is None else int(key)
