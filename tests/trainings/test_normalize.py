import datetime

import pytest

from trainings.normalize import parse_count, parse_date, ward_key

MAY_1 = datetime.date(2019, 5, 1)


@pytest.mark.parametrize(
    "text",
    [
        "2019/5/1",
        "2019-05-01",
        "2019.5.1",
        "2019年5月1日",
        "令和元年5月1日",
        "令和1年5月1日",
        "R1.5.1",
        "r1.5.1",
        "R01/05/01",
        "２０１９/５/１",
        "令和元年５月１日",
        "Ｒ１．５．１",
        "2019/5/1(水)",
        "2019年5月1日（水曜日）",
        "2019/05/01 0:00:00",
    ],
)
def test_parse_date_reads_western_and_era_dates(text):
    assert parse_date(text) == MAY_1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("H31.4.1", datetime.date(2019, 4, 1)),
        ("平成31年4月1日", datetime.date(2019, 4, 1)),
        ("平成31年4月30日", datetime.date(2019, 4, 30)),
        ("平成元年1月8日", datetime.date(1989, 1, 8)),
        ("昭和64年1月7日", datetime.date(1989, 1, 7)),
    ],
)
def test_parse_date_places_era_years(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("令和元年4月1日", "令和は2019年5月1日からです"),
        ("R1.4.30", "令和は2019年5月1日からです"),
        ("平成31年5月1日", "平成は2019年4月30日までです"),
        ("2019/13/1", "13月という月はありません"),
        ("2019/2/30", "2月に30日はありません"),
        ("令和0年5月1日", "令和0年という年はありません"),
        ("5月1日", "日付として読めません"),
        ("来週", "日付として読めません"),
        ("", "日付が空欄です"),
    ],
)
def test_parse_date_refuses_impossible_dates_in_japanese(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_date(text)


def test_parse_date_accepts_date_cells():
    assert parse_date(datetime.datetime(2019, 5, 1, 0, 0)) == MAY_1
    assert parse_date(MAY_1) == MAY_1


@pytest.mark.parametrize(
    ("text", "expected"),
    [("25", 25), ("２５", 25), ("1,234", 1234), ("25人", 25), (25, 25), (25.0, 25), ("", None), (None, None)],
)
def test_parse_count(text, expected):
    assert parse_count(text) == expected


@pytest.mark.parametrize("text", ["-1", "二十", "2.5", 2.5])
def test_parse_count_refuses_non_counts(text):
    with pytest.raises(ValueError, match="整数"):
        parse_count(text)


@pytest.mark.parametrize("value", ["1000001", "9" * 5000, "99,999,999,999,999,999,999人", 10**20, 1e300])
def test_parse_count_refuses_impossible_counts_in_japanese(value):
    # 5,000 digits used to raise Python's English "Exceeds the limit (4300 digits)"; 10**20 reached
    # the database and overflowed its integer column.
    with pytest.raises(ValueError, match="人数が大きすぎます（1,000,000人まで）") as error:
        parse_count(value)
    assert len(str(error.value)) < 60


def test_parse_count_accepts_up_to_the_limit():
    assert parse_count("1,000,000人") == 1_000_000 and parse_count("0001000000") == 1_000_000


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("南", "南区"),
        ("南区", "南区"),
        ("南 区", "南区"),
        ("横浜市南区", "南区"),
        ("保土ヶ谷", "保土ケ谷区"),
        ("１４１０５", "14105"),
        ("", ""),
    ],
)
def test_ward_key(text, expected):
    assert ward_key(text) == expected
