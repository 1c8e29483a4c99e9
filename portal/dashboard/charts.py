"""Dashboard charts as inline SVG, written here (no JavaScript, no CDN, no charting library).

The charts must stay legible when printed in black and white: the current year is solid dark
grey, the previous year hatched, every bar carries its value, and each chart is followed on the
page by a table with the same numbers. For screen readers a chart is one image whose name gives
its title and figures (text_alternative); the table is the full alternative.

Written by hand rather than by pygal: pygal took about 13 ms a chart (five a cold dashboard,
a third of its time at city scale); this writer takes well under a millisecond. Text widths
are estimated from the characters (a Japanese character is a full em, a Latin one about 0.6).
"""

import math
import unicodedata
import zlib

from django.utils.html import escape
from django.utils.safestring import mark_safe

FONT = "'Noto Sans CJK JP', 'Noto Sans JP', 'Hiragino Kaku Gothic ProN', Meiryo, sans-serif"
HATCH_ID = "hatch-previous-year"
INK, GUIDE, CURRENT_FILL, HATCH_LINE = "#1a1a1a", "#888", "#3a3a3a", "#333"
WIDTH, HEIGHT, MARGIN = 760, 360, 16
TITLE_SIZE, LABEL_SIZE, VALUE_SIZE = 16, 13, 12
LEGEND_HEIGHT = 28


def text_width(text, size):
    """Return the estimated width in px of `text` at font size `size` (full-width characters 1 em, others 0.6)."""
    return size * sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6 for ch in str(text))


def value_text(value):
    """Return the value printed on a bar: '1,234', or '' for 0 (an empty bar carries no number)."""
    return f"{value:,.0f}" if value else ""


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


def ticks(maximum):
    """Return the axis ticks [0, step, 2 step, …] of a scale from 0 to at least `maximum` (about five steps).

    Steps are 1, 2 or 5 times a power of ten and at least 1 (the figures are counts).
    """
    if maximum <= 0:
        return [0, 1]
    raw = maximum / 5
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    top = math.ceil(maximum / step) * step
    return list(range(0, top + 1, step))


def _f(number):
    """Return a coordinate for an SVG attribute (one decimal, no trailing .0)."""
    return f"{number:.1f}".removesuffix(".0")


def _text(x, y, text, *, size, anchor="start", css_class=None, extra=""):
    css = f' class="{css_class}"' if css_class else ""
    return f'<text x="{_f(x)}" y="{_f(y)}" font-size="{size}" text-anchor="{anchor}"{css}{extra}>{escape(text)}</text>'


def _bar(x, y, width, height, fill, *, hatched):
    if width <= 0 or height <= 0:
        return ""
    outline = f' stroke="{HATCH_LINE}" stroke-width="1"' if hatched else ""
    return f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(width)}" height="{_f(height)}" fill="{fill}"{outline}/>'


def _legend(y, left, right, names, fills):
    """Return the legend: a swatch and a name for each series, in two columns starting at `left`."""
    parts = []
    column = (right - left) / 2
    for i, (name, fill) in enumerate(zip(names, fills, strict=True)):
        x = left + i * column
        parts.append(f'<rect x="{_f(x)}" y="{_f(y - 11)}" width="13" height="13" fill="{fill}" stroke="{HATCH_LINE}"/>')
        parts.append(_text(x + 19, y, name, size=LABEL_SIZE, css_class="legend"))
    return "".join(parts)


def _vertical(labels, current, previous, fills, height):
    """Return the SVG body of a vertical bar chart (groups left to right)."""
    scale = ticks(max([*current, *previous, 0]))
    top_value = scale[-1]
    tick_width = max(text_width(f"{t:,}", LABEL_SIZE) for t in scale)
    left = MARGIN + tick_width + 8
    right = WIDTH - MARGIN
    top = MARGIN + TITLE_SIZE + 24  # the title, then room for the tallest bar's value
    bottom = height - MARGIN - LEGEND_HEIGHT - LABEL_SIZE - 14
    plot_h = bottom - top
    parts = []
    for t in scale:
        y = bottom - plot_h * t / top_value
        if t:
            parts.append(
                f'<line x1="{_f(left)}" y1="{_f(y)}" x2="{_f(right)}" y2="{_f(y)}" '
                f'stroke="{GUIDE}" stroke-dasharray="4 3" stroke-width="1"/>'
            )
        parts.append(_text(left - 6, y + 4, f"{t:,}", size=LABEL_SIZE, anchor="end", css_class="axis"))
    group = (right - left) / max(len(labels), 1)
    bar = min(group * 0.36, 48)
    for i, label in enumerate(labels):
        middle = left + group * i + group / 2
        for x, value, fill in ((middle - bar - 1, current[i], fills[0]), (middle + 1, previous[i], fills[1])):
            h = plot_h * value / top_value
            parts.append(_bar(x, bottom - h, bar, h, fill, hatched=fill != fills[0]))
            if value:
                parts.append(_text(x + bar / 2, bottom - h - 4, value_text(value), size=VALUE_SIZE, anchor="middle",
                                   css_class="value"))  # fmt: skip
        parts.append(_text(middle, bottom + LABEL_SIZE + 6, label, size=LABEL_SIZE, anchor="middle", css_class="label"))
    parts.append(f'<line x1="{_f(left)}" y1="{_f(bottom)}" x2="{_f(right)}" y2="{_f(bottom)}" stroke="{INK}"/>')
    return parts, left, right


