"""Faults during an import: a database error at any statement, or a killed process, leaves nothing behind;
two simultaneous uploads of one file end in exactly one import.
"""

import datetime
import hashlib
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DataError, IntegrityError, OperationalError, connection

from tests.trainings.conftest import data_file
from tests.trainings.db_state import database_state
from trainings.importing import services
from trainings.importing.kinds import resource_for
from trainings.importing.sheets import read_sheet
from trainings.models import Attendance, AttendanceSheet, PendingUpload, TrainingSession

BASE_DIR = Path(settings.BASE_DIR)


def run(name, kind, session=None):
    """Import a sample sheet the way the admin and the command do; return the SheetResult."""
    return resource_for(kind, session=session).import_data(read_sheet(data_file(name), name))


class FailAt:
    """A database execute wrapper raising OperationalError at the `nth` statement starting with `prefix`."""

    def __init__(self, prefix, nth=1):
        self.prefix, self.nth, self.seen = prefix, nth, 0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().startswith(self.prefix):
            self.seen += 1
            if self.seen == self.nth:
                raise OperationalError(f"injected failure at {self.prefix} #{self.nth}")
        return execute(sql, params, many, context)


def earlier_seminar_sheet(records):
    run("participants_cp932.csv", "participants", records["seminar"])  # 5 rows, replaced by the multi sheet


def earlier_multi_sheet(records):
    run("participants_multi_cp932.csv", "participants_multi")  # keeps its outreach rows after the correction


def nothing_earlier(records):
    pass


ADD_SHEET = 'INSERT INTO "trainings_attendancesheet"'
# The attendance rows go in by COPY on PostgreSQL (trainings.importing.copy_writer), by INSERT elsewhere.
ADD_ROWS = 'COPY "trainings_attendance"' if connection.vendor == "postgresql" else 'INSERT INTO "trainings_attendance"'
DELETE_ROWS = 'DELETE FROM "trainings_attendance"'
DELETE_SHEET = 'DELETE FROM "trainings_attendancesheet"'
RECOUNT_SHEET = 'UPDATE "trainings_attendancesheet"'
ADD_SESSIONS = 'INSERT INTO "trainings_trainingsession"'
UPDATE_SESSIONS = 'UPDATE "trainings_trainingsession"'
MULTI = ("participants_multi_cp932.csv", "participants_multi")
CORRECTED = ("participants_corrected_utf8.csv", "participants")
SESSIONS = ("sessions_cp932.csv", "sessions")
SCENARIOS = [
    # (what was imported before, the sheet and kind imported under the fault, the failing statement, nth)
    pytest.param(nothing_earlier, MULTI, ADD_SHEET, 1, id="sheet-row"),
    pytest.param(nothing_earlier, MULTI, ADD_ROWS, 1, id="after-sheet-row"),
    pytest.param(nothing_earlier, MULTI, ADD_ROWS, 2, id="between-batches"),
    pytest.param(earlier_seminar_sheet, MULTI, ADD_ROWS, 3, id="last-batch-after-replacing"),
    pytest.param(earlier_seminar_sheet, MULTI, DELETE_ROWS, 1, id="replacing-rows"),
    pytest.param(earlier_seminar_sheet, MULTI, DELETE_SHEET, 1, id="deleting-emptied-sheet"),
    pytest.param(earlier_multi_sheet, CORRECTED, RECOUNT_SHEET, 1, id="recounting-earlier-sheet"),
    pytest.param(nothing_earlier, SESSIONS, ADD_SESSIONS, 1, id="new-sessions"),
    pytest.param(nothing_earlier, SESSIONS, ADD_SESSIONS, 2, id="between-session-batches"),
    pytest.param(nothing_earlier, SESSIONS, UPDATE_SESSIONS, 1, id="updating-sessions"),
]


@pytest.mark.parametrize(("earlier", "sheet", "statement", "nth"), SCENARIOS)
def test_a_database_error_at_any_statement_leaves_nothing_behind(
    import_records, monkeypatch, earlier, sheet, statement, nth
):
    earlier(import_records)
    name, kind = sheet
    session = import_records["seminar"] if kind == "participants" else None
    sha256 = hashlib.sha256(data_file(name)).hexdigest()
    monkeypatch.setattr(services, "BATCH_SIZE", 2)  # several batches even for five rows
    monkeypatch.setattr(services, "COPY_BATCH_SIZE", 2)
    before = database_state()
    fault = FailAt(statement, nth)
    with connection.execute_wrapper(fault):
        result = run(name, kind, session)
    assert result.save_error == services.SAVE_FAILED and result.sheet_record is None
    assert fault.seen == nth  # the failure happened where intended, after the statements before it ran
    assert database_state() == before
    assert not AttendanceSheet.objects.filter(sha256=sha256).exists()
    # Nothing half-written blocks a retry: the same file imports cleanly once the fault is gone.
    assert run(name, kind, session).sheet_record.sha256 == sha256


# --- A killed import process -------------------------------------------------------------------

ROWS = 60_000  # enough for the writing phase to last well over the polling interval on either database


