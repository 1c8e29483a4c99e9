"""Approach-support cases (アプローチ型支援の事例), their timelines, schemes and plan items."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.fiscal import calendar_year_label, fiscal_year, fiscal_year_bounds, fiscal_year_label
from core.history import audit_history
from core.illustrative import IllustrativeFieldsField, IllustrativeMixin
from core.querysets import FiscalYearQuerySet, natural_key_manager
from core.text import spelling_variants
from core.validators import FISCAL_YEAR_VALIDATORS
from partners.models import Bureau, Organization, Ward
from trainings.models import TrainingSession


class Scheme(models.Model):
    """A city scheme a case can use (ヨコハマ市民まち普請事業, …)."""

    name = models.CharField("制度名", max_length=100)
    bureau = models.ForeignKey(
        Bureau, verbose_name="所管局", on_delete=models.PROTECT, null=True, blank=True, related_name="schemes"
    )
    description = models.TextField("概要", blank=True)
    order = models.PositiveSmallIntegerField("表示順", default=100)

    objects = natural_key_manager("name")()

    class Meta:
        verbose_name = "制度"
        verbose_name_plural = "制度"
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                name="unique_scheme_name",
                violation_error_message="この名前の制度は既に登録されています。",
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class CaseStatus(models.TextChoices):
    CONSULTING = "consulting", "相談・ヒアリング"
    PLANNING = "planning", "検討中"
    ADOPTED = "adopted", "制度採択"
    IMPROVING = "improving", "整備中"
    COMPLETED = "completed", "整備完了"
    PAUSED = "paused", "休止"


class CaseTheme(models.TextChoices):
    GATHERING_PLACE = "gathering_place", "居場所づくり"
    VACANT_HOUSE = "vacant_house", "空き家活用"
    CHILD_REARING = "child_rearing", "子育て支援"
    ELDERLY = "elderly", "高齢者・介護予防"
    DISASTER = "disaster", "防災・減災"
    GREENERY = "greenery", "緑・公園"
    MOBILITY = "mobility", "地域交通"
    MUTUAL_AID = "mutual_aid", "助け合い・人材発掘"
    OTHER = "other", "その他"


class ApproachCaseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def matching(self, text):
        """Return the cases in which every word of `text` appears (全角/半角 spaces split the words).

        A word is looked for in the title, summary, outcome and district, the timeline's text and
        the names of the schemes used, in each of its common spellings (core.text.spelling_variants:
        空き家 also finds 空家). The staff note is never searched (the public case list uses this).
        """
        cases = self
        for word in text.split():  # str.split() also splits on the full-width space
            found = Q()
            for spelling in spelling_variants(word):
                found |= (
                    Q(title__icontains=spelling)
                    | Q(summary__icontains=spelling)
                    | Q(outcome__icontains=spelling)
                    | Q(district__icontains=spelling)
                    | Q(events__text__icontains=spelling)
                    | Q(schemes__name__icontains=spelling)
                )
            # A subquery, so that a word found in two events does not list the case twice.
            cases = cases.filter(pk__in=ApproachCase.objects.filter(found).values("pk"))
        return cases


class ApproachCase(IllustrativeMixin, models.Model):
    """One neighbourhood project followed over years through approach-type support."""

    slug = models.SlugField("URL名", max_length=80, help_text="公開ページのURLに使う半角英数字（例：minami-nakamura）")
    title = models.CharField("事例名", max_length=200)
    ward = models.ForeignKey(Ward, verbose_name="区", on_delete=models.PROTECT, related_name="cases")
    district = models.CharField("地区", max_length=100, blank=True)
    theme = models.CharField("テーマ", max_length=30, choices=CaseTheme.choices, default=CaseTheme.OTHER)
    lead_organization = models.ForeignKey(
        Organization,
        verbose_name="窓口の団体",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_cases",
    )
    partner_organizations = models.ManyToManyField(
        Organization, verbose_name="連携団体", blank=True, related_name="partner_cases"
    )
    schemes = models.ManyToManyField(Scheme, verbose_name="活用した制度", blank=True, related_name="cases")
    status = models.CharField("状況", max_length=20, choices=CaseStatus.choices, default=CaseStatus.CONSULTING)
    summary = models.TextField("概要")
    outcome = models.TextField("成果", blank=True)
    is_published = models.BooleanField("公開", default=False)
    staff_note = models.TextField("職員用メモ（非公開）", blank=True)
    illustrative_fields = IllustrativeFieldsField()
    data_note = models.CharField("データの注記", max_length=300, blank=True)

    objects = natural_key_manager("slug", queryset=ApproachCaseQuerySet)()
    history = audit_history("事例", m2m_fields=["partner_organizations", "schemes"])

    class Meta:
        verbose_name = "アプローチ型支援の事例"
        verbose_name_plural = "アプローチ型支援の事例"
        ordering = ["ward__code", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="unique_case_slug",
                violation_error_message="このURL名の事例は既に登録されています。",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("case_detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


class EventKind(models.TextChoices):
    HEARING = "hearing", "ヒアリング"
    CONSULTATION = "consultation", "相談"
    OUTREACH_LECTURE = "outreach_lecture", "出前塾"
    APPLICATION = "application", "制度への申請"
    ADOPTION = "adoption", "採択"
    IMPROVEMENT = "improvement", "整備"
    PLAN = "plan", "予定"
    OTHER = "other", "その他"


def event_kind_label(kind_label, is_planned):
    """Return the kind of a timeline entry as shown: 「出前塾（予定）」 for a planned entry, the kind alone
    otherwise; an entry of the kind 予定 stays 「予定」 (never 「予定（予定）」)."""
    if is_planned and kind_label != EventKind.PLAN.label:
        return f"{kind_label}（予定）"
    return kind_label


# The order a timeline is told in (admin, public case page, committee report): by fiscal year,
# within a year by the explicit position (年度内の並び順), then by date. Dated entries of equal
# position run by date; an entry known only by its year is placed among them by its position
# (the 中村 case: 相談 1 → 出前塾 5/24 at 2 → 応募 3 → 採択 4).
TIMELINE_ORDER = ["fiscal_year", "position", "sort_date", "pk"]


class CaseEvent(IllustrativeMixin, models.Model):
    """A timeline entry of a case, dated exactly or known only by its fiscal year."""

    case = models.ForeignKey(ApproachCase, verbose_name="事例", on_delete=models.CASCADE, related_name="events")
    date = models.DateField("日付", null=True, blank=True, help_text="日付が分からなければ空欄にして年度を入力します。")
    fiscal_year = models.PositiveSmallIntegerField(
        "年度",
        null=True,
        blank=True,
        validators=FISCAL_YEAR_VALIDATORS,
        help_text="日付を入力した場合は自動で決まります。",
    )
    calendar_year = models.PositiveSmallIntegerField(
        "年（暦年）",
        null=True,
        blank=True,
        validators=FISCAL_YEAR_VALIDATORS,
        help_text="出典が「平成28年」のように暦年でしか書いていない場合に入力します。年度は推定になるため、"
        "年度を入力して「例示の項目」で年度にチェックします。",
    )
    kind = models.CharField("種類", max_length=30, choices=EventKind.choices, default=EventKind.OTHER)
    text = models.TextField("内容")
    is_planned = models.BooleanField("予定", default=False)
    training_session = models.ForeignKey(
        TrainingSession,
        verbose_name="関連する研修",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_events",
    )
    # Derived: the date, or the first day of the fiscal year, so that mixed-precision
    # entries sort on one column.
    sort_date = models.DateField("並び順の日付", editable=False)
    position = models.PositiveSmallIntegerField(
        "年度内の並び順",
        default=0,
        help_text="同じ年度の出来事の並び順（小さい順）。年度しか分からない出来事を日付のある出来事の前後に置くときに使います。",
    )
    illustrative_fields = IllustrativeFieldsField()
    data_note = models.CharField("データの注記", max_length=300, blank=True)

    objects = FiscalYearQuerySet.as_manager()
    history = audit_history("経過")

    class Meta:
        verbose_name = "経過"
        verbose_name_plural = "経過"
        # Within a fiscal year the position decides, so that an entry known only by its year
        # can stand before or after a dated one, as the report tells the story.
        ordering = ["case", *TIMELINE_ORDER]
        constraints = [
            models.CheckConstraint(
                condition=Q(date__isnull=False) | Q(fiscal_year__isnull=False),
                name="case_event_has_date_or_fiscal_year",
                violation_error_message="日付か年度のどちらかを入力してください。",
            ),
        ]

    def __str__(self):
        return f"{self.when_label} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.date:
            self.fiscal_year = fiscal_year(self.date)
        self.sort_date = self.date or (
            fiscal_year_bounds(self.fiscal_year)[0] if self.fiscal_year else datetime.date.min
        )
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.date is None and self.fiscal_year is None:
            raise ValidationError("日付か年度のどちらかを入力してください。")
        if self.date and self.fiscal_year and fiscal_year(self.date) != self.fiscal_year:
            label = fiscal_year_label(fiscal_year(self.date))
            message = f"日付 {self.date:%Y-%m-%d} は{label}です。年度を空欄にするか直してください。"
            raise ValidationError({"fiscal_year": message})

    @property
    def is_exact(self):
        """Return True when the entry has an exact date rather than only a fiscal year."""
        return self.date is not None

    @property
    def kind_label(self):
        """Return the kind with 「（予定）」 when planned, without doubling it (event_kind_label)."""
        return event_kind_label(self.get_kind_display(), self.is_planned)

    @property
    def shows_planned_mark(self):
        """Return True when a separate 「（予定）」 mark adds something (planned, and not of the kind 予定)."""
        return self.is_planned and self.kind != EventKind.PLAN

    @property
    def when_label(self):
        """Return '2019年5月1日' for an exact date, '2016年（平成28年）' for a calendar year only,
        or '2016年度（平成28年度）' for a fiscal year only (event_when_label)."""
        return event_when_label(self.date, self.calendar_year, self.fiscal_year)


def event_when_label(date, calendar_year, fiscal_year):
    """Return a timeline entry's time as written: its date, else its calendar year, else its fiscal year."""
    if date:
        return f"{date.year}年{date.month}月{date.day}日"
    if calendar_year:
        return calendar_year_label(calendar_year)
    return fiscal_year_label(fiscal_year) if fiscal_year else ""


