import re

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
    # Only the SVG namespaces and pygal's credits (in comments) may name a URL; nothing is fetched.
    without_comments = re.sub(r"<!--.*?-->", "", svg, flags=re.DOTALL)
    assert set(re.findall(r"https?://[^\"' )]+", without_comments)) <= {
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xlink",
    }


def test_previous_year_is_hatched_and_values_are_printed_for_greyscale():
    svg = chart()
    assert f'<pattern id="{HATCH_ID}"' in svg
    assert f"url(#{HATCH_ID})" in svg
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


def test_horizontal_chart_lists_labels_top_down():
    svg = re.sub(r'aria-label="[^"]*"', "", chart(horizontal=True))  # the name lists them in the given order
    # pygal draws the first label at the bottom, so the chart's label order is reversed.
    assert svg.index("イ 出前塾") < svg.index("ア 地域まちづくり課主催研修")
