"""The public site: yearly summaries, case studies and collaborations. No login, aggregates only.

Views call the roll-ups in portal.selectors and render; every page is cached for visitors
(core.public_cache) and refreshed when the records change.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core.fiscal import fiscal_year as fiscal_year_of
from core.public_cache import cached_public_page
from outreach.models import ApproachCase
from portal import selectors
from portal.public.forms import CaseFilterForm


def _year_navigation(current):
    """Return the context of the fiscal-year switcher: the covered years, with `current` among them."""
    return {"years": sorted({*selectors.public_fiscal_years(), current}, reverse=True)}


def _default_fiscal_year():
    """Return the newest year with sessions, else the newest covered year, else the current fiscal year."""
    covered = selectors.public_fiscal_years() or [fiscal_year_of(timezone.localdate())]
    return selectors.latest_fiscal_year() or covered[0]


@cached_public_page
def home(request):
    """The public home page: the latest fiscal year's summary and the ways into the site."""
    fy = selectors.latest_fiscal_year()
    summary = selectors.yearly_summary(fiscal_year=fy) if fy else None
    return render(
        request,
        "portal/home.html",
        {
            "summary": summary,
            "years": selectors.public_fiscal_years(),
            "cases": selectors.published_cases(),
        },
    )


def summary_latest(request):
    """Redirect /summary/ to the newest fiscal year with records (or the current one)."""
    return redirect("fiscal_year_summary", fiscal_year=_default_fiscal_year())


@cached_public_page
def fiscal_year_summary(request, fiscal_year):
    """One fiscal year: totals, categories, wards reached, collaborations and the year's published cases."""
    summary = selectors.yearly_summary(fiscal_year=fiscal_year)
    wards = selectors.ward_breakdown(fiscal_year=fiscal_year)
    reported_total, reported = selectors.reported_figures(fiscal_year=fiscal_year)
    context = {
        "fiscal_year": fiscal_year,
        "summary": summary,
        "wards": wards,
        "wards_reached": [w for w in wards if w.reached],
        "collaborations": selectors.collaborations(fiscal_year=fiscal_year),
        "cases": selectors.published_cases_for_fiscal_year(fiscal_year=fiscal_year),
        "data_notes": selectors.fiscal_year_data_notes(fiscal_year=fiscal_year),
        "reported_total": reported_total,
        "reported_rows": [(row, reported.get(row.code)) for row in summary.categories],
        **_year_navigation(fiscal_year),
    }
    context["has_any_data"] = bool(summary.has_data or context["collaborations"] or context["cases"])
    return render(request, "portal/summary.html", context)


@cached_public_page
def case_list(request):
    """The published cases, filtered by ward, theme, scheme and status, with a keyword search (GET form)."""
    form = CaseFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    cases = selectors.search_published_cases(**filters)
    return render(
        request,
        "portal/case_list.html",
        {"form": form, "cases": cases, "is_filtered": form.is_bound and any(filters.values())},
    )


@cached_public_page
def case_detail(request, slug):
    """One approach-support case with its organisations, schemes and timeline; drafts only for case viewers."""
    case = get_object_or_404(
        ApproachCase.objects.select_related("ward", "lead_organization").prefetch_related(
            "schemes__bureau", "partner_organizations", "events"
        ),
        slug=slug,
    )
    # Staff status alone is not enough: a staff user without a role sees no records.
    if not case.is_published and not request.user.has_perm("outreach.view_approachcase"):
        raise Http404("この事例は公開されていません。")
    return render(request, "portal/case_detail.html", {"case": case, "timeline": _timeline_by_year(case)})


def _timeline_by_year(case):
    """Return [(fiscal year, [events])] in timeline order, grouping entries by their fiscal year."""
    groups = []
    for event in case.events.all():
        if not groups or groups[-1][0] != event.fiscal_year:
            groups.append((event.fiscal_year, []))
        groups[-1][1].append(event)
    return groups


def collaborations_latest(request):
    """Redirect /collaborations/ to the newest fiscal year with records (or the current one)."""
    return redirect("collaborations", fiscal_year=_default_fiscal_year())


@cached_public_page
def collaborations(request, fiscal_year):
    """The inter-bureau collaboration table (局間連携) of one fiscal year."""
    return render(
        request,
        "portal/collaborations.html",
        {
            "fiscal_year": fiscal_year,
            "collaborations": selectors.collaborations(fiscal_year=fiscal_year),
            **_year_navigation(fiscal_year),
        },
    )
