"""Resources of attendance sheets: participants of one session, or of many sessions named on each row."""

import re
from array import array
from collections import Counter
from dataclasses import replace
from types import SimpleNamespace

from import_export.fields import Field

from core.dates import parse_date
from core.fiscal import fiscal_year, fiscal_year_bounds
from core.text import compact_key
from partners.models import Organization, Ward
from trainings.importing import columns as cols
from trainings.importing.copy_writer import new_row
from trainings.importing.counts import earlier_sheet_rows, plan_count_changes
from trainings.importing.plans import IssueList
from trainings.importing.resources import SheetResource
from trainings.importing.rows import (
    PREVIEW_ROWS,
    RowReader,
    any_filled,
    text_of,
    total_row_text,
    ward_ids,
)
from trainings.models import Attendance, AttendanceSheet, SheetKind, TrainingSession

_WITH_READING = re.compile(r"^(.*?)\s*[（(]\s*(.*?)\s*[）)]\s*$")


def names_of(reader, cells, line):
    """Return (氏名, ふりがな) of a row as written: from 氏名 and ふりがな, from 姓 + 名 and せい + めい
    (joined with a space), or split from one 「氏名（ふりがな）」 cell 「髙橋 一郎（たかはし いちろう）」.
    """
    positions = reader.positions
    if "family_name" in positions:
        name = " ".join(t for t in (reader.text(cells, cols.FAMILY, line), reader.text(cells, cols.GIVEN, line)) if t)
    else:
        name = reader.text(cells, cols.NAME, line)
    if "family_kana" in positions and "name_kana" not in positions:
        parts = (reader.text(cells, cols.FAMILY_KANA, line), reader.text(cells, cols.GIVEN_KANA, line))
        kana = " ".join(t for t in parts if t)
    else:
        kana = reader.text(cells, cols.KANA, line)
    if "name_split" in positions and (match := _WITH_READING.match(name)):
        name, kana = match[1], kana or match[2]
    return name, kana


# Valid rows handed to the write at a time, and the largest sheet whose preview keeps its rows
# for the confirm (trainings.importing.prevalidated); a larger one's rows are handed on in chunks
# (`overflow`: the admin keeps them, compressed, beside the upload) and dropped.
CHUNK_ROWS = 5_000
KEEP_ROWS = 10_000
# Stands in a duplicate's message until the row it repeats is named (PeopleSeen.name_first_rows).
DUPLICATE_PLACE = "\x00first\x00"


class SessionsByKey(dict):
    """Sessions by (date, compact title), loaded a fiscal year at a time as rows name them (one query per year).

    A year, not a date: on PostgreSQL every query of an import waits until the rows handed to the
    background writer are written (background_writer), so a query per date of a sheet sorted by
    session stopped the writer at every new session; a sheet seldom spans more than a year.
    `by_cells` finds again the session of a (開催日, 研修名) pair of cells as written: rows repeat
    the same few pairs, which are then read (parse_date, compact_key) once, not on every row.
    """

    CELLS_KEPT = 4096  # pairs kept in by_cells: memory stays bounded whatever the sheet writes

    def __init__(self):
        super().__init__()
        self.years = set()
        self.by_cells = {}

    def get(self, key, default=None):
        year = fiscal_year(key[0])
        if year not in self.years:
            self.years.add(year)
            for session in TrainingSession.objects.filter(date__range=fiscal_year_bounds(year)):
                self[session.date, compact_key(session.title)] = session
        return super().get(key, default)


_KEY_BITS = (1 << 60) - 1


def _key(session_id, person_key):
    """Return the 60-bit hash PeopleSeen keeps for a person in a session."""
    return hash((session_id, person_key)) & _KEY_BITS


