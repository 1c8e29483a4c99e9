"""The project's admin site: every changelist answers bad query parameters with its plain list and a message.

Django redirects a changelist whose filter values it cannot use to the plain list (`?e=1`), but a
date-hierarchy year too large for a date (`?date__year=99999999999`) escapes that as an
OverflowError (a 500), a NUL character in any value reaches PostgreSQL, which refuses it (a
500 again), and the plain list says nothing about why the filters went. The site wraps
every registered ModelAdmin, the project's and third-party ones (auth, axes) alike, in
LookupGuardMixin, so the rule holds for any model registered later too.
"""

from django.contrib import admin, messages
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG

INVALID_FILTER_MESSAGE = "絞り込みの条件が正しくないため、条件を外して一覧を表示しています。"


class LookupGuardMixin:
    """Turn values that overflow or hold NUL into Django's invalid-lookup redirect, and explain it on the plain list."""

    def get_changelist_instance(self, request):
        # Checked before any query: PostgreSQL text cannot hold NUL, and the list is evaluated
        # later, while the template renders, where Django no longer catches bad lookups.
        if any("\x00" in value for _, values in request.GET.lists() for value in values):
            raise IncorrectLookupParameters("NUL character in the query string")
        try:
            return super().get_changelist_instance(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error

    def changelist_view(self, request, extra_context=None):
        if ERROR_FLAG in request.GET:
            messages.warning(request, INVALID_FILTER_MESSAGE)
        return super().changelist_view(request, extra_context)


class PortalAdminSite(admin.AdminSite):
    """The default admin site, with LookupGuardMixin mixed into every ModelAdmin it registers."""

    site_header = "アプローチ型支援 記録管理"
    site_title = "アプローチ型支援 記録管理"
    index_title = "データ入力・管理"

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, LookupGuardMixin):
            # The admin class's own metaclass (MediaDefiningClass) builds the wrapper.
            admin_class = type(admin_class)(
                admin_class.__name__,
                (LookupGuardMixin, admin_class),
                {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__},
            )
        super().register(model_or_iterable, admin_class, **options)


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin with PortalAdminSite as `admin.site` (listed in INSTALLED_APPS instead of it)."""

    default_site = "core.admin.site.PortalAdminSite"
