import pytest

from core.codes import check_digit, with_check_digit


@pytest.mark.parametrize(
    ("code", "expected"),
    [("14100", "141003"), ("14105", "141054"), ("14101", "141011"), ("13101", "131016"), ("01100", "011002")],
)
def test_codes_get_their_check_digit(code, expected):
    assert with_check_digit(code) == expected


def test_a_remainder_of_zero_or_one_gives_the_last_digit_of_eleven_or_ten():
    # 14110: 1*6 + 4*5 + 1*4 + 1*3 + 0*2 = 33, remainder 0 → 11 → 1; 14118: 49, remainder 5 → 6.
    assert check_digit("14110") == "1"
    assert check_digit("14118") == "6"


@pytest.mark.parametrize("bad", ["1410", "141003", "1410a", ""])
def test_bad_codes_are_refused(bad):
    if bad == "":
        assert with_check_digit(bad) == ""
        return
    with pytest.raises(ValueError, match="5桁"):
        check_digit(bad)