class PeopleSeen:
    """The (session, person key) pairs of a sheet, as 64-bit hashes, and the row number of each.

    A set of ints and two arrays: about 75 bytes a row, against the strings and tuples of a dict.
    The hash is cut to 60 bits: an int under 2^60 is a 32-byte object, a full 64-bit one 48 bytes
    (13 MB less at 1,000,000 rows); two different people share a hash once in about 10^12
    sheets of 1,000,000 rows. A duplicate's message names the row it repeats once the sheet is
    read (name_first_rows): only then are the first rows of the repeated hashes looked up.
    """

    def __init__(self):
        self.hashes = set()
        self.order = array("q")  # each row's hash, in sheet order
        self.rows = array("q")  # each row's Attendance.row_number (worksheet offset + line)
        self.repeats = {}  # row number of a duplicate → its hash (for the first IssueList.LIMIT of them)

    def add(self, session_id, person_key, row_number):
        """Record a row; return False when the same person was already in the sheet for the session."""
        key = _key(session_id, person_key)
        if key in self.hashes:
            if len(self.repeats) < IssueList.LIMIT:
                self.repeats[row_number] = key
            return False
        self.hashes.add(key)
        self.order.append(key)
        self.rows.append(row_number)
        return True

    def has(self, session_id, person_key):
        return _key(session_id, person_key) in self.hashes

    def name_first_rows(self, plan, mapped):
        """Put the row each duplicate repeats into the kept skipped rows' messages (one pass over the hashes)."""
        if not self.repeats:
            return
        wanted = set(self.repeats.values())
        first = {}
        for key, row_number in zip(self.order, self.rows, strict=True):
            if key in wanted and key not in first:
                first[key] = row_number
        offsets = {sheet.sheet_name: index for index, (sheet, _) in enumerate(mapped)}
        places = [sheet.place for sheet, _ in mapped]
        for position, issue in enumerate(plan.skipped):
            if DUPLICATE_PLACE not in issue.reason:
                continue
            key = self.repeats.get(offsets.get(issue.sheet, 0) * SHEET_ROW_STRIDE + issue.line)
            index, line = divmod(first.get(key, 0), SHEET_ROW_STRIDE)
            place = f"{places[index]}{line}行目" if places[index] else f"{line}行目"
            plan.skipped[position] = replace(issue, reason=issue.reason.replace(DUPLICATE_PLACE, place))


# Attendance.row_number is unique per imported file: rows of a workbook's second, third … worksheet
# are numbered from 1,048,576 (Excel's last row) times the worksheet's position, plus their row.
SHEET_ROW_STRIDE = 1_048_576


