"""The portal's own permissions and the publications of fiscal years. The audit-history tables also belong here."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from core.fiscal import fiscal_year_label
from core.validators import FISCAL_YEAR_VALIDATORS


class Dashboard(models.Model):
    """No table: carries the permission to read the staff dashboard, the report and the exports."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_dashboard", "ダッシュボード・委員会報告・集計表の出力を閲覧できる")]
        verbose_name = "ダッシュボード"
        verbose_name_plural = "ダッシュボード"

    def __str__(self):
        return "ダッシュボード"


class PublicationQuerySet(models.QuerySet):
    def for_fiscal_year(self, fiscal_year):
        """Return the publications of `fiscal_year`, newest first."""
        return self.filter(fiscal_year=fiscal_year).order_by("-published_at", "-pk")

    def latest_for(self, fiscal_year):
        """Return the latest Publication of `fiscal_year`, or None when it was never published."""
        return self.for_fiscal_year(fiscal_year).select_related("published_by").first()

    def published_years(self):
        """Return the fiscal years published at least once, newest first (one query)."""
        return list(self.order_by("-fiscal_year").values_list("fiscal_year", flat=True).distinct())


class Publication(models.Model):
    """A fiscal year's public figures as a manager approved them (決裁), frozen at that moment.

    `figures` holds what the public pages and the year's open-data files show (see
    portal.publication.figures); public pages read the latest publication of each year, never
    the live records. Earlier publications are kept: together they are the year's 公開履歴.
    """

    fiscal_year = models.PositiveSmallIntegerField("年度", validators=FISCAL_YEAR_VALIDATORS, db_index=True)
    published_at = models.DateTimeField("公開日時", default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="公開した人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="publications",
    )
    figures = models.JSONField("公開した数値", encoder=DjangoJSONEncoder)
    changes = models.JSONField(
        "前回の公開からの変更", default=list, blank=True, help_text="[項目, 前回, 今回] の一覧。初回は空。"
    )
    note = models.TextField("変更の説明", blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = "年度の公開"
        verbose_name_plural = "年度の公開"
        ordering = ["-fiscal_year", "-published_at"]
        default_permissions = ()
        permissions = [("publish_fiscal_year", "年度の数値を公開できる（決裁）")]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "published_at"],
                name="unique_publication_moment",
                violation_error_message="同じ年度・同じ日時の公開が既にあります。",
            ),
        ]

    def __str__(self):
        return f"{fiscal_year_label(self.fiscal_year)} {timezone.localtime(self.published_at):%Y-%m-%d %H:%M} 公開"

    @property
    def published_on_label(self):
        """Return the publication date as written in documents: '2019年6月10日'."""
        day = timezone.localtime(self.published_at).date()
        return f"{day.year}年{day.month}月{day.day}日"
