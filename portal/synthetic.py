"""Synthetic records for performance work, clearly labelled, on top of the demo records.

Every synthetic record carries the marker SYNTHETIC ("合成データ") in a name or note, so that
it can be told from real records and removed (`remove_synthetic_data`). Fiscal year 2018 is
left alone: it holds the demo records that reproduce the published figures.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction

from core.fiscal import fiscal_year_bounds
from core.public_cache import bump_data_version
from outreach.models import ApproachCase, CaseEvent, CaseStatus, CaseTheme, EventKind, Scheme
from partners.models import Bureau, Collaboration, Organization, OrganizationKind, Ward
from trainings.models import Attendance, Audience, TrainingCategory, TrainingSession

SYNTHETIC = "合成データ"
SYNTHETIC_SUFFIX = "（合成）"


@dataclass(frozen=True)
class Scale:
    fiscal_years: tuple
    organizations: int
    sessions: int
    attendances: int
    cases: int
    persons: int


# Ten fiscal years around the demo year, never FY2018 itself.
CITY_YEARS = (2016, 2017, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026)
SCALES = {
    "small": Scale(fiscal_years=(2017, 2019), organizations=40, sessions=120, attendances=3_000, cases=6, persons=800),
    "city": Scale(
        fiscal_years=CITY_YEARS,
        organizations=2_000,
        sessions=20_000,
        attendances=1_000_000,
        cases=500,
        persons=60_000,
    ),
}

FAMILY_NAMES = (  # noqa: SIM905 (a word list reads best as one string)
    "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 斎藤 清水 "
    "山崎 森 池田 橋本 阿部 石川 山下 中島 石井 小川 前田 岡田 長谷川 藤田 後藤 近藤 村上 遠藤 青木 坂本 "
    "斉藤 福田 太田 西村 藤井 金子 岡本 藤原 中野 三浦 原田 中川 松田 竹内 小野 田村 中山 和田 石田 森田 "
    "上田 原 柴田 酒井 工藤 横山 宮崎 宮本 内田 髙橋 大野 丸山 今井 河野 藤本 村田 武田 上野 杉山 増田"
).split()
GIVEN_NAMES = (  # noqa: SIM905
    "太郎 花子 一郎 陽子 健 美咲 大輔 由美 翔太 恵子 拓也 直美 誠 真由美 浩 明美 隆 裕子 修 智子 聡 久美子 "
    "大樹 愛 蓮 陽菜 悠真 結衣 湊 さくら 健太 彩 和也 舞 亮 香織 剛 純子 実 幸子 進 洋子 勇 京子 清 節子"
).split()
KIND_LABELS = {
    OrganizationKind.CARE_PLAZA: "地域ケアプラザ",
    OrganizationKind.WELFARE_COUNCIL: "地区社会福祉協議会",
    OrganizationKind.CIVIC_SUPPORT_CENTER: "区民活動支援センター分室",
    OrganizationKind.DISTRICT_CENTER: "地区センター",
    OrganizationKind.COMMUNITY_HOUSE: "コミュニティハウス",
    OrganizationKind.CARE_PLAZA_OPERATOR: "福祉会",
    OrganizationKind.OTHER: "まちづくり協議会",
}
KIND_WEIGHTS = (30, 15, 5, 15, 20, 5, 10)
TITLES = {
    "ア": "地域まちづくり支援制度活用研修",
    "イ": "出前塾",
    "ウ": "連携研修",
    "エ": "区役所地区支援研修",
    "他": "研修等",
}
CATEGORY_WEIGHTS = {"ア": 4, "イ": 30, "ウ": 35, "エ": 11, "他": 20}
BATCH = 10_000


@dataclass
class GenerationResult:
    organizations: int = 0
    sessions: int = 0
    attendances: int = 0
    cases: int = 0
    events: int = 0
    collaborations: int = 0


def skewed_sizes(rng, count, total):
    """Return `count` positive ints summing to `total`: many small, a few very large (Pareto)."""
    weights = [rng.paretovariate(1.3) for _ in range(count)]
    scale = total / sum(weights)
    sizes = [max(1, int(w * scale)) for w in weights]
    # Hand the rounding remainder out (or take it back) one by one, largest first.
    diff = total - sum(sizes)
    order = sorted(range(count), key=lambda i: -sizes[i])
    i = 0
    while diff != 0:
        j = order[i % count]
        if diff > 0:
            sizes[j] += 1
            diff -= 1
        elif sizes[j] > 1:
            sizes[j] -= 1
            diff += 1
        i += 1
    return sizes


def random_date(rng, fy):
    start, end = fiscal_year_bounds(fy)
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def ensure_categories():
    """Return {code: TrainingCategory}, creating the report's categories if missing."""
    names = {
        "ア": "地域まちづくり課主催研修",
        "イ": "出前塾",
        "ウ": "他局と連携した研修",
        "エ": "区役所向け研修",
        "他": "その他・内訳不明",
    }
    categories = {}
    for order, (code, name) in enumerate(names.items(), start=1):
        categories[code], _ = TrainingCategory.objects.get_or_create(
            code=code, defaults={"name": name, "order": order if code != "他" else 9, "is_itemised": code != "他"}
        )
    return categories


