"""django-import-export resources for the three sheet kinds (import) and for exporting sessions and attendance.

The admin and the `import_attendance` command both call `resource.import_data(...)`. Rows are
validated in bulk — lookups loaded once into dicts, every row checked in Python, nothing
written until the whole sheet is valid — and trainings.services.import_sheet then writes the
plan in one transaction. This keeps import-export's interface (Result, preview, confirm) while
avoiding its per-row queries, so a 100,000-row sheet imports in seconds.
"""

import contextlib
from collections import Counter

from django.utils import timezone
from import_export import resources
from import_export.fields import Field
from import_export.results import Result

from core.dates import parse_date
from core.fiscal import fiscal_year
from core.spreadsheets import escape_formula
from core.text import compact_key
from partners.models import Bureau, Organization, Ward
from trainings import columns as cols
from trainings.importing.normalize import parse_count, ward_key
from trainings.models import Attendance, AttendanceSheet, Audience, SheetKind, TrainingCategory, TrainingSession
from trainings.names import person_key
from trainings.plans import ImportPlan, RowIssue
from trainings.sheets import Sheet

PREVIEW_ROWS = 10


def text_of(value):
    """Return a cell as text as written: stripped, '' when empty; dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, str):
        # A leading ' that protects a formula character was added by our own export: drop it.
        if len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
            return value[1:]
        return value.strip()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def sheet_from_dataset(dataset, file_name=""):
    """Return a Sheet for a tablib Dataset (header row 1, data from row 2), for callers of the plain API."""
    rows = [(line, ["" if c is None else c for c in row]) for line, row in enumerate(dataset, start=2)]
    rows = [(line, cells) for line, cells in rows if any(text_of(c) for c in cells)]
    return Sheet(file_name, "", "Dataset", "", [str(h or "") for h in (dataset.headers or [])], rows)


def earlier_import_message(earlier):
    """Return the message refusing a file that was already imported as `earlier`."""
    who = earlier.uploaded_by.get_username() if earlier.uploaded_by else "コマンド"
    when = f"{timezone.localtime(earlier.uploaded_at):%Y-%m-%d %H:%M}" if earlier.uploaded_at else ""
    return (
        f"同じ内容のファイルは既に取り込まれています（{when} に {who} が「{earlier.file_name}」として取込、"
        f"{earlier.row_count}行）。取り込み直す場合は、先にその取込を削除してください。"
    )


class SheetResult(Result):
    """import-export's Result carrying the ImportPlan that the preview and the messages show."""

    def __init__(self, plan):
        super().__init__()
        self.plan = plan
        self.sheet_record = None  # the AttendanceSheet once written
        self.totals.update(
            new=plan.new_count,
            update=plan.update_count,
            delete=plan.delete_count,
            skip=len(plan.skipped) + plan.unchanged_session_count,
            invalid=plan.error_lines,
        )
        self.total_rows = len(plan.sheet.rows)

    def has_errors(self):
        return bool(self.plan.base_errors)

    def has_validation_errors(self):
        return bool(self.plan.errors)


class SheetResource(resources.ModelResource):
    """Base of the three sheet kinds: validates a whole Sheet into an ImportPlan, then writes it."""

    kind = None

    def __init__(self, session=None, **kwargs):
        super().__init__(**kwargs)
        self.session = session

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        """Return a SheetResult for `dataset` (a Sheet or a tablib Dataset); write it unless dry_run or invalid."""
        from trainings.services import DuplicateSheetError, import_sheet

        sheet = dataset if isinstance(dataset, Sheet) else sheet_from_dataset(dataset, kwargs.get("file_name", ""))
        plan = self.build_plan(sheet)
        result = SheetResult(plan)
        if not dry_run and plan.is_valid:
            try:
                result.sheet_record = import_sheet(plan, user=kwargs.get("user"))
            except DuplicateSheetError as error:
                plan.base_errors.append(str(error))
        return result

    def build_plan(self, sheet):
        """Return the ImportPlan of `sheet`: what would be written, and every reason it cannot be."""
        plan = ImportPlan(kind=self.kind, sheet=sheet, session=self.session)
        if sheet.sha256:
            earlier = AttendanceSheet.objects.select_related("uploaded_by").filter(sha256=sheet.sha256).first()
            if earlier:
                plan.base_errors.append(earlier_import_message(earlier))
        filled = set()
        for _, cells in sheet.rows:
            filled.update(i for i, c in enumerate(cells) if c != "")
        positions, header_errors = cols.map_headers(sheet.headers, SheetKind(self.kind), filled.__contains__)
        plan.base_errors.extend(header_errors)
        if not header_errors and not sheet.rows:
            plan.base_errors.append("見出し行だけで、データの行がありません。")
        if not header_errors:
            self.plan_rows(plan, sheet, positions)
        return plan

    def plan_rows(self, plan, sheet, positions):
        raise NotImplementedError


