"""The public site's lists: published approach-support cases and a year's sessions.

Aggregates and published records only: nothing here returns attendee rows.
"""

from django.db.models import Case, F, IntegerField, Q, Value, When

from outreach.models import ApproachCase
from portal.selectors.summary import attendance_reach, ward_rows
from trainings.models import TrainingSession


def published_cases():
    """Return the published approach-support cases with ward and lead organisation loaded."""
    return list(
        ApproachCase.objects.published().select_related("ward", "lead_organization").order_by("ward__code", "title")
    )


def published_cases_for_fiscal_year(*, fiscal_year):
    """Return the published cases with a timeline entry in `fiscal_year`, ward loaded, in ward order."""
    return list(
        ApproachCase.objects.published()
        .filter(events__fiscal_year=fiscal_year)
        .select_related("ward")
        .distinct()
        .order_by("ward__code", "title")
    )


def search_published_cases(*, ward=None, theme="", scheme=None, status="", text=""):
    """Return the published cases matching every given filter, with ward, lead organisation and schemes loaded.

    `ward` and `scheme` are model instances (or None), `theme`/`status` choice values (or ""),
    `text` words that must each appear in the title, summary or district. Two queries.
    """
    cases = ApproachCase.objects.published().select_related("ward", "lead_organization").prefetch_related("schemes")
    if ward is not None:
        cases = cases.filter(ward=ward)
    if theme:
        cases = cases.filter(theme=theme)
    if scheme is not None:
        cases = cases.filter(schemes=scheme)
    if status:
        cases = cases.filter(status=status)
    if text:
        cases = cases.matching(text)
    return list(cases.distinct().order_by("ward__code", "title"))


def fiscal_year_data_notes(*, fiscal_year):
    """Return the distinct data notes of `fiscal_year`'s illustrative sessions (what in the records is an example)."""
    return list(
        TrainingSession.objects.for_fiscal_year(fiscal_year)
        .filter(is_illustrative=True)
        .exclude(data_note="")
        .order_by("data_note")
        .values_list("data_note", flat=True)
        .distinct()
    )


def public_sessions(*, fiscal_year):
    """Return `fiscal_year`'s training sessions in date order with category, hosts and ward loaded.

    Each session carries `participant_count` (see TrainingSessionQuerySet.with_participant_counts).
    Attendance rows are counted, never loaded. One query.
    """
    return list(
        TrainingSession.objects.for_fiscal_year(fiscal_year)
        .with_participant_counts()
        .select_related("category", "host_bureau", "host_organization", "ward")
        .order_by("date", "title")
    )


def published_case_details():
    """Return the published cases with ward, lead and partner organisations, schemes and timeline loaded.

    Five queries whatever the number of cases. Staff-only fields (staff_note, organisations'
    contact details) are on the objects but the public pages and files never read them.
    """
    return list(
        ApproachCase.objects.published()
        .select_related("ward", "lead_organization")
        .prefetch_related("schemes", "partner_organizations", "events")
        .order_by("ward__code", "title")
    )


def _flagged(name):
    """Return a Q matching sessions whose field `name` is flagged illustrative (core.illustrative)."""
    return Q(illustrative_fields__regex=rf"(^| ){name}( |$)")


def public_ward_breakdown(*, fiscal_year):
    """Return one WardRow per ward (all 18) of `fiscal_year` counting recorded facts only.

    A session whose ward is illustrative is left out; one whose participant count would be an
    illustrative headcount (no roster, or a roster marked partial) counts as a session of
    unknown headcount. Attendees from each ward come from the attendance sheets (facts). Three
    queries.
    """
    # The sessions' participant count by the one rule (with_participant_counts), reading an
    # illustrative headcount as unknown.
    known_headcount = Case(
        When(_flagged("headcount"), then=Value(None)), default=F("headcount"), output_field=IntegerField()
    )
    held = {
        row["ward"]: row
        for row in TrainingSession.objects.for_fiscal_year(fiscal_year)
        .filter(ward__isnull=False)
        .exclude(_flagged("ward"))
        .participant_totals_by("ward", headcount=known_headcount)
    }
    return ward_rows(held, attendance_reach(fiscal_year=fiscal_year).rows_by_ward)
