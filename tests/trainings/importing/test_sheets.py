import datetime

import pytest

from tests.trainings.conftest import data_file
from trainings.importing.sheets import SheetError, decode_csv_bytes, read_sheet

PARTICIPANT_HEADERS = ["No.", "氏名", "ふりがな", "所属", "区", "役職", "備考"]


@pytest.mark.parametrize(
    ("name", "description"),
    [
        ("participants_cp932.csv", "CSV（CP932）"),
        ("participants_utf8_bom.csv", "CSV（UTF-8（BOM 付き））"),
        ("participants.xlsx", "XLSX"),
    ],
)
def test_read_sheet_detects_the_format_and_keeps_names_as_written(name, description):
    sheet = read_sheet(data_file(name), name)
    assert sheet.description == description
    # Empty trailing columns are dropped; blank and numbered-empty lines are handled later.
    assert sheet.headers == PARTICIPANT_HEADERS
    names = [cells[1] for _, cells in sheet.rows]
    assert "髙橋 一郎" in names and "山田 ①子" in names
    # Line numbers are Excel's: the blank line 7 is skipped, 田中 stays on line 8.
    assert [line for line, _ in sheet.rows] == [2, 3, 4, 5, 6, 8]


def test_read_sheet_reads_plain_utf8_and_quoted_commas():
    sheet = read_sheet(data_file("participants_utf8.csv"), "participants_utf8.csv")
    assert sheet.encoding == "UTF-8"
    assert sheet.rows[-1][1][-1] == "備考, 引用符付き"


def test_xlsx_date_cells_become_dates():
    sheet = read_sheet(data_file("participants_multi.xlsx"), "participants_multi.xlsx")
    assert datetime.date(2019, 6, 10) in [cells[0] for _, cells in sheet.rows]


def test_same_bytes_give_the_same_hash():
    first = read_sheet(data_file("participants_cp932.csv"), "a.csv")
    again = read_sheet(data_file("participants_cp932.csv"), "renamed.csv")
    assert first.sha256 == again.sha256 and len(first.sha256) == 64


def test_cp932_is_never_read_as_utf8_and_back():
    text, encoding = decode_csv_bytes("氏名,所属\r\n髙橋,ケアプラザ①\r\n".encode("cp932"))
    assert encoding == "CP932"
    assert "髙橋" in text and "①" in text


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "ファイルが空です"),
        ("blank_lines_only.csv", "ファイルが空です"),
        ("garbage.csv", "文字コードを判別できません。UTF-8（BOM 付き・なし）または Shift_JIS（CP932）"),
        ("truncated_utf8.csv", "UTF-8 のファイルの 2 行目に壊れた文字があります"),
        ("utf16_truncated.txt", "UTF-16 のファイルが途中で切れているか壊れています"),
        ("broken.xlsx", "XLSX ファイルとして読み込めません"),
        ("old_excel.xls", "古い Excel 形式（.xls）は読み込めません"),
    ],
)
def test_unreadable_files_are_refused_in_japanese(name, message):
    with pytest.raises(SheetError, match=message.replace("(", r"\(").replace(".", r"\.")):
        read_sheet(data_file(name), name)


def _xlsx_with_cell_xml(cell_xml):
    """Return an XLSX file whose first cell ends with the raw XML `cell_xml`, as a damaged file could."""
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data_file("participants.xlsx")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name.startswith("xl/worksheets/"):
                content = content.replace(b"</t>", cell_xml + b"</t>", 1)
            target.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize("cell_xml", [b"&#1;", b"\x01", b"<", b"&undefined;"])
def test_xlsx_with_illegal_xml_is_refused_in_japanese(cell_xml):
    # openpyxl raises xml.etree's ParseError (a SyntaxError) for these: it used to escape as a 500.
    with pytest.raises(SheetError, match="XLSX ファイル"):
        read_sheet(_xlsx_with_cell_xml(cell_xml), "名簿.xlsx")
