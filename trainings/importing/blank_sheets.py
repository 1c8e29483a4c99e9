"""Blank sheets to fill in and import: a session's sign-in sheet (受付名簿) and a fiscal year's 研修一覧.

Each is offered as XLSX (openpyxl) and as CSV for Excel (core.spreadsheets: UTF-8 with a BOM and
CRLF, which Excel on Japanese Windows opens as UTF-8; CP932 could not hold every character of a
title, e.g. 𠮷). The header row is built from trainings.importing.columns, so it is exactly what
the import reads and cannot drift from it; the title block above it is what tables.find_header
passes over, and trainings.importing.title_block reads its 研修名 and 開催日 back to know the
session. No example data row is written (it would be imported): guidance is in the title block.
Unknown values stay empty, and a value marked illustrative (例示) is never written as a fact.
"""

import io
import re
from dataclasses import dataclass

from core.fiscal import fiscal_year_bounds, fiscal_year_label
from core.spreadsheets import csv_bytes, escape_formula
from partners.models import Ward
from trainings.importing import columns as cols
from trainings.models import Audience, SheetKind, TrainingCategory

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
FORMATS = ("xlsx", "csv")
# Numbered lines of a sign-in sheet: enough for a usual session, more when a larger headcount is known.
SIGN_IN_ROWS = 30
MAX_SIGN_IN_ROWS = 1000
# Rows of a 研修一覧 given the year's drop-down lists (区分, 対象, 区): a year has about 50 sessions.
SESSIONS_ROWS = 300
SIGN_IN_TITLE = "受付名簿"
SESSIONS_TITLE = "研修一覧"
WEEKDAYS = "月火水木金土日"
# Column widths in Excel's character units, by column key (others get DEFAULT_WIDTH).
WIDTHS = {
    "no": 6,
    "name": 20,
    "name_kana": 20,
    "organization": 28,
    "ward": 10,
    "role": 14,
    "note": 24,
    "date": 14,
    "title": 36,
    "title_kana": 24,
    "time": 14,
    "category": 22,
    "host": 16,
    "audience": 18,
    "venue": 24,
    "headcount": 10,
}
DEFAULT_WIDTH = 14
# Excel keeps a list drop-down's items in one formula of at most 255 characters.
MAX_LIST_FORMULA = 255


@dataclass
class BlankSheet:
    """What a blank sheet holds, format-free: the title block rows, the header and the numbered rows."""

    sheet_title: str  # the worksheet's name
    title_rows: list[list[str]]  # the rows above the header (the last one blank)
    headers: list[str]
    keys: list[str]  # the column key of each header
    rows: list[list]  # the rows to fill in ([1], [2] … for a sign-in sheet; none for a 研修一覧)
    landscape: bool = False
    lists: dict = None  # column key → the values offered in a drop-down (XLSX)
    list_rows: int = 0  # how many rows below the header the drop-downs cover

    @property
    def header_row(self):
        """Return the header's row number as Excel shows it."""
        return len(self.title_rows) + 1


def date_text(date):
    """Return a date as the title block shows it, e.g. '2019年5月20日（月）' (the portal's date, with the weekday)."""
    return f"{date.year}年{date.month}月{date.day}日（{WEEKDAYS[date.weekday()]}）"


def _time_text(session):
    if session.start_time is None or "start_time" in session.illustrative_field_names:
        return ""
    end = f"{session.end_time:%H:%M}" if session.end_time and "end_time" not in session.illustrative_field_names else ""
    return f"{session.start_time:%H:%M}～{end}"


