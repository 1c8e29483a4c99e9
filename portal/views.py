from django.http import Http404
from django.shortcuts import get_object_or_404, render

from outreach.models import ApproachCase
from portal import selectors


def home(request):
    """The public home page: the latest fiscal year's summary."""
    fy = selectors.latest_fiscal_year()
    summary = selectors.yearly_summary(fiscal_year=fy) if fy else None
    return render(request, "portal/home.html", {"summary": summary})


def case_detail(request, slug):
    """One approach-support case with its timeline; drafts only for staff."""
    case = get_object_or_404(
        ApproachCase.objects.select_related("ward", "lead_organization").prefetch_related(
            "schemes", "partner_organizations", "events"
        ),
        slug=slug,
    )
    if not case.is_published and not request.user.is_staff:
        raise Http404("この事例は公開されていません。")
    return render(request, "portal/case_detail.html", {"case": case})
