"""The committee report as an editable Word file (portal/dashboard/report_docx.py), read back with python-docx."""

import io
import re

import pytest
from docx import Document
from docx.shared import Mm

from outreach.models import Achievement, ApproachCase, PlanItem
from partners.models import Collaboration
from trainings.models import TrainingSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(report_client, demo_data):
    response = report_client.get("/dashboard/2018/report/download.docx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return Document(io.BytesIO(response.content))


def headings(document):
    return [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def test_the_word_file_has_the_reports_sections_in_order(document):
    names = [text for _style, text in headings(document)]
    cases = ApproachCase.objects.filter(events__fiscal_year__lte=2018).distinct().order_by("ward__code", "title")
    expected = [
        "区局・中間支援組織と連携した地域支援の取組（アプローチ型支援）推進状況",
        "1 取組実績と成果",
        "2 令和元年度以降の進め方",
        *[f"参考 アプローチ型支援の実績（{case.ward.name}{case.district}）" for case in cases],
        "平成30年度の区局連携",
        "1 局間連携",
    ]
    assert names[: len(expected)] == expected
    assert names[-1] == "注記"
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)


def test_the_narrative_items_are_the_records(document):
    texts = [p.text for p in document.paragraphs]
    for item in Achievement.objects.for_fiscal_year(2018):
        assert f"{item.code}　{item.text}" in texts


def test_the_plan_and_collaboration_tables_come_from_the_records(document):
    plan, collaborations = document.tables
    items = list(PlanItem.objects.filter(from_fiscal_year__lte=2019).order_by("from_fiscal_year", "code"))
    assert [cell.text for cell in plan.rows[0].cells] == ["項目", "内容", "状況（2018年度）", "状況（2019年度）"]
    assert [row.cells[0].text for row in plan.rows[1:]] == [f"{item.code} {item.title}" for item in items]
    assert [row.cells[1].text for row in plan.rows[1:]] == [item.description for item in items]
    # The note every item shares is printed once under the table, each status points to it.
    notes = [p.text for p in document.paragraphs if p.text.startswith("※1 ")]
    assert len(notes) == 1
    assert all(row.cells[3].text == "実施中※1" for row in plan.rows[1:])

    expected = [
        [c.bureau.name, c.description] for c in Collaboration.objects.filter(fiscal_year=2018).order_by("order")
    ]
    assert [[cell.text for cell in row.cells] for row in collaborations.rows[1:]] == expected


def test_the_figures_and_the_session_lists_come_from_the_records(document):
    sessions = TrainingSession.objects.for_fiscal_year(2018)
    names = [text for _style, text in headings(document)]
    [trainings] = [name for name in names if name.startswith("2 主に実施した研修等について")]
    assert f"全{sessions.count()}回" in trainings
    texts = "\n".join(p.text for p in document.paragraphs)
    for session in sessions.filter(category__is_itemised=True):
        assert f"{session.title}（{session.date.month}月{session.date.day}日" in texts
    itemised = [name for style, name in headings(document) if style == "Heading 3"]
    first = sessions.filter(category__code="ア")
    total = sum(s.participant_count for s in first.with_participant_counts())
    assert itemised[0] == f"ア {first[0].category.name}（全{first.count()}回、総参加者{total}人）"


def test_the_timeline_in_the_word_file_tells_the_nakamura_story_in_order(document):
    lines = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    lecture = next(i for i, line in enumerate(lines) if re.match(r"2018年5月24日　出前塾", line))
    adoption = next(i for i, line in enumerate(lines) if "　採択：" in line)
    assert lecture < adoption
