import re

from partners.wards import WARDS
from portal import ward_map
from portal.ward_map import WardCount, class_bounds, reach_maps


def relative_luminance(colour):
    """Return the WCAG relative luminance of '#rrggbb'."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def wards(**figures):
    """Return the 18 wards as WardCounts, none held, with `figures` {code: (sessions, participants, unknown)}."""
    return [WardCount(code, name, *figures.get(code, (0, 0, 0))) for code, name, _ in WARDS]


def tile(svg, code):
    """Return the SVG group of the ward `code`."""
    return re.search(rf'<g data-ward="{code}">.*?</g>', svg).group(0)


def test_every_ward_has_its_own_tile_inside_the_grid():
    assert set(ward_map.TILES) == {code for code, _, _ in WARDS}
    cells = list(ward_map.TILES.values())
    assert len(set(cells)) == 18
    assert all(0 <= column < ward_map.COLUMNS and 0 <= row < ward_map.ROWS for column, row in cells)


def test_tiles_lie_roughly_where_the_wards_are():
    tiles = {name: ward_map.TILES[code] for code, name, _ in WARDS}
    # North to south, then west to east.
    assert tiles["青葉区"][1] < tiles["緑区"][1] < tiles["旭区"][1] < tiles["戸塚区"][1] < tiles["栄区"][1]
    assert tiles["瀬谷区"][0] < tiles["旭区"][0] < tiles["南区"][0] < tiles["西区"][0] < tiles["中区"][0]
    assert tiles["金沢区"][1] == max(row for _, row in tiles.values())  # the south-east tip


def test_class_bounds_are_nice_steps_that_cover_the_largest_value():
    assert class_bounds(0) == []
    assert class_bounds(3) == [(1, 1), (2, 2), (3, 3)]
    assert class_bounds(5) == [(1, 2), (3, 4), (5, 6)]
    assert class_bounds(114) == [(1, 50), (51, 100), (101, 150)]
    assert class_bounds(1400) == [(1, 500), (501, 1000), (1001, 1500)]
    for maximum in (1, 7, 99, 1820, 123456):
        bounds = class_bounds(maximum)
        assert 1 <= len(bounds) <= len(ward_map.SHADES) and bounds[0][0] == 1 and bounds[-1][1] >= maximum


def test_shades_darken_in_order_and_keep_their_text_legible():
    fills = [ward_map.NONE_SHADE[0], *(fill for fill, _ in ward_map.SHADES)]
    luminances = [relative_luminance(fill) for fill in fills]
    assert luminances == sorted(luminances, reverse=True)  # legible in grey: lighter means fewer
    assert all(later < earlier - 0.1 for earlier, later in zip(luminances, luminances[1:], strict=False))
    for fill, ink in (ward_map.NONE_SHADE, *ward_map.SHADES):
        assert contrast(fill, ink) >= 4.5, fill


def test_the_largest_ward_is_darkest_and_a_ward_without_sessions_white():
    sessions, participants = reach_maps(
        wards(**{"14105": (5, 114, 0), "14112": (3, 63, 0), "14115": (1, 28, 0)}), id_prefix="t"
    )
    assert f'fill="{ward_map.SHADES[-1][0]}"' in tile(sessions.svg, "14105")
    assert ">5回<" in tile(sessions.svg, "14105") and ">114人<" in tile(participants.svg, "14105")
    assert f'fill="{ward_map.NONE_SHADE[0]}"' in tile(sessions.svg, "14101") and ">0回<" in tile(sessions.svg, "14101")
    assert [entry.label for entry in sessions.legend] == ["開催なし", "1〜2回", "3〜4回", "5回"]
    assert [entry.label for entry in participants.legend] == ["開催なし", "1〜50人", "51〜100人", "101〜114人"]
    assert sessions.summary.startswith("18区のうち3区に記録があります。多い順に南区5回、旭区3回、栄区1回。")
    assert sessions.title == "区別の開催回数の地図" and participants.title == "区別の参加者数の地図"


def test_unknown_participants_are_shown_as_unknown_not_zero():
    _, participants = reach_maps(wards(**{"14105": (2, 0, 2), "14114": (3, 40, 1)}), id_prefix="t")
    minami = tile(participants.svg, "14105")
    assert ">不明<" in minami and "0人" not in minami and 'fill="url(#t-participants-unknown)"' in minami
    assert ">40人※<" in tile(participants.svg, "14114")  # one of its three sessions has no count
    assert participants.legend[-1].label == "不明" and participants.legend[-1].hatched
    assert participants.notes and "※" in participants.notes[0]
    assert "不明：南区" in participants.summary


def test_the_map_is_an_image_with_a_title_and_a_summary_and_loads_nothing():
    for map_ in reach_maps(wards(**{"14105": (1, 10, 0)}), id_prefix="page"):
        svg = str(map_.svg)
        dom_id = re.search(r'<svg [^>]*id="([^"]+)"', svg).group(1)
        assert 'role="img"' in svg and f'aria-labelledby="{dom_id}-title {dom_id}-desc"' in svg
        assert f'<title id="{dom_id}-title">{map_.title}</title>' in svg
        assert f'<desc id="{dom_id}-desc">{map_.summary}</desc>' in svg
        assert svg.count('<g data-ward="') == 18
        assert "<script" not in svg and "href" not in svg and "<image" not in svg
        assert re.findall(r"https?://[^\"']+", svg) == ["http://www.w3.org/2000/svg"]  # the namespace only


def test_ward_names_are_escaped():
    rows = [WardCount("14105", "<b>南区</b>", 1, 1)]
    sessions, _ = reach_maps(rows, id_prefix="t")
    assert "<b>" not in str(sessions.svg) and "&lt;b&gt;南区" in str(sessions.svg)


def test_ward_counts_read_selector_rows_and_published_snapshots_alike():
    snapshot = [
        {"code": "14105", "name": "南区", "sessions": 2, "participants": None, "attendees_from_ward": None},
        {"code": "14117", "name": "青葉区", "sessions": 0, "participants": 0, "attendees_from_ward": 3},
        {"code": "14101", "name": "鶴見区", "sessions": 0, "participants": None, "attendees_from_ward": None},
    ]
    minami, aoba, tsurumi = ward_map.ward_counts(snapshot)
    assert (minami.participants, minami.reached) == (None, True)
    assert (aoba.participants, aoba.reached) == (0, True)
    assert (tsurumi.participants, tsurumi.reached) == (0, False)  # no session held: none, not unknown
    rows = ward_map.ward_counts([WardCount("14105", "南区", 3, 0, 3), WardCount("14114", "瀬谷区", 3, 40, 1)])
    assert [(w.participants, w.partly_known) for w in rows] == [(None, False), (40, True)]
    _, participants = reach_maps(snapshot, id_prefix="t")
    assert ">不明<" in tile(participants.svg, "14105")
