"""Writes that span sessions and attendance: checking and repairing the trigger-kept figures.

The sheet import's write is trainings.importing.services.import_sheet.
"""

from django.db import models, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from core.public_cache import bump_data_version
from trainings.models import Attendance, TrainingSession


def attendance_count_subquery():
    """Return a subquery counting a session's attendance rows (0 when none).

    Only for checking the stored TrainingSession.attendance_count (check_attendance_counts):
    reads use the stored count, which does not scan the attendance table.
    """
    rows = (
        Attendance.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=models.IntegerField()), 0)


def denormalisation_mismatches():
    """Return (sessions, rows): how many sessions' stored attendance_count differ from their rows, and
    how many attendance rows' stored fiscal_year differs from their session's.

    Both are 0 unless the triggers were bypassed (disabled triggers, a data-only restore with
    --disable-triggers, a hand-edited database). Two queries over the whole tables.
    """
    sessions = (
        TrainingSession.objects.annotate(actual=attendance_count_subquery())
        .exclude(attendance_count=F("actual"))
        .count()
    )
    rows = Attendance.objects.filter(Q(fiscal_year__isnull=True) | ~Q(fiscal_year=F("session__fiscal_year"))).count()
    return sessions, rows


def repair_denormalisation():
    """Recount every session's attendance_count and recopy every row's fiscal_year; return the mismatches fixed."""
    mismatches = denormalisation_mismatches()
    with transaction.atomic():
        TrainingSession.objects.update(attendance_count=attendance_count_subquery())
        Attendance.objects.update(
            fiscal_year=Subquery(TrainingSession.objects.filter(pk=OuterRef("session_id")).values("fiscal_year")[:1])
        )
        bump_data_version()  # QuerySet.update() sends no signals
    return mismatches
