"""Dashboard and report roll-ups (portal/selectors.py) against totals computed by hand (conftest.small_year)."""

from urllib.parse import parse_qs, urlparse

import pytest

from portal import selectors
from portal.selectors import BreakdownRow, Match


def rows_by_key(rows):
    return {row.key: (row.sessions, row.participants, row.sessions_without_count) for row in rows}


def query(url):
    return {key: value[0] for key, value in parse_qs(urlparse(url).query).items()}


def test_year_totals_of_the_small_year(small_year):
    totals = selectors.year_totals(fiscal_year=2018)

    assert (totals.sessions, totals.participants, totals.sessions_without_count) == (4, 20, 1)
    assert (totals.attendance_rows, totals.unique_participants) == (3, 2)
    assert totals.organization_ids == (small_year.s2.host_organization_id,)
    assert set(totals.ward_ids) == {small_year.s1.ward_id, small_year.aoba.pk}
    assert totals.bureaus_collaborated == 2
    assert totals.case_ids == (small_year.case_a.pk,)
    assert totals.cases_by_status == (("adopted", "制度採択", 1),)


def test_year_totals_of_a_year_without_records_are_zero(small_year):
    totals = selectors.year_totals(fiscal_year=2010)
    assert (totals.sessions, totals.participants, totals.attendance_rows, totals.wards_reached) == (0, 0, 0, 0)
    assert (totals.organizations_reached, totals.bureaus_collaborated, totals.cases_active) == (0, 0, 0)
    assert not totals.has_sessions


def test_total_rows_compare_with_the_previous_year(small_year):
    rows = {
        row.key: row
        for row in selectors.total_rows(
            selectors.year_totals(fiscal_year=2018), selectors.year_totals(fiscal_year=2017)
        )
    }
    assert (rows["sessions"].value, rows["sessions"].previous, rows["sessions"].difference) == (4, 1, 3)
    assert (rows["participants"].value, rows["participants"].previous, rows["participants"].difference) == (20, 5, 15)
    # No sheet in 2017: 実人数 is unknown there, so there is no difference to show.
    assert (rows["unique_participants"].value, rows["unique_participants"].previous) == (2, None)
    assert rows["unique_participants"].difference is None
    assert (rows["wards_reached"].value, rows["wards_reached"].out_of) == (2, 18)
    assert rows["bureaus_collaborated"].difference == 1
    assert rows["cases_adopted"].value == 1
    assert query(rows["sessions"].admin_url) == {"fiscal_year": "2018"}
    assert query(rows["organizations_reached"].admin_url) == {"id__in": str(small_year.s2.host_organization_id)}


def test_audience_breakdown_lists_every_audience(small_year):
    rows = selectors.audience_breakdown(fiscal_year=2018)
    assert [row.key for row in rows] == ["city_staff", "intermediary", "school", "residents", "mixed", "other"]
    counts = rows_by_key(rows)
    assert counts["city_staff"] == (2, 17, 0)
    assert counts["intermediary"] == (1, 3, 0)
    assert counts["other"] == (1, 0, 1)
    assert counts["school"] == (0, 0, 0)
    assert query(rows[0].admin_url) == {"fiscal_year": "2018", "audience__exact": "city_staff"}


def test_host_breakdown_groups_bureaus_organisations_and_unknown(small_year, bureau):
    rows = selectors.host_breakdown(fiscal_year=2018)
    assert [(row.label, row.sessions, row.participants, row.sessions_without_count) for row in rows] == [
        ("市民局", 1, 10, 0),
        ("区役所・団体の主催", 1, 3, 0),
        ("主催の記録なし", 2, 7, 1),
    ]
    assert query(rows[0].admin_url) == {"fiscal_year": "2018", "host_bureau__id__exact": str(bureau.pk)}


def test_month_breakdown_runs_april_to_march(small_year):
    rows = selectors.month_breakdown(fiscal_year=2018)
    assert [row.label for row in rows] == [f"{m}月" for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]
    counts = rows_by_key(rows)
    assert counts["2018-04"] == (1, 10, 0)
    assert counts["2018-05"] == (2, 3, 1)
    assert counts["2019-03"] == (1, 7, 0)
    assert sum(row.sessions for row in rows) == 4
    assert query(rows[-1].admin_url) == {"fiscal_year": "2018", "date__year": "2019", "date__month": "3"}


def test_category_breakdown_links_to_the_category_or_to_uncategorised(small_year, category):
    rows = selectors.category_breakdown(fiscal_year=2018)
    assert rows_by_key(rows) == {"ア": (2, 13, 0), "イ": (1, 7, 0), "—": (1, 0, 1)}
    assert query(rows[0].admin_url) == {"fiscal_year": "2018", "category__id__exact": str(category.pk)}
    assert query(rows[-1].admin_url) == {"fiscal_year": "2018", "category__isnull": "True"}


def test_compare_rows_pairs_by_key_and_keeps_groups_that_disappeared():
    current = [BreakdownRow("a", "A", 3, 30, 0)]
    previous = [BreakdownRow("a", "A", 1, 10, 0), BreakdownRow("b", "B", 2, 5, 0)]
    compared = selectors.compare_rows(current, previous)
    assert [(c.row.key, c.row.sessions, c.previous_sessions, c.sessions_difference) for c in compared] == [
        ("a", 3, 1, 2),
        ("b", 0, 2, -2),
    ]
    assert compared[0].participants_difference == 20


def test_dashboard_compares_each_breakdown_with_the_previous_year(small_year):
    data = selectors.fiscal_year_dashboard(fiscal_year=2018)
    categories = {c.row.key: (c.row.sessions, c.previous_sessions, c.participants_difference) for c in data.categories}
    assert categories["ア"] == (2, 1, 8)
    wards = {c.row.label: (c.row.sessions, c.previous_sessions, c.row.attendees_from_ward) for c in data.wards}
    assert len(wards) == 18
    assert wards["南区"] == (1, 1, 1)
    assert wards["青葉区"] == (1, 0, 0)
    months = {c.row.key: (c.row.sessions, c.previous_sessions) for c in data.months}
    assert months["2018-06"] == (0, 1)  # s5 was held in June 2017
    assert data.previous_has_data and data.has_data


def test_multi_year_trend_fills_years_without_sessions(small_year):
    rows = selectors.multi_year_trend(last_fiscal_year=2018, years=3)
    assert [(r.fiscal_year, r.sessions, r.participants, r.published_sessions) for r in rows] == [
        (2016, 0, 0, None),
        (2017, 1, 5, None),
        (2018, 4, 20, 5),
    ]
    assert rows[-1].published_participants_approximate is True


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


def test_available_and_reported_fiscal_years(small_year):
    assert selectors.available_fiscal_years() == [2018, 2017]
    assert selectors.reported_fiscal_years() == [2018]


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


def test_demo_year_totals(demo_data):
    data = selectors.fiscal_year_dashboard(fiscal_year=2018)
    assert (data.totals.sessions, data.totals.participants, data.totals.sessions_without_count) == (48, 1820, 16)
    assert data.totals.bureaus_collaborated == 7
    assert data.totals.wards_reached == 6  # 南, 瀬谷, 旭, 泉, 青葉, 栄
    assert not data.previous_has_data
    assert sum(c.row.sessions for c in data.months) == 48
    assert sum(c.row.sessions for c in data.audiences) == 48
    assert sum(c.row.sessions for c in data.hosts) == 48
