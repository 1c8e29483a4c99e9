"""Recorded and published totals over several fiscal years."""

from dataclasses import dataclass

from trainings.models import ReportedFigure, TrainingSession


def grouped_figures(queryset, *group_by):
    """Return {group values tuple: (sessions, participants, sessions without count)} of `queryset` (one query)."""
    return {
        tuple(row[g] for g in group_by): (row["sessions"], row["participants"] or 0, row["sessions_without_count"])
        for row in queryset.participant_totals_by(*group_by)
    }


@dataclass(frozen=True)
class TrendRow:
    fiscal_year: int
    sessions: int
    participants: int
    sessions_without_count: int
    published_sessions: int | None
    published_participants: int | None
    published_participants_approximate: bool = False


def multi_year_trend(*, last_fiscal_year, years=5):
    """Return one TrendRow per fiscal year from `last_fiscal_year - years + 1` to `last_fiscal_year`.

    Years without sessions are included with zeros; published totals (ReportedFigure without a
    category) are given where they exist. Two queries.
    """
    first = last_fiscal_year - years + 1
    counts = grouped_figures(
        TrainingSession.objects.filter(fiscal_year__range=(first, last_fiscal_year)), "fiscal_year"
    )
    published = {
        figure.fiscal_year: figure
        for figure in ReportedFigure.objects.filter(fiscal_year__range=(first, last_fiscal_year), category__isnull=True)
    }
    rows = []
    for fy in range(first, last_fiscal_year + 1):
        figure = published.get(fy)
        rows.append(
            TrendRow(
                fy,
                *counts.get((fy,), (0, 0, 0)),
                published_sessions=figure.sessions if figure else None,
                published_participants=figure.participants if figure else None,
                published_participants_approximate=figure.participants_approximate if figure else False,
            )
        )
    return rows
