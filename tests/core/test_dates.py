import datetime

import pytest

from core.dates import parse_date

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
    [
        ("令1.5.20", datetime.date(2019, 5, 20)),
        ("令和1.5.20", datetime.date(2019, 5, 20)),
        ("平成31.4.30", datetime.date(2019, 4, 30)),
        ("平31.4.30", datetime.date(2019, 4, 30)),
        ("R元.6.3", datetime.date(2019, 6, 3)),
        ("H31年4月30日", datetime.date(2019, 4, 30)),
        ("h31年4月30日", datetime.date(2019, 4, 30)),
        ("2019/5/20（月・祝）", datetime.date(2019, 5, 20)),
        ("2019/5/6(振休)", datetime.date(2019, 5, 6)),
        ("2019/5/20 14:00", datetime.date(2019, 5, 20)),
        ("2019/5/20(月) 14:00～16:00", datetime.date(2019, 5, 20)),
        ("令和元年5月20日（月）14時30分", datetime.date(2019, 5, 20)),
        ("２０１９／５／２０　１４：００", datetime.date(2019, 5, 20)),
    ],
)
def test_parse_date_reads_every_era_form_and_suffix(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("令1.4.30", "令和は2019年5月1日からです"),
        ("R元.4.1", "令和は2019年5月1日からです"),
        ("H31年5月1日", "平成は2019年4月30日までです"),
        ("平成31.5.1", "平成は2019年4月30日までです"),
        ("2019/5/20 25:00:00:00", "日付として読めません"),
    ],
)
def test_era_forms_keep_the_era_boundary_checks(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_date(text)


@pytest.mark.parametrize("padding", ["", " " * 100])
def test_parse_date_reads_short_and_long_cells_alike_and_every_time(padding):
    # Short cells are read through a cache, long ones (spaces around) without: the same answers,
    # and a refusal is given again on every row, not only the first.
    assert parse_date(f"{padding}令和元年5月1日{padding}") == MAY_1
    for _ in range(2):
        with pytest.raises(ValueError, match="2月に30日はありません"):
            parse_date(f"{padding}2019/2/30{padding}")
