"""Unknown is empty, never 0: every open-data file, dashboard download and page, for each way a figure can be unknown.

The ways: a category whose sessions all have an unknown headcount; a ward where only such
sessions were held; a year without any attendance sheet (nobody's ward, no 実人数); a year
without published figures; a previous year whose figure is unknown.
"""

import csv
import datetime
import io
import json
import re

import pytest
from django.contrib.auth.models import Group, User
from openpyxl import load_workbook

from partners.models import Ward
from portal.dashboard import exports
from portal.public import opendata
from portal.services import publish_fiscal_year
from trainings.models import TrainingCategory, TrainingSession

FY = 2020


@pytest.fixture
def unknown_figures(db):
    """FY2020: category ア all unknown in 南区, イ known (8) in 青葉区; FY2019: ア unknown. No sheet, no 公表数値."""
    unknown = TrainingCategory.objects.create(code="ア", name="人数不明の区分", order=1)
    known = TrainingCategory.objects.create(code="イ", name="人数の分かる区分", order=2)
    minami, aoba = Ward.objects.get(code="14105"), Ward.objects.get(code="14117")
    for day in (1, 2):
        TrainingSession.objects.create(
            date=datetime.date(2020, 6, day), title=f"不明{day}", category=unknown, ward=minami
        )
    TrainingSession.objects.create(date=datetime.date(2020, 7, 1), title="既知", category=known, ward=aoba, headcount=8)
    TrainingSession.objects.create(date=datetime.date(2019, 6, 1), title="前年度の不明", category=unknown)
    publish_fiscal_year(fiscal_year=FY)


def csv_rows(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_open_data_files_leave_unknown_figures_empty(client, unknown_figures):
    categories = {
        r["category_code"]: r
        for r in json.loads(client.get(f"/open-data/{FY}/training_categories.json").content)["records"]
    }
    assert categories["ア"]["participants"] is None and categories["ア"]["sessions_without_count"] == 2
    assert categories["イ"]["participants"] == 8
    assert categories["ア"]["reported_participants"] is None  # no published figure
    rows = csv_rows(client.get(f"/open-data/{FY}/training_categories.csv").content)
    unknown_row = next(r for r in rows if r[3] == "ア")
    assert unknown_row[6] == "" and unknown_row[8:] == ["", ""]

    wards = {
        r["ward_name"]: r for r in json.loads(client.get(f"/open-data/{FY}/training_wards.json").content)["records"]
    }
    assert wards["南区"]["participants_held"] is None and wards["南区"]["sessions_held"] == 2
    assert wards["青葉区"]["participants_held"] == 8
    assert wards["鶴見区"]["participants_held"] == 0  # no session held there: a true 0
    assert {w["attendances_from_ward"] for w in wards.values()} == {None}  # no sheet this year
    ward_csv = {r[3]: r for r in csv_rows(client.get(f"/open-data/{FY}/training_wards.csv").content)}
    assert ward_csv["南区"][5] == "" and ward_csv["南区"][6] == ""

    events = json.loads(client.get(f"/open-data/{FY}/event.json").content)["records"]
    notes = {e["イベント名"]: e["備考"] for e in events}
    assert notes == {"不明1": "", "不明2": "", "既知": "参加者数：8人。"}
    for dataset in opendata.DATASETS.values():
        for fmt in dataset.formats:
            url = dataset.url(fmt, FY) if dataset.per_year else dataset.url(fmt)
            body = client.get(url).content.decode("utf-8-sig")
            assert "参加者数：0人" not in body and not re.search(r"(?<![\d,])0人", body), url


@pytest.fixture
def manager_client(client, db):
    user = User.objects.create_user("manager", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="管理職"))
    client.force_login(user)
    return client


def label_row(rows, label):
    return next(r for r in rows if r and str(r[0]).startswith(label))


def test_dashboard_downloads_leave_unknown_figures_empty(manager_client, unknown_figures):
    for table in exports.TABLES:
        for fmt in exports.FORMATS:
            response = manager_client.get(f"/dashboard/{FY}/export/{table}.{fmt}")
            assert response.status_code == 200, (table, fmt)
            if fmt == "csv":
                rows = csv_rows(response.content)
            else:
                rows = [
                    [("" if v is None else v) for v in row]
                    for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
                ]
            header = rows[1] if fmt == "xlsx" else rows[0]
            if table == "categories":
                row = label_row(rows, "ア")
                assert row[header.index("参加者数")] == "" and row[header.index("前年度参加者数")] == ""
                assert row[header.index("参加者数の差")] == ""
            if table == "wards":
                row = label_row(rows, "南区")
                assert row[header.index("参加者数")] == ""
            if table == "reconciliation":
                row = label_row(rows, "ア")
                assert row[header.index("記録の参加者数")] == "" and row[header.index("参加者数の差")] == ""
            if table == "trend":
                row = label_row(rows, "2019年度")
                assert row[header.index("参加者数")] == "" and row[header.index("公表参加者数")] == ""
                # A year without any record (データなし on the page) is empty, not 0 sessions.
                row = label_row(rows, "2016年度")
                assert row[1:4] == ["", "", ""], row
            if table == "totals":
                row = label_row(rows, "実人数")
                assert row[2] == ""  # no sheet: 実人数 is not known


def test_pages_say_unknown_not_zero(client, manager_client, unknown_figures):
    dashboard = manager_client.get(f"/dashboard/{FY}/").content.decode()
    row = re.search(
        r"<tr[^>]*>\s*<th scope=\"row\">(?:<a [^>]*>)?ア 人数不明の区分.*?</tr>", dashboard, flags=re.S
    ).group(0)
    assert "不明" in row and ">0人<" not in row
    manager_client.logout()
    page = client.get(f"/summary/{FY}/").content.decode()
    row = re.search(r'<tr data-category="ア">.*?</tr>', page, flags=re.S).group(0)
    assert "不明" in row and "0人" not in row
    ward = re.search(r'<tr data-ward="14105">.*?</tr>', page, flags=re.S).group(0)
    assert "不明" in ward and "0人" not in ward
