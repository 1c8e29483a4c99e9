"""Reading dates as people type them: Western (2019/5/1, 2019年5月1日) and Japanese-era
(令和元年5月1日, R1.5.1) forms, full-width digits included, with Japanese reasons for refusals.

Shared by every app: the sheet import reads its 開催日 cells with it, and admin date fields may.
The eras come from core.fiscal, the one list of them.
"""

import datetime
import functools
import re

from core.fiscal import ERAS, ERAS_BY_INITIAL, ERAS_BY_NAME
from core.text import nfkc

# 「2019/5/1(水)」「2019-05-01 0:00:00」: a weekday in brackets or a midnight time may follow the date.
_SUFFIX = re.compile(r"\s*(\([月火水木金土日](曜日?)?\))?\s*(0?0:00(:00)?)?$")
_WESTERN = re.compile(r"^(\d{4})\s*(?:[/\-.]|年)\s*(\d{1,2})\s*(?:[/\-.]|月)\s*(\d{1,2})\s*日?$")
_ERA_NAMED = re.compile(r"^(" + "|".join(ERAS_BY_NAME) + r")\s*(元|\d{1,2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
_ERA_INITIAL = re.compile(
    r"^([" + "".join(ERAS_BY_INITIAL) + r"])\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})$"
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
