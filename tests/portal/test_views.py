import pytest
from django.urls import reverse


def test_home_shows_the_latest_fiscal_year_summary(client, demo_data):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2018年度（平成30年度）" in html
    assert "48</span>回" in html
    assert "1,820</span>人" in html
    assert "約1,800人" in html
    assert "16回は参加者数が記録されていない" in html
    assert "ア 地域まちづくり課主催研修" in html


@pytest.mark.django_db
def test_home_without_records_says_so(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "まだ研修の記録がありません" in response.content.decode()


def test_home_page_query_count_is_bounded(client, demo_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get(reverse("home"))


def test_home_never_shows_attendee_names(client, demo_data):
    from trainings.models import Attendance, TrainingSession

    session = TrainingSession.objects.filter(fiscal_year=2018).first()
    Attendance.objects.create(session=session, name="秘密花子ユニーク")
    assert "秘密花子ユニーク" not in client.get(reverse("home")).content.decode()
