"""Audit history of imports: sessions from a sheet get versions; attendance rows are covered by the sheet record."""

from django.contrib.auth.models import User

from tests.trainings.conftest import data_file
from trainings.importing.kinds import resource_for
from trainings.importing.sheets import read_sheet
from trainings.models import Attendance, AttendanceSheet, TrainingSession


def test_a_sessions_sheet_import_records_the_sessions_with_the_importer(import_records):
    user = User.objects.create_user("importer", is_staff=True)
    result = resource_for("sessions").import_data(
        read_sheet(data_file("sessions_cp932.csv"), "研修一覧.csv"), dry_run=False, user=user
    )
    assert result.sheet_record is not None
    created = TrainingSession.objects.exclude(pk__in=[s.pk for s in import_records.values()])
    assert created.exists()
    for session in created:
        assert session.history.get().history_user == user


def test_a_deleted_import_stays_in_the_history_of_the_sheets(import_records):
    user = User.objects.create_user("importer", is_staff=True)
    seminar = import_records["seminar"]
    result = resource_for("participants", session=seminar).import_data(
        read_sheet(data_file("participants_cp932.csv"), "名簿.csv"), dry_run=False, user=user
    )
    sheet = result.sheet_record
    # Rows written by an import get no history of their own: the sheet record stands for them.
    assert Attendance.history.count() == 0
    pk = sheet.pk
    sheet.delete()
    assert AttendanceSheet.objects.count() == 0
    versions = AttendanceSheet.history.filter(id=pk).order_by("history_date")
    assert [(v.history_type, v.file_name, v.uploaded_by_id, v.row_count) for v in versions] == [
        ("+", "名簿.csv", user.pk, 5),
        ("-", "名簿.csv", user.pk, 5),
    ]
