"""Browser checks in headless Chromium: Japanese text is rendered, not boxes or escapes."""

import os
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "screenshots"))


def screenshot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_home_and_admin_login_show_japanese(live_server, live_demo_data, browser_page):
    page = browser_page

    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "アプローチ型支援の取組状況"
    summary = page.locator("#summary-heading").inner_text()
    assert "2018年度（平成30年度）" in summary
    assert "約1,800人" in page.locator("main").inner_text()
    # The Japanese font is installed: the heading has real width, not zero-width fallbacks.
    assert page.locator("h1").bounding_box()["width"] > 200
    screenshot(page, "home")

    page.goto(live_server.url + "/admin/")
    assert "ユーザー名" in page.locator("body").inner_text()
    assert page.locator("input[type=submit]").get_attribute("value") == "ログイン"
    assert page.locator("input[name=username]").is_visible()
    screenshot(page, "admin-login")
