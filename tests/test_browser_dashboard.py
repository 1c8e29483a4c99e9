"""A manager logs in, reads the dashboard, switches the fiscal year, opens the report and saves it as PDF."""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from tests.pdf_pages import pdf_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "screenshots"))
A4_POINTS = (595.28, 841.89)
# The report's @page margins (static/css/dashboard.css), as fractions of the A4 height.
TOP_MARGIN, BOTTOM_MARGIN = 15 / 297, 18 / 297


def screenshot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def load_wards():
    """Put back the 18 wards a migration loads: a transactional test before this one flushed them."""
    from importlib import import_module

    from django.apps import apps

    import_module("partners.migrations.0002_load_wards").load_wards(apps, None)


def test_manager_reads_the_dashboard_and_prints_the_report(live_server, browser_page):
    load_wards()
    call_command("load_demo_data", verbosity=0)
    # A transactional test before this one flushed the role groups the migration made: put them back.
    call_command("setup_roles", stdout=StringIO())
    User.objects.create_user("manager", password="kanri-2018-pass")
    call_command("grant_role", "manager", "管理職", stdout=StringIO())
    page = browser_page

    # Not logged in: the dashboard sends the manager to the login page.
    page.goto(live_server.url + "/dashboard/")
    page.fill("input[name=username]", "manager")
    page.fill("input[name=password]", "kanri-2018-pass")
    page.click("input[type=submit]")
    page.wait_for_url("**/dashboard/2018/")
    assert "2018年度（平成30年度）" in page.locator("h1").inner_text()
    main = page.locator("main").inner_text()
    assert "約1,800人" in main and "1,820" in main
    assert "概数で一致" in main and "公表合計と不一致" in main
    # The charts are drawn (inline SVG with real size) and the Japanese text has width.
    charts = page.locator("figure.chart svg")
    assert charts.count() == 5
    assert all(charts.nth(i).bounding_box()["height"] > 100 for i in range(charts.count()))
    assert page.locator("h1").bounding_box()["width"] > 300
    screenshot(page, "dashboard-2018")

    # Switch to the previous fiscal year with the switcher.
    page.select_option("#fy-select", "2017")
    page.click(".year-switcher button[type=submit]")
    page.wait_for_url("**/dashboard/2017/")
    assert "2017年度（平成29年度）の記録" in page.locator("main").inner_text()
    screenshot(page, "dashboard-2017")

    # And back, then open the report.
    page.select_option("#fy-select", "2018")
    page.click(".year-switcher button[type=submit]")
    page.wait_for_url("**/dashboard/2018/")
    page.click("text=推進委員会報告（印刷用）を開く")
    page.wait_for_url("**/dashboard/2018/report/")
    report = page.locator("article.report").inner_text()
    assert "主に実施した研修等について（全48回、参加者約1,800人）" in report
    assert "ア 地域まちづくり課主催研修（全2回、総参加者130人）" in report
    screenshot(page, "report-2018")

    # Save as PDF the way the browser prints: print media, the page's own @page size (A4).
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    screenshot(page, "report-2018-print")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    SCREENSHOTS.mkdir(exist_ok=True)
    (SCREENSHOTS / "report-2018.pdf").write_bytes(pdf)

    assert pdf.startswith(b"%PDF-")
    pages = pdf_pages(pdf)
    assert len(pages) == 4, [page.text[:40] for page in pages]
    for number, page in enumerate(pages, start=1):
        assert abs(page.width - A4_POINTS[0]) < 2 and abs(page.height - A4_POINTS[1]) < 2, (page.width, page.height)
        # Page numbers 「1 / 4」 in the bottom margin, from the stylesheet's @page box (drawn first).
        assert page.text.startswith(f"{number}/{len(pages)}"), page.text[:20]
        assert page.text_bottom() > 1 - BOTTOM_MARGIN
    text = "".join(page.text for page in pages)
    assert text.count("年度の状況は報告書に記載がなく例示") == 1  # the plan-status note once, not once an item
    assert text.index("2018年5月24日出前塾") < text.index("採択：ヨコハマ")
    assert "1取組実績と成果ア平成28年度から、南区と瀬谷区の2区について" in text

    # No page is more than half empty: only the last may end early. The second part (区局連携)
    # follows on the same sheet, so the page before it is filled whatever part one's length, and
    # no whole section or long table is kept in one piece.
    assert "平成30年度の区局連携" in text
    content = 1 - TOP_MARGIN - BOTTOM_MARGIN
    for number, page in enumerate(pages[:-1], start=1):
        filled = (page.text_bottom(above=1 - BOTTOM_MARGIN) - TOP_MARGIN) / content
        assert filled > 0.5, f"{number}ページ目は{filled:.0%}しか使われていません"
