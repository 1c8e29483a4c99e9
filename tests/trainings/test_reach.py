"""The persons, organisations and wards reached per year and category that triggers keep (trainings.reach).

Every write path is exercised and the tables are compared with the reach recounted in Python
from the rows (and with services.reach_mismatches(), the check command's SQL recount).
"""

import datetime
import importlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partners.models import Organization, Ward
from tests.trainings.test_stored_counts import run_import
from trainings import services
from trainings.models import Attendance, AttendanceSheet, TrainingCategory, TrainingSession
from trainings.reach import (
    NO_CATEGORY,
    PAUSE_TABLE,
    PG_BULK_SETTING,
    WHOLE_YEAR,
    Reach,
    ReachTotal,
    rows_reached_in_bulk,
)
from trainings.retention import purge_personal_data


def recounted():
    """Return ({(year, scope, kind, value): rows}, {(year, scope): (persons, organisations, wards)}) from the rows."""
    reach = {}
    for row in Attendance.objects.select_related("session"):
        category = row.session.category_id or NO_CATEGORY
        for scope in (category, WHOLE_YEAR):
            for kind, value in (("p", row.person_key), ("o", row.organization_id), ("w", row.ward_id)):
                if value not in ("", None):
                    key = (row.session.fiscal_year, scope, kind, str(value))
                    reach[key] = reach.get(key, 0) + 1
    totals = {}
    for year, scope, kind, _ in reach:
        persons, organizations, wards = totals.get((year, scope), (0, 0, 0))
        totals[(year, scope)] = (persons + (kind == "p"), organizations + (kind == "o"), wards + (kind == "w"))
    return reach, totals


def stored():
    reach = {(r.fiscal_year, r.scope, r.kind, r.value): r.row_count for r in Reach.objects.all()}
    totals = {
        (t.fiscal_year, t.scope): (t.persons, t.organizations, t.wards)
        for t in ReachTotal.objects.all()
        if (t.persons, t.organizations, t.wards) != (0, 0, 0)
    }
    return reach, totals


def assert_reach_consistent():
    assert stored() == recounted()
    assert services.reach_mismatches() == 0


@pytest.fixture
def places(db, ward):
    other_ward = Ward.objects.exclude(pk=ward.pk).order_by("code").first()
    return {
        "ward": ward,
        "other_ward": other_ward,
        "org": Organization.objects.create(name="南地域ケアプラザ", kind="care_plaza", ward=ward),
        "other_org": Organization.objects.create(name="港地域ケアプラザ", kind="care_plaza", ward=other_ward),
        "a": TrainingCategory.objects.create(code="ア", name="主催研修", order=1),
        "b": TrainingCategory.objects.create(code="イ", name="出前塾", order=2),
    }


def test_saved_rows_are_reached_once_per_person_in_each_scope(make_session, places):
    first = make_session(category=places["a"], date=datetime.date(2019, 5, 1))
    second = make_session(category=places["b"], date=datetime.date(2019, 6, 1))
    for session in (first, first, second):
        Attendance.objects.create(session=session, name="山田太郎", organization=places["org"], ward=places["ward"])
    Attendance.objects.create(session=second, name="", organization_text="不明", ward=None)  # reaches nothing
    year = ReachTotal.objects.get(fiscal_year=2019, scope=WHOLE_YEAR)
    assert (year.persons, year.organizations, year.wards) == (1, 1, 1)
    assert Reach.objects.get(fiscal_year=2019, scope=WHOLE_YEAR, kind="p").row_count == 3
    assert Reach.objects.get(fiscal_year=2019, scope=places["a"].pk, kind="p").row_count == 2
    assert_reach_consistent()


def test_bulk_create_and_deletes_one_by_one_and_in_bulk(make_session, places):
    session = make_session(category=places["a"])
    rows = Attendance.objects.bulk_create(
        [Attendance(session=session, name=f"参加者{i % 3}", ward=places["ward"]).set_derived_fields() for i in range(6)]
    )
    assert ReachTotal.objects.get(fiscal_year=2018, scope=WHOLE_YEAR).persons == 3
    rows[0].delete()
    assert_reach_consistent()
    Attendance.objects.filter(pk__in=[r.pk for r in rows[1:4]]).delete()
    assert_reach_consistent()
    Attendance.objects.all().delete()
    assert Reach.objects.count() == 0
    assert_reach_consistent()


