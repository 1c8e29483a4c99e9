"""Admin list filters shared by the apps."""

from django.contrib import admin

from portal.fiscal import fiscal_year_label


def fiscal_year_filter(field_name="fiscal_year", title="年度"):
    """Return a list filter over the distinct fiscal years in `field_name`, labelled in both calendars."""

    class FiscalYearFilter(admin.SimpleListFilter):
        parameter_name = field_name.replace("__", "_")

        def lookups(self, request, model_admin):
            years = (
                model_admin.get_queryset(request)
                .order_by(f"-{field_name}")
                .values_list(field_name, flat=True)
                .distinct()
            )
            return [(str(fy), fiscal_year_label(fy)) for fy in years if fy is not None]

        def queryset(self, request, queryset):
            if self.value():
                return queryset.filter(**{field_name: self.value()})
            return queryset

    FiscalYearFilter.title = title
    return FiscalYearFilter
