"""Reading uploaded sheets: CSV (UTF-8 with or without BOM, CP932, UTF-16 text) and XLSX, into rows of cells.

Nothing here knows what the columns mean; trainings.importing.columns and the resources do. A file that cannot be
read raises SheetError with a Japanese message meant for the person who uploaded it.

Streamed: a file of any size is read without holding its text or its rows. The file's bytes come
from a Source (bytes in memory, or a file on disk read again for each pass); read_sheet() makes
one pass over the bytes (SHA-256 and the encoding, trainings.importing.encodings), one over the
CSV's records (the limits of trainings.importing.limits, checked on every record) to find the
header, and returns a Sheet whose `rows` are read again from the file each time they are
iterated (RowStream): the validation walks them once, row by row.
"""

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field

from trainings.importing.columns import column_letter  # noqa: F401 (kept importable from here)
from trainings.importing.encodings import ACCEPTED, UTF8_BOM, UTF16, EncodingError, decode_text, scan_text
from trainings.importing.plans import IssueList, RowIssue
from trainings.importing.sources import Source, as_source  # noqa: F401 (Source kept importable from here)
from trainings.importing.tables import HEADER_SEARCH_ROWS, find_header, first_rows_text, is_note_row
from trainings.importing.xlsx import HIDDEN, STRUCK, worksheet_rows

# Control characters never found in a text CSV saved from Excel: their presence means binary data.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CODEC = {UTF8_BOM: "utf-8-sig", UTF16: "utf-16"}


class SheetError(Exception):
    """The file as a whole cannot be imported; str(error) is the Japanese message."""


@dataclass
class Sheet:
    """A table read from a file: its header cells and its data rows with their line numbers.

    `rows` yields (row number as Excel shows it, cells); blank lines are already left out and
    every row has exactly as many cells as there are headers (cells outside the table are '').
    Read from a file, `rows` is a RowStream (read again on each iteration); built in code, a list.
    A workbook with several worksheets holding a table gives one Sheet whose `tables` lists one
    Sheet per worksheet (`parts`); the first one's headers and rows are also this Sheet's.
    """

    file_name: str
    sha256: str
    format: str  # "CSV" or "XLSX"
    encoding: str  # "UTF-8", "UTF-8（BOM 付き）", "CP932", "UTF-16（BOM 付き）" or "" for XLSX
    headers: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)
    sheet_name: str = ""  # the worksheet's name (XLSX)
    header_row: int = 1  # the (last) row of the header, as Excel numbers it
    tables: list = field(default_factory=list)  # the Sheet of each worksheet, when there are several
    skipped_sheets: list[tuple[str, str]] = field(default_factory=list)  # (worksheet, why it is not read)
    notes: list[str] = field(default_factory=list)  # what was read otherwise than one might expect
    excluded: list = field(default_factory=list)  # RowIssue of hidden, struck-through and note rows left out
    mappings: object = None  # the Remembered header mappings the sheet was read with (None: built-in names only)
    title_rows: list = field(default_factory=list)  # (row number, cells) above the header (title_block.py)

    @property
    def description(self):
        """Return e.g. 'CSV（CP932）' for messages."""
        return f"{self.format}（{self.encoding}）" if self.encoding else self.format

    @property
    def parts(self):
        """Return the tables to import: each worksheet's Sheet, or this one alone."""
        return self.tables or [self]

    @property
    def place(self):
        """Return 「名簿」シート for messages ('' for a CSV)."""
        return f"「{self.sheet_name}」シート" if self.sheet_name else ""

    def excluded_rows(self):
        """Return the RowIssues of the rows left out when reading (hidden, struck through, notes), every table.

        A streamed table knows them once its rows were read through (the validation does that).
        """
        issues = []
        for part in self.parts:
            issues.extend(part.rows.excluded if isinstance(part.rows, RowStream) else part.excluded)
        return issues


def decode_csv_bytes(data):
    """Return (text, encoding label) for text-sheet bytes (trainings.importing.encodings); SheetError otherwise."""
    try:
        return decode_text(data)
    except EncodingError as error:
        raise SheetError(str(error)) from None


def _trim(cells):
    """Return the cells without trailing empty ones."""
    end = len(cells)
    while end and (cells[end - 1] is None or cells[end - 1] == ""):
        end -= 1
    return cells[:end]


def _clean(raw):
    return _trim(["" if c is None else (c.strip() if isinstance(c, str) else c) for c in raw])