class ParticipantsResource(SheetResource):
    """Participants of one session (the session is chosen on import): No., 氏名, ふりがな, 所属, 区, 役職, 備考."""

    kind = SheetKind.PARTICIPANTS

    date = Field(column_name="開催日")
    title = Field(column_name="研修名")
    row_number = Field(attribute="row_number", column_name="No.")
    name = Field(attribute="name", column_name="氏名")
    name_kana = Field(attribute="name_kana", column_name="ふりがな")
    organization = Field(column_name="所属")
    ward = Field(column_name="区")
    role = Field(attribute="role", column_name="役職")
    note = Field(attribute="note", column_name="備考")

    class Meta:
        model = Attendance
        fields = ("date", "title", "row_number", "name", "name_kana", "organization", "ward", "role", "note")
        export_order = fields

    def get_queryset(self):
        return Attendance.objects.select_related("session", "organization", "ward")

    # A date and a number, not text: Excel sorts and filters them (CSV writes 2019-05-20 and 1).
    def dehydrate_date(self, obj):
        return obj.session.date

    def dehydrate_row_number(self, obj):
        return obj.row_number

    def dehydrate_title(self, obj):
        return obj.session.title

    def dehydrate_organization(self, obj):
        return obj.organization_label

    def dehydrate_ward(self, obj):
        return obj.ward.name if obj.ward_id else ""

    def plan_parts(self, plan, mapped):
        """Validate every worksheet's rows into `plan`, streaming, with the lookups loaded once for all of them.

        Rows are validated one by one as the sheet is read; every CHUNK_ROWS valid rows go to
        `self.sink` (the write, trainings.importing.services.import_streamed) or, in a preview,
        are kept while the sheet has at most KEEP_ROWS of them (the confirm writes those) and
        dropped otherwise. The within-file duplicate check keeps one 64-bit hash per row.
        """
        multi = self.kind == SheetKind.PARTICIPANTS_MULTI
        if not multi and plan.session is None:
            plan.base_errors.append("取り込む研修を選んでください（1研修の出席者名簿には研修の指定が必要です）。")
            return
        lookups = SimpleNamespace(
            organizations={compact_key(o.name): o for o in Organization.objects.only("pk", "name")},
            wards=ward_ids(),
            ward_names=dict(Ward.objects.values_list("pk", "name")),
            sessions=SessionsByKey() if multi else {},
        )
        seen = PeopleSeen()
        first_error_count = len(plan.errors)
        for index, (sheet, positions) in enumerate(mapped):
            lookups.row_offset = index * SHEET_ROW_STRIDE
            self.plan_rows(plan, sheet, positions, lookups=lookups, seen=seen)
        self._flush(plan, final=True)
        seen.name_first_rows(plan, mapped)
        plan.preview_headers = ["研修", "No.", "氏名", "ふりがな", "所属", "区", "役職", "備考"]
        if len(plan.errors) == first_error_count and not plan.attendance_count:
            # Only numbered empty lines (a blank sign-in sheet): importing it would record a sheet of
            # 0 rows, which means the wrong file was chosen, not that nobody attended.
            plan.base_errors.append(
                "出席者の行がありません（番号だけの行は読み飛ばします）。氏名の入った名簿を選んでください。"
            )
        elif len(plan.errors) == first_error_count:
            self._count_replacements(plan, seen)
            plan_count_changes(plan, use_roster_count=plan.use_roster_count)

    sink = None  # called with the plan for each chunk of valid rows to write (see plan_parts)
    # In a preview, called with the plan for each chunk of valid rows past KEEP_ROWS (the admin
    # keeps them for the confirm: trainings.importing.prevalidated.RowChunks); None drops them.
    overflow = None

    def _flush(self, plan, final=False):
        """Hand the chunk of valid rows to the sink, or keep, hand on (overflow) or drop them in a preview."""
        if plan.errors or plan.base_errors:
            plan.attendances.clear()  # nothing will be written: keep validating, not the rows
            plan.rows_kept = False
        elif self.sink is not None:
            if plan.attendances:
                self.sink(plan)
            plan.attendances.clear()
            plan.rows_kept = False
        elif plan.rows_kept and plan.attendance_count <= KEEP_ROWS:
            return
        else:
            if plan.attendances and self.overflow is not None:
                self.overflow(plan)
            plan.attendances.clear()
            plan.rows_kept = False

    def plan_rows(self, plan, sheet, positions, *, lookups, seen):
        """Validate the rows of one worksheet; `seen` holds each (session, person) met so far and where."""
        multi = self.kind == SheetKind.PARTICIPANTS_MULTI
        reader = RowReader(sheet, positions, plan)
        organizations, wards, ward_names = lookups.organizations, lookups.wards, lookups.ward_names
        sessions = lookups.sessions
        no_index = positions.get("no")
        filled = any_filled([i for k, i in positions.items() if k != "no"])
        name_index = positions.get("name")
        session_rows = plan.session_rows
        for line, cells in sheet.rows:
            if not filled(cells):
                continue  # a numbered but empty line of the sign-in sheet
            if (total := total_row_text(cells, name_index)) is not None:
                reader.skip_total(line, total)
                continue
            errors_before = plan.errors.total
            session = self._session_of(cells, line, positions, sessions, reader) if multi else plan.session
            name, kana = names_of(reader, cells, line)
            if not name:
                reader.error(line, cols.NAME, "", "氏名が空欄です。")
            org_text = reader.text(cells, cols.ORGANIZATION, line)
            organization = organizations.get(compact_key(org_text)) if org_text else None
            ward_id = reader.ward(cells, cols.WARD, line, wards)
            role = reader.text(cells, cols.ROLE, line)
            note = reader.text(cells, cols.NOTE, line)
            if plan.errors.total > errors_before or session is None:
                continue
            if org_text and organization is None:
                plan.unmatched_organizations[org_text] += 1
            session_id = session.pk  # read once: Model.pk is a property and a method call
            row_number = lookups.row_offset + line
            # Plain ids, not related objects, and no Model.__init__ (copy_writer.new_row): building
            # the instances dominated the Python cost of 200,000 rows.
            row = new_row(
                session_id=session_id,
                # The database owns the year (on PostgreSQL its statement trigger refuses a wrong
                # one, migration 0018; on SQLite, while an import pauses the row trigger,
                # trainings.reach.sheet_rows_statements corrects any row whose year differs):
                # giving it here spares PostgreSQL a function call and SQLite a second write per row.
                fiscal_year=session.fiscal_year,
                row_number=row_number,
                name=name,
                name_kana=kana,
                organization_id=organization.pk if organization else None,
                organization_text=org_text,
                ward_id=ward_id,
                role=role,
                note=note,
            ).set_derived_fields(organization_name=organization.name if organization else None)
            if not seen.add(session_id, row.person_key, row_number):
                reason = f"{DUPLICATE_PLACE}と同じ人（氏名・所属）なので取り込みません。"
                plan.skipped.append(reader.issue(line, cols.NAME, name, reason))
                continue
            plan.attendance_count += 1
            session_rows[session_id] += 1
            plan.attendances.append(row)
            if len(plan.attendances) >= CHUNK_ROWS:
                self._flush(plan)
            if len(plan.preview) < PREVIEW_ROWS:
                number = text_of(cells[no_index]) if no_index is not None else ""
                org_label = organization.name if organization else (f"{org_text}（未登録）" if org_text else "")
                plan.preview.append(
                    (line, [str(session), number, name, kana, org_label, ward_names.get(ward_id, ""), role, note])
                )

    def _session_of(self, cells, line, positions, sessions, reader):
        raw_date = cells[positions["date"]]
        title = reader.text(cells, cols.TITLE, line)
        if (session := sessions.by_cells.get((raw_date, title))) is not None:
            return session
        try:
            date = parse_date(raw_date)
        except ValueError as error:
            reader.error(line, cols.DATE, raw_date, str(error))
            return None
        if not title:
            reader.error(line, cols.TITLE, "", "研修名が空欄です。")
            return None
        session = sessions.get((date, compact_key(title)))
        if session is not None and len(sessions.by_cells) < sessions.CELLS_KEPT:
            sessions.by_cells[raw_date, title] = session
        if session is None:
            reader.error(
                line,
                cols.TITLE,
                title,
                f"{date:%Y-%m-%d}「{title}」の研修が登録されていません（先に研修を登録するか、研修一覧を取り込んでください）。",
            )
        return session

    def _count_replacements(self, plan, seen):
        """Count rows of earlier sheets for the same sessions that this sheet will replace.

        One query for those rows (streamed), one for their sheets; the rows this import wrote
        already (`plan.sheet_record`, in its transaction) are not earlier ones (counts.earlier_sheet_rows).
        """
        earlier = Counter()
        matched = 0
        rows = earlier_sheet_rows(plan, plan.session_rows)
        for sheet_id, session_id, key in rows.values_list("sheet_id", "session_id", "person_key").iterator(
            chunk_size=CHUNK_ROWS
        ):
            earlier[sheet_id] += 1
            if seen.has(session_id, key):
                matched += 1
        plan.update_count = matched
        plan.new_count = plan.attendance_count - matched
        plan.delete_count = sum(earlier.values()) - matched
        if earlier:
            for sheet in AttendanceSheet.objects.filter(pk__in=earlier):
                plan.replaced_sheets[sheet] = earlier[sheet.pk]


class ParticipantsMultiResource(ParticipantsResource):
    """Participants of many sessions: the participant columns plus 開催日 and 研修名 naming each session."""

    kind = SheetKind.PARTICIPANTS_MULTI

    class Meta(ParticipantsResource.Meta):
        pass
