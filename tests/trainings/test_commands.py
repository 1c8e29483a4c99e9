from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.trainings.conftest import DATA
from trainings.models import Attendance, AttendanceSheet, TrainingSession


def import_attendance(name, *args):
    out, err = StringIO(), StringIO()
    call_command("import_attendance", str(DATA / name), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("name", ["participants_cp932.csv", "participants_utf8_bom.csv", "participants.xlsx"])
def test_participants_of_one_session(import_records, name):
    seminar = import_records["seminar"]
    out, _ = import_attendance(name, "--kind", "participants", "--session", str(seminar.pk))
    assert "新規 5件" in out and "取り込みました" in out
    assert Attendance.objects.filter(session=seminar).count() == 5


@pytest.mark.parametrize(
    "name", ["participants_multi_cp932.csv", "participants_multi_utf8_bom.csv", "participants_multi.xlsx"]
)
def test_participants_of_many_sessions_kind_detected(import_records, name):
    out, _ = import_attendance(name)
    assert "複数研修の出席者名簿" in out
    assert Attendance.objects.count() == 5


@pytest.mark.parametrize("name", ["sessions_cp932.csv", "sessions_utf8_bom.csv", "sessions.xlsx"])
def test_sessions(import_records, name):
    out, _ = import_attendance(name, "--kind", "sessions")
    assert "新規 3件、更新 1件" in out
    assert TrainingSession.objects.count() == 5


def test_dry_run_writes_nothing(import_records):
    out, _ = import_attendance("sessions_cp932.csv", "--dry-run")
    assert "何も書き込んでいません" in out
    assert TrainingSession.objects.count() == 2 and not AttendanceSheet.objects.exists()


@pytest.mark.parametrize(
    ("name", "args", "message"),
    [
        ("garbage.csv", [], "文字コードを判別できません"),
        ("truncated_utf8.csv", [], "壊れた文字があります"),
        ("empty.csv", [], "ファイルが空です"),
        ("broken.xlsx", [], "XLSX ファイルとして読み込めません"),
        ("header_only.csv", ["--session", "{seminar}"], "エラーがあるため"),
        ("wrong_columns.csv", ["--session", "{seminar}"], "エラーがあるため"),
        ("missing_column.csv", [], "種類を判別できません"),
        ("participants_cp932.csv", [], "--session で研修の ID を指定してください"),
        ("participants_cp932.csv", ["--session", "999999"], "ID 999999 の研修はありません"),
        ("row_errors_multi.csv", [], "エラーがあるため、何も書き込んでいません"),
        ("missing.csv", [], "ファイルが見つかりません"),
    ],
)
def test_refused_files_exit_non_zero_and_write_nothing(import_records, name, args, message):
    args = [a.format(seminar=import_records["seminar"].pk) for a in args]
    with pytest.raises(CommandError, match=message):
        import_attendance(name, *args)
    assert not Attendance.objects.exists() and not AttendanceSheet.objects.exists()


def test_row_errors_are_printed_with_line_and_column(import_records):
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_attendance", str(DATA / "row_errors_multi.csv"), stdout=StringIO(), stderr=err)
    assert "3行目 A列「開催日」「令和元年4月1日」: 令和は2019年5月1日からです。" in err.getvalue()
    assert "6行目 F列「区」「北区」: 区「北区」は横浜市の18区にありません。" in err.getvalue()
    assert "5行目 D列「氏名」: 氏名が空欄です。" in err.getvalue()


def test_names_never_appear_in_command_output(import_records):
    out, err = StringIO(), StringIO()
    data = DATA / "participants_cp932.csv"
    call_command("import_attendance", str(data), "--session", str(import_records["seminar"].pk), stdout=out, stderr=err)
    assert "髙橋" not in out.getvalue() + err.getvalue()


def test_command_exit_status(import_records, tmp_path):
    import subprocess
    import sys

    # Exit status is what scripts see: 1 for a refused file (the test database is not visible to a
    # subprocess, so a file refused before any lookup is used).
    completed = subprocess.run(
        [sys.executable, "manage.py", "import_attendance", str(DATA / "garbage.csv")],
        capture_output=True,
        text=True,
        env={"SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert completed.returncode == 1
    assert "文字コードを判別できません" in completed.stderr