_EXCLUDED = {
    HIDDEN: "非表示の行なので取り込みません（取り込むには「非表示・取り消し線の行も取り込む」を選びます）。",
    STRUCK: "取り消し線の行なので取り込みません（取り込むには「非表示・取り消し線の行も取り込む」を選びます）。",
}
_NOTE_ROW = "注記の行なので取り込みません。"


def _table_of(first_rows, records, sheet_name, include_hidden, remembered=None):
    """Return (Sheet without file facts, None) for the table of a worksheet, or (None, why not).

    `first_rows` are the worksheet's first (row number, cells, flag) up to HEADER_SEARCH_ROWS;
    `records()` yields every (row number, cells, flag) of the worksheet from the start, again at
    each call: the Sheet's rows (a RowStream) are read from it whenever they are iterated.
    """
    first_rows = [(number, _clean(raw), flag) for number, raw, flag in first_rows]
    # A hidden row is not where a person sees the header.
    found = find_header([(n, cells) for n, cells, flag in first_rows if flag != HIDDEN or include_hidden], remembered)
    if found is None:
        searched = first_rows[-1][0] if first_rows else 0
        if not any(cells for _, cells, _ in first_rows):
            return None, "空のシートです。"
        return None, (
            f"見出し行が見つかりません（1〜{max(searched, 1)}行目を探しました。"
            f"最初の行: {first_rows_text([(n, cells) for n, cells, _ in first_rows])}）。"
            "「氏名」「開催日」「研修名」などの見出しの行を表の上に置いてください。"
        )
    sheet = Sheet("", "", "", "", found.headers, [], sheet_name, found.header_row)
    first_header_row = found.header_row - found.header_rows + 1
    sheet.title_rows = [(n, cells) for n, cells, _ in first_rows if n < first_header_row and cells]
    place = f"{sheet.place} " if sheet.place else ""
    if found.header_rows == 2:
        rows = f"{found.header_row - 1}〜{found.header_row}行目"
        headers = "、".join(f"「{h}」" for h in found.headers if h)
        sheet.notes.append(f"{place}{rows}の2行を見出しとして読みました（{headers}）。")
    elif found.header_row != 1:
        rows = f"{found.header_row}行目"
        sheet.notes.append(f"{place}{rows}を見出しとして読みました（それより上の行は読みません）。")
    if found.outside:
        sheet.notes.append(f"{place}表の外のセル {'、'.join(found.outside)} は読みません。")
    sheet.rows = RowStream(records, found, sheet_name, include_hidden)
    return sheet, None


class RowStream:
    """The data rows of one table, read again from the file at each iteration; no row is kept.

    Yields (row number, cells) as Sheet.rows does. Each complete iteration also leaves the number
    of rows (`len()`) and the rows left out (`excluded`: hidden, struck through, notes; the first
    IssueList.LIMIT of them kept, `excluded.total` counting all); asked before any iteration, they
    cost one. Indexing and comparison read the rows into a list (for tests of small sheets).
    """

    def __init__(self, records, table, sheet_name, include_hidden):
        self.records, self.table = records, table
        self.sheet_name, self.include_hidden = sheet_name, include_hidden
        self.width = len(table.headers)
        self._count = self._excluded = None
        self.first_line = self.last_line = None

    def __iter__(self):
        start, end, width, header_row = self.table.start, self.table.end, self.width, self.table.header_row
        include_hidden, sheet_name = self.include_hidden, self.sheet_name
        excluded = IssueList()
        count, first, last = 0, None, None
        for number, raw, flag in self.records():
            if number <= header_row:
                continue
            cells = _clean(raw[:end])
            if start:
                cells[:start] = [""] * min(start, len(cells))
            if not cells or (start and not any(c != "" for c in cells)):
                continue  # blank line
            if flag and not include_hidden:
                excluded.append(RowIssue(number, "", _shown(cells), _EXCLUDED[flag], "", sheet_name))
                continue
            if is_note_row(cells):
                excluded.append(RowIssue(number, "", _shown(cells), _NOTE_ROW, "", sheet_name))
                continue
            if len(cells) < width:
                cells += [""] * (width - len(cells))
            count += 1
            if first is None:
                first = number
            last = number
            yield number, cells
        self._count, self._excluded, self.first_line, self.last_line = count, excluded, first, last

    def _read_through(self):
        for _ in self:
            pass

    def __len__(self):
        if self._count is None:
            self._read_through()
        return self._count

    def __bool__(self):
        return any(True for _ in self)

    @property
    def excluded(self):
        if self._excluded is None:
            self._read_through()
        return self._excluded

    def __getitem__(self, index):
        return list(self)[index]

    def __eq__(self, other):
        return list(self) == list(other)

    __hash__ = None


