"""Reading uploaded sheets: CSV (UTF-8 with or without BOM, CP932, UTF-16 text) and XLSX, into rows of cells.

Nothing here knows what the columns mean; trainings.importing.columns and the resources do. A file that cannot be
read raises SheetError with a Japanese message meant for the person who uploaded it.
"""

import csv
import datetime
import hashlib
import io
import re
from dataclasses import dataclass, field

from trainings.importing.encodings import ACCEPTED, EncodingError, decode_text

# Control characters never found in a text CSV saved from Excel: their presence means binary data.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class SheetError(Exception):
    """The file as a whole cannot be imported; str(error) is the Japanese message."""


@dataclass
class Sheet:
    """A table read from a file: its header cells and its data rows with their line numbers.

    `rows` holds (line number as Excel shows it, cells); blank lines are already left out and
    every row has exactly as many cells as there are headers.
    """

    file_name: str
    sha256: str
    format: str  # "CSV" or "XLSX"
    encoding: str  # "UTF-8", "UTF-8（BOM 付き）", "CP932", "UTF-16（BOM 付き）" or "" for XLSX
    headers: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)

    @property
    def description(self):
        """Return e.g. 'CSV（CP932）' for messages."""
        return f"{self.format}（{self.encoding}）" if self.encoding else self.format


def decode_csv_bytes(data):
    """Return (text, encoding label) for text-sheet bytes (trainings.importing.encodings); SheetError otherwise."""
    try:
        return decode_text(data)
    except EncodingError as error:
        raise SheetError(str(error)) from None


def column_letter(index):
    """Return the column letter Excel shows for the 0-based column `index` (0 → 'A', 27 → 'AB')."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _trim(cells):
    """Return the cells without trailing empty ones."""
    end = len(cells)
    while end and (cells[end - 1] is None or cells[end - 1] == ""):
        end -= 1
    return cells[:end]


def _table(file_name, sha256, fmt, encoding, records):
    """Build a Sheet from (line number, cells) records: first non-blank record is the header."""
    headers = None
    rows = []
    for line, raw in records:
        cells = _trim(["" if c is None else (c.strip() if isinstance(c, str) else c) for c in raw])
        if not cells:
            continue  # blank line
        if headers is None:
            headers = [str(c) for c in cells]
            continue
        rows.append((line, cells))
    if headers is None:
        raise SheetError("ファイルが空です。見出し行（1行目）と出席者の行が必要です。")
    width = max([len(headers)] + [len(cells) for _, cells in rows])
    headers = headers + [""] * (width - len(headers))
    rows = [(line, cells + [""] * (width - len(cells))) for line, cells in rows]
    return Sheet(file_name, sha256, fmt, encoding, headers, rows)


def _read_csv(data, file_name, sha256):
    text, encoding = decode_csv_bytes(data)
    if _CONTROL.search(text):
        raise SheetError(f"テキストの CSV ではないようです（制御文字を含みます）。{ACCEPTED}を選んでください。")
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = []
    try:
        # Excel shows one row per record, whatever line breaks its cells hold (reader.line_num
        # counts physical lines), and a blank line is a row too: rows are numbered by record.
        for row, cells in enumerate(reader, start=1):
            records.append((row, cells))
    except csv.Error as error:
        raise SheetError(
            f"CSV の {len(records) + 1} 行目（ファイルの {reader.line_num} 行目）を読めません"
            f'（引用符 " の対応を確認してください）: {error}'
        ) from None
    return _table(file_name, sha256, "CSV", encoding, records)


def _xlsx_cell(value):
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time() else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _read_xlsx(data, file_name, sha256):
    from openpyxl import load_workbook

    # openpyxl reports a damaged file in many ways (BadZipFile, KeyError, XML ParseError — a
    # SyntaxError —, IndexError for a workbook without sheets …): every one means "unreadable".
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise SheetError(
            f"XLSX ファイルとして読み込めません（壊れているか、途中までしかありません）。{ACCEPTED}を選んでください。"
        ) from error
    try:
        worksheet = workbook.worksheets[0]
        records = [
            (line, [_xlsx_cell(v) for v in values])
            for line, values in enumerate(worksheet.iter_rows(values_only=True), start=1)
        ]
    except Exception as error:
        raise SheetError("XLSX ファイルの中身を読み込めません（壊れている可能性があります）。") from error
    finally:
        workbook.close()
    return _table(file_name, sha256, "XLSX", "", records)


def read_sheet(data, file_name):
    """Return the Sheet in `data` (bytes of a CSV or XLSX file); raise SheetError when unreadable.

    The format is told from the content, not the name: XLSX files are ZIP archives.
    """
    if not data:
        raise SheetError("ファイルが空です（0 バイト）。")
    sha256 = hashlib.sha256(data).hexdigest()
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, file_name, sha256)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SheetError(
            "古い Excel 形式（.xls）は読み込めません。Excel で「XLSX」か「CSV」形式で保存し直してください。"
        )
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        raise SheetError("XLSX ファイルとして読み込めません（壊れているか、途中までしかありません）。")
    return _read_csv(data, file_name, sha256)
