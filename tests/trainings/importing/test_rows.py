import csv
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from tests.trainings.conftest import data_file
from tests.trainings.importing.both_paths import via_admin, via_command
from trainings.importing.columns import column_letter
from trainings.importing.normalize import is_total_row
from trainings.importing.rows import any_filled
from trainings.importing.sheets import read_sheet
from trainings.models import Attendance


@pytest.mark.parametrize(("index", "letter"), [(0, "A"), (3, "D"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ")])
def test_column_letters_are_excels(index, letter):
    assert column_letter(index) == letter


def test_rows_are_numbered_as_excel_shows_them_also_with_line_breaks_in_cells():
    sheet = read_sheet(data_file("line_breaks_cp932.csv"), "名簿.csv")
    # Rows 2 and 3 hold line breaks: the file's physical lines 2–3 and 4–5 are Excel rows 2 and 3.
    assert [line for line, _ in sheet.rows] == [2, 3, 4, 5, 6, 7, 8]
    assert sheet.rows[0][1][4] == "午前のみ\n午後は欠席"


def test_xlsx_rows_keep_their_numbers_when_the_table_starts_lower():
    workbook = Workbook()
    worksheet = workbook.active
    worksheet["A3"], worksheet["B3"] = "No.", "氏名"
    worksheet["A4"], worksheet["B4"] = 1, "髙橋 一郎"
    out = io.BytesIO()
    workbook.save(out)
    sheet = read_sheet(out.getvalue(), "名簿.xlsx")
    assert sheet.rows == [(4, [1, "髙橋 一郎"])]


@pytest.mark.parametrize(
    ("cells", "total"),
    [
        (["", "合計", "", ""], True),
        (["", "計", "", "12"], True),
        (["小計", "", "3"], True),
        (["", "7名", ""], True),
        (["", "７人", ""], True),
        (["合計：30名"], True),
        (["", "総計", "1,820"], True),
        (["5", "", ""], False),  # a numbered empty line
        (["1", "計良 一郎", ""], False),
        (["1", "髙橋 一郎", "7名"], False),
        (["", "", ""], False),
    ],
)
def test_total_rows_are_recognised(cells, total):
    assert is_total_row(cells) is total


@pytest.mark.parametrize("path", ["admin", "command"])
def test_total_rows_are_skipped_and_listed_and_errors_name_excel_row_and_column(client, clerk, import_records, path):
    seminar = import_records["seminar"]
    name, data = "名簿.csv", data_file("line_breaks_cp932.csv")
    if path == "admin":
        client.force_login(clerk)
        outcome = via_admin(client, name, data, kind="participants", session=seminar)
    else:
        outcome = via_command(name, data, "--kind", "participants", "--session", str(seminar.pk))
    assert not outcome.imported
    # 北区 is on Excel row 5 (line 7 of the file), column D.
    assert "5行目 D列「区」「北区」: 区「北区」は横浜市の18区にありません。区名" in outcome.text
    for row in (6, 7, 8):
        assert f"{row}行目" in outcome.text
    assert outcome.text.count("合計・小計の行なので取り込みません") == 3
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("path", ["admin", "command"])
def test_a_sheet_with_total_rows_imports_the_people_only(client, clerk, import_records, path):
    seminar = import_records["seminar"]
    text = 'No.,氏名,所属\r\n1,髙橋 一郎,\r\n2,"山田\n①子",\r\n,合計,\r\n,2名,\r\n'
    data = text.encode("cp932")
    if path == "admin":
        client.force_login(clerk)
        outcome = via_admin(client, "名簿.csv", data, kind="participants", session=seminar)
    else:
        outcome = via_command("名簿.csv", data, "--kind", "participants", "--session", str(seminar.pk))
    assert outcome.imported, outcome.text
    assert sorted(Attendance.objects.values_list("row_number", "name")) == [(2, "髙橋 一郎"), (3, "山田\n①子")]
    assert "4行目" in outcome.text and "5行目" in outcome.text


def test_error_file_names_excel_rows_and_column_letters(client, clerk, import_records):
    client.force_login(clerk)
    outcome = via_admin(
        client, "名簿.csv", data_file("line_breaks_cp932.csv"), kind="participants", session=import_records["seminar"]
    )
    response = client.post(reverse("admin:trainings_attendancesheet_import_errors"), _confirm(outcome))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["元の行番号", "No.", "氏名", "所属", "区", "備考", "エラー内容"]
    reason = (
        "D列「区」: 区「北区」は横浜市の18区にありません。区名（南区・南）か団体コード（14105・141054）にしてください。"
    )
    assert rows[1] == ["5", "4", "鈴木 次郎", "", "北区", "住所\n変更あり", reason]


def _confirm(outcome):
    """Return the confirm form's values of the last preview (the pending upload's name and choices)."""
    from trainings.models import PendingUpload

    pending = PendingUpload.objects.get()
    plan = outcome.plan
    return {
        "import_file_name": pending.name,
        "original_file_name": plan.sheet.file_name,
        "kind": plan.kind,
        "session": plan.session.pk if plan.session else "",
    }


@pytest.mark.parametrize(
    ("indexes", "cells", "filled"),
    [
        ([], ["1", "x"], False),
        ([1], ["1", ""], False),
        ([1], ["1", "x"], True),
        ([1, 2], ["1", "", ""], False),
        ([1, 2], ["1", "", "x"], True),
        ([1, 2], ["1", 0, ""], True),  # a 0 from a workbook is written, not empty
        ([0, 2], ["", "x", ""], False),  # only the given columns count
    ],
)
def test_any_filled_tells_a_numbered_empty_line_from_a_record(indexes, cells, filled):
    assert any_filled(indexes)(cells) is filled
