"""The columns of the three sheet kinds and how their headers are recognised (Japanese or English)."""

import re
from dataclasses import dataclass

from core.text import compact_key
from trainings.uploads import SheetKind


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


NO = Column("no", "No.", ("no", "番号", "連番", "通し番号", "#", "no.", "受付番号"))
NAME = Column("name", "氏名", ("氏名", "名前", "お名前", "name", "fullname"), required=True, max_length=100)
KANA = Column(
    "name_kana",
    "ふりがな",
    ("ふりがな", "フリガナ", "よみがな", "ヨミガナ", "かな", "カナ", "kana", "furigana"),
    max_length=100,
)
# 姓 and 名 (and their readings せい, めい) in two columns: joined with a space into 氏名 / ふりがな.
FAMILY = Column("family_name", "姓", ("姓", "氏", "苗字", "名字"), max_length=50)
GIVEN = Column("given_name", "名", ("名",), max_length=50)
FAMILY_KANA = Column("family_kana", "せい", ("せい", "セイ"), max_length=50)
GIVEN_KANA = Column("given_kana", "めい", ("めい", "メイ"), max_length=50)
# One 「氏名（ふりがな）」 column holding 「髙橋 一郎（たかはし いちろう）」: split into name and reading.
NAME_WITH_KANA = Column("name_with_kana", "氏名（ふりがな）", (), max_length=200)
ORGANIZATION = Column(
    "organization",
    "所属",
    (
        "所属",
        "所属団体",
        "所属先",
        "団体名",
        "団体",
        "所属団体名",
        "所属・団体名",
        "所属先名",
        "organization",
        "affiliation",
    ),
    max_length=200,
)
WARD = Column("ward", "区", ("区", "区名", "ward"))
ROLE = Column("role", "役職", ("役職", "役職名", "職名", "role", "position"), max_length=100)
NOTE = Column("note", "備考", ("備考", "メモ", "note", "notes", "remarks"), max_length=300)
DATE = Column(
    "date", "開催日", ("開催日", "日付", "実施日", "開催年月日", "日時", "開催日時", "実施日時", "date"), required=True
)
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
# Columns also read in participant sheets, standing in for 氏名 / ふりがな (not listed as headers to use).
NAME_PARTS = (FAMILY, GIVEN, FAMILY_KANA, GIVEN_KANA, NAME_WITH_KANA)
# Columns the portal itself writes (error lists, exports) and ignores when such a file comes back.
ERROR_COLUMN = "エラー内容"
LINE_COLUMN = "元の行番号"
ROWS_COLUMN = "名簿の人数"
IGNORED = (ERROR_COLUMN, LINE_COLUMN, ROWS_COLUMN, "年度")