def synthetic_data_exists():
    return Organization.objects.filter(name__endswith=SYNTHETIC_SUFFIX).exists()


@transaction.atomic
def remove_synthetic_data():
    """Delete every synthetic record (and only those); return the number of sessions removed."""
    ApproachCase.objects.filter(data_note=SYNTHETIC).delete()
    sessions = TrainingSession.objects.filter(data_note=SYNTHETIC)
    Attendance.objects.filter(session__in=sessions).delete()
    removed, _ = sessions.delete()
    Collaboration.objects.filter(description__startswith=SYNTHETIC).delete()
    Organization.objects.filter(name__endswith=SYNTHETIC_SUFFIX).delete()
    bump_data_version()
    return removed


def generate(*, scale, seed=0, progress=None):
    """Create the synthetic records of `scale` ('small' or 'city'); return a GenerationResult.

    Uses bulk inserts in batches. Deterministic for a given seed.
    """
    spec = SCALES[scale]
    rng = random.Random(seed)
    say = progress or (lambda message: None)
    result = GenerationResult()
    wards = list(Ward.objects.order_by("code"))
    categories = ensure_categories()
    bureaus = list(Bureau.objects.order_by("order"))
    if not bureaus:
        bureaus = [Bureau.objects.create(name=f"市民局{SYNTHETIC_SUFFIX}", order=900)]

    with transaction.atomic():
        kinds = list(KIND_LABELS)
        organizations = [
            Organization(
                name=f"{wards[i % len(wards)].name.removesuffix('区')}第{i + 1}{KIND_LABELS[kind]}{SYNTHETIC_SUFFIX}",
                kind=kind,
                ward=wards[i % len(wards)],
                note=SYNTHETIC,
            )
            for i, kind in enumerate(rng.choices(kinds, weights=KIND_WEIGHTS, k=spec.organizations))
        ]
        Organization.objects.bulk_create(organizations, batch_size=BATCH)
        organizations = list(Organization.objects.filter(name__endswith=SYNTHETIC_SUFFIX))
        result.organizations = len(organizations)
        say(f"団体 {result.organizations}")

        collaborations = [
            Collaboration(fiscal_year=fy, bureau=bureau, description=f"{SYNTHETIC}：研修の共同開催", order=n)
            for fy in spec.fiscal_years
            for n, bureau in enumerate(bureaus)
            if not Collaboration.objects.filter(fiscal_year=fy, bureau=bureau).exists()
        ]
        Collaboration.objects.bulk_create(collaborations, batch_size=BATCH)
        result.collaborations = len(collaborations)

        codes = list(CATEGORY_WEIGHTS)
        audiences = [a.value for a in Audience]
        sessions = []
        for n in range(spec.sessions):
            fy = spec.fiscal_years[n % len(spec.fiscal_years)]
            date = random_date(rng, fy)
            code = rng.choices(codes, weights=list(CATEGORY_WEIGHTS.values()))[0]
            ward = rng.choice(wards) if rng.random() < 0.8 else None
            sessions.append(
                TrainingSession(
                    title=f"{TITLES[code]}（{ward.name if ward else '全市'}）第{n + 1}回{SYNTHETIC_SUFFIX}",
                    category=categories[code],
                    date=date,
                    audience=rng.choice(audiences),
                    ward=ward,
                    host_bureau=rng.choice(bureaus) if code == "ウ" else None,
                    venue="",
                    headcount=None,
                    is_illustrative=True,
                    data_note=SYNTHETIC,
                ).set_derived_fields()
            )
        # About 70 % of sessions have a sign-in sheet; the rest only a typed headcount (some unknown).
        has_sheet = [rng.random() < 0.7 for _ in sessions]
        with_sheet = [s for s, flag in zip(sessions, has_sheet, strict=True) if flag]
        for session, flag in zip(sessions, has_sheet, strict=True):
            if not flag:
                session.headcount = None if rng.random() < 0.1 else max(1, int(rng.paretovariate(1.5) * 8))
        TrainingSession.objects.bulk_create(sessions, batch_size=BATCH)
        result.sessions = len(sessions)
        say(f"研修 {result.sessions}")

        session_ids = dict(
            TrainingSession.objects.filter(data_note=SYNTHETIC).values_list("title", "pk").iterator(chunk_size=BATCH)
        )
        persons = []
        for _ in range(spec.persons):
            org = rng.choice(organizations)
            name = f"{rng.choice(FAMILY_NAMES)} {rng.choice(GIVEN_NAMES)}"
            persons.append((name, org))
        sizes = skewed_sizes(rng, len(with_sheet), spec.attendances) if with_sheet else []
        batch = []
        for session, size in zip(with_sheet, sizes, strict=True):
            session_id = session_ids[session.title]
            for row in range(1, size + 1):
                name, org = rng.choice(persons)
                matched = rng.random() < 0.85
                batch.append(
                    Attendance(
                        session_id=session_id,
                        row_number=row,
                        name=name,
                        organization=org if matched else None,
                        organization_text="" if matched else org.name,
                        ward_id=org.ward_id,
                        note=SYNTHETIC,
                    ).set_derived_fields(organization_name=org.name if matched else None)
                )
                if len(batch) >= BATCH:
                    Attendance.objects.bulk_create(batch)
                    result.attendances += len(batch)
                    batch = []
                    if result.attendances % 100_000 == 0:
                        say(f"出席者 {result.attendances:,}")
        Attendance.objects.bulk_create(batch)
        result.attendances += len(batch)
        say(f"出席者 {result.attendances:,}")

        result.cases, result.events = _generate_cases(rng, spec, wards, organizations)
        say(f"事例 {result.cases}（経過 {result.events}）")
        bump_data_version()  # bulk_create sends no signals: public pages must not serve the old figures
    return result