def reach_rows(fiscal_year):
    return {(r.scope, r.kind, r.value): r.row_count for r in Reach.objects.filter(fiscal_year=fiscal_year)}


@pytest.mark.parametrize("others", [0, 100])
def test_a_bulk_delete_lowers_shared_keys_and_empties_the_others(make_session, places, others):
    # One statement deletes rows of two years and three scopes: keys also reached by rows that stay
    # are lowered, keys reached only by deleted rows go, with the totals. On PostgreSQL the trigger
    # hashes the year's reach rows for a delete as big as them, and probes each key when `others`
    # (rows that stay, a person each) make the year's keys outnumber the deleted rows eightfold.
    sessions = [
        make_session(category=category, date=datetime.date(year, 6, 1))
        for category, year in ((places["a"], 2018), (places["b"], 2018), (None, 2018), (places["a"], 2019))
    ]
    kept = [
        Attendance(session=sessions[0], name="残る 人", organization=places["org"], ward=places["ward"]),
        Attendance(session=sessions[3], name="消える 人", organization=places["org"], ward=places["ward"]),
    ]
    deleted = [
        Attendance(session=sessions[i % 4], name=name, organization=org, ward=ward)
        for i, (name, org, ward) in enumerate(
            [
                ("残る 人", places["org"], places["ward"]),
                ("消える 人", places["other_org"], places["other_ward"]),
                ("消える 人", None, None),
                ("", None, places["other_ward"]),
                ("別の 人", places["other_org"], None),
                ("残る 人", places["org"], places["ward"]),
            ]
        )
    ]
    kept += [Attendance(session=sessions[0], name=f"ほかの 人{i}") for i in range(others)]
    Attendance.objects.bulk_create([row.set_derived_fields() for row in kept + deleted])
    Attendance.objects.filter(pk__in=[row.pk for row in deleted]).delete()
    assert ReachTotal.objects.get(fiscal_year=2018, scope=WHOLE_YEAR).persons == 1 + others
    assert ReachTotal.objects.get(fiscal_year=2018, scope=places["b"].pk).persons == 0
    assert Reach.objects.get(fiscal_year=2018, scope=WHOLE_YEAR, kind="o").row_count == 1
    assert_reach_consistent()


def test_deleting_one_years_rows_keeps_the_same_keys_of_another_year(make_session, places):
    first, second = (make_session(category=places["a"], date=datetime.date(y, 6, 1)) for y in (2018, 2019))
    rows = [
        Attendance(session=session, name=name, organization=places["org"], ward=places["ward"]).set_derived_fields()
        for session in (first, second, second)
        for name in ("甲", "乙")
    ]
    Attendance.objects.bulk_create(rows)
    before = reach_rows(2019)
    Attendance.objects.filter(session=first).delete()
    assert reach_rows(2019) == before
    assert not Reach.objects.filter(fiscal_year=2018).exists()
    assert_reach_consistent()


def test_a_one_row_delete_then_a_bulk_delete_on_one_connection(make_session, places):
    # PostgreSQL plans the trigger's statement for each delete: the plan of the first (one row)
    # must not be the one of the second (hundreds of rows, hashed).
    session = make_session(category=places["b"])
    Attendance.objects.bulk_create(
        Attendance(session=session, name=f"参加者 {i % 150}", ward=places["ward"]).set_derived_fields()
        for i in range(600)
    )
    Attendance.objects.filter(pk=Attendance.objects.order_by("pk").first().pk).delete()
    assert_reach_consistent()
    Attendance.objects.filter(name__in=[f"参加者 {i}" for i in range(100)]).delete()
    assert ReachTotal.objects.get(fiscal_year=2018, scope=places["b"].pk).persons == 50
    assert_reach_consistent()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="0016 replaces a PostgreSQL function")
