"""「Excelから貼り付け」 in headless Chromium: a clerk pastes rows copied from Excel into a session,
previews and saves them with the keyboard alone; the page passes axe-core and fits a laptop and a phone.
"""

import pytest

from tests import test_browser_a11y as a11y
from tests.test_browser import screenshot
from tests.test_browser_a11y import DESKTOP, PHONE, axe_violations, fits_the_viewport, log_in, make_user, tab_to
from tests.trainings.importing.test_paste import excel_clipboard
from trainings.models import TrainingSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# The browser fixtures of the accessibility tests: one Chromium for the module, a context per page.
chromium = a11y.chromium
new_page = a11y.new_page

PASTED = [
    ["No.", "氏名", "ふりがな", "所属", "区", "役職", "備考"],
    ["1", "横浜 花子", "よこはま はなこ", "中村地域ケアプラザ", "南区", "コーディネーター", ""],
    ["2", "港 太郎", "", "", "南", "", "遅れて参加\n途中退席"],
    ["3", "髙橋 次郎", "", "謎の会", "", "", ""],
]


def test_a_clerk_pastes_rows_from_excel_and_saves_them(live_server, live_demo_data, new_page):
    make_user("nyuryoku", "入力担当")
    session = TrainingSession.objects.filter(fiscal_year=2018, attendances__isnull=True).order_by("date", "pk").first()
    page = new_page(DESKTOP)
    log_in(page, live_server.url, "nyuryoku")
    page.goto(f"{live_server.url}/admin/trainings/trainingsession/{session.pk}/change/")
    tab_to(page, "貼り付けのリンク", "(e) => e.textContent === 'Excelから貼り付け'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "見出し行なしで貼り付けるときの列の順番" in page.locator("#content").inner_text()
    assert axe_violations(page) == []
    assert fits_the_viewport(page)

    # What Excel puts on the clipboard (the browser's paste event fills the box the same way).
    tab_to(page, "貼り付ける欄", "(e) => e.id === 'id_text'")
    page.fill("#id_text", excel_clipboard(PASTED))
    tab_to(page, "確認ボタン", "(e) => e.name === '_preview'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    content = page.locator("#content").inner_text()
    assert "エラーはありません" in content and "貼り付けた行: 3行" in content
    assert axe_violations(page) == []
    assert fits_the_viewport(page)
    screenshot(page, "paste-preview-1366")
    session.refresh_from_db()
    assert session.attendance_count == 0  # the preview wrote nothing

    tab_to(page, "保存ボタン", "(e) => e.name === '_save'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "貼り付けた3行を" in page.locator(".messagelist").inner_text()
    assert page.url.endswith(f"/admin/trainings/trainingsession/{session.pk}/change/")
    session.refresh_from_db()
    assert session.attendance_count == 3
    assert session.attendances.get(name="港 太郎").note == "遅れて参加\n途中退席"


def test_the_paste_page_with_errors_fits_a_phone_and_passes_axe(live_server, live_demo_data, new_page):
    make_user("nyuryoku", "入力担当")
    session = TrainingSession.objects.filter(fiscal_year=2018).order_by("date", "pk").first()
    page = new_page(PHONE)
    log_in(page, live_server.url, "nyuryoku")
    page.goto(f"{live_server.url}/admin/trainings/trainingsession/{session.pk}/paste/")
    assert fits_the_viewport(page)
    rows = [row[:] for row in PASTED[1:]]
    rows[1][1] = ""  # 氏名 left empty on the second pasted row
    page.fill("#id_text", excel_clipboard(rows))
    with page.expect_navigation():
        page.click("input[name=_preview]")
    errors = page.locator("table.errors").inner_text()
    assert "2行目" in errors and "B列（氏名）" in errors
    assert page.locator("input[name=_save]").count() == 0
    assert fits_the_viewport(page)
    assert axe_violations(page) == []
    screenshot(page, "paste-errors-390")
    session.refresh_from_db()
    assert not session.attendances.filter(name="横浜 花子").exists()
