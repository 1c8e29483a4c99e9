import datetime

import pytest

from tests.trainings.conftest import data_file
from tests.trainings.importing.both_paths import via_admin, via_command
from trainings.importing.normalize import local_government_code, read_count, ward_key
from trainings.models import Attendance, TrainingSession


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("30", (30, False)),
        ("30名", (30, False)),
        ("30人", (30, False)),
        ("３０名", (30, False)),
        ("１，２３４", (1234, False)),
        ("1,234人", (1234, False)),
        ("約30", (30, True)),
        ("約３０名", (30, True)),
        ("30人程度", (30, True)),
        ("―", (None, False)),
        ("-", (None, False)),
        ("ー", (None, False)),
        ("－", (None, False)),
        ("不明", (None, False)),
        ("未集計", (None, False)),
        ("", (None, False)),
        (0, (0, False)),
        (25, (25, False)),
    ],
)
def test_headcounts_are_read_as_people_write_them(cell, expected):
    assert read_count(cell) == expected


@pytest.mark.parametrize("cell", ["約", "三十", "30.5", "-3"])
def test_headcounts_that_are_not_counts_are_refused(cell):
    with pytest.raises(ValueError, match="人数"):
        read_count(cell)


@pytest.mark.parametrize(
    ("code", "five"), [("14105", "14105"), ("141054", "14105"), ("141011", "14101"), ("141003", "14100")]
)
def test_local_government_codes_of_five_and_six_digits(code, five):
    assert local_government_code(code) == five


def test_a_six_digit_code_with_a_wrong_check_digit_is_refused_with_the_right_one():
    with pytest.raises(ValueError, match="141054です"):
        ward_key("141055")


@pytest.mark.parametrize("path", ["admin", "command"])
def test_a_session_list_as_typed_is_stored_as_it_reads(client, clerk, import_records, path):
    name, data = "研修一覧.csv", data_file("sessions_as_typed_cp932.csv")
    if path == "admin":
        client.force_login(clerk)
        outcome = via_admin(client, name, data, kind="sessions")
    else:
        outcome = via_command(name, data, "--kind", "sessions")
    assert outcome.imported, outcome.text
    stored = {
        s.title: (s.date, s.ward.name if s.ward else "", s.headcount, s.headcount_approximate)
        for s in TrainingSession.objects.select_related("ward")
    }
    assert stored["地域まちづくり支援制度活用研修"] == (datetime.date(2019, 5, 20), "南区", 30, False)
    assert stored["協働入門研修"] == (datetime.date(2019, 4, 30), "南区", 1234, False)
    assert stored["出前塾（南区社協）"] == (datetime.date(2019, 6, 3), "南区", None, False)
    assert stored["区役所地区支援研修"] == (datetime.date(2019, 4, 30), "", None, False)
    assert stored["まちづくり講座"] == (datetime.date(2019, 5, 20), "", 30, True)
    assert stored["まちづくり講座２"] == (datetime.date(2019, 5, 21), "", None, False)
    assert stored["まちづくり講座３"] == (datetime.date(2019, 5, 22), "", None, False)
    # Every value stored otherwise than written is said, by row and column.
    assert "6行目 D列「参加者数」「約30」: 「約30」を概数の 30人として記録します" in outcome.text
    assert "4行目 D列「参加者数」「―」: 「―」は人数不明として空欄で記録します（0 にはしません）。" in outcome.text
    assert "5行目 D列「参加者数」「不明」" in outcome.text


@pytest.mark.parametrize("path", ["admin", "command"])
def test_a_wrong_check_digit_is_a_row_error_on_both_paths(client, clerk, import_records, path):
    data = "開催日,研修名,区\r\n2019/5/20,地域まちづくり支援制度活用研修,141055\r\n".encode("cp932")
    if path == "admin":
        client.force_login(clerk)
        outcome = via_admin(client, "研修一覧.csv", data, kind="sessions")
    else:
        outcome = via_command("研修一覧.csv", data, "--kind", "sessions")
    assert not outcome.imported
    assert "2行目 C列「区」「141055」: 団体コード「141055」の検査数字（6桁目）が合いません。" in outcome.text


@pytest.mark.parametrize("path", ["admin", "command"])
def test_halfwidth_and_fullwidth_kana_names_are_one_person_stored_as_written(client, clerk, import_records, path):
    seminar, outreach = import_records["seminar"], import_records["outreach"]
    text = (
        "開催日,研修名,氏名,所属\r\n"
        "2019/5/20,地域まちづくり支援制度活用研修,ﾀﾅｶ ｼﾞﾛｳ,中村地域ケアプラザ\r\n"
        "2019/6/10,出前塾（中村地域ケアプラザ）,タナカ　ジロウ,中村 地域ケアプラザ\r\n"
    )
    data = text.encode("cp932")
    if path == "admin":
        client.force_login(clerk)
        outcome = via_admin(client, "名簿.csv", data)
    else:
        outcome = via_command("名簿.csv", data)
    assert outcome.imported, outcome.text
    rows = Attendance.objects.filter(session__in=[seminar, outreach])
    assert sorted(rows.values_list("name", flat=True)) == sorted(["ﾀﾅｶ ｼﾞﾛｳ", "タナカ\u3000ジロウ"])
    assert rows.unique_participant_count() == 1
