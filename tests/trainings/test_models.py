import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from trainings.models import Attendance, AttendanceSheet, ReportedFigure, TrainingSession


@pytest.mark.django_db
@pytest.mark.parametrize(("date", "fy"), [(datetime.date(2019, 3, 31), 2018), (datetime.date(2019, 4, 1), 2019)])
def test_session_fiscal_year_is_derived_from_the_date(make_session, date, fy):
    session = make_session(date=date)
    session.refresh_from_db()
    assert session.fiscal_year == fy


@pytest.mark.django_db
def test_session_fiscal_year_follows_a_changed_date(make_session):
    session = make_session(date=datetime.date(2018, 6, 1))
    session.date = datetime.date(2019, 6, 1)
    session.save()
    assert TrainingSession.objects.get(pk=session.pk).fiscal_year == 2019


@pytest.mark.django_db
def test_participant_count_prefers_attendance_rows(make_session):
    typed = make_session(headcount=12)
    unknown = make_session(headcount=None)
    sheet_session = make_session(headcount=12)
    Attendance.objects.bulk_create([Attendance(session=sheet_session) for _ in range(5)])

    counts = {
        s.pk: (s.attendance_count, s.participant_count) for s in TrainingSession.objects.with_participant_counts()
    }

    assert counts == {typed.pk: (0, 12), unknown.pk: (0, None), sheet_session.pk: (5, 5)}


def test_a_partial_roster_keeps_the_typed_headcount_as_the_participant_count(make_session):
    rows = 2
    partial = make_session(headcount=15, roster_is_partial=True)
    chosen = make_session(headcount=15)  # the user chose the roster's count
    partial_without_headcount = make_session(headcount=None, roster_is_partial=True)
    partial_without_rows = make_session(headcount=15, roster_is_partial=True)
    for session in (partial, chosen, partial_without_headcount):
        Attendance.objects.bulk_create([Attendance(session=session) for _ in range(rows)])

    counts = dict(TrainingSession.objects.with_participant_counts().values_list("pk", "participant_count"))
    totals = TrainingSession.objects.participant_totals()

    assert counts == {
        partial.pk: partial.headcount,
        chosen.pk: rows,
        partial_without_headcount.pk: rows,  # no headcount to keep: the rows count
        partial_without_rows.pk: partial_without_rows.headcount,
    }
    assert totals["participants"] == sum(counts.values())


@pytest.mark.parametrize(
    ("headcount", "rows", "use_roster_count", "keeps"),
    [
        (15, 2, False, True),
        (15, 2, True, False),
        (15, 15, False, False),
        (2, 15, False, False),
        (None, 2, False, False),
    ],
)
def test_roster_keeps_headcount_only_for_a_shorter_roster_not_chosen(headcount, rows, use_roster_count, keeps):
    assert TrainingSession.roster_keeps_headcount(headcount, rows, use_roster_count=use_roster_count) is keeps


@pytest.mark.django_db
def test_negative_headcount_is_refused_in_japanese(make_session):
    session = TrainingSession(title="マイナス", date=datetime.date(2018, 5, 1), headcount=-1)
    with pytest.raises(ValidationError) as excinfo:
        session.full_clean()
    assert "0" in str(excinfo.value) and "以上" in str(excinfo.value)
    with transaction.atomic(), pytest.raises(IntegrityError):
        TrainingSession.objects.bulk_create([session])


@pytest.mark.django_db
def test_session_date_and_title_are_unique(make_session):
    make_session(title="協働入門研修", date=datetime.date(2018, 5, 16))
    with pytest.raises(ValidationError, match="同じ開催日・研修名の研修が既に登録されています"):
        TrainingSession(title="協働入門研修", date=datetime.date(2018, 5, 16)).full_clean()


@pytest.mark.django_db
def test_session_cannot_have_two_hosts(make_session, bureau, organization):
    session = TrainingSession(
        title="x", date=datetime.date(2018, 5, 1), host_bureau=bureau, host_organization=organization
    )
    with pytest.raises(ValidationError, match="どちらか一方"):
        session.full_clean()


@pytest.mark.django_db
def test_reported_total_is_unique_per_year(category):
    ReportedFigure.objects.create(fiscal_year=2018, sessions=48, participants=1800, source_document="報告書")
    with pytest.raises(ValidationError, match="この年度の合計の公表数値は既に登録されています"):
        ReportedFigure(fiscal_year=2018, sessions=1, participants=1, source_document="x").full_clean()
    ReportedFigure.objects.create(
        fiscal_year=2018, category=category, sessions=2, participants=130, source_document="x"
    )
    with pytest.raises(ValidationError, match="この年度・区分の公表数値は既に登録されています"):
        ReportedFigure(
            fiscal_year=2018, category=category, sessions=2, participants=130, source_document="x"
        ).full_clean()


@pytest.mark.django_db
def test_sheet_hash_is_unique_and_deleting_a_sheet_removes_its_rows(make_session):
    session = make_session()
    sheet = AttendanceSheet.objects.create(file_name="a.csv", sha256="a" * 64, session=session, row_count=2)
    Attendance.objects.create(session=session, sheet=sheet, row_number=1, name="甲")
    Attendance.objects.create(session=session, sheet=sheet, row_number=2, name="乙")
    Attendance.objects.create(session=session, name="手入力")
    with pytest.raises(ValidationError, match="同じ内容のファイルは既に取り込まれています"):
        AttendanceSheet(file_name="b.csv", sha256="a" * 64).full_clean()

    sheet.delete()

    assert list(Attendance.objects.values_list("name", flat=True)) == ["手入力"]


@pytest.mark.django_db
def test_str_of_training_models(make_session, category):
    session = make_session(title="研修A", date=datetime.date(2018, 7, 1), category=category)
    attendance = Attendance.objects.create(session=session)
    figure = ReportedFigure.objects.create(fiscal_year=2018, sessions=1, participants=1, source_document="x")
    assert str(session) == "2018-07-01 研修A"
    assert str(category) == "ア 地域まちづくり課主催研修"
    assert str(attendance).startswith("出席者 #")
    assert str(figure) == "2018年度（平成30年度） 合計"


def test_a_sheet_is_named_with_its_upload_time_in_tokyo(make_session):
    # 02:52 UTC is 11:52 in Tokyo: the name agrees with the 取込日時 the admin shows.
    sheet = AttendanceSheet.objects.create(file_name="名簿.csv", sha256="a" * 64, session=make_session())
    AttendanceSheet.objects.filter(pk=sheet.pk).update(
        uploaded_at=datetime.datetime(2026, 11, 28, 2, 52, tzinfo=datetime.UTC)
    )
    sheet.refresh_from_db()
    assert str(sheet) == "名簿.csv（2026-11-28 11:52）"
    late = datetime.datetime(2026, 11, 28, 16, 5, tzinfo=datetime.UTC)  # the next day in Tokyo
    AttendanceSheet.objects.filter(pk=sheet.pk).update(uploaded_at=late)
    sheet.refresh_from_db()
    assert str(sheet) == "名簿.csv（2026-11-29 01:05）"
