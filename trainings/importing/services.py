"""The services that write an import in one transaction: a validated ImportPlan (import_sheet), or a
participants sheet validated and written chunk by chunk as it is read (import_streamed).

Below the resources (trainings.importing.resources calls both); of the import pipeline it imports
only the writer and the session counts (trainings.importing.copy_writer, counts), so there is no
import cycle.
"""

import logging

from django.db import DatabaseError, IntegrityError, connections, router, transaction
from django.db.models import Count
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from trainings.importing.background_writer import attendance_writer
from trainings.importing.copy_writer import write_attendances
from trainings.models import Attendance, AttendanceSheet, SheetKind, TrainingSession
from trainings.reach import rows_reached_in_bulk

BATCH_SIZE = 2000
# Rows per COPY on PostgreSQL (each COPY runs the statement triggers once).
COPY_BATCH_SIZE = 50_000
DELETE_BATCH_SIZE = 500
SAVE_FAILED = "保存できませんでした。何も書き込まれていません。"
logger = logging.getLogger(__name__)


class DuplicateSheetError(Exception):
    """The same file (same SHA-256) was imported before; str(error) names the earlier import."""


class ImportSaveError(Exception):
    """The database refused or failed the write (rolled back); str(error) is the Japanese message.

    The database's own text (which may quote a row, names included) stays in `__cause__`, never
    in the message or a log line.
    """


def _save_failed(plan, error):
    """Log a failed write by sheet and row numbers (never a cell's value); return the ImportSaveError to raise."""
    first, last = _line_range(plan.sheet)
    logger.error(
        "attendance import not saved (rolled back): sheet sha256=%s kind=%s rows=%d lines=%s-%s error=%s sqlstate=%s",
        (plan.sheet.sha256 or "-")[:16],
        plan.kind,
        plan.row_count,
        first,
        last,
        type(error).__name__,
        getattr(getattr(error, "__cause__", None), "sqlstate", None) or getattr(error, "pgcode", None) or "-",
    )
    return ImportSaveError(SAVE_FAILED)


def _line_range(sheet):
    """Return the first and last line of the sheet's rows as far as known without reading it again ('-')."""
    rows = sheet.rows
    if not hasattr(rows, "first_line"):  # a list, or the line range of a kept plan (prevalidated)
        lines = [line for line, _ in rows]
        return min(lines, default="-"), max(lines, default="-")
    return ("-", "-") if rows.first_line is None else (rows.first_line, rows.last_line)


class _Invalid(Exception):
    """Validation met an error after rows were written: the transaction is rolled back."""


def _create_record(plan, user):
    sheet = plan.sheet
    return AttendanceSheet.objects.create(
        kind=plan.kind,
        file_name=sheet.file_name[:255],
        sha256=sheet.sha256,
        session=plan.session if plan.kind == SheetKind.PARTICIPANTS else None,
        uploaded_by=user if user is not None and user.is_authenticated else None,
        row_count=plan.row_count,
    )


