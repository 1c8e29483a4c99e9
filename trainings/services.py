"""Writes that span sessions and attendance: checking and repairing the trigger-kept figures.

The sheet import's write is trainings.importing.services.import_sheet.
"""

from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery

from core.public_cache import bump_data_version
from trainings.models import Attendance, TrainingSession, attendance_count_subquery


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
