"""Resource of session lists: a year's sessions with headcounts (new sessions added, listed ones updated)."""

from django.conf import settings
from import_export.fields import Field

from core.dates import parse_date
from core.text import compact_key
from partners.models import Bureau, Organization, Ward
from trainings.importing import columns as cols
from trainings.importing.normalize import has_time, parse_time_range, read_count
from trainings.importing.resources import SheetResource
from trainings.importing.rows import PREVIEW_ROWS, RowReader, dates_in, text_of, total_row_text, ward_ids
from trainings.models import Audience, SheetKind, TrainingCategory, TrainingSession


class SessionsResource(SheetResource):
    """A year's sessions with headcounts: 開催日, 研修名, 研修名（よみ）, 日時, 区分, 主催, 対象, 区, 会場, 参加者数."""

    kind = SheetKind.SESSIONS

    date = Field(attribute="date", column_name="開催日")
    title = Field(attribute="title", column_name="研修名")
    title_kana = Field(attribute="title_kana", column_name="研修名（よみ）")
    time = Field(column_name="日時")
    category = Field(column_name="区分")
    host = Field(column_name="主催")
    audience = Field(column_name="対象")
    ward = Field(column_name="区")
    venue = Field(attribute="venue", column_name="会場")
    headcount = Field(attribute="headcount", column_name="参加者数")
    rows = Field(column_name=cols.ROWS_COLUMN)

    class Meta:
        model = TrainingSession
        fields = (
            "date",
            "title",
            "title_kana",
            "time",
            "category",
            "host",
            "audience",
            "ward",
            "venue",
            "headcount",
            "rows",
        )
        export_order = fields

    def get_queryset(self):
        return TrainingSession.objects.with_participant_counts().select_related(
            "category", "ward", "host_bureau", "host_organization"
        )

    # Dates and numbers stay Python values: an XLSX export gets real dates and numbers that Excel
    # sorts and sums; a CSV writes them as 2019-05-20 and 30; unknown stays an empty cell.
    def dehydrate_date(self, obj):
        return obj.date

    def dehydrate_time(self, obj):
        if obj.start_time is None:
            return ""
        return f"{obj.start_time:%H:%M}～{obj.end_time:%H:%M}" if obj.end_time else f"{obj.start_time:%H:%M}～"

    def dehydrate_category(self, obj):
        return obj.category.name if obj.category_id else ""

    def dehydrate_host(self, obj):
        return str(obj.host or "")

    def dehydrate_audience(self, obj):
        return obj.audience_detail or obj.get_audience_display()

    def dehydrate_ward(self, obj):
        return obj.ward.name if obj.ward_id else ""

    def dehydrate_headcount(self, obj):
        return obj.headcount

    def dehydrate_rows(self, obj):
        return obj.attendance_count  # stored (trigger-kept): no query per session without rows

    # Fields written for each column present in the sheet (absent columns leave records alone).
    FIELDS_BY_COLUMN = {
        "title_kana": ["title_kana"],
        "time": ["start_time", "end_time"],
        "category": ["category"],
        "host": ["host_bureau", "host_organization"],
        "audience": ["audience", "audience_detail"],
        "ward": ["ward"],
        "venue": ["venue"],
        "headcount": ["headcount", "headcount_approximate"],
    }

    @staticmethod
    def _note_count(plan, reader, line, raw, values):
        """List a headcount stored otherwise than written (約30 → 30 概数, ― → empty) in the preview's notes."""
        number = values["headcount"]
        written = text_of(raw)
        if values["headcount_approximate"]:
            reason = f"「{written}」を概数の {number}人として記録します（概数の印を付けます）。"
        elif number is None and written:
            reason = f"「{written}」は人数不明として空欄で記録します（0 にはしません）。"
        else:
            return
        plan.notes.append(reader.issue(line, cols.HEADCOUNT, raw, reason))

    def plan_parts(self, plan, mapped):
        """Validate every worksheet's sessions; a session listed on two sheets is an error on the second."""
        seen = {}
        for sheet, positions in mapped:
            self.plan_rows(plan, sheet, positions, seen=seen)

    def plan_rows(self, plan, sheet, positions, *, seen=None):
        """Validate one worksheet's sessions into `plan`; `seen` maps (date, title) to where they were first."""
        seen = {} if seen is None else seen
        reader = RowReader(sheet, positions, plan)
        categories = {}
        for category in TrainingCategory.objects.all():
            for text in (category.code, category.name, str(category)):
                categories[compact_key(text)] = category
        bureaus = {compact_key(b.name): b for b in Bureau.objects.all()}
        organizations = {compact_key(o.name): o for o in Organization.objects.only("pk", "name")}
        audiences = {compact_key(label): value for value, label in Audience.choices}
        audiences.update({value: value for value in Audience.values})
        wards = ward_ids()
        ward_objects = {w.pk: w for w in Ward.objects.all()}
        dates = dates_in(sheet, positions["date"])
        found = TrainingSession.objects.filter(date__in=dates).select_related(
            "category", "ward", "host_bureau", "host_organization"
        )
        existing = {(s.date, compact_key(s.title)): s for s in found}
        update_fields = [f for key in positions for f in self.FIELDS_BY_COLUMN.get(key, [])]
        title_index = positions.get("title")
        cap = settings.IMPORT_MAX_SESSION_ROWS
        for line, cells in sheet.rows:
            if (total := total_row_text(cells, title_index)) is not None:
                reader.skip_total(line, total)
                continue
            if len(seen) + plan.error_lines >= cap:
                # Each session is held until the write: a list longer than any year's stops here.
                plan.base_errors.append(too_many_sessions(cap, sheet.place, line))
                return
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
            if "title_kana" in positions:
                values["title_kana"] = reader.text(cells, cols.TITLE_KANA, line)
            if "time" in positions:
                raw = cells[positions["time"]]
                try:
                    values["start_time"], values["end_time"] = parse_time_range(raw)
                except ValueError as error:
                    reader.error(line, cols.TIME, raw, str(error))
            elif isinstance(raw_date, str) and has_time(raw_date):
                # A 日時 cell (「2019/5/20 14:00～16:00」) gives the date and the times: read both, never
                # drop the times without a word. (A datetime from XLSX is a date: its 00:00 is no time.)
                try:
                    values["start_time"], values["end_time"] = parse_time_range(raw_date)
                except ValueError as error:
                    reader.error(line, cols.DATE, raw_date, str(error))
                else:
                    update_fields = list(dict.fromkeys([*update_fields, "start_time", "end_time"]))
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
                values["ward"] = ward_objects.get(reader.ward(cells, cols.WARD, line, wards))
            if "venue" in positions:
                values["venue"] = reader.text(cells, cols.VENUE, line)
            if "headcount" in positions:
                raw = cells[positions["headcount"]]
                try:
                    values["headcount"], values["headcount_approximate"] = read_count(raw)
                except ValueError as error:
                    reader.error(line, cols.HEADCOUNT, raw, str(error))
                else:
                    self._note_count(plan, reader, line, raw, values)
            if len(plan.errors) > errors_before:
                continue
            key = (date, compact_key(title))
            if key in seen:
                reader.error(line, cols.TITLE, title, f"{seen[key]}と同じ研修（開催日・研修名）です。")
                continue
            seen[key] = f"{sheet.place}{line}行目" if sheet.place else f"{line}行目"
            session = existing.get(key)
            if session is None:
                session = TrainingSession(date=date, title=title, **values).set_derived_fields()
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
                            _headcount_label(session),
                        ],
                    )
                )
        plan.preview_headers = ["状態", "開催日", "研修名", "区分", "主催", "対象", "区", "会場", "参加者数"]
        plan.updated_fields = sorted(set(plan.updated_fields) | set(update_fields))
        plan.new_count = len(plan.new_sessions)
        plan.update_count = len(plan.updated_sessions)


def too_many_sessions(cap, place, line):
    """Return the message refusing a session list longer than `cap` (IMPORT_MAX_SESSION_ROWS), met at `line`."""
    return (
        f"研修一覧の行が多すぎます（{place}{line}行目で {cap:,}件を超えました）。1つのファイルで取り込める研修は "
        f"{cap:,}件まで（設定 IMPORT_MAX_SESSION_ROWS）です。年度ごとなどに分けて（どのファイルにも見出し行を付けて）"
        "取り込んでください。"
    )


def _headcount_label(session):
    """Return the preview's 参加者数 cell: '30', '約30' (approximate) or '' when not known."""
    if session.headcount is None:
        return ""
    return f"約{session.headcount}" if session.headcount_approximate else str(session.headcount)
