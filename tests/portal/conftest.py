import datetime
from types import SimpleNamespace

import pytest

from outreach.models import ApproachCase, CaseEvent, PlanItem, PlanItemStatus
from partners.models import Bureau, Collaboration, Ward
from portal.services import publish_fiscal_year
from trainings.models import Attendance, ReportedFigure, TrainingCategory


@pytest.fixture
def small_year(db, make_session, category, bureau, organization, ward):
    """A hand-checked FY2018 (and a little FY2017) whose totals the dashboard tests compute by hand.

    FY2018 sessions:
      s1 ア 2018-04-10 host 市民局, city_staff, 南区, headcount 10
      s2 ア 2018-05-20 host テスト地域ケアプラザ, intermediary, no ward, headcount 4 but 3 attendance rows
         (山田太郎 × 2 from the care plaza, 佐藤花子 from the unregistered 「謎の会」, from 南区)
      s3 イ 2019-03-05 no host, city_staff, 青葉区, headcount 7
      s4 no category 2018-05-01, headcount unknown, no attendance
    → 4 sessions, 10 + 3 + 7 = 20 participants, 1 unknown; 3 rows, 2 unique persons.
    FY2017: s5 ア 2017-06-01 host 市民局, city_staff, 南区, headcount 5.
    FY2017 and FY2018 are published (portal.services.publish_fiscal_year) as they are.
    """
    aoba = Ward.objects.get(code="14117")
    health = Bureau.objects.create(name="健康福祉局", order=20)
    other_category = TrainingCategory.objects.create(code="イ", name="出前塾", order=2)
    s1 = make_session(
        title="s1", category=category, date=datetime.date(2018, 4, 10), host_bureau=bureau,
        audience="city_staff", ward=ward, headcount=10,
    )  # fmt: skip
    s2 = make_session(
        title="s2", category=category, date=datetime.date(2018, 5, 20), host_organization=organization,
        audience="intermediary", headcount=4,
    )  # fmt: skip
    s3 = make_session(
        title="s3", category=other_category, date=datetime.date(2019, 3, 5), audience="city_staff",
        ward=aoba, headcount=7,
    )  # fmt: skip
    s4 = make_session(title="s4", date=datetime.date(2018, 5, 1), headcount=None)
    s5 = make_session(
        title="s5", category=category, date=datetime.date(2017, 6, 1), host_bureau=bureau,
        audience="city_staff", ward=ward, headcount=5,
    )  # fmt: skip
    for row, (name, org, text, row_ward) in enumerate(
        [
            ("山田太郎", organization, "", None),
            ("佐藤花子", None, "謎の会", ward),
            ("山田太郎", organization, "", None),
        ],
        start=1,
    ):
        Attendance.objects.create(
            session=s2, row_number=row, name=name, organization=org, organization_text=text, ward=row_ward
        )
    Collaboration.objects.create(fiscal_year=2018, bureau=bureau, description="研修の共同開催", order=1)
    Collaboration.objects.create(fiscal_year=2018, bureau=health, description="計画との連携", order=2)
    Collaboration.objects.create(fiscal_year=2017, bureau=bureau, description="前年度の連携", order=1)
    case_a = ApproachCase.objects.create(
        slug="a", title="事例A", ward=ward, status="adopted", summary="概要A", outcome="成果A"
    )
    case_b = ApproachCase.objects.create(slug="b", title="事例B", ward=aoba, status="consulting", summary="概要B")
    case_c = ApproachCase.objects.create(slug="c", title="事例C", ward=aoba, status="completed", summary="概要C")
    CaseEvent.objects.create(case=case_a, fiscal_year=2016, kind="hearing", text="ヒアリング")
    CaseEvent.objects.create(case=case_a, date=datetime.date(2018, 6, 1), kind="outreach_lecture", text="出前塾")
    CaseEvent.objects.create(case=case_a, fiscal_year=2020, kind="plan", text="整備予定", is_planned=True)
    CaseEvent.objects.create(case=case_b, fiscal_year=2016, kind="hearing", text="ヒアリングB")
    ReportedFigure.objects.create(
        fiscal_year=2018, sessions=5, participants=20, participants_approximate=True, source_document="報告書"
    )
    ReportedFigure.objects.create(
        fiscal_year=2018, category=category, sessions=2, participants=13, source_document="報告書"
    )
    plan = PlanItem.objects.create(from_fiscal_year=2019, code="ア", title="連携の推進", description="説明")
    PlanItem.objects.create(from_fiscal_year=2025, code="イ", title="遠い将来", description="説明")
    PlanItemStatus.objects.create(plan_item=plan, fiscal_year=2019, status="in_progress")
    # As a manager would have approved them: the public pages show published years only.
    for fiscal_year in (2017, 2018):
        publish_fiscal_year(fiscal_year=fiscal_year)
    return SimpleNamespace(
        s1=s1, s2=s2, s3=s3, s4=s4, s5=s5, aoba=aoba, health=health, other_category=other_category,
        case_a=case_a, case_b=case_b, case_c=case_c, plan=plan,
    )  # fmt: skip
