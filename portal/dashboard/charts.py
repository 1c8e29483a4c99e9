"""Dashboard charts as inline SVG, drawn server-side by pygal (no JavaScript, no CDN).

The charts must stay legible when printed in black and white: the current year is solid dark
grey, the previous year hatched, every bar carries its value, and each chart is followed on the
page by a table with the same numbers. For screen readers a chart is one image whose name gives
its title and figures (text_alternative); the table is the full alternative.
"""

import functools
import re

import pygal
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from pygal.style import Style

FONT = '"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Kaku Gothic ProN", Meiryo, sans-serif'
HATCH_ID = "hatch-previous-year"
HATCH = (
    f'<pattern id="{HATCH_ID}" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">'
    '<rect width="6" height="6" fill="white"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#333" stroke-width="2.5"/></pattern>'
)
STYLE = Style(
    font_family=FONT,
    background="white",
    plot_background="white",
    foreground="#1a1a1a",
    foreground_strong="#1a1a1a",
    foreground_subtle="#888",
    colors=("#3a3a3a", f"url(#{HATCH_ID})", "#9a9a9a"),
    value_colors=("#1a1a1a", "#1a1a1a", "#1a1a1a"),
    title_font_size=16,
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=12,
    legend_font_size=13,
    opacity="1",
    opacity_hover="1",
)
# pygal writes a small inline <script> with its tooltip configuration even when no script file
# is linked; the charts are static, so it is dropped.
SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL)


def _config(**options):
    config = {
        "js": [],
        "disable_xml_declaration": True,
        "style": STYLE,
        "defs": [HATCH],
        "print_values": True,
        "print_values_position": "top",
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 2,
        "show_y_guides": True,
        "truncate_label": -1,
        "truncate_legend": -1,
        "width": 760,
        "height": 360,
        "margin": 16,
        "value_formatter": lambda value: f"{value:,.0f}" if value else "",
    }
    config.update(options)
    return config


def _render(chart, label):
    svg = SCRIPT.sub("", chart.render(is_unicode=True))
    # An image for screen readers, named by its title and figures; the table below has them all.
    svg = svg.replace("<svg ", format_html('<svg role="img" aria-label="{}" focusable="false" ', label), 1)
    return mark_safe(svg)  # noqa: S308 - pygal output built from numbers and our own labels, escaped by pygal


def text_alternative(title, labels, series):
    """Return the chart's text alternative: its title, then each series' non-zero values by label.

    `series` is [(series label, values)]; a series without values says 「なし」. The hatch note
    of a legend label (「（斜線）」) is left out: it describes the picture, not the figures.
    """
    parts = [title]
    for name, values in series:
        figures = "、".join(f"{label} {value:,}" for label, value in zip(labels, values, strict=False) if value)
        parts.append(f"{name.replace('（斜線）', '')}：{figures or 'なし'}")
    return "。".join(parts) + "。"


def _wide_text_margin(labels, font_size):
    """Return the extra left margin Japanese labels need.

    pygal estimates a label's width as 0.6 em per character, right for Latin text; a Japanese
    character is a full em wide, so the labels of a horizontal chart would be cut off.
    """
    longest = max((len(str(label)) for label in labels), default=0)
    return int(longest * font_size * 0.45)


def comparison_bar_chart(*, title, labels, current, previous, current_label, previous_label, horizontal=False):
    """Return an SVG bar chart of `current` (solid) beside `previous` (hatched) for each label.

    Horizontal charts list the labels from top to bottom in the order given. The SVG depends on
    nothing but these arguments, so the last few are kept in memory: pygal takes about 13 ms a
    chart, a third of the dashboard's time, and managers reopen the same years.
    """
    return _comparison_bar_chart(
        title, tuple(labels), tuple(current), tuple(previous), current_label, previous_label, horizontal
    )


@functools.lru_cache(maxsize=128)
def _comparison_bar_chart(title, labels, current, previous, current_label, previous_label, horizontal):
    labels, current, previous = list(labels), list(current), list(previous)
    label = text_alternative(title, labels, [(current_label, current), (previous_label, previous)])
    options = {}
    if horizontal:
        # pygal draws the first label at the bottom; reverse so that the chart reads like the table.
        labels, current, previous = labels[::-1], current[::-1], previous[::-1]
        options = {"height": max(300, 90 + 30 * len(labels)), "margin_left": _wide_text_margin(labels, 13)}
    chart = (pygal.HorizontalBar if horizontal else pygal.Bar)(**_config(**options))
    chart.title = title
    chart.x_labels = labels
    chart.add(current_label, current)
    chart.add(previous_label, previous)
    return _render(chart, label)
