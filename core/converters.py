"""URL converters for the public pages."""

from django.core.validators import MaxValueValidator, MinValueValidator

from core.validators import FISCAL_YEAR_VALIDATORS

FIRST_FISCAL_YEAR = next(v.limit_value for v in FISCAL_YEAR_VALIDATORS if isinstance(v, MinValueValidator))
LAST_FISCAL_YEAR = next(v.limit_value for v in FISCAL_YEAR_VALIDATORS if isinstance(v, MaxValueValidator))


class FiscalYearConverter:
    """A four-digit fiscal year the records can hold (1989–2100); any other year does not match (404)."""

    regex = "[0-9]{4}"

    def to_python(self, value):
        fy = int(value)
        if not FIRST_FISCAL_YEAR <= fy <= LAST_FISCAL_YEAR:
            raise ValueError(f"{fy} is outside the fiscal years the records can hold")
        return fy

    def to_url(self, value):
        return f"{int(value):04d}"
