"""Template filters of the staff dashboard and the committee report."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from core.admin import links as admin_links
from core.numbers import signed_difference

register = template.Library()


@register.filter
def signed(number):
    """Return a difference as written in the tables: '＋48', '－20', '±0'; '—' when unknown (core.numbers)."""
    return signed_difference(number)


@register.filter
def trend_class(number):
    """Return the CSS class marking a difference as up, down, unchanged or unknown ('none')."""
    if number is None or number == "":
        return "none"
    if not number:
        return "same"
    return "up" if number > 0 else "down"


def _timeline_items(case):
    if not case.timeline:
        return mark_safe("<li>経過は記録されていません。</li>")
    return format_html_join(
        "",
        '<li><span class="when">{}</span>{}　{}：{}</li>',
        (
            (
                event.when,
                mark_safe('<span class="planned">（予定）</span>') if event.planned_mark else "",
                event.kind,
                event.text,
            )
            for event in case.timeline
        ),
    )


@register.filter
def report_case_sections(cases):
    """Return the report's case sections (portal.selectors.report.ReportCase): heading, status, summary, timeline.

    Built in Python rather than a template loop: a city-size year lists 500 cases, and the
    template engine's per-variable lookups were most of the report's time. Texts are escaped.
    A case with more entries than shown says how many earlier ones are left out and links its admin page.
    """
    sections = []
    for case in cases:
        lead = format_html("（窓口：{}）", case.lead_organization) if case.lead_organization else ""
        more = ""
        if case.not_shown:
            more = format_html(
                '<p class="report-note">それ以前の経過{}件は<a href="{}">管理画面の事例</a>と、'
                "Word・Excelの報告書にあります。</p>",
                case.not_shown,
                admin_links.change_url("outreach.approachcase", case.pk),
            )
        sections.append(
            format_html(
                '<section class="report-section case" aria-labelledby="r-case-{pk}">'
                '<h2 id="r-case-{pk}">参考 アプローチ型支援の実績（{place}）</h2>'
                '<p class="case-title">{title}{lead}　現在の状況：{status}</p>'
                "<p>{summary}</p>"
                '<ol class="timeline">{items}</ol>{more}</section>\n',
                pk=case.pk,
                place=case.place,
                title=case.title,
                lead=lead,
                status=case.status,
                summary=case.summary,
                items=_timeline_items(case),
                more=more,
            )
        )
    return mark_safe("".join(sections))  # noqa: S308 - each part built by format_html (escaped)