def column_letter(index):
    """Return the column letter Excel shows for the 0-based column `index` (0 → 'A', 27 → 'AB')."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


_DECORATION = re.compile(r"\(.*?\)|[.:*※]")


def header_key(text):
    """Return the form in which headers are compared: NFKC, no spaces, lower case, no (注記) or marks."""
    return _DECORATION.sub("", compact_key(text).lower())


_ALIASES = {}
# In a fixed order, the first column to claim a spelling keeps it. 氏名（ふりがな） is recognised by its
# bracket (_bracketed_column), never by its label, which header_key would read as 氏名. Headers whose
# (注記) is part of the name are matched exactly: 研修名（よみ） is the reading, not 研修名.
_EXACT = {}
for _column in dict.fromkeys([*(c for columns in COLUMNS.values() for c in columns), *NAME_PARTS]):
    if _column is NAME_WITH_KANA:
        continue
    for _alias in (_column.label, *_column.aliases):
        if _column.key == "title_kana" and _DECORATION.search(compact_key(_alias)):
            _EXACT[compact_key(_alias).lower()] = _column
        else:
            _ALIASES.setdefault(header_key(_alias), _column)
_IGNORED_KEYS = {header_key(name) for name in IGNORED}


# A two-row header is read as 「parent › child」 (trainings.importing.tables). Words under a merged
# parent that say which part of it a column holds: 氏名 › 漢字 is the name, 氏名 › ふりがな its reading.
SEPARATOR = " › "
SUB_LABELS_SAME = {"漢字", "氏名", "名前", "漢字氏名", "全角"}
SUB_LABELS_KANA = {"ふりがな", "フリガナ", "かな", "カナ", "よみ", "読み", "よみがな", "ヨミガナ", "半角カナ"}


def _two_row_column(header):
    parent, child = header.split(SEPARATOR, 1)
    if known := column_for(child):
        return known
    parent_column = column_for(parent)
    child_key = compact_key(child)
    if parent_column is NAME and child_key in SUB_LABELS_KANA:
        return KANA
    if isinstance(parent_column, Column):
        return parent_column
    return column_for(parent + child)


_BRACKETS = re.compile(r"^(.+?)\((.+)\)$")


def _bracketed_column(header):
    """Return what a header with a bracket names when the bracket says it (氏名（ふりがな）), else None.

    Brackets are read, not stripped: 「氏名（ふりがな）」 is the name with its reading (one column
    holding both, or the reading beside a 氏名 column: map_headers decides), 「姓（ふりがな）」 is
    せい. A bracket that names nothing (「参加者数（人）」「所属（団体名）」) is a note on the header.
    """
    match = _BRACKETS.match(compact_key(header).lower())
    if not match:
        return None
    outer, inner = _ALIASES.get(header_key(match[1])), _ALIASES.get(header_key(match[2]))
    if inner is KANA:
        return {NAME: NAME_WITH_KANA, FAMILY: FAMILY_KANA, GIVEN: GIVEN_KANA}.get(outer)
    return None


def column_for(header, remembered=None, kind=None):
    """Return the Column a header cell names, None if none, IGNORED for portal-written ones, or SKIP.

    A two-row header 「氏名 › ふりがな」 names what its second row names, or else what its first row does.
    The built-in names come first; `remembered` (a Remembered, the mappings staff chose for headers
    the portal does not know) is consulted after them, for `kind` or for any kind when None. SKIP
    is what a header chosen as 「取り込まない」 names.
    """
    column = _builtin_column_for(header)
    if column is None and remembered is not None:
        column = remembered.column(header, kind)
    return column


def _builtin_column_for(header):
    if SEPARATOR in header:
        return _two_row_column(header)
    exact = _EXACT.get(compact_key(header).lower())
    if exact is not None:
        return exact
    if bracketed := _bracketed_column(header):
        return bracketed
    key = header_key(header)
    if key in _IGNORED_KEYS:
        return IGNORED
    return _ALIASES.get(key)


def detect_kind(headers, remembered=None):
    """Return the SheetKind the headers describe (built-in names, then `remembered`), or None when none."""
    keys = {column.key for h in headers if isinstance(column := column_for(h, remembered), Column)}
    if keys & {"family_name", "name_with_kana"}:
        keys.add("name")
    if keys & {"headcount", "category", "host", "venue", "audience"}:
        return SheetKind.SESSIONS
    if "name" in keys and {"date", "title"} <= keys:
        return SheetKind.PARTICIPANTS_MULTI
    if "name" in keys:
        return SheetKind.PARTICIPANTS
    return None


def detect_sheet_kind(sheet):
    """Return the SheetKind of a read Sheet: that of its first table whose headers describe one (None if none)."""
    for part in sheet.parts:
        if kind := detect_kind(part.headers, part.mappings):
            return kind
    return None


# Headers that name a date and its times at once: the date, unless another column gives the date.
DATE_AND_TIME_KEYS = {header_key(text) for text in ("日時", "開催日時", "実施日時")}


# Where a header's meaning comes from, as the preview's 「見出しの対応」 says it.
AUTO = "自動"
REMEMBERED = "登録済みの対応"
CHOOSE = "要選択"
# What a header chosen as 「取り込まない」 names (trainings.importing.mappings keeps such choices).
SKIP = "skip"
SKIP_LABEL = "取り込まない"


@dataclass(frozen=True)
class HeaderUse:
    """How one header of a table was read: its column letter, the header as written, what it names, why."""

    index: int
    header: str
    column: Column | None  # None: not imported
    source: str  # AUTO, REMEMBERED or CHOOSE
    sheet: str = ""  # the worksheet's name (XLSX)
    empty: bool = False  # a column not imported that no data row fills (not asked of imported columns)

    @property
    def letter(self):
        return column_letter(self.index)

    @property
    def meaning(self):
        """Return what the column is imported as: 「氏名」, 「取り込まない」, or '' while it is to be chosen."""
        if self.column is not None:
            return self.column.label
        if self.source == CHOOSE:
            return ""
        return f"{SKIP_LABEL}（データなし）" if self.empty and self.source == AUTO else SKIP_LABEL


def allowed_columns(kind):
    """Return the Columns a sheet of `kind` reads (with 姓, 名, せい, めい for participant sheets)."""
    return COLUMNS[kind] + (NAME_PARTS if NAME in COLUMNS[kind] else ())


def unknown_headers_message(kind, unknown):
    """Return the sentence asking which column the headers `unknown` (as written) are, for the admin and the command."""
    shown = [f"「{h if len(h) <= 20 else h[:20] + '…'}」" for h in unknown]
    listed = "、".join(shown[:5]) + (f" ほか{len(shown) - 5}列" if len(shown) > 5 else "")
    return (
        f"見出し{listed}は「{kind.label}」の列ではありません。"
        f"どの列にあたるか、または「{SKIP_LABEL}」を選んでください（画面では「見出しの対応」の表で、"
        'コマンドでは --map "見出し=列名" で。選んだ対応は次の取込でも使います）。'
        f"使える見出し: {'、'.join(c.display for c in COLUMNS[kind])}。"
    )


def map_headers(headers, kind, has_data, remembered=None):
    """Return ({column key: index}, [errors]) for a sheet of `kind` (see map_sheet_headers)."""
    positions, errors, _ = map_sheet_headers(headers, kind, has_data, remembered)
    return positions, errors


def _meanings(headers, kind, allowed, remembered):
    """Return [(Column, SKIP or None, source)] of each header: built-in names first, then `remembered`."""
    columns = [column_for(header) if header_key(header) else None for header in headers]
    if TIME in allowed and columns.count(DATE) > 1:
        # 日時 beside 開催日 holds the times (「14:00～16:00」); alone, 日時 is the date (with its times).
        columns = [
            TIME if column is DATE and header_key(header) in DATE_AND_TIME_KEYS else column
            for header, column in zip(headers, columns, strict=True)
        ]
    meanings = []
    for header, column in zip(headers, columns, strict=True):
        source = AUTO
        # A header the portal does not know (or that names a column of other kinds): staff's choice.
        unknown = column is None or (isinstance(column, Column) and column not in allowed)
        if unknown and remembered is not None and (chosen := remembered.column(header, kind)):
            column, source = chosen, REMEMBERED
        meanings.append((column, source))
    return meanings


def map_sheet_headers(headers, kind, has_data, remembered=None, sheet_name=""):
    """Return ({column key: index}, [errors], [HeaderUse of every header]) for a table of `kind`.

    `has_data(index)` tells whether any data row fills column `index`, so that an empty header
    over an empty column (Excel often leaves one) is ignored, and an unknown header over an empty
    column is not imported without a question (nothing is lost). An unknown header over data is
    CHOOSE and an error until staff choose its column or 「取り込まない」 (`remembered` holds the
    choices made before). Errors name the offending headers.
    """
    allowed = allowed_columns(kind)
    positions, errors, unknown, uses = {}, [], [], []
    for index, (header, (column, source)) in enumerate(
        zip(headers, _meanings(headers, kind, allowed, remembered), strict=True)
    ):
        if header_key(header) == "":
            if has_data(index):
                errors.append(
                    f"{column_letter(index)}列の見出しが空欄ですが、データが入っています。見出しを付けてください。"
                )
            continue
        if column is IGNORED or column == SKIP:
            uses.append(HeaderUse(index, header, None, source, sheet_name, empty=not has_data(index)))
            continue
        if column not in allowed:
            if not has_data(index):
                uses.append(HeaderUse(index, header, None, source, sheet_name, empty=True))
            else:
                uses.append(HeaderUse(index, header, None, CHOOSE, sheet_name))
                unknown.append(header)
            continue
        # An imported column is read whether or not it holds data: has_data is not asked, so a
        # sheet whose headers are all known and filled is not read through once more for it.
        uses.append(HeaderUse(index, header, column, source, sheet_name))
        if column.key in positions:
            how = (
                f"{column_letter(index)}列は登録済みの対応によります。対応は管理画面の「見出しの対応」で削除できます"
                if source == REMEMBERED
                else "どちらかの見出しを直してください"
            )
            errors.append(
                f"「{column.label}」にあたる列が2つあります（{column_letter(positions[column.key])}列と"
                f"{column_letter(index)}列）。{how}。"
            )
            continue
        positions[column.key] = index
    if unknown:
        errors.append(unknown_headers_message(kind, unknown))
    _resolve_name_columns(positions, errors)
    missing = [f"「{c.label}」" for c in allowed if c.required and c.key not in positions]
    if missing:
        errors.append(f"必須の列{'、'.join(missing)}がありません（見出しの行に、その列の見出しを付けてください）。")
    return positions, errors, uses


def _resolve_name_columns(positions, errors):
    """Settle which columns give 氏名 and ふりがな: 氏名（ふりがな） beside 氏名 is the reading; alone it holds
    both (positions["name_split"]); 姓 + 名 stand for 氏名 and せい + めい for ふりがな.
    """
    if "name_with_kana" in positions:
        index = positions.pop("name_with_kana")
        if "name" in positions or "family_name" in positions:
            if "name_kana" in positions:
                errors.append(
                    f"「ふりがな」にあたる列が2つあります（{column_letter(positions['name_kana'])}列と"
                    f"{column_letter(index)}列）。どちらかの見出しを直してください。"
                )
            positions["name_kana"] = index
        else:
            positions["name"] = positions["name_split"] = index
    if "name" in positions and "family_name" in positions:
        errors.append("「氏名」の列と「姓」の列の両方があります。どちらか一方にしてください。")
    elif "family_name" in positions:
        positions["name"] = positions["family_name"]  # 氏名 is 姓 + 名 (participants.joined_name)
