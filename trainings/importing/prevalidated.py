"""The rows a preview validated, kept beside the stored upload so that the confirm writes them as they are.

The preview reads and validates the whole sheet; the confirm used to do it all again. Now the
preview of a sheet of at most trainings.importing.participants.KEEP_ROWS valid rows stores the
plan's final rows (compressed JSON, in the same database table as the upload,
trainings.importing.pending.PendingUpload, under the upload's name + ".plan") with the SHA-256 of
the upload it came from. The confirm reads the stored upload, hashes it and, when the hash, the
kind and the session are those of the stored plan and every session, organisation and ward it
names still exists, writes the stored rows without reading or validating the sheet again;
otherwise (the upload changed, records were deleted meanwhile) it re-validates as before and shows
what changed. Only attendance sheets are kept this way: session lists are short. A larger sheet's
preview keeps no rows (memory stays flat); its confirm reads the stored upload again and writes
each chunk as it is validated (trainings.importing.services.import_streamed), all or nothing.
"""

import json
import operator
import zlib

from partners.models import Organization, Ward
from trainings.importing.copy_writer import new_row
from trainings.importing.plans import ImportPlan, IssueList, RowIssue
from trainings.importing.sheets import Sheet
from trainings.models import PendingUpload, SheetKind, TrainingSession

SUFFIX = ".plan"
FIELDS = [
    "session_id",
    "row_number",
    "name",
    "name_kana",
    "organization_id",
    "organization_text",
    "ward_id",
    "role",
    "note",
    "person_key",
    "search_key",
]
_values = operator.attrgetter(*FIELDS)


def plan_name(storage_name):
    """Return the PendingUpload name under which the plan of the upload `storage_name` is kept."""
    return f"{storage_name}{SUFFIX}"


def save_plan(storage_name, plan):
    """Keep a valid attendance plan beside its stored upload; return whether it was kept."""
    if not plan.is_valid or plan.kind == SheetKind.SESSIONS or not plan.sheet.sha256 or not plan.rows_kept:
        return False
    rows = plan.sheet.rows
    if isinstance(rows, list):
        lines = [rows[0][0], rows[-1][0], len(rows)] if rows else []
    else:  # a RowStream the preview read through: its first and last line are known without reading it again
        lines = [rows.first_line, rows.last_line, len(rows)] if rows.first_line is not None else []
    payload = {
        "sha256": plan.sheet.sha256,
        "kind": str(plan.kind),
        "session": plan.session.pk if plan.session else None,
        "use_roster_count": plan.use_roster_count,
        "file_name": plan.sheet.file_name,
        "format": plan.sheet.format,
        "encoding": plan.sheet.encoding,
        "headers": plan.sheet.headers,
        "lines": lines,
        "counts": [plan.new_count, plan.update_count, plan.delete_count, plan.unchanged_session_count],
        # Skipped rows by line and reason only (the reason names no one).
        "skipped": [[issue.line, issue.column, issue.reason] for issue in plan.skipped],
        "unmatched": dict(plan.unmatched_organizations),
        "rows": [_values(row) for row in plan.attendances],
    }
    data = zlib.compress(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode(), 1)
    PendingUpload.objects.update_or_create(name=plan_name(storage_name), defaults={"data": data})
    return True


def remove_plan(storage_name):
    """Delete the kept plan of an upload (when the upload itself goes)."""
    PendingUpload.objects.filter(name=plan_name(storage_name)).delete()


def _still_there(payload):
    """Return whether every session, organisation and ward the stored rows name still exists (3 queries)."""
    for model, field in ((TrainingSession, "session_id"), (Organization, "organization_id"), (Ward, "ward_id")):
        at = FIELDS.index(field)
        ids = {row[at] for row in payload["rows"]} - {None}
        if ids and model.objects.filter(pk__in=ids).count() != len(ids):
            return False
    return True


def load_plan(storage_name, *, sha256, kind, session, use_roster_count=False):
    """Return the ImportPlan kept for the upload `storage_name`, or None when it must be validated again.

    None when no plan was kept, or the stored upload's SHA-256 (`sha256`, computed by the caller
    from the bytes it read), the kind, the session or the roster-count choice differ from the
    preview's, or a record the rows name was deleted since.
    """
    data = PendingUpload.objects.filter(name=plan_name(storage_name)).values_list("data", flat=True).first()
    if data is None:
        return None
    try:
        payload = json.loads(zlib.decompress(bytes(data)))
    except (zlib.error, ValueError):
        return None
    kept = (payload["sha256"], payload["kind"], payload["session"], payload.get("use_roster_count", False))
    if kept != (sha256, str(kind), session.pk if session else None, use_roster_count):
        return None
    if not _still_there(payload):
        return None
    first, last, count = payload["lines"] or [0, 0, 0]
    # The Sheet carries what the result and the messages show: the name, the format, the row lines.
    sheet = Sheet(payload["file_name"], sha256, payload["format"], payload["encoding"], payload["headers"])
    sheet.rows = _LineRange(first, last, count)
    plan = ImportPlan(kind=SheetKind(payload["kind"]), sheet=sheet, session=session, use_roster_count=use_roster_count)
    plan.new_count, plan.update_count, plan.delete_count, plan.unchanged_session_count = payload["counts"]
    plan.skipped = IssueList(RowIssue(line, column, "", reason) for line, column, reason in payload["skipped"])
    plan.unmatched_organizations.update(payload["unmatched"])
    # new_row: the same unsaved instances without Model.__init__ (a third of a 5,000-row confirm's Python time).
    plan.attendances = [new_row(**dict(zip(FIELDS, values, strict=True))) for values in payload["rows"]]
    plan.attendance_count = len(plan.attendances)
    plan.session_rows.update(row.session_id for row in plan.attendances)
    return plan


class _LineRange:
    """Stands for a sheet's rows where only their count and first and last line are known."""

    def __init__(self, first, last, count):
        self.first, self.last, self.count = first, last, count

    def __len__(self):
        return self.count

    def __iter__(self):
        if self.count:
            yield (self.first, [])
            if self.count > 1:
                yield (self.last, [])

    def __getitem__(self, index):
        return list(self)[index]
