"""Blank sheets filled in the way a person does (openpyxl for XLSX; Excel's CSV re-save), then imported
through the admin upload and `manage.py import_attendance`, with no questions."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from tests.trainings.importing.both_paths import via_admin, via_command
from trainings.importing import blank_sheets
from trainings.importing import columns as cols
from trainings.importing.sheets import read_sheet
from trainings.models import Attendance, AttendanceSheet, SheetKind, TrainingSession

# What people write on a sign-in sheet: 氏名, ふりがな, 所属, 区, 役職, 備考 (No. is printed).
PEOPLE = [
    ("髙橋 一郎", "たかはし いちろう", "中村地域ケアプラザ", "南区", "生活支援コーディネーター", "初参加"),
    ("ﾀﾅｶ ｼﾞﾛｳ", "ﾀﾅｶ ｼﾞﾛｳ", "南区社会福祉協議会", "", "", ""),
    ("山田 花子", "", "ＮＰＯ法人まちの縁側", "港北区", "理事", "途中退席"),
]
# Rows of a 研修一覧: 開催日, 研修名, 研修名（よみ）, 日時, 区分, 主催, 対象, 区, 会場, 参加者数.
SESSIONS = [
    (
        datetime.date(2020, 6, 1),
        "まち普請事前相談会",
        "マチブシンジゼンソウダンカイ",
        "14:00～16:00",
        "出前塾",
        "市民局",
        "区局職員",
        "南区",
        "中村地域ケアプラザ",
        30,
    ),
    (datetime.date(2020, 11, 3), "地域まちづくり支援制度活用研修（秋）", "", "", "", "", "", "", "", None),
]
# The first two headers of a sign-in sheet and of a 研修一覧: where a person starts writing below.
HEADER_STARTS = [[c.label for c in cols.COLUMNS[kind][:2]] for kind in (SheetKind.PARTICIPANTS, SheetKind.SESSIONS)]


def _fill_xlsx(data, rows):
    """Return the workbook `data` with `rows` written under its header, as a person fills it in Excel."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    header_row = next(r for r in range(1, 30) if [sheet.cell(r, 1).value, sheet.cell(r, 2).value] in HEADER_STARTS)
    offset = 2 if sheet.cell(header_row, 1).value == "No." else 1  # No. is printed; names go from B
    for number, values in enumerate(rows, start=header_row + 1):
        for index, value in enumerate(values):
            sheet.cell(number, offset + index).value = value if value != "" else None
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill_csv(data, rows, encoding):
    """Return the CSV `data` with `rows` written under its header and saved as Excel saves a CSV:
    every line padded to the used range's width, CRLF, in `encoding` (cp932 for 「CSV（コンマ区切り）」,
    utf-8-sig for 「CSV UTF-8」)."""
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header_row = next(i for i, line in enumerate(lines) if line[:2] in HEADER_STARTS)
    numbered = lines[header_row][0] == "No."
    for offset, values in enumerate(rows, start=1):
        cells = [str(v) if v is not None else "" for v in values]
        if isinstance(values[0], datetime.date):
            cells[0] = f"{values[0].year}/{values[0].month}/{values[0].day}"  # as Excel writes a typed date
        if numbered:
            lines[header_row + offset] = [lines[header_row + offset][0], *cells]
        else:
            lines.append(cells)
    width = max(len(line) for line in lines)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(line + [""] * (width - len(line)) for line in lines)
    return buffer.getvalue().encode(encoding)


def _filled(session, fmt, rows=PEOPLE, encoding="cp932"):
    data = blank_sheets.file_bytes(blank_sheets.sign_in_sheet(session), fmt)[0]
    return _fill_xlsx(data, rows) if fmt == "xlsx" else _fill_csv(data, rows, encoding)


def _import(path, client, clerk, name, data):
    if path == "admin":
        client.force_login(clerk)
        return via_admin(client, name, data)  # 見出しから自動判定, no session chosen
    return via_command(name, data)  # no --kind, no --session


def _stored(session):
    return [
        (a.name, a.name_kana, a.organization_text, a.ward.name if a.ward_id else "", a.role, a.note)
        for a in Attendance.objects.filter(session=session).select_related("ward").order_by("row_number")
    ]


