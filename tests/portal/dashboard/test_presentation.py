"""The dashboard's labelled rows and admin links (portal/dashboard/presentation.py) against totals computed by hand."""

from urllib.parse import parse_qs, urlparse

# The dashboard rows (labels, units, admin links) and the selectors they read, under the name the
# tests were written with.
from portal.dashboard import presentation as selectors
from portal.dashboard.presentation import BreakdownRow


def rows_by_key(rows):
    return {row.key: (row.sessions, row.participants, row.sessions_without_count) for row in rows}


def query(url):
    return {key: value[0] for key, value in parse_qs(urlparse(url).query).items()}


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


def test_demo_year_totals(demo_data):
    data = selectors.fiscal_year_dashboard(fiscal_year=2018)
    assert (data.totals.sessions, data.totals.participants, data.totals.sessions_without_count) == (48, 1820, 16)
    assert data.totals.bureaus_collaborated == 7
    assert data.totals.wards_reached == 6  # 南, 瀬谷, 旭, 泉, 青葉, 栄
    assert not data.previous_has_data
    assert sum(c.row.sessions for c in data.months) == 48
    assert sum(c.row.sessions for c in data.audiences) == 48
    assert sum(c.row.sessions for c in data.hosts) == 48
