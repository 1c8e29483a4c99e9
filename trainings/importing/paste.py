"""Rows pasted from Excel into a session's attendance: the sheet import's own path, fed a TSV.

Excel copies a range as text: cells separated by tabs, rows by CRLF, a cell that holds a line
break, a tab or a quote written in double quotes. That text, with or without its header row,
goes unchanged (line ends aside) to the sheet import's highest-level entry points:
`sheets.read_sheet` (bytes → Sheet), `kinds.resource_for(PARTICIPANTS, session=…)` and
`resource.import_data(…)` (validation into an ImportPlan and, on save, the one-transaction write
of `services.import_sheet`). Nothing here reads cells itself, so a paste is refused, previewed,
saved, counted and undone exactly like a sheet file.

What this module adds is only what a paste lacks: the header row of the session sign-in sheet
when the pasted rows have none (columns in the documented order, `PASTE_COLUMNS`), and the
translation of the reader's line numbers into rows of the pasted grid with column letters
(A, B, …), so that an error names the cell the person sees in Excel.
"""

import csv
import hashlib
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from openpyxl.utils import get_column_letter

from trainings.importing import columns as cols
from trainings.importing.kinds import resource_for
from trainings.importing.sheets import SheetError, read_sheet
from trainings.models import SheetKind

# The columns of the session sign-in sheet, in the documented order (README, the import page).
PASTE_COLUMNS = cols.COLUMNS[SheetKind.PARTICIPANTS]
HEADER_ROW = 0  # the grid row of a header the paste did not have


class PasteError(Exception):
    """The pasted text as a whole cannot be read; str(error) is the Japanese message."""


@dataclass(frozen=True)
class PasteIssue:
    """A row error or skipped row, named as the person sees it: row of the pasted grid, column letter."""

    row: int
    column_letter: str
    column: str
    value: str
    reason: str

    @property
    def cell(self):
        """Return 'B3' (or '3行目' when the error is not about one column)."""
        return f"{self.column_letter}{self.row}" if self.column_letter else f"{self.row}行目"


@dataclass
class PastePreview:
    """What saving the paste would do (or did): the ImportPlan with errors and rows in grid terms."""

    plan: object  # trainings.importing.plans.ImportPlan
    has_header: bool
    data_rows: int  # pasted rows that are not the header
    digest: str  # SHA-256 of the pasted text, to confirm that what is saved is what was previewed
    errors: list[PasteIssue] = field(default_factory=list)
    skipped: list[PasteIssue] = field(default_factory=list)
    preview: list[tuple[int, list]] = field(default_factory=list)
    sheet_record: object = None  # the AttendanceSheet once saved

    @property
    def is_valid(self):
        return self.plan.is_valid

    @property
    def has_rows_to_save(self):
        return bool(self.plan.attendances)

    @property
    def error_rows(self):
        return len({issue.row for issue in self.errors})


def digest_of(text):
    """Return the SHA-256 (hex) of pasted text as it will be read (line ends normalised)."""
    return hashlib.sha256(_normalise(text).encode("utf-8")).hexdigest()


def _normalise(text):
    """Return the text with LF line ends and without the empty lines Excel leaves after the last row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def _records(text):
    """Return [(first physical line, last physical line, cells)] of the tab-separated text.

    Only to count rows and columns as Excel's grid has them (a quoted cell may span lines); the
    cells themselves are read by the sheet import.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t")
    records, last = [], 0
    try:
        for cells in reader:
            records.append((last + 1, reader.line_num, cells))
            last = reader.line_num
    except csv.Error:
        raise PasteError(
            f'貼り付けた内容の {last + 1} 行目を読めません（引用符 " の対応を確かめてください）。'
            "Excel でセルを選んでコピーし、そのまま貼り付けてください。"
        ) from None
    return records


def _is_header(cells):
    """Return True when the cells are a header row of some sheet kind (氏名, 開催日, 研修名 …)."""
    return cols.detect_kind([cell.strip() for cell in cells]) is not None


def _trimmed_width(cells):
    width = len(cells)
    while width and not cells[width - 1].strip():
        width -= 1
    return width


def _columns_text():
    return "、".join(column.label for column in PASTE_COLUMNS)


