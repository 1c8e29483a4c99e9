"""The per-session row count and the per-row fiscal year that database triggers keep (migrations 0004/0005).

Every write path is exercised, and each test compares the stored figures with the rows counted
afresh, so that a path the triggers missed shows as a mismatch.
"""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.trainings.conftest import data_file
from trainings import services
from trainings.importing.kinds import resource_for
from trainings.importing.sheets import read_sheet
from trainings.models import Attendance, AttendanceSheet, TrainingSession
from trainings.retention import purge_personal_data


def stored(session):
    return TrainingSession.objects.values_list("attendance_count", flat=True).get(pk=session.pk)


def assert_consistent():
    """Every session's stored count equals its rows, every row's stored year its session's."""
    for session in TrainingSession.objects.all():
        assert session.attendance_count == session.attendances.count(), session
    for attendance in Attendance.objects.select_related("session"):
        assert attendance.fiscal_year == attendance.session.fiscal_year, attendance
    assert services.denormalisation_mismatches() == (0, 0)


def run_import(name, kind, session=None):
    result = resource_for(kind, session=session).import_data(read_sheet(data_file(name), name))
    assert result.sheet_record is not None, result.plan.base_errors
    return result.sheet_record


def test_create_and_bulk_create_count_rows_and_copy_the_year(make_session):
    first = make_session(date=datetime.date(2019, 3, 31))
    second = make_session(date=datetime.date(2019, 4, 1))
    Attendance.objects.create(session=first, name="甲")
    Attendance.objects.bulk_create([Attendance(session=second, name=f"参加者{i}") for i in range(4)])
    assert (stored(first), stored(second)) == (1, 4)
    assert set(Attendance.objects.values_list("session_id", "fiscal_year")) == {(first.pk, 2018), (second.pk, 2019)}
    assert_consistent()


def test_deleting_rows_one_by_one_and_in_bulk_lowers_the_count(make_session):
    session = make_session()
    rows = Attendance.objects.bulk_create([Attendance(session=session, name=f"参加者{i}") for i in range(5)])
    rows[0].delete()
    Attendance.objects.filter(pk__in=[rows[1].pk, rows[2].pk]).delete()
    assert stored(session) == 2
    assert_consistent()


def test_moving_a_row_to_another_session_moves_its_count_and_year(make_session):
    old = make_session(date=datetime.date(2018, 6, 1))
    new = make_session(date=datetime.date(2020, 6, 1))
    attendance = Attendance.objects.create(session=old, name="甲")
    attendance.session = new
    attendance.save()
    assert (stored(old), stored(new)) == (0, 1)
    assert Attendance.objects.get().fiscal_year == 2020
    Attendance.objects.filter(pk=attendance.pk).update(session=old)
    assert (stored(old), stored(new)) == (1, 0)
    assert_consistent()


def test_a_session_moved_to_another_year_takes_its_rows_along(make_session):
    session = make_session(date=datetime.date(2018, 6, 1))
    Attendance.objects.bulk_create([Attendance(session=session, name=f"参加者{i}") for i in range(3)])
    session.date = datetime.date(2019, 6, 1)
    session.save()
    assert set(Attendance.objects.values_list("fiscal_year", flat=True)) == {2019}
    assert Attendance.objects.for_fiscal_year(2019).count() == 3
    assert_consistent()


def test_saving_a_stale_session_keeps_the_stored_count(make_session):
    session = make_session(headcount=10)  # in memory: attendance_count 0
    Attendance.objects.bulk_create([Attendance(session=session, name=f"参加者{i}") for i in range(3)])
    session.headcount = 12
    session.save()
    assert stored(session) == 3
    assert TrainingSession.objects.with_participant_counts().get(pk=session.pk).participant_count == 3


def test_a_direct_write_of_a_rows_year_is_overruled(make_session):
    session = make_session(date=datetime.date(2018, 6, 1))
    Attendance.objects.create(session=session, name="甲")
    Attendance.objects.update(fiscal_year=1999)
    assert Attendance.objects.get().fiscal_year == 2018


