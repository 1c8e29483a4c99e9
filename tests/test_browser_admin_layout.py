"""The admin on a city-office laptop (1366×768): no page staff use daily scrolls sideways.

A session with 50 attendance rows, the 中村 case with its timeline, every changelist and every
add form of the record apps are opened as a superuser (who sees every column and link). On each
page the document is no wider than the window, no box inside it scrolls sideways (a list cut off
at its last columns), and no list cell is squeezed to a character or two a line.
"""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import RequestFactory

from outreach.models import ApproachCase
from partners.models import Organization, Ward
from tests.test_browser import screenshot
from trainings.models import Attendance, TrainingSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
RECORD_APPS = {"trainings", "partners", "outreach"}

# Returns the page's width, the boxes inside #content that scroll sideways, and the list cells
# narrower than 2.5 characters (Japanese text then wraps a character a line).
MEASURE = """() => {
  const doc = document.documentElement;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const scrollers = [];
  for (const el of document.querySelectorAll('#content *')) {
    if (['INPUT', 'SELECT', 'TEXTAREA', 'OPTION'].includes(el.tagName) || el.closest('.select2-container')) continue;
    const overflow = getComputedStyle(el).overflowX;
    if ((overflow === 'auto' || overflow === 'scroll') && el.scrollWidth > el.clientWidth + 1) {
      scrollers.push(name(el) + ' ' + el.scrollWidth + '>' + el.clientWidth);
    }
  }
  const squeezed = [];
  for (const td of document.querySelectorAll('#result_list tbody td:not(.action-checkbox)')) {
    const em = parseFloat(getComputedStyle(td).fontSize);
    if (td.textContent.trim().length > 2 && td.getBoundingClientRect().width < 2.5 * em) {
      squeezed.push(td.className + ' ' + Math.round(td.getBoundingClientRect().width) + 'px');
    }
  }
  return {width: doc.scrollWidth, window: window.innerWidth, scrollers, squeezed};
}"""


@pytest.fixture
def laptop_page():
    """Yield a Playwright page at 1366×768 in Tokyo time (a city-office laptop)."""
    from tests.conftest import _chromium_page

    yield from _chromium_page(LAPTOP, timezone_id="Asia/Tokyo")


def session_with_50_rows():
    """Return a demo session given 50 attendance rows with long organisation names and notes."""
    session = TrainingSession.objects.order_by("date", "title").first()
    organizations = list(Organization.objects.order_by("pk")[:4])
    wards = list(Ward.objects.order_by("code"))
    Attendance.objects.bulk_create(
        Attendance(
            session=session,
            row_number=row,
            name=f"髙橋 一郎{row}",
            name_kana="たかはし いちろう",
            organization=organizations[row % len(organizations)] if row % 2 else None,
            organization_text="" if row % 2 else "保土ケ谷区地域ケアプラザ運営協議会まちづくり部会（第二地区）",
            ward=wards[row % len(wards)],
            role="自治会長・民生委員児童委員",
            note="会議の後半のみ参加。資料は後日郵送。" if row % 3 == 0 else "",
        )
        for row in range(1, 51)
    )
    return session


def admin_pages(session, case, user):
    """Return {name: path} of the pages checked: the two record pages, every changelist, the record apps' add forms."""
    request = RequestFactory().get("/admin/")
    request.user = user
    pages = {
        "session-50-rows": f"/admin/trainings/trainingsession/{session.pk}/change/",
        "case-nakamura": f"/admin/outreach/approachcase/{case.pk}/change/",
        "index": "/admin/",
    }
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        pages[f"list-{opts.app_label}-{opts.model_name}"] = f"/admin/{opts.app_label}/{opts.model_name}/"
        if opts.app_label in RECORD_APPS and model_admin.has_add_permission(request):
            pages[f"add-{opts.app_label}-{opts.model_name}"] = f"/admin/{opts.app_label}/{opts.model_name}/add/"
    return pages


