"""This year's figures beside the previous year's: the rows and the rule for when to compare.

A difference is shown only against a year that has records of the same kind; against a year
without records the previous figure and the difference are None (shown as 「—」 and left empty in
the downloads), never a comparison with 0.
"""

from dataclasses import dataclass

from portal.selectors import YearTotals


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


@dataclass(frozen=True)
class ComparedRow:
    """A BreakdownRow of the year beside the same group's figures in the previous year.

    The previous figures are None when the previous year has no training records (nothing to
    compare with, so no difference either); the previous participants are also None when none
    of the group's sessions that year had a known count.
    """

    row: BreakdownRow
    previous_sessions: int | None
    previous_participants: int | None

    @property
    def previous_known(self):
        """False when the previous year has no records to compare with."""
        return self.previous_sessions is not None

    @property
    def sessions_difference(self):
        """Return this year's sessions minus the previous year's; None without a previous year."""
        if self.previous_sessions is None:
            return None
        return self.row.sessions - self.previous_sessions

    @property
    def participants_difference(self):
        """Return the difference of participants; None when either year's count is unknown."""
        if self.previous_participants is None or not self.row.participants_known:
            return None
        return self.row.participants - self.previous_participants


def _previous_participants(row):
    return row.participants if row.participants_known else None


def compare_rows(current, previous, *, previous_has_records=True):
    """Return ComparedRows: each row of `current` beside the row of `previous` with the same key.

    Groups present only in the previous year are added with zero this year, so that a group
    that disappeared still shows its drop. Without records in the previous year
    (`previous_has_records` False) every previous figure and difference is None, never 0.
    """
    if not previous_has_records:
        return [ComparedRow(row=row, previous_sessions=None, previous_participants=None) for row in current]
    previous_by_key = {row.key: row for row in previous}
    compared = [
        ComparedRow(
            row=row,
            previous_sessions=previous_by_key[row.key].sessions if row.key in previous_by_key else 0,
            previous_participants=_previous_participants(previous_by_key[row.key]) if row.key in previous_by_key else 0,
        )
        for row in current
    ]
    current_keys = {row.key for row in current}
    for row in previous:
        if row.key not in current_keys:
            empty = BreakdownRow(row.key, row.label, 0, 0, 0, "", 0 if row.attendees_from_ward is not None else None)
            compared.append(
                ComparedRow(
                    row=empty, previous_sessions=row.sessions, previous_participants=_previous_participants(row)
                )
            )
    return compared


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
    unknown_text: str = "名簿の取込なし"  # shown for a value or previous value that is None
    previous_recorded: bool = True  # False: the previous year has no records of this kind

    @property
    def difference(self):
        """Return value minus previous; None when either is unknown or the previous year has no records."""
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


def unique_participants_if_known(totals):
    """実人数 is known only where a sheet with names was imported."""
    return totals.unique_participants if totals.attendance_rows else None


def participants_if_known(totals):
    """延べ参加者数 is unknown (None) when no session of the year has a known count."""
    if totals.sessions and totals.sessions_without_count == totals.sessions:
        return None
    return totals.participants


def previous_year_records(previous: YearTotals):
    """Return which kinds of records the previous year has: {"trainings", "collaborations", "cases"} → bool.

    A kind without records is not compared with (no 0, no difference).
    """
    return {
        "trainings": previous.has_sessions,
        "collaborations": previous.bureaus_collaborated > 0,
        "cases": previous.cases_active > 0,
    }
