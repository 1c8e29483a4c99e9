"""Personal-data retention: blank attendee names of old sessions, keep every count."""

import hashlib
import hmac
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from trainings.models import Attendance

logger = logging.getLogger("portal.audit")

PURGED_PREFIX = "purged:"


@dataclass(frozen=True)
class PurgeResult:
    before_fiscal_year: int
    rows: int
    sessions: int
    dry_run: bool


def pseudonymous_key(key):
    """Return a one-way stand-in for a person key, so 実人数 stays countable after names are gone."""
    digest = hmac.new(settings.SECRET_KEY.encode(), key.encode(), hashlib.sha256).hexdigest()[:40]
    return PURGED_PREFIX + digest


def purge_personal_data(*, before_fiscal_year, dry_run=False):
    """Blank names, furigana and notes of attendance rows of sessions before `before_fiscal_year`.

    Rows stay (延べ unchanged); each person key is replaced by a keyed hash of itself (実人数
    unchanged). Returns a PurgeResult; with `dry_run` nothing is written. Runs in one
    transaction: all rows are purged or none.
    """
    rows = Attendance.objects.filter(session__fiscal_year__lt=before_fiscal_year).exclude(
        name="", name_kana="", note=""
    )
    result = PurgeResult(
        before_fiscal_year=before_fiscal_year,
        rows=rows.count(),
        sessions=rows.values("session").distinct().count(),
        dry_run=dry_run,
    )
    if not dry_run:
        with transaction.atomic():
            batch = []
            for attendance in rows.select_for_update().only("pk", "person_key").iterator(chunk_size=2000):
                if attendance.person_key and not attendance.person_key.startswith(PURGED_PREFIX):
                    attendance.person_key = pseudonymous_key(attendance.person_key)
                attendance.name = attendance.name_kana = attendance.note = ""
                batch.append(attendance)
                if len(batch) >= 2000:
                    Attendance.objects.bulk_update(batch, ["name", "name_kana", "note", "person_key"])
                    batch = []
            Attendance.objects.bulk_update(batch, ["name", "name_kana", "note", "person_key"])
    # Counts only: the log never carries a name.
    logger.info(
        "personal data purge%s: %d attendance rows of %d sessions before FY%d",
        " (dry run)" if dry_run else "",
        result.rows,
        result.sessions,
        before_fiscal_year,
    )
    return result