def test_the_delete_function_migrates_back_and_forth(make_session, places):
    reach_0016 = importlib.import_module("trainings.migrations.0016_reach_delete_planned_per_statement")
    session = make_session(category=places["a"])
    Attendance.objects.bulk_create(
        Attendance(session=session, name=f"参加者 {i % 4}", ward=places["ward"]).set_derived_fields() for i in range(12)
    )
    for function in (reach_0016.previous_delete_function(), reach_0016.DELETE_FUNCTION):
        with connection.cursor() as cursor:
            cursor.execute(function)
        Attendance.objects.filter(pk__in=Attendance.objects.order_by("pk").values("pk")[:5]).delete()
        assert_reach_consistent()


def test_changing_a_rows_name_organisation_ward_or_session(make_session, places):
    old = make_session(category=places["a"], date=datetime.date(2018, 6, 1))
    new = make_session(category=None, date=datetime.date(2020, 6, 1))
    row = Attendance.objects.create(session=old, name="甲", organization=places["org"], ward=places["ward"])
    row.name = "乙"
    row.organization = places["other_org"]
    row.save()
    assert_reach_consistent()
    row.session = new
    row.save()
    assert set(Reach.objects.values_list("fiscal_year", "scope").distinct()) == {(2020, NO_CATEGORY), (2020, 0)}
    assert_reach_consistent()
    # QuerySet.update() reaches the table without save(): the triggers still see it.
    Attendance.objects.update(ward=places["other_ward"], organization=None, session=old)
    assert_reach_consistent()


def test_a_session_changing_category_or_year_moves_its_rows(make_session, places):
    session = make_session(category=places["a"], date=datetime.date(2018, 6, 1))
    stays = make_session(category=places["a"], date=datetime.date(2018, 7, 1))
    Attendance.objects.create(session=stays, name="甲", ward=places["ward"])
    for name in ("甲", "乙", "乙"):
        Attendance.objects.create(session=session, name=name, organization=places["org"], ward=places["ward"])
    session.category = places["b"]
    session.save()
    assert ReachTotal.objects.get(fiscal_year=2018, scope=places["b"].pk).persons == 2
    assert ReachTotal.objects.get(fiscal_year=2018, scope=places["a"].pk).persons == 1
    assert_reach_consistent()
    session.date = datetime.date(2019, 6, 1)
    session.save()
    assert ReachTotal.objects.get(fiscal_year=2018, scope=WHOLE_YEAR).persons == 1
    assert_reach_consistent()
    TrainingSession.objects.filter(pk=session.pk).update(category=None, fiscal_year=2021)
    assert_reach_consistent()


def test_deleting_a_session_or_a_sheet_removes_its_reach(import_records):
    seminar = import_records["seminar"]
    run_import("participants_cp932.csv", "participants", seminar)
    run_import("participants_multi_cp932.csv", "participants_multi")
    assert Reach.objects.filter(kind="p").exists()
    assert_reach_consistent()
    AttendanceSheet.objects.get(kind="participants_multi").delete()  # undoing an import
    assert_reach_consistent()
    seminar.delete()
    assert_reach_consistent()


def test_an_import_replacing_a_sheet_keeps_the_reach(import_records):
    seminar = import_records["seminar"]
    run_import("participants_cp932.csv", "participants", seminar)
    run_import("participants_corrected_utf8.csv", "participants", seminar)  # replaces the sheet's rows
    assert_reach_consistent()


def test_purging_names_keeps_the_number_of_persons(make_session, places):
    session = make_session(date=datetime.date(2016, 6, 1), category=places["a"])
    for name in ("甲", "乙", "乙"):
        Attendance.objects.create(session=session, name=name)
    before = ReachTotal.objects.get(fiscal_year=2016, scope=WHOLE_YEAR).persons
    purge_personal_data(before_fiscal_year=2018)
    assert ReachTotal.objects.get(fiscal_year=2016, scope=WHOLE_YEAR).persons == before == 2
    assert all(r.value.startswith("purged:") for r in Reach.objects.filter(kind="p"))
    assert_reach_consistent()