@pytest.mark.parametrize("path", ["admin", "command"])
@pytest.mark.parametrize(("fmt", "encoding"), [("xlsx", None), ("csv", "cp932"), ("csv", "utf-8-sig")])
def test_a_filled_sign_in_sheet_imports_without_questions(client, clerk, import_records, path, fmt, encoding):
    seminar = import_records["seminar"]
    outcome = _import(path, client, clerk, f"受付名簿.{fmt}", _filled(seminar, fmt, encoding=encoding))
    assert outcome.imported, outcome.text
    assert _stored(seminar) == PEOPLE  # exactly what was written, under the session of the title block
    assert "表の上（2行目・3行目）の「研修名」「開催日」から" in outcome.text
    assert str(seminar) in outcome.text
    assert "選んでください" not in outcome.text  # no question asked
    # The printed rows are where Excel shows the names (header at row 7): rows 8, 9, 10.
    first_row = blank_sheets.sign_in_sheet(seminar).header_row + 1
    rows = list(Attendance.objects.filter(session=seminar).order_by("row_number").values_list("row_number", flat=True))
    assert rows == list(range(first_row, first_row + len(PEOPLE)))


@pytest.mark.parametrize("path", ["admin", "command"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_filled_sessions_template_imports_as_a_sessions_list(client, clerk, import_records, path, fmt):
    data = blank_sheets.file_bytes(blank_sheets.sessions_sheet(2020), fmt)[0]
    filled = _fill_xlsx(data, SESSIONS) if fmt == "xlsx" else _fill_csv(data, SESSIONS, "cp932")
    outcome = _import(path, client, clerk, f"研修一覧.{fmt}", filled)
    assert outcome.imported, outcome.text
    assert "研修一覧" in outcome.text
    first = TrainingSession.objects.select_related("category", "host_bureau", "ward").get(date=SESSIONS[0][0])
    stored = (
        first.date,
        first.title,
        first.title_kana,
        f"{first.start_time:%H:%M}～{first.end_time:%H:%M}",
        first.category.name,
        first.host_bureau.name,
        first.get_audience_display(),
        first.ward.name,
        first.venue,
        first.headcount,
    )
    assert stored == SESSIONS[0]
    second = TrainingSession.objects.get(date=SESSIONS[1][0])
    assert second.title == SESSIONS[1][1]
    assert second.headcount is None  # an empty 参加者数 stays unknown, never 0
    assert (second.category_id, second.ward_id, second.start_time, second.venue) == (None, None, None, "")


@pytest.mark.parametrize(
    ("kind", "blank"),
    [
        (SheetKind.PARTICIPANTS, lambda s: blank_sheets.sign_in_sheet(s)),
        (SheetKind.SESSIONS, lambda s: blank_sheets.sessions_sheet(2019)),
    ],
)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_headers_are_exactly_those_the_import_reads(import_records, kind, blank, fmt):
    sheet = blank(import_records["seminar"])
    expected = [column.label for column in cols.COLUMNS[kind]]
    assert sheet.headers == expected
    read = read_sheet(blank_sheets.file_bytes(sheet, fmt)[0], f"ひな形.{fmt}")
    assert read.headers == expected and read.header_row == sheet.header_row
    assert cols.detect_sheet_kind(read) == kind
    positions, errors = cols.map_headers(read.headers, kind, lambda index: True)
    assert errors == []
    assert set(positions) == {column.key for column in cols.COLUMNS[kind]}


@pytest.mark.parametrize("path", ["admin", "command"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_empty_sign_in_sheet_is_refused_and_nothing_is_written(client, clerk, import_records, path, fmt):
    # Importing it would record a roster of 0 people: the wrong file was chosen, not a session nobody attended.
    data = blank_sheets.file_bytes(blank_sheets.sign_in_sheet(import_records["seminar"]), fmt)[0]
    outcome = _import(path, client, clerk, f"受付名簿.{fmt}", data)
    assert not outcome.imported
    assert "出席者の行がありません（番号だけの行は読み飛ばします）" in outcome.text
    assert not Attendance.objects.exists() and not AttendanceSheet.objects.exists()


@pytest.mark.parametrize("path", ["admin", "command"])
def test_an_empty_sessions_template_is_refused(client, clerk, import_records, path):
    data = blank_sheets.file_bytes(blank_sheets.sessions_sheet(2019), "xlsx")[0]
    before = TrainingSession.objects.count()
    outcome = _import(path, client, clerk, "研修一覧.xlsx", data)
    assert not outcome.imported
    assert "見出し行だけで、データの行がありません。" in outcome.text
    assert TrainingSession.objects.count() == before and not AttendanceSheet.objects.exists()


def test_the_title_block_gives_the_session_date_time_and_venue(make_session):
    session = make_session(
        title="区役所地区支援研修", date=datetime.date(2019, 5, 1), venue="栄区役所", start_time=datetime.time(14)
    )
    rows = blank_sheets.sign_in_sheet(session).title_rows
    assert rows[1] == [cols.TITLE.label, "区役所地区支援研修"]
    assert rows[2] == [cols.DATE.label, "2019年5月1日（水） 14:00～"]
    assert rows[3] == [cols.VENUE.label, "栄区役所"]
    assert rows[-1] == []  # a blank line above the header


def test_illustrative_values_are_not_written_as_facts(make_session):
    session = make_session(venue="南区役所（仮）", is_illustrative=True, illustrative_fields="date venue headcount")
    session.headcount = 120
    blank = blank_sheets.sign_in_sheet(session)
    assert blank.title_rows[3] == [cols.VENUE.label, ""]
    assert "例示" in blank.title_rows[2][2]
    assert len(blank.rows) == blank_sheets.SIGN_IN_ROWS  # an illustrative headcount does not size the sheet


def test_a_known_headcount_sizes_the_sheet(make_session):
    assert len(blank_sheets.sign_in_sheet(make_session(headcount=57)).rows) == 70
    assert len(blank_sheets.sign_in_sheet(make_session(headcount=None)).rows) == blank_sheets.SIGN_IN_ROWS


def test_the_workbook_prints_on_a4_with_the_header_on_every_page(make_session):
    blank = blank_sheets.sign_in_sheet(make_session())
    sheet = load_workbook(io.BytesIO(blank_sheets.xlsx_file(blank))).active
    row = blank.header_row
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4) and sheet.page_setup.orientation == "portrait"
    assert sheet.print_title_rows == f"${row}:${row}"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.freeze_panes == f"A{row + 1}"
    assert [sheet.cell(row + n, 1).value for n in (1, len(blank.rows))] == [1, len(blank.rows)]
    ward_lists = [v for v in sheet.data_validations.dataValidation if "南区" in v.formula1]
    assert len(ward_lists) == 1 and str(ward_lists[0].sqref) == f"E{row + 1}:E{row + len(blank.rows)}"


def test_the_csv_is_for_excel(make_session):
    data = blank_sheets.csv_file(blank_sheets.sign_in_sheet(make_session(title="=HYPERLINK(1)")))
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert "'=HYPERLINK(1)" in data.decode("utf-8-sig")  # stays text in Excel


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("title", ["-まち普請-説明会", "=まち普請説明会"])
def test_a_formula_like_title_still_names_its_session(client, clerk, import_records, fmt, title):
    # Written with a leading ' so that Excel keeps it text; read back without it.
    session = TrainingSession.objects.create(date=datetime.date(2019, 7, 1), title=title)
    outcome = _import("admin", client, clerk, f"受付名簿.{fmt}", _filled(session, fmt))
    assert outcome.imported, outcome.text
    assert Attendance.objects.filter(session=session).count() == len(PEOPLE)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("地域まちづくり/研修: 初級", "受付名簿_2019-05-20_地域まちづくり_研修_初級.xlsx"),
        ('a\\b*c?d"e<f>g|h\ti', "受付名簿_2019-05-20_a_b_c_d_e_f_g_h_i.xlsx"),
        ("...", "受付名簿_2019-05-20_研修.xlsx"),
    ],
)
def test_file_names_are_safe(title, expected):
    session = TrainingSession(date=datetime.date(2019, 5, 20), title=title)
    assert blank_sheets.sign_in_file_name(session, "xlsx") == expected


def test_a_long_title_is_cut_in_the_file_name():
    session = TrainingSession(date=datetime.date(2019, 5, 20), title="研" * 200)
    name = blank_sheets.sign_in_file_name(session, "csv")
    assert name == f"受付名簿_2019-05-20_{'研' * blank_sheets.MAX_TITLE_IN_NAME}.csv"
