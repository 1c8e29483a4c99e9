import re

import pytest

from portal.dashboard.charts import HATCH_ID, comparison_bar_chart


def chart(**kwargs):
    options = {
        "title": "区別の開催回数",
        "labels": ["ア 地域まちづくり課主催研修", "イ 出前塾"],
        "current": [2, 9],
        "previous": [0, 3],
        "current_label": "2018年度",
        "previous_label": "2017年度（斜線）",
    }
    options.update(kwargs)
    return str(comparison_bar_chart(**options))


def test_chart_is_inline_svg_without_scripts_or_external_resources():
    svg = chart()
    assert svg.startswith("<svg ")
    assert "<script" not in svg
    # Only the SVG namespace may name a URL; nothing is fetched.
    assert set(re.findall(r"https?://[^\"' )]+", svg)) == {"http://www.w3.org/2000/svg"}
    assert "href" not in svg


def test_previous_year_is_hatched_and_values_are_printed_for_greyscale():
    svg = chart()
    pattern_id = re.search(rf'<pattern id="({HATCH_ID}-[0-9a-f]+)"', svg).group(1)
    assert f'fill="url(#{pattern_id})"' in svg
    values = re.findall(r'class="value[^"]*"[^>]*>([^<]+)<', svg)
    assert {"2", "9", "3"} <= set(values)
    assert "イ 出前塾" in svg


def test_chart_is_an_image_named_by_its_title_and_figures():
    svg = chart()
    assert svg.startswith('<svg role="img" ')
    name = re.search(r'aria-label="([^"]*)"', svg).group(1)
    assert name == "区別の開催回数。2018年度：ア 地域まちづくり課主催研修 2、イ 出前塾 9。2017年度：イ 出前塾 3。"
    assert 'aria-label="空の表。記録：なし。公表値：なし。"' in chart(
        title="空の表", current=[0, 0], previous=[0, 0], current_label="記録", previous_label="公表値（斜線）"
    )


def label_positions(svg):
    """Return {label text: (x, y)} of the chart's axis labels."""
    found = re.findall(r'<text x="([\d.]+)" y="([\d.]+)"[^>]*class="label"[^>]*>([^<]+)<', svg)
    return {text: (float(x), float(y)) for x, y, text in found}


def test_horizontal_chart_lists_labels_top_down_in_the_order_given():
    positions = label_positions(chart(horizontal=True))
    assert positions["ア 地域まちづくり課主催研修"][1] < positions["イ 出前塾"][1]
    positions = label_positions(chart(horizontal=True, labels=["イ 出前塾", "ア 地域まちづくり課主催研修"]))
    assert positions["イ 出前塾"][1] < positions["ア 地域まちづくり課主催研修"][1]


def test_vertical_chart_lists_labels_left_to_right():
    positions = label_positions(chart(labels=["4月", "5月"]))
    assert positions["4月"][0] < positions["5月"][0]


def test_each_chart_has_its_own_hatch_pattern_id():
    titles = ("月別の回数", "区別の開催回数")
    ids = {re.search(r'<pattern id="([^"]+)"', chart(title=title)).group(1) for title in titles}
    assert len(ids) == 2


def test_bars_are_as_long_as_their_values_and_zero_draws_nothing():
    svg = chart(horizontal=True, current=[2, 8], previous=[0, 4])
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="[\d.]+" fill=', svg)]
    # The bars 2, 8 and 4 (the zero draws no bar), then the legend's two swatches.
    bars = widths[:3]
    assert len(widths) == 5
    assert bars[1] == pytest.approx(4 * bars[0], abs=0.2) and bars[2] == pytest.approx(2 * bars[0], abs=0.2)
    assert "0</text>" not in re.sub(r'class="axis"[^>]*>[^<]*<', "", svg)


def test_labels_and_titles_are_escaped():
    svg = chart(title="<題>", labels=["A&B", "<i>"])
    assert "<題>" not in svg and "&lt;題&gt;" in svg
    assert "A&amp;B" in svg and "&lt;i&gt;" in svg


def test_axis_ticks_reach_the_largest_value_in_round_steps():
    from portal.dashboard.charts import ticks

    assert ticks(0) == [0, 1]
    assert ticks(3) == [0, 1, 2, 3]
    assert ticks(16) == [0, 5, 10, 15, 20]
    assert ticks(1234)[-1] >= 1234 and ticks(1234)[1] in (200, 500)


def test_unknown_previous_values_draw_no_bar():
    svg = chart(previous=[None, None])
    assert svg.count('fill="url(#') == 1  # the legend's swatch only
    assert "前年度" not in svg and "2017年度：なし。" in svg
