import datetime

import pytest
import tablib

from tests.trainings.conftest import data_file
from trainings.importing.kinds import resource_for
from trainings.importing.participants import ParticipantsMultiResource
from trainings.importing.sessions import SessionsResource
from trainings.importing.sheets import read_sheet
from trainings.models import Attendance, AttendanceSheet, Audience, TrainingSession


def run(name, kind, session=None, dry_run=False):
    return resource_for(kind, session=session).import_data(read_sheet(data_file(name), name), dry_run=dry_run)


@pytest.mark.parametrize(
    "name", ["participants_cp932.csv", "participants_utf8_bom.csv", "participants_utf8.csv", "participants.xlsx"]
)
def test_participants_of_one_session_import(import_records, name):
    seminar = import_records["seminar"]
    result = run(name, "participants", seminar)
    assert result.plan.errors == [] and result.plan.base_errors == []
    rows = {a.name: a for a in Attendance.objects.filter(session=seminar).select_related("organization", "ward")}
    assert set(rows) == {"髙橋 一郎", "山田 ①子", "佐藤 花子", "鈴木 次郎", "田中 三郎"}
    # 「中村 地域ケアプラザ」 matched the registered organisation; the text is kept as written.
    assert rows["山田 ①子"].organization.name == "中村地域ケアプラザ"
    assert rows["山田 ①子"].organization_text == "中村 地域ケアプラザ"
    assert (
        rows["鈴木 次郎"].organization is None and rows["鈴木 次郎"].organization_text == "ＮＰＯ法人まちづくり応援団"
    )
    assert rows["髙橋 一郎"].ward.name == "南区"  # written 「南」
    assert rows["鈴木 次郎"].ward.name == "港北区"  # written 「１４１０９」
    assert rows["田中 三郎"].ward.name == "保土ケ谷区"  # written 「保土ヶ谷」
    assert rows["田中 三郎"].row_number == 8
    assert rows["髙橋 一郎"].person_key == "髙橋一郎|中村地域ケアプラザ"
    assert result.plan.unmatched_organizations == {"ＮＰＯ法人まちづくり応援団": 1}
    sheet = AttendanceSheet.objects.get()
    assert (sheet.kind, sheet.session, sheet.row_count) == ("participants", seminar, 5)
    assert TrainingSession.objects.with_participant_counts().get(pk=seminar.pk).participant_count == 5


@pytest.mark.parametrize(
    "name", ["participants_multi_cp932.csv", "participants_multi_utf8_bom.csv", "participants_multi.xlsx"]
)
def test_participants_of_many_sessions_import(import_records, name):
    result = run(name, "participants_multi")
    assert result.plan.is_valid, (result.plan.base_errors, result.plan.errors)
    counts = dict(
        TrainingSession.objects.with_participant_counts().values_list("title", "participant_count").order_by("date")
    )
    assert counts == {"地域まちづくり支援制度活用研修": 3, "出前塾（中村地域ケアプラザ）": 2}
    assert AttendanceSheet.objects.get().session is None


@pytest.mark.parametrize("name", ["sessions_cp932.csv", "sessions_utf8_bom.csv", "sessions.xlsx"])
def test_sessions_with_headcounts_import(import_records, name):
    result = run(name, "sessions")
    assert result.plan.is_valid, (result.plan.base_errors, result.plan.errors)
    assert (result.totals["new"], result.totals["update"]) == (3, 1)
    sessions = {s.title: s for s in TrainingSession.objects.select_related("category", "ward", "host_bureau")}
    seminar = sessions["地域まちづくり支援制度活用研修"]
    assert (seminar.headcount, seminar.venue, seminar.ward.name) == (65, "市庁舎", "中区")  # updated, 「６５」
    kyodo = sessions["協働入門研修"]
    assert (kyodo.date, kyodo.fiscal_year, kyodo.category.code) == (datetime.date(2019, 4, 1), 2019, "ウ")
    assert kyodo.host_bureau.name == "市民局" and kyodo.audience == Audience.CITY_STAFF
    demae = sessions["出前塾（南区社協）"]
    assert demae.host_organization.name == "中村地域ケアプラザ"
    assert (demae.audience, demae.audience_detail) == (Audience.OTHER, "ケアプラザ職員")
    assert sessions["区役所地区支援研修（青葉区）"].category.code == "エ"  # matched by category name


def test_reimporting_unchanged_sessions_skips_them(import_records):
    run("sessions_cp932.csv", "sessions")
    result = run("sessions.xlsx", "sessions", dry_run=True)
    assert result.totals["skip"] == 4 and result.totals["new"] == result.totals["update"] == 0


def test_row_errors_name_line_column_and_reason(import_records):
    result = run("row_errors_multi.csv", "participants_multi")
    found = {(i.line, i.column, i.reason) for i in result.plan.errors}
    assert found == {
        (3, "開催日", "令和は2019年5月1日からです。"),
        (4, "開催日", "13月という月はありません。"),
        (5, "氏名", "氏名が空欄です。"),
        (
            6,
            "区",
            "区「北区」は横浜市の18区にありません。区名（南区・南）か団体コード（14105・141054）にしてください。",
        ),
        (
            7,
            "研修名",
            "2019-05-21「存在しない研修」の研修が登録されていません（先に研修を登録するか、研修一覧を取り込んでください）。",
        ),
    }
    assert result.sheet_record is None
    assert not Attendance.objects.exists() and not AttendanceSheet.objects.exists()