class Achievement(models.Model):
    """One item of a fiscal year's 「取組実績と成果」 (ア, イ, …), written by staff and printed by the report.

    It belongs to the outreach programme as a whole (like PlanItem, the report's next section), not to
    a session or a case, so it lives here beside PlanItem; no lower floor needs it.
    """

    fiscal_year = models.PositiveSmallIntegerField("年度", validators=FISCAL_YEAR_VALIDATORS)
    code = models.CharField("記号", max_length=10, help_text="ア、イ、ウ…（報告書の項目の記号）")
    order = models.PositiveSmallIntegerField("表示順", default=0, help_text="小さい順に並びます（同じなら記号の順）。")
    text = models.TextField("内容", help_text="報告書にそのまま載る文章です。")

    objects = natural_key_manager("fiscal_year", "code", queryset=FiscalYearQuerySet)()
    history = audit_history("取組実績と成果")

    class Meta:
        verbose_name = "取組実績と成果"
        verbose_name_plural = "取組実績と成果"
        ordering = ["fiscal_year", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "code"],
                name="unique_achievement_code",
                violation_error_message="この年度・記号の取組実績は既に登録されています。",
            ),
        ]

    def __str__(self):
        return f"{fiscal_year_label(self.fiscal_year)} {self.code}"

    def natural_key(self):
        return (self.fiscal_year, self.code)


