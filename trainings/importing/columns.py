"""The columns of the three sheet kinds and how their headers are recognised (Japanese or English)."""

import re
from dataclasses import dataclass

from core.text import compact_key
from trainings.models import SheetKind


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    aliases: tuple[str, ...]
    required: bool = False
    max_length: int | None = None

    @property
    def display(self):
        return f"{self.label}（必須）" if self.required else self.label


NO = Column("no", "No.", ("no", "番号", "連番", "通し番号", "#"))
NAME = Column("name", "氏名", ("氏名", "名前", "お名前", "name", "fullname"), required=True, max_length=100)
KANA = Column(
    "name_kana",
    "ふりがな",
    ("ふりがな", "フリガナ", "よみがな", "ヨミガナ", "かな", "カナ", "kana", "furigana"),
    max_length=100,
)
ORGANIZATION = Column(
    "organization",
    "所属",
    ("所属", "所属団体", "所属先", "団体名", "団体", "organization", "affiliation"),
    max_length=200,
)
WARD = Column("ward", "区", ("区", "区名", "ward"))
ROLE = Column("role", "役職", ("役職", "役職名", "職名", "role", "position"), max_length=100)
NOTE = Column("note", "備考", ("備考", "メモ", "note", "notes", "remarks"), max_length=300)
DATE = Column("date", "開催日", ("開催日", "日付", "実施日", "開催年月日", "date"), required=True)
TITLE = Column("title", "研修名", ("研修名", "研修", "研修名称", "title", "session"), required=True, max_length=200)
TITLE_KANA = Column(
    "title_kana",
    "研修名（よみ）",
    ("研修名（よみ）", "研修名（読み）", "研修名（カナ）", "研修名よみ", "研修名カナ", "イベント名_カナ", "title_kana"),
    max_length=300,
)
TIME = Column("time", "日時", ("日時", "時間", "開催時間", "時刻", "time"))
CATEGORY = Column("category", "区分", ("区分", "研修区分", "category"))
HOST = Column("host", "主催", ("主催", "主催者", "主催局", "host", "organizer"))
AUDIENCE = Column("audience", "対象", ("対象", "対象者", "audience"), max_length=200)
VENUE = Column("venue", "会場", ("会場", "場所", "開催場所", "venue", "place"), max_length=200)
HEADCOUNT = Column("headcount", "参加者数", ("参加者数", "参加人数", "人数", "headcount", "participants"))

COLUMNS = {
    SheetKind.PARTICIPANTS: (NO, NAME, KANA, ORGANIZATION, WARD, ROLE, NOTE),
    SheetKind.PARTICIPANTS_MULTI: (DATE, TITLE, NO, NAME, KANA, ORGANIZATION, WARD, ROLE, NOTE),
    SheetKind.SESSIONS: (DATE, TITLE, TITLE_KANA, TIME, CATEGORY, HOST, AUDIENCE, WARD, VENUE, HEADCOUNT),
}
# Columns the portal itself writes (error lists, exports) and ignores when such a file comes back.
ERROR_COLUMN = "エラー内容"
LINE_COLUMN = "元の行番号"
ROWS_COLUMN = "名簿の人数"
IGNORED = (ERROR_COLUMN, LINE_COLUMN, ROWS_COLUMN, "年度")

_DECORATION = re.compile(r"\(.*?\)|[.:*※]")


def header_key(text):
    """Return the form in which headers are compared: NFKC, no spaces, lower case, no (注記) or marks."""
    return _DECORATION.sub("", compact_key(text).lower())


_ALIASES = {}
# Headers whose (注記) is part of the name: 研修名（よみ） is not 研修名.
_EXACT = {}
for _column in {c for columns in COLUMNS.values() for c in columns}:
    for _alias in (_column.label, *_column.aliases):
        if _DECORATION.search(compact_key(_alias)) and _column.key == "title_kana":
            _EXACT[compact_key(_alias).lower()] = _column
        else:
            _ALIASES[header_key(_alias)] = _column
_IGNORED_KEYS = {header_key(name) for name in IGNORED}


def column_for(header):
    """Return the Column a header cell names (any kind), None if none, or IGNORED for portal-written ones."""
    exact = _EXACT.get(compact_key(header).lower())
    if exact is not None:
        return exact
    key = header_key(header)
    if key in _IGNORED_KEYS:
        return IGNORED
    return _ALIASES.get(key)


def detect_kind(headers):
    """Return the SheetKind the headers describe, or None when they describe none."""
    keys = {column.key for column in map(column_for, headers) if isinstance(column, Column)}
    if keys & {"headcount", "category", "host", "venue", "audience"}:
        return SheetKind.SESSIONS
    if "name" in keys and {"date", "title"} <= keys:
        return SheetKind.PARTICIPANTS_MULTI
    if "name" in keys:
        return SheetKind.PARTICIPANTS
    return None


def map_headers(headers, kind, has_data):
    """Return ({column key: index}, [errors]) for a sheet of `kind`.

    `has_data(index)` tells whether any data row fills column `index`, so that an empty header
    over an empty column (Excel often leaves one) is ignored. Errors name the offending headers.
    """
    allowed = COLUMNS[kind]
    positions, errors, unknown = {}, [], []
    for index, header in enumerate(headers):
        if header_key(header) == "":
            if has_data(index):
                errors.append(f"{index + 1}列目の見出しが空欄ですが、データが入っています。見出しを付けてください。")
            continue
        column = column_for(header)
        if column is IGNORED:
            continue
        if column not in allowed:
            shown = header if len(header) <= 20 else header[:20] + "…"
            unknown.append(f"「{shown}」")
            continue
        if column.key in positions:
            errors.append(
                f"「{column.label}」にあたる列が2つあります（{positions[column.key] + 1}列目と{index + 1}列目）。"
            )
            continue
        positions[column.key] = index
    if unknown:
        listed = "、".join(unknown[:5]) + (f" ほか{len(unknown) - 5}列" if len(unknown) > 5 else "")
        errors.append(
            f"見出し{listed}は「{kind.label}」の列ではありません。"
            f"使える見出し: {'、'.join(c.display for c in allowed)}。"
        )
    missing = [f"「{c.label}」" for c in allowed if c.required and c.key not in positions]
    if missing:
        errors.append(f"必須の列{'、'.join(missing)}がありません（見出し行は1行目に置いてください）。")
    return positions, errors
