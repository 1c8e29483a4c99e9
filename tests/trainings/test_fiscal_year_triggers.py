"""PostgreSQL's triggers of an attendance row's fiscal year (migrations 0005 and 0018).

A row that comes without a year takes its session's (a row trigger WHEN the year is NULL); a row
that comes with its session's year keeps it, no plpgsql called for it; a wrong year is refused
for the whole statement (a statement trigger); an update recomputes the year.
"""

import datetime
import importlib

import pytest
from django.db import IntegrityError, connection, transaction

from trainings.models import Attendance

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="migration 0018 is PostgreSQL's")

migration_0018 = importlib.import_module("trainings.migrations.0018_pg_fiscal_year_checked_per_statement")


def trigger_definition(name):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relname = 'trainings_attendance' AND t.tgname = %s",
            [name],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def set_function_calls():
    """Return how often this transaction has called the row function that looks the session's year up."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(sum(calls), 0) FROM pg_stat_xact_user_functions "
            "WHERE funcname = 'trainings_attendance_set_fiscal_year'"
        )
        return cursor.fetchone()[0]


def insert_raw(session_id, fiscal_year, name):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO trainings_attendance (session_id, fiscal_year, name, name_kana, organization_text, "
            "role, note, person_key, search_key) VALUES (%s, %s, %s, '', '', '', '', '', '')",
            [session_id, fiscal_year, name],
        )


@pytest.fixture
def sessions(make_session):
    return make_session(date=datetime.date(2018, 6, 1)), make_session(date=datetime.date(2020, 6, 1))


def test_a_row_inserted_without_a_year_gets_its_sessions(sessions):
    first, second = sessions
    Attendance.objects.create(session=first, name="甲")
    Attendance.objects.bulk_create([Attendance(session=second, name="乙")])
    insert_raw(second.pk, None, "丙")
    assert sorted(Attendance.objects.values_list("name", "fiscal_year")) == [("丙", 2020), ("乙", 2020), ("甲", 2018)]


def test_the_row_trigger_runs_only_for_a_row_without_a_year(db):
    definition = trigger_definition("trainings_attendance_set_fiscal_year")
    assert "BEFORE INSERT ON" in definition and "UPDATE" not in definition
    assert "WHEN ((new.fiscal_year IS NULL))" in definition
    assert "WHEN" not in trigger_definition("trainings_attendance_reset_fiscal_year")


def test_a_row_inserted_with_its_sessions_year_keeps_it_without_the_row_function(sessions):
    first, second = sessions
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser')")
        if cursor.fetchone()[0] != "on":
            pytest.skip("track_functions can only be set by a superuser")
        cursor.execute("SET LOCAL track_functions = 'pl'")
    Attendance.objects.bulk_create(
        [
            Attendance(session=first, name="甲", fiscal_year=2018),
            Attendance(session=second, name="乙", fiscal_year=2020),
        ]
    )
    insert_raw(first.pk, 2018, "丙")
    assert set_function_calls() == 0
    assert sorted(Attendance.objects.values_list("name", "fiscal_year")) == [("丙", 2018), ("乙", 2020), ("甲", 2018)]
    Attendance.objects.create(session=first, name="丁")  # no year: the function sets it
    assert set_function_calls() == 1


def test_a_row_inserted_with_a_wrong_year_is_refused_and_nothing_is_written(sessions):
    first, second = sessions
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Attendance.objects.bulk_create(
            [
                Attendance(session=first, name="正しい 年度", fiscal_year=2018),
                Attendance(session=second, name="ちがう 年度", fiscal_year=2018),
            ]
        )
    assert f"(id {second.pk})" in str(refused.value) and "fiscal_year" in str(refused.value)
    assert "年度" not in str(refused.value)  # no personal value in the message
    assert refused.value.__cause__.sqlstate == "23514"  # check_violation
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_raw(first.pk, 1999, "生 INSERT")
    assert not Attendance.objects.exists()
    assert first.attendances.count() == 0 and second.attendances.count() == 0


def test_an_update_moving_a_row_to_a_session_of_another_year_takes_that_year(sessions):
    first, second = sessions
    row = Attendance.objects.create(session=first, name="甲")
    row.refresh_from_db()
    row.session = second
    row.save()  # writes the stale year 2018 along with the new session
    assert Attendance.objects.get().fiscal_year == 2020
    Attendance.objects.update(session=first, fiscal_year=2020)
    assert Attendance.objects.get().fiscal_year == 2018
    Attendance.objects.update(fiscal_year=1999)  # a direct write of the year is overruled
    assert Attendance.objects.get().fiscal_year == 2018


def test_a_session_moved_to_another_year_carries_its_rows(sessions):
    first, second = sessions
    Attendance.objects.bulk_create(
        [Attendance(session=first, name=f"参加者{i}", fiscal_year=2018) for i in range(3)]
        + [Attendance(session=second, name="別", fiscal_year=2020)]
    )
    first.date = datetime.date(2019, 6, 1)
    first.save()
    assert set(Attendance.objects.values_list("session_id", "fiscal_year")) == {(first.pk, 2019), (second.pk, 2020)}


def test_migration_0018_migrates_back_to_0005s_trigger_and_forth(sessions):
    first, _ = sessions
    with connection.schema_editor() as editor:
        migration_0018.backward(None, editor)
    assert trigger_definition("trainings_attendance_set_fiscal_year") == (
        "CREATE TRIGGER trainings_attendance_set_fiscal_year BEFORE INSERT OR UPDATE ON public.trainings_attendance "
        "FOR EACH ROW EXECUTE FUNCTION trainings_attendance_set_fiscal_year()"
    )
    assert trigger_definition("trainings_attendance_reset_fiscal_year") is None
    assert trigger_definition("trainings_attendance_check_fiscal_year") is None
    Attendance.objects.bulk_create([Attendance(session=first, name="甲", fiscal_year=1999)])  # 0005 overrules it
    assert Attendance.objects.get().fiscal_year == 2018
    with connection.schema_editor() as editor:
        migration_0018.forward(None, editor)
    assert "WHEN ((new.fiscal_year IS NULL))" in trigger_definition("trainings_attendance_set_fiscal_year")
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.bulk_create([Attendance(session=first, name="乙", fiscal_year=1999)])


def test_save_leaves_a_new_rows_year_to_the_database_even_from_a_copied_instance(sessions):
    first, second = sessions
    row = Attendance.objects.create(session=first, name="甲")
    row.refresh_from_db()
    row.pk, row._state.adding, row.session = None, True, second  # Django's documented copy
    row.save()
    row.refresh_from_db()
    assert row.fiscal_year == second.fiscal_year != first.fiscal_year
    assert Attendance.objects.create(session=second, name="乙", fiscal_year=1999).fiscal_year is None
    assert Attendance.objects.get(name="乙").fiscal_year == second.fiscal_year
