"""A manager publishes a fiscal year from the dashboard; the public page changes only then (issue 12)."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from tests.test_browser import screenshot
from trainings.models import TrainingSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_publishes_a_year_and_the_public_page_changes_only_then(live_server, live_demo_data, browser_page):
    call_command("setup_roles", stdout=StringIO())  # a transactional test before this one flushed the groups
    User.objects.create_user("manager", password="kanri-2018-pass")
    call_command("grant_role", "manager", "管理職", stdout=StringIO())
    TrainingSession.objects.create(date=datetime.date(2019, 5, 10), title="2019年度の新しい研修", headcount=33)
    session = TrainingSession.objects.get(title="地域まちづくり支援制度活用研修（第1回）")
    session.headcount = 60  # a correction to the published FY2018: 1,820 → 1,810
    session.save()
    page = browser_page

    # A visitor sees FY2018 as published, and nothing of FY2019.
    page.goto(live_server.url + "/summary/2018/")
    assert "1,820" in page.locator("#categories-2018 tfoot").inner_text()
    page.goto(live_server.url + "/")
    assert "2019年度の新しい研修" not in page.content() and "2018年度（平成30年度）の研修等の実績" in page.content()
    page.goto(live_server.url + "/summary/2019/")
    assert "まだ公開されていません" in page.locator("main").inner_text()

    # The manager sees the unpublished change, checks it and publishes FY2018 again.
    page.goto(live_server.url + "/dashboard/2018/")
    page.fill("input[name=username]", "manager")
    page.fill("input[name=password]", "kanri-2018-pass")
    page.click("input[type=submit]")
    page.wait_for_url("**/dashboard/2018/")
    assert "未公開の変更あり：参加者数 1,820 → 1,810" in page.locator("#unpublished-changes").inner_text()
    page.get_by_role("link", name="確認して公開する").click()
    page.wait_for_url("**/dashboard/2018/publish/")
    assert "1,810" in page.locator("#publication-changes").inner_text()
    screenshot(page, "dashboard-publish-2018")
    page.fill("#id_note", "ア区分の第1回の人数を訂正")
    page.get_by_role("button", name="2018年度（平成30年度）の数値を公開する").click()
    page.wait_for_url("**/dashboard/2018/")
    assert "公開しました" in page.locator("main").inner_text()

    # Then FY2019.
    page.goto(live_server.url + "/dashboard/2019/publish/")
    page.get_by_role("button", name="2019年度（令和元年度）の数値を公開する").click()
    page.wait_for_url("**/dashboard/2019/")

    # The visitor (a new browser context: no login) now sees both, and the history of FY2018.
    visitor = page.context.browser.new_context(locale="ja-JP", viewport={"width": 1366, "height": 768})
    public = visitor.new_page()
    public.goto(live_server.url + "/summary/2018/")
    assert "1,810" in public.locator("#categories-2018 tfoot").inner_text()
    history = public.locator("ol.publication-history li")
    assert history.count() == 2
    assert "参加者数 1,820 → 1,810" in history.first.inner_text()
    public.goto(live_server.url + "/")
    assert "2019年度（令和元年度）の研修等の実績" in public.locator("main").inner_text()
    visitor.close()
