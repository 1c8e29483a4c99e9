import datetime

import pytest

from core.fiscal import fiscal_year, fiscal_year_bounds, fiscal_year_label, wareki_date


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (datetime.date(2019, 3, 31), 2018),
        (datetime.date(2019, 4, 1), 2019),
        (datetime.date(2019, 4, 30), 2019),
        (datetime.date(2019, 5, 1), 2019),
        (datetime.date(1989, 1, 7), 1988),
        (datetime.date(1989, 1, 8), 1988),
        (datetime.date(2018, 4, 1), 2018),
        (datetime.date(2018, 12, 31), 2018),
    ],
)
def test_fiscal_year_runs_april_to_march(date, expected):
    assert fiscal_year(date) == expected


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (datetime.date(2019, 3, 31), "平成31年3月31日"),
        (datetime.date(2019, 4, 1), "平成31年4月1日"),
        (datetime.date(2019, 4, 30), "平成31年4月30日"),
        (datetime.date(2019, 5, 1), "令和元年5月1日"),
        (datetime.date(1989, 1, 7), "昭和64年1月7日"),
        (datetime.date(1989, 1, 8), "平成元年1月8日"),
        (datetime.date(2020, 1, 1), "令和2年1月1日"),
    ],
)
def test_wareki_date_switches_era_on_its_first_day(date, expected):
    assert wareki_date(date) == expected


@pytest.mark.parametrize(
    ("fy", "expected"),
    [
        (2018, "2018年度（平成30年度）"),
        (2019, "2019年度（令和元年度）"),
        (2020, "2020年度（令和2年度）"),
        (1988, "1988年度（昭和63年度）"),
        (1989, "1989年度（平成元年度）"),
        (2016, "2016年度（平成28年度）"),
    ],
)
def test_fiscal_year_label_uses_both_calendars(fy, expected):
    assert fiscal_year_label(fy) == expected


def test_fiscal_year_bounds_are_april_first_to_march_last():
    assert fiscal_year_bounds(2018) == (datetime.date(2018, 4, 1), datetime.date(2019, 3, 31))


def test_wareki_date_refuses_dates_before_meiji():
    with pytest.raises(ValueError, match="明治より前"):
        wareki_date(datetime.date(1800, 1, 1))


@pytest.mark.parametrize(("fy", "expected"), [(2018, "平成30年度"), (2019, "令和元年度"), (1988, "昭和63年度")])
def test_fiscal_year_era_label_alone(fy, expected):
    from core.fiscal import fiscal_year_era_label

    assert fiscal_year_era_label(fy) == expected


def test_calendar_years_are_labelled_with_their_eras():
    from core.fiscal import calendar_year_label

    assert calendar_year_label(2016) == "2016年（平成28年）"
    assert calendar_year_label(2019) == "2019年（平成31年・令和元年）"
