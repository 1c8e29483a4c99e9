import datetime

import pytest

from portal.selectors import latest_fiscal_year, yearly_summary
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
