import pytest

from trainings.importing.normalize import parse_count, ward_key


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
