import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.trainings.conftest import data_file
from trainings.importing import copy_writer, services
from trainings.importing.kinds import resource_for
from trainings.importing.sheets import read_sheet
from trainings.models import Attendance, AttendanceSheet, TrainingSession


def run(name, kind, session=None, dry_run=False):
    return resource_for(kind, session=session).import_data(read_sheet(data_file(name), name), dry_run=dry_run)


def count(session):
    return TrainingSession.objects.with_participant_counts().get(pk=session.pk).participant_count


def test_same_file_again_is_refused_naming_the_earlier_import(import_records, admin_user):
    seminar = import_records["seminar"]
    first = resource_for("participants", session=seminar).import_data(
        read_sheet(data_file("participants_cp932.csv"), "名簿.csv"), user=admin_user
    )
    assert first.sheet_record is not None
    again = run("participants_cp932.csv", "participants", seminar)
    assert again.sheet_record is None
    [message] = again.plan.base_errors
    assert "同じ内容のファイルは既に取り込まれています" in message and "「名簿.csv」" in message and "admin" in message
    assert Attendance.objects.count() == 5 and AttendanceSheet.objects.count() == 1


def test_corrected_sheet_replaces_the_earlier_rows(import_records):
    seminar = import_records["seminar"]
    run("participants_cp932.csv", "participants", seminar)
    preview = run("participants_corrected_utf8.csv", "participants", seminar, dry_run=True)
    # 髙橋・山田・鈴木 are the same people; 佐藤 changed organisation (a new key), 田中 left, 伊藤 came.
    assert (preview.totals["new"], preview.totals["update"], preview.totals["delete"]) == (2, 3, 2)
    assert [n for n in preview.plan.replaced_sheets.values()] == [5]
    run("participants_corrected_utf8.csv", "participants", seminar)
    names = sorted(Attendance.objects.filter(session=seminar).values_list("name", flat=True))
    assert names == sorted(["髙橋 一郎", "山田 ①子", "佐藤 花子", "鈴木 次郎", "伊藤 四郎"])
    assert AttendanceSheet.objects.get().file_name == "participants_corrected_utf8.csv"  # the earlier one is gone
    assert count(seminar) == 5


def test_multi_session_sheet_keeps_the_rows_of_other_sessions(import_records):
    seminar, outreach = import_records["seminar"], import_records["outreach"]
    run("participants_multi_cp932.csv", "participants_multi")
    run("participants_corrected_utf8.csv", "participants", seminar)  # replaces only the seminar's rows
    earlier = AttendanceSheet.objects.get(kind="participants_multi")
    assert earlier.row_count == 2 and earlier.attendances.count() == 2
    assert (count(seminar), count(outreach)) == (5, 2)


def test_deleting_a_sheet_removes_exactly_its_rows(import_records):
    seminar, outreach = import_records["seminar"], import_records["outreach"]
    Attendance.objects.create(session=seminar, name="手入力 花子")
    run("participants_cp932.csv", "participants", outreach)
    run("participants_multi_cp932.csv", "participants_multi")  # replaces outreach's rows, adds the seminar's
    multi = AttendanceSheet.objects.get(kind="participants_multi")
    assert (count(seminar), count(outreach)) == (4, 2)
    multi.delete()
    assert list(Attendance.objects.values_list("name", flat=True)) == ["手入力 花子"]
    assert (count(seminar), count(outreach)) == (1, None)  # outreach falls back to its headcount (unknown)


def test_a_failure_mid_import_leaves_the_database_unchanged(import_records, monkeypatch):
    seminar, outreach = import_records["seminar"], import_records["outreach"]
    run("participants_cp932.csv", "participants", seminar)
    before = sorted(Attendance.objects.values_list("session_id", "name", "sheet_id"))
    calls = {"n": 0}
    real_write_batch = copy_writer.write_batch

    def failing_write_batch(connection, rows):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real_write_batch(connection, rows)

    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    monkeypatch.setattr(services, "COPY_BATCH_SIZE", 2)
    monkeypatch.setattr(copy_writer, "write_batch", failing_write_batch)
    with pytest.raises(RuntimeError, match="disk full"):
        run("participants_multi_cp932.csv", "participants_multi")
    assert calls["n"] == 2  # the first batch had been written before the failure
    assert sorted(Attendance.objects.values_list("session_id", "name", "sheet_id")) == before
    assert AttendanceSheet.objects.count() == 1 and count(outreach) is None


