"""Validating rows: reading a kind's cells by column, recording each error with the header as written.

Shared by the resources of the three sheet kinds (participants.py, sessions.py). This is the
project's own row validation, run over the whole sheet at once with lookups loaded once into
dicts; it replaces import-export's per-row `import_row` (one query per row and per foreign key).
"""

import contextlib

from core.dates import parse_date
from partners.models import Ward
from trainings.importing.plans import RowIssue

PREVIEW_ROWS = 10


def text_of(value):
    """Return a cell as text as written: stripped, '' when empty; dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, str):
        # A leading ' that protects a formula character was added by our own export: drop it.
        if len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
            return value[1:]
        return value.strip()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def dates_in(sheet, index):
    """Return the set of valid dates in column `index` (to load the matching sessions in one query)."""
    dates = set()
    for _, cells in sheet.rows:
        with contextlib.suppress(ValueError):
            dates.add(parse_date(cells[index]))
    return dates


def ward_ids():
    wards = {}
    for pk, code, name in Ward.objects.values_list("pk", "code", "name"):
        wards[code] = pk
        wards[name.replace("ヶ", "ケ")] = pk
    return wards


class RowReader:
    """Reads one kind's cells from a row by column key, recording errors with the header as written."""

    def __init__(self, sheet, positions, plan):
        self.headers = sheet.headers
        self.positions = positions
        self.plan = plan

    def header(self, column):
        index = self.positions.get(column.key)
        return self.headers[index] if index is not None else column.label

    def text(self, cells, column, line):
        index = self.positions.get(column.key)
        if index is None:
            return ""
        value = text_of(cells[index])
        if column.max_length and len(value) > column.max_length:
            self.error(
                line, column, value, f"{column.label}は{column.max_length}文字以内にしてください（{len(value)}文字）。"
            )
        return value

    def error(self, line, column, value, reason):
        self.plan.errors.append(RowIssue(line, self.header(column), text_of(value), reason))
