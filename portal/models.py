"""The portal's own permissions. The audit-history tables also belong to this app (core.history)."""

from django.db import models


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
