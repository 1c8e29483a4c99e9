"""Bounds on what an uploaded sheet may make the server do, checked before the sheet is parsed.

A small hostile file must not take a worker down: a line of a million commas (every row would be
padded to its width), a cell of 200 KB, an XLSX declaring the range A1:XFD1048576 or holding one
cell far away (openpyxl pads rows to the declared or the farthest column), a zip bomb (a few KB
expanding to hundreds of MB of sheet XML). check_upload() refuses each with a Japanese message that
names the limit and says how to split the file; its work is bounded by the file's size (CSV: one
pass of the csv module keeping one record at a time; XLSX: the zip's directory, then the sheets'
XML decompressed chunk by chunk and scanned with regular expressions, never parsed into a tree).

Every limit is a setting (portal/settings.py, README "Configuration"):
IMPORT_MAX_UPLOAD_BYTES, IMPORT_MAX_ROWS, IMPORT_MAX_COLUMNS, IMPORT_MAX_CELL_CHARS,
IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES, IMPORT_MAX_XLSX_PARTS.
"""

import re
import struct
import zipfile

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from trainings.importing.encodings import EncodingError, scan_text
from trainings.importing.sheets import SheetError

# Decompressed XLSX XML is scanned in chunks of this size; the overlap keeps a tag cut by a
# chunk boundary whole in the next chunk.
CHUNK = 1 << 20
OVERLAP = 256
_EOCD = b"PK\x05\x06"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DIMENSION = re.compile(rb'<dimension\s+ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')
# A cell whose reference (written first, as Excel and openpyxl do) has two or more column
# letters (AA = column 27 onwards): rare in real sheets, so the scan is quick.
_WIDE_CELL = re.compile(rb'<c r="([A-Z]{2,})(\d*)"')
_ROW_INDEX = re.compile(rb'<row\s[^>]*?\br="(\d+)"')
# The slow way, for cells without a reference or with it after other attributes.
_ROW_OR_CELL = re.compile(rb"<row(?=[\s/>])|<c(?=[\s/>])([^>]*)")
_REFERENCE = re.compile(rb'\br="([A-Z]+)')


def limits():
    """Return the current limits as a dict (from settings, read at each call so tests can change them)."""
    return {
        "bytes": settings.IMPORT_MAX_UPLOAD_BYTES,
        "rows": settings.IMPORT_MAX_ROWS,
        "columns": settings.IMPORT_MAX_COLUMNS,
        "cell": settings.IMPORT_MAX_CELL_CHARS,
        "xml": settings.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES,
        "parts": settings.IMPORT_MAX_XLSX_PARTS,
    }


# --- messages -------------------------------------------------------------------------------


def too_large_message(size):
    """Return the message refusing a file of `size` bytes over IMPORT_MAX_UPLOAD_BYTES."""
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    return (
        f"ファイルが大きすぎます（{filesizeformat(size)}）。取り込めるのは {filesizeformat(limit)} まで"
        f"（設定 IMPORT_MAX_UPLOAD_MB）です。ファイルを分けてください"
        f"（Excel で行を分けて別々のファイルに保存し、1つずつ取り込めます）。"
    )


def _too_many_rows(count):
    cap = settings.IMPORT_MAX_ROWS
    return SheetError(
        f"行が多すぎます（{count:,}行以上）。1つのファイルで取り込めるのは {cap:,}行まで（設定 IMPORT_MAX_ROWS）です。"
        f"{cap:,}行ずつ別のファイルに分けて（どのファイルにも見出し行を付けて）取り込んでください。"
    )


def _too_many_columns(count, line=None):
    cap = settings.IMPORT_MAX_COLUMNS
    where = f"{line}行目に" if line else ""
    return SheetError(
        f"列が多すぎます（{where}{count:,}列）。取り込めるのは {cap:,}列まで（設定 IMPORT_MAX_COLUMNS）です。"
        "名簿の列（氏名・ふりがな・所属など）だけを残し、余分な列や区切り文字（,）を削除して保存し直してください。"
    )


def cell_too_long(line=None):
    """Return the SheetError refusing a cell over IMPORT_MAX_CELL_CHARS (at CSV line `line` when given)."""
    cap = settings.IMPORT_MAX_CELL_CHARS
    where = f"{line}行目に" if line else ""
    return SheetError(
        f"{where}長すぎるセルがあります。1つのセルは {cap:,}文字まで（設定 IMPORT_MAX_CELL_CHARS）です。"
        '引用符（"）の閉じ忘れで複数の行が1つのセルになっていないか確かめ、長い文章は短くするか別のファイルに分けてください。'
    )


