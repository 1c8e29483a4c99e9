"""A schematic map of Yokohama's 18 wards as inline SVG, shaded by one figure a ward (drawn here, no network).

Each ward is a tile placed roughly where it lies (north up, Tokyo Bay to the east), so that a
reader sees at a glance which parts of the city the work reached. The shades run from white to
dark blue with falling lightness, so that they stay in order when printed in grey; every tile
also writes its value, and a ward whose participants are unknown is hatched and says 不明
(never 0). The map is an image (role="img" with a title and a summary); the page's ward table
beside it is the text alternative with every figure.

Used by the public year page and the staff dashboard (portal.public, portal.dashboard).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

# Ward code → (column, row) of its tile; north at the top, the bay to the east (right).
TILES = {
    "14117": (1, 0),  # 青葉区
    "14118": (2, 0),  # 都筑区
    "14109": (3, 0),  # 港北区
    "14101": (4, 0),  # 鶴見区
    "14113": (1, 1),  # 緑区
    "14106": (2, 1),  # 保土ケ谷区
    "14102": (3, 1),  # 神奈川区
    "14114": (0, 2),  # 瀬谷区
    "14112": (1, 2),  # 旭区
    "14105": (2, 2),  # 南区
    "14103": (3, 2),  # 西区
    "14104": (4, 2),  # 中区
    "14116": (0, 3),  # 泉区
    "14110": (1, 3),  # 戸塚区
    "14111": (2, 3),  # 港南区
    "14107": (3, 3),  # 磯子区
    "14115": (2, 4),  # 栄区
    "14108": (3, 4),  # 金沢区
}
COLUMNS, ROWS = 5, 5
TILE_WIDTH, TILE_HEIGHT, GAP, MARGIN = 100, 58, 6, 4
WIDTH = MARGIN * 2 + COLUMNS * TILE_WIDTH + (COLUMNS - 1) * GAP
HEIGHT = MARGIN * 2 + ROWS * TILE_HEIGHT + (ROWS - 1) * GAP

# (fill, text colour): white for none, then four blues whose lightness falls step by step
# (relative luminance 1.0, 0.81, 0.54, 0.26, 0.08); text contrast is at least 4.5:1 on each.
NONE_SHADE = ("#ffffff", "#1a1a1a")
SHADES = (("#deebf7", "#1a1a1a"), ("#9ecae1", "#1a1a1a"), ("#4292c6", "#1a1a1a"), ("#08519c", "#ffffff"))
UNKNOWN_FILL, UNKNOWN_LINE = "#ffffff", "#8c8c8c"
BORDER = "#6b6b6b"
MUTED = "#595959"
# Class widths the legend can show: 1〜2回, 1〜50人, 51〜100人…
NICE_STEPS = (1, 2, 3, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000)
PARTLY_UNKNOWN_MARK = "※"
NONE = "開催なし"  # the legend's white tiles: no session was held in the ward


@dataclass(frozen=True)
class WardValue:
    """One ward's figure on a map: `value` None when unknown; `partly_known` when some of it is unknown."""

    code: str
    name: str
    value: int | None
    partly_known: bool = False


@dataclass(frozen=True)
class LegendEntry:
    label: str
    fill: str
    hatched: bool = False


@dataclass(frozen=True)
class WardMap:
    """A rendered map: its title, the SVG, the legend entries and notes, and a one-paragraph summary."""

    title: str
    svg: str
    legend: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    summary: str = ""


