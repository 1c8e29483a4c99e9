"""The demo records say what the seed says: every assumed value is flagged illustrative (core.illustrative).

The seed (the division's FY2018 report) gives no session's date, venue or per-session headcount,
does not name the hosts of most inter-bureau trainings, the 出前塾's partners and wards, or three
of the five wards of the ward-office trainings, and writes some years as calendar years
(平成28年, 平成31年). This test lists every flagged field of the demo data: a change to what is
flagged, or to any demo record (the fixture's digest), fails here until someone has checked it
against the seed and updated the list.
"""

import hashlib
from pathlib import Path

from django.conf import settings

from outreach.models import ApproachCase, CaseEvent, PlanItemStatus
from partners.models import Organization
from trainings.models import TrainingSession

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "demo_fy2018.json"
# Checked against seed/000_905846cff8d94281.txt on 2026-11-28 (取組実績と成果 quotes the seed).
# Update together with EXPECTED.
FIXTURE_SHA256 = "96e00574413124dca072703e42b13ce50207f20effa6a871039385b2f0f46f37"

ASSUMED_PARTNER = (
    "date venue headcount title ward audience audience_detail"  # 出前塾 whose partner the seed does not name
)
OTHER_BUREAU = "date headcount host_bureau title audience_detail"  # 他局連携 whose host the seed does not name
OTHER_WARD = "date venue headcount title ward host_organization"  # 区役所研修 in a ward the seed does not name
EXPECTED = {
    "organization": {
        name: "name"
        for name in ("六ツ川地域ケアプラザ", "阿久和地域ケアプラザ", "旭区の地域ケアプラザ運営法人（例示）")
    },
    "session": {
        "地域まちづくり支援制度活用研修（第1回）": "date venue headcount",
        "地域まちづくり支援制度活用研修（第2回）": "date venue headcount",
        "出前塾：中村地域ケアプラザ（居場所づくりの相談）": "date venue headcount audience_detail",
        **{
            f"出前塾：{name}": ASSUMED_PARTNER
            for name in (
                "まち普請事前相談（南区）",
                "六ツ川地域ケアプラザ",
                "阿久和地域ケアプラザ",
                "まち普請事前相談（瀬谷区）",
                "まち普請事前相談（旭区）",
                "地域ケアプラザ職員向け（泉区）",
                "まち普請事前相談（泉区）",
            )
        },  # fmt: skip
        "出前塾：ケアプラザ運営法人向け出前講座": "date venue headcount ward audience audience_detail",
        **{
            title: OTHER_BUREAU
            for title in (
                "協働入門研修（第1回）",
                "協働入門研修（第2回）",
                "地域力推進研修（前期）",
                "地域力推進研修（後期）",
                "地域ケアプラザコーディネーター研修（第1回）",
                "地域ケアプラザコーディネーター研修（第2回）",
                "社協コーディネーター研修（第1回）",
                "社協コーディネーター研修（第2回）",
            )
        },  # fmt: skip
        "健康福祉局事業企画担当者研修": "date headcount audience_detail",
        "教員向け研修（地域との連携）": "date headcount title",
        "教員向け研修（地域学習）": "date headcount title",
        "学校・地域コーディネーター研修": "date headcount",
        "防災・減災研修（第1回）": "date headcount title audience_detail",
        "防災・減災研修（第2回）": "date headcount title audience_detail",
        "地域づくり大学校（南区）": "date headcount host_bureau title ward audience_detail",
        "地域づくり大学校（瀬谷区）": "date headcount host_bureau title ward audience_detail",
        "区役所地区支援研修（青葉区）": "date venue headcount",
        "区役所地区支援研修（栄区）": "date venue headcount",
        **{f"区役所地区支援研修（{ward}）": OTHER_WARD for ward in ("南区", "瀬谷区", "旭区")},
        **{f"研修等（区分・人数の内訳不明 {n:02d}）": "date" for n in range(1, 17)},
    },
    "case": {"seya-mutual-aid": "lead_organization partner_organizations status"},
    "case event": {
        ("minami-nakamura", "hearing"): "fiscal_year",  # 「平成28年」: a calendar year
        ("minami-nakamura", "consultation", 2017): "fiscal_year",
        ("minami-nakamura", "consultation", 2018): "fiscal_year",  # the 子育て団体's consultation year
        ("minami-nakamura", "outreach_lecture"): "date fiscal_year",
        ("minami-nakamura", "plan"): "fiscal_year",  # 「平成31年」: a calendar year
        ("seya-mutual-aid", "hearing"): "kind",
    },
    "plan status": {code: "status" for code in "アイウエオ"},
}