@pytest.mark.django_db
def test_admin_inline_adds_and_deletes_rows(admin_client):
    from tests.trainings.test_admin import ADD_URL, session_form

    data = session_form(
        **{
            "headcount": "",
            "attendances-TOTAL_FORMS": "3",
            "attendances-0-name": "山田太郎",
            "attendances-1-name": "佐藤花子",
            "attendances-2-name": "鈴木一郎",
        }
    )
    assert admin_client.post(reverse(ADD_URL), data).status_code == 302
    session = TrainingSession.objects.get()
    assert stored(session) == 3
    rows = list(Attendance.objects.order_by("pk"))
    change = session_form(
        **{
            "headcount": "",
            "attendances-TOTAL_FORMS": "3",
            "attendances-INITIAL_FORMS": "3",
            **{f"attendances-{i}-id": str(row.pk) for i, row in enumerate(rows)},
            **{f"attendances-{i}-session": str(session.pk) for i in range(3)},
            **{f"attendances-{i}-name": row.name for i, row in enumerate(rows)},
            "attendances-0-DELETE": "on",
        }
    )
    response = admin_client.post(reverse("admin:trainings_trainingsession_change", args=[session.pk]), change)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert stored(session) == 2
    assert_consistent()


def test_import_replace_path_and_sheet_deletion_keep_counts(import_records):
    seminar, outreach = import_records["seminar"], import_records["outreach"]
    Attendance.objects.create(session=seminar, name="手入力 花子")
    run_import("participants_cp932.csv", "participants", seminar)
    assert stored(seminar) == 6
    run_import("participants_corrected_utf8.csv", "participants", seminar)  # replaces the sheet's 5 rows
    assert stored(seminar) == 6
    run_import("participants_multi_cp932.csv", "participants_multi")
    assert_consistent()

    AttendanceSheet.objects.get(kind="participants_multi").delete()
    assert_consistent()
    AttendanceSheet.objects.all().delete()  # the admin's bulk delete action
    assert (stored(seminar), stored(outreach)) == (1, 0)
    assert_consistent()


def test_deleting_a_session_deletes_its_rows(make_session):
    kept, deleted = make_session(), make_session()
    Attendance.objects.bulk_create([Attendance(session=s, name="甲") for s in (kept, deleted, deleted)])
    deleted.delete()
    assert stored(kept) == 1 and Attendance.objects.count() == 1
    assert_consistent()


def test_retention_purge_keeps_counts(make_session):
    session = make_session(date=datetime.date(2016, 6, 1))
    Attendance.objects.bulk_create([Attendance(session=session, name=f"参加者{i}") for i in range(3)])
    purge_personal_data(before_fiscal_year=2018)
    assert stored(session) == 3
    assert_consistent()


def test_check_command_finds_and_repairs_a_wrong_count(make_session):
    session = make_session()
    Attendance.objects.bulk_create([Attendance(session=session, name="甲"), Attendance(session=session, name="乙")])
    out = StringIO()
    call_command("check_attendance_counts", stdout=out)
    assert "一致しています" in out.getvalue()

    TrainingSession.objects.filter(pk=session.pk).update(attendance_count=7)  # as if triggers were bypassed
    with pytest.raises(CommandError, match="名簿の行数が一致しない研修 1件"):
        call_command("check_attendance_counts", stdout=StringIO())
    call_command("check_attendance_counts", "--fix", stdout=StringIO())
    assert stored(session) == 2
    assert_consistent()


def test_sessions_export_reads_the_stored_row_counts(make_session, django_assert_max_num_queries):
    from trainings.importing import columns as cols
    from trainings.importing.sessions import SessionsResource

    empty = make_session(title="名簿なし", headcount=12)
    full = make_session(title="名簿あり")
    Attendance.objects.bulk_create([Attendance(session=full, name=f"参加者{i}") for i in range(2)])
    for i in range(5):
        make_session(title=f"名簿なし{i}")
    with django_assert_max_num_queries(2):  # not one query per session without rows
        dataset = SessionsResource().export()
    rows = dict(zip(dataset["研修名"], dataset[cols.ROWS_COLUMN], strict=True))
    assert (rows[empty.title], rows[full.title]) == (0, 2)
