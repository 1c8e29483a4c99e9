"""Fiscal years (April–March) and Japanese era (和暦) helpers.

A fiscal year is named by the calendar year in which it starts: FY2018 runs from
2018-04-01 to 2019-03-31.

A fiscal year's era label follows official usage: it takes the era of the calendar year
in which the fiscal year starts, and a calendar year in which an era changed is named by
the new era. So FY2019 (2019-04-01 … 2020-03-31) is 令和元年度 although April 2019 was
still 平成31年, and FY1988 stays 昭和63年度 because 1988 was wholly 昭和.
"""

import datetime
from dataclasses import dataclass

# The fiscal years the records can hold: the one definition of the range (validators, URL
# converter, dashboard switcher and commands read these). The program started in FY2016;
# older records may be entered for context, and a few years ahead are allowed for plans.
FIRST_FISCAL_YEAR = 1989
LAST_FISCAL_YEAR = 2100


def is_allowed_fiscal_year(fy):
    """Return whether `fy` (an int) lies within FIRST_FISCAL_YEAR…LAST_FISCAL_YEAR."""
    return FIRST_FISCAL_YEAR <= fy <= LAST_FISCAL_YEAR


@dataclass(frozen=True)
class Era:
    name: str
    romaji_initial: str
    start: datetime.date

    def year_of(self, calendar_year):
        """Return the era year (1 = 元年) for a calendar year within this era."""
        return calendar_year - self.start.year + 1


# Newest first, so the first era whose start is on or before a date is the one in force.
ERAS = (
    Era("令和", "R", datetime.date(2019, 5, 1)),
    Era("平成", "H", datetime.date(1989, 1, 8)),
    Era("昭和", "S", datetime.date(1926, 12, 25)),
    Era("大正", "T", datetime.date(1912, 7, 30)),
    Era("明治", "M", datetime.date(1868, 1, 25)),
)
ERAS_BY_NAME = {era.name: era for era in ERAS}
ERAS_BY_INITIAL = {era.romaji_initial: era for era in ERAS}


def fiscal_year(date):
    """Return the fiscal year (int) a date falls in: April–March, named by its starting year."""
    return date.year if date.month >= 4 else date.year - 1


def fiscal_year_bounds(fy):
    """Return (first day, last day) of fiscal year `fy` as dates."""
    return datetime.date(fy, 4, 1), datetime.date(fy + 1, 3, 31)


def era_of(date):
    """Return the Era in force on `date`; ValueError before 明治."""
    for era in ERAS:
        if date >= era.start:
            return era
    raise ValueError(f"{date} は明治より前の日付です。")


def era_year_text(year):
    """Return the era year as written: 1 → '元', otherwise the number."""
    return "元" if year == 1 else str(year)


def wareki_date(date):
    """Return a date in the Japanese calendar, e.g. '令和元年5月1日'."""
    era = era_of(date)
    return f"{era.name}{era_year_text(era.year_of(date.year))}年{date.month}月{date.day}日"


def fiscal_year_era(fy):
    """Return (Era, era year) naming fiscal year `fy` (see the module docstring for the rule)."""
    era = era_of(datetime.date(fy, 12, 31))
    return era, era.year_of(fy)


def fiscal_year_era_label(fy):
    """Return the Japanese-era name of a fiscal year alone, e.g. '平成30年度', '令和元年度'."""
    era, year = fiscal_year_era(fy)
    return f"{era.name}{era_year_text(year)}年度"


def fiscal_year_label(fy):
    """Return the label shown everywhere for a fiscal year, e.g. '2018年度（平成30年度）'."""
    return f"{fy}年度（{fiscal_year_era_label(fy)}）"


def fiscal_year_short_label(fy):
    """Return the Western-calendar label alone, e.g. '2018年度'."""
    return f"{fy}年度"


def calendar_year_label(year):
    """Return a calendar year as the documents write it, e.g. '2016年（平成28年）', '2019年（平成31年・令和元年）'."""
    start, end = era_of(datetime.date(year, 1, 1)), era_of(datetime.date(year, 12, 31))
    names = [f"{start.name}{era_year_text(start.year_of(year))}年"]
    if end != start:
        names.append(f"{end.name}{era_year_text(end.year_of(year))}年")
    return f"{year}年（{'・'.join(names)}）"