def _xml_too_large(size):
    cap = settings.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES
    return SheetError(
        f"XLSX ファイルの中身が大きすぎます（展開すると {filesizeformat(size)}）。"
        f"展開後 {filesizeformat(cap)} まで（設定 IMPORT_MAX_XLSX_UNCOMPRESSED_MB）です。"
        "行を分けて複数のファイルに保存し、1つずつ取り込んでください。"
    )


# --- CSV ------------------------------------------------------------------------------------


class RecordLimits:
    """Checks each CSV record against the row, column and cell limits as the reader yields it."""

    def __init__(self):
        cap = limits()
        self.columns, self.cell, self.rows = cap["columns"], cap["cell"], cap["rows"]
        self.records = 0

    def check(self, cells, line):
        """Raise SheetError when the record `cells` (ending at file line `line`) exceeds a limit."""
        if len(cells) > self.columns:
            # Trailing empty cells (a row of separators) are what pads every row: count them too.
            raise _too_many_columns(len(cells), line)
        if cells and max(map(len, cells)) > self.cell:
            raise cell_too_long(line)
        if any(cells):
            self.records += 1
            if self.records > self.rows + 1:
                raise _too_many_rows(self.records - 1)


def check_csv(data):
    """Raise SheetError when a CSV exceeds the row, column or cell limits; return the number of records.

    One pass of Python's csv module (the reader's dialect), one record in memory at a time;
    `data` is bytes or a trainings.importing.sheets.Source. Text that is not in an accepted
    encoding or holds control characters is left to the reader's own Japanese messages.
    """
    from trainings.importing.sheets import _csv_lines, _csv_records, as_source  # noqa: PLC0415

    source = as_source(data)
    try:
        encoding, control = scan_text(source.blocks())
    except EncodingError:
        return 0
    if control:
        return 0
    with _csv_lines(source, encoding) as text:
        first_line = text.readline()
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    checker = RecordLimits()
    for _ in _csv_records(source, encoding, delimiter, checker.check):
        pass
    return checker.records


# --- XLSX -----------------------------------------------------------------------------------


def _column_number(letters):
    number = 0
    for letter in letters:
        number = number * 26 + (letter - 64)
    return number


def _directory_size(source):
    """Return (entries, directory bytes) from a zip's end record, or None when there is none."""
    with source.open() as file:
        file.seek(max(0, source.size - 65_557))
        data = file.read()
    at = data.rfind(_EOCD)
    if at < 0 or len(data) < at + 22:
        return None
    entries, size = struct.unpack("<HI", data[at + 10 : at + 16])
    return entries, size


def check_xlsx(data):
    """Raise SheetError when an XLSX exceeds the limits; return the total uncompressed size of its parts.

    Checked before openpyxl sees it: the number of parts and their declared sizes (zipfile never
    returns more than an entry declares), each worksheet's declared range (<dimension>), and, in
    its decompressed XML read chunk by chunk, the farthest row and column any cell names.
    Damaged archives are left to the reader's own message.
    """
    from trainings.importing.sheets import as_source  # noqa: PLC0415

    source = as_source(data)
    cap = limits()
    directory = _directory_size(source)
    if directory is None:
        return 0
    entries, size = directory
    if entries > cap["parts"] or size > cap["parts"] * 1024:
        raise SheetError(
            f"XLSX ファイルの構成が普通ではありません（中のファイルが {cap['parts']:,}個を超えます、"
            "設定 IMPORT_MAX_XLSX_PARTS）。Excel で開いて「XLSX」形式で保存し直してください。"
        )
    with source.open() as file:
        try:
            archive = zipfile.ZipFile(file)
            infos = archive.infolist()
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, struct.error):
            return 0
        total = sum(info.file_size for info in infos)
        if total > cap["xml"]:
            raise _xml_too_large(total)
        for info in infos:
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                _check_worksheet(archive, info, cap)
            elif info.filename == "xl/sharedStrings.xml":
                _check_strings(archive, info, cap)
    return total


