"""Backup and restore: every model survives dumpdata → empty database → loaddata."""

import datetime

import pytest
from django.apps import apps
from django.core.management import call_command

from portal.selectors import collaborations, ward_breakdown, yearly_summary
from trainings.importing.mappings import remember
from trainings.models import Attendance, AttendanceSheet, SheetKind, TrainingSession

PROJECT_APPS = ["partners", "trainings", "outreach"]
# Files waiting between an import's preview and confirm: transient, not records.
TRANSIENT = {"trainings.PendingUpload", "trainings.PendingUploadChunk"}


def figures():
    return (
        yearly_summary(fiscal_year=2018),
        ward_breakdown(fiscal_year=2018),
        [(c.bureau.name, c.description) for c in collaborations(fiscal_year=2018)],
        Attendance.objects.unique_participant_count(),
    )


def counts():
    return {
        m._meta.label: m.objects.count()
        for app in PROJECT_APPS
        for m in apps.get_app_config(app).get_models()
        if m._meta.label not in TRANSIENT
    }


@pytest.mark.django_db(transaction=True)
def test_dumpdata_loaddata_round_trip_keeps_every_record_and_figure(tmp_path):
    call_command("load_demo_data", verbosity=0)
    session = TrainingSession.objects.get(date=datetime.date(2018, 5, 24))
    sheet = AttendanceSheet.objects.create(file_name="名簿.csv", sha256="f" * 64, session=session, row_count=2)
    Attendance.objects.create(session=session, sheet=sheet, row_number=1, name="山田太郎")
    Attendance.objects.create(session=session, sheet=sheet, row_number=2, name="佐藤花子")
    remember(SheetKind.PARTICIPANTS, {"参加者氏名（漢字）": "name", "電話番号": "skip"})
    before_figures, before_counts = figures(), counts()
    assert all(before_counts.values()), before_counts

    backup = tmp_path / "backup.json"
    call_command(
        "dumpdata",
        *PROJECT_APPS,
        "auth.user",
        natural_foreign=True,
        output=str(backup),
        indent=None,
        verbosity=0,
    )
    call_command("flush", interactive=False, verbosity=0)
    assert TrainingSession.objects.count() == 0
    call_command("loaddata", str(backup), verbosity=0)

    assert counts() == before_counts
    assert figures() == before_figures
