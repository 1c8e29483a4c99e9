"""Property-based tests: whatever file is uploaded, the import ends in a success or a clear Japanese message.

Every example goes through the path real uploads take — the `import_attendance` command (read
and decode → kind → validation plan → import_sheet) or the admin's upload and confirm views —
and must end either in an import whose records match the file, or in a Japanese message with
every stored table (counts and row hashes) exactly as before. Any other exception fails.

`make test` runs a few hundred examples; `make test-slow` (pytest -m slow) runs 10,000.
Each example runs in a savepoint that is rolled back, so examples never see each other's imports.
"""

import hashlib
import re
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings

from tests.trainings.db_state import database_state
from tests.trainings.importing import sheet_strategies as sts
from trainings.models import AttendanceSheet, PendingUpload, SheetKind

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# Row errors printed by the command: "12行目 B列「氏名」: 氏名が空欄です。" or
# "「名簿」シート 3行目 E列「区」「火星区」: …".
ROW_ERROR_LINE = re.compile(r"^(「[^」]*」シート )?\d+行目 .+: .*[\u3040-\u30ff\u4e00-\u9fff]")
# The test DB fixtures are function-scoped on purpose: each example rolls back its own savepoint.
FUZZ = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)


def assert_clear_message(text):
    assert text.strip(), "an empty error message"
    assert JAPANESE.search(text), f"not a Japanese message: {text!r}"
    # A Japanese sentence or a quoted value ends it; an English exception text would end otherwise.
    assert text.rstrip().endswith(("。", "」", "）")), f"not a Japanese message: {text!r}"
    assert "Traceback" not in text


def assert_imported_once(data):
    """Assert that the file's SHA-256 is recorded once and its sheet owns exactly the rows it says."""
    record = AttendanceSheet.objects.get(sha256=hashlib.sha256(data).hexdigest())
    if record.kind != SheetKind.SESSIONS:
        assert record.row_count == record.attendances.count() > 0
    else:
        assert record.row_count > 0


def check_command_import(tmp_path, records, data, file_name, kind, with_session):
    """Import `data` with the management command; assert a success or a clear message and no change."""
    path = tmp_path / file_name
    path.write_bytes(data)
    args = [str(path)]
    if kind != "auto":
        args += ["--kind", kind]
    if with_session:
        args += ["--session", str(records["seminar"].pk)]
    out, err = StringIO(), StringIO()
    with transaction.atomic():
        before = database_state()
        try:
            call_command("import_attendance", *args, stdout=out, stderr=err)
        except CommandError as error:
            assert_clear_message(str(error))
            event("refused: " + ("rows" if ROW_ERROR_LINE.search(err.getvalue()) else str(error)[:12]))
            for line in err.getvalue().splitlines():
                assert line.startswith("取り込めません: ") or ROW_ERROR_LINE.match(line), line
                assert_clear_message(line)
            assert database_state() == before
            assert not AttendanceSheet.objects.filter(sha256=hashlib.sha256(data).hexdigest()).exists()
        else:
            assert "取り込みました（取込 ID" in out.getvalue()
            assert_imported_once(data)
            event("imported")
        transaction.set_rollback(True)


@FUZZ
@given(data=sts.files, file_name=sts.file_names, kind=sts.kinds, with_session=sts.with_session)
def test_command_imports_or_refuses_any_file_cleanly(tmp_path, import_records, data, file_name, kind, with_session):
    check_command_import(tmp_path, import_records, data, file_name, kind, with_session)


@pytest.mark.slow
@settings(FUZZ, max_examples=10_000)
@given(data=sts.files, file_name=sts.file_names, kind=sts.kinds, with_session=sts.with_session)
def test_command_survives_ten_thousand_random_files(tmp_path, import_records, data, file_name, kind, with_session):
    check_command_import(tmp_path, import_records, data, file_name, kind, with_session)


def check_admin_upload(client, clerk, records, data, file_name, kind, with_session):
    """Upload `data` in the admin and confirm when the preview allows it; never a 500, never a partial write."""
    kept = (PendingUpload,)  # the preview's temporary copy of the upload is not a record
    with transaction.atomic():
        client.force_login(clerk)
        before = database_state(exclude=kept)
        post = {"kind": kind, "import_file": SimpleUploadedFile(file_name, data)}
        if with_session:
            post["session"] = records["seminar"].pk
        response = client.post(reverse("admin:trainings_attendancesheet_import"), post)
        assert response.status_code == 200
        context = response.context
        if context.get("can_confirm"):
            confirm = {k: ("" if v is None else v) for k, v in context["confirm_form"].initial.items()}
            done = client.post(reverse("admin:trainings_attendancesheet_process_import"), {**confirm, "_confirm": "1"})
            assert done.status_code == 302
            assert_imported_once(data)
            event("imported")
        else:
            form_errors = [m for messages in context["form"].errors.values() for m in messages]
            plan = context.get("plan")
            messages = form_errors + (plan.base_errors + [i.reason for i in plan.errors] if plan else [])
            assert messages, "refused without a message"
            event("refused: " + messages[0][:12])
            for message in messages:
                assert_clear_message(message)
            assert database_state(exclude=kept) == before
        transaction.set_rollback(True)


@settings(FUZZ, max_examples=40)
@given(data=sts.files, file_name=sts.file_names, kind=sts.kinds, with_session=sts.with_session)
def test_admin_upload_previews_or_refuses_any_file_cleanly(
    client, clerk, import_records, data, file_name, kind, with_session
):
    check_admin_upload(client, clerk, import_records, data, file_name, kind, with_session)


@pytest.mark.slow
@settings(FUZZ, max_examples=1_000)
@given(data=sts.files, file_name=sts.file_names, kind=sts.kinds, with_session=sts.with_session)
def test_admin_upload_survives_a_thousand_random_files(
    client, clerk, import_records, data, file_name, kind, with_session
):
    check_admin_upload(client, clerk, import_records, data, file_name, kind, with_session)
