import pytest

from tests.trainings.importing.both_paths import via_admin, via_command
from trainings.importing import columns as cols
from trainings.models import Attendance, SheetKind


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("所属\n団体名", cols.ORGANIZATION),
        ("日時", cols.DATE),
        ("No.", cols.NO),
        ("№", cols.NO),
        ("備考", cols.NOTE),
        ("姓", cols.FAMILY),
        ("せい", cols.FAMILY_KANA),
        ("氏名（ふりがな）", cols.NAME_WITH_KANA),
        ("参加者数（人）", cols.HEADCOUNT),
        ("氏名", cols.NAME),
    ],
)
def test_headers_as_offices_write_them(header, column):
    assert cols.column_for(header) is column


def test_bracketed_reading_beside_a_name_column_is_the_reading():
    positions, errors = cols.map_headers(["氏名", "氏名（ふりがな）"], SheetKind.PARTICIPANTS, lambda i: True)
    assert (positions, errors) == ({"name": 0, "name_kana": 1}, [])


def test_a_single_bracketed_name_column_is_split():
    positions, errors = cols.map_headers(["No.", "氏名（ふりがな）"], SheetKind.PARTICIPANTS, lambda i: True)
    assert positions["name"] == positions["name_split"] == 1 and not errors


@pytest.mark.parametrize("path", ["admin", "command"])
def test_family_and_given_names_and_readings_are_joined(client, clerk, import_records, path):
    seminar = import_records["seminar"]
    data = 'No.,姓,名,せい,めい,"所属\n団体名",備考\r\n1,髙橋,一郎,たかはし,いちろう,中村地域ケアプラザ,\r\n'.encode(
        "cp932"
    )
    if path == "admin":
        client.force_login(clerk)
        outcome = via_admin(client, "名簿.csv", data, kind="participants", session=seminar)
    else:
        outcome = via_command("名簿.csv", data, "--kind", "participants", "--session", str(seminar.pk))
    assert outcome.imported, outcome.text
    row = Attendance.objects.get(session=seminar)
    assert (row.name, row.name_kana, row.organization.name) == ("髙橋 一郎", "たかはし いちろう", "中村地域ケアプラザ")


@pytest.mark.parametrize("path", ["admin", "command"])
def test_one_name_column_with_the_reading_in_brackets_is_split(client, clerk, import_records, path):
    outcome_data = "日時,研修名,氏名（ふりがな）\r\n"
    outcome_data += "2019/5/20 14:00,地域まちづくり支援制度活用研修,髙橋 一郎（たかはし いちろう）\r\n"
    data = outcome_data.encode("cp932")
    if path == "admin":
        client.force_login(clerk)
        outcome = via_admin(client, "名簿.csv", data)
    else:
        outcome = via_command("名簿.csv", data)
    assert outcome.imported, outcome.text
    row = Attendance.objects.get(session=import_records["seminar"])
    assert (row.name, row.name_kana) == ("髙橋 一郎", "たかはし いちろう")
