"""Admin list filters shared by the apps."""

from django.contrib import admin

from core.fiscal import fiscal_year_label, is_allowed_fiscal_year


def parse_fiscal_year(value):
    """Return `value` (a query-string value) as a fiscal year in the allowed range, or None if it is not one."""
    if value is None or not value.isascii() or not value.isdigit() or len(value) > 4:
        return None
    year = int(value)
    return year if is_allowed_fiscal_year(year) else None


def fiscal_year_filter(field_name="fiscal_year", title="年度", *, parameter_name=None, years=None):
    """Return a list filter over the distinct fiscal years in `field_name`, labelled in both calendars.

    `parameter_name` defaults to `field_name` with "__" as "_". `years`, a function returning the
    years to offer, replaces the DISTINCT over the listed table (which, over a million rows, costs
    more than the page). A value that is not a year in the allowed range (`?fiscal_year=x`, typed
    or left in an old bookmark) is ignored: the list is shown unfiltered.
    """

    class FiscalYearFilter(admin.SimpleListFilter):
        def lookups(self, request, model_admin):
            if years is not None:
                offered = sorted({fy for fy in years() if fy is not None}, reverse=True)
            else:
                offered = (
                    model_admin.get_queryset(request)
                    .order_by(f"-{field_name}")
                    .values_list(field_name, flat=True)
                    .distinct()
                )
            return [(str(fy), fiscal_year_label(fy)) for fy in offered if fy is not None]

        def queryset(self, request, queryset):
            year = parse_fiscal_year(self.value())
            if year is not None:
                return queryset.filter(**{field_name: year})
            return queryset

    FiscalYearFilter.title = title
    FiscalYearFilter.parameter_name = parameter_name or field_name.replace("__", "_")
    return FiscalYearFilter
