"""Point 7 of the public-site issue: a visitor on a phone, and screenshots of every public page."""

import re

import pytest

from tests.test_browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = {
    "home": "/",
    "summary-2018": "/summary/2018/",
    "summary-2017-empty": "/summary/2017/",
    "cases": "/cases/",
    "cases-filtered": "/cases/?ward=14105&q=居場所",
    "case-minami-nakamura": "/cases/minami-nakamura/",
    "collaborations-2018": "/collaborations/2018/",
    "open-data": "/open-data/",
    "not-found": "/no-such-page/",
}


def fits_the_viewport(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_phone_visitor_reads_a_year_and_the_nakamura_case_and_downloads_a_csv(live_server, live_demo_data, phone_page):
    page = phone_page

    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "アプローチ型支援の取組状況"
    page.keyboard.press("Tab")  # the skip link takes the keyboard focus, visibly
    focused = page.evaluate(
        "[document.activeElement.textContent, getComputedStyle(document.activeElement).outlineStyle]"
    )
    assert focused == ["本文へ移動", "solid"]
    assert fits_the_viewport(page)

    page.get_by_role("link", name=re.compile(r"2018年度（平成30年度）の詳しい実績")).click()
    assert page.locator("h1").inner_text() == "2018年度（平成30年度）の実績"
    assert "48回" in page.locator("#categories-2018 tfoot").inner_text()
    assert fits_the_viewport(page)

    page.get_by_role("link", name=re.compile("南区中村地区")).first.click()
    assert "南区中村地区" in page.locator("h1").inner_text()
    timeline = page.locator("ol.timeline")
    assert timeline.is_visible()
    text = timeline.inner_text()
    assert "2016年（平成28年）" in text and "2016年中" in text and "2018年5月24日" in text
    assert "空き家を活用した多世代交流拠点" in text
    assert fits_the_viewport(page)

    page.get_by_role("link", name="オープンデータ").first.click()
    assert page.locator("h1").inner_text() == "オープンデータ"
    with page.expect_download() as download_info:
        page.locator('a[href="/open-data/2018/training_categories.csv"]').click()
    download = download_info.value
    assert download.suggested_filename == "141003_training_categories_2018.csv"
    data = download.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines()[0].startswith("全国地方公共団体コード,年度,")


def test_every_public_page_at_phone_and_desktop_width(live_server, live_demo_data, phone_page):
    page = phone_page
    for width, height, label in ((390, 844, "phone"), (1280, 900, "desktop")):
        page.set_viewport_size({"width": width, "height": height})
        for name, path in PUBLIC_PAGES.items():
            page.goto(live_server.url + path)
            assert page.locator("h1").count() == 1, path
            assert fits_the_viewport(page), f"{path} scrolls sideways at {width}px"
            screenshot(page, f"public-{name}-{label}")