class PlanItem(models.Model):
    """One of the division's stated directions (the seed's 「平成31年度以降の進め方」 ア–オ)."""

    from_fiscal_year = models.PositiveSmallIntegerField("開始年度", validators=FISCAL_YEAR_VALIDATORS)
    code = models.CharField("記号", max_length=10)
    title = models.CharField("項目", max_length=200)
    description = models.TextField("内容")

    objects = natural_key_manager("from_fiscal_year", "code")()

    class Meta:
        verbose_name = "今後の進め方（計画項目）"
        verbose_name_plural = "今後の進め方（計画項目）"
        ordering = ["from_fiscal_year", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_fiscal_year", "code"],
                name="unique_plan_item_code",
                violation_error_message="この開始年度・記号の計画項目は既に登録されています。",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def natural_key(self):
        return (self.from_fiscal_year, self.code)


class PlanStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未着手"
    IN_PROGRESS = "in_progress", "実施中"
    DONE = "done", "実施済み"
    CONTINUING = "continuing", "継続"
    DROPPED = "dropped", "見送り"


class PlanItemStatus(IllustrativeMixin, models.Model):
    """The state of a plan item in one fiscal year."""

    plan_item = models.ForeignKey(PlanItem, verbose_name="計画項目", on_delete=models.CASCADE, related_name="statuses")
    fiscal_year = models.PositiveSmallIntegerField("年度", validators=FISCAL_YEAR_VALIDATORS)
    status = models.CharField("状況", max_length=20, choices=PlanStatus.choices, default=PlanStatus.NOT_STARTED)
    note = models.TextField("補足", blank=True)
    illustrative_fields = IllustrativeFieldsField()

    class Meta:
        verbose_name = "計画項目の年度別状況"
        verbose_name_plural = "計画項目の年度別状況"
        ordering = ["plan_item", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan_item", "fiscal_year"],
                name="unique_plan_status_per_year",
                violation_error_message="この計画項目の同じ年度の状況は既に登録されています。",
            ),
        ]

    def __str__(self):
        return f"{self.plan_item.code} {fiscal_year_label(self.fiscal_year)} {self.get_status_display()}"
