import pytest
from django.db import connection

from core.admin.paginator import EstimatedCountPaginator
from trainings.models import Attendance


@pytest.fixture
def rows(make_session):
    session = make_session()
    # With the person key, as every write path sets it (save(), the import, the generator).
    Attendance.objects.bulk_create(
        [Attendance(session=session, name=f"参加者{i}").set_derived_fields() for i in range(30)]
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE trainings_attendance")
    return session


def test_small_tables_and_filtered_lists_are_counted_exactly(rows):
    unfiltered = EstimatedCountPaginator(Attendance.objects.all(), 10)
    assert (unfiltered.count, unfiltered.is_estimate) == (30, False)  # below ESTIMATE_FROM

    filtered = EstimatedCountPaginator(Attendance.objects.filter(name__startswith="参加者1"), 10)
    filtered.ESTIMATE_FROM = 1
    assert (filtered.count, filtered.is_estimate) == (11, False)


def test_a_large_unfiltered_table_uses_the_planner_estimate_on_postgresql(rows):
    paginator = EstimatedCountPaginator(Attendance.objects.all(), 10)
    paginator.ESTIMATE_FROM = 1
    if connection.vendor == "postgresql":
        assert paginator.count == 30 and paginator.is_estimate  # reltuples after ANALYZE
    else:
        assert paginator.count == 30 and not paginator.is_estimate  # SQLite: always exact
    assert paginator.num_pages == 3


def test_the_attendance_changelist_labels_an_estimate_as_such(admin_client, rows, monkeypatch):
    monkeypatch.setattr(EstimatedCountPaginator, "ESTIMATE_FROM", 1)
    page = admin_client.get("/admin/trainings/attendance/").content.decode()
    paginator = page.split('class="paginator"')[1].split("</p>")[0]
    if connection.vendor == "postgresql":
        assert "約30 出席者（概数" in paginator
    else:
        assert "30 出席者" in paginator and "約" not in paginator
    filtered = admin_client.get("/admin/trainings/attendance/", {"q": "参加者"}).content.decode()
    assert "約" not in filtered.split('class="paginator"')[1].split("</p>")[0]


def test_estimate_and_exact_count_take_the_same_number_of_queries(rows, django_assert_num_queries):
    """The benchmark requires identical query counts at small and city scale."""
    queries = 1
    big = EstimatedCountPaginator(Attendance.objects.all(), 10)
    big.ESTIMATE_FROM = 1
    with django_assert_num_queries(queries):
        assert big.count == 30
    small = EstimatedCountPaginator(Attendance.objects.all(), 10)
    with django_assert_num_queries(queries):
        assert small.count == 30
    assert big.is_estimate == (connection.vendor == "postgresql") and not small.is_estimate


def test_a_search_is_counted_up_to_the_cap_and_says_so(admin_client, rows, monkeypatch):
    from trainings.admin import AttendanceAdmin

    monkeypatch.setattr(AttendanceAdmin, "search_count_cap", 10)
    page = admin_client.get("/admin/trainings/attendance/", {"q": "参加者"}).content.decode()
    cl_paginator = page.split('class="paginator"')[1].split("</p>")[0]
    assert "10件以上の出席者" in cl_paginator
    assert "10件以上" in page.split('id="changelist-search"')[1].split("</form>")[0]

    narrow = admin_client.get("/admin/trainings/attendance/", {"q": "参加者2"})  # 参加者2, 参加者20…29: 11 rows
    assert narrow.context["cl"].paginator.is_capped and narrow.context["cl"].result_count == 11
    exact = admin_client.get("/admin/trainings/attendance/", {"q": "参加者3"})  # 参加者3 only
    assert not exact.context["cl"].paginator.is_capped and exact.context["cl"].result_count == 1
    listed = admin_client.get("/admin/trainings/attendance/").context["cl"]  # no search: no cap
    assert listed.result_count == 30 and not listed.paginator.is_capped
