"""A data-entry user imports a CP932 sign-in sheet through the admin, in headless Chromium."""

import importlib

import pytest
from django.contrib.auth.models import Permission, User

from tests.test_browser import screenshot
from tests.trainings.conftest import DATA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _wards(transactional_db):
    # An earlier transactional test may have flushed the wards that a data migration loads.
    from django.apps import apps

    load_wards = importlib.import_module("partners.migrations.0002_load_wards").load_wards
    load_wards(apps, None)


def session_row_text(page, live_server, session):
    """Return the session's list row as '<headcount>\t<sheet rows>' (the two count columns)."""
    page.goto(f"{live_server.url}/admin/trainings/trainingsession/?q={session.title}")
    row = page.locator("#result_list tbody tr").first
    cells = [row.locator(f"td.field-{name}").inner_text() for name in ("headcount", "roster_column")]
    return "\t" + "\t".join(cells) + "\t"


def test_clerk_imports_a_cp932_sheet_and_sees_the_count_change(live_server, browser_page, import_records):
    seminar = import_records["seminar"]
    clerk = User.objects.create_user("nyuryoku", password="pw-for-tests-only", is_staff=True)
    codenames = ["import_attendancesheet", "view_attendancesheet", "view_trainingsession", "change_trainingsession"]
    clerk.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    page = browser_page

    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "nyuryoku")
    page.fill("#id_password", "pw-for-tests-only")
    with page.expect_navigation():
        page.click("input[type=submit]")

    before = session_row_text(page, live_server, seminar)
    assert "\t1\t0\t" in before  # headcount 1 typed in, no sheet rows yet

    page.goto(f"{live_server.url}/admin/trainings/trainingsession/{seminar.pk}/change/")
    with page.expect_navigation():
        page.click("text=この研修の出席者名簿を取り込む")
    assert page.locator("#id_kind_1").is_checked()  # 1研修の出席者名簿, the session pre-selected
    page.set_input_files("#id_import_file", str(DATA / "participants_cp932.csv"))
    with page.expect_navigation():
        page.click("text=確認する（まだ保存しません）")
    page.wait_for_load_state("load")

    main = page.locator("#content").inner_text()
    assert "CSV（CP932）" in main and "エラーはありません" in main
    assert "髙橋 一郎" in main and "山田 ①子" in main  # CP932 decoded, nothing garbled
    screenshot(page, "import-preview")
    with page.expect_navigation():
        page.click("input[name=_confirm]")
    page.wait_for_load_state("load")

    message = page.locator(".messagelist").inner_text()
    assert "取り込みました" in message and "地域まちづくり支援制度活用研修 5人" in message
    screenshot(page, "import-done")

    after = session_row_text(page, live_server, seminar)
    assert "\t1\t5\t" in after  # the session now counts its 5 sheet rows
