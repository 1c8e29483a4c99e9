"""Writes that span models for imported sheets: one validated plan, one transaction."""

from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.public_cache import bump_data_version
from trainings.models import Attendance, AttendanceSheet, SheetKind, TrainingSession, attendance_count_subquery

BATCH_SIZE = 2000


class DuplicateSheetError(Exception):
    """The same file (same SHA-256) was imported before; str(error) names the earlier import."""


def _batches(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def import_sheet(plan, *, user=None):
    """Write a valid ImportPlan in one transaction and return the new AttendanceSheet.

    Participant sheets replace the rows that earlier sheets brought for the same sessions (an
    earlier sheet left without rows is deleted), so a corrected sheet never duplicates people.
    Either everything is written or, on any error, nothing. Raises DuplicateSheetError when the
    same file was imported meanwhile, ValueError for an invalid plan.
    """
    from trainings.resources import earlier_import_message

    if not plan.is_valid:
        raise ValueError("検証エラーのある取込は書き込めません。")
    sheet = plan.sheet
    try:
        with transaction.atomic():
            record = AttendanceSheet.objects.create(
                kind=plan.kind,
                file_name=sheet.file_name[:255],
                sha256=sheet.sha256,
                session=plan.session if plan.kind == SheetKind.PARTICIPANTS else None,
                uploaded_by=user if user is not None and user.is_authenticated else None,
                row_count=plan.row_count,
            )
            if plan.kind == SheetKind.SESSIONS:
                _write_sessions(plan, user=record.uploaded_by)
            else:
                _write_attendances(plan, record)
    except IntegrityError:
        earlier = AttendanceSheet.objects.filter(sha256=sheet.sha256).select_related("uploaded_by").first()
        if earlier is None:
            raise
        raise DuplicateSheetError(earlier_import_message(earlier)) from None
    return record


def _write_sessions(plan, *, user):
    # Session lists are short: each new or updated session gets its audit-history version.
    for batch in _batches(plan.new_sessions, BATCH_SIZE):
        bulk_create_with_history(batch, TrainingSession, default_user=user)
    if plan.updated_sessions and plan.updated_fields:
        bulk_update_with_history(
            plan.updated_sessions, TrainingSession, plan.updated_fields, batch_size=BATCH_SIZE, default_user=user
        )


def _write_attendances(plan, record):
    session_ids = {row.session_id for row in plan.attendances}
    earlier_sheet_ids = set(
        Attendance.objects.filter(session_id__in=session_ids, sheet__isnull=False)
        .values_list("sheet_id", flat=True)
        .distinct()
    )
    if earlier_sheet_ids:
        # Rows of earlier sheets are replaced wholesale by one DELETE without per-row signals, as
        # they were written by bulk_create: a large sheet stays fast and the audit history gets no
        # copy of every name. The import is recorded by its AttendanceSheet (and the history of
        # the earlier sheets' records). Nothing references an attendance row.
        replaced = Attendance.objects.filter(session_id__in=session_ids, sheet_id__in=earlier_sheet_ids)
        replaced._raw_delete(replaced.db)
        remaining = dict(
            AttendanceSheet.objects.filter(pk__in=earlier_sheet_ids)
            .annotate(n=Count("attendances"))
            .values_list("pk", "n")
        )
        AttendanceSheet.objects.filter(pk__in=[pk for pk, n in remaining.items() if n == 0]).delete()
        for pk, n in remaining.items():
            if n:
                AttendanceSheet.objects.filter(pk=pk).update(row_count=n)
    for row in plan.attendances:
        row.sheet_id = record.pk
    for batch in _batches(plan.attendances, BATCH_SIZE):
        Attendance.objects.bulk_create(batch)


# --- Denormalised figures kept by database triggers (migrations 0004 and 0005) -------------------


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