def test_a_failed_write_leaves_the_reach_as_it_was(make_session, places):
    session = make_session(category=places["a"])
    Attendance.objects.create(session=session, name="甲")
    before = stored()
    with pytest.raises(RuntimeError), transaction.atomic():
        Attendance.objects.create(session=session, name="乙")
        raise RuntimeError
    assert stored() == before
    assert_reach_consistent()


def test_check_command_finds_and_rebuilds_wrong_reach(make_session, places):
    session = make_session(category=places["a"])
    Attendance.objects.create(session=session, name="甲", ward=places["ward"])
    Reach.objects.filter(kind="w").update(row_count=5)  # as if the triggers had been bypassed
    ReachTotal.objects.filter(scope=WHOLE_YEAR).update(persons=9)
    with pytest.raises(CommandError, match="一致しない到達数の集計行"):
        call_command("check_attendance_counts", stdout=StringIO())
    call_command("check_attendance_counts", "--fix", stdout=StringIO())
    assert_reach_consistent()


def test_the_tables_are_not_dumped(make_session, places):
    Attendance.objects.create(session=make_session(), name="甲")
    out = StringIO()
    call_command("dumpdata", "trainings", stdout=out)
    assert "trainings.reach" not in out.getvalue()
    assert Reach.objects.exists()


