"""The attendance writer: COPY on PostgreSQL, bulk_create elsewhere; the same stored values and triggers either way."""

import copy

import pytest
from django.db import connection

from tests.trainings.conftest import data_file
from trainings.importing import copy_writer
from trainings.importing.kinds import resource_for
from trainings.importing.sheets import read_sheet
from trainings.models import Attendance, AttendanceSheet, TrainingSession

COLUMNS = [f.attname for f in Attendance._meta.concrete_fields if f.attname not in ("id", "sheet_id")]


def planned_rows():
    """Return the validated, unsaved rows of a multi-session sheet (furigana, organisations, wards, notes)."""
    name = "participants_multi_cp932.csv"
    return resource_for("participants_multi").build_plan(read_sheet(data_file(name), name)).attendances


def stored(sheet):
    return list(Attendance.objects.filter(sheet=sheet).order_by("row_number").values_list(*COLUMNS))


def test_the_writer_stores_what_bulk_create_stores_and_the_triggers_follow(import_records):
    rows = planned_rows()
    assert rows
    by_writer = AttendanceSheet.objects.create(kind="participants_multi", file_name="a.csv", sha256="a" * 64)
    by_orm = AttendanceSheet.objects.create(kind="participants_multi", file_name="b.csv", sha256="b" * 64)
    first, second = copy.deepcopy(rows), copy.deepcopy(rows)
    for row in first:
        row.sheet_id = by_writer.pk
    for row in second:
        row.sheet_id = by_orm.pk
    statements = []

    def spy(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        assert copy_writer.write_attendances(first, using="default", batch_size=2, copy_batch_size=2) == len(rows)
    Attendance.objects.bulk_create(second)
    assert stored(by_writer) == stored(by_orm)
    assert all(year is not None for *_, year in Attendance.objects.values_list("fiscal_year"))
    expected = "COPY" if connection.vendor == "postgresql" else "INSERT"
    assert [s.split()[0] for s in statements if "trainings_attendance" in s] == [expected] * -(-len(rows) // 2)
    for session in TrainingSession.objects.all():
        assert session.attendance_count == Attendance.objects.filter(session=session).count()


def test_new_row_builds_the_instance_the_model_builds():
    values = {
        "session_id": 1,
        "row_number": 3,
        "name": "髙橋 一郎",
        "name_kana": "たかはし いちろう",
        "organization_id": None,
        "organization_text": "中村地域ケアプラザ",
        "ward_id": 7,
        "role": "会長",
        "note": "",
    }
    fast, model = copy_writer.new_row(**values), Attendance(**values)
    assert {k: v for k, v in vars(fast).items() if k != "_state"} == {
        k: v for k, v in vars(model).items() if k != "_state"
    }
    assert (fast.pk, fast._state.adding, fast._state.db) == (None, True, None)
    fast.set_derived_fields(organization_name=None)
    assert fast.person_key == model.set_derived_fields(organization_name=None).person_key


def test_new_row_refuses_a_name_that_is_no_field():
    with pytest.raises(TypeError):
        copy_writer.new_row(nonsense=1)
