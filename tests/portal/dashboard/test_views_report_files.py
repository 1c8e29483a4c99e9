"""The report's downloads (portal/dashboard/views.py committee_report_file): names, rights, links."""

from urllib.parse import unquote

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


def attachment_name(response):
    """Return the file name of an attachment response (RFC 6266 filename*, UTF-8)."""
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''"), disposition
    return unquote(disposition.split("''", 1)[1])


@pytest.mark.parametrize(
    ("fmt", "name"), [("docx", "委員会報告_2018年度.docx"), ("xlsx", "委員会報告_2018年度_表.xlsx")]
)
def test_the_report_files_have_japanese_names_and_are_linked_from_the_report(report_client, demo_data, fmt, name):
    response = report_client.get(f"/dashboard/2018/report/download.{fmt}")
    assert response.status_code == 200
    assert attachment_name(response) == name
    page = report_client.get("/dashboard/2018/report/").content.decode()
    assert f'href="/dashboard/2018/report/download.{fmt}"' in page and name in page


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_the_report_files_need_the_same_right_as_the_report(client, demo_data, fmt):
    url = f"/dashboard/2018/report/download.{fmt}"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(User.objects.create_user("staff-without-role", password="x", is_staff=True))
    assert client.get(url).status_code == 403
    assert client.get("/dashboard/2018/report/").status_code == 403


def test_an_unknown_format_and_a_year_without_records_answer_in_japanese(report_client, db):
    unknown = report_client.get("/dashboard/2018/report/download.pdf")
    assert unknown.status_code == 404 and "Word（docx）か Excel（xlsx）です" in unknown.content.decode()
    empty = report_client.get("/dashboard/2017/report/download.docx")
    assert empty.status_code == 404 and "記録はありません" in empty.content.decode()
    assert "download.docx" not in report_client.get("/dashboard/2017/report/").content.decode()


def test_the_plan_status_note_is_printed_once(report_client, demo_data):
    page = report_client.get("/dashboard/2018/report/").content.decode()
    assert page.count("年度の状況は報告書に記載がなく例示。") == 1
    assert page.count("※1</sup>") == 5


def test_the_report_prints_the_years_narrative(report_client, demo_data):
    from outreach.models import Achievement

    page = report_client.get("/dashboard/2018/report/").content.decode()
    for item in Achievement.objects.for_fiscal_year(2018):
        assert f'<span class="code">{item.code}</span><p>{item.text}</p>' in page
    Achievement.objects.all().delete()
    page = report_client.get("/dashboard/2018/report/").content.decode()
    assert "取組実績と成果はまだ書かれていません" in page


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_the_report_files_take_a_fixed_number_of_queries(report_client, demo_data, django_assert_max_num_queries, fmt):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trainings.models import TrainingSession

    url = f"/dashboard/2018/report/download.{fmt}"
    with CaptureQueriesContext(connection) as before:
        assert report_client.get(url).status_code == 200
    template = TrainingSession.objects.for_fiscal_year(2018).first()
    TrainingSession.objects.bulk_create(
        [
            TrainingSession(
                title=f"追加の研修{i}",
                date=template.date,
                fiscal_year=template.fiscal_year,
                category=template.category,
                headcount=10,
            )
            for i in range(50)
        ]
    )
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert report_client.get(url).status_code == 200
