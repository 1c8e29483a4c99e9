"""django-axes' lists in Japanese: its admins re-registered with Japanese columns, status and action.

The models' and fields' names come from the catalogue in locale/ja; what axes builds from code
(the 「status」 column, the clean-up message) is replaced here.
"""

from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.admin import AccessFailureLogAdmin as AxesAccessFailureLogAdmin
from axes.admin import AccessLogAdmin as AxesAccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin


class AccessAttemptAdmin(AxesAccessAttemptAdmin):
    actions = ["cleanup_expired_attempts"]

    @admin.action(description="期限切れの記録を削除")
    def cleanup_expired_attempts(self, request, queryset):
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(request, f"期限切れのログイン失敗の記録を{count}件削除しました。")

    @admin.display(description="状態")
    def status(self, obj):
        remaining = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        return f"あと{remaining}回" if remaining > 0 else "停止中"


for model, model_admin in [
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AxesAccessLogAdmin),
    (AccessFailureLog, AxesAccessFailureLogAdmin),
]:
    if admin.site.is_registered(model):  # axes registers them unless AXES_ENABLE_ADMIN is off
        admin.site.unregister(model)
        admin.site.register(model, model_admin)