def _dates_in(sheet, index):
    """Return the set of valid dates in column `index` (to load the matching sessions in one query)."""
    dates = set()
    for _, cells in sheet.rows:
        with contextlib.suppress(ValueError):
            dates.add(parse_date(cells[index]))
    return dates


def _ward_ids():
    wards = {}
    for pk, code, name in Ward.objects.values_list("pk", "code", "name"):
        wards[code] = pk
        wards[name.replace("ヶ", "ケ")] = pk
    return wards


class _RowReader:
    """Reads one kind's cells from a row by column key, recording errors with the header as written."""

    def __init__(self, sheet, positions, plan):
        self.headers = sheet.headers
        self.positions = positions
        self.plan = plan

    def header(self, column):
        index = self.positions.get(column.key)
        return self.headers[index] if index is not None else column.label

    def text(self, cells, column, line):
        index = self.positions.get(column.key)
        if index is None:
            return ""
        value = text_of(cells[index])
        if column.max_length and len(value) > column.max_length:
            self.error(
                line, column, value, f"{column.label}は{column.max_length}文字以内にしてください（{len(value)}文字）。"
            )
        return value

    def error(self, line, column, value, reason):
        self.plan.errors.append(RowIssue(line, self.header(column), text_of(value), reason))


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

    def dehydrate_date(self, obj):
        return obj.session.date.isoformat()

    def dehydrate_title(self, obj):
        return obj.session.title

    def dehydrate_organization(self, obj):
        return obj.organization_label

    def dehydrate_ward(self, obj):
        return obj.ward.name if obj.ward_id else ""

    def plan_rows(self, plan, sheet, positions):
        multi = self.kind == SheetKind.PARTICIPANTS_MULTI
        if not multi and plan.session is None:
            plan.base_errors.append("取り込む研修を選んでください（1研修の出席者名簿には研修の指定が必要です）。")
            return
        reader = _RowReader(sheet, positions, plan)
        organizations = {compact_key(o.name): o for o in Organization.objects.only("pk", "name")}
        wards = _ward_ids()
        ward_names = {pk: name for pk, name in Ward.objects.values_list("pk", "name")}
        sessions = self._sessions_by_key(sheet, positions) if multi else {}
        no_index = positions.get("no")
        other_indexes = [i for k, i in positions.items() if k != "no"]
        seen = {}
        first_error_count = len(plan.errors)
        for line, cells in sheet.rows:
            if not any(cells[i] != "" for i in other_indexes):
                continue  # a numbered but empty line of the sign-in sheet
            errors_before = len(plan.errors)
            session = self._session_of(cells, line, positions, sessions, reader) if multi else plan.session
            name = reader.text(cells, cols.NAME, line)
            if not name:
                reader.error(line, cols.NAME, "", "氏名が空欄です。")
            org_text = reader.text(cells, cols.ORGANIZATION, line)
            organization = organizations.get(compact_key(org_text)) if org_text else None
            ward_text = reader.text(cells, cols.WARD, line)
            ward_id = None
            if ward_text:
                ward_id = wards.get(ward_key(ward_text))
                if ward_id is None:
                    reader.error(line, cols.WARD, ward_text, f"区「{ward_text}」は横浜市の18区にありません。")
            kana = reader.text(cells, cols.KANA, line)
            role = reader.text(cells, cols.ROLE, line)
            note = reader.text(cells, cols.NOTE, line)
            if len(plan.errors) > errors_before or session is None:
                continue
            if org_text and organization is None:
                plan.unmatched_organizations[org_text] += 1
            key = person_key(name, organization.name if organization else org_text)
            if (session.pk, key) in seen:
                plan.skipped.append(
                    RowIssue(
                        line,
                        reader.header(cols.NAME),
                        name,
                        f"{seen[session.pk, key]}行目と同じ人（氏名・所属）なので取り込みません。",
                    )
                )
                continue
            seen[session.pk, key] = line
            plan.attendances.append(
                # Plain ids, not related objects: setting FK descriptors dominates the cost of 100,000 rows.
                Attendance(
                    session_id=session.pk,
                    row_number=line,
                    name=name,
                    name_kana=kana,
                    organization_id=organization.pk if organization else None,
                    organization_text=org_text,
                    ward_id=ward_id,
                    role=role,
                    note=note,
                    person_key=key,
                )
            )
            if len(plan.preview) < PREVIEW_ROWS:
                number = text_of(cells[no_index]) if no_index is not None else ""
                org_label = organization.name if organization else (f"{org_text}（未登録）" if org_text else "")
                plan.preview.append(
                    (line, [str(session), number, name, kana, org_label, ward_names.get(ward_id, ""), role, note])
                )
        plan.preview_headers = ["研修", "No.", "氏名", "ふりがな", "所属", "区", "役職", "備考"]
        if len(plan.errors) == first_error_count and not plan.attendances:
            # Only numbered empty lines (a blank sign-in sheet): importing it would record a sheet of
            # 0 rows, which means the wrong file was chosen, not that nobody attended.
            plan.base_errors.append(
                "出席者の行がありません（番号だけの行は読み飛ばします）。氏名の入った名簿を選んでください。"
            )
        elif len(plan.errors) == first_error_count:
            self._count_replacements(plan, seen)

    def _sessions_by_key(self, sheet, positions):
        dates = _dates_in(sheet, positions["date"])
        found = TrainingSession.objects.filter(date__in=dates) if dates else []
        return {(s.date, compact_key(s.title)): s for s in found}

    def _session_of(self, cells, line, positions, sessions, reader):
        raw_date = cells[positions["date"]]
        title = reader.text(cells, cols.TITLE, line)
        try:
            date = parse_date(raw_date)
        except ValueError as error:
            reader.error(line, cols.DATE, raw_date, str(error))
            return None
        if not title:
            reader.error(line, cols.TITLE, "", "研修名が空欄です。")
            return None
        session = sessions.get((date, compact_key(title)))
        if session is None:
            reader.error(
                line,
                cols.TITLE,
                title,
                f"{date:%Y-%m-%d}「{title}」の研修が登録されていません（先に研修を登録するか、研修一覧を取り込んでください）。",
            )
        return session

    def _count_replacements(self, plan, seen):
        """Count rows of earlier sheets for the same sessions that this sheet will replace."""
        session_ids = {session_id for session_id, _ in seen}
        earlier = Counter()
        matched = 0
        for sheet_id, session_id, key in Attendance.objects.filter(
            session_id__in=session_ids, sheet__isnull=False
        ).values_list("sheet_id", "session_id", "person_key"):
            earlier[sheet_id] += 1
            if (session_id, key) in seen:
                matched += 1
        plan.update_count = matched
        plan.new_count = len(plan.attendances) - matched
        plan.delete_count = sum(earlier.values()) - matched
        if earlier:
            for sheet in AttendanceSheet.objects.filter(pk__in=earlier):
                plan.replaced_sheets[sheet] = earlier[sheet.pk]