# Random writes: after any sequence, the stored reach equals the recount.
OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["add", "bulk_add", "delete", "rename", "move", "reorganise", "recategorise", "redate"]),
        st.integers(min_value=0, max_value=1_000),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_random_writes_keep_the_reach_equal_to_the_rows(make_session, places, operations):
    with transaction.atomic():
        sessions = [
            make_session(category=places[c], date=datetime.date(y, 6, 1))
            for c, y in (("a", 2018), ("b", 2018), ("a", 2019))
        ]
        organizations = [places["org"], places["other_org"], None]
        wards = [places["ward"], places["other_ward"], None]
        names = ["甲", "乙", "丙", ""]

        def new_row(n):
            return Attendance(
                session=sessions[n % 3], name=names[n % 4], organization=organizations[n % 3], ward=wards[(n // 3) % 3]
            ).set_derived_fields()

        for operation, n in operations:
            rows = list(Attendance.objects.order_by("pk"))
            row = rows[n % len(rows)] if rows else None
            if operation == "add" or row is None:
                new_row(n).save()
            elif operation == "bulk_add":
                Attendance.objects.bulk_create([new_row(n + i) for i in range(n % 5 + 1)])
            elif operation == "delete":
                Attendance.objects.filter(pk__in=[r.pk for r in rows[n % len(rows) :: 2]]).delete()
            elif operation == "rename":
                row.name = names[n % 4]
                row.save()
            elif operation == "move":
                Attendance.objects.filter(pk=row.pk).update(session=sessions[n % 3])
            elif operation == "reorganise":
                Attendance.objects.filter(pk=row.pk).update(organization=organizations[n % 3], ward=wards[n % 3])
            elif operation == "recategorise":
                session = sessions[n % 3]
                session.category = [places["a"], places["b"], None][n % 3]
                session.save()
            else:
                session = sessions[n % 3]
                session.date = datetime.date(2017 + n % 4, 6, 1)
                session.save()
        assert_reach_consistent()
        transaction.set_rollback(True)


def paused_imports():
    """Return 1 while the insert triggers pause for an import (SQLite: its pause table's rows), else 0."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT current_setting(%s, true)", [PG_BULK_SETTING])
            return int(cursor.fetchone()[0] == "on")
        cursor.execute(f"SELECT COUNT(*) FROM {PAUSE_TABLE}")  # noqa: S608 (a constant)
        return cursor.fetchone()[0]


def test_an_import_of_people_already_typed_in_keeps_the_reach(import_records):
    # The import adds its rows' reach at once (on SQLite, after pausing the row trigger): a person
    # already reached by a typed-in row is no new person, a new one is.
    seminar = import_records["seminar"]
    Attendance.objects.create(session=seminar, name="髙橋 一郎")
    Attendance.objects.create(session=seminar, name="手入力 だけの人")
    run_import("participants_cp932.csv", "participants", seminar)
    run_import("participants_multi_cp932.csv", "participants_multi")
    assert_reach_consistent()


def test_the_row_trigger_runs_again_after_an_import(import_records):
    seminar = import_records["seminar"]
    run_import("participants_cp932.csv", "participants", seminar)
    assert paused_imports() == 0
    Attendance.objects.create(session=seminar, name="あとから 入力")
    assert_reach_consistent()


def test_a_failed_bulk_insert_leaves_no_pause_and_no_reach(import_records):
    seminar = import_records["seminar"]
    before = stored()
    with pytest.raises(RuntimeError), transaction.atomic(), rows_reached_in_bulk("default", sheet_id=0):
        Attendance.objects.create(session=seminar, name="途中で 失敗")
        raise RuntimeError
    assert stored() == before
    assert paused_imports() == 0
    Attendance.objects.create(session=seminar, name="つぎの 人")
    assert_reach_consistent()


def test_an_import_sets_its_rows_years_and_its_sessions_counts(import_records):
    # On SQLite the year and count row triggers are paused during the import too (migration 0015):
    # the rows' years and the sessions' counts are set set-based before the commit.
    seminar = import_records["seminar"]
    Attendance.objects.create(session=seminar, name="手入力 だけの人")
    run_import("participants_multi_cp932.csv", "participants_multi")
    assert services.denormalisation_mismatches() == (0, 0)
    assert_reach_consistent()
    assert paused_imports() == 0


def test_rows_inserted_while_paused_get_their_sessions_year_and_count(make_session, places):
    # Whatever year a writer gave a row (none, or on SQLite a wrong one), the database sets its
    # session's; each session's count grows by its rows of the sheet, not by the sheet's whole size.
    # PostgreSQL refuses a wrong year instead (migration 0018, tests/trainings/test_fiscal_year_triggers.py).
    wrong = connection.vendor == "sqlite"
    first, second = make_session(date=datetime.date(2019, 5, 20)), make_session(date=datetime.date(2020, 6, 1))
    sheet = AttendanceSheet.objects.create(kind="participants_multi", file_name="x.csv", sha256="f" * 64)
    with transaction.atomic(), rows_reached_in_bulk("default", sheet_id=sheet.pk):
        Attendance.objects.bulk_create(
            [
                Attendance(session=first, sheet=sheet, name="年度 なし").set_derived_fields(),
                Attendance(
                    session=first, sheet=sheet, name="年度 ちがい", fiscal_year=2001 if wrong else None
                ).set_derived_fields(),
                Attendance(session=second, sheet=sheet, name="年度 あり", fiscal_year=2020).set_derived_fields(),
            ]
        )
        # Paused (SQLite: 0015's row triggers; PostgreSQL: 0019's statement triggers): nothing counted
        # or reached yet, inside the block.
        assert paused_imports() == 1
        assert [s.attendance_count for s in TrainingSession.objects.filter(pk__in=[first.pk, second.pk])] == [0, 0]
        assert not Reach.objects.exists()
    assert paused_imports() == 0
    assert sorted(Attendance.objects.values_list("name", "fiscal_year")) == [
        ("年度 あり", 2020),
        ("年度 ちがい", 2019),
        ("年度 なし", 2019),
    ]
    assert [
        s.attendance_count for s in TrainingSession.objects.filter(pk__in=[first.pk, second.pk]).order_by("date")
    ] == [2, 1]
    assert services.denormalisation_mismatches() == (0, 0)
    assert_reach_consistent()
    # Outside an import the row triggers run again.
    Attendance.objects.create(session=second, name="あとから 入力", fiscal_year=1999 if wrong else None)
    assert TrainingSession.objects.get(pk=second.pk).attendance_count == 2
    assert Attendance.objects.get(name="あとから 入力").fiscal_year == 2020


@pytest.mark.django_db(transaction=True)
def test_a_pause_outside_a_transaction_is_refused(make_session):
    # In autocommit the pause would end with its own statement while the rows were still counted
    # at the end: counted twice. Refused before anything is written.
    session = make_session()
    with pytest.raises(transaction.TransactionManagementError), rows_reached_in_bulk("default", sheet_id=0):
        Attendance.objects.create(session=session, name="取消 される")
    assert not Attendance.objects.exists()
    assert paused_imports() == 0
