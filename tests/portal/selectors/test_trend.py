"""Totals over several years (portal/selectors/trend.py)."""

from portal import selectors


def test_multi_year_trend_fills_years_without_sessions(small_year):
    rows = selectors.multi_year_trend(last_fiscal_year=2018, years=3)
    assert [(r.fiscal_year, r.sessions, r.participants, r.published_sessions) for r in rows] == [
        (2016, 0, 0, None),
        (2017, 1, 5, None),
        (2018, 4, 20, 5),
    ]
    assert rows[-1].published_participants_approximate is True
