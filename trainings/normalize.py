"""Normalising values typed into Excel sheets: dates (西暦・和暦), wards, numbers, organisation names.

NFKC folding (full-width digits → ASCII, half-width kana → full-width) is applied to numbers,
dates, codes and ward names only. Personal names are never folded: 髙 stays 髙 and ① stays ①.
"""

import datetime
import functools
import re
import unicodedata

from core.fiscal import ERAS, ERAS_BY_INITIAL, ERAS_BY_NAME

_SPACES = re.compile(r"\s+")
# 「2019/5/1(水)」「2019-05-01 0:00:00」: a weekday in brackets or a midnight time may follow the date.
_SUFFIX = re.compile(r"\s*(\([月火水木金土日](曜日?)?\))?\s*(0?0:00(:00)?)?$")
_WESTERN = re.compile(r"^(\d{4})\s*(?:[/\-.]|年)\s*(\d{1,2})\s*(?:[/\-.]|月)\s*(\d{1,2})\s*日?$")
_ERA_NAMED = re.compile(r"^(" + "|".join(ERAS_BY_NAME) + r")\s*(元|\d{1,2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
_ERA_INITIAL = re.compile(
    r"^([" + "".join(ERAS_BY_INITIAL) + r"])\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})$"
)


def nfkc(value):
    """Return `value` as text, NFKC-folded and stripped ('' for None)."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def compact_key(value):
    """Return the matching key of a name: NFKC-folded, without any spaces (for organisations, headers)."""
    return _SPACES.sub("", nfkc(value))


def _era_end(era):
    """Return the last day of `era` (None for the current era)."""
    index = ERAS.index(era)
    if index == 0:
        return None
    return ERAS[index - 1].start - datetime.timedelta(days=1)


def _make_date(year, month, day):
    if not 1 <= month <= 12:
        raise ValueError(f"{month}月という月はありません。")
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"{year}年{month}月に{day}日はありません。") from None


def _era_date(era, era_year, month, day):
    if era_year < 1:
        raise ValueError(f"{era.name}{era_year}年という年はありません。")
    date = _make_date(era.start.year + era_year - 1, month, day)
    if date < era.start:
        raise ValueError(f"{era.name}は{era.start.year}年{era.start.month}月{era.start.day}日からです。")
    end = _era_end(era)
    if end and date > end:
        raise ValueError(f"{era.name}は{end.year}年{end.month}月{end.day}日までです。")
    return date


@functools.lru_cache(maxsize=4096)
def _parse_date_text(text):
    text = _SUFFIX.sub("", nfkc(text))
    if match := _WESTERN.match(text):
        year, month, day = (int(g) for g in match.groups())
        return _make_date(year, month, day)
    if match := _ERA_NAMED.match(text):
        name, year, month, day = match.groups()
        return _era_date(ERAS_BY_NAME[name], 1 if year == "元" else int(year), int(month), int(day))
    if match := _ERA_INITIAL.match(text.upper()):
        initial, year, month, day = match.groups()
        return _era_date(ERAS_BY_INITIAL[initial], int(year), int(month), int(day))
    raise ValueError(f"日付として読めません（例: 2019/5/1、令和元年5月1日、R1.5.1）: 「{text}」")


def parse_date(value):
    """Return the date written in a cell; raise ValueError with a Japanese reason.

    Accepts date/datetime cells (XLSX) and text such as 2019/5/1, 2019-05-01, 2019年5月1日,
    令和元年5月1日, 平成31年4月1日, R1.5.1, H31.4.1, full-width digits included. A date outside
    its era (令和元年4月1日, 平成32年1月1日) or an impossible one (13月, 2月30日) is an error.
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = nfkc(value)
    if not text:
        raise ValueError("日付が空欄です。")
    return _parse_date_text(text)


# Far above any real session (the whole program has about 1,800 participants a year) and within
# every database's integer column: a larger figure is a typing error, not a headcount.
MAX_COUNT = 1_000_000


def _shown(text, limit=20):
    return text if len(text) <= limit else text[:limit] + "…"


def parse_count(value):
    """Return a whole number 0…MAX_COUNT from a cell ('25', '２５', '1,234', '25人'); None when blank.

    Anything else raises ValueError with a Japanese reason.
    """
    if isinstance(value, bool):
        raise ValueError("人数は0以上の整数で入力してください。")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"人数は整数で入力してください: 「{value}」")
        number = int(value)
    else:
        text = nfkc(value).replace(",", "").removesuffix("人").strip()
        if not text:
            return None
        if not re.fullmatch(r"-?\d+", text):
            raise ValueError(f"人数は0以上の整数で入力してください: 「{_shown(nfkc(value))}」")
        if len(text.lstrip("-0")) > len(str(MAX_COUNT)):
            # Checked before int(): Python refuses to convert more than 4,300 digits (in English).
            raise ValueError(f"人数が大きすぎます（{MAX_COUNT:,}人まで）: 「{_shown(text)}」")
        number = int(text)
    if number < 0:
        raise ValueError(f"人数は0以上の整数で入力してください: 「{number}」")
    if number > MAX_COUNT:
        raise ValueError(f"人数が大きすぎます（{MAX_COUNT:,}人まで）: 「{_shown(str(number))}」")
    return number


def ward_key(value):
    """Return the ward name a cell means, in the official spelling ('南' → '南区'); '' when blank.

    '横浜市南区', '南 区', '保土ヶ谷' are all understood; whether the ward exists is the caller's check.
    """
    text = compact_key(value).replace("ヶ", "ケ").replace("ヵ", "ケ")
    text = text.removeprefix("神奈川県").removeprefix("横浜市")
    if not text:
        return ""
    if text.isdigit():
        return text  # a local-government code such as 14105
    return text if text.endswith("区") else text + "区"