class ParticipantsMultiResource(ParticipantsResource):
    """Participants of many sessions: the participant columns plus 開催日 and 研修名 naming each session."""

    kind = SheetKind.PARTICIPANTS_MULTI

    class Meta(ParticipantsResource.Meta):
        pass


class SessionsResource(SheetResource):
    """A year's sessions with headcounts: 開催日, 研修名, 区分, 主催, 対象, 区, 会場, 参加者数."""

    kind = SheetKind.SESSIONS

    date = Field(attribute="date", column_name="開催日")
    title = Field(attribute="title", column_name="研修名")
    category = Field(column_name="区分")
    host = Field(column_name="主催")
    audience = Field(column_name="対象")
    ward = Field(column_name="区")
    venue = Field(attribute="venue", column_name="会場")
    headcount = Field(attribute="headcount", column_name="参加者数")
    rows = Field(column_name=cols.ROWS_COLUMN)

    class Meta:
        model = TrainingSession
        fields = ("date", "title", "category", "host", "audience", "ward", "venue", "headcount", "rows")
        export_order = fields

    def get_queryset(self):
        return TrainingSession.objects.with_participant_counts().select_related(
            "category", "ward", "host_bureau", "host_organization"
        )

    def dehydrate_date(self, obj):
        return obj.date.isoformat()

    def dehydrate_category(self, obj):
        return obj.category.name if obj.category_id else ""

    def dehydrate_host(self, obj):
        return str(obj.host or "")

    def dehydrate_audience(self, obj):
        return obj.audience_detail or obj.get_audience_display()

    def dehydrate_ward(self, obj):
        return obj.ward.name if obj.ward_id else ""

    def dehydrate_headcount(self, obj):
        return "" if obj.headcount is None else obj.headcount

    def dehydrate_rows(self, obj):
        return obj.attendance_count  # stored (trigger-kept): no query per session without rows

    # Fields written for each column present in the sheet (absent columns leave records alone).
    FIELDS_BY_COLUMN = {
        "category": ["category"],
        "host": ["host_bureau", "host_organization"],
        "audience": ["audience", "audience_detail"],
        "ward": ["ward"],
        "venue": ["venue"],
        "headcount": ["headcount"],
    }

    def plan_rows(self, plan, sheet, positions):
        reader = _RowReader(sheet, positions, plan)
        categories = {}
        for category in TrainingCategory.objects.all():
            for text in (category.code, category.name, str(category)):
                categories[compact_key(text)] = category
        bureaus = {compact_key(b.name): b for b in Bureau.objects.all()}
        organizations = {compact_key(o.name): o for o in Organization.objects.only("pk", "name")}
        audiences = {compact_key(label): value for value, label in Audience.choices}
        audiences.update({value: value for value in Audience.values})
        wards = _ward_ids()
        ward_objects = {w.pk: w for w in Ward.objects.all()}
        dates = _dates_in(sheet, positions["date"])
        found = TrainingSession.objects.filter(date__in=dates).select_related(
            "category", "ward", "host_bureau", "host_organization"
        )
        existing = {(s.date, compact_key(s.title)): s for s in found}
        update_fields = [f for key in positions for f in self.FIELDS_BY_COLUMN.get(key, [])]
        seen = {}
        for line, cells in sheet.rows:
            errors_before = len(plan.errors)
            raw_date = cells[positions["date"]]
            date = None
            try:
                date = parse_date(raw_date)
            except ValueError as error:
                reader.error(line, cols.DATE, raw_date, str(error))
            title = reader.text(cells, cols.TITLE, line)
            if not title:
                reader.error(line, cols.TITLE, "", "研修名が空欄です。")
            values = {}
            if "category" in positions:
                text = reader.text(cells, cols.CATEGORY, line)
                values["category"] = categories.get(compact_key(text)) if text else None
                if text and values["category"] is None:
                    codes = "、".join(sorted({str(c) for c in categories.values()}))
                    reader.error(
                        line, cols.CATEGORY, text, f"区分「{text}」は研修区分にありません（登録済み: {codes}）。"
                    )
            if "host" in positions:
                text = reader.text(cells, cols.HOST, line)
                key = compact_key(text)
                values["host_bureau"] = bureaus.get(key) if text else None
                values["host_organization"] = None if values["host_bureau"] else organizations.get(key)
                if text and not (values["host_bureau"] or values["host_organization"]):
                    reader.error(line, cols.HOST, text, f"主催「{text}」は局・団体として登録されていません。")
            if "audience" in positions:
                text = reader.text(cells, cols.AUDIENCE, line)
                value = audiences.get(compact_key(text))
                values["audience"] = value or Audience.OTHER
                values["audience_detail"] = "" if value or not text else text
            if "ward" in positions:
                text = reader.text(cells, cols.WARD, line)
                ward_id = wards.get(ward_key(text)) if text else None
                if text and ward_id is None:
                    reader.error(line, cols.WARD, text, f"区「{text}」は横浜市の18区にありません。")
                values["ward"] = ward_objects.get(ward_id)
            if "venue" in positions:
                values["venue"] = reader.text(cells, cols.VENUE, line)
            if "headcount" in positions:
                raw = cells[positions["headcount"]]
                try:
                    values["headcount"] = parse_count(raw)
                except ValueError as error:
                    reader.error(line, cols.HEADCOUNT, raw, str(error))
            if len(plan.errors) > errors_before:
                continue
            key = (date, compact_key(title))
            if key in seen:
                reader.error(line, cols.TITLE, title, f"{seen[key]}行目と同じ研修（開催日・研修名）です。")
                continue
            seen[key] = line
            session = existing.get(key)
            if session is None:
                session = TrainingSession(date=date, title=title, fiscal_year=fiscal_year(date), **values)
                plan.new_sessions.append(session)
                status = "新規"
            elif any(getattr(session, f) != v for f, v in values.items()):
                for f, v in values.items():
                    setattr(session, f, v)
                plan.updated_sessions.append(session)
                status = "更新"
            else:
                plan.unchanged_session_count += 1
                status = "変更なし"
            if len(plan.preview) < PREVIEW_ROWS:
                plan.preview.append(
                    (
                        line,
                        [
                            status,
                            f"{date:%Y-%m-%d}",
                            session.title,
                            str(session.category or ""),
                            str(session.host or ""),
                            session.audience_detail or session.get_audience_display(),
                            str(session.ward or ""),
                            session.venue,
                            "" if session.headcount is None else str(session.headcount),
                        ],
                    )
                )
        plan.preview_headers = ["状態", "開催日", "研修名", "区分", "主催", "対象", "区", "会場", "参加者数"]
        plan.updated_fields = update_fields
        plan.new_count = len(plan.new_sessions)
        plan.update_count = len(plan.updated_sessions)


RESOURCES = {
    SheetKind.PARTICIPANTS: ParticipantsResource,
    SheetKind.PARTICIPANTS_MULTI: ParticipantsMultiResource,
    SheetKind.SESSIONS: SessionsResource,
}


def resource_for(kind, *, session=None):
    """Return the resource instance importing sheets of `kind` (for one session when given)."""
    return RESOURCES[SheetKind(kind)](session=session)
