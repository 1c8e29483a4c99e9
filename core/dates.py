"""Reading dates as people type them: Western (2019/5/1, 2019年5月1日) and Japanese-era
(令和元年5月1日, R1.5.1) forms, full-width digits included, with Japanese reasons for refusals.

Shared by every app: the sheet import reads its 開催日 cells with it, and admin date fields may.
The eras come from core.fiscal, the one list of them.
"""

import datetime
import functools
import re

from core.fiscal import ERAS
from core.text import nfkc

# What may follow a date: a weekday or holiday in brackets (「(水)」「（月・祝）」「(祝日)」), a time or a
# time range (「14:00」「14:00～16:00」「0:00:00」「14時30分」), in either order. The date is read; the
# rest is left to the caller (a session has no time fields).
_WEEKDAY = r"\([月火水木金土日祝休振替・曜日\s]+\)"
_TIME = r"\d{1,2}(?::\d{2}(?::\d{2})?|時(?:\d{1,2}分)?)"
_TIME_RANGE = _TIME + r"(?:\s*[~〜\-ー―]\s*" + _TIME + r")?"
_SUFFIX = re.compile(r"(?:\s*(?:" + _WEEKDAY + r"|" + _TIME_RANGE + r"))*\s*$")
_WESTERN = re.compile(r"^(\d{4})\s*(?:[/\-.]|年)\s*(\d{1,2})\s*(?:[/\-.]|月)\s*(\d{1,2})\s*日?$")
# One pattern for every era form: the name (令和), its first character (令) or initial (R), the year
# (元 or digits), then 年月日 or dots, slashes or hyphens: 令和元年5月1日, 令1.5.20, 平成31.4.30,
# R元.6.3, H31年4月30日, R01/05/01.
_ERA_SPELLINGS = {}
for _era in ERAS:
    for _spelling in (_era.name, _era.name[0], _era.romaji_initial):
        _ERA_SPELLINGS[_spelling] = _era
_ERA = re.compile(
    r"^(" + "|".join(sorted(_ERA_SPELLINGS, key=len, reverse=True)) + r")\s*(元|\d{1,2})\s*(?:年|[/\-.])"
    r"\s*(\d{1,2})\s*(?:月|[/\-.])\s*(\d{1,2})\s*日?$"
)


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


def _read_date(value):
    text = nfkc(value)
    if not text:
        raise ValueError("日付が空欄です。")
    text = _SUFFIX.sub("", text)
    if match := _WESTERN.match(text):
        year, month, day = (int(g) for g in match.groups())
        return _make_date(year, month, day)
    if match := _ERA.match(text[:1].upper() + text[1:]):
        spelling, year, month, day = match.groups()
        return _era_date(_ERA_SPELLINGS[spelling], 1 if year == "元" else int(year), int(month), int(day))
    raise ValueError(f"日付として読めません（例: 2019/5/1、令和元年5月1日、R1.5.1）: 「{text}」")


# A sheet repeats the same few dates (as written) on row after row: short cells are read once.
# A bounded cache of bounded texts; refusals (ValueError) are not cached, only dates.
_CACHED_LENGTH = 64
_read_date_cached = functools.lru_cache(maxsize=4096)(_read_date)


def parse_date(value):
    """Return the date written in a cell; raise ValueError with a Japanese reason.

    Accepts date/datetime cells (XLSX) and text such as 2019/5/1, 2019-05-01, 2019年5月1日,
    令和元年5月1日, 平成31年4月1日, 平成31.4.30, 令1.5.20, R1.5.1, R元.6.3, H31年4月30日, full-width
    digits included, followed by a weekday or holiday (（月・祝）) and a time (14:00) which are
    not part of the date. A date outside
    its era (令和元年4月1日, 平成32年1月1日) or an impossible one (13月, 2月30日) is an error.
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and len(value) <= _CACHED_LENGTH:
        return _read_date_cached(value)
    return _read_date(value)
