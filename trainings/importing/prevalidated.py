"""The rows a preview validated, kept beside the stored upload so that the confirm writes them as they are.

The preview reads and validates the whole sheet; the confirm used to do it all again. Now the
preview of a sheet of at most trainings.importing.participants.KEEP_ROWS valid rows stores the
plan's final rows (compressed JSON, in the same database table as the upload,
trainings.importing.pending.PendingUpload, under the upload's name + ".plan") with the SHA-256 of
the upload it came from. The confirm reads the stored upload, hashes it and, when the hash, the
kind and the session are those of the stored plan and every session, organisation and ward it
names still exists, writes the stored rows without reading or validating the sheet again;
otherwise (the upload changed, records were deleted meanwhile) it re-validates as before and shows
what changed. Only attendance sheets are kept this way: session lists are short.

A larger sheet's preview holds no more than a chunk of rows at a time (memory stays flat): each
chunk of valid rows is stored as it is validated (RowChunks: compressed JSON, one PendingUpload
row per 5,000 rows, named upload + ".plan." + its number), and the plan's own entry names how many
there are, with the sessions, organisations and wards they name. The confirm of such a plan reads
and writes the chunks one at a time (trainings.importing.services.import_streamed), all or nothing,
without reading or validating the sheet again; a preview that ends with errors leaves no chunk.
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
# The records the stored rows name, checked again by the confirm (_still_there).
_CHECKED = {"session_id": TrainingSession, "organization_id": Organization, "ward_id": Ward}


def plan_name(storage_name):
    """Return the PendingUpload name under which the plan of the upload `storage_name` is kept."""
    return f"{storage_name}{SUFFIX}"


class RowChunks:
    """The preview's sink for the valid rows past KEEP_ROWS: each chunk stored beside the upload as it comes.

    Called with the plan (its `attendances` are the chunk); keeps the ids of the sessions,
    organisations and wards the rows name (a few hundred), not the rows. One query per chunk.
    """

    def __init__(self, storage_name):
        self.storage_name = storage_name
        self.count = 0
        self.ids = {field: set() for field in _CHECKED}

    def __call__(self, plan):
        if self.count == 0:
            remove_plan(self.storage_name)  # an earlier preview's plan of the same upload (a column chosen since)
        rows = [_values(row) for row in plan.attendances]
        for field, ids in self.ids.items():
            at = FIELDS.index(field)
            ids.update(row[at] for row in rows)
        data = zlib.compress(json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode(), 1)
        PendingUpload.objects.create(name=_chunk_name(self.storage_name, self.count), data=data)
        self.count += 1

    def checked_ids(self):
        """Return {field: sorted ids} of the rows stored (None left out), for _still_there."""
        return {field: sorted(ids - {None}) for field, ids in self.ids.items()}


def _chunk_name(storage_name, number):
    return f"{plan_name(storage_name)}.{number}"


def _chunks(storage_name, count):
    """Yield the stored chunks of rows one at a time, as unsaved Attendance rows (one query each)."""
    for number in range(count):
        data = PendingUpload.objects.filter(name=_chunk_name(storage_name, number)).values_list("data", flat=True)
        data = data.first()
        if data is None:
            raise FileNotFoundError(_chunk_name(storage_name, number))
        yield [new_row(**dict(zip(FIELDS, values, strict=True))) for values in json.loads(zlib.decompress(data))]


def save_plan(storage_name, plan, chunks=None):
    """Keep a valid attendance plan beside its stored upload; return whether it was kept.

    `chunks`, the RowChunks that received the rows of a larger sheet's preview: the plan's entry
    then names them; an invalid plan's chunks are removed.
    """
    stored = chunks is not None and chunks.count > 0
    if not plan.is_valid or plan.kind == SheetKind.SESSIONS or not plan.sheet.sha256:
        if stored:
            remove_plan(storage_name)
        return False
    if not plan.rows_kept and not stored:
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
    if stored and not plan.rows_kept:
        payload.update(
            chunks=chunks.count,
            ids=chunks.checked_ids(),
            rows_total=plan.attendance_count,
            session_rows=[[pk, n] for pk, n in plan.session_rows.items()],
        )
    data = zlib.compress(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode(), 1)
    PendingUpload.objects.update_or_create(name=plan_name(storage_name), defaults={"data": data})
    return True


def remove_plan(storage_name):
    """Delete the kept plan of an upload and its chunks of rows (when the upload itself goes)."""
    name = plan_name(storage_name)
    PendingUpload.objects.filter(name=name).delete()
    PendingUpload.objects.filter(name__startswith=f"{name}.").delete()


def _still_there(payload):
    """Return whether every session, organisation and ward the stored rows name still exists (3 queries)."""
    for field, model in _CHECKED.items():
        if "ids" in payload:
            ids = set(payload["ids"][field])
        else:
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
    if "chunks" in payload:
        # A larger sheet: the rows stay in their chunks until the write reads them one at a time.
        names = [_chunk_name(storage_name, number) for number in range(payload["chunks"])]
        if PendingUpload.objects.filter(name__in=names).count() != len(names):
            return None  # purged meanwhile: validate the sheet again
        plan.rows_kept = False
        plan.attendance_count = payload["rows_total"]
        plan.session_rows.update(dict(payload["session_rows"]))
        plan.kept_chunks = _chunks(storage_name, payload["chunks"])
        return plan
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