def sign_in_rows(session):
    """Return how many numbered lines a session's sign-in sheet gets: SIGN_IN_ROWS, or the known headcount
    rounded up to ten plus ten (a headcount marked illustrative is not known)."""
    headcount = session.headcount if "headcount" not in session.illustrative_field_names else None
    if not headcount:
        return SIGN_IN_ROWS
    return min(MAX_SIGN_IN_ROWS, max(SIGN_IN_ROWS, -(-headcount // 10) * 10 + 10))


def sign_in_sheet(session, rows=None):
    """Return the BlankSheet of `session`'s sign-in sheet (1 query: the ward names for the 区 drop-down).

    Title block: 受付名簿, then 研修名, 開催日 (with the time when known) and 会場 as label/value pairs
    (an illustrative date is said to be one in the cell beside it; an illustrative venue is left
    blank), a guidance line and a blank line; then the one-session participant columns.
    """
    columns = cols.COLUMNS[SheetKind.PARTICIPANTS]
    illustrative = session.illustrative_field_names
    when = " ".join(t for t in (date_text(session.date), _time_text(session)) if t)
    date_row = [cols.DATE.label, when]
    if "date" in illustrative:
        date_row.append("※この開催日は例示です（記録に実際の日付がありません）。")
    venue = "" if "venue" in illustrative else session.venue
    header_row = 7
    title_rows = [
        [SIGN_IN_TITLE],
        [cols.TITLE.label, session.title],
        date_row,
        [cols.VENUE.label, venue],
        [
            f"※{cols.NAME.label}は必ず記入してください（空欄の行は読み飛ばします）。"
            f"{header_row}行目の見出しと上の研修名・開催日は変えずに、このまま取り込めます。"
        ],
        [],
    ]
    count = rows if rows is not None else sign_in_rows(session)
    return BlankSheet(
        sheet_title=SIGN_IN_TITLE,
        title_rows=title_rows,
        headers=[c.label for c in columns],
        keys=[c.key for c in columns],
        rows=[[number] for number in range(1, count + 1)],
        lists={"ward": _ward_names()},
        list_rows=count,
    )


def sessions_sheet(fiscal_year):
    """Return the BlankSheet of a fiscal year's 研修一覧: guidance in the title block, no data rows (2 queries)."""
    first, last = fiscal_year_bounds(fiscal_year)
    columns = cols.COLUMNS[SheetKind.SESSIONS]
    title_rows = [
        [f"{SESSIONS_TITLE}　{fiscal_year_label(fiscal_year)}"],
        [
            f"※1行に1研修を書きます。{cols.DATE.label}は {first.year}/{first.month}/{first.day} のように、"
            f"{date_text(first)}〜{date_text(last)}の日付を入れます。"
            f"{cols.TIME.label}には 14:00～16:00 のように時刻を書きます。"
        ],
        [
            f"※{cols.HEADCOUNT.label}が分からなければ空欄に（0 にはしません）。"
            f"{cols.CATEGORY.label}・{cols.HOST.label}・{cols.AUDIENCE.label}は登録済みの名前で書きます。"
            "見出しの行は変えないでください。"
        ],
        [],
    ]
    categories = list(TrainingCategory.objects.order_by("order", "code").values_list("name", flat=True))
    return BlankSheet(
        sheet_title=SESSIONS_TITLE,
        title_rows=title_rows,
        headers=[c.label for c in columns],
        keys=[c.key for c in columns],
        rows=[],
        landscape=True,
        lists={"category": categories, "audience": [label for _, label in Audience.choices], "ward": _ward_names()},
        list_rows=SESSIONS_ROWS,
    )


def _ward_names():
    return list(Ward.objects.order_by("code").values_list("name", flat=True))


def csv_file(blank):
    """Return the BlankSheet as CSV bytes for Excel (UTF-8 with BOM, CRLF; text cells formula-escaped)."""
    width = len(blank.headers)
    lines = [row + [""] * (width - len(row)) if len(row) < width else row for row in blank.title_rows]
    lines.append(blank.headers)
    lines.extend(row + [""] * (width - len(row)) for row in blank.rows)
    return csv_bytes(lines[0], lines[1:])


def xlsx_file(blank):
    """Return the BlankSheet as XLSX bytes: A4, the header repeated on every printed page, fit to the
    page's width, the header frozen, ruled cells to write in, drop-down lists where the values are known.
    """
    from openpyxl import Workbook  # noqa: PLC0415 (only the download needs it)
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = blank.sheet_title
    width = len(blank.headers)
    last_letter = get_column_letter(width)
    for row in blank.title_rows:
        sheet.append([escape_formula(cell) for cell in row])
    sheet["A1"].font = Font(size=14, bold=True)
    for number, row in enumerate(blank.title_rows, start=1):
        if len(row) >= 2:  # label / value: the label bold, the value across the table
            sheet.cell(number, 1).font = Font(bold=True)
            if len(row) == 2 and width > 2:
                sheet.merge_cells(f"B{number}:{last_letter}{number}")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_row = blank.header_row
    sheet.append(blank.headers)
    for index in range(1, width + 1):
        cell = sheet.cell(header_row, index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = border
    for row in blank.rows:
        sheet.append(row)
        number = sheet.max_row
        sheet.row_dimensions[number].height = 24  # room to write by hand
        for index in range(1, width + 1):
            sheet.cell(number, index).border = border
            sheet.cell(number, index).alignment = Alignment(vertical="center")
    for index, key in enumerate(blank.keys, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(key, DEFAULT_WIDTH)
    _add_lists(sheet, blank, DataValidation, get_column_letter)
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if blank.landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _add_lists(sheet, blank, data_validation, get_column_letter):
    """Offer the registered values of a column in a drop-down; other values may still be typed (a
    warning, not a refusal: the import says what it does not know, naming the row)."""
    first, last = blank.header_row + 1, blank.header_row + max(blank.list_rows, 1)
    for key, values in (blank.lists or {}).items():
        if key not in blank.keys:
            continue
        usable = [v for v in values if v and "," not in v and '"' not in v]
        formula = '"' + ",".join(usable) + '"'
        if not usable or len(formula) > MAX_LIST_FORMULA:
            continue
        validation = data_validation(type="list", formula1=formula, allow_blank=True, errorStyle="warning")
        validation.error = "一覧にない値です。登録済みの名前か確かめてください。"
        validation.errorTitle = "一覧にない値"
        letter = get_column_letter(blank.keys.index(key) + 1)
        validation.add(f"{letter}{first}:{letter}{last}")
        sheet.add_data_validation(validation)


# Characters Windows does not allow in a file name, control characters, and runs of spaces.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f\s]+')
MAX_TITLE_IN_NAME = 40


def safe_name_part(text, limit=MAX_TITLE_IN_NAME):
    """Return `text` usable in a file name on Windows and macOS: unsafe characters as '_', at most `limit` long."""
    cleaned = _UNSAFE.sub("_", text).strip("._ ")
    return cleaned[:limit].rstrip("._ ") or "研修"


def sign_in_file_name(session, fmt):
    """Return e.g. '受付名簿_2019-05-20_地域まちづくり研修.xlsx'."""
    return f"{SIGN_IN_TITLE}_{session.date:%Y-%m-%d}_{safe_name_part(session.title)}.{fmt}"


def sessions_file_name(fiscal_year, fmt):
    """Return e.g. '研修一覧_2019年度_ひな形.csv'."""
    return f"{SESSIONS_TITLE}_{fiscal_year}年度_ひな形.{fmt}"


def file_bytes(blank, fmt):
    """Return (bytes, content type) of a BlankSheet in `fmt` ('xlsx' or 'csv')."""
    if fmt == "csv":
        return csv_file(blank), CSV_TYPE
    return xlsx_file(blank), XLSX_TYPE
