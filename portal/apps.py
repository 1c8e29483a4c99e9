from axes import apps as axes_apps
from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "ポータル"

    def ready(self):
        from django.db.models.signals import post_migrate

        from portal.permission_names import name_history_tables, name_permissions_in_japanese
        from portal.signals import connect_public_data_receivers

        connect_public_data_receivers()
        name_history_tables()
        post_migrate.connect(name_permissions_in_japanese, dispatch_uid="portal.japanese_permission_names")


class AxesConfig(axes_apps.AppConfig):
    """django-axes under a Japanese name (the admin index listed it as 「AXES」); INSTALLED_APPS names it."""

    # Not this module's default: "portal" stays PortalConfig.
    default = False
    verbose_name = "ログイン試行の記録"

    def ready(self):
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog
        from django.utils import timezone

        # axes names its records in English (breadcrumbs and titles of their pages): in Japanese,
        # at Tokyo time.
        def when(record):
            return f"{timezone.localtime(record.attempt_time):%Y-%m-%d %H:%M}" if record.attempt_time else ""

        AccessAttempt.__str__ = lambda self: f"ログイン失敗 {self.username}（{when(self)}）"
        AccessLog.__str__ = lambda self: f"ログイン {self.username}（{when(self)}）"
        AccessFailureLog.__str__ = lambda self: (
            f"ログイン失敗 {self.username}（{when(self)}{'、停止' if self.locked_out else ''}）"
        )
