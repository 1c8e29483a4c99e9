"""Bad values on the import form and in sheets: a clear Japanese message, never a 500, nothing written."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.trainings.conftest import data_file
from tests.trainings.db_state import database_state
from trainings.models import AttendanceSheet, PendingUpload

IMPORT_URL = "admin:trainings_attendancesheet_import"
PROCESS_URL = "admin:trainings_attendancesheet_process_import"
ERRORS_URL = "admin:trainings_attendancesheet_import_errors"


@pytest.mark.parametrize("headcount", ["99999999999999999999", "2147483648", "1,000,001人", "9" * 5000])
def test_impossible_headcount_is_a_row_error_not_a_database_overflow(import_records, tmp_path, headcount):
    # These passed validation and overflowed the integer column when written (OverflowError on
    # SQLite, DataError on PostgreSQL), or failed with Python's English digit-limit message.
    path = tmp_path / "研修一覧.csv"
    path.write_text(f'開催日,研修名,参加者数\n2019/7/1,新しい研修,"{headcount}"\n', encoding="utf-8")
    before = database_state()
    err = StringIO()
    with pytest.raises(CommandError, match="エラーがあるため、何も書き込んでいません"):
        call_command("import_attendance", str(path), stdout=StringIO(), stderr=err)
    assert "2行目 C列「参加者数」" in err.getvalue() and "人数が大きすぎます（1,000,000人まで）" in err.getvalue()
    assert database_state() == before


def _upload(client, **fields):
    return client.post(reverse(IMPORT_URL), fields)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "auto"}, "import_file", "取り込むファイルを選んでください。"),
        ({"kind": "participants", "session": "999999"}, "session", "正しく選択してください"),
        ({"kind": "participants", "session": "abc"}, "session", "正しく選択してください"),
        ({"kind": "participants", "session": "9" * 30}, "session", "正しく選択してください"),
        ({"kind": "participants", "session": "-1"}, "session", "正しく選択してください"),
        ({"kind": "everything"}, "kind", "正しく選択してください"),
        ({"kind": ""}, "kind", "このフィールドは必須です。"),
        ({"kind": "participants"}, "session", "対象の研修を選んでください"),
    ],
)
def test_import_form_refuses_bad_choices_in_japanese(client, clerk, import_records, fields, field, message):
    client.force_login(clerk)
    before = database_state()
    post = {"import_file": SimpleUploadedFile("名簿.csv", data_file("participants_cp932.csv")), **fields}
    if field == "import_file":
        del post["import_file"]
    response = _upload(client, **post)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert message in response.content.decode()
    assert "confirm_form" not in response.context
    assert database_state() == before


def test_import_form_refuses_an_empty_and_an_oversize_file(client, clerk, import_records, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024
    client.force_login(clerk)
    before = database_state()
    empty = _upload(client, kind="auto", import_file=SimpleUploadedFile("空.csv", b""))
    assert "ファイルが空です（0 バイト）。" in empty.content.decode()
    big = _upload(client, kind="sessions", import_file=SimpleUploadedFile("大.csv", b"a,b\n" * 1000))
    assert "ファイルが大きすぎます" in big.content.decode() and "取り込めるのは 1.0" in big.content.decode()
    assert (empty.status_code, big.status_code) == (200, 200)
    assert database_state() == before


@pytest.mark.parametrize(
    "forged",
    [
        {"kind": "everything"},
        {"kind": ""},
        {"import_file_name": "x" * 65},
        {"import_file_name": ""},
        {"import_file_name": "../../../etc/passwd"},
        {"session": "999999"},
        {"session": "9" * 30},
        {"original_file_name": ""},
    ],
)
def test_forged_confirmations_write_nothing(client, clerk, import_records, forged):
    client.force_login(clerk)
    preview = _upload(
        client, kind="sessions", import_file=SimpleUploadedFile("研修一覧.csv", data_file("sessions_cp932.csv"))
    )
    confirm = {k: ("" if v is None else v) for k, v in preview.context["confirm_form"].initial.items()}
    before = database_state(exclude=(PendingUpload,))
    response = client.post(reverse(PROCESS_URL), {**confirm, **forged, "_confirm": "1"}, follow=True)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert any("もう一度" in m or "選んでください" in m for m in shown), shown
    assert database_state(exclude=(PendingUpload,)) == before
    errors = client.post(reverse(ERRORS_URL), {**confirm, **forged})
    assert errors.status_code in (200, 302)
    assert not AttendanceSheet.objects.exists()


@pytest.mark.parametrize("text", ["no,氏名\r!", "No.,氏名,所属\n1,,\n2,,\n3,,\n"])
def test_a_sheet_of_numbered_empty_lines_is_refused(import_records, tmp_path, text):
    # Found by the slow fuzz run: such a sheet was recorded as an import of 0 rows.
    path = tmp_path / "白紙の名簿.csv"
    path.write_text(text, encoding="utf-8")
    before = database_state()
    err = StringIO()
    with pytest.raises(CommandError, match="何も書き込んでいません"):
        call_command(
            "import_attendance",
            str(path),
            "--session",
            str(import_records["seminar"].pk),
            stdout=StringIO(),
            stderr=err,
        )
    assert "出席者の行がありません" in err.getvalue()
    assert database_state() == before
