"""Validating rows: reading a kind's cells by column, recording each error with the header as written.

Shared by the resources of the three sheet kinds (participants.py, sessions.py). This is the
project's own row validation, run over the whole sheet at once with lookups loaded once into
dicts; it replaces import-export's per-row `import_row` (one query per row and per foreign key).
"""

import contextlib
import operator

from core.dates import parse_date
from partners.models import Ward
from trainings.importing.columns import column_letter
from trainings.importing.normalize import is_total_row, ward_key
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


def any_filled(indexes):
    """Return a function of a row's cells telling whether any cell at `indexes` is filled (not '').

    Run on every row: the cells are picked and compared in C (itemgetter, tuple.count), not in a
    generator. A 0 or a date is filled: only the empty string counts as empty, as with `!= ""`.
    """
    count = len(indexes)
    if count == 0:
        return lambda cells: False
    if count == 1:
        (index,) = indexes
        return lambda cells: cells[index] != ""
    pick = operator.itemgetter(*indexes)
    return lambda cells: pick(cells).count("") != count


def ward_ids():
    wards = {}
    for pk, code, name in Ward.objects.values_list("pk", "code", "name"):
        wards[code] = pk
        wards[name.replace("ヶ", "ケ")] = pk
    return wards


WARD_HINT = "区名（南区・南）か団体コード（14105・141054）にしてください。"
WARD_HINT = "区名（南区・南）か団体コード（14105・141054）にしてください。"
TOTAL_REASON = "合計・小計の行なので取り込みません（人数は名簿の行から数えます）。"


def _could_be_total(key):
    """Return whether the naming cell of a row could hold a total (cheap test before the full one)."""
    if key is None or key == "" or isinstance(key, int | float):
        return True
    if not isinstance(key, str):
        return False
    key = key.strip()
    return not key or "計" in key or key.endswith(("名", "人")) or key[0].isdigit()


def total_row_text(cells, key_index):
    """Return the text of a total/subtotal row (合計, 小計, 「7名」 alone), or None for a record.

    `key_index` is the column that names a record (氏名, 研修名): a total row has it empty or
    holding the total, so ordinary rows are let through after one cheap test.
    """
    if key_index is not None and not _could_be_total(cells[key_index]):
        return None
    texts = [text_of(c) for c in cells]
    return " ".join(t for t in texts if t) if is_total_row(texts) else None


class RowReader:
    """Reads one kind's cells from a row by column key, recording errors with the header as written."""

    def __init__(self, sheet, positions, plan):
        self.headers = sheet.headers
        self.sheet_name = getattr(sheet, "sheet_name", "")
        self.positions = positions
        self.plan = plan

    def header(self, column):
        index = self.positions.get(column.key)
        return self.headers[index] if index is not None else column.label

    def text(self, cells, column, line):
        index = self.positions.get(column.key)
        if index is None:
            return ""
        value = cells[index]
        # text_of's common case inline (7 calls a row): text that no export of ours protected with '.
        value = value.strip() if value.__class__ is str and value[:1] != "'" else text_of(value)
        if column.max_length and len(value) > column.max_length:
            self.error(
                line, column, value, f"{column.label}は{column.max_length}文字以内にしてください（{len(value)}文字）。"
            )
        return value

    def letter(self, column):
        """Return the Excel column letter of `column` in this sheet ('' when the sheet lacks it)."""
        index = self.positions.get(column.key)
        return column_letter(index) if index is not None else ""

    def issue(self, line, column, value, reason):
        """Return a RowIssue at `line` and `column` (header as written, column letter, sheet name)."""
        return RowIssue(line, self.header(column), text_of(value), reason, self.letter(column), self.sheet_name)

    def skip_total(self, line, text):
        """List row `line` (a total row reading `text`) as skipped."""
        self.plan.skipped.append(RowIssue(line, "", text, TOTAL_REASON, "", self.sheet_name))

    def ward(self, cells, column, line, wards):
        """Return the ward id a cell names (None when blank), recording an error for an unknown ward."""
        text = self.text(cells, column, line)
        if not text:
            return None
        try:
            ward_id = wards.get(ward_key(text))
        except ValueError as error:
            self.error(line, column, text, str(error))
            return None
        if ward_id is None:
            self.error(line, column, text, f"区「{text}」は横浜市の18区にありません。{WARD_HINT}")
        return ward_id

    def error(self, line, column, value, reason):
        self.plan.errors.append(self.issue(line, column, value, reason))
