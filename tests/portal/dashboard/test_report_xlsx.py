"""The committee report's tables as a workbook (portal/dashboard/report_xlsx.py), read back with openpyxl."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from outreach.models import Achievement, ApproachCase, CaseEvent
from partners.models import Collaboration
from trainings.models import TrainingCategory, TrainingSession

pytestmark = pytest.mark.django_db


def workbook_of(client, fy=2018):
    response = client.get(f"/dashboard/{fy}/report/download.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.content))


def rows(sheet):
    """Return the data rows of a sheet (after its title and header rows) as lists of values."""
    return [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]


def test_every_table_of_the_report_is_a_sheet_named_in_japanese(report_client, demo_data):
    book = workbook_of(report_client)
    assert book.sheetnames == [
        "取組実績と成果",
        "進め方（計画項目）",
        "事例の経過",
        "局間連携",
        "研修区分別",
        "研修一覧",
        "注記",
    ]
    assert book["研修区分別"]["A1"].value == "2 主に実施した研修等について（全48回、参加者約1,800人）"


def test_the_sheets_hold_the_records(report_client, demo_data):
    book = workbook_of(report_client)
    assert rows(book["取組実績と成果"]) == [[a.code, a.text] for a in Achievement.objects.for_fiscal_year(2018)]
    assert rows(book["局間連携"]) == [
        [c.bureau.name, c.description] for c in Collaboration.objects.filter(fiscal_year=2018).order_by("order")
    ]
    sessions = TrainingSession.objects.for_fiscal_year(2018).with_participant_counts()
    listed = rows(book["研修一覧"])
    assert len(listed) == sessions.count()
    assert sum(row[4] or 0 for row in listed) == sum(s.participant_count or 0 for s in sessions)
    first = sessions.order_by("date", "title").filter(category__code="ア").first()
    assert [row for row in listed if row[3] == first.title][0][2] == datetime.datetime.combine(
        first.date, datetime.time()
    )
    nakamura = [
        row[4] for row in rows(book["事例の経過"]) if row[0] == ApproachCase.objects.get(slug="minami-nakamura").title
    ]
    assert nakamura.index("出前塾") < nakamura.index("採択")


def test_an_unknown_headcount_is_an_empty_cell_and_a_formula_stays_text(report_client, demo_data):
    by_code = {row[0]: row for row in rows(workbook_of(report_client)["研修区分別"])}
    unknown = TrainingCategory.objects.get(is_itemised=False)
    assert by_code[unknown.code][3] is None  # 参加者数: unknown, not 0

    case = ApproachCase.objects.get(slug="minami-nakamura")
    CaseEvent.objects.create(case=case, fiscal_year=2018, position=99, text='=HYPERLINK("http://example.com")')
    texts = [row[5] for row in rows(workbook_of(report_client)["事例の経過"])]
    assert '\'=HYPERLINK("http://example.com")' in texts
