"""Who may see the staff dashboard and the committee report.

One decorator, so that the roles issue can tighten the rule (a manager group, a permission) in
one place. For now a manager is any active staff user; others are sent to the admin login.
"""

from django.contrib.auth.decorators import user_passes_test


def is_manager(user):
    """Return True when `user` may read the dashboards (an active staff user)."""
    return user.is_authenticated and user.is_active and user.is_staff


manager_required = user_passes_test(is_manager)
