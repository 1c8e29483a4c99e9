import io

import pytest
from openpyxl import Workbook

from tests.trainings.conftest import data_file
from tests.trainings.importing.both_paths import via_admin, via_command
from trainings.importing.sheets import SheetError, read_sheet
from trainings.importing.tables import find_header
from trainings.models import Attendance


def run(path, client, clerk, name, data, *, session=None, admin_extra=None, command_args=()):
    """Import through the admin or the command; return the Outcome."""
    if path == "admin":
        client.force_login(clerk)
        kind = "participants" if session else "auto"
        return via_admin(client, name, data, kind=kind, session=session, extra=admin_extra)
    args = ["--kind", "participants", "--session", str(session.pk)] if session else []
    return via_command(name, data, *args, *command_args)


def test_the_header_is_found_under_a_title_block_and_two_rows_are_joined():
    sheet = read_sheet(data_file("title_block.xlsx"), "名簿.xlsx")
    assert (sheet.sheet_name, sheet.header_row) == ("名簿", 6)
    assert sheet.headers[:4] == ["No.", "氏名 › 漢字", "氏名 › ふりがな", "所属"]
    assert [line for line, _ in sheet.rows] == [8, 9, 12, 13]  # 10 hidden, 11 struck through, 7 a note


def test_a_header_in_csv_under_blank_lines_and_a_title():
    text = (
        "研修名：協働入門研修,,\r\n日時：令和元年5月20日,,\r\n,,\r\nNo.,氏名,所属,,※記入例は裏面\r\n1,髙橋 一郎,,,\r\n"
    )
    sheet = read_sheet(text.encode("cp932"), "名簿.csv")
    assert sheet.header_row == 4
    assert sheet.headers == ["No.", "氏名", "所属", "", ""]
    assert sheet.rows == [(5, ["1", "髙橋 一郎", "", "", ""])]
    assert "表の外のセル E列「※記入例は裏面」 は読みません。" in sheet.notes[-1]


def test_no_header_says_which_rows_were_searched_and_shows_the_first_rows():
    with pytest.raises(SheetError) as error:
        read_sheet("出席者一覧\r\n令和元年5月20日\r\n髙橋,中村\r\n".encode("cp932"), "名簿.csv")
    message = str(error.value)
    assert "見出し行が見つかりません（1〜3行目を探しました。" in message
    assert "1行目「出席者一覧」、2行目「令和元年5月20日」、3行目「髙橋 | 中村」" in message


def test_merged_parent_over_family_and_given_name_columns_is_one_header_each():
    found = find_header([(1, ["No.", "氏名", "", "所属"]), (2, ["", "漢字", "ふりがな", ""])])
    assert found.headers == ["No.", "氏名 › 漢字", "氏名 › ふりがな", "所属"]


@pytest.mark.parametrize("path", ["admin", "command"])
def test_a_sheet_as_a_ward_office_lays_it_out_imports_what_excel_shows(client, clerk, import_records, path):
    seminar = import_records["seminar"]
    outcome = run(path, client, clerk, "名簿.xlsx", data_file("title_block.xlsx"), session=seminar)
    assert outcome.imported, outcome.text
    rows = Attendance.objects.filter(session=seminar).order_by("row_number")
    assert list(rows.values_list("row_number", "name", "name_kana")) == [
        (8, "髙橋 一郎", "たかはし いちろう"),
        (9, "山田 ①子", "やまだ まるこ"),
        (12, "田中 三郎", "たなか さぶろう"),
    ]
    header = "「No.」、「氏名 › 漢字」、「氏名 › ふりがな」、「所属」"
    for said in [
        f"「名簿」シート 5〜6行目の2行を見出しとして読みました（{header}）。",
        "「名簿」シート 表の外のセル F列「※太枠内をご記入ください」 は読みません。",
        "「名簿」シート 10行目",
        "非表示の行なので取り込みません",
        "「名簿」シート 11行目",
        "取り消し線の行なので取り込みません",
        "「名簿」シート 7行目",
        "注記の行なので取り込みません。",
        "「名簿」シート 13行目",
    ]:
        assert said in outcome.text, said
    if path == "command":  # the rows left out are named by place only: their cells may hold names
        assert "佐藤" not in outcome.text and "鈴木" not in outcome.text


@pytest.mark.parametrize("path", ["admin", "command"])
def test_hidden_and_struck_rows_are_imported_when_included(client, clerk, import_records, path):
    seminar = import_records["seminar"]
    outcome = run(
        path,
        client,
        clerk,
        "名簿.xlsx",
        data_file("title_block.xlsx"),
        session=seminar,
        admin_extra={"include_hidden": "on"},
        command_args=["--include-hidden"],
    )
    assert outcome.imported, outcome.text
    assert Attendance.objects.filter(session=seminar).count() == 5


@pytest.mark.parametrize("path", ["admin", "command"])
def test_every_worksheet_of_a_multi_session_workbook_is_read_and_cover_sheets_are_named(
    client, clerk, import_records, path
):
    outcome = run(path, client, clerk, "名簿.xlsx", data_file("multi_sheet.xlsx"))
    assert outcome.imported, outcome.text
    assert Attendance.objects.filter(session=import_records["seminar"]).count() == 2
    assert Attendance.objects.filter(session=import_records["outreach"]).count() == 3
    assert "「5月20日」シート: 1行目までが見出しで、その下の2行を読みました。" in outcome.text
    assert "「6月10日」シート: 1行目までが見出しで、その下の3行を読みました。" in outcome.text
    assert "「表紙」シートは読みません: 見出し行が見つかりません" in outcome.text
    assert "「記入方法」シートは読みません" in outcome.text


@pytest.mark.parametrize("path", ["admin", "command"])
def test_one_session_import_of_a_workbook_with_two_rosters_asks_which_sheet(client, clerk, import_records, path):
    seminar = import_records["seminar"]
    outcome = run(path, client, clerk, "名簿.xlsx", data_file("two_rosters.xlsx"), session=seminar)
    assert not outcome.imported
    assert "名簿の表があるシートが2つあります（「午前」、「午後」）。" in outcome.text
    chosen = run(
        path,
        client,
        clerk,
        "名簿.xlsx",
        data_file("two_rosters.xlsx"),
        session=seminar,
        admin_extra={"sheet_name": "午後"},
        command_args=["--sheet", "午後"],
    )
    assert chosen.imported, chosen.text
    assert list(Attendance.objects.filter(session=seminar).values_list("name", flat=True)) == ["佐藤 花子"]
    assert "「午前」シートは読みません: 取り込むシートとして選ばれていません。" in chosen.text


def test_a_workbook_without_any_table_names_each_sheet():
    workbook = Workbook()
    workbook.active.title = "表紙"
    workbook.active["A1"] = "令和元年度 研修"
    workbook.create_sheet("メモ")["B2"] = "後で記入"
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(SheetError, match="表のあるシートがありません。「表紙」シート: 見出し行が見つかりません"):
        read_sheet(out.getvalue(), "名簿.xlsx")


def test_a_blank_line_above_the_header_is_not_read_as_a_header_row():
    # A CSV keeps the blank line as 「,,」: it is no parent row of a two-row header.
    text = "研修名,協働入門研修,\r\n開催日,2019/5/20,\r\n,,\r\nNo.,氏名,所属\r\n1,髙橋 一郎,\r\n"
    sheet = read_sheet(text.encode("cp932"), "名簿.csv")
    assert (sheet.header_row, sheet.headers) == (4, ["No.", "氏名", "所属"])
    assert sheet.notes == ["4行目を見出しとして読みました（それより上の行は読みません）。"]