def _batches(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def earlier_import_message(earlier):
    """Return the message refusing a file that was already imported as `earlier`."""
    who = earlier.uploaded_by.get_username() if earlier.uploaded_by else "コマンド"
    when = f"{timezone.localtime(earlier.uploaded_at):%Y-%m-%d %H:%M}" if earlier.uploaded_at else ""
    return (
        f"同じ内容のファイルは既に取り込まれています（{when} に {who} が「{earlier.file_name}」として取込、"
        f"{earlier.row_count:,}行）。取り込み直す場合は、先にその取込を削除してください。"
    )


def import_sheet(plan, *, user=None):
    """Write a valid ImportPlan in one transaction and return the new AttendanceSheet.

    Participant sheets replace the rows that earlier sheets brought for the same sessions (an
    earlier sheet left without rows is deleted), so a corrected sheet never duplicates people;
    each session's `roster_is_partial` is then stored from its rows, its typed headcount and
    `plan.use_roster_count` (TrainingSession.roster_keeps_headcount), so that a roster shorter
    than a typed headcount leaves the headcount as the participant count unless chosen otherwise.
    Either everything is written or, on any error, nothing. Raises DuplicateSheetError when the
    same file was imported meanwhile, ImportSaveError (logged by sheet and line numbers, never a
    value) when the database fails or refuses the write, ValueError for an invalid plan.
    """
    if not plan.is_valid:
        raise ValueError("検証エラーのある取込は書き込めません。")
    try:
        with transaction.atomic():
            record = _create_record(plan, user)
            if plan.kind == SheetKind.SESSIONS:
                _write_sessions(plan, user=record.uploaded_by)
            else:
                _write_attendances(plan, record)
    except IntegrityError as error:
        failure = _integrity_failure(plan, error)
        raise failure from (error if isinstance(failure, ImportSaveError) else None)
    except DatabaseError as error:
        raise _save_failed(plan, error) from error
    return record


def _integrity_failure(plan, error):
    """Return DuplicateSheetError when the same file was imported meanwhile, else the ImportSaveError."""
    try:
        earlier = AttendanceSheet.objects.filter(sha256=plan.sheet.sha256).select_related("uploaded_by").first()
    except DatabaseError:
        earlier = None
    if earlier is None:
        return _save_failed(plan, error)
    return DuplicateSheetError(earlier_import_message(earlier))


def import_streamed(plan, validate, *, user=None):
    """Validate and write a participants sheet as it is read, in one transaction; return the AttendanceSheet.

    `validate(sink)` validates the sheet into `plan` (trainings.importing.participants), calling
    `sink(plan)` with each chunk of valid rows in `plan.attendances`: they are written as soon as
    they come (on PostgreSQL by COPY on a second thread while the next chunk is validated:
    background_writer), so memory does not grow with the sheet; they are counted into their
    sessions and reached at the end (trainings.reach.rows_reached_in_bulk), after the validation
    kept the counts before (counts.snapshot_sessions). When the validation ends
    with any error, everything written is rolled back and None is returned (the plan holds the
    errors); otherwise the rows of earlier sheets for the same sessions are replaced as in
    import_sheet. Raises DuplicateSheetError and ImportSaveError as import_sheet does.
    """
    using = router.db_for_write(Attendance)
    try:
        with transaction.atomic():
            record = _create_record(plan, user)
            plan.sheet_record = record

            # PostgreSQL: each chunk is written by a second thread while the next is validated
            # (background_writer); the writer is done before anything below runs.
            writer = attendance_writer(using, statement_rows=COPY_BATCH_SIZE, batch_size=BATCH_SIZE)

            # No query here: each would wait for the writer (its sessions' counts before the import
            # are kept at the end of the validation, before the rows are counted: snapshot_sessions).
            def sink(plan):
                for row in plan.attendances:
                    row.sheet_id = record.pk
                writer.write(plan.attendances)

            # The rows are counted into their sessions and reached at once after the last chunk (trainings.reach).
            with rows_reached_in_bulk(using, record.pk):
                with writer:
                    validate(sink)
                if not plan.is_valid:
                    raise _Invalid
            _replace_earlier(set(plan.session_rows), record)
            store_roster_flags(
                set(plan.session_rows),
                use_roster_count=plan.use_roster_count,
                user=record.uploaded_by,
                reason="出席者名簿の取込",
            )
            # The record was created before its rows were counted: its count, and that of its one
            # audit-history entry, are set without a second history entry.
            record.row_count = plan.row_count
            AttendanceSheet.objects.filter(pk=record.pk).update(row_count=record.row_count)
            record.history.all().update(row_count=record.row_count)
    except _Invalid:
        plan.sheet_record = None
        return None
    except IntegrityError as error:
        plan.sheet_record = None
        failure = _integrity_failure(plan, error)
        raise failure from (error if isinstance(failure, ImportSaveError) else None)
    except DatabaseError as error:
        plan.sheet_record = None
        raise _save_failed(plan, error) from error
    return record


def _write_sessions(plan, *, user):
    # Session lists are short: each new or updated session gets its audit-history version.
    for batch in _batches(plan.new_sessions, BATCH_SIZE):
        bulk_create_with_history(batch, TrainingSession, default_user=user)
    if plan.updated_sessions and plan.updated_fields:
        bulk_update_with_history(
            plan.updated_sessions, TrainingSession, plan.updated_fields, batch_size=BATCH_SIZE, default_user=user
        )


def _delete_sheet_rows(session_ids, keep):
    """Delete the rows that earlier sheets brought for `session_ids` (typed-in rows and sheet `keep`'s stay).

    Why not QuerySet.delete(): the rows were written by bulk_create, without signals, and
    delete() would load every row and send its post_delete signals, so simple-history would write
    an audit copy of every name (100,000 history rows for a large sheet) and the import would
    slow to minutes. The import is recorded by its AttendanceSheet (and the history of the
    earlier sheets' records); nothing references an attendance row; the database triggers keep
    the session counts. A plain DELETE through the documented `connection.cursor()`, scoped to
    these sessions' sheet rows, replaces the private `QuerySet._raw_delete` used before.
    """
    using = router.db_for_write(Attendance)
    ops = connections[using].ops
    table = ops.quote_name(Attendance._meta.db_table)
    session_column = ops.quote_name(Attendance._meta.get_field("session").column)
    sheet_column = ops.quote_name(Attendance._meta.get_field("sheet").column)
    with connections[using].cursor() as cursor:
        # Batches keep the IN list under every database's limit on parameters.
        for batch in _batches(sorted(session_ids), DELETE_BATCH_SIZE):
            placeholders = ", ".join(["%s"] * len(batch))
            # Only quoted identifiers of the model go into the text; every value is a parameter.
            cursor.execute(
                f"DELETE FROM {table} WHERE {session_column} IN ({placeholders}) "  # noqa: S608
                f"AND {sheet_column} IS NOT NULL AND {sheet_column} <> %s",
                [*batch, keep],
            )


def undo_import(sheet, *, user=None):
    """Delete an import: its AttendanceSheet and exactly the rows it brought; return how many rows went.

    Set-based at any size: one DELETE of the rows by sheet (the indexed foreign key), so no row is
    loaded, no per-row signal runs and no history row repeats a name; the database triggers keep
    the session counts. The undo's one audit entry is the sheet record's deletion in its history
    (who, when, which file, its row count and the reason 「取込の取り消し（N行）」), besides a session
    version where its `roster_is_partial` changes (store_roster_flags), and its one
    public-data bump comes with it, right before the commit: the long DELETE holds no lock on a
    row that another user's preview touches (the cache, the stored uploads, the sessions it reads).
    """
    using = router.db_for_write(Attendance)
    ops = connections[using].ops
    table = ops.quote_name(Attendance._meta.db_table)
    sheet_column = ops.quote_name(Attendance._meta.get_field("sheet").column)
    with transaction.atomic(using=using):
        # A one-session sheet names its session; a multi-session sheet's sessions are read from its rows.
        session_ids = (
            {sheet.session_id}
            if sheet.session_id
            else set(Attendance.objects.filter(sheet=sheet).order_by().values_list("session_id", flat=True).distinct())
        )
        with connections[using].cursor() as cursor:
            # Only quoted identifiers of the model go into the text; the value is a parameter.
            cursor.execute(f"DELETE FROM {table} WHERE {sheet_column} = %s", [sheet.pk])  # noqa: S608
            removed = cursor.rowcount
        # The roster's choice goes with it: rows typed in that remain are judged afresh, and a
        # session left without rows is no longer partial (its typed headcount counts again).
        store_roster_flags(session_ids, use_roster_count=False, user=user, reason="取込の取り消し")
        if user is not None and user.is_authenticated:
            sheet._history_user = user
        sheet._change_reason = f"取込の取り消し（{removed:,}行）"
        sheet.row_count = removed
        sheet.delete()
    return removed


def _replace_earlier(session_ids, record):
    """Delete the rows earlier sheets brought for `session_ids`; delete those sheets left empty, recount the others."""
    earlier_sheet_ids = set(
        Attendance.objects.filter(session_id__in=session_ids, sheet__isnull=False)
        .exclude(sheet_id=record.pk)
        .values_list("sheet_id", flat=True)
        .distinct()
    )
    if earlier_sheet_ids:
        _delete_sheet_rows(session_ids, record.pk)
        remaining = dict(
            AttendanceSheet.objects.filter(pk__in=earlier_sheet_ids)
            .annotate(n=Count("attendances"))
            .values_list("pk", "n")
        )
        AttendanceSheet.objects.filter(pk__in=[pk for pk, n in remaining.items() if n == 0]).delete()
        for pk, n in remaining.items():
            if n:
                AttendanceSheet.objects.filter(pk=pk).update(row_count=n)


def _write_attendances(plan, record):
    session_ids = {row.session_id for row in plan.attendances}
    _replace_earlier(session_ids, record)
    for row in plan.attendances:
        row.sheet_id = record.pk
    using = router.db_for_write(Attendance)
    with rows_reached_in_bulk(using, record.pk):
        write_attendances(plan.attendances, using=using, batch_size=BATCH_SIZE, copy_batch_size=COPY_BATCH_SIZE)
    store_roster_flags(
        session_ids, use_roster_count=plan.use_roster_count, user=record.uploaded_by, reason="出席者名簿の取込"
    )


def store_roster_flags(session_ids, *, use_roster_count, user=None, reason=""):
    """Store `roster_is_partial` of `session_ids` from their rows as they are now; return how many changed.

    A session is partial when it has rows, fewer than its typed headcount, and the user did not
    choose the roster's count (TrainingSession.roster_keeps_headcount); the participant count
    then stays the headcount (TrainingSessionQuerySet.with_participant_counts). Reads the
    trigger-kept row counts, so it runs after the rows are written or deleted. One query per 500
    sessions, plus, when a flag changes, one to load those sessions and a bulk update with their
    audit history (who, and `reason`).
    """
    changed = {}
    for batch in _batches(sorted(session_ids), DELETE_BATCH_SIZE):
        for pk, headcount, rows, partial in TrainingSession.objects.filter(pk__in=batch).values_list(
            "pk", "headcount", "attendance_count", "roster_is_partial"
        ):
            keep = rows > 0 and TrainingSession.roster_keeps_headcount(
                headcount, rows, use_roster_count=use_roster_count
            )
            if keep != partial:
                changed[pk] = keep
    if not changed:
        return 0
    sessions = TrainingSession.objects.in_bulk(list(changed))
    for pk, keep in changed.items():
        sessions[pk].roster_is_partial = keep
    bulk_update_with_history(
        list(sessions.values()),
        TrainingSession,
        ["roster_is_partial"],
        batch_size=BATCH_SIZE,
        default_user=user if user is not None and user.is_authenticated else None,
        default_change_reason=reason or None,
    )
    return len(changed)
