from urllib.parse import parse_qs, urlparse

from portal.dashboard.quality import data_quality, issue_count


def checks_of(fiscal_year):
    return {check.key: check for check in data_quality(fiscal_year=fiscal_year)}


def test_each_check_finds_the_records_of_the_small_year(small_year):
    checks = checks_of(2018)

    assert [item.label for item in checks["no_participants"].items] == ["2018-05-01 s4"]
    assert [(item.label, item.detail) for item in checks["headcount_differs"].items] == [
        ("2018-05-20 s2", "入力値4人／名簿3行、集計は名簿の行数")
    ]
    assert [item.label for item in checks["no_category"].items] == ["2018-05-01 s4"]
    assert [item.label for item in checks["no_ward"].items] == ["2018-05-01 s4", "2018-05-20 s2"]
    assert [(item.label, item.detail) for item in checks["unmatched_organization"].items] == [("謎の会", "1行")]
    # B has no entry in FY2018; the completed case C is left out.
    assert [item.label for item in checks["case_without_events"].items] == ["事例B"]
    assert issue_count(checks.values()) == 1 + 1 + 1 + 2 + 1 + 1


def test_items_link_to_their_admin_records(small_year):
    checks = checks_of(2018)
    assert checks["no_participants"].items[0].url == f"/admin/trainings/trainingsession/{small_year.s4.pk}/change/"
    listed = parse_qs(urlparse(checks["no_ward"].list_url).query)["id__in"][0]
    assert set(listed.split(",")) == {str(small_year.s2.pk), str(small_year.s4.pk)}
    unmatched = parse_qs(urlparse(checks["unmatched_organization"].list_url).query)
    assert unmatched == {"session_fiscal_year": ["2018"], "organization__isnull": ["True"]}


def test_a_clean_year_passes_every_check(small_year):
    checks = checks_of(2017)
    assert [key for key, check in checks.items() if not check.ok] == ["case_without_events"]
    # Neither A nor B has an entry in FY2017; the completed case C is left out.
    assert [item.label for item in checks["case_without_events"].items] == ["事例A", "事例B"]


def test_the_links_open_filtered_admin_lists(admin_client, small_year):
    for check in data_quality(fiscal_year=2018):
        response = admin_client.get(check.list_url)
        assert response.status_code == 200, check.key
        # The admin redirects to ?e=1 on a filter it does not accept; a 200 list is a real filter.
        assert "e=1" not in response.get("Location", "")
        for item in check.items:
            assert admin_client.get(item.url).status_code == 200


def test_a_check_with_more_records_than_a_link_can_carry_counts_them_all(make_session, monkeypatch):
    import datetime

    from core.admin import links as admin_links
    from portal.dashboard import quality

    monkeypatch.setattr(admin_links, "MAX_IDS_IN_LINK", 2)
    monkeypatch.setattr(quality, "ITEMS_SHOWN", 1)
    for day in range(1, 5):
        make_session(date=datetime.date(2018, 6, day), title=f"区なし{day}")
    check = checks_of(2018)["no_ward"]
    assert check.count == 4 and check.items_not_shown == 3
    assert [item.label for item in check.items] == ["2018-06-01 区なし1"]
    query = parse_qs(urlparse(check.list_url).query)
    assert "id__in" not in query and query["fiscal_year"] == ["2018"]  # the year's list instead of ids


def test_a_partial_roster_is_listed_with_the_figure_the_totals_use(small_year):
    s2 = small_year.s2
    s2.refresh_from_db()
    s2.roster_is_partial = True
    s2.save()
    check = checks_of(2018)["headcount_differs"]
    assert [(item.label, item.detail) for item in check.items] == [
        (str(s2), f"入力値{s2.headcount}人／名簿{s2.attendance_count}行、集計は入力値（名簿は一部）")
    ]
    assert "「名簿は一部」の研修は入力値を" in check.explanation