def class_bounds(maximum, classes=None):
    """Return [(low, high)] of at most `classes` equal classes of width a nice step covering 1..`maximum`.

    `classes` defaults to the number of shades. Empty when `maximum` is 0: every ward is then none.
    """
    classes = classes or len(SHADES)
    if maximum <= 0:
        return []
    step = next((s for s in NICE_STEPS if s * classes >= maximum), -(-maximum // classes))
    bounds, low = [], 1
    while low <= maximum:
        bounds.append((low, low + step - 1))
        low += step
    return bounds


def _shade_of(value, bounds):
    """Return the (fill, text) of `value`: the darkest shade for the top class, lighter ones below it."""
    if not value:
        return NONE_SHADE
    index = next(i for i, (low, high) in enumerate(bounds) if low <= value <= high)
    return SHADES[len(SHADES) - len(bounds) + index]


def _range_label(low, high, maximum, unit):
    high = min(high, maximum)
    return f"{low:,}{unit}" if low == high else f"{low:,}〜{high:,}{unit}"


def _tile(ward, bounds, unit, pattern_id):
    column, row = TILES[ward.code]
    x = MARGIN + column * (TILE_WIDTH + GAP)
    y = MARGIN + row * (TILE_HEIGHT + GAP)
    if ward.value is None:
        fill, ink, text = f"url(#{pattern_id})", "#1a1a1a", "不明"
    else:
        fill, ink = _shade_of(ward.value, bounds)
        text = f"{ward.value:,}{unit}" + (PARTLY_UNKNOWN_MARK if ward.partly_known else "")
    # A white halo keeps the text legible over the hatching.
    halo = ' stroke="#ffffff" stroke-width="4" paint-order="stroke"' if ward.value is None else ""
    return format_html(
        '<g data-ward="{code}"><rect x="{x}" y="{y}" width="{w}" height="{h}" rx="4" fill="{fill}" '
        'stroke="{border}" stroke-width="1"/>'
        '<text x="{cx}" y="{ny}" fill="{ink}" font-size="17" font-weight="bold" text-anchor="middle"{halo}>'
        "{name}</text>"
        '<text x="{cx}" y="{vy}" fill="{ink}" font-size="16" text-anchor="middle"{halo}>{text}</text></g>',
        code=ward.code,
        x=x,
        y=y,
        w=TILE_WIDTH,
        h=TILE_HEIGHT,
        fill=fill,
        border=BORDER,
        cx=x + TILE_WIDTH // 2,
        ny=y + 25,
        vy=y + 48,
        ink=ink,
        name=ward.name,
        text=text,
        halo=mark_safe(halo),  # noqa: S308 - a constant
    )


def _summary(wards, unit):
    """Return the map's text summary: how many wards have a value, the three largest, the unknown ones."""
    known = sorted((w for w in wards if w.value), key=lambda w: (-w.value, w.code))
    unknown = [w.name for w in wards if w.value is None]
    parts = [f"18区のうち{len(known) + len(unknown)}区に記録があります"]
    if known:
        parts.append("多い順に" + "、".join(f"{w.name}{w.value:,}{unit}" for w in known[:3]))
    if unknown:
        parts.append("不明：" + "、".join(unknown))
    return "。".join(parts) + "。各区の数値は表のとおりです。"


def ward_map(*, wards, title, unit, dom_id, none_label=NONE):
    """Return the WardMap of `wards` (WardValue, one a ward): tiles shaded in classes of their values.

    `dom_id` makes the SVG's ids unique on the page; `none_label` names the white tiles in the legend.
    """
    wards = [w for w in wards if w.code in TILES]
    maximum = max((w.value or 0 for w in wards), default=0)
    bounds = class_bounds(maximum)
    pattern_id = f"{dom_id}-unknown"
    summary = _summary(wards, unit)
    tiles = format_html_join("", "{}", ((_tile(w, bounds, unit, pattern_id),) for w in wards))
    svg = format_html(
        '<svg class="ward-map-svg" id="{id}" viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" focusable="false" xmlns="http://www.w3.org/2000/svg" '
        'font-family="&quot;Noto Sans CJK JP&quot;, &quot;Noto Sans JP&quot;, Meiryo, sans-serif">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{summary}</desc>'
        '<defs><pattern id="{pattern}" patternUnits="userSpaceOnUse" width="8" height="8" '
        'patternTransform="rotate(45)"><rect width="8" height="8" fill="{unknown_fill}"/>'
        '<line x1="0" y1="0" x2="0" y2="8" stroke="{unknown_line}" stroke-width="3"/></pattern></defs>'
        '<text x="{margin}" y="22" fill="{muted}" font-size="14">↑北</text>'
        '<text x="{sea_x}" y="{sea_y}" fill="{muted}" font-size="14" text-anchor="middle">東京湾</text>'
        "{tiles}</svg>",
        id=dom_id,
        width=WIDTH,
        height=HEIGHT,
        title=title,
        summary=summary,
        pattern=pattern_id,
        unknown_fill=UNKNOWN_FILL,
        unknown_line=UNKNOWN_LINE,
        margin=MARGIN + 4,
        muted=MUTED,
        sea_x=MARGIN + 4 * (TILE_WIDTH + GAP) + TILE_WIDTH // 2,
        sea_y=MARGIN + 3 * (TILE_HEIGHT + GAP) + TILE_HEIGHT // 2 + 5,
        tiles=tiles,
    )
    legend = [LegendEntry(none_label, NONE_SHADE[0])]
    legend += [LegendEntry(_range_label(low, high, maximum, unit), _shade_of(low, bounds)[0]) for low, high in bounds]
    notes = []
    if any(w.value is None for w in wards):
        legend.append(LegendEntry("不明", UNKNOWN_FILL, hatched=True))
    if any(w.partly_known for w in wards):
        notes.append(f"{PARTLY_UNKNOWN_MARK}は人数が記録されていない回を含む区です（記録のある回の合計を表示）。")
    return WardMap(title=title, svg=svg, legend=legend, notes=notes, summary=summary)


@dataclass(frozen=True)
class WardCount:
    """One ward's reach as the maps and the ward table show it; `participants` is None when unknown."""

    code: str
    name: str
    sessions: int
    participants: int | None
    sessions_without_count: int = 0  # sessions held in the ward whose participant count is unknown
    attendees_from_ward: int | None = None  # attendance rows from the ward (None: no roster)

    @property
    def reached(self):
        """A ward is reached when a session was held there or someone from it attended."""
        return self.sessions > 0 or bool(self.attendees_from_ward)

    @property
    def partly_known(self):
        """True when the participants are known for some, not all, of the ward's sessions."""
        return 0 < self.sessions_without_count < self.sessions


def _read(row, name, default=None):
    """Return the field `name` of a ward row: an object (selectors.WardRow) or a dict (a published snapshot)."""
    return row.get(name, default) if isinstance(row, Mapping) else getattr(row, name, default)


def ward_counts(rows):
    """Return a WardCount per ward row (selectors.WardRow, WardCount or a snapshot's dict), in the given order.

    The participants are None (不明) where sessions were held and none has a known count, whether
    the row says so with None or with a zero beside `sessions_without_count`.
    """
    counts = []
    for row in rows:
        sessions = _read(row, "sessions") or 0
        without_count = _read(row, "sessions_without_count") or 0
        participants = _read(row, "participants")
        if sessions and without_count >= sessions:
            participants = None
        counts.append(
            WardCount(
                code=_read(row, "code"),
                name=_read(row, "name"),
                sessions=sessions,
                participants=participants if participants is not None or sessions else 0,
                sessions_without_count=without_count,
                attendees_from_ward=_read(row, "attendees_from_ward"),
            )
        )
    return counts


def reach_maps(wards, *, id_prefix):
    """Return two WardMaps of the ward rows `wards` (any shape ward_counts reads).

    The first is shaded by the sessions held in each ward, the second by their participants
    (shown 不明 where sessions were held and none has a known count).
    """
    wards = ward_counts(wards)
    sessions = [WardValue(w.code, w.name, w.sessions) for w in wards]
    participants = [WardValue(w.code, w.name, w.participants, partly_known=w.partly_known) for w in wards]
    return [
        ward_map(wards=sessions, title="区別の開催回数の地図", unit="回", dom_id=f"{id_prefix}-sessions"),
        ward_map(wards=participants, title="区別の参加者数の地図", unit="人", dom_id=f"{id_prefix}-participants"),
    ]
