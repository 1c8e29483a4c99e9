import pytest

from core.numbers import approximate


@pytest.mark.parametrize(
    ("exact", "about"),
    [(1820, 1800), (1850, 1900), (1849, 1800), (130, 130), (7, 7), (0, 0), (12_345, 12_000), (995, 1000)],
)
def test_approximate_rounds_half_up_to_two_significant_digits(exact, about):
    assert approximate(exact) == about
