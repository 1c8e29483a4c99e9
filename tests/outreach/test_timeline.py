"""Dated timeline entries run by date when staff enter them (outreach/timeline.py)."""

import datetime

from outreach.models import CaseEvent
from outreach.timeline import place_dated_entries


def entry(position, date=None, fiscal_year=None):
    return CaseEvent(date=date, fiscal_year=fiscal_year, position=position, text="x")


def test_an_unplaced_dated_entry_runs_after_the_earlier_dated_ones():
    lecture = entry(4, datetime.date(2018, 5, 24))
    adoption = entry(6, fiscal_year=2018)
    new = entry(0, datetime.date(2018, 7, 1))
    assert place_dated_entries([lecture, adoption, new]) == []
    assert new.position == 4  # after the 5/24 lecture by date; the year-only adoption keeps its place
    assert adoption.position == 6


def test_a_dated_entry_placed_before_an_earlier_dated_one_is_refused_in_japanese():
    later = entry(2, datetime.date(2018, 9, 1))
    earlier = entry(5, datetime.date(2018, 6, 1))
    [problem] = place_dated_entries([later, earlier])
    assert "2018年9月1日の経過の「年度内の並び順」（2）" in problem and "2018年6月1日の経過（5）" in problem
    assert later.position == 2


def test_entries_of_different_years_do_not_constrain_each_other():
    assert place_dated_entries([entry(1, datetime.date(2019, 4, 1)), entry(9, datetime.date(2018, 6, 1))]) == []
