"""Recorded figures beside the published ones (portal/selectors/reconciliation.py)."""

import pytest

from portal import selectors
from portal.selectors import Match


def test_reconciliation_sets_recorded_beside_published(small_year):
    rec = selectors.reconciliation(fiscal_year=2018)
    rows = {row.key: row for row in rec.rows}

    assert (rows["ア"].recorded_sessions, rows["ア"].published_sessions, rows["ア"].sessions_match) == (
        2,
        2,
        Match.EXACT,
    )
    assert rows["ア"].participants_match == Match.EXACT
    assert rows["イ"].sessions_match == Match.NOT_PUBLISHED and not rows["イ"].has_difference
    assert rec.total.sessions_difference == -1 and rec.total.sessions_match == Match.DIFFERENT
    assert rec.total.participants_match == Match.EXACT
    assert rec.total.has_difference
    assert (rec.published_itemised_sessions, rec.published_itemised_participants) == (2, 13)
    assert rec.itemised_sum_differs_from_total and rec.sessions_not_itemised == 3


def test_reconciliation_accepts_an_approximate_total_that_rounds_to_the_published_figure(make_session):
    from trainings.models import ReportedFigure

    make_session(headcount=1_820)
    ReportedFigure.objects.create(
        fiscal_year=2018, sessions=1, participants=1_800, participants_approximate=True, source_document="x"
    )
    total = selectors.reconciliation(fiscal_year=2018).total
    assert (total.participants_difference, total.participants_match) == (20, Match.APPROXIMATE)
    ReportedFigure.objects.update(participants_approximate=False)
    assert selectors.reconciliation(fiscal_year=2018).total.participants_match == Match.DIFFERENT


@pytest.mark.django_db
def test_reconciliation_without_published_figures():
    rec = selectors.reconciliation(fiscal_year=2018)
    assert not rec.has_published_figures and not rec.itemised_sum_differs_from_total


def test_demo_year_reconciles_with_the_seed(demo_data):
    rec = selectors.reconciliation(fiscal_year=2018)
    published = {row.key: (row.recorded_sessions, row.recorded_participants, row.sessions_match) for row in rec.rows}
    assert published["ア"] == (2, 130, Match.EXACT)
    assert published["イ"] == (9, 150, Match.EXACT)
    assert published["ウ"] == (16, 1400, Match.EXACT)
    assert published["エ"] == (5, 140, Match.EXACT)
    assert published["他"][:2] == (16, 0) and published["他"][2] == Match.NOT_PUBLISHED
    assert (rec.total.recorded_sessions, rec.total.published_sessions) == (48, 48)
    assert (rec.total.recorded_participants, rec.total.published_participants) == (1820, 1800)
    assert rec.total.participants_match == Match.APPROXIMATE
    assert (rec.published_itemised_sessions, rec.published_itemised_participants) == (32, 1820)
    assert rec.itemised_sum_differs_from_total and rec.sessions_not_itemised == 16