def test_unique_participants_count_people_across_sessions(import_records):
    run("participants_multi_cp932.csv", "participants_multi")
    rows = Attendance.objects.all()
    # 髙橋 attended both sessions: 5 attendances (延べ), 4 people (実人数).
    assert rows.count() == 5
    assert rows.unique_participant_count() == 4
    assert Attendance.objects.for_fiscal_year(2019).unique_participant_count() == 4


# --- Undo -------------------------------------------------------------------------------------


def test_undo_removes_exactly_its_rows_with_one_audit_entry_and_no_row_history(import_records, admin_user):
    outreach = import_records["outreach"]
    other = TrainingSession.objects.create(date=outreach.date, title="別の研修")
    kept = run("participants_cp932.csv", "participants", other).sheet_record
    multi = run("participants_multi_cp932.csv", "participants_multi").sheet_record
    Attendance.objects.create(session=outreach, name="手入力 花子")
    rows_before = Attendance.objects.exclude(sheet=multi).count()
    multi_rows = multi.attendances.count()
    history_rows = Attendance.history.count()
    pk = multi.pk
    assert services.undo_import(multi, user=admin_user) == multi_rows
    assert not AttendanceSheet.objects.filter(pk=pk).exists()
    assert Attendance.objects.count() == rows_before and AttendanceSheet.objects.get() == kept
    assert Attendance.history.count() == history_rows  # no per-row history (names) written
    audit = AttendanceSheet.history.filter(id=pk, history_type="-").get()
    assert (audit.history_user, audit.file_name, audit.row_count) == (admin_user, multi.file_name, multi_rows)
    assert audit.history_change_reason == f"取込の取り消し（{multi_rows:,}行）"
    fresh = {s.pk: s.attendance_count for s in TrainingSession.objects.all()}
    assert fresh == {
        s.pk: Attendance.objects.filter(session=s).count() for s in TrainingSession.objects.all()
    }  # the triggers kept the stored counts


def test_undo_sends_no_per_row_signals_and_its_queries_do_not_grow_with_rows(
    import_records, django_assert_max_num_queries
):
    from django.db.models.signals import post_delete

    seminar = import_records["seminar"]
    sheet = run("participants_cp932.csv", "participants", seminar).sheet_record
    big = AttendanceSheet.objects.create(kind="participants", file_name="大.csv", sha256="f" * 64, row_count=3000)
    Attendance.objects.bulk_create(
        Attendance(session=seminar, sheet=big, row_number=n, name=f"受講者 {n}") for n in range(3000)
    )
    deleted = []

    def receiver(sender, **kwargs):
        deleted.append(sender)

    post_delete.connect(receiver, sender=Attendance, dispatch_uid="test-undo")
    try:
        with django_assert_max_num_queries(12):
            assert services.undo_import(big) == 3000
        with django_assert_max_num_queries(12):
            assert services.undo_import(sheet) == 5
    finally:
        post_delete.disconnect(dispatch_uid="test-undo", sender=Attendance)
    assert deleted == [] and not Attendance.objects.exists()