def write_big_sheet(path, rows):
    """Write a multi-session attendance CSV of `rows` distinct people for the session of 2019-05-20."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("開催日,研修名,No.,氏名,所属\r\n")
        for i in range(rows):
            out.write(f"2019/5/20,大規模研修,{i + 1},受講者 {i:06d},団体{i % 97}\r\n")


def file_database_url(tmp_path):
    """Return a DATABASE_URL a subprocess can open holding the current test database's committed state.

    PostgreSQL: the test database itself (transactional tests commit). SQLite: the test database
    lives in memory, so it is copied into a file with SQLite's backup API.
    """
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}", None
    path = tmp_path / "portal.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}", path


def writing_started(database_file, app_name):
    """Return whether the subprocess is inside its write transaction, inserting attendance rows."""
    if database_file is not None:
        # SQLite (rollback-journal mode) creates the journal when the transaction first changes a page.
        return Path(f"{database_file}-journal").exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s "
            "AND state IN ('active', 'idle in transaction') AND query LIKE %s",
            [app_name, f"{ADD_ROWS}%"],
        )
        return cursor.fetchone()[0] > 0


def wait_for_backend_to_end(app_name, timeout=15):
    """Wait until PostgreSQL has noticed the killed client and rolled its transaction back."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [app_name])
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.05)
    raise AssertionError("the killed import's database session did not end")


def counts(database_file):
    """Return (sheets, attendance rows, sessions) as a fresh reader of the database sees them."""
    tables = ("trainings_attendancesheet", "trainings_attendance", "trainings_trainingsession")
    if database_file is None:
        return AttendanceSheet.objects.count(), Attendance.objects.count(), TrainingSession.objects.count()
    # Opening the file rolls back the hot journal the killed process left, as the next server would.
    reader = sqlite3.connect(database_file)
    try:
        assert reader.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return tuple(reader.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in tables)  # noqa: S608
    finally:
        reader.close()


def import_and_kill_while_writing(sheet, env, database_file, app_name):
    """Start the import command on `sheet`, SIGKILL it once it writes; return (exit status, stderr)."""
    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_attendance", str(sheet), "--kind", "participants_multi"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        while process.poll() is None and not writing_started(database_file, app_name):
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, stderr.decode(errors="replace")


def test_a_killed_import_process_leaves_nothing_behind(transactional_db, tmp_path):
    TrainingSession.objects.create(date=datetime.date(2019, 5, 20), title="大規模研修")
    database_url, database_file = file_database_url(tmp_path)
    app_name = f"faults-kill-test-{os.getpid()}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "test-only-not-secret",
        "IMPORT_MAX_UPLOAD_MB": "500",
        "PGAPPNAME": app_name,
    }
    sheet = tmp_path / "大規模名簿.csv"
    rows = ROWS
    for attempt in range(3):
        write_big_sheet(sheet, rows)
        returncode, stderr = import_and_kill_while_writing(sheet, env, database_file, app_name)
        if returncode == -signal.SIGKILL:
            break
        # The import ended before it could be caught writing: try again with a sheet four times larger.
        assert returncode == 0, stderr
        assert attempt < 2, f"the import of {rows:,} rows finished before it could be killed"
        AttendanceSheet.objects.all().delete()
        database_url, database_file = file_database_url(tmp_path)
        env["DATABASE_URL"] = database_url
        rows *= 4
    if database_file is None:
        wait_for_backend_to_end(app_name)
    sha256 = hashlib.sha256(sheet.read_bytes()).hexdigest()
    assert counts(database_file) == (0, 0, 1)
    assert not AttendanceSheet.objects.filter(sha256=sha256).exists()


# --- Two simultaneous uploads of the same file -------------------------------------------------


