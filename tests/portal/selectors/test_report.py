"""What the committee report lists (portal/selectors/report.py)."""

from portal import selectors


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
