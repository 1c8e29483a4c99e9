"""Which fiscal years have records: the year lists of the public site and the dashboard."""

from django.db.models import Max

from outreach.models import CaseEvent
from partners.models import Collaboration
from trainings.models import ReportedFigure, TrainingSession


def latest_fiscal_year():
    """Return the newest fiscal year that has training sessions, or None when there are none."""
    return TrainingSession.objects.aggregate(fy=Max("fiscal_year"))["fy"]


def fiscal_years_with_records(*others):
    """Return the fiscal years that have training sessions, collaborations or any of `others`, newest first.

    `others` are flat values_list querysets of fiscal years of further records. One query (a
    UNION) whatever the data size.
    """
    years = TrainingSession.objects.fiscal_years().union(
        Collaboration.objects.order_by().values_list("fiscal_year", flat=True),
        *(other.order_by() for other in others),
    )
    return sorted({fy for fy in years if fy is not None}, reverse=True)


def public_fiscal_years():
    """Return the fiscal years the public site covers, newest first.

    A year is covered when it has training sessions, inter-bureau collaborations or a timeline
    entry of a published case. One query.
    """
    return fiscal_years_with_records(
        CaseEvent.objects.filter(case__is_published=True, fiscal_year__isnull=False).values_list(
            "fiscal_year", flat=True
        )
    )


def available_fiscal_years():
    """Return the fiscal years that have sessions, collaborations or published figures, newest first (one query)."""
    return fiscal_years_with_records(ReportedFigure.objects.values_list("fiscal_year", flat=True))


def reported_fiscal_years():
    """Return the fiscal years that have published figures (ReportedFigure rows), newest first."""
    return list(ReportedFigure.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).distinct())
