import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from outreach.models import ApproachCase, CaseEvent, PlanItem, PlanItemStatus


@pytest.fixture
def case(ward):
    return ApproachCase.objects.create(slug="test-case", title="テスト事例", ward=ward, summary="概要")


@pytest.mark.django_db
def test_event_needs_a_date_or_a_fiscal_year(case):
    event = CaseEvent(case=case, kind="hearing", text="ヒアリング")
    with pytest.raises(ValidationError, match="日付か年度のどちらかを入力してください"):
        event.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        CaseEvent.objects.bulk_create([CaseEvent(case=case, text="x", sort_date=datetime.date(2018, 1, 1))])


@pytest.mark.django_db
def test_event_with_a_date_takes_its_fiscal_year(case):
    event = CaseEvent.objects.create(case=case, date=datetime.date(2019, 5, 1), text="出前塾")
    assert event.fiscal_year == 2019
    assert event.is_exact
    assert event.when_label == "2019年5月1日"


@pytest.mark.django_db
def test_event_with_only_a_fiscal_year_keeps_that_precision(case):
    event = CaseEvent.objects.create(case=case, fiscal_year=2016, text="ヒアリング")
    assert not event.is_exact
    assert event.when_label == "2016年度（平成28年度）"
    assert event.sort_date == datetime.date(2016, 4, 1)


@pytest.mark.django_db
def test_event_date_and_fiscal_year_must_agree(case):
    event = CaseEvent(case=case, date=datetime.date(2019, 3, 31), fiscal_year=2019, text="x")
    with pytest.raises(ValidationError, match="2018年度"):
        event.full_clean()


@pytest.mark.django_db
def test_timeline_orders_mixed_precision_entries(case):
    CaseEvent.objects.create(case=case, fiscal_year=2019, text="予定")
    CaseEvent.objects.create(case=case, date=datetime.date(2018, 5, 24), text="出前塾")
    CaseEvent.objects.create(case=case, fiscal_year=2016, text="ヒアリング")
    assert list(case.events.values_list("text", flat=True)) == ["ヒアリング", "出前塾", "予定"]


@pytest.mark.django_db
def test_case_slug_is_unique(case, ward):
    with pytest.raises(ValidationError, match="このURL名の事例は既に登録されています"):
        ApproachCase(slug=case.slug, title="別", ward=ward, summary="x").full_clean()


@pytest.mark.django_db
def test_published_filters_drafts(case, ward):
    ApproachCase.objects.create(slug="public", title="公開事例", ward=ward, summary="x", is_published=True)
    assert list(ApproachCase.objects.published().values_list("slug", flat=True)) == ["public"]


@pytest.mark.django_db
def test_plan_item_status_is_unique_per_year():
    item = PlanItem.objects.create(from_fiscal_year=2019, code="ア", title="連携", description="x")
    PlanItemStatus.objects.create(plan_item=item, fiscal_year=2019, status="in_progress")
    with pytest.raises(ValidationError, match="同じ年度の状況は既に登録されています"):
        PlanItemStatus(plan_item=item, fiscal_year=2019, status="done").full_clean()
    assert str(item) == "ア 連携"


def test_demo_case_timeline_runs_from_fy2016_to_fy2019(demo_data):
    case = ApproachCase.objects.get(slug="minami-nakamura")
    years = list(case.events.values_list("fiscal_year", flat=True))
    assert years[0] == 2016 and years[-1] == 2019
    assert case.events.filter(training_session__isnull=False).count() == 1
    assert case.get_absolute_url() == "/cases/minami-nakamura/"


@pytest.mark.django_db
def test_position_places_a_year_only_entry_after_a_dated_one(case):
    CaseEvent.objects.create(case=case, fiscal_year=2018, position=3, text="採択")
    CaseEvent.objects.create(case=case, date=datetime.date(2018, 5, 24), position=2, text="出前塾")
    CaseEvent.objects.create(case=case, fiscal_year=2018, position=1, text="相談")
    assert list(case.events.values_list("text", flat=True)) == ["相談", "出前塾", "採択"]


def test_demo_timeline_tells_the_story_in_the_report_order(demo_data):
    case = ApproachCase.objects.get(slug="minami-nakamura")
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["hearing", "consultation", "consultation", "outreach_lecture", "application", "adoption", "plan"]


def test_the_case_search_reads_the_timeline_and_schemes_and_knows_other_spellings(demo_data):
    # The 中村 case is about a vacant-house hub only in its timeline (「空き家を活用した…」).
    assert "空き家" not in ApproachCase.objects.get(slug="minami-nakamura").summary
    for words in ["空き家", "空家", "空家　南区中村", "まち普請", "出前塾"]:
        assert "minami-nakamura" in set(ApproachCase.objects.matching(words).values_list("slug", flat=True)), words
    assert not ApproachCase.objects.matching("空家 存在しない言葉").exists()
    # A word in several events lists the case once.
    assert ApproachCase.objects.matching("地域ケアプラザ").filter(slug="minami-nakamura").count() == 1


def test_demo_narrative_items_are_the_seeds_own_words(demo_data):
    from outreach.models import Achievement

    items = list(Achievement.objects.for_fiscal_year(2018))
    assert [item.code for item in items] == ["ア", "イ", "ウ", "エ", "オ"]
    assert items[0].text.startswith("平成28年度から、南区と瀬谷区の2区について")
    assert "空家対策を進める建築局" in items[4].text
    assert str(items[0]) == "2018年度（平成30年度） ア"
    with pytest.raises(ValidationError, match="この年度・記号の取組実績は既に登録されています"):
        Achievement(fiscal_year=2018, code="ア", text="x").full_clean()
