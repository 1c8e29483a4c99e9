"""QuerySet and manager pieces every record app uses: one `for_fiscal_year`, one natural-key manager."""

from django.db import models


class FiscalYearQuerySet(models.QuerySet):
    """A QuerySet of a model with a stored, indexed `fiscal_year` column."""

    def for_fiscal_year(self, fy):
        """Return the rows of fiscal year `fy` (a filter on the stored column, never a join)."""
        return self.filter(fiscal_year=fy)


def natural_key_manager(*fields, queryset=models.QuerySet):
    """Return a manager class over `queryset` whose get_by_natural_key(*values) looks up `fields` in order.

    The natural key is what fixtures and loaddata use; each model states it once, here, as the
    fields of its UniqueConstraint.
    """

    class NaturalKeyManager(models.Manager.from_queryset(queryset)):
        def get_by_natural_key(self, *values):
            return self.get(**dict(zip(fields, values, strict=True)))

    NaturalKeyManager.__name__ = f"NaturalKeyManager({', '.join(fields)})"
    return NaturalKeyManager
