"""Login protection (django-axes) in Japanese: the warning before a lock-out and the lock time in minutes.

Axes locks a user name and address out after AXES_FAILURE_LIMIT failures (settings.py). Its
app is named in portal/apps.py, its models and lists through locale/ja and portal/admin.py; this
module gives the admin login form that warns, from WARN_FROM failures on, how many attempts are
left, and the lock-out page's time in minutes (templates/registration/lockout.html).
"""

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

# The failure from which the login page says how many attempts are left.
WARN_FROM = 3


def cool_off_minutes():
    """Return the lock-out time in whole minutes (AXES_COOLOFF_TIME is in hours), at least 1."""
    return max(1, round(float(settings.AXES_COOLOFF_TIME) * 60))


def remaining_attempts_warning(failures, limit):
    """Return the warning after `failures` failed logins of `limit`, or '' before WARN_FROM or at the limit."""
    remaining = limit - failures
    if failures < WARN_FROM or remaining <= 0:
        return ""
    return (
        f"ログインに{failures}回続けて失敗しています。あと{remaining}回失敗すると、"
        f"このユーザー名とアドレスからのログインを{cool_off_minutes()}分間停止します。"
    )


class LoginForm(AdminAuthenticationForm):
    """The admin login form; after a failed login it adds the attempts left before the lock-out."""

    def get_invalid_login_error(self):
        error = super().get_invalid_login_error()
        # Axes' handler of the failed-login signal has just counted this failure on the request.
        failures = getattr(self.request, "axes_failures_since_start", None)
        warning = remaining_attempts_warning(failures or 0, settings.AXES_FAILURE_LIMIT)
        if not warning:
            return error
        return ValidationError([error, ValidationError(warning, code="attempts_left")])
