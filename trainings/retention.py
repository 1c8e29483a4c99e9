"""Personal-data retention: blank attendee names of old sessions, keep every count."""

import hashlib
import hmac
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from trainings.models import Attendance, TrainingSession

logger = logging.getLogger("portal.audit")

PURGED_PREFIX = "purged:"
PURGED_FIELDS = ["name", "name_kana", "note", "person_key"]
BATCH_SIZE = 2000


@dataclass(frozen=True)
class PurgeResult:
    before_fiscal_year: int
    rows: int
    sessions: int
    dry_run: bool
    # Rows of the audit history (core.history) that still held a name of those sessions.
    history_rows: int = 0


def pseudonymous_key(key):
    """Return a one-way stand-in for a person key, so 実人数 stays countable after names are gone."""
    digest = hmac.new(settings.SECRET_KEY.encode(), key.encode(), hashlib.sha256).hexdigest()[:40]
    return PURGED_PREFIX + digest


def _history_rows(before_fiscal_year):
    """Return the audit-history attendance rows still holding a name, of sessions before the year.

    A session counts when it is before the year now or was in any recorded version (also a
    deleted session: its deletion is in the history), so no old name survives in the history.
    """
    sessions = TrainingSession.objects.filter(fiscal_year__lt=before_fiscal_year).values("pk")
    old_versions = TrainingSession.history.filter(fiscal_year__lt=before_fiscal_year).values("id")
    return (
        Attendance.history.filter(Q(session_id__in=sessions) | Q(session_id__in=old_versions))
        .exclude(name="", name_kana="", note="")
        .order_by()
    )


def _blank(queryset, model):
    """Blank name, furigana and note of every row of `queryset` and hash its person key, in batches.

    The folded name kept for searching (search_key, not in the audit history) is blanked too.
    """
    fields = [*PURGED_FIELDS, *(["search_key"] if model is Attendance else [])]
    batch = []
    for row in queryset.select_for_update().only("pk", "person_key").iterator(chunk_size=BATCH_SIZE):
        if row.person_key and not row.person_key.startswith(PURGED_PREFIX):
            row.person_key = pseudonymous_key(row.person_key)
        row.name = row.name_kana = row.note = row.search_key = ""
        batch.append(row)
        if len(batch) >= BATCH_SIZE:
            model.objects.bulk_update(batch, fields)
            batch = []
    model.objects.bulk_update(batch, fields)


def purge_personal_data(*, before_fiscal_year, dry_run=False):
    """Blank names, furigana and notes of attendance rows of sessions before `before_fiscal_year`.

    Rows stay (延べ unchanged); each person key is replaced by a keyed hash of itself (実人数
    unchanged). The same rows' versions in the audit history are blanked too. Returns a
    PurgeResult; with `dry_run` nothing is written. Runs in one transaction: all rows are
    purged or none.
    """
    rows = Attendance.objects.filter(session__fiscal_year__lt=before_fiscal_year).exclude(
        name="", name_kana="", note=""
    )
    history = _history_rows(before_fiscal_year)
    result = PurgeResult(
        before_fiscal_year=before_fiscal_year,
        rows=rows.count(),
        sessions=rows.values("session").distinct().count(),
        dry_run=dry_run,
        history_rows=history.count(),
    )
    if not dry_run:
        with transaction.atomic():
            _blank(rows, Attendance)
            # bulk_update sends no signals, so blanking adds no new history rows.
            _blank(history, Attendance.history.model)
    # Counts only: the log never carries a name.
    logger.info(
        "personal data purge%s: %d attendance rows of %d sessions before FY%d; %d history rows",
        " (dry run)" if dry_run else "",
        result.rows,
        result.sessions,
        before_fiscal_year,
        result.history_rows,
    )
    return result
