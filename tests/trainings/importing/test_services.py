import pytest

from tests.trainings.conftest import data_file
from trainings.importing import services
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
    real_bulk_create = Attendance.objects.bulk_create

    def failing_bulk_create(objs, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real_bulk_create(objs, *args, **kwargs)

    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    monkeypatch.setattr(Attendance.objects, "bulk_create", failing_bulk_create)
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
