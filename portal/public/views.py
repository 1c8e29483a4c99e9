"""The public site: yearly summaries, case studies and collaborations. No login, aggregates only.

Yearly figures come from the latest publication of each fiscal year (portal.publication), never
from the live records: a year never published does not appear. Staff who may read the dashboard
see a banner when the records differ from what is published. Every page is cached for visitors
(core.public_cache) and refreshed when the records change or a year is published.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core.fiscal import calendar_year_label, fiscal_year_label
from core.fiscal import fiscal_year as fiscal_year_of
from core.public_cache import cached_public_page
from outreach.models import ApproachCase
from portal import selectors, ward_map
from portal.public.forms import CaseFilterForm
from portal.publication.published import publication_history, published_fiscal_years, published_year
from portal.roles import DASHBOARD_PERMISSION
from portal.services import publication_state


def _year_navigation(current, years):
    """Return the context of the fiscal-year switcher: the published years, with `current` among them."""
    return {"years": sorted({*years, current}, reverse=True)}


def _default_fiscal_year():
    """Return the newest published year, else the current fiscal year."""
    years = published_fiscal_years()
    return years[0] if years else fiscal_year_of(timezone.localdate())


def _staff_state(request, fiscal_year):
    """Return the PublicationState of `fiscal_year` for staff who may read the dashboard, else None."""
    if fiscal_year is None or not request.user.has_perm(DASHBOARD_PERMISSION):
        return None
    state = publication_state(fiscal_year=fiscal_year)
    return state if state.differs else None


def _staff_year(request, years):
    """Return the year staff hear about on the home page: the newest with records or published."""
    if not request.user.has_perm(DASHBOARD_PERMISSION):
        return None
    return max([*years[:1], selectors.latest_fiscal_year() or 0]) or None


@cached_public_page
def home(request):
    """The public home page: the latest published fiscal year's summary and the ways into the site."""
    years = published_fiscal_years()
    published, _ = published_year(fiscal_year=years[0]) if years else (None, None)
    return render(
        request,
        "portal/home.html",
        {
            "summary": published.summary if published else None,
            "years": years,
            "cases": selectors.published_cases(),
            "staff_state": _staff_state(request, _staff_year(request, years)),
        },
    )


def summary_latest(request):
    """Redirect /summary/ to the newest published fiscal year (or the current one)."""
    return redirect("fiscal_year_summary", fiscal_year=_default_fiscal_year())


@cached_public_page
def fiscal_year_summary(request, fiscal_year):
    """One published fiscal year: totals, categories, wards, collaborations, the year's cases and its 公開履歴."""
    published, _ = published_year(fiscal_year=fiscal_year)
    context = {
        "fiscal_year": fiscal_year,
        "published": published,
        "history": publication_history(fiscal_year=fiscal_year) if published else [],
        "staff_state": _staff_state(request, fiscal_year),
        **_year_navigation(fiscal_year, published_fiscal_years()),
    }
    if published is not None:
        summary = published.summary
        wards = ward_map.ward_counts(published.wards)
        reported = published.reported
        context |= {
            "summary": summary,
            "wards": wards,
            "wards_reached": [w for w in wards if w.reached],
            "wards_with_attendees": any(w.attendees_from_ward for w in wards),
            "ward_maps": ward_map.reach_maps(wards, id_prefix="public-wards"),
            "collaborations": published.collaborations,
            "cases": published.cases,
            "data_notes": published.data_notes,
            "reported_total": published.reported_total,
            "reported_rows": [(row, reported.get(row.code)) for row in summary.categories],
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
    """Return [(heading, [events])] in timeline order, grouping entries by their fiscal year.

    An entry known only by its calendar year whose fiscal year was assumed (flagged illustrative)
    is headed by the calendar year, as the source writes it ('2016年（平成28年）').
    """
    groups = []
    for event in case.events.all():
        if event.calendar_year and event.is_illustrative_field("fiscal_year"):
            heading = calendar_year_label(event.calendar_year)
        else:
            heading = fiscal_year_label(event.fiscal_year) if event.fiscal_year else ""
        if not groups or groups[-1][0] != heading:
            groups.append((heading, []))
        groups[-1][1].append(event)
    return groups


def collaborations_latest(request):
    """Redirect /collaborations/ to the newest published fiscal year (or the current one)."""
    return redirect("collaborations", fiscal_year=_default_fiscal_year())


@cached_public_page
def collaborations(request, fiscal_year):
    """The inter-bureau collaboration table (局間連携) of one published fiscal year."""
    published, _ = published_year(fiscal_year=fiscal_year)
    return render(
        request,
        "portal/collaborations.html",
        {
            "fiscal_year": fiscal_year,
            "published": published,
            "collaborations": published.collaborations if published else [],
            **_year_navigation(fiscal_year, published_fiscal_years()),
        },
    )
