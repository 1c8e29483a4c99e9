"""What the committee report lists (portal/selectors/report.py)."""

import datetime

from outreach.models import Achievement, ApproachCase, CaseEvent, PlanItem, PlanItemStatus
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


def test_the_nakamura_timeline_runs_in_true_order_in_the_report(demo_data):
    """The 出前塾 of 5/24 comes before the 応募 and the 採択 it led to (year-only entries placed by position)."""
    [nakamura] = [case for case in selectors.cases_with_timelines(fiscal_year=2018) if case.slug == "minami-nakamura"]
    kinds = [event.kind for event in nakamura.timeline]
    assert kinds == ["hearing", "consultation", "consultation", "outreach_lecture", "application", "adoption", "plan"]
    assert kinds.index("outreach_lecture") < kinds.index("adoption")
    lecture = nakamura.timeline[kinds.index("outreach_lecture")]
    assert lecture.date == datetime.date(2018, 5, 24)


def test_dated_entries_of_equal_position_run_by_date_and_a_year_only_one_goes_by_its_position(ward):
    case = ApproachCase.objects.create(slug="order", title="順序", ward=ward, summary="x")
    CaseEvent.objects.create(case=case, date=datetime.date(2018, 9, 1), text="9月", position=1)
    CaseEvent.objects.create(case=case, date=datetime.date(2018, 6, 1), text="6月", position=1)
    CaseEvent.objects.create(case=case, fiscal_year=2018, text="年度のみ・後", position=2)
    CaseEvent.objects.create(case=case, fiscal_year=2018, text="年度のみ・先", position=0)
    CaseEvent.objects.create(case=case, fiscal_year=2017, text="前年度", position=9)
    [listed] = selectors.cases_with_timelines(fiscal_year=2018)
    assert [event.text for event in listed.timeline] == ["前年度", "年度のみ・先", "6月", "9月", "年度のみ・後"]


def test_the_years_narrative_items_in_their_order(ward):
    Achievement.objects.create(fiscal_year=2018, code="イ", order=2, text="二つ目")
    Achievement.objects.create(fiscal_year=2018, code="ア", order=1, text="一つ目")
    Achievement.objects.create(fiscal_year=2017, code="ア", order=1, text="前年度")
    assert [item.text for item in selectors.achievements(fiscal_year=2018)] == ["一つ目", "二つ目"]
    assert selectors.committee_report(fiscal_year=2018).achievements[1].code == "イ"


def test_a_status_note_shared_by_every_plan_item_is_kept_once(db):
    notes = ["年度の状況は例示。", "年度の状況は例示。", "予算要求中。"]
    for code, note in zip(["ア", "イ", "ウ"], notes, strict=True):
        item = PlanItem.objects.create(from_fiscal_year=2019, code=code, title=code, description="x")
        PlanItemStatus.objects.create(plan_item=item, fiscal_year=2019, status="in_progress", note=note)
    report = selectors.committee_report(fiscal_year=2018)
    assert report.plan_notes == ["年度の状況は例示。", "予算要求中。"]
    assert [(row.status_note, row.next_status_note) for row in report.plan_rows] == [(None, 1), (None, 1), (None, 2)]


def test_case_summaries_match_the_full_timelines_when_short(small_year):
    full = selectors.cases_with_timelines(fiscal_year=2018)
    summaries = report.case_summaries(fiscal_year=2018)
    assert [case.pk for case in summaries] == [case.pk for case in full]
    for case, summary in zip(full, summaries, strict=True):
        assert [(e.when, e.kind, e.text) for e in summary.timeline] == [
            (e.when_label, e.get_kind_display(), e.text) for e in case.timeline
        ]
        assert [e.planned_mark for e in summary.timeline] == [e.shows_planned_mark for e in case.timeline]
        assert summary.not_shown == 0
        assert summary.status == case.get_status_display()


def test_case_summaries_keep_the_latest_entries_of_a_long_timeline(ward, monkeypatch):
    monkeypatch.setattr(report, "TIMELINE_SHOWN", 3)
    case = ApproachCase.objects.create(slug="long", title="長い経過", ward=ward, summary="概要")
    for year in range(2010, 2017):
        CaseEvent.objects.create(case=case, fiscal_year=year, kind="hearing", text=f"経過{year}")
    CaseEvent.objects.create(case=case, fiscal_year=2019, kind="plan", text="予定", is_planned=True)
    CaseEvent.objects.create(case=case, fiscal_year=2019, kind="hearing", text="来年度", is_planned=False)

    [summary] = report.case_summaries(fiscal_year=2018)

    assert [e.text for e in summary.timeline] == ["経過2015", "経過2016", "予定"]
    assert summary.not_shown == 5  # 2010–2014; the unplanned entry after the year is not in the timeline
    assert [e.text for e in selectors.cases_with_timelines(fiscal_year=2018)[0].timeline][-3:] == [
        "経過2015",
        "経過2016",
        "予定",
    ]
