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


@pytest.fixture
def connections_opened_in_test():
    """Collect the database connections a test opened; after the test's other fixtures end, check they are closed.

    Requested before browser_page, so its teardown runs after the browser fixture's. SQLite's
    in-memory test database is never closed (by design), so the check bites on PostgreSQL, where a
    connection left open stops the test database from being dropped; .ci/run runs it there.
    """
    opened = []
    yield opened
    left_open = [w for w in opened if w.connection is not None and not getattr(w, "is_in_memory_db", lambda: False)()]
    assert not left_open, "a database connection was left open"


def test_browser_fixture_closes_the_database_connection_its_test_opened(connections_opened_in_test, browser_page):
    from django.contrib.auth.models import User
    from django.db import connections

    User.objects.exists()
    connections_opened_in_test.append(connections["default"])
    assert connections["default"].connection is not None
