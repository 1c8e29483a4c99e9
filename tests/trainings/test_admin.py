import datetime

import pytest
from django.urls import reverse

from portal.selectors import yearly_summary
from trainings.models import Attendance, TrainingSession

ADD_URL = "admin:trainings_trainingsession_add"


def session_form(**overrides):
    data = {
        "title": "新しい研修",
        "category": "",
        "date": "2018-09-01",
        "host_bureau": "",
        "host_organization": "",
        "audience": "city_staff",
        "audience_detail": "",
        "ward": "",
        "venue": "",
        "headcount": "25",
        "description": "",
        "data_note": "",
        "attendances-TOTAL_FORMS": "0",
        "attendances-INITIAL_FORMS": "0",
        "attendances-MIN_NUM_FORMS": "0",
        "attendances-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_entering_a_session_changes_the_yearly_summary(admin_client, demo_data):
    before = yearly_summary(fiscal_year=2018)
    response = admin_client.post(reverse(ADD_URL), session_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    after = yearly_summary(fiscal_year=2018)
    assert (after.sessions, after.participants) == (before.sessions + 1, before.participants + 25)
    assert TrainingSession.objects.get(title="新しい研修").fiscal_year == 2018


@pytest.mark.django_db
def test_negative_headcount_is_refused_with_a_japanese_message(admin_client):
    response = admin_client.post(reverse(ADD_URL), session_form(headcount="-5"))
    assert response.status_code == 200
    assert "0 以上" in response.content.decode() or "0以上" in response.content.decode()
    assert not TrainingSession.objects.exists()


@pytest.mark.django_db
def test_duplicate_session_is_refused_with_a_japanese_message(admin_client, make_session):
    make_session(title="新しい研修", date=datetime.date(2018, 9, 1))
    response = admin_client.post(reverse(ADD_URL), session_form())
    assert response.status_code == 200
    assert "同じ開催日・研修名の研修が既に登録されています。" in response.content.decode()
    assert TrainingSession.objects.count() == 1


@pytest.mark.django_db
def test_invalid_date_is_refused_with_a_japanese_message(admin_client):
    response = admin_client.post(reverse(ADD_URL), session_form(date="2018-13-40"))
    assert response.status_code == 200
    assert "日付を正しく入力してください" in response.content.decode()


@pytest.mark.django_db
def test_attendance_inline_is_saved_with_the_session(admin_client):
    data = session_form(
        **{
            "headcount": "",
            "attendances-TOTAL_FORMS": "2",
            "attendances-0-name": "山田太郎",
            "attendances-0-organization_text": "中村地域ケアプラザ",
            "attendances-1-name": "佐藤花子",
        }
    )
    response = admin_client.post(reverse(ADD_URL), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    session = TrainingSession.objects.with_participant_counts().get()
    assert session.participant_count == 2
    assert set(Attendance.objects.values_list("name", flat=True)) == {"山田太郎", "佐藤花子"}
