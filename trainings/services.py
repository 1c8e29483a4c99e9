"""Writes that span sessions and attendance: checking and repairing the trigger-kept figures.

The trigger-kept figures: each session's attendance_count, each row's fiscal_year (migrations
0004/0005) and the persons, organisations and wards reached per year and category
(trainings.reach, migration 0008).

The sheet import's write is trainings.importing.services.import_sheet.
"""

from django.db import connection, models, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from core.public_cache import bump_data_version
from trainings import reach
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


def reach_mismatches():
    """Return how many stored Reach and ReachTotal rows differ from the ones recounted from the attendance rows.

    Counted both ways (a stored row missing or extra, a count different), so 0 means equal. One
    query over the whole attendance table: for the check command and the tests, never for a page.
    """
    with connection.cursor() as cursor:
        cursor.execute(reach.mismatch_sql())
        return cursor.fetchone()[0]


def repair_denormalisation():
    """Recount every session's attendance_count, recopy every row's fiscal_year and rebuild the reach tables.

    Returns the mismatches found before: (sessions, rows, reach rows) as the two functions above.
    """
    mismatches = (*denormalisation_mismatches(), reach_mismatches())
    with transaction.atomic():
        TrainingSession.objects.update(attendance_count=attendance_count_subquery())
        Attendance.objects.update(
            fiscal_year=Subquery(TrainingSession.objects.filter(pk=OuterRef("session_id")).values("fiscal_year")[:1])
        )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_advisory_xact_lock(140801)")  # as the triggers (migration 0008)
            for sql in reach.rebuild_statements():
                cursor.execute(sql)
        bump_data_version()  # QuerySet.update() sends no signals
    return mismatches
