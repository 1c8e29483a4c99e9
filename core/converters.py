"""URL converters for the public pages."""

from core.fiscal import is_allowed_fiscal_year


class FiscalYearConverter:
    """A four-digit fiscal year the records can hold (1989–2100); any other year does not match (404)."""

    regex = "[0-9]{4}"

    def to_python(self, value):
        fy = int(value)
        if not is_allowed_fiscal_year(fy):
            raise ValueError(f"{fy} is outside the fiscal years the records can hold")
        return fy

    def to_url(self, value):
        return f"{int(value):04d}"
