"""The writer of streamed imports: COPY on a second thread on PostgreSQL, the plain writer elsewhere."""

import datetime
import sys
import threading

import pytest
from django.db import IntegrityError, connection, transaction

from trainings.importing import copy_writer
from trainings.importing.background_writer import SWITCH_INTERVAL, BackgroundWriter, SyncWriter, attendance_writer
from trainings.models import Attendance, AttendanceSheet

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the thread writes on PostgreSQL only")


@pytest.fixture
def session(make_session):
    return make_session(date=datetime.date(2019, 5, 20))


@pytest.fixture
def sheet(db):
    return AttendanceSheet.objects.create(kind="participants_multi", file_name="a.csv", sha256="a" * 64)


def rows(session, sheet, first, count, *, session_id=None):
    """Return `count` unsaved rows numbered from `first`, as the import builds them."""
    return [
        copy_writer.new_row(
            session_id=session_id or session.pk,
            sheet_id=sheet.pk,
            fiscal_year=session.fiscal_year,
            row_number=n,
            name=f"受講者 {n}",
        ).set_derived_fields(organization_name="")
        for n in range(first, first + count)
    ]


def writer_threads():
    return [t for t in threading.enumerate() if t.name == "attendance-copy"]


def copies(statements):
    return [s for s in statements if s.startswith('COPY "trainings_attendance"')]


def test_the_writer_is_the_thread_on_postgresql_and_the_plain_writer_elsewhere(db):
    writer = attendance_writer("default", statement_rows=10, batch_size=10)
    expected = BackgroundWriter if connection.vendor == "postgresql" else SyncWriter
    assert type(writer) is expected


def test_chunks_written_through_the_writer_are_stored_and_counted(session, sheet):
    with transaction.atomic(), attendance_writer("default", statement_rows=3, batch_size=2) as writer:
        writer.write(rows(session, sheet, 1, 4))
        writer.write([])
        writer.write(rows(session, sheet, 5, 3))
    assert list(Attendance.objects.order_by("row_number").values_list("row_number", flat=True)) == list(range(1, 8))
    session.refresh_from_db()
    assert session.attendance_count == 7
    assert not writer_threads()


@on_postgresql
def test_a_query_of_the_caller_waits_until_every_queued_row_is_written(session, sheet):
    finished = []  # statements in the order they finished

    def spy(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        finished.append(sql)
        return result

    with connection.execute_wrapper(spy), attendance_writer("default", statement_rows=100, batch_size=2) as writer:
        for first in range(1, 50, 7):
            writer.write(rows(session, sheet, first, 7))
        # The count runs after the COPYs of every row queued before it, never between them.
        assert Attendance.objects.count() == 49
        count_at = next(i for i, s in enumerate(finished) if s.startswith("SELECT COUNT"))
        assert copies(finished[:count_at]) and not copies(finished[count_at:])
    assert not writer_threads()


@on_postgresql
def test_a_copy_holds_at_most_statement_rows(session, sheet):
    statements = []

    def spy(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy), attendance_writer("default", statement_rows=3, batch_size=2) as writer:
        writer.write(rows(session, sheet, 1, 7))  # one chunk: COPYs of 3, 3 and 1 rows
    assert len(copies(statements)) == 3
    assert Attendance.objects.count() == 7


@on_postgresql
def test_an_error_in_the_thread_is_raised_in_the_caller_and_nothing_stays(session, sheet, monkeypatch):
    failure = OSError("disk full")
    calls = []
    real_write_batch = copy_writer.write_batch

    def failing_write_batch(connection, rows):
        calls.append(1)
        if len(calls) == 2:
            raise failure
        return real_write_batch(connection, rows)

    monkeypatch.setattr(copy_writer, "write_batch", failing_write_batch)
    writer = attendance_writer("default", statement_rows=2, batch_size=2)
    with pytest.raises(OSError) as raised, transaction.atomic(), writer:
        writer.write(rows(session, sheet, 1, 5))
        for first in range(6, 60, 5):
            writer.write(rows(session, sheet, first, 5))  # raises once the thread has failed
    assert raised.value is failure  # the thread's own exception, not a copy or a wrapper
    assert not writer_threads()
    assert not Attendance.objects.exists()


@on_postgresql
def test_a_missing_session_fails_at_its_copy_and_the_foreign_keys_are_deferred_again_after(session, sheet):
    writer = attendance_writer("default", statement_rows=10, batch_size=2)
    with pytest.raises(IntegrityError), transaction.atomic(), writer:
        writer.write(rows(session, sheet, 1, 2, session_id=session.pk + 1000))
        writer.pause()  # the COPY ended: its foreign keys were checked there, not at the commit
    assert not Attendance.objects.exists()
    with transaction.atomic():
        with attendance_writer("default", statement_rows=10, batch_size=2) as writer:
            writer.write(rows(session, sheet, 1, 2))
        # After the block the checks wait for the commit again, as Django declares its foreign keys.
        with transaction.atomic():
            Attendance.objects.bulk_create(rows(session, sheet, 3, 1, session_id=session.pk + 1000))
        Attendance.objects.filter(row_number=3).delete()
    assert Attendance.objects.count() == 2


@on_postgresql
def test_leaving_the_block_by_an_exception_abandons_the_copy_and_waits_for_the_thread(session, sheet):
    writer = attendance_writer("default", statement_rows=1_000_000, batch_size=2)
    with pytest.raises(ValueError, match="invalid sheet"), transaction.atomic(), writer:
        for first in range(1, 2000, 100):
            writer.write(rows(session, sheet, first, 100))
        raise ValueError("invalid sheet")
    assert not writer_threads()
    assert not Attendance.objects.exists()
    assert Attendance.objects.count() == 0  # the connection works on


@on_postgresql
def test_the_writer_waits_for_at_most_queued_chunks(session, sheet, monkeypatch):
    started, release = threading.Event(), threading.Event()
    real_write_batch = copy_writer.write_batch

    def slow_write_batch(connection, rows):
        started.set()
        release.wait(10)
        return real_write_batch(connection, rows)

    monkeypatch.setattr(copy_writer, "write_batch", slow_write_batch)
    with attendance_writer("default", statement_rows=1, batch_size=2) as writer:
        writer.write(rows(session, sheet, 1, 1))
        assert started.wait(10)
        for first in range(2, 2 + writer.queue.maxsize):
            writer.write(rows(session, sheet, first, 1))
        assert writer.queue.full()  # a further write() would wait: memory stays bounded
        release.set()
    assert Attendance.objects.count() == 1 + writer.queue.maxsize


@on_postgresql
def test_the_gil_is_handed_over_more_often_only_while_the_writer_runs(session, sheet):
    before = sys.getswitchinterval()
    inside = []
    with pytest.raises(ValueError, match="stop"), transaction.atomic():
        with attendance_writer("default", statement_rows=10, batch_size=2) as writer:
            writer.write(rows(session, sheet, 1, 5))
            inside.append(sys.getswitchinterval())
        with attendance_writer("default", statement_rows=10, batch_size=2):
            inside.append(sys.getswitchinterval())
            raise ValueError("stop")
    assert inside == [SWITCH_INTERVAL, SWITCH_INTERVAL] and before > SWITCH_INTERVAL
    assert sys.getswitchinterval() == before
