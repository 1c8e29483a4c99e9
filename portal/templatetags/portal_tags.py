"""Template filters for fiscal years, eras and approximate figures."""

from django import template
from django.utils.html import format_html_join

from core import fiscal
from core.numbers import approximate_text, is_rounded

register = template.Library()


@register.filter
def fy_label(fy):
    """Return '2018年度（平成30年度）' for 2018; empty for None."""
    if fy in (None, ""):
        return ""
    return fiscal.fiscal_year_label(int(fy))


@register.filter
def fy_era(fy):
    """Return '平成30年度' for 2018 (the year as the committee report heads it); empty for None."""
    if fy in (None, ""):
        return ""
    return fiscal.fiscal_year_era_label(int(fy))


@register.filter
def wareki(date):
    """Return a date in the Japanese calendar ('令和元年5月1日'); empty for None."""
    if not date:
        return ""
    return fiscal.wareki_date(date)


@register.filter
def about(number):
    """Return a participant total rounded as the reports write it ('約1,800'); '0' for 0, never 「約0」."""
    return approximate_text(number)


@register.filter
def rounds(number):
    """Return True when the reports' 約 rounding changes `number` (show 「概数では約1,800人」 only then)."""
    return is_rounded(number)


@register.simple_tag
def opendata_link(dataset, fmt, fiscal_year=None):
    """Return {'url', 'file_name'} of one open-data download (a yearly one when `fiscal_year` is given)."""
    return {"url": dataset.url(fmt, fiscal_year), "file_name": dataset.file_name(fmt, fiscal_year)}


@register.filter
def report_session_items(sessions):
    """Return the report's session list items: <li>title<span class="sub">（5月20日、40人）</span></li> each.

    Built in Python rather than a template loop: a city-size year lists about 2,000 sessions, and
    the template engine's per-variable lookups were most of the report's time. Titles are escaped.
    """
    return format_html_join(
        "",
        '<li>{}<span class="sub">（{}月{}日{}）</span></li>',
        (
            (
                s.title,
                s.date.month,
                s.date.day,
                "" if s.participant_count is None else f"、{s.participant_count:,}人",
            )
            for s in sessions
        ),
    )


@register.filter
def illustrative(record, field_name):
    """Return True when `field_name` of `record` is flagged illustrative (core.illustrative)."""
    check = getattr(record, "is_illustrative_field", None)
    return bool(check and check(field_name))
