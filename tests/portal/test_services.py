"""Publishing a fiscal year (portal/services.py) and what the public sees before and after."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied

from portal.models import Publication
from portal.roles import DATA_ENTRY, MANAGER
from portal.services import publication_state, publish_fiscal_year
from trainings.models import TrainingSession

SUMMARY_2018 = "/summary/2018/"
SUMMARY_2019 = "/summary/2019/"


def user_with(role, name):
    user = User.objects.create_user(name, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def correction(demo_data):
    """FY2018 corrected after publication: a session's headcount 70 → 60 (1,820 → 1,810 participants)."""
    session = TrainingSession.objects.get(title="地域まちづくり支援制度活用研修（第1回）")
    session.headcount = 60
    session.save()
    return session


def test_the_demo_data_publishes_fy2018_only(demo_data):
    (publication,) = Publication.objects.all()
    assert publication.fiscal_year == 2018 and publication.published_by is None
    assert publication.figures["summary"]["participants"] == 1820
    assert not publication_state(fiscal_year=2018).differs


def test_a_new_fy2019_session_stays_internal_until_a_manager_publishes_fy2019(client, demo_data):
    TrainingSession.objects.create(date=datetime.date(2019, 5, 10), title="2019年度の新しい研修", headcount=33)
    for url in ("/", SUMMARY_2019, "/open-data/"):
        assert "2019年度の新しい研修" not in client.get(url).content.decode()
    assert "2018年度（平成30年度）の研修等の実績" in client.get("/").content.decode()  # home: latest published
    assert "まだ公開されていません" in client.get(SUMMARY_2019).content.decode()
    assert client.get("/open-data/2019/training_categories.csv").status_code == 404

    publish_fiscal_year(fiscal_year=2019, user=user_with(MANAGER, "manager"))
    assert "2019年度（令和元年度）の研修等の実績" in client.get("/").content.decode()
    assert "33</span>人" in client.get(SUMMARY_2019).content.decode()
    assert client.get("/open-data/2019/training_categories.csv").status_code == 200


def test_a_correction_stays_internal_until_republished_and_the_history_lists_both(client, correction):
    assert "1,820</span>人" in client.get(SUMMARY_2018).content.decode()
    state = publication_state(fiscal_year=2018)
    assert state.differs and "参加者数 1,820 → 1,810" in [str(c) for c in state.changes]

    publish_fiscal_year(fiscal_year=2018, user=user_with(MANAGER, "manager"), note="ア区分の人数を訂正")
    html = client.get(SUMMARY_2018).content.decode()
    assert "1,810</span>人" in html
    history = html[html.index('id="history-heading"') :]
    assert history.count("公開</strong>") == 2 and "（初回）" in history
    assert "参加者数 1,820 → 1,810" in history and "ア区分の人数を訂正" in history
    assert Publication.objects.filter(fiscal_year=2018).count() == 2  # the earlier one is kept
    first = Publication.objects.filter(fiscal_year=2018).order_by("published_at").first()
    assert first.figures["summary"]["participants"] == 1820


def test_only_holders_of_the_permission_publish(correction):
    with pytest.raises(PermissionDenied):
        publish_fiscal_year(fiscal_year=2018, user=user_with(DATA_ENTRY, "entry"))
    assert Publication.objects.count() == 1


def test_staff_see_the_unpublished_changes_on_the_dashboard_and_a_banner_on_public_pages(client, correction):
    client.force_login(user_with(MANAGER, "manager"))
    assert "未公開の変更あり：参加者数 1,820 → 1,810" in text_of(client.get("/dashboard/2018/"))
    page = text_of(client.get(SUMMARY_2018))
    assert "職員向けの表示" in page and "参加者数 1,820 → 1,810" in page
    assert "1,820 人" in page  # the page itself still shows what is published
    client.logout()
    assert "職員向けの表示" not in client.get(SUMMARY_2018).content.decode()


def test_the_publish_page_shows_the_changes_then_publishes_on_post(client, correction):
    client.force_login(user_with(MANAGER, "manager"))
    page = client.get("/dashboard/2018/publish/")
    assert page.status_code == 200
    table = text_of(page)
    assert "前回の公開から変わる項目" in table and "参加者数 1,820 1,810" in table
    response = client.post("/dashboard/2018/publish/", {"note": "訂正"})
    assert response.status_code == 302 and response["Location"] == "/dashboard/2018/"
    assert Publication.objects.filter(fiscal_year=2018).count() == 2
    assert "公開しました" in text_of(client.get("/dashboard/2018/"))
    # Nothing changed since: a second publication is refused.
    again = client.post("/dashboard/2018/publish/", {"note": ""})
    assert again.status_code == 400 and "変更がない" in again.content.decode()
    assert Publication.objects.filter(fiscal_year=2018).count() == 2


def test_data_entry_staff_may_look_but_not_publish(client, correction):
    client.force_login(user_with(DATA_ENTRY, "entry"))
    page = client.get("/dashboard/2018/publish/")
    assert page.status_code == 200 and '<form method="post"' not in page.content.decode()
    assert client.post("/dashboard/2018/publish/", {"note": ""}).status_code == 403
    assert Publication.objects.count() == 1


def test_the_report_says_whether_its_figures_are_published(client, demo_data):
    client.force_login(user_with(MANAGER, "manager"))
    publication = Publication.objects.get()
    day = publication.published_at.astimezone(datetime.timezone(datetime.timedelta(hours=9))).date()
    assert f"{day.year}年{day.month}月{day.day}日公開の確定値" in text_of(client.get("/dashboard/2018/report/"))
    session = TrainingSession.objects.filter(fiscal_year=2018).first()
    session.headcount = (session.headcount or 0) + 1
    session.save()
    assert "速報値（未公開）" in text_of(client.get("/dashboard/2018/report/"))


def test_publishing_bumps_the_public_cache(client, correction):
    assert "1,820</span>人" in client.get(SUMMARY_2018).content.decode()  # cached now
    publish_fiscal_year(fiscal_year=2018)
    assert "1,810</span>人" in client.get(SUMMARY_2018).content.decode()
