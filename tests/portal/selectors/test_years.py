"""Which fiscal years have records (portal/selectors/years.py)."""

from portal import selectors


def test_available_and_reported_fiscal_years(small_year):
    assert selectors.available_fiscal_years() == [2018, 2017]
    assert selectors.reported_fiscal_years() == [2018]