def _generate_cases(rng, spec, wards, organizations):
    schemes = list(Scheme.objects.all())
    cases = [
        ApproachCase(
            slug=f"synthetic-{n + 1:04d}",
            title=f"{rng.choice(wards).name}の地域の取組 {n + 1}{SYNTHETIC_SUFFIX}",
            ward=rng.choice(wards),
            district=f"第{rng.randrange(1, 30)}地区",
            theme=rng.choice(list(CaseTheme)),
            lead_organization=rng.choice(organizations),
            status=rng.choice(list(CaseStatus)),
            summary=f"{SYNTHETIC}。性能確認のために生成した事例です。",
            is_published=rng.random() < 0.7,
            data_note=SYNTHETIC,
        )
        for n in range(spec.cases)
    ]
    ApproachCase.objects.bulk_create(cases, batch_size=BATCH)
    cases = list(ApproachCase.objects.filter(data_note=SYNTHETIC))
    events, partners, case_schemes = [], [], []
    Partner = ApproachCase.partner_organizations.through
    CaseScheme = ApproachCase.schemes.through
    kinds = list(EventKind)
    for case in cases:
        for org in rng.sample(organizations, k=min(2, len(organizations))):
            partners.append(Partner(approachcase_id=case.pk, organization_id=org.pk))
        for scheme in rng.sample(schemes, k=min(len(schemes), rng.randrange(0, 3))):
            case_schemes.append(CaseScheme(approachcase_id=case.pk, scheme_id=scheme.pk))
        for fy in sorted(rng.sample(spec.fiscal_years, k=min(len(spec.fiscal_years), rng.randrange(2, 6)))):
            exact = rng.random() < 0.5
            date = random_date(rng, fy) if exact else None
            events.append(
                CaseEvent(
                    case=case,
                    date=date,
                    fiscal_year=fy,
                    kind=rng.choice(kinds),
                    text=f"{SYNTHETIC}の経過",
                    sort_date=date or fiscal_year_bounds(fy)[0],
                )
            )
    CaseEvent.objects.bulk_create(events, batch_size=BATCH)
    Partner.objects.bulk_create(partners, batch_size=BATCH, ignore_conflicts=True)
    CaseScheme.objects.bulk_create(case_schemes, batch_size=BATCH, ignore_conflicts=True)
    return len(cases), len(events)