def _shown(cells):
    return " ".join(str(c) for c in cells if c != "")


def _assemble(file_name, sha256, fmt, encoding, worksheets, include_hidden, sheet_name=None, remembered=None):
    """Return the Sheet of a file from its worksheets ((name, first rows, records) triples, see _table_of).

    Raises SheetError when none has a table.
    """
    tables, skipped = [], []
    names = []
    for name, first_rows, records in worksheets:
        names.append(name)
        if sheet_name is not None and name != sheet_name:
            skipped.append((name, "取り込むシートとして選ばれていません。"))
            continue
        table, reason = _table_of(first_rows, records, name, include_hidden, remembered)
        if table is None:
            skipped.append((name, reason))
        else:
            tables.append(table)
    if sheet_name is not None and sheet_name not in names:
        listed = "、".join(f"「{n}」" for n in names)
        raise SheetError(f"シート「{sheet_name}」はこのファイルにありません（シート: {listed}）。")
    if not tables:
        if len(skipped) == 1:
            _, reason = skipped[0]
            where = f"「{skipped[0][0]}」シート: " if skipped[0][0] else ""
            if reason == "空のシートです。" or not reason:
                raise SheetError("ファイルが空です。見出し行と出席者の行が必要です。")
            raise SheetError(f"{where}{reason}")
        listed = " ".join(f"「{name}」シート: {reason}" for name, reason in skipped)
        raise SheetError(f"表のあるシートがありません。{listed}")
    for table in tables:
        table.file_name, table.sha256, table.format, table.encoding = file_name, sha256, fmt, encoding
        table.mappings = remembered
    sheet = tables[0] if len(tables) == 1 else _combined_sheet(tables)
    sheet.mappings = remembered
    sheet.skipped_sheets = [(name, reason) for name, reason in skipped if name]
    return sheet


def _combined_sheet(tables):
    first = tables[0]
    sheet = Sheet(first.file_name, first.sha256, first.format, first.encoding, first.headers, first.rows)
    sheet.sheet_name, sheet.header_row, sheet.tables = first.sheet_name, first.header_row, tables
    sheet.title_rows = first.title_rows
    sheet.notes = [note for table in tables for note in table.notes]
    return sheet


def _csv_lines(source, encoding):
    """Return a text file over the source's bytes, decoded as it is read (lines with their line ends)."""
    codec = _CODEC.get(encoding, "cp932" if encoding == "CP932" else "utf-8")
    return io.TextIOWrapper(source.open(), encoding=codec, newline="")


def _csv_records(source, encoding, delimiter, check):
    """Yield (row number, cells, '') for each CSV record; `check(cells, line)` runs on each (the limits).

    Excel shows one row per record, whatever line breaks its cells hold (reader.line_num counts
    physical lines), and a blank line is a row too: rows are numbered by record.
    """
    with _csv_lines(source, encoding) as text:
        reader = csv.reader(text, delimiter=delimiter)
        row = 0
        try:
            for row, cells in enumerate(reader, start=1):  # noqa: B007 (row is read after the loop)
                check(cells, reader.line_num)
                yield row, cells, ""
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                from trainings.importing.limits import cell_too_long  # noqa: PLC0415 (limits imports this module)

                raise cell_too_long(reader.line_num + 1) from None
            raise SheetError(
                f"CSV の {row + 1} 行目（ファイルの {reader.line_num} 行目）を読めません"
                # csv's own detail is English and may quote a cell: the row number is enough.
                '（引用符 " の対応を確認してください）'
            ) from None


def _read_csv(source, file_name, sha256, encoding, include_hidden, remembered=None):
    from trainings.importing.limits import RecordLimits  # noqa: PLC0415 (limits imports this module)

    with _csv_lines(source, encoding) as text:
        first_line = text.readline()
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    # One pass over every record checks the limits (a line of a million commas, a 200 KB cell,
    # too many rows) before anything else reads the rows; the first rows are kept for the header.
    first_rows = []
    for number, cells, flag in _csv_records(source, encoding, delimiter, RecordLimits().check):
        if number <= HEADER_SEARCH_ROWS:
            first_rows.append((number, cells, flag))

    def records():
        return _csv_records(source, encoding, delimiter, _unchecked)

    return _assemble(
        file_name, sha256, "CSV", encoding, [("", first_rows, records)], include_hidden, remembered=remembered
    )


def _unchecked(cells, line):
    return None


