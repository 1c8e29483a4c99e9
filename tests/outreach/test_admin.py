import datetime

import pytest
from django.urls import reverse

from outreach.models import ApproachCase, CaseEvent


def case_form(ward, **overrides):
    data = {
        "title": "新しい事例",
        "slug": "new-case",
        "ward": str(ward.pk),
        "district": "",
        "theme": "other",
        "status": "consulting",
        "summary": "概要",
        "outcome": "",
        "staff_note": "",
        "data_note": "",
        "events-TOTAL_FORMS": "1",
        "events-INITIAL_FORMS": "0",
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "1000",
        "events-0-kind": "hearing",
        "events-0-position": "0",
        "events-0-text": "ヒアリング",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_event_without_date_or_fiscal_year_is_refused(admin_client, ward):
    response = admin_client.post(reverse("admin:outreach_approachcase_add"), case_form(ward))
    assert response.status_code == 200
    assert "日付か年度のどちらかを入力してください。" in response.content.decode()
    assert not ApproachCase.objects.exists()
    assert not CaseEvent.objects.exists()


@pytest.mark.django_db
def test_case_with_a_fiscal_year_event_is_saved(admin_client, ward):
    response = admin_client.post(
        reverse("admin:outreach_approachcase_add"), case_form(ward, **{"events-0-fiscal_year": "2016"})
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = CaseEvent.objects.get()
    assert (event.fiscal_year, event.date, event.case.slug) == (2016, None, "new-case")


@pytest.mark.django_db
def test_duplicate_slug_is_refused(admin_client, ward):
    ApproachCase.objects.create(slug="new-case", title="既存", ward=ward, summary="x")
    response = admin_client.post(
        reverse("admin:outreach_approachcase_add"), case_form(ward, **{"events-0-fiscal_year": "2016"})
    )
    assert response.status_code == 200
    assert "このURL名の事例は既に登録されています。" in response.content.decode()
    assert ApproachCase.objects.count() == 1


@pytest.mark.django_db
def test_a_timeline_date_is_read_in_the_japanese_calendar_and_shown_in_it(admin_client, ward):
    form = case_form(ward, **{"events-0-date": "R1.5.24"})
    response = admin_client.post(reverse("admin:outreach_approachcase_add"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = CaseEvent.objects.get()
    assert str(event.date) == "2019-05-24" and event.fiscal_year == 2019
    page = admin_client.get(reverse("admin:outreach_approachcase_change", args=[event.case.pk])).content.decode()
    assert "令和元年5月24日</span>" in page


@pytest.mark.django_db
def test_staff_write_a_narrative_item_and_a_second_with_the_same_mark_is_refused(admin_client):
    from outreach.models import Achievement

    url = reverse("admin:outreach_achievement_add")
    form = {"fiscal_year": "2018", "code": "ア", "order": "1", "text": "研修の対象を広げた。"}
    assert admin_client.post(url, form).status_code == 302
    item = Achievement.objects.get()
    assert (item.fiscal_year, item.code, item.text) == (2018, "ア", "研修の対象を広げた。")
    assert item.history.count() == 1  # the audit history keeps who wrote it

    again = admin_client.post(url, {**form, "text": "別の文章"})
    assert again.status_code == 200
    assert "この年度・記号の取組実績は既に登録されています。" in again.content.decode()
    assert Achievement.objects.count() == 1
    page = admin_client.get(reverse("admin:outreach_achievement_changelist")).content.decode()
    assert "取組実績と成果" in page and "研修の対象を広げた。" in page


@pytest.mark.django_db
def test_a_new_dated_event_left_unplaced_is_told_after_the_earlier_dated_ones(admin_client, ward):
    case = ApproachCase.objects.create(slug="order", title="順序", ward=ward, summary="x")
    lecture = CaseEvent.objects.create(case=case, date=datetime.date(2018, 5, 24), position=4, text="出前塾")
    adoption = CaseEvent.objects.create(case=case, fiscal_year=2018, position=6, text="採択")
    form = {
        "case": str(case.pk), "date": "2018/7/1", "fiscal_year": "", "kind": "improvement",
        "text": "整備", "position": "0", "training_session": "",
    }  # fmt: skip
    response = admin_client.post(reverse("admin:outreach_caseevent_add"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(case.events.values_list("text", flat=True)) == ["出前塾", "整備", "採択"]

    refused = admin_client.post(reverse("admin:outreach_caseevent_change", args=[lecture.pk]), {
        **form, "date": "2018/5/24", "text": "出前塾", "kind": "outreach_lecture", "position": "9",
    })  # fmt: skip
    assert refused.status_code == 200
    assert "日付のある経過は日付の順になるように並び順を入れてください" in refused.content.decode()
    assert CaseEvent.objects.get(pk=lecture.pk).position == 4
    assert adoption.position == 6


@pytest.mark.django_db
def test_the_case_page_refuses_a_timeline_whose_positions_contradict_its_dates(admin_client, ward):
    rows = {
        "events-TOTAL_FORMS": "2",
        "events-0-date": "2018/9/1", "events-0-position": "1", "events-0-kind": "other", "events-0-text": "9月",
        "events-1-date": "2018/6/1", "events-1-position": "3", "events-1-kind": "other", "events-1-text": "6月",
    }  # fmt: skip
    response = admin_client.post(reverse("admin:outreach_approachcase_add"), case_form(ward, **rows))
    assert response.status_code == 200
    assert "日付のある経過は日付の順になるように並び順を入れてください" in response.content.decode()
    assert not ApproachCase.objects.exists()