def insert_rows_in_bulk(cursor, session_ids, sheet_id, n):
    """Insert n sheet rows over `session_ids` in seconds (PostgreSQL; inside the test's transaction).

    Without its indexes and triggers (session_replication_role = replica) the table takes the rows
    as fast as it can; the indexes are then rebuilt and the trigger-kept columns (the rows' year,
    the sessions' counts) set as the triggers would have.
    """
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'trainings_attendance' "
        "AND indexname NOT LIKE '%%pkey'"
    )
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    cursor.execute("SET LOCAL session_replication_role = replica")
    cursor.execute(
        """
        INSERT INTO trainings_attendance (session_id, sheet_id, row_number, name, name_kana,
            organization_text, role, note, person_key, search_key, fiscal_year)
        SELECT (%s::int[])[1 + n %% cardinality(%s::int[])], %s, n + 2, '受講者 ' || n, 'じゅこうしゃ',
            '団体' || (n %% 97), '', '', '受講者' || n || '|団体' || (n %% 97), '受講者' || n, 2019
        FROM generate_series(0, %s - 1) AS n
        """,
        [session_ids, session_ids, sheet_id, n],
    )
    cursor.execute("SET LOCAL session_replication_role = origin")
    for _, definition in indexes:
        cursor.execute(definition)
    cursor.execute(
        "UPDATE trainings_trainingsession AS s SET attendance_count = c.n "
        "FROM (SELECT session_id, count(*) AS n FROM trainings_attendance GROUP BY session_id) AS c "
        "WHERE c.session_id = s.id"
    )
    cursor.execute("ANALYZE trainings_attendance")