def _horizontal(labels, current, previous, fills, height):
    """Return the SVG body of a horizontal bar chart (groups top to bottom, in the order given)."""
    scale = ticks(max([*current, *previous, 0]))
    top_value = scale[-1]
    label_width = max((text_width(label, LABEL_SIZE) for label in labels), default=0)
    value_width = text_width(value_text(top_value) or "0", VALUE_SIZE) + 6
    left = MARGIN + label_width + 10
    right = WIDTH - MARGIN - value_width
    top = MARGIN + TITLE_SIZE + 16
    bottom = height - MARGIN - LEGEND_HEIGHT - LABEL_SIZE - 12
    plot_w = right - left
    parts = []
    for t in scale:
        x = left + plot_w * t / top_value
        if t:
            parts.append(
                f'<line x1="{_f(x)}" y1="{_f(top)}" x2="{_f(x)}" y2="{_f(bottom)}" '
                f'stroke="{GUIDE}" stroke-dasharray="4 3" stroke-width="1"/>'
            )
        parts.append(_text(x, bottom + LABEL_SIZE + 6, f"{t:,}", size=LABEL_SIZE, anchor="middle", css_class="axis"))
    group = (bottom - top) / max(len(labels), 1)
    bar = min(group * 0.36, 24)
    for i, label in enumerate(labels):
        middle = top + group * i + group / 2
        parts.append(_text(left - 8, middle + 4.5, label, size=LABEL_SIZE, anchor="end", css_class="label"))
        for y, value, fill in ((middle - bar - 1, current[i], fills[0]), (middle + 1, previous[i], fills[1])):
            w = plot_w * value / top_value
            parts.append(_bar(left, y, w, bar, fill, hatched=fill != fills[0]))
            if value:
                parts.append(_text(left + w + 4, y + bar / 2 + 4, value_text(value), size=VALUE_SIZE,
                                   css_class="value"))  # fmt: skip
    parts.append(f'<line x1="{_f(left)}" y1="{_f(top)}" x2="{_f(left)}" y2="{_f(bottom)}" stroke="{INK}"/>')
    return parts, left, right


def comparison_bar_chart(*, title, labels, current, previous, current_label, previous_label, horizontal=False):
    """Return an SVG bar chart (safe HTML) of `current` (solid) beside `previous` (hatched) for each label.

    A value of 0 or None (no previous year to compare with) draws no bar and no number. Vertical
    charts run left to right, horizontal ones top to bottom, in the order given. The hatch
    pattern's id is made from the title, so that several charts on one page do not share an id.
    No query.
    """
    labels = [str(label) for label in labels]
    current, previous = [v or 0 for v in current], [v or 0 for v in previous]
    name = text_alternative(title, labels, [(current_label, current), (previous_label, previous)])
    pattern_id = f"{HATCH_ID}-{zlib.crc32(title.encode()):08x}"
    fills = (CURRENT_FILL, f"url(#{pattern_id})")
    height = max(300, 90 + 30 * len(labels)) if horizontal else HEIGHT
    draw = _horizontal if horizontal else _vertical
    body, left, right = draw(labels, current, previous, fills, height)
    head = (
        f'<svg role="img" aria-label="{escape(name)}" focusable="false" xmlns="http://www.w3.org/2000/svg" '
        f'class="bar-chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'font-family="{FONT}" fill="{INK}">'
        f'<defs><pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="6" height="6" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="white"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{HATCH_LINE}" stroke-width="2.5"/></pattern></defs>'
        f'<rect width="{WIDTH}" height="{height}" fill="white"/>'
    )
    title_text = _text(WIDTH / 2, MARGIN + TITLE_SIZE, title, size=TITLE_SIZE, anchor="middle", css_class="title")
    legend = _legend(height - MARGIN - 6, left, right, [current_label, previous_label], fills)
    # Everything written above is numbers, our own colours, or text passed through escape().
    return mark_safe(head + title_text + "".join(body) + legend + "</svg>")  # noqa: S308
