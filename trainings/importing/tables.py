"""Finding the table on a worksheet as offices lay it out: title block, blank lines and notes above
the header, a header of two rows (merged parent over its children), notes beside or below it.

The header is the row (or pair of rows) among the first HEADER_SEARCH_ROWS whose cells name the
most known columns (trainings.importing.columns); the table spans the header cells from the first
to the last block that names a known column, so a note to the right of the header, past an empty
column, is outside the table and ignored (and said so). Rows are read one by one after the header:
nothing above it is kept but the first rows shown when no header is found.
"""

from dataclasses import dataclass, field

from core.text import compact_key
from trainings.importing import columns as cols

HEADER_SEARCH_ROWS = 30
FIRST_ROWS_SHOWN = 5
_SUB_LABELS_SAME = cols.SUB_LABELS_SAME
_SUB_LABELS_KANA = cols.SUB_LABELS_KANA
SEPARATOR = cols.SEPARATOR


@dataclass
class Table:
    """Where a table lies on a worksheet: its header row(s), headers as written and its columns."""

    header_row: int  # the (last) header row, as Excel numbers it
    header_rows: int  # 1, or 2 for a two-row header
    headers: list[str]  # one per column from A, '' outside the table
    start: int  # first column of the table (0-based)
    end: int  # one past its last column
    outside: list[str] = field(default_factory=list)  # header cells outside the table, with their column


def _text(value):
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else str(value)


def _known(header, remembered=None):
    column = cols.column_for(header, remembered)
    return column if isinstance(column, cols.Column) else None


def _combined(parent_cells, child_cells):
    """Return the headers of a two-row header: each child under its (merged) parent, 「氏名 › ふりがな」.

    A merged parent cell is written in its first column only: it covers the columns to its right
    whose parent cell is empty and whose child cell is not.
    """
    width = max(len(parent_cells), len(child_cells))
    parents = [_text(c) for c in parent_cells] + [""] * (width - len(parent_cells))
    children = [_text(c) for c in child_cells] + [""] * (width - len(child_cells))
    headers, current = [], ""
    for parent, child in zip(parents, children, strict=True):
        if parent:
            current = parent
        elif not child:
            current = ""
        owner = parent or current
        if owner and child:
            headers.append(f"{owner}{SEPARATOR}{child}")
        else:
            headers.append(owner or child)
    return headers


def column_of_header(header, remembered=None):
    """Return the Column a header names, reading two-row headers 「氏名 › ふりがな」 (None if none).

    Built-in names first, then the mappings staff chose (`remembered`, for any kind).
    """
    return _known(header, remembered)


def _score(headers, remembered=None):
    """Return how well `headers` look like a table's header: (known columns, names a record)."""
    keys = [column.key for h in headers if (column := column_of_header(h, remembered)) is not None]
    records = {"name", "title", "date", "family_name"} & set(keys)
    return len(set(keys)), bool(records)


def _is_header(score):
    known, names_record = score
    return known >= 2 or (known >= 1 and names_record)


def _extent(headers, remembered=None):
    """Return (start, end, outside) of the table: header blocks from the first to the last naming a column."""
    blocks, start = [], None
    for index, header in enumerate([*headers, ""]):
        if header and start is None:
            start = index
        elif not header and start is not None:
            blocks.append((start, index))
            start = None
    known = [(a, b) for a, b in blocks if any(cols.column_for(headers[i], remembered) for i in range(a, b))]
    if not known:
        return 0, len(headers), []
    first, last = known[0][0], known[-1][1]
    outside = [
        f"{cols.column_letter(i)}列「{headers[i]}」"
        for i in range(len(headers))
        if headers[i] and not first <= i < last
    ]
    return first, last, outside


def find_header(first_rows, remembered=None):
    """Return the Table whose header is among `first_rows` ((row number, cells) pairs), or None.

    A two-row header is chosen over the single row above it when its second row names more
    columns (氏名 merged over 漢字 / ふりがな). Headers count as known by their built-in names and
    by the mappings staff chose (`remembered`, a trainings.importing.remembered.Remembered).
    """
    best, best_score = None, (0, False)
    for position, (row, cells) in enumerate(first_rows):
        single = [_text(c) for c in cells]
        score = _score(single, remembered)
        candidate = (row, 1, single)
        # A blank line above the header (a CSV keeps it, 「,,,,」) is no parent row of a two-row header.
        if any(single) and position + 1 < len(first_rows) and first_rows[position + 1][0] == row + 1:
            below = first_rows[position + 1][1]
            if any(_text(c) for c in below):
                double = _combined(cells, below)
                double_score = _score(double, remembered)
                sub_labels = _SUB_LABELS_SAME | _SUB_LABELS_KANA
                if double_score[0] > score[0] and any(
                    _known(_text(c), remembered) or compact_key(_text(c)) in sub_labels for c in below
                ):
                    score, candidate = double_score, (row + 1, 2, double)
        if _is_header(score) and score > best_score:
            best, best_score = candidate, score
    if best is None:
        return None
    row, header_rows, headers = best
    start, end, outside = _extent(headers, remembered)
    shown = [h if start <= i < end else "" for i, h in enumerate(headers)]
    return Table(row, header_rows, shown, start, end, outside)


def first_rows_text(first_rows, limit=FIRST_ROWS_SHOWN, width=12):
    """Return the first non-blank rows as read, for the message when no header is found."""
    shown = []
    for row, cells in first_rows:
        texts = [_text(c) for c in cells if _text(c)]
        if texts:
            cut = [t if len(t) <= width else t[:width] + "…" for t in texts[:4]]
            shown.append(f"{row}行目「{' | '.join(cut)}{' | …' if len(texts) > 4 else ''}」")
        if len(shown) >= limit:
            break
    return "、".join(shown) if shown else "（空白の行だけでした）"


def is_note_row(cells):
    """Return whether a row under the header is an instruction (「※ふりがなは必ず記入」), not a record."""
    # Run on every row: stop at the second filled cell (a record), reading each cell once.
    note = ""
    for cell in cells:
        if text := _text(cell):
            if note:
                return False
            note = text
    return note.startswith(("※", "＊", "*", "注）", "注:", "注：", "(注", "（注", "記入例"))
