"""Training sessions, their attendance, imported sheets and the figures the division published."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.fiscal import fiscal_year, fiscal_year_label
from core.history import audit_history
from core.querysets import FiscalYearQuerySet, natural_key_manager
from core.validators import FISCAL_YEAR_VALIDATORS
from partners.models import Bureau, Organization, Ward
from trainings.names import SEARCH_KEY_LENGTH, name_search_key, person_key


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


def attendance_count_subquery():
    """Return a subquery counting a session's attendance rows (0 when none).

    Only for checking the stored TrainingSession.attendance_count (check_attendance_counts):
    reads use the stored count, which does not scan the attendance table.
    """
    rows = (
        Attendance.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=models.IntegerField()), 0)


class TrainingSessionQuerySet(FiscalYearQuerySet):
    def with_participant_counts(self):
        """Annotate `participant_count` (`attendance_count`, the rows, is a stored field).

        A session's participant count is its attendance rows where a sheet was imported,
        otherwise the headcount typed in (None when neither is known). No join and no
        subquery: the stored row count is read, so yearly roll-ups never scan attendance.
        """
        return self.annotate(
            participant_count=Case(
                When(attendance_count__gt=0, then=F("attendance_count")),
                default=F("headcount"),
                output_field=models.IntegerField(),
            )
        )


class TrainingSession(models.Model):
    """One training or briefing session at which the division explained its schemes."""

    title = models.CharField("研修名", max_length=200)
    category = models.ForeignKey(
        TrainingCategory,
        verbose_name="研修区分",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    date = models.DateField("開催日")
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
    headcount = models.PositiveIntegerField(
        "参加者数（集計値）",
        null=True,
        blank=True,
        help_text="出席者名簿がない場合に入力する人数。不明なら空欄。名簿を取り込むと名簿の行数が優先されます。",
    )
    # The number of this session's attendance rows, kept by database triggers on the attendance
    # table (migration 0004) on every insert, delete and change of session, whichever code path
    # writes them (bulk_create, cascades, loaddata, raw SQL). Never written by Django (see save());
    # not serialised, so that loading a dump recounts the rows as they are inserted.
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
        # The fiscal year is stored (and indexed) so that yearly roll-ups filter on one column.
        if self.date:
            self.fiscal_year = fiscal_year(self.date)
        if not self._state.adding and not kwargs.get("force_insert") and kwargs.get("update_fields") is None:
            # Leave the trigger-kept row count alone: this instance's copy may be older than the
            # rows (e.g. an admin inline adds rows after the form loaded the session).
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name != "attendance_count"
            ]
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.date, self.title)

    def clean(self):
        super().clean()
        if self.host_bureau_id and self.host_organization_id:
            raise ValidationError("主催は局か団体のどちらか一方を選んでください。")

    @property
    def host(self):
        """Return the host bureau or organisation, whichever is set (None if neither)."""
        return self.host_bureau or self.host_organization


class SheetKind(models.TextChoices):
    PARTICIPANTS = "participants", "1研修の出席者名簿"
    PARTICIPANTS_MULTI = "participants_multi", "複数研修の出席者名簿"
    SESSIONS = "sessions", "研修一覧（参加者数）"


class AttendanceSheet(models.Model):
    """One uploaded sheet (CSV/XLSX). Deleting it removes exactly the rows it brought."""

    kind = models.CharField("種類", max_length=30, choices=SheetKind.choices, default=SheetKind.PARTICIPANTS)
    file_name = models.CharField("ファイル名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    session = models.ForeignKey(
        TrainingSession,
        verbose_name="対象の研修",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sheets",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="取込者",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendance_sheets",
    )
    uploaded_at = models.DateTimeField("取込日時", auto_now_add=True)
    row_count = models.PositiveIntegerField("行数", default=0)

    # Keeps the import record (who, when, which file) even after the sheet is deleted or replaced.
    history = audit_history("出席者名簿の取込")

    class Meta:
        verbose_name = "出席者名簿の取込"
        verbose_name_plural = "出席者名簿の取込"
        ordering = ["-uploaded_at"]
        # IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import": only holders of this may import sheets.
        permissions = [("import_attendancesheet", "名簿・研修一覧を取り込める")]
        constraints = [
            models.UniqueConstraint(
                fields=["sha256"],
                name="unique_sheet_sha256",
                violation_error_message="同じ内容のファイルは既に取り込まれています。",
            ),
        ]

    def __str__(self):
        # In Tokyo time (settings.TIME_ZONE), as the admin shows 取込日時; the stored value is UTC.
        if not self.uploaded_at:
            return self.file_name
        return f"{self.file_name}（{timezone.localtime(self.uploaded_at):%Y-%m-%d %H:%M}）"


class AttendanceQuerySet(FiscalYearQuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        # The importer and the generator write rows in bulk, past save(): the search key is
        # filled here so that every row can be found.
        objs = list(objs)
        for obj in objs:
            obj.search_key = name_search_key(obj.name)
        return super().bulk_create(objs, *args, **kwargs)

    # for_fiscal_year() reads the stored copy of the session's year (indexed), not a join over sessions.
    def unique_participant_count(self):
        """Return the number of distinct named persons (実人数) among these rows.

        Rows without a name cannot be told apart and are left out; 延べ (attendances) is
        simply `count()`.
        """
        return self.exclude(person_key="").values("person_key").distinct().count()


class Attendance(models.Model):
    """One participant of one session (one row of a sign-in sheet). Names are personal data."""

    session = models.ForeignKey(
        TrainingSession, verbose_name="研修", on_delete=models.CASCADE, related_name="attendances"
    )
    sheet = models.ForeignKey(
        AttendanceSheet,
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
    # Derived from name + organisation (trainings.names.person_key) for counting 実人数.
    person_key = models.CharField("本人識別キー", max_length=320, blank=True, editable=False, db_index=True)
    # The name folded for searching (trainings.names.name_search_key: 髙/高, widths, kana), written
    # by save() and bulk_create(); the admin searches it by prefix.
    search_key = models.CharField("検索用の氏名", max_length=SEARCH_KEY_LENGTH, blank=True, editable=False)
    # The session's fiscal year, copied by database triggers (migration 0005) when a row is
    # inserted or moved to another session and when a session's date changes its year, so that
    # yearly roll-ups over a million rows read one indexed column instead of joining sessions.
    # Never written by Django (None on an unsaved instance); not serialised.
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
        self.person_key = person_key(self.name, self.organization_label)
        self.search_key = name_search_key(self.name)
        super().save(*args, **kwargs)

    @property
    def organization_label(self):
        """Return the matched organisation's name, or the text as written on the sheet."""
        return self.organization.name if self.organization_id else self.organization_text


