import datetime

import pytest

from partners.models import Ward
from portal import selectors
from portal.selectors import collaborations, latest_fiscal_year, published_cases, ward_breakdown, yearly_summary
from trainings.models import Attendance, ReportedFigure, TrainingCategory


@pytest.mark.django_db
def test_yearly_summary_adds_headcounts_and_attendance_rows(make_session, category):
    other = TrainingCategory.objects.create(code="イ", name="出前塾", order=2)
    make_session(category=category, headcount=40)
    make_session(category=category, headcount=None)  # unknown: counted as a session, adds no one
    with_sheet = make_session(category=other, headcount=99)  # rows win over the typed headcount
    Attendance.objects.bulk_create([Attendance(session=with_sheet, name=f"参加者{i}") for i in range(3)])
    make_session(category=other, date=datetime.date(2019, 4, 1), headcount=500)  # next fiscal year

    summary = yearly_summary(fiscal_year=2018)

    assert (summary.sessions, summary.participants, summary.sessions_without_count) == (3, 43, 1)
    assert [(r.code, r.sessions, r.participants, r.sessions_without_count) for r in summary.categories] == [
        ("ア", 2, 40, 1),
        ("イ", 1, 3, 0),
    ]


@pytest.mark.django_db
def test_yearly_summary_groups_sessions_without_category(make_session):
    make_session(headcount=5)
    summary = yearly_summary(fiscal_year=2018)
    assert [(r.name, r.sessions, r.participants) for r in summary.categories] == [("区分未設定", 1, 5)]


@pytest.mark.django_db
def test_yearly_summary_of_an_empty_year_is_zero():
    summary = yearly_summary(fiscal_year=2030)
    assert (summary.sessions, summary.participants, summary.categories, summary.has_data) == (0, 0, [], False)


@pytest.mark.django_db
def test_yearly_summary_query_count_does_not_grow(make_session, category, django_assert_max_num_queries):
    for _ in range(30):
        make_session(category=category, headcount=3)
    with django_assert_max_num_queries(2):
        yearly_summary(fiscal_year=2018)


def test_demo_records_reproduce_the_published_fy2018_figures(demo_data):
    summary = yearly_summary(fiscal_year=2018)

    assert summary.sessions == 48
    assert summary.participants == 1820
    assert summary.participants_approximate == 1800
    assert summary.sessions_without_count == 16

    published = {
        f.category.code: (f.sessions, f.participants)
        for f in ReportedFigure.objects.filter(fiscal_year=2018, category__isnull=False).select_related("category")
    }
    assert published == {"ア": (2, 130), "イ": (9, 150), "ウ": (16, 1400), "エ": (5, 140)}
    recorded = {r.code: (r.sessions, r.participants) for r in summary.categories if r.is_itemised}
    assert recorded == published
    unitemised = [r for r in summary.categories if not r.is_itemised]
    assert [(r.sessions, r.sessions_without_count) for r in unitemised] == [(16, 16)]
    total = ReportedFigure.objects.get(fiscal_year=2018, category__isnull=True)
    assert (total.sessions, total.participants, total.participants_approximate) == (48, 1800, True)


def test_latest_fiscal_year_is_the_newest_with_sessions(demo_data, make_session):
    assert latest_fiscal_year() == 2018
    make_session(date=datetime.date(2020, 3, 31))
    assert latest_fiscal_year() == 2019


@pytest.mark.django_db
def test_latest_fiscal_year_is_none_without_sessions():
    assert latest_fiscal_year() is None


@pytest.mark.django_db
def test_ward_breakdown_lists_all_18_wards_and_marks_those_reached(make_session, ward):
    aoba = Ward.objects.get(code="14117")
    make_session(ward=ward, headcount=10)
    make_session(ward=ward, headcount=None)
    other = make_session(headcount=None)
    Attendance.objects.create(session=other, ward=aoba, name="甲")

    rows = ward_breakdown(fiscal_year=2018)

    assert len(rows) == 18
    by_name = {r.name: r for r in rows}
    assert (by_name["南区"].sessions, by_name["南区"].participants, by_name["南区"].reached) == (2, 10, True)
    assert by_name["南区"].sessions_without_count == 1
    assert (by_name["青葉区"].sessions, by_name["青葉区"].attendees_from_ward, by_name["青葉区"].reached) == (
        0,
        1,
        True,
    )
    assert sum(r.reached for r in rows) == 2


@pytest.mark.django_db
def test_ward_breakdown_knows_a_ward_whose_participants_are_all_unknown(make_session, ward):
    make_session(ward=ward, headcount=None)

    minami = next(r for r in ward_breakdown(fiscal_year=2018) if r.code == ward.code)

    assert (minami.sessions, minami.sessions_without_count) == (1, 1)


def test_ward_breakdown_of_the_demo_year(demo_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        rows = ward_breakdown(fiscal_year=2018)
    reached = {r.name for r in rows if r.reached}
    assert {"南区", "瀬谷区", "青葉区", "栄区"} <= reached


def test_collaborations_of_the_demo_year_follow_the_report(demo_data):
    rows = collaborations(fiscal_year=2018)
    assert [c.bureau.name for c in rows] == [
        "市民局",
        "健康福祉局",
        "総務局",
        "こども青少年局",
        "環境創造局",
        "建築局",
        "教育委員会事務局",
    ]
    assert collaborations(fiscal_year=2017) == []


def test_published_cases_leave_out_drafts(demo_data):
    assert [c.slug for c in published_cases()] == ["minami-nakamura"]


def test_year_totals_of_the_small_year(small_year):
    totals = selectors.year_totals(fiscal_year=2018)

    assert (totals.sessions, totals.participants, totals.sessions_without_count) == (4, 20, 1)
    assert (totals.attendance_rows, totals.unique_participants) == (3, 2)
    assert totals.organization_ids == (small_year.s2.host_organization_id,)
    assert set(totals.ward_ids) == {small_year.s1.ward_id, small_year.aoba.pk}
    assert totals.bureaus_collaborated == 2
    assert totals.case_ids == (small_year.case_a.pk,)
    assert totals.cases_by_status == (("adopted", "制度採択", 1),)


def test_a_partial_roster_counts_its_typed_headcount_in_the_year(small_year):
    before = selectors.year_totals(fiscal_year=2018)
    s2 = small_year.s2
    s2.refresh_from_db()
    s2.roster_is_partial = True
    s2.save()

    after = selectors.year_totals(fiscal_year=2018)

    assert after.participants == before.participants - s2.attendance_count + s2.headcount
    # Its people still count as reached.
    assert (after.attendance_rows, after.unique_participants) == (before.attendance_rows, before.unique_participants)
    summary = yearly_summary(fiscal_year=2018)
    assert summary.participants == after.participants
    # Category ア of FY2018: s1 (no roster) and s2 (partial roster), both by their typed headcount.
    category = next(row for row in summary.categories if row.code == s2.category.code)
    assert category.participants == small_year.s1.headcount + s2.headcount


def test_year_totals_of_a_year_without_records_are_zero(small_year):
    totals = selectors.year_totals(fiscal_year=2010)
    assert (totals.sessions, totals.participants, totals.attendance_rows, totals.wards_reached) == (0, 0, 0, 0)
    assert (totals.organizations_reached, totals.bureaus_collaborated, totals.cases_active) == (0, 0, 0)
    assert not totals.has_sessions
