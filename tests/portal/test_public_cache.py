import pytest
from django.urls import reverse

from core.public_cache import data_version
from outreach.models import ApproachCase, Scheme
from portal.services import publish_fiscal_year
from trainings.models import TrainingSession

SUMMARY_2018 = "/summary/2018/"
EVENT_CSV = "/open-data/2018/event.csv"


def test_a_cached_page_is_served_without_queries(client, demo_data, django_assert_num_queries):
    first = client.get(SUMMARY_2018)
    with django_assert_num_queries(0):
        second = client.get(SUMMARY_2018)
    assert second.content == first.content


def test_a_change_to_a_session_changes_the_page_once_published(client, demo_data):
    assert "1,820</span>人" in client.get(SUMMARY_2018).content.decode()
    session = TrainingSession.objects.get(title="地域まちづくり支援制度活用研修（第1回）")
    session.headcount += 100
    session.save()
    assert "1,820</span>人" in client.get(SUMMARY_2018).content.decode()  # not published yet
    publish_fiscal_year(fiscal_year=2018)  # publishing bumps the data version: the cached page goes
    assert "1,920</span>人" in client.get(SUMMARY_2018).content.decode()


def test_deleting_a_session_changes_the_page_once_published(client, demo_data):
    assert "48</span>回" in client.get(SUMMARY_2018).content.decode()
    TrainingSession.objects.filter(fiscal_year=2018).first().delete()
    assert "48</span>回" in client.get(SUMMARY_2018).content.decode()
    publish_fiscal_year(fiscal_year=2018)
    assert "47</span>回" in client.get(SUMMARY_2018).content.decode()


def test_a_many_to_many_change_changes_the_case_page(client, demo_data):
    url = reverse("case_detail", kwargs={"slug": "minami-nakamura"})
    assert "地域交通サポート事業" not in client.get(url).content.decode()
    ApproachCase.objects.get(slug="minami-nakamura").schemes.add(Scheme.objects.get(name="地域交通サポート事業"))
    assert "地域交通サポート事業" in client.get(url).content.decode()


def test_unpublishing_a_case_removes_it_at_once(client, demo_data):
    url = reverse("case_detail", kwargs={"slug": "minami-nakamura"})
    assert client.get(url).status_code == 200
    ApproachCase.objects.filter(slug="minami-nakamura").update(is_published=False)  # no signal …
    assert client.get(url).status_code == 200  # … so the cached page is still served, until
    ApproachCase.objects.get(slug="minami-nakamura").save()  # a save (as the admin does) bumps the version
    assert client.get(url).status_code == 404


def test_pages_revalidate_with_etag(client, demo_data):
    response = client.get(SUMMARY_2018)
    etag = response["ETag"]
    assert response["Last-Modified"]
    assert client.get(SUMMARY_2018, headers={"if-none-match": etag}).status_code == 304
    TrainingSession.objects.first().save()
    assert client.get(SUMMARY_2018, headers={"if-none-match": etag}).status_code == 200


def test_downloads_have_etag_and_last_modified_and_answer_304(client, demo_data):
    response = client.get(EVENT_CSV)
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert etag.startswith('"') and last_modified.endswith("GMT")
    assert client.get(EVENT_CSV, headers={"if-none-match": etag}).status_code == 304
    assert client.get(EVENT_CSV, headers={"if-modified-since": last_modified}).status_code == 304
    assert client.get("/open-data/2018/training_wards.csv", headers={"if-none-match": etag}).status_code == 200

    session = TrainingSession.objects.filter(fiscal_year=2018).first()
    session.title = "名前を変えた研修"
    session.illustrative_fields = ""  # its date is recorded now: the event list shows it
    session.save()
    publish_fiscal_year(fiscal_year=2018)
    changed = client.get(EVENT_CSV, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "名前を変えた研修" in changed.content.decode("utf-8-sig")


def test_staff_pages_are_never_cached_or_shared_with_visitors(client, demo_data, admin_user):
    client.force_login(admin_user)
    staff_html = client.get("/").content.decode()
    assert "管理画面" in staff_html
    client.logout()
    visitor = client.get("/")
    assert "管理画面" not in visitor.content.decode()
    client.force_login(admin_user)
    response = client.get("/")
    assert "private" in response["Cache-Control"]
    assert "管理画面" in response.content.decode()


@pytest.mark.django_db
def test_data_version_is_stable_until_records_change(make_session):
    before = data_version()
    assert data_version() == before
    make_session(headcount=1)
    assert data_version()[0] != before[0]