def flagged_fields():
    """Return the demo data's flagged fields in the shape of EXPECTED (from the database)."""

    def event_key(event):
        if event.kind == "consultation":
            return (event.case.slug, event.kind, event.fiscal_year)
        return (event.case.slug, event.kind)

    sources = {
        "organization": (Organization.objects.all(), lambda o: o.name),
        "session": (TrainingSession.objects.all(), lambda s: s.title),
        "case": (ApproachCase.objects.all(), lambda c: c.slug),
        "case event": (CaseEvent.objects.select_related("case"), event_key),
        "plan status": (PlanItemStatus.objects.select_related("plan_item"), lambda p: p.plan_item.code),
    }
    return {
        kind: {key(record): record.illustrative_fields for record in records if record.illustrative_fields}
        for kind, (records, key) in sources.items()
    }


def test_the_demo_data_flags_exactly_the_listed_fields(demo_data):
    assert flagged_fields() == EXPECTED


def test_the_demo_fixture_is_the_reviewed_one():
    digest = hashlib.sha256(FIXTURE.read_bytes()).hexdigest()
    assert digest == FIXTURE_SHA256, (
        "デモデータが変わりました。報告書と照らして例示の項目を見直し、EXPECTED とこの値を更新してください。"
    )


def test_every_flagged_record_says_what_was_assumed(demo_data):
    for model in (Organization, TrainingSession, ApproachCase, CaseEvent):
        for record in model.objects.exclude(illustrative_fields=""):
            assert record.data_note, record
    for status in PlanItemStatus.objects.exclude(illustrative_fields=""):
        assert "例示" in status.note


def test_the_seeds_calendar_years_stay_calendar_years(demo_data):
    years = {e.kind: e.calendar_year for e in CaseEvent.objects.filter(case__slug="minami-nakamura")}
    assert years["hearing"] == 2016 and years["plan"] == 2019
    case = ApproachCase.objects.get(slug="minami-nakamura")
    assert "平成28年に" in case.summary and "平成31年に" in case.outcome
    # The seed names neither 南区役所 as a partner nor the 空家 scheme: the case does not claim them.
    assert [o.name for o in case.partner_organizations.all()] == ["中村地区の子育て世代の団体"]
    assert [s.name for s in case.schemes.all()] == ["ヨコハマ市民まち普請事業"]


def test_no_value_of_the_demo_data_reads_as_a_placeholder(demo_data):
    # 「（例示）」 written into a venue is not a venue: an assumed value is flagged, not annotated.
    assert not TrainingSession.objects.filter(venue__contains="例示").exists()


def test_no_open_data_file_holds_a_value_flagged_illustrative(client, demo_data):
    from portal.public import opendata

    bodies = []
    for dataset in opendata.DATASETS.values():
        for fmt in dataset.formats:
            url = dataset.url(fmt, 2018) if dataset.per_year else dataset.url(fmt)
            response = client.get(url)
            assert response.status_code == 200, url
            bodies.append((url, dataset.per_year, response.content.decode("utf-8-sig")))
    checked = 0
    for model in (TrainingSession, Organization, ApproachCase, CaseEvent):
        for record in model.objects.exclude(illustrative_fields=""):
            for name in record.illustrative_field_names:
                value = getattr(record, name, None)
                if hasattr(value, "isoformat"):
                    value = value.isoformat()
                if not isinstance(value, str) or len(value) < 4:
                    continue  # numbers and short codes cannot be told apart in a file
                checked += 1
                for url, per_year, body in bodies:
                    # A session's values go to the yearly files; the cases file names the real
                    # 中村地域ケアプラザ, which the demo also took as an assumed venue.
                    if per_year or model is not TrainingSession:
                        assert value not in body, (url, record, name, value)
    assert checked > 50  # every demo date, the venues, the invented titles and organisations
