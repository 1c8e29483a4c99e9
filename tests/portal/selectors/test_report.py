"""What the committee report lists (portal/selectors/report.py)."""

import datetime

from portal import selectors
from portal.selectors import report


def test_sessions_by_category_follow_the_report_order(small_year):
    groups = selectors.sessions_by_category(fiscal_year=2018)
    assert [(row.code, [s.title for s in sessions]) for row, sessions in groups] == [
        ("ア", ["s1", "s2"]),
        ("イ", ["s3"]),
        ("—", ["s4"]),
    ]
    assert [s.participant_count for s in groups[0][1]] == [10, 3]


def test_cases_with_timelines_show_entries_up_to_the_year_and_later_plans(small_year):
    cases = selectors.cases_with_timelines(fiscal_year=2018)
    assert [case.slug for case in cases] == ["a", "b"]  # C has no entry at all
    assert [event.text for event in cases[0].timeline] == ["ヒアリング", "出前塾", "整備予定"]
    assert [event.when_label for event in cases[0].timeline][:2] == ["2016年度（平成28年度）", "2018年6月1日"]
    assert selectors.cases_with_timelines(fiscal_year=2015) == []


def test_plan_items_with_status_of_this_and_the_next_year(small_year):
    rows = selectors.plan_items_with_status(fiscal_year=2018)
    assert [(row.item.code, row.status, row.next_status.status) for row in rows] == [("ア", None, "in_progress")]


def test_a_long_category_lists_the_sessions_with_most_participants_in_date_order(make_session, category, monkeypatch):
    monkeypatch.setattr(report, "LISTED_PER_CATEGORY", 3)
    sizes = {1: 5, 2: None, 3: 40, 4: 12, 5: 40, 6: 1}  # day of May -> headcount
    for day, headcount in sizes.items():
        make_session(title=f"d{day}", category=category, date=datetime.date(2018, 5, day), headcount=headcount)
    [(row, sessions)] = selectors.sessions_by_category(fiscal_year=2018)
    assert [s.title for s in sessions] == ["d3", "d4", "d5"]  # 40, 12, 40 by date; unknown counts last
    assert (row.sessions, sessions.unlisted) == (6, 3)


def test_a_short_category_lists_every_session(small_year):
    groups = selectors.sessions_by_category(fiscal_year=2018)
    assert all(sessions.unlisted == 0 for _, sessions in groups)