def test_session_sheet_errors(import_records):
    data = tablib.Dataset(
        ["2019/5/1", "A研修", "ア", "不明局", "", "", "", "-3"],
        ["2019/5/1", "A研修", "ア", "", "", "", "", "3"],
        ["2019/5/2", "B研修", "キ", "", "", "北区", "", "三十"],
        ["2019/5/3", "C研修", "", "", "", "", "", "5"],
        ["2019/5/3", "C研修", "", "", "", "", "", "5"],
        headers=["開催日", "研修名", "区分", "主催", "対象", "区", "会場", "参加者数"],
    )
    result = SessionsResource().import_data(data, dry_run=False)
    reasons = [(i.line, i.column) for i in result.plan.errors]
    assert reasons == [(2, "主催"), (2, "参加者数"), (4, "区分"), (4, "区"), (4, "参加者数"), (6, "研修名")]
    assert "不明局" not in TrainingSession.objects.values_list("title", flat=True)
    assert TrainingSession.objects.count() == 2  # only the fixture's sessions


def test_duplicate_person_in_one_sheet_is_skipped(import_records):
    data = tablib.Dataset(
        ["山田 太郎", "中村地域ケアプラザ"], ["山田太郎", "中村 地域ケアプラザ"], headers=["氏名", "所属"]
    )
    result = resource_for("participants", session=import_records["seminar"]).import_data(data)
    assert [(i.line, i.reason) for i in result.plan.skipped] == [
        (3, "2行目と同じ人（氏名・所属）なので取り込みません。")
    ]
    assert Attendance.objects.count() == 1


def test_export_escapes_formula_cells_and_round_trips(import_records):
    seminar = import_records["seminar"]
    Attendance.objects.create(session=seminar, name="=HYPERLINK(1)", organization_text="+81", note="@x", role="-")
    Attendance.objects.create(session=seminar, name="山田 太郎", organization_text="中村地域ケアプラザ")
    dataset = ParticipantsMultiResource().export()
    assert dataset.headers == ["開催日", "研修名", "No.", "氏名", "ふりがな", "所属", "区", "役職", "備考"]
    first = dict(zip(dataset.headers, dataset[0], strict=True))
    assert (
        first["氏名"] == "'=HYPERLINK(1)"
        and first["所属"] == "'+81"
        and first["備考"] == "'@x"
        and first["役職"] == "'-"
    )
    assert dict(zip(dataset.headers, dataset[1], strict=True))["氏名"] == "山田 太郎"
    sessions = SessionsResource().export()
    assert sessions.headers == [
        "開催日", "研修名", "研修名（よみ）", "日時", "区分", "主催", "対象", "区", "会場", "参加者数", "名簿の人数"
    ]  # fmt: skip
    by_title = {row[1]: row for row in sessions}
    assert by_title["地域まちづくり支援制度活用研修"][9] == 1 and by_title["地域まちづくり支援制度活用研修"][10] == 2
    # The exported session list imports back unchanged.
    result = SessionsResource().import_data(sessions, dry_run=True)
    assert result.plan.is_valid and result.totals["skip"] == 2


def test_a_session_list_fills_the_title_reading_and_the_times(import_records):
    # As Excel saves a CSV on Japanese Windows: CP932, CRLF, full-width digits typed in 日時.
    text = (
        "開催日,研修名,研修名（よみ）,日時,参加者数\r\n"
        "2019/6/1,まち普請説明会,マチブシンセツメイカイ,14:00～16:00,20\r\n"
        "2019/6/2,相談会,ソウダンカイ,１０：００〜１２：３０,8\r\n"
        "2019/6/3,午後の会,,午後,5\r\n"
    )
    result = SessionsResource().import_data(read_sheet(text.encode("cp932"), "研修一覧.csv"), dry_run=False)
    assert [(e.line, e.column) for e in result.plan.errors] == [(4, "日時")]
    result = SessionsResource().import_data(
        read_sheet("\r\n".join(text.split("\r\n")[:3]).encode("cp932") + b"\r\n", "研修一覧.csv"), dry_run=False
    )
    assert not result.plan.errors
    first = TrainingSession.objects.get(title="まち普請説明会")
    assert (first.title_kana, first.start_time, first.end_time) == (
        "マチブシンセツメイカイ",
        datetime.time(14, 0),
        datetime.time(16, 0),
    )
    second = TrainingSession.objects.get(title="相談会")
    assert (second.start_time, second.end_time) == (datetime.time(10, 0), datetime.time(12, 30))
    exported = {row[1]: row for row in SessionsResource().export()}
    assert exported["まち普請説明会"][2:4] == ("マチブシンセツメイカイ", "14:00～16:00")


def test_a_date_and_time_cell_gives_the_session_its_date_and_times(import_records):
    # One 日時 column, as many offices write it: the date and the times in one cell.
    text = "日時,研修名,参加者数\r\n2019/6/4 14:00～16:00,日時の会,12\r\n令和元年6月5日（水）10時～12時,和暦の会,7\r\n"
    result = SessionsResource().import_data(read_sheet(text.encode("cp932"), "研修一覧.csv"), dry_run=False)
    assert not result.plan.errors and not result.plan.base_errors
    first = TrainingSession.objects.get(title="日時の会")
    assert (first.date, first.start_time, first.end_time) == (
        datetime.date(2019, 6, 4),
        datetime.time(14, 0),
        datetime.time(16, 0),
    )
    second = TrainingSession.objects.get(title="和暦の会")
    assert (second.date, second.start_time, second.end_time) == (
        datetime.date(2019, 6, 5),
        datetime.time(10, 0),
        datetime.time(12, 0),
    )