def _chunks(archive, info, *, with_overlap=False):
    """Yield the decompressed XML of a part in overlapping chunks (with the overlap's length if asked).

    Yields nothing more once the part turns out damaged: the reader reports that in its own words.
    """
    try:
        with archive.open(info) as part:
            tail = b""
            while chunk := part.read(CHUNK):
                yield (tail + chunk, len(tail)) if with_overlap else tail + chunk
                tail = chunk[-OVERLAP:]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        return


def _check_dimension(head, cap):
    match = _DIMENSION.search(head)
    if not match:
        return
    for letters, digits in (match.group(1, 2), match.group(3, 4)):
        if letters and _column_number(letters) > cap["columns"]:
            raise _too_many_columns(_column_number(letters))
        if digits and int(digits) > cap["rows"] + 1:
            raise _too_many_rows(int(digits) - 1)


def _check_worksheet(archive, info, cap):
    cell_pattern = re.compile(rb"<(?:v|t)(?:\s[^>]*)?>[^<]{%d,}" % (cap["cell"] + 1))
    first = True
    cells = referenced = 0
    for chunk, overlap in _chunks(archive, info, with_overlap=True):
        if first:
            _check_dimension(chunk[:4096], cap)
            first = False
        for match in _WIDE_CELL.finditer(chunk):
            column = _column_number(match.group(1))
            if column > cap["columns"]:
                raise _too_many_columns(column, int(match.group(2)) if match.group(2) else None)
        for match in _ROW_INDEX.finditer(chunk):
            if int(match.group(1)) > cap["rows"] + 1:
                raise _too_many_rows(int(match.group(1)) - 1)
        _check_cells(cell_pattern, chunk)
        # Each occurrence counted once: those wholly inside the overlap were counted with the previous chunk.
        tail = chunk[:overlap]
        cells += _cell_count(chunk) - _cell_count(tail)
        referenced += chunk.count(b'<c r="') - tail.count(b'<c r="')
    if cells != referenced:
        # Some cell does not start with its reference (or has none): count each row's cells.
        _check_row_widths(archive, info, cap)


def _cell_count(data):
    return data.count(b"<c ") + data.count(b"<c>") + data.count(b"<c/>")


def _check_cells(pattern, chunk):
    for match in pattern.finditer(chunk):
        text = match.group(0)[match.group(0).index(b">") + 1 :]
        # The byte count over-counts multibyte characters: count characters before refusing.
        if len(text.decode("utf-8", "ignore")) > settings.IMPORT_MAX_CELL_CHARS:
            raise cell_too_long()


def _check_strings(archive, info, cap):
    pattern = re.compile(rb"<t(?:\s[^>]*)?>[^<]{%d,}" % (cap["cell"] + 1))
    for chunk in _chunks(archive, info):
        _check_cells(pattern, chunk)


def _check_row_widths(archive, info, cap):
    """Find each row's farthest cell the slow way, in a sheet whose cells do not all start with their reference."""
    width = 0
    rows = 0
    for chunk, overlap in _chunks(archive, info, with_overlap=True):
        for match in _ROW_OR_CELL.finditer(chunk):
            if match.end() < overlap:
                continue  # wholly inside the overlap: counted with the previous chunk
            if match.group(0).startswith(b"<row"):
                rows += 1
                width = 0
                continue
            reference = _REFERENCE.search(match.group(1) or b"")
            width = _column_number(reference.group(1)) if reference else width + 1
            if width > cap["columns"]:
                raise _too_many_columns(width)
        if rows > cap["rows"] + 1:
            raise _too_many_rows(rows - 1)


# --- entry ----------------------------------------------------------------------------------


def check_upload(data, *, records=True):
    """Raise SheetError when the bytes of an uploaded sheet exceed a limit; return None otherwise.

    `data` is bytes or a trainings.importing.sheets.Source. Called at the entry of reading
    (trainings.importing.sheets.read_sheet), before any parser sees the file, for the admin's
    upload and confirm and for `manage.py import_attendance` alike. `records=False` leaves a
    CSV's records to the caller, which checks them in its own pass (RecordLimits).
    """
    from trainings.importing.sheets import as_source  # noqa: PLC0415

    source = as_source(data)
    if source.size > settings.IMPORT_MAX_UPLOAD_BYTES:
        raise SheetError(too_large_message(source.size))
    head = source.head()
    if head.startswith(b"PK\x03\x04"):
        check_xlsx(source)
    elif records and not head.startswith(b"\xd0\xcf\x11\xe0"):
        check_csv(source)