def _xlsx_workbook(source):
    from openpyxl import load_workbook

    # openpyxl reports a damaged file in many ways (BadZipFile, KeyError, XML ParseError — a
    # SyntaxError —, IndexError for a workbook without sheets …): every one means "unreadable".
    try:
        return load_workbook(source.open(), read_only=True, data_only=True)
    except Exception as error:
        raise SheetError(
            f"XLSX ファイルとして読み込めません（壊れているか、途中までしかありません）。{ACCEPTED}を選んでください。"
        ) from error


def _xlsx_records(source, title):
    """Return records() for the worksheet `title`: each call opens the workbook and yields its rows."""

    def records():
        workbook = _xlsx_workbook(source)
        try:
            yield from worksheet_rows(workbook[title])
        except SheetError:
            raise
        except Exception as error:
            raise SheetError("XLSX ファイルの中身を読み込めません（壊れている可能性があります）。") from error
        finally:
            workbook.close()

    return records


def _read_xlsx(source, file_name, sha256, include_hidden, sheet_name, remembered=None):
    workbook = _xlsx_workbook(source)
    try:
        worksheets = []
        hidden = []
        for worksheet in workbook.worksheets:
            if worksheet.sheet_state != "visible" and sheet_name != worksheet.title:
                hidden.append((worksheet.title, "非表示のシートなので読みません。"))
                continue
            first_rows = []
            rows = worksheet_rows(worksheet)
            for record in rows:
                first_rows.append(record)
                if record[0] >= HEADER_SEARCH_ROWS:
                    break
            rows.close()
            worksheets.append((worksheet.title, first_rows, _xlsx_records(source, worksheet.title)))
        sheet = _assemble(file_name, sha256, "XLSX", "", worksheets, include_hidden, sheet_name, remembered)
        sheet.skipped_sheets += hidden
        return sheet
    except SheetError:
        raise
    except Exception as error:
        raise SheetError("XLSX ファイルの中身を読み込めません（壊れている可能性があります）。") from error
    finally:
        workbook.close()


def _hash_and_encoding(source, text):
    """Return (SHA-256, encoding label or '') of the source in one pass; the encoding only when `text`.

    Raises SheetError for text that is not in an accepted encoding or holds control characters.
    """
    digest = hashlib.sha256()

    def hashed():
        for block in source.blocks():
            digest.update(block)
            yield block

    blocks = hashed()  # one pass: the encoding is read from the same blocks as the hash
    encoding = ""
    if text:
        try:
            encoding, control = scan_text(blocks)
        except EncodingError as error:
            raise SheetError(str(error)) from None
        if control:
            raise SheetError(f"テキストの CSV ではないようです（制御文字を含みます）。{ACCEPTED}を選んでください。")
    for _ in blocks:  # the encoding may be told before the end: hash the rest
        pass
    return digest.hexdigest(), encoding


def read_sheet(data, file_name, *, sheet_name=None, include_hidden=False, mappings=None):
    """Return the Sheet in `data` (bytes, a path or a Source of a CSV or XLSX file); raise SheetError when unreadable.

    The format is told from the content, not the name: XLSX files are ZIP archives. Every
    worksheet with a table is read (the others are listed in `skipped_sheets`), or only
    `sheet_name` when given; hidden and struck-through XLSX rows are left out (listed in
    `excluded`) unless `include_hidden`. The Sheet's rows are read from `data` again each time
    they are iterated: a path must stay in place while the Sheet is used. `mappings` (a
    trainings.importing.remembered.Remembered, the columns staff chose for unknown headers) helps
    find the header and stays on the Sheet.
    """
    source = as_source(data)
    if not source.size:
        raise SheetError("ファイルが空です（0 バイト）。")
    from trainings.importing.limits import check_upload  # noqa: PLC0415 (limits imports SheetError from here)

    head = source.head()
    check_upload(source, records=False)  # hostile sizes are refused before any parser sees the file
    if head.startswith(b"PK\x03\x04"):
        sha256, _ = _hash_and_encoding(source, text=False)
        return _read_xlsx(source, file_name, sha256, include_hidden, sheet_name, mappings)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise SheetError(
            "古い Excel 形式（.xls）は読み込めません。Excel で「XLSX」か「CSV」形式で保存し直してください。"
        )
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        raise SheetError("XLSX ファイルとして読み込めません（壊れているか、途中までしかありません）。")
    sha256, encoding = _hash_and_encoding(source, text=True)
    return _read_csv(source, file_name, sha256, encoding, include_hidden, mappings)
