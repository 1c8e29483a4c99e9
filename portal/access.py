"""Who may see the staff dashboard, the committee report and the table downloads.

The one check of those views: the permission portal.view_dashboard (held by the roles 管理職,
入力担当 and システム管理者, see portal/roles.py; superusers have every permission). Visitors who
are not logged in are sent to the login page; logged-in users without the permission get a 403
page that says why.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from portal.roles import DASHBOARD_PERMISSION

NO_DASHBOARD_PERMISSION = (
    "ダッシュボード・委員会報告・集計表の出力を見る権限がありません。"
    "必要な場合はシステム管理者に「管理職」などの役割の付与を依頼してください。"
)


def may_view_dashboard(user):
    """Return True when `user` may read the dashboards (an active user with portal.view_dashboard)."""
    return user.is_authenticated and user.is_active and user.has_perm(DASHBOARD_PERMISSION)


def manager_required(view):
    """Decorate a dashboard view: login page for anonymous visitors, 403 without the permission."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_view_dashboard(request.user):
            raise PermissionDenied(NO_DASHBOARD_PERMISSION)
        return view(request, *args, **kwargs)

    return wrapped
