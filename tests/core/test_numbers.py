import pytest

from core.numbers import approximate, approximate_text, is_rounded, signed_difference


@pytest.mark.parametrize(
    ("exact", "about"),
    [(1820, 1800), (1850, 1900), (1849, 1800), (130, 130), (7, 7), (0, 0), (12_345, 12_000), (995, 1000)],
)
def test_approximate_rounds_half_up_to_two_significant_digits(exact, about):
    assert approximate(exact) == about


@pytest.mark.parametrize(
    ("difference", "written"),
    [(120, "＋120"), (-35, "－35"), (1820, "＋1,820"), (-1820, "－1,820"), (0, "±0"), (None, "—")],
)
def test_signed_difference_writes_full_width_signs_never_a_triangle(difference, written):
    assert signed_difference(difference) == written
    assert "▲" not in signed_difference(difference) and "▼" not in signed_difference(difference)


@pytest.mark.parametrize(("exact", "written"), [(1820, "約1,800"), (7, "7"), (130, "130"), (0, "0"), (None, "")])
def test_approximate_text_never_writes_about_zero(exact, written):
    assert approximate_text(exact) == written


@pytest.mark.parametrize(("exact", "rounded"), [(1820, True), (1850, True), (8, False), (130, False), (None, False)])
def test_is_rounded_says_whether_about_changes_the_figure(exact, rounded):
    assert is_rounded(exact) is rounded
