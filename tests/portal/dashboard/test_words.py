"""The dashboard's words (issue 15, point 5): differences written ＋120 / －35, none against a year
without records, never 「約0人」 or 「予定（予定）」, Japanese download names and sheet names.

Each page is rendered as each role that may see it, for FY2018 (the demo year, whose previous year
has no records), FY2019 (a year with a single session without a headcount) and FY2021 (a year with
only a planned timeline entry).
"""

import csv
import datetime
import io
import re
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group, User
from openpyxl import load_workbook

from outreach.models import ApproachCase, CaseEvent, EventKind
from portal.dashboard import exports
from portal.roles import ROLES
from portal.services import publish_fiscal_year
from trainings.models import TrainingCategory, TrainingSession


def text_of(response):
    """Return the page's text without tags, scripts, styles or repeated whitespace."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", response.content.decode())
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def few_records(demo_data):
    """FY2019 with one session whose headcount is unknown; FY2021 with only a planned entry of the kind 予定."""
    TrainingSession.objects.create(
        title="令和元年度の説明会", date=datetime.date(2019, 6, 1), category=TrainingCategory.objects.first()
    )
    case = ApproachCase.objects.filter(events__isnull=False).first()
    planned = {"case": case, "fiscal_year": 2021, "is_planned": True}
    CaseEvent.objects.create(kind=EventKind.PLAN, text="次の拠点を整備予定", **planned)
    CaseEvent.objects.create(kind=EventKind.HEARING, text="住民へのヒアリング", **planned)
    return case


def client_as(client, role):
    user = User.objects.create_user(f"user-{len(role)}-{role}", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return client


def dashboard_pages(case):
    pages = [f"/dashboard/{fy}/" for fy in (2017, 2018, 2019, 2020, 2021)]
    pages += [f"/dashboard/{fy}/report/" for fy in (2018, 2019, 2021)]
    return pages + ["/", "/summary/2018/", "/summary/2019/", f"/cases/{case.slug}/"]


@pytest.mark.parametrize("role", ROLES)
def test_no_page_writes_about_zero_a_doubled_planned_label_or_a_triangle(client, few_records, role):
    client_as(client, role)
    for url in dashboard_pages(few_records):
        response = client.get(url)
        assert response.status_code == 200, url
        text = text_of(response)
        assert "約0人" not in text and "約0" not in text, url
        assert "予定（予定）" not in text and "（予定） 予定" not in text, url
        assert "▲" not in text and "▼" not in text, url
        assert "差は0" not in text, url
        # No list on the page repeats an item (a bullet written twice).
        for items in re.findall(r"(?s)<(?:ul|ol)\b[^>]*>(.*?)</(?:ul|ol)>", response.content.decode()):
            texts = [re.sub(r"\s+|<[^>]+>", "", li) for li in re.findall(r"(?s)<li\b[^>]*>(.*?)</li>", items)]
            assert len(texts) == len(set(texts)), (url, texts)


def test_the_stylesheet_marks_no_difference_with_a_triangle():
    with open("static/css/dashboard.css", encoding="utf-8") as css:
        rules = re.sub(r"(?s)/\*.*?\*/", "", css.read())
    assert "▲" not in rules and "▼" not in rules


def test_differences_are_written_with_full_width_signs(client, small_year):
    client_as(client, "管理職")
    text = text_of(client.get("/dashboard/2018/"))
    # small_year: 4 sessions in FY2018 against 1 in FY2017, 20 participants against 5.
    assert "研修等の回数 4回 1回 ＋3" in text
    assert "参加者数（延べ） 20人 5人 ＋15" in text
    assert "前年度 1回（＋3）" in text
    # A drop: FY2017's category ア against FY2018's none of 市民局…; the month without sessions this year.
    assert "－1" in text


def test_a_year_after_one_without_records_shows_no_difference(client, demo_data):
    client_as(client, "管理職")
    text = text_of(client.get("/dashboard/2018/"))
    assert "前年度（2017年度（平成29年度））の研修の記録はありません。" in text
    assert "比べる前年度がないため、前年度の数値と差は「—」としています。" in text
    assert "研修等の回数 48回 — —" in text
    assert "前年度 0回" not in text and "＋48" not in text and "＋1,820" not in text
    assert "前年度の記録なし" in text
    # The breakdown tables: previous columns and differences are 「—」, never 0.
    row = re.search(r"ア 地域まちづくり課主催研修 2回 130人 (.*?) イ ", text).group(1)
    assert row == "— — — —"


def test_exports_leave_the_differences_against_a_year_without_records_empty(client, demo_data):
    client_as(client, "管理職")
    body = client.get("/dashboard/2018/export/categories.csv").content.decode("utf-8-sig")
    header, first, *_ = list(csv.reader(io.StringIO(body)))
    assert header[-4:] == ["前年度（2017年度（平成29年度））回数", "前年度参加者数", "回数の差", "参加者数の差"]
    assert first[:3] == ["ア 地域まちづくり課主催研修", "2", "130"] and first[-4:] == ["", "", "", ""]
    workbook = load_workbook(io.BytesIO(client.get("/dashboard/2018/export/totals.xlsx").content))
    rows = {row[0]: row for row in workbook.active.iter_rows(min_row=3, values_only=True)}
    assert rows["研修等の回数"][2:] == (48, None, None, None)


def test_a_year_whose_sessions_have_no_headcount_says_unknown(client, few_records):
    client_as(client, "管理職")
    text = text_of(client.get("/dashboard/2019/"))
    assert "参加者数（延べ人数） 不明" in text
    assert "参加者数（延べ） 1回" not in text
    assert "参加者数（延べ） 不明 1,820人 —" in text  # unknown this year: no difference
    publish_fiscal_year(fiscal_year=2019)  # the public page shows a year once it is published
    assert "不明" in text_of(client.get("/summary/2019/"))


def test_export_file_names_and_sheet_names_are_japanese(client, demo_data):
    client_as(client, "管理職")
    for table in exports.TABLES:
        for fmt in exports.FORMATS:
            response = client.get(f"/dashboard/2018/export/{table}.{fmt}")
            assert response.status_code == 200
            name = f"ダッシュボード_2018年度_{exports.LABELS[table]}.{fmt}"
            assert response["Content-Disposition"] == "attachment; filename*=utf-8''" + quote(name)
            if fmt == "xlsx":
                title = load_workbook(io.BytesIO(response.content)).active.title
                assert title == exports.LABELS[table]
                assert not re.search(r"[A-Za-z]", title), title
    assert exports.file_name("categories", 2018, "csv") == "ダッシュボード_2018年度_研修区分別.csv"


def test_the_open_data_timeline_writes_a_planned_plan_once(client, few_records):
    body = client.get("/open-data/cases.csv").content.decode("utf-8-sig")
    assert "予定：次の拠点を整備予定" in body and "予定（予定）" not in body
    assert "ヒアリング（予定）：住民へのヒアリング" in body


def test_about_stands_only_before_a_figure_that_rounding_changed(client, demo_data):
    # FY2019 gets 8 participants: 「約8人」 would call an exact count uncertain.
    TrainingSession.objects.create(
        title="令和元年度の説明会",
        date=datetime.date(2019, 6, 1),
        category=TrainingCategory.objects.first(),
        headcount=8,
    )
    client_as(client, ROLES[1])
    for url in ("/summary/2019/", "/dashboard/2019/", "/dashboard/2019/report/", "/"):
        text = text_of(client.get(url))
        assert "約8" not in text and "概数では8" not in text, url
    # FY2018's 1,820 is written 約1,800 where the reports round it.
    assert "約1,800" in text_of(client.get("/summary/2018/"))