def test_no_daily_admin_page_scrolls_sideways_on_a_laptop(live_server, laptop_page):
    call_command("load_demo_data", verbosity=0)
    session = session_with_50_rows()
    case = ApproachCase.objects.get(slug="minami-nakamura")
    assert case.events.count() >= 5
    user = User.objects.create_superuser("layout", password="layout-check-2026")
    page = laptop_page
    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", "layout")
    page.fill("input[name=password]", "layout-check-2026")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")

    problems = {}
    for name, path in admin_pages(session, case, user).items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        measured = page.evaluate(MEASURE)
        if measured["width"] > measured["window"] or measured["scrollers"] or measured["squeezed"]:
            problems[path] = measured
        if name in {"session-50-rows", "case-nakamura", "list-trainings-trainingsession", "list-trainings-attendance"}:
            screenshot(page, f"admin-{name}")
    assert problems == {}

    # The 50 rows are one line each: the attendance block is about 50 lines of inputs high.
    page.goto(live_server.url + f"/admin/trainings/trainingsession/{session.pk}/change/")
    rows = page.locator("#attendances-group tbody tr.form-row:not(.empty-form)")
    assert rows.count() == 50
    heights = [rows.nth(i).bounding_box()["height"] for i in (0, 25, 49)]
    assert max(heights) < 48, heights
    # Furigana and notes are behind 「詳細」, which opens below its row.
    first = rows.nth(0)
    assert not first.locator("input[name$='-name_kana']").is_visible()
    first.locator("td.detail summary").click()
    assert first.locator("input[name$='-name_kana']").is_visible()
    assert page.evaluate(MEASURE)["width"] <= LAPTOP["width"]
    screenshot(page, "admin-session-50-rows-detail-open")


def test_a_long_title_is_cut_in_the_list_with_the_whole_title_on_hover(live_server, laptop_page):
    title = (
        "地域まちづくり支援制度活用研修（第1回）：区役所・地域ケアプラザ・社会福祉協議会の職員向け、"
        "事例紹介とグループワーク"
    )
    TrainingSession.objects.create(title=title, date=datetime.date(2018, 7, 11), audience="mixed")
    User.objects.create_superuser("layout", password="layout-check-2026")
    page = laptop_page
    page.goto(live_server.url + "/admin/login/?next=/admin/trainings/trainingsession/")
    page.fill("input[name=username]", "layout")
    page.fill("input[name=password]", "layout-check-2026")
    page.click("input[type=submit]")
    page.wait_for_url("**/trainingsession/")
    cell = page.locator("#result_list td.field-title_column .truncated").first
    assert cell.get_attribute("title") == title
    box = cell.bounding_box()
    line_height = float(page.evaluate("parseFloat(getComputedStyle(document.querySelector('.truncated')).lineHeight)"))
    assert box["height"] <= 2 * line_height + 1  # two lines at most
    # 「複数の対象」 is on one line or two, not a character a line.
    audience_height = page.evaluate(
        "(() => { const range = document.createRange();"
        " range.selectNodeContents(document.querySelector('#result_list td.field-audience'));"
        " return range.getBoundingClientRect().height; })()"
    )
    assert audience_height <= 2 * line_height + 1


def test_the_era_date_follows_what_is_typed_in_a_date_box(live_server, laptop_page):
    User.objects.create_superuser("layout", password="layout-check-2026")
    page = laptop_page
    page.goto(live_server.url + "/admin/login/?next=/admin/trainings/trainingsession/add/")
    page.fill("input[name=username]", "layout")
    page.fill("input[name=password]", "layout-check-2026")
    page.click("input[type=submit]")
    page.wait_for_url("**/trainingsession/add/")
    era = page.locator("#id_date_era")
    page.fill("#id_date", "２０１９/５/２０")
    assert era.inner_text() == "令和元年5月20日"
    page.fill("#id_date", "2019-04-30")
    assert era.inner_text() == "平成31年4月30日"
    page.fill("#id_date", "")
    assert era.inner_text() == ""