class ReportedFigure(models.Model):
    """A figure the division published for a fiscal year: per category, or the total (no category)."""

    fiscal_year = models.PositiveSmallIntegerField("年度", validators=FISCAL_YEAR_VALIDATORS, db_index=True)
    category = models.ForeignKey(
        TrainingCategory,
        verbose_name="研修区分",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_figures",
        help_text="空欄は年度の合計（全○回、参加者約○人）。",
    )
    sessions = models.PositiveIntegerField("公表回数")
    participants = models.PositiveIntegerField("公表参加者数")
    participants_approximate = models.BooleanField("参加者数は概数（約）", default=False)
    source_document = models.CharField("出典", max_length=300)

    objects = FiscalYearQuerySet.as_manager()

    class Meta:
        verbose_name = "公表数値"
        verbose_name_plural = "公表数値"
        ordering = ["-fiscal_year", "category__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "category"],
                name="unique_reported_figure_category",
                violation_error_message="この年度・区分の公表数値は既に登録されています。",
            ),
            # NULLs are distinct in a plain unique constraint, so the yearly total needs its own.
            models.UniqueConstraint(
                fields=["fiscal_year"],
                condition=Q(category__isnull=True),
                name="unique_reported_figure_total",
                violation_error_message="この年度の合計の公表数値は既に登録されています。",
            ),
        ]

    def __str__(self):
        what = self.category or "合計"
        return f"{fiscal_year_label(self.fiscal_year)} {what}"


class PendingUpload(models.Model):
    """A file between an import's preview and its confirmation (import-export's temporary storage).

    Kept in the database so that whichever app server receives the confirmation can read it;
    removed when the import finishes or is cancelled, and purged when abandoned (see
    trainings.tmp_storages).
    """

    name = models.CharField("識別名", max_length=64)
    data = models.BinaryField("内容")
    created_at = models.DateTimeField("作成日時", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "取込待ちのファイル"
        verbose_name_plural = "取込待ちのファイル"
        constraints = [models.UniqueConstraint(fields=["name"], name="unique_pending_upload_name")]

    def __str__(self):
        return self.name
