import datetime

import pytest

from outreach.models import ApproachCase, CaseEvent, CaseTheme
from partners.models import Bureau, Collaboration, Ward
from portal.selectors import (
    fiscal_year_data_notes,
    public_fiscal_years,
    public_sessions,
    public_ward_breakdown,
    published_case_details,
    published_cases_for_fiscal_year,
    reported_figures,
    search_published_cases,
)
from trainings.models import Attendance


@pytest.fixture
def minami(db):
    return Ward.objects.get(code="14105")


def make_case(ward, slug, published=True, **fields):
    fields.setdefault("title", slug)
    return ApproachCase.objects.create(
        slug=slug, ward=ward, summary=fields.pop("summary", "概要"), is_published=published, **fields
    )


@pytest.mark.django_db
def test_public_fiscal_years_join_sessions_collaborations_and_published_case_events(make_session, minami):
    make_session(date=datetime.date(2019, 2, 1))  # FY2018
    Collaboration.objects.create(fiscal_year=2020, bureau=Bureau.objects.create(name="市民局"), description="連携")
    CaseEvent.objects.create(case=make_case(minami, "pub"), fiscal_year=2016, text="ヒアリング")
    CaseEvent.objects.create(case=make_case(minami, "draft", published=False), fiscal_year=2012, text="非公開")
    assert public_fiscal_years() == [2020, 2018, 2016]


@pytest.mark.django_db
def test_public_fiscal_years_is_empty_without_records():
    assert public_fiscal_years() == []


@pytest.mark.django_db
def test_published_cases_for_fiscal_year_lists_each_case_once(minami):
    case = make_case(minami, "a")
    CaseEvent.objects.create(case=case, fiscal_year=2018, text="相談")
    CaseEvent.objects.create(case=case, date=datetime.date(2018, 5, 1), text="出前塾")
    CaseEvent.objects.create(case=make_case(minami, "hidden", published=False), fiscal_year=2018, text="x")
    assert [c.slug for c in published_cases_for_fiscal_year(fiscal_year=2018)] == ["a"]
    assert published_cases_for_fiscal_year(fiscal_year=2017) == []


@pytest.mark.django_db
def test_search_published_cases_combines_filters_and_words(minami):
    make_case(minami, "a", title="居場所づくり", district="中村地区", theme=CaseTheme.GATHERING_PLACE)
    make_case(minami, "b", title="防災倉庫", summary="中村地区の防災", theme=CaseTheme.DISASTER)
    make_case(minami, "c", title="居場所 下書き", published=False)
    assert [c.slug for c in search_published_cases(text="中村")] == ["a", "b"]
    assert [c.slug for c in search_published_cases(text="中村　居場所")] == ["a"]
    assert [c.slug for c in search_published_cases(ward=minami, theme=CaseTheme.DISASTER)] == ["b"]
    assert search_published_cases(ward=Ward.objects.get(code="14101")) == []


def test_fiscal_year_data_notes_and_reported_figures(demo_data):
    notes = fiscal_year_data_notes(fiscal_year=2018)
    assert notes and all("例示" in n for n in notes)
    total, by_category = reported_figures(fiscal_year=2018)
    assert (total.sessions, total.participants) == (48, 1800)
    assert sorted(by_category) == ["ア", "イ", "ウ", "エ"]
    assert reported_figures(fiscal_year=2017) == (None, {})


@pytest.mark.django_db
def test_public_sessions_count_attendance_without_loading_it(make_session, django_assert_num_queries):
    first = make_session(date=datetime.date(2018, 9, 1), headcount=10)
    second = make_session(date=datetime.date(2018, 6, 1), headcount=99)
    Attendance.objects.bulk_create([Attendance(session=second, name=f"参加者{i}") for i in range(3)])
    with django_assert_num_queries(1):
        sessions = public_sessions(fiscal_year=2018)
        assert [(s.pk, s.participant_count) for s in sessions] == [(second.pk, 3), (first.pk, 10)]


def test_published_case_details_loads_everything_in_fixed_queries(demo_data, django_assert_num_queries):
    with django_assert_num_queries(4):
        cases = published_case_details()
        assert [c.slug for c in cases] == ["minami-nakamura"]
        assert len(cases[0].events.all()) == 7
        assert {s.name for s in cases[0].schemes.all()} == {"ヨコハマ市民まち普請事業"}


@pytest.mark.django_db
def test_the_public_ward_table_keeps_a_partial_rosters_headcount_unless_it_is_illustrative(make_session, minami):
    partial = make_session(ward=minami, headcount=15, roster_is_partial=True)
    Attendance.objects.bulk_create([Attendance(session=partial, name=f"参加者{i}") for i in range(2)])

    def minami_row():
        return next(row for row in public_ward_breakdown(fiscal_year=2018) if row.code == minami.code)

    row = minami_row()
    assert (row.sessions, row.participants, row.sessions_without_count) == (1, partial.headcount, 0)
    partial.illustrative_fields = "headcount"  # assumed for the demo: never published
    partial.save()
    row = minami_row()
    assert (row.sessions, row.participants, row.sessions_without_count) == (1, 0, 1)