def test_two_simultaneous_uploads_of_one_file_import_it_once(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers (one write transaction at a time): run with a PostgreSQL DATABASE_URL")
    TrainingSession.objects.create(date=datetime.date(2019, 5, 20), title="地域まちづくり支援制度活用研修")
    TrainingSession.objects.create(date=datetime.date(2019, 6, 10), title="出前塾（中村地域ケアプラザ）")
    # No ward column: an earlier transactional test may have flushed the wards a migration loads.
    data = "開催日,研修名,氏名,所属\r\n".encode("cp932") + "".join(
        f"{day},{title},受講者 {n},中村地域ケアプラザ\r\n"
        for n, (day, title) in enumerate(
            [("R1.5.20", "地域まちづくり支援制度活用研修")] * 3 + [("2019/6/10", "出前塾（中村地域ケアプラザ）")] * 2
        )
    ).encode("cp932")
    # Both uploads pass the "already imported?" check, then meet right before inserting the sheet
    # record, so that both transactions are open and the unique constraint must decide.
    barrier = threading.Barrier(2, timeout=30)
    results = [None, None]

    def meet_before_sheet_insert(execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "trainings_attendancesheet"'):
            barrier.wait()
        return execute(sql, params, many, context)

    def upload(index):
        try:
            with connection.execute_wrapper(meet_before_sheet_insert):
                results[index] = resource_for("participants_multi").import_data(read_sheet(data, f"名簿{index}.csv"))
        except Exception as error:  # reported by the assertions below
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(not isinstance(r, Exception) for r in results), results
    imported = [r for r in results if r.sheet_record is not None]
    refused = [r for r in results if r.sheet_record is None]
    assert len(imported) == 1 and len(refused) == 1, [(r.plan.base_errors, r.plan.errors[:3]) for r in refused]
    [message] = refused[0].plan.base_errors
    assert "同じ内容のファイルは既に取り込まれています" in message and imported[0].sheet_record.file_name in message
    assert AttendanceSheet.objects.count() == 1
    assert Attendance.objects.count() == 5 and set(Attendance.objects.values_list("sheet_id", flat=True)) == {
        imported[0].sheet_record.pk
    }


# --- A database error or outage during the admin's confirm ---------------------------------------


class FailingRow:
    """An execute wrapper failing the attendance INSERT the way PostgreSQL does: quoting the row, names included."""

    def __init__(self, error=IntegrityError):
        self.error = error

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().startswith(ADD_ROWS):
            raise self.error(f"new row violates check constraint\nDETAIL:  Failing row contains {tuple(params or ())}.")
        return execute(sql, params, many, context)


def outage(execute, sql, params, many, context):
    """Fail every statement on the import's tables (the login's session and user still load)."""
    if "trainings_" in sql:
        raise OperationalError("server closed the connection unexpectedly")
    return execute(sql, params, many, context)


def personal_values(name):
    """Return every name, kana and note in a sample sheet (what must never reach a log)."""
    sheet = read_sheet(data_file(name), name)
    wanted = [i for i, header in enumerate(sheet.headers) if header in ("氏名", "ふりがな", "備考")]
    values = {str(cells[i]) for _, cells in sheet.rows for i in wanted if cells[i]}
    assert values  # the sheet has names to leak
    return values


@pytest.mark.parametrize("error", [IntegrityError, DataError, OperationalError])
def test_a_database_error_during_confirm_is_a_japanese_message_and_no_name_is_logged(
    client, clerk, import_records, caplog, error
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    name = "participants_multi_cp932.csv"
    client.force_login(clerk)
    preview = client.post(
        reverse("admin:trainings_attendancesheet_import"),
        {"kind": "auto", "import_file": SimpleUploadedFile(name, data_file(name))},
    )
    confirm = {k: ("" if v is None else v) for k, v in preview.context["confirm_form"].initial.items()}
    before = database_state(exclude=[PendingUpload])
    caplog.set_level(logging.DEBUG)
    with connection.execute_wrapper(FailingRow(error)):
        response = client.post(reverse("admin:trainings_attendancesheet_process_import"), {**confirm, "_confirm": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "保存できませんでした。何も書き込まれていません。" in page
    assert response.context["can_confirm"]  # the upload is kept: 「取り込む」 again
    assert database_state(exclude=[PendingUpload]) == before
    logged = caplog.text
    assert "attendance import not saved" in logged and "lines=2-6" in logged
    assert not [value for value in personal_values(name) if value in logged]
    assert "Failing row" not in logged
    # Once the database is back, the same confirmation imports the sheet.
    done = client.post(reverse("admin:trainings_attendancesheet_process_import"), {**confirm, "_confirm": "1"})
    assert done.status_code == 302 and AttendanceSheet.objects.count() == 1


def test_a_database_outage_during_confirm_is_a_japanese_message_not_a_500(client, clerk, import_records, caplog):
    from django.contrib.messages import get_messages
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    name = "participants_multi_cp932.csv"
    client.force_login(clerk)
    preview = client.post(
        reverse("admin:trainings_attendancesheet_import"),
        {"kind": "auto", "import_file": SimpleUploadedFile(name, data_file(name))},
    )
    confirm = {k: ("" if v is None else v) for k, v in preview.context["confirm_form"].initial.items()}
    before = database_state()
    caplog.set_level(logging.DEBUG)
    with connection.execute_wrapper(outage):
        response = client.post(reverse("admin:trainings_attendancesheet_process_import"), {**confirm, "_confirm": "1"})
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("保存できませんでした。何も書き込まれていません。" in m for m in shown)
    assert database_state() == before
    assert not [value for value in personal_values(name) if value in caplog.text]


def test_a_database_error_in_the_command_is_a_japanese_message(import_records, tmp_path, capsys):
    from io import StringIO

    from django.core.management import CommandError, call_command

    name = "participants_multi_cp932.csv"
    path = tmp_path / name
    path.write_bytes(data_file(name))
    before = database_state()
    err = StringIO()
    with connection.execute_wrapper(FailingRow()), pytest.raises(CommandError) as refused:
        call_command("import_attendance", str(path), stdout=StringIO(), stderr=err)
    assert str(refused.value) == "保存できませんでした。何も書き込まれていません。"
    assert database_state() == before
    assert not [value for value in personal_values(name) if value in err.getvalue() + str(refused.value)]
