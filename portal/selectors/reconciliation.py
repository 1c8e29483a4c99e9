"""A fiscal year's recorded figures beside the figures the division published (ReportedFigure)."""

from dataclasses import dataclass

from django.db.models import TextChoices

from core.numbers import approximate
from portal.selectors.summary import UNCATEGORISED, yearly_summary
from trainings.models import ReportedFigure


def reported_figures(*, fiscal_year):
    """Return `fiscal_year`'s published figures (ReportedFigure) as (total or None, {category code: figure})."""
    total, by_category = None, {}
    for figure in ReportedFigure.objects.for_fiscal_year(fiscal_year).select_related("category"):
        if figure.category_id is None:
            total = figure
        else:
            by_category[figure.category.code] = figure
    return total, by_category


class Match(TextChoices):
    EXACT = "exact", "一致"
    APPROXIMATE = "approximate", "概数で一致"
    DIFFERENT = "different", "差異あり"
    NOT_PUBLISHED = "not_published", "公表内訳なし"
    NOT_RECORDED = "not_recorded", "記録なし"


TOTAL_KEY = "total"


@dataclass(frozen=True)
class ReconciliationRow:
    """Recorded figures of a category (or of the year, key TOTAL_KEY) beside the published ones."""

    key: str  # the category's code, or TOTAL_KEY
    name: str  # the category's name ("" for the total)
    category_id: int | None  # None for the total and for sessions without a category
    recorded_sessions: int
    recorded_participants: int
    sessions_without_count: int
    published_sessions: int | None
    published_participants: int | None
    participants_approximate: bool

    @property
    def is_total(self):
        return self.key == TOTAL_KEY

    @property
    def is_published(self):
        return self.published_sessions is not None

    @property
    def sessions_difference(self):
        return None if not self.is_published else self.recorded_sessions - self.published_sessions

    @property
    def participants_difference(self):
        return None if not self.is_published else self.recorded_participants - self.published_participants

    @property
    def sessions_match(self):
        if not self.is_published:
            return Match.NOT_PUBLISHED
        return Match.EXACT if self.sessions_difference == 0 else Match.DIFFERENT

    @property
    def participants_match(self):
        """Exact when equal; for a published 約 figure, approximate when the recorded total rounds to it."""
        if not self.is_published:
            return Match.NOT_PUBLISHED
        if self.participants_difference == 0:
            return Match.EXACT
        if self.participants_approximate and approximate(self.recorded_participants) == self.published_participants:
            return Match.APPROXIMATE
        return Match.DIFFERENT

    @property
    def has_difference(self):
        return Match.DIFFERENT in (self.sessions_match, self.participants_match)


@dataclass(frozen=True)
class Reconciliation:
    fiscal_year: int
    rows: list  # ReconciliationRow per category, published or recorded
    total: ReconciliationRow
    published_itemised_sessions: int  # the sum of the published category figures
    published_itemised_participants: int

    @property
    def has_published_figures(self):
        return self.total.is_published or any(row.is_published for row in self.rows)

    @property
    def sessions_not_itemised(self):
        """Return the published total's sessions left out of the published categories (None without a total)."""
        if not self.total.is_published:
            return None
        return self.total.published_sessions - self.published_itemised_sessions

    @property
    def itemised_sum_differs_from_total(self):
        """True when the published categories do not add up to the published total (the seed's 32 vs 48)."""
        if not self.total.is_published or not any(row.is_published for row in self.rows):
            return False
        return (
            self.published_itemised_sessions != self.total.published_sessions
            or self.published_itemised_participants != self.total.published_participants
        )


def _published(figure):
    """Return the published_* fields of a ReconciliationRow from `figure` (None: not published)."""
    return {
        "published_sessions": figure.sessions if figure else None,
        "published_participants": figure.participants if figure else None,
        "participants_approximate": figure.participants_approximate if figure else False,
    }


def reconciliation(*, fiscal_year, summary=None):
    """Return the Reconciliation of `fiscal_year`: recorded vs published (ReportedFigure) per category and total.

    One query plus yearly_summary's two when `summary` is not given.
    """
    summary = summary or yearly_summary(fiscal_year=fiscal_year)
    total_figure, published = reported_figures(fiscal_year=fiscal_year)

    rows = [
        ReconciliationRow(
            key=category.code,
            name=category.name,
            category_id=category.category_id,
            recorded_sessions=category.sessions,
            recorded_participants=category.participants,
            sessions_without_count=category.sessions_without_count,
            **_published(published.get(category.code)),
        )
        for category in summary.categories
    ]
    recorded_codes = {category.code for category in summary.categories}
    rows += [
        ReconciliationRow(code, figure.category.name, figure.category_id, 0, 0, 0, **_published(figure))
        for code, figure in published.items()
        if code not in recorded_codes
    ]
    order = {category.code: category.order for category in summary.categories}
    order.update({code: figure.category.order for code, figure in published.items()})
    rows.sort(key=lambda row: (order.get(row.key, UNCATEGORISED[2]), row.key))
    total = ReconciliationRow(
        key=TOTAL_KEY,
        name="",
        category_id=None,
        recorded_sessions=summary.sessions,
        recorded_participants=summary.participants,
        sessions_without_count=summary.sessions_without_count,
        **_published(total_figure),
    )
    return Reconciliation(
        fiscal_year=fiscal_year,
        rows=rows,
        total=total,
        published_itemised_sessions=sum(figure.sessions for figure in published.values()),
        published_itemised_participants=sum(figure.participants for figure in published.values()),
    )