@pytest.fixture
def fresh_estimate(db):
    """After the test, estimate the attendance table's rows again (from what the test's transaction leaves).

    CREATE INDEX and ANALYZE write the table's row estimate in place, outside the test's
    transaction: without this, later tests (the admin's estimated counts) would see 200,000 rows.
    """
    yield
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE trainings_attendance")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the 200,000-row undo is measured on PostgreSQL")
def test_undo_of_200000_rows_is_set_based_on_postgresql(import_records, admin_user, fresh_estimate):
    # Set-based, not timed here (timings belong in a benchmark): a fixed handful of statements for
    # 200,000 rows, no history row per attendee, one audit entry for the whole undo.
    sessions = [
        TrainingSession.objects.create(date=datetime.date(2019, 5, 1) + datetime.timedelta(days=i), title=f"研修{i}")
        for i in range(50)
    ]
    sheet = AttendanceSheet.objects.create(kind="participants_multi", file_name="大.csv", sha256="e" * 64)
    ids = [s.pk for s in sessions]
    with connection.cursor() as cursor:
        insert_rows_in_bulk(cursor, [s.pk for s in sessions], sheet.pk, 200_000)
    AttendanceSheet.objects.filter(pk=sheet.pk).update(row_count=200_000)
    sheet.refresh_from_db()
    assert sum(s.attendance_count for s in TrainingSession.objects.filter(pk__in=ids)) == 200_000
    with CaptureQueriesContext(connection) as queries:
        removed = services.undo_import(sheet, user=admin_user)
    assert removed == 200_000
    assert len(queries) <= 20, [q["sql"][:80] for q in queries]
    assert not Attendance.objects.filter(session__in=ids).exists()
    assert set(TrainingSession.objects.filter(pk__in=ids).values_list("attendance_count", flat=True)) == {0}
    assert Attendance.history.count() == 0
    assert AttendanceSheet.history.filter(history_type="-").get().row_count == 200_000


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between two connections: PostgreSQL")
def test_an_undo_in_progress_does_not_block_another_users_preview(transactional_db):
    import threading

    from django.db import connections

    from trainings.importing.tmp_storages import DatabaseStorage

    session = TrainingSession.objects.create(date=datetime.date(2019, 5, 20), title="地域まちづくり支援制度活用研修")
    sheet = AttendanceSheet.objects.create(kind="participants", file_name="大.csv", sha256="d" * 64, session=session)
    Attendance.objects.bulk_create(
        Attendance(session=session, sheet=sheet, row_number=n, name=f"受講者 {n}") for n in range(2000)
    )
    deleted, release, failures = threading.Event(), threading.Event(), []

    def pause_after_delete(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.startswith("DELETE FROM") and "trainings_attendance" in sql and not deleted.is_set():
            deleted.set()
            release.wait(20)
        return result

    def undo():
        try:
            with connection.execute_wrapper(pause_after_delete):
                services.undo_import(AttendanceSheet.objects.get(pk=sheet.pk))
        except Exception as error:  # reported to the main thread
            failures.append(error)
        finally:
            connections.close_all()

    worker = threading.Thread(target=undo)
    worker.start()
    try:
        assert deleted.wait(20)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        # lock_timeout turns any wait on the undo's locks into an error: the proof that nothing waits.
        # Another user's preview of a sheet for the same session: reads the records, stores the upload.
        name = "participants_cp932.csv"
        resource = resource_for("participants", session=session)
        result = resource.import_data(read_sheet(data_file(name), name), dry_run=True)
        DatabaseStorage(name=None, read_mode="rb", encoding=None).save(data_file(name))
        # (Valid or not: an earlier transactional test may have flushed the wards; what counts is no wait.)
        assert result.plan.sheet.rows
    finally:
        release.set()
        worker.join(30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")
    assert not failures and not Attendance.objects.exists()


def test_the_earlier_import_message_writes_the_row_count_with_separators(import_records, admin_user):
    earlier = AttendanceSheet.objects.create(file_name="大きな名簿.csv", sha256="e" * 64, row_count=23000)
    earlier.uploaded_by = admin_user
    assert "「大きな名簿.csv」として取込、23,000行）" in services.earlier_import_message(earlier)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once: PostgreSQL")
def test_two_imports_of_the_same_sessions_at_once_end_one_after_the_other(transactional_db):
    # Since migration 0019 an import takes the reach tables' lock at its end, not at its first COPY:
    # two imports write their rows side by side, then count and reach them one after the other. Both
    # are held right before their end until both have written every row; neither may deadlock, and
    # the later one replaces the earlier one's rows with the counts and reach kept right.
    import threading

    from django.db import connections

    from partners.models import Organization, Ward
    from partners.wards import ensure_wards
    from trainings import services as figures

    ensure_wards()  # an earlier transactional test may have flushed the wards the migration loads
    minami = Ward.objects.get(name="南区")
    Organization.objects.create(name="中村地域ケアプラザ", kind="care_plaza", ward=minami)
    Organization.objects.create(name="南区社会福祉協議会", kind="welfare_council", ward=minami)
    sessions = [
        TrainingSession.objects.create(date=datetime.date(2019, 5, 20), title="地域まちづくり支援制度活用研修"),
        TrainingSession.objects.create(date=datetime.date(2019, 6, 10), title="出前塾（中村地域ケアプラザ）"),
    ]
    name = "participants_multi_cp932.csv"
    first = data_file(name)
    second = first + "2019-06-10,出前塾（中村地域ケアプラザ）,9,追加 の人,,,南区,,\r\n".encode("cp932")
    both_written, failures, results = threading.Barrier(2, timeout=30), [], []

    def hold_before_the_end(execute, sql, params, many, context):
        if "trainings_attendance_add_sheet" in sql:
            both_written.wait()
        return execute(sql, params, many, context)

    def run_import(data):
        try:
            with connection.execute_wrapper(hold_before_the_end):
                result = resource_for("participants_multi").import_streaming(read_sheet(data, name))
            results.append((result.save_error or "", result.sheet_record is not None))
        except Exception as error:  # reported to the main thread
            failures.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run_import, args=(data,)) for data in (first, second)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert not failures and results == [("", True), ("", True)]
    kept = AttendanceSheet.objects.get()  # the later import replaced every row of the earlier one
    assert Attendance.objects.exclude(sheet=kept).count() == 0
    assert (
        sum(TrainingSession.objects.filter(pk__in=[s.pk for s in sessions]).values_list("attendance_count", flat=True))
        == kept.row_count
    )
    assert figures.denormalisation_mismatches() == (0, 0)
    assert figures.reach_mismatches() == 0
