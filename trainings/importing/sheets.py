"""Reading uploaded sheets: CSV (UTF-8 with or without BOM, CP932) and XLSX, into rows of cells.

Nothing here knows what the columns mean; trainings.importing.columns and the resources do. A file that cannot be
read raises SheetError with a Japanese message meant for the person who uploaded it.
"""

import csv
import datetime
import hashlib
import io
import re
from dataclasses import dataclass, field

ACCEPTED = "UTF-8（BOM 付き・なし）または Shift_JIS（CP932）の CSV、または Excel の XLSX ファイル"
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
    encoding: str  # "UTF-8", "UTF-8（BOM 付き）", "CP932" or "" for XLSX
    headers: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)

    @property
    def description(self):
        """Return e.g. 'CSV（CP932）' for messages."""
        return f"{self.format}（{self.encoding}）" if self.encoding else self.format


def decode_csv_bytes(data):
    """Return (text, encoding label) for CSV bytes: strict UTF-8 first, then CP932; SheetError otherwise.

    A file that is UTF-8 up to a broken character (for example cut in the middle of one) is
    refused rather than misread as CP932, which would silently produce mojibake.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8（BOM 付き）"
        except UnicodeDecodeError as error:
            raise _broken_utf8(data[3:], error) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SheetError(f"UTF-16 のファイルは読み込めません。{ACCEPTED}で保存してください。")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as error:
        utf8_error = error
    valid_prefix = data[: utf8_error.start].decode("utf-8")
    if sum(1 for ch in valid_prefix if ord(ch) > 0x7F) >= 3 or utf8_error.reason == "unexpected end of data":
        # Plenty of valid UTF-8 before the fault: this is a damaged UTF-8 file, not CP932.
        raise _broken_utf8(data, utf8_error)
    try:
        return data.decode("cp932"), "CP932"
    except UnicodeDecodeError:
        raise SheetError(f"文字コードを判別できません。{ACCEPTED}を選んでください。") from None


def _broken_utf8(data, error):
    line = data[: error.start].count(b"\n") + 1
    return SheetError(
        f"UTF-8 のファイルの {line} 行目に壊れた文字があります（途中で切れているか、"
        f"別の文字コードが混ざっています）。{ACCEPTED}で保存し直してください。"
    )


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
    try:
        # line_num is the physical line where a record ends: Excel's row number for normal sheets.
        records = [(reader.line_num, cells) for cells in reader]
    except csv.Error:
        raise SheetError(f'CSV の {reader.line_num} 行目を読めません（引用符 " の対応を確認してください）。') from None
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
    from trainings.importing.limits import check_upload  # noqa: PLC0415 (limits imports SheetError from here)

    check_upload(data)  # hostile sizes are refused before any parser sees the file
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
