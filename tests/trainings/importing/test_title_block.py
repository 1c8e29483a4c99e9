"""A one-session sheet's title block (研修名, 開催日 above the header) names its session."""

import datetime

import pytest

from tests.trainings.importing.both_paths import via_admin, via_command
from trainings.importing.sheets import read_sheet
from trainings.importing.title_block import read_title_block, session_for
from trainings.models import Attendance, AttendanceSheet, TrainingSession

TABLE = "No.,氏名,所属\r\n1,髙橋 一郎,中村地域ケアプラザ\r\n2,山田 花子,南区社会福祉協議会\r\n"


def _sheet(title_block):
    return (title_block + ",,\r\n" + TABLE).encode("cp932")


@pytest.mark.parametrize(
    "block",
    [
        "研修名：地域まちづくり支援制度活用研修\r\n日時：令和元年5月20日（月）14:00～16:00\r\n",
        "研修名,地域まちづくり支援制度活用研修\r\n開催日,2019/5/20\r\n会場,南区役所\r\n",
        "地域まちづくり課,,\r\n開催日: R1.5.20,,\r\n研修名: 地域まちづくり 支援制度活用研修,,\r\n",
    ],
)
def test_an_office_title_block_names_the_session(import_records, block):
    sheet = read_sheet(_sheet(block), "名簿.csv")
    assert session_for(sheet) == import_records["seminar"]
    assert "から、研修「2019-05-20 地域まちづくり支援制度活用研修」の名簿として読みました" in sheet.notes[-1]


def test_a_title_block_without_a_date_names_no_session(import_records):
    sheet = read_sheet(_sheet("研修名,地域まちづくり支援制度活用研修\r\n"), "名簿.csv")
    block = read_title_block(sheet)
    assert (block.title, block.date) == ("地域まちづくり支援制度活用研修", None)
    assert session_for(sheet) is None and not any("名簿として読みました" in n for n in sheet.notes)


@pytest.mark.parametrize("path", ["admin", "command"])
def test_an_unregistered_session_in_the_title_block_asks_for_the_session(client, clerk, import_records, path):
    data = _sheet("研修名,まだ登録していない研修\r\n開催日,2019/5/20\r\n")
    if path == "admin":
        client.force_login(clerk)
        outcome = via_admin(client, "名簿.csv", data)
        assert "対象の研修を選んでください" in outcome.text
    else:
        outcome = via_command("名簿.csv", data)
        assert "--session で研修の ID を指定してください" in outcome.text
    assert not outcome.imported and not Attendance.objects.exists()


@pytest.mark.parametrize("path", ["admin", "command"])
def test_a_chosen_session_other_than_the_title_blocks_is_refused(client, clerk, import_records, path):
    # The names would otherwise be stored under the wrong session without a word.
    data = _sheet("研修名,地域まちづくり支援制度活用研修\r\n開催日,2019年5月20日（月）\r\n")
    other = import_records["outreach"]
    if path == "admin":
        client.force_login(clerk)
        outcome = via_admin(client, "名簿.csv", data, kind="participants", session=other)
    else:
        outcome = via_command("名簿.csv", data, "--session", str(other.pk))
    assert not outcome.imported
    assert "研修「2019-05-20 地域まちづくり支援制度活用研修」の名簿になっていますが" in outcome.text
    assert "選んだ研修は「2019-06-10 出前塾（中村地域ケアプラザ）」です" in outcome.text
    assert not Attendance.objects.exists() and not AttendanceSheet.objects.exists()


@pytest.mark.parametrize("path", ["admin", "command"])
def test_the_same_session_chosen_and_in_the_title_block_imports(client, clerk, import_records, path):
    data = _sheet("研修名,地域まちづくり支援制度活用研修\r\n開催日,2019/5/20\r\n")
    seminar = import_records["seminar"]
    if path == "admin":
        client.force_login(clerk)
        outcome = via_admin(client, "名簿.csv", data, kind="participants", session=seminar)
    else:
        outcome = via_command("名簿.csv", data, "--session", str(seminar.pk))
    assert outcome.imported, outcome.text
    assert sorted(Attendance.objects.filter(session=seminar).values_list("name", flat=True)) == [
        "山田 花子",
        "髙橋 一郎",
    ]


def test_a_title_on_another_date_names_no_session(import_records):
    TrainingSession.objects.create(date=datetime.date(2019, 5, 21), title="別の研修")
    sheet = read_sheet(_sheet("研修名,地域まちづくり支援制度活用研修\r\n開催日,2019/5/21\r\n"), "名簿.csv")
    assert session_for(sheet) is None


def test_two_sessions_told_apart_only_by_spaces_are_not_guessed_between(import_records):
    TrainingSession.objects.create(date=datetime.date(2019, 5, 20), title="地域まちづくり 支援制度活用研修")
    sheet = read_sheet(_sheet("研修名,地域まちづくり支援制度活用研修\r\n開催日,2019/5/20\r\n"), "名簿.csv")
    assert session_for(sheet) is None
