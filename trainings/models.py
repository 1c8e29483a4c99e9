"""Training sessions, their attendance and imported sheets; the figures the division published.

Derived columns and their one owner each (see the models' docstrings):

- TrainingSession.fiscal_year: TrainingSession.set_derived_fields() (Python).
- TrainingSession.attendance_count: database triggers (migration 0004).
- A session's participant count (not stored): TrainingSessionQuerySet.with_participant_counts()
  (trainings.querysets).
- Attendance.fiscal_year: set by the writer or derived by database triggers (migrations 0005,
  0018), verified by the database on PostgreSQL.
- Attendance.person_key, Attendance.search_key: Attendance.set_derived_fields() (Python).
- Reach, ReachTotal (persons, organisations and wards reached per year and category, in
  trainings.reach): database triggers (migration 0008).

trainings.checks fails `manage.py check --database default` when the triggers are missing.
AttendanceSheet (with SheetKind) lives in trainings.uploads, ReportedFigure in trainings.reported,
Reach and ReachTotal in trainings.reach, PendingUpload and PendingUploadChunk in
trainings.importing.pending and HeaderMapping in trainings.importing.mappings; all are imported
here so that Django registers them with the app and callers find every model of the app in
trainings.models.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from core.fiscal import fiscal_year
from core.history import audit_history
from core.illustrative import IllustrativeFieldsField, IllustrativeMixin
from core.querysets import FiscalYearQuerySet, natural_key_manager
from partners.models import Bureau, Organization, Ward
from trainings.importing.mappings import HeaderMapping  # noqa: F401 (registered with the app)
from trainings.importing.pending import PendingUpload, PendingUploadChunk  # noqa: F401 (registered with the app)
from trainings.names import SEARCH_KEY_LENGTH, name_search_key, person_key
from trainings.querysets import TrainingSessionQuerySet
from trainings.reach import Reach, ReachTotal  # noqa: F401 (registered with the app)
from trainings.reported import ReportedFigure  # noqa: F401 (registered with the app)
from trainings.uploads import AttendanceSheet, SheetKind  # noqa: F401 (registered with the app)


class TrainingCategory(models.Model):
    """A heading of the yearly report's training list (ア 地域まちづくり課主催研修, …)."""

    code = models.CharField("記号", max_length=10, help_text="報告書の項目記号（ア・イ・ウ・エ…）")
    name = models.CharField("区分名", max_length=100)
    order = models.PositiveSmallIntegerField("表示順", default=100)
    is_itemised = models.BooleanField(
        "報告書に内訳あり",
        default=True,
        help_text="報告書が回数・人数の内訳を示す区分か。「その他・内訳不明」ではオフにします。",
    )
    description = models.TextField("説明", blank=True)

    objects = natural_key_manager("code")()

    class Meta:
        verbose_name = "研修区分"
        verbose_name_plural = "研修区分"
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                name="unique_category_code",
                violation_error_message="この記号の研修区分は既に登録されています。",
            ),
            models.UniqueConstraint(
                fields=["name"],
                name="unique_category_name",
                violation_error_message="この名前の研修区分は既に登録されています。",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def natural_key(self):
        return (self.code,)


class Audience(models.TextChoices):
    CITY_STAFF = "city_staff", "区局職員"
    INTERMEDIARY = "intermediary", "中間支援組織職員"
    SCHOOL = "school", "教員・学校関係者"
    RESIDENTS = "residents", "地域住民・団体"
    MIXED = "mixed", "複数の対象"
    OTHER = "other", "その他・不明"


class TrainingSession(IllustrativeMixin, models.Model):
    """One training or briefing session at which the division explained its schemes.

    Derived columns, each with one owner:
    - `fiscal_year` (from `date`) is set by set_derived_fields(), which every writer calls:
      save(), the sheet import's bulk_create (trainings.importing.sessions), the demo generator
      (portal.synthetic) and fixture loads (trainings.signals, for loaddata's raw saves).
      `QuerySet.update(date=…)` would bypass it: change dates through save().
    - `attendance_count` (this session's attendance rows) is kept by database triggers on the
      attendance table (migration 0004) for every writer; Django never writes it.
    """

    title = models.CharField("研修名", max_length=200)
    title_kana = models.CharField(
        "研修名（よみ）",
        max_length=300,
        blank=True,
        help_text="研修名の読み（カタカナ）。イベント一覧のイベント名_カナに使います。",
    )
    category = models.ForeignKey(
        TrainingCategory,
        verbose_name="研修区分",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    date = models.DateField("開催日")
    start_time = models.TimeField("開始時刻", null=True, blank=True, help_text="分からなければ空欄。")
    end_time = models.TimeField("終了時刻", null=True, blank=True, help_text="分からなければ空欄。")
    fiscal_year = models.PositiveSmallIntegerField(
        "年度", editable=False, db_index=True, help_text="開催日から自動で決まります。"
    )
    host_bureau = models.ForeignKey(
        Bureau,
        verbose_name="主催局",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_sessions",
    )
    host_organization = models.ForeignKey(
        Organization,
        verbose_name="主催団体",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_sessions",
    )
    audience = models.CharField("対象", max_length=20, choices=Audience.choices, default=Audience.OTHER)
    audience_detail = models.CharField("対象（詳細）", max_length=200, blank=True)
    ward = models.ForeignKey(
        Ward, verbose_name="区", on_delete=models.PROTECT, null=True, blank=True, related_name="training_sessions"
    )
    venue = models.CharField("会場", max_length=200, blank=True)
    venue_address = models.CharField(
        "会場の住所", max_length=200, blank=True, help_text="例：横浜市南区六ツ川一丁目…（分からなければ空欄）"
    )
    headcount = models.PositiveIntegerField(
        "参加者数（集計値）",
        null=True,
        blank=True,
        help_text=(
            "出席者名簿がない場合に入力する人数。不明なら空欄。名簿を取り込むと名簿の行数を使います"
            "（名簿が一部だけのときは、下の「名簿は一部」で入力した人数を使えます）。"
        ),
    )
    headcount_approximate = models.BooleanField(
        "参加者数は概数",
        default=False,
        help_text="「約30」のように概数で記録された参加者数ならオン（取込では「約」「程度」で付きます）。",
    )
    roster_is_partial = models.BooleanField(
        "名簿は一部（入力した参加者数を使う）",
        default=False,
        help_text=(
            "出席者名簿に載っているのが参加者の一部だけのときオン。参加者数は上で入力した人数のままになり、"
            "名簿の人は実人数などに数えます。オフなら名簿の行数を参加者数にします。"
            "名簿の取込で、名簿の行数が入力済みの参加者数より少ないと自動でオンになります"
            "（「名簿の人数を参加者数にする」を選んだときはオフ）。"
        ),
    )
    # Trigger-kept (see the docstring) whichever code writes the rows: bulk_create, cascades, loaddata,
    # raw SQL. Not serialised, so that loading a dump recounts the rows as they are inserted.
    # `manage.py check_attendance_counts` compares it with the rows (and --fix repairs it).
    attendance_count = models.PositiveIntegerField(
        "名簿の行数", default=0, editable=False, serialize=False, help_text="出席者の行数（自動で数えます）。"
    )
    description = models.TextField("内容", blank=True)
    is_illustrative = models.BooleanField(
        "例示データ",
        default=False,
        help_text="報告書に記載がなく、デモ用に補った値（日付・会場・人数の内訳など）を含む場合にオン。",
    )
    illustrative_fields = IllustrativeFieldsField()
    data_note = models.CharField("データの注記", max_length=300, blank=True)

    objects = natural_key_manager("date", "title", queryset=TrainingSessionQuerySet)()
    # The stored row count is kept by database triggers, not by people: not part of the audit.
    history = audit_history("研修", excluded_fields=["attendance_count"])

    class Meta:
        verbose_name = "研修"
        verbose_name_plural = "研修"
        ordering = ["-date", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "title"],
                name="unique_session_date_title",
                violation_error_message="同じ開催日・研修名の研修が既に登録されています。",
            ),
            models.CheckConstraint(
                condition=Q(headcount__isnull=True) | Q(headcount__gte=0),
                name="session_headcount_not_negative",
                violation_error_message="参加者数は0以上で入力してください。",
            ),
        ]
        indexes = [models.Index(fields=["fiscal_year", "category"], name="session_fy_category_idx")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"

    def save(self, *args, **kwargs):
        self.set_derived_fields()
        if not self._state.adding and not kwargs.get("force_insert") and kwargs.get("update_fields") is None:
            # Leave the trigger-kept row count alone: this instance's copy may be older than the
            # rows (e.g. an admin inline adds rows after the form loaded the session).
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name != "attendance_count"
            ]
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.date, self.title)

    def set_derived_fields(self):
        """Set `fiscal_year` from `date` (left alone without a date); return the session.

        The one owner of the stored year, which is stored (and indexed) so that yearly roll-ups
        filter on one column; the attendance rows' copy follows it by trigger (migration 0005).
        """
        if self.date:
            self.fiscal_year = fiscal_year(self.date)
        return self

    def clean(self):
        super().clean()
        if self.host_bureau_id and self.host_organization_id:
            raise ValidationError("主催は局か団体のどちらか一方を選んでください。")
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": "終了時刻は開始時刻より後にしてください。"})

    @staticmethod
    def roster_keeps_headcount(headcount, rows, *, use_roster_count):
        """Return True when a roster of `rows` people leaves the typed `headcount` as the participant count.

        The import's decision for `roster_is_partial` (the preview predicts it, the write stores
        it): a roster shorter than a typed headcount is a partial sign-in sheet, unless the user
        chose to use the roster's count. No query.
        """
        return headcount is not None and rows < headcount and not use_roster_count

    @property
    def host(self):
        """Return the host bureau or organisation, whichever is set (None if neither)."""
        return self.host_bureau or self.host_organization


