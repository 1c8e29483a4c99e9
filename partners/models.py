"""Wards, bureaus, intermediary organisations and inter-bureau collaborations."""

from django.db import models

from core.fiscal import fiscal_year_label
from core.history import audit_history
from core.illustrative import IllustrativeFieldsField, IllustrativeMixin
from core.querysets import FiscalYearQuerySet, natural_key_manager
from core.validators import FISCAL_YEAR_VALIDATORS


class Ward(models.Model):
    """One of Yokohama's 18 wards, keyed by its official local-government code."""

    code = models.CharField("団体コード", max_length=5)
    name = models.CharField("区名", max_length=20)
    name_kana = models.CharField("区名（かな）", max_length=40, blank=True)

    objects = natural_key_manager("code")()

    class Meta:
        verbose_name = "区"
        verbose_name_plural = "区"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                name="unique_ward_code",
                violation_error_message="この団体コードの区は既に登録されています。",
            ),
            models.UniqueConstraint(
                fields=["name"], name="unique_ward_name", violation_error_message="この名前の区は既に登録されています。"
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class Bureau(models.Model):
    """A bureau (局) of the city government, or the Board of Education's secretariat."""

    name = models.CharField("局名", max_length=50)
    order = models.PositiveSmallIntegerField("表示順", default=100)

    objects = natural_key_manager("name")()

    class Meta:
        verbose_name = "局"
        verbose_name_plural = "局"
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                name="unique_bureau_name",
                violation_error_message="この名前の局は既に登録されています。",
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class OrganizationKind(models.TextChoices):
    CARE_PLAZA = "care_plaza", "地域ケアプラザ"
    WELFARE_COUNCIL = "welfare_council", "社会福祉協議会"
    CIVIC_SUPPORT_CENTER = "civic_support_center", "区民活動支援センター"
    DISTRICT_CENTER = "district_center", "地区センター"
    COMMUNITY_HOUSE = "community_house", "コミュニティハウス"
    CARE_PLAZA_OPERATOR = "care_plaza_operator", "ケアプラザ運営法人"
    WARD_OFFICE = "ward_office", "区役所"
    OTHER = "other", "その他"


class Organization(IllustrativeMixin, models.Model):
    """An intermediary support organisation (中間支援組織) or other partner body."""

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("種別", max_length=30, choices=OrganizationKind.choices, default=OrganizationKind.OTHER)
    ward = models.ForeignKey(
        Ward, verbose_name="区", on_delete=models.PROTECT, null=True, blank=True, related_name="organizations"
    )
    bureau = models.ForeignKey(
        Bureau,
        verbose_name="所管局",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
    )
    # Contact details and notes are for staff only; public pages never show them.
    address = models.CharField("所在地", max_length=200, blank=True)
    phone = models.CharField("電話番号", max_length=30, blank=True)
    note = models.TextField("備考（職員用）", blank=True)
    illustrative_fields = IllustrativeFieldsField()
    data_note = models.CharField("データの注記", max_length=300, blank=True)

    objects = natural_key_manager("name")()
    history = audit_history("団体・中間支援組織")

    class Meta:
        verbose_name = "団体・中間支援組織"
        verbose_name_plural = "団体・中間支援組織"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                name="unique_organization_name",
                violation_error_message="この名称の団体は既に登録されています。",
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class Collaboration(models.Model):
    """What the division did with one bureau in one fiscal year (局間連携)."""

    fiscal_year = models.PositiveSmallIntegerField("年度", validators=FISCAL_YEAR_VALIDATORS, db_index=True)
    bureau = models.ForeignKey(Bureau, verbose_name="局", on_delete=models.PROTECT, related_name="collaborations")
    description = models.TextField("連携内容")
    order = models.PositiveSmallIntegerField("表示順", default=100)

    objects = FiscalYearQuerySet.as_manager()

    class Meta:
        verbose_name = "局間連携"
        verbose_name_plural = "局間連携"
        ordering = ["-fiscal_year", "order", "bureau__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "bureau"],
                name="unique_collaboration_per_year",
                violation_error_message="この年度・局の連携は既に登録されています。内容は既存の行に追記してください。",
            ),
        ]

    def __str__(self):
        return f"{fiscal_year_label(self.fiscal_year)} {self.bureau}"