def prepare(text):
    """Return (TSV bytes for read_sheet, has_header, {reader line: grid row}, data rows).

    Raises PasteError for an empty paste, one over the upload limit, or rows without a header
    wider than the sign-in sheet's columns.
    """
    text = _normalise(text or "")
    if not text.strip():
        raise PasteError(
            "貼り付けた内容が空です。Excel で出席者の行（見出し行はあってもなくても構いません）を選んでコピーし、"
            "ここに貼り付けてください。"
        )
    records = _records(text)
    has_header = _is_header(records[0][2])
    if not has_header:
        widest = max(_trimmed_width(cells) for _, _, cells in records)
        if widest > len(PASTE_COLUMNS):
            raise PasteError(
                f"見出し行がなく、列が{widest}列あります。見出し行なしで貼り付けるときは、"
                f"{_columns_text()}の{len(PASTE_COLUMNS)}列をこの順に並べてください"
                "（順番が違うときは見出し行も一緒にコピーしてください）。"
            )
        text = "\t".join(column.label for column in PASTE_COLUMNS) + "\n" + text
    elif "\t" not in text.split("\n", 1)[0]:
        # A single pasted column: a trailing empty header cell (dropped by the reader) marks the text as TSV.
        text = text.replace("\n", "\t\n", 1) if "\n" in text else text + "\t"
    # Grid row of each record: as pasted (header = row 1), or 1 for the first pasted row when a
    # header was added in front. The reader numbers rows by record (a cell spanning lines is one
    # row, as Excel shows it), so the record number maps to the grid row.
    shift = 1 if not has_header else 0
    lines = {index + 1: index + 1 - shift for index in range(len(_records(text)))}
    data = text.encode("utf-8")
    if len(data) > settings.IMPORT_MAX_UPLOAD_BYTES:
        raise PasteError(
            f"貼り付けた内容が大きすぎます（{filesizeformat(len(data))}）。"
            f"{filesizeformat(settings.IMPORT_MAX_UPLOAD_BYTES)} までに分けて貼り付けてください。"
        )
    return data, has_header, lines, len(records) - (1 if has_header else 0)


# The sheet's name as recorded; the sheet itself shows its upload time beside it (Tokyo time),
# so the name does not repeat it: 「Excelから貼り付け（2026-11-28 16:52）」.
PASTE_NAME = "Excelから貼り付け"


def paste_name():
    """Return the file name a paste is recorded under (its upload time is shown beside it)."""
    return PASTE_NAME


def _letters(headers):
    """Return {header as written: column letter} of the sheet the reader built."""
    letters = {}
    for index, header in enumerate(headers):
        letters.setdefault(header, get_column_letter(index + 1))
    return letters


def _issues(issues, lines, letters):
    return [
        PasteIssue(
            row=lines.get(issue.line, issue.line),
            column_letter=letters.get(issue.column, ""),
            column=issue.column,
            value=issue.value,
            reason=issue.reason,
        )
        for issue in issues
    ]


def paste_attendance(text, session, *, user=None, save=False, use_roster_count=False):
    """Return the PastePreview of rows pasted for `session`; with `save`, also write them when valid.

    The same reader, validation and write as a sheet file (see the module docstring): with
    `save` everything is written in one transaction, or nothing (an invalid paste, or one that
    became invalid since the preview, is returned with its errors and writes nothing).
    `use_roster_count`: fewer pasted rows than the session's typed headcount replace it (as the
    sheet import's option); otherwise the rows are saved, the session's roster is marked
    partial and the headcount stays its participant count.
    Raises PasteError when the text cannot be read at all, or the database failed the write.
    """
    data, has_header, lines, data_rows = prepare(text)
    try:
        sheet = read_sheet(data, paste_name())
    except SheetError as error:
        raise PasteError(str(error)) from None
    resource = resource_for(SheetKind.PARTICIPANTS, session=session, use_roster_count=use_roster_count)
    result = resource.import_data(sheet, dry_run=not save, user=user)
    if result.save_error:
        # The database failed the write (rolled back, logged without names): say so, write nothing.
        raise PasteError(result.save_error)
    plan = result.plan
    letters = _letters(plan.sheet.headers)
    return PastePreview(
        plan=plan,
        has_header=has_header,
        data_rows=data_rows,
        digest=digest_of(text),
        errors=_issues(plan.errors, lines, letters),
        skipped=_issues(plan.skipped, lines, letters),
        preview=[(lines.get(line, line), cells) for line, cells in plan.preview],
        sheet_record=result.sheet_record,
    )