class AttendanceQuerySet(FiscalYearQuerySet):
    # for_fiscal_year() reads the stored copy of the session's year (indexed), not a join over sessions.
    def unique_participant_count(self):
        """Return the number of distinct named persons (実人数) among these rows.

        Rows without a name cannot be told apart and are left out; 延べ (attendances) is
        simply `count()`.
        """
        return self.exclude(person_key="").values("person_key").distinct().count()


class Attendance(models.Model):
    """One participant of one session (one row of a sign-in sheet). Names are personal data.

    Derived columns, each with one owner:
    - `person_key` (from the name and the organisation) and `search_key` (the name folded for
      searching) are set by set_derived_fields(), which every writer calls: save(), the sheet
      import (trainings.importing.participants), the demo generator (portal.synthetic) and
      fixture loads (trainings.signals). Retention blanks them with the name (trainings.retention).
    - `fiscal_year` (the session's) is set by the writer (the sheet import gives it) or derived by
      the database triggers (migrations 0005, 0018: a row without one takes its session's, an
      update recomputes it), and verified by the database on PostgreSQL (a wrong year on insert
      is refused with an IntegrityError). Django's save() never sets it.
    """

    session = models.ForeignKey(
        TrainingSession, verbose_name="研修", on_delete=models.CASCADE, related_name="attendances"
    )
    sheet = models.ForeignKey(
        "trainings.AttendanceSheet",
        verbose_name="取込元の名簿",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attendances",
    )
    row_number = models.PositiveIntegerField("名簿の行番号", null=True, blank=True)
    name = models.CharField("氏名", max_length=100, blank=True)
    name_kana = models.CharField("ふりがな", max_length=100, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name="所属（登録団体）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
    )
    organization_text = models.CharField("所属（記載どおり）", max_length=200, blank=True)
    ward = models.ForeignKey(
        Ward, verbose_name="区", on_delete=models.PROTECT, null=True, blank=True, related_name="attendances"
    )
    role = models.CharField("役職", max_length=100, blank=True)
    note = models.CharField("備考", max_length=300, blank=True)
    # For counting 実人数 (see set_derived_fields()).
    person_key = models.CharField("本人識別キー", max_length=320, blank=True, editable=False, db_index=True)
    # For the admin's search by prefix (see set_derived_fields(); index below).
    search_key = models.CharField("検索用の氏名", max_length=SEARCH_KEY_LENGTH, blank=True, editable=False)
    # The session's year, copied by triggers (see the docstring) so that yearly roll-ups over a million
    # rows read one indexed column instead of joining sessions. None on an unsaved instance; not serialised.
    fiscal_year = models.PositiveSmallIntegerField("年度", null=True, editable=False, serialize=False)

    objects = AttendanceQuerySet.as_manager()
    # fiscal_year is a trigger-kept copy of the session's year and search_key is derived from the
    # name: not part of the audit.
    history = audit_history("出席者", excluded_fields=["fiscal_year", "search_key"])

    class Meta:
        verbose_name = "出席者"
        verbose_name_plural = "出席者"
        ordering = ["session", "row_number", "pk"]
        indexes = [
            # Index-only scans for the yearly figures: 実人数, organisations and wards reached,
            # attendees by ward (portal.selectors) and unmatched organisations (portal.quality).
            models.Index(fields=["fiscal_year", "person_key"], name="attendance_fy_person_idx"),
            models.Index(fields=["fiscal_year", "organization", "ward"], name="attendance_fy_org_ward_idx"),
            models.Index(
                fields=["fiscal_year", "organization_text"],
                condition=Q(organization__isnull=True),
                name="attendance_fy_unmatched_idx",
            ),
            # Prefix search in the admin (LIKE 'x%'); the person key's prefix index comes with db_index.
            # The operator class is PostgreSQL's (ignored elsewhere).
            models.Index(fields=["name_kana"], name="attendance_kana_prefix_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(
                fields=["organization_text"], name="attendance_orgtext_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["search_key"], name="attendance_search_prefix_idx", opclasses=["varchar_pattern_ops"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "row_number"],
                condition=Q(sheet__isnull=False),
                name="unique_attendance_sheet_row",
                violation_error_message="この名簿の同じ行が既に取り込まれています。",
            ),
        ]

    def __str__(self):
        return self.name or f"出席者 #{self.pk}"

    def save(self, *args, **kwargs):
        self.set_derived_fields()
        if self.pk is None:
            # A new row takes its session's year from the database: a copied instance (pk=None)
            # may still carry another session's, which PostgreSQL would refuse (migration 0018).
            self.fiscal_year = None
        super().save(*args, **kwargs)

    def set_derived_fields(self, *, organization_name=None):
        """Set `person_key` (trainings.names.person_key of the name and organisation) and `search_key`
        (trainings.names.name_search_key of the name: 髙橋 is found as 高橋); return the row.

        `organization_name` is the matched organisation's name when the caller has it at hand
        (the import holds ids, not objects); otherwise organization_label reads it.
        """
        label = organization_name if organization_name is not None else self.organization_label
        self.person_key = person_key(self.name, label)
        self.search_key = name_search_key(self.name)
        return self

    @property
    def organization_label(self):
        """Return the matched organisation's name, or the text as written on the sheet."""
        return self.organization.name if self.organization_id else self.organization_text
