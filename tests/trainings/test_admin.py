import datetime
import io

import pytest
from django.urls import reverse

from portal.selectors import yearly_summary
from trainings.models import Attendance, TrainingSession

ADD_URL = "admin:trainings_trainingsession_add"


def session_form(**overrides):
    data = {
        "title": "新しい研修",
        "category": "",
        "date": "2018-09-01",
        "host_bureau": "",
        "host_organization": "",
        "audience": "city_staff",
        "audience_detail": "",
        "ward": "",
        "venue": "",
        "headcount": "25",
        "description": "",
        "data_note": "",
        "attendances-TOTAL_FORMS": "0",
        "attendances-INITIAL_FORMS": "0",
        "attendances-MIN_NUM_FORMS": "0",
        "attendances-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_entering_a_session_changes_the_yearly_summary(admin_client, demo_data):
    before = yearly_summary(fiscal_year=2018)
    response = admin_client.post(reverse(ADD_URL), session_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    after = yearly_summary(fiscal_year=2018)
    assert (after.sessions, after.participants) == (before.sessions + 1, before.participants + 25)
    assert TrainingSession.objects.get(title="新しい研修").fiscal_year == 2018


@pytest.mark.django_db
def test_negative_headcount_is_refused_with_a_japanese_message(admin_client):
    response = admin_client.post(reverse(ADD_URL), session_form(headcount="-5"))
    assert response.status_code == 200
    assert "0 以上" in response.content.decode() or "0以上" in response.content.decode()
    assert not TrainingSession.objects.exists()


@pytest.mark.django_db
def test_duplicate_session_is_refused_with_a_japanese_message(admin_client, make_session):
    make_session(title="新しい研修", date=datetime.date(2018, 9, 1))
    response = admin_client.post(reverse(ADD_URL), session_form())
    assert response.status_code == 200
    assert "同じ開催日・研修名の研修が既に登録されています。" in response.content.decode()
    assert TrainingSession.objects.count() == 1


@pytest.mark.django_db
def test_invalid_date_is_refused_with_a_japanese_message(admin_client):
    response = admin_client.post(reverse(ADD_URL), session_form(date="2018-13-40"))
    assert response.status_code == 200
    assert "13月という月はありません" in response.content.decode()


@pytest.mark.django_db
def test_attendance_inline_is_saved_with_the_session(admin_client):
    data = session_form(
        **{
            "headcount": "",
            "attendances-TOTAL_FORMS": "2",
            "attendances-0-name": "山田太郎",
            "attendances-0-organization_text": "中村地域ケアプラザ",
            "attendances-1-name": "佐藤花子",
        }
    )
    response = admin_client.post(reverse(ADD_URL), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    session = TrainingSession.objects.with_participant_counts().get()
    assert session.participant_count == 2
    assert set(Attendance.objects.values_list("name", flat=True)) == {"山田太郎", "佐藤花子"}


ATTENDANCE_LIST = "admin:trainings_attendance_changelist"


@pytest.fixture
def attendance_rows(make_session, organization):
    from trainings.models import Attendance

    seminar = make_session(title="協働入門研修", date=datetime.date(2019, 5, 1))
    outreach = make_session(title="出前塾（南区）", date=datetime.date(2018, 6, 1))
    Attendance.objects.create(session=seminar, name="山田 太郎", name_kana="やまだ たろう", organization=organization)
    Attendance.objects.create(session=seminar, name="佐藤花子", organization_text="南区まちづくり協議会")
    Attendance.objects.create(session=outreach, name="鈴木一郎")
    # Written in bulk as the importer writes them (past save(), through set_derived_fields()).
    lecture = make_session(title="地区の集い", date=datetime.date(2018, 7, 1))
    Attendance.objects.bulk_create(
        [
            Attendance(session=lecture, name="髙橋 一郎", name_kana="タカハシ イチロウ").set_derived_fields(),
            Attendance(session=lecture, name="山﨑　花子").set_derived_fields(),
            Attendance(session=lecture, name="渡邉健太").set_derived_fields(),
            Attendance(session=lecture, name="齋藤美穂").set_derived_fields(),
        ]
    )
    return seminar, outreach


def listed_names(response):
    assert response.status_code == 200, response.content.decode()[:2000]
    return sorted(a.name for a in response.context["cl"].result_list)


@pytest.mark.parametrize(
    ("q", "names"),
    [
        ("山田", ["山田 太郎"]),  # name from the start
        ("山田太郎", ["山田 太郎"]),  # spaces in names are ignored
        ("山田　太郎", ["山田 太郎"]),  # full-width space too
        ("やまだ", ["山田 太郎"]),  # furigana from the start
        ("南区まち", ["佐藤花子"]),  # organisation as written, from the start
        ("入門", ["佐藤花子", "山田 太郎"]),  # session title, anywhere
        ("出前塾", ["鈴木一郎"]),
        ("ケアプラザ", ["山田 太郎"]),  # registered organisation's name, anywhere
        ("太郎", []),  # a given name alone: names match from the start only
        # Spelled as people type them: variant kanji, widths, kana script.
        ("高橋", ["髙橋 一郎"]),
        ("髙橋", ["髙橋 一郎"]),
        ("高橋一郎", ["髙橋 一郎"]),
        ("山崎", ["山﨑　花子"]),
        ("渡辺", ["渡邉健太"]),
        ("渡邊", ["渡邉健太"]),
        ("斎藤", ["齋藤美穂"]),
        ("斉藤", ["齋藤美穂"]),
        ("たかはし", ["髙橋 一郎"]),  # furigana written in katakana
        ("ﾀｶﾊｼ", ["髙橋 一郎"]),  # half-width
        ("ｽｽﾞｷ", []),
    ],
)
def test_attendance_search_uses_prefix_and_related_matches(admin_client, attendance_rows, q, names):
    assert listed_names(admin_client.get(reverse(ATTENDANCE_LIST), {"q": q})) == names


def test_attendance_year_filter_offers_years_with_rows_and_filters(admin_client, attendance_rows, make_session):
    make_session(date=datetime.date(2021, 6, 1))  # a year without attendance rows is not offered
    response = admin_client.get(reverse(ATTENDANCE_LIST), {"session_fiscal_year": "2019"})
    assert listed_names(response) == ["佐藤花子", "山田 太郎"]
    [year_filter] = [
        f for f in response.context["cl"].filter_specs if getattr(f, "parameter_name", "") == "session_fiscal_year"
    ]
    assert [value for value, _ in year_filter.lookup_choices] == ["2019", "2018"]


def test_attendance_list_shows_an_exact_count_for_a_small_table(admin_client, attendance_rows):
    response = admin_client.get(reverse(ATTENDANCE_LIST))
    assert response.context["cl"].result_count == 7
    assert not response.context["cl"].paginator.is_estimate
    assert "約" not in response.content.decode().split('class="paginator"')[1][:200]


def export(client, path, file_format):
    """POST the export form at `path` (0 = CSV, 1 = XLSX) and return the response."""
    return client.post(path, {"format": file_format, "resource": "0"})


def download_name(response):
    """Return the file name of an attachment response (RFC 6266 filename*, UTF-8)."""
    from urllib.parse import unquote

    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''"), disposition
    return unquote(disposition.split("''", 1)[1])


def test_exports_have_japanese_names_and_sheet_titles_dated_in_tokyo(client, admin_user, make_session, monkeypatch):
    import datetime as dt

    from django.utils import timezone
    from openpyxl import load_workbook

    make_session(title="研修A", date=datetime.date(2018, 7, 1))
    # 16:05 UTC on 28 November is already 29 November in Tokyo.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 11, 28, 16, 5, tzinfo=dt.UTC))
    admin_client = client
    admin_client.force_login(admin_user)  # a session that has not expired at that time
    csv = export(admin_client, "/admin/trainings/trainingsession/export/?fiscal_year=2018", "0")
    assert csv.status_code == 200, csv.content.decode()[:2000]
    assert download_name(csv) == "研修一覧_2018年度_2026-11-29.csv"
    xlsx = export(admin_client, "/admin/trainings/trainingsession/export/", "1")
    assert download_name(xlsx) == "研修一覧_2026-11-29.xlsx"
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames == ["研修一覧"]
    rows = export(admin_client, "/admin/trainings/attendance/export/?session_fiscal_year=2018", "1")
    assert download_name(rows) == "出席者一覧_2018年度_2026-11-29.xlsx"
    assert load_workbook(io.BytesIO(rows.content)).sheetnames == ["出席者一覧"]


def test_xlsx_exports_hold_dates_and_numbers_and_leave_unknown_empty(admin_client, make_session):
    from openpyxl import load_workbook

    known = make_session(title="人数あり", date=datetime.date(2018, 7, 1), headcount=30)
    make_session(title="人数不明", date=datetime.date(2018, 7, 2))
    Attendance.objects.create(session=known, name="山田 太郎", row_number=3)
    sheet = load_workbook(io.BytesIO(export(admin_client, "/admin/trainings/trainingsession/export/", "1").content))
    rows = {row[1]: row for row in sheet.active.iter_rows(min_row=2, values_only=True)}
    # Excel sorts and sums these: a date and a number, not the text 「2018-07-01」「30」.
    assert rows["人数あり"][0] == datetime.datetime(2018, 7, 1) and rows["人数あり"][9] == 30
    assert rows["人数不明"][9] is None  # unknown is an empty cell, never 0
    people = load_workbook(io.BytesIO(export(admin_client, "/admin/trainings/attendance/export/", "1").content))
    row = next(people.active.iter_rows(min_row=2, values_only=True))
    assert row[0] == datetime.datetime(2018, 7, 1) and row[2] == 3
    csv_text = export(admin_client, "/admin/trainings/trainingsession/export/", "0").content.decode("utf-8-sig")
    assert "2018-07-01,人数あり" in csv_text


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["2019/5/20", "令和元年5月20日", "R1.5.20", "２０１９年５月２０日"])
def test_the_session_date_is_read_as_people_type_it(admin_client, typed):
    response = admin_client.post(reverse(ADD_URL), session_form(date=typed))
    assert response.status_code == 302, response.content.decode()[:2000]
    session = TrainingSession.objects.get(title="新しい研修")
    assert session.date == datetime.date(2019, 5, 20) and session.fiscal_year == 2019
    page = admin_client.get(reverse("admin:trainings_trainingsession_change", args=[session.pk])).content.decode()
    assert "令和元年5月20日</span>" in page  # the era date beside the box


@pytest.mark.django_db
def test_an_unreadable_session_date_names_the_accepted_forms(admin_client):
    response = admin_client.post(reverse(ADD_URL), session_form(date="5月20日ごろ"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "「5月20日ごろ」は日付として読めません" in html and "入力できる形式" in html
    assert "令和元年5月20日" in html and "R1.5.20" in html
    assert not TrainingSession.objects.exists()


def test_deleting_an_import_in_the_admin_counts_rows_instead_of_listing_names(client, import_records):
    from django.contrib.auth.models import Group, User

    from portal.roles import DATA_ENTRY
    from tests.trainings.conftest import data_file
    from trainings.importing.kinds import resource_for
    from trainings.importing.sheets import read_sheet
    from trainings.models import AttendanceSheet

    clerk = User.objects.create_user("nyuryoku2", password="pw-for-tests-only", is_staff=True)
    clerk.groups.add(Group.objects.get(name=DATA_ENTRY))
    sheet = (
        resource_for("participants_multi")
        .import_data(read_sheet(data_file("participants_multi_cp932.csv"), "名簿.csv"), user=clerk)
        .sheet_record
    )
    names = list(sheet.attendances.values_list("name", flat=True))
    client.force_login(clerk)
    url = reverse("admin:trainings_attendancesheet_delete", args=[sheet.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"出席者 {len(names)}行" in html
    assert not [name for name in names if name in html]
    done = client.post(url, {"post": "yes"})
    # Back to the list of imports, where the undo shows (not the admin's index page).
    assert done.status_code == 302 and done["Location"] == reverse("admin:trainings_attendancesheet_changelist")
    assert not AttendanceSheet.objects.exists() and not Attendance.objects.filter(sheet__isnull=False).exists()
    assert Attendance.history.count() == 0
    audit = AttendanceSheet.history.get(history_type="-")
    assert audit.history_user == clerk and audit.row_count == len(names)


@pytest.mark.django_db
def test_the_partial_roster_mark_is_on_the_form_and_in_the_list(admin_client, make_session):
    session = make_session(headcount=15)
    Attendance.objects.bulk_create([Attendance(session=session, name=f"参加者{i}") for i in range(2)])
    field = TrainingSession._meta.get_field("roster_is_partial")
    change_url = reverse("admin:trainings_trainingsession_change", args=[session.pk])
    form = admin_client.get(change_url).content.decode()
    assert 'name="roster_is_partial"' in form and field.verbose_name in form and field.help_text in form

    data = session_form(title=session.title, date=f"{session.date:%Y-%m-%d}", headcount="15", roster_is_partial="on")
    assert admin_client.post(change_url, data).status_code == 302
    counted = TrainingSession.objects.with_participant_counts().get(pk=session.pk)
    assert counted.roster_is_partial and counted.participant_count == counted.headcount
    assert session.history.latest().roster_is_partial  # an audited field

    listed = admin_client.get(reverse("admin:trainings_trainingsession_changelist")).content.decode()
    assert f'title="名簿は一部：参加者数は入力値の{counted.headcount}人">一部</span>' in listed
    changelist = reverse("admin:trainings_trainingsession_changelist")
    partial_only = admin_client.get(changelist, {"roster_is_partial__exact": "1"})
    assert list(partial_only.context["cl"].result_list) == [counted]


def test_the_sheet_list_writes_row_counts_with_thousands_separators(admin_client):
    from trainings.models import AttendanceSheet

    AttendanceSheet.objects.create(
        kind="participants_multi", file_name="大きい名簿.csv", sha256="c" * 64, row_count=12000
    )
    page = admin_client.get(reverse("admin:trainings_attendancesheet_changelist")).content.decode()
    assert "12,000" in page and ">12000<" not in page
