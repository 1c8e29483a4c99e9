import dataclasses
import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from outreach.models import ApproachCase, CaseEvent, CaseStatus, CaseTheme, Scheme
from partners.models import Collaboration, Ward
from portal import selectors
from portal.public import opendata
from portal.publication.published import published_fiscal_years
from portal.roles import ADMINISTRATOR, DATA_ENTRY, MANAGER
from portal.services import publish_fiscal_year
from tests.html_checks import accessibility_problems
from trainings.models import Attendance, TrainingSession

DEMO_CASE = "minami-nakamura"
DRAFT_CASE = "seya-mutual-aid"


def demo_fiscal_years():
    """Every fiscal year named anywhere in the demo records (sessions, collaborations, case timelines)."""
    years = set(TrainingSession.objects.values_list("fiscal_year", flat=True))
    years |= set(Collaboration.objects.values_list("fiscal_year", flat=True))
    years |= set(CaseEvent.objects.exclude(fiscal_year=None).values_list("fiscal_year", flat=True))
    return sorted(years)


def public_urls():
    """Every public URL of the demo records: pages for each fiscal year and case, and every download."""
    urls = [reverse("home"), reverse("case_list"), reverse("opendata")]
    for fy in demo_fiscal_years():
        urls += [
            reverse("fiscal_year_summary", kwargs={"fiscal_year": fy}),
            reverse("collaborations", kwargs={"fiscal_year": fy}),
        ]
    for fy in published_fiscal_years():  # a year never published has no files
        for dataset in opendata.DATASETS.values():
            if dataset.per_year:
                urls += [dataset.url(fmt, fy) for fmt in dataset.formats]
    for dataset in opendata.DATASETS.values():
        if not dataset.per_year:
            urls += [dataset.url(fmt) for fmt in dataset.formats]
    urls += [case.get_absolute_url() for case in ApproachCase.objects.published()]
    return urls


def html_of(client, url):
    return client.get(url).content.decode()


# --- Home -----------------------------------------------------------------------------------


def test_home_shows_the_latest_fiscal_year_summary(client, demo_data):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2018年度（平成30年度）" in html
    assert "48</span>回" in html
    assert "1,820</span>人" in html
    assert "約1,800人" in html
    assert "16回は参加者数が記録されていない" in html
    assert "ア 地域まちづくり課主催研修" in html


def test_home_links_to_every_published_year_cases_collaborations_and_open_data(client, demo_data):
    html = client.get(reverse("home")).content.decode()
    assert 'href="/summary/2018/"' in html
    for fy in (2016, 2017, 2019):  # years with records (case timelines) but never published
        assert f'href="/summary/{fy}/"' not in html
    assert 'href="/cases/minami-nakamura/"' in html
    assert 'href="/cases/"' in html
    assert 'href="/collaborations/"' in html
    assert 'href="/open-data/"' in html


@pytest.mark.django_db
def test_home_without_records_says_so(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "公開している年度の実績はまだありません" in response.content.decode()


def test_home_page_query_count_is_bounded(client, demo_data, django_assert_max_num_queries, make_session):
    # latest year, yearly summary (2), covered years, published cases
    with django_assert_max_num_queries(5):
        client.get(reverse("home"))
    for day in range(1, 20):
        make_session(date=datetime.date(2017, 5, day), headcount=3)
    ApproachCase.objects.create(
        slug="extra", title="追加の事例", ward=Ward.objects.first(), summary="…", is_published=True
    )
    with django_assert_max_num_queries(5):
        client.get(reverse("home") + "?fresh")


def test_home_never_shows_attendee_names(client, demo_data):
    session = TrainingSession.objects.filter(fiscal_year=2018).first()
    Attendance.objects.create(session=session, name="秘密花子ユニーク")
    assert "秘密花子ユニーク" not in client.get(reverse("home")).content.decode()


# --- Fiscal-year summary ----------------------------------------------------------------------


def test_public_fy2018_figures_equal_the_dashboard_selectors(client, demo_data):
    expected = selectors.yearly_summary(fiscal_year=2018)
    assert (expected.sessions, expected.participants) == (48, 1820)

    response = client.get(reverse("fiscal_year_summary", kwargs={"fiscal_year": 2018}))
    # The page shows the publication, which keeps no record ids.
    assert response.context["summary"] == dataclasses.replace(
        expected, categories=[dataclasses.replace(row, category_id=None) for row in expected.categories]
    )
    html = response.content.decode()
    assert f"{expected.sessions}</span>回" in html
    assert f"{expected.participants:,}</span>人" in html
    table = html[html.index('id="categories-2018"') :]
    table = table[: table.index("</table>")]
    rendered = dict(re.findall(r'data-category="([^"]+)">.*?data-sessions="(\d+)"', table, flags=re.S))
    participants = dict(re.findall(r'data-category="([^"]+)">.*?data-participants="(\d+)"', table, flags=re.S))
    assert rendered == {row.code: str(row.sessions) for row in expected.categories}
    assert participants == {row.code: str(row.participants) for row in expected.categories}
    assert set(rendered) == {"ア", "イ", "ウ", "エ", "他"}


def test_summary_shows_both_calendars_wards_collaborations_cases_and_published_figures(client, demo_data):
    html = client.get(reverse("fiscal_year_summary", kwargs={"fiscal_year": 2018})).content.decode()
    assert "<h1>2018年度（平成30年度）の実績</h1>" in html
    assert "2018年4月1日〜2019年3月31日" in html
    reached = [w for w in selectors.public_ward_breakdown(fiscal_year=2018) if w.reached]
    assert f"18区のうち<strong>{len(reached)}区</strong>" in html
    assert [w.name for w in reached] == ["南区", "栄区", "青葉区"]  # the wards the seed names
    minami = re.search(r'<tr data-ward="14105">.*?</tr>', html).group(0)
    assert "南区" in minami and ">1回<" in minami and ">不明<" in minami  # the demo's split is illustrative
    assert html.count('class="ward-map-svg"') == 2  # sessions and participants
    for collaboration in selectors.collaborations(fiscal_year=2018):
        assert collaboration.bureau.name in html
    assert 'href="/collaborations/2018/"' in html
    assert 'href="/cases/minami-nakamura/"' in html
    assert "報告書の公表値との対照" in html and "約1,800人" in html
    assert "例示" in html  # the demo sessions' dates and venues are illustrative, and the page says so


def test_a_year_never_published_answers_and_says_so(client, demo_data):
    response = client.get(reverse("fiscal_year_summary", kwargs={"fiscal_year": 2015}))
    assert response.status_code == 200
    assert "2015年度（平成27年度）の実績はまだ公開されていません" in response.content.decode()


def test_a_published_year_without_data_says_so(client, demo_data):
    publish_fiscal_year(fiscal_year=2015)
    response = client.get(reverse("fiscal_year_summary", kwargs={"fiscal_year": 2015}))
    assert "2015年度（平成27年度）のデータはありません" in response.content.decode()


def test_a_year_with_only_case_events_lists_the_case_once_published(client, demo_data):
    publish_fiscal_year(fiscal_year=2016)
    html = client.get(reverse("fiscal_year_summary", kwargs={"fiscal_year": 2016})).content.decode()
    assert "2016年度（平成28年度）の研修等の記録はありません" in html
    assert 'href="/cases/minami-nakamura/"' in html
    assert "のデータはありません" not in html


def test_fiscal_year_2019_is_labelled_reiwa_gannen(client, demo_data):
    html = client.get(reverse("fiscal_year_summary", kwargs={"fiscal_year": 2019})).content.decode()
    assert "2019年度（令和元年度）" in html


@pytest.mark.parametrize("path", ["/summary/1800/", "/summary/2101/", "/summary/18/", "/collaborations/1800/"])
def test_nonsense_years_are_404(client, demo_data, path):
    assert client.get(path).status_code == 404


def test_summary_and_collaborations_indexes_redirect_to_the_latest_year(client, demo_data):
    assert client.get("/summary/").url == "/summary/2018/"
    assert client.get("/collaborations/").url == "/collaborations/2018/"


def test_summary_page_query_count_does_not_grow(client, demo_data, make_session, django_assert_max_num_queries):
    url = reverse("fiscal_year_summary", kwargs={"fiscal_year": 2018})
    with django_assert_max_num_queries(11) as first:
        client.get(url)
    for day in range(1, 25):
        make_session(date=datetime.date(2018, 6, day), headcount=2, ward=Ward.objects.get(code="14101"))
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url + "?again")


# --- Collaborations ---------------------------------------------------------------------------


def test_collaborations_table_lists_every_bureau_of_the_year(client, demo_data):
    html = client.get(reverse("collaborations", kwargs={"fiscal_year": 2018})).content.decode()
    for collaboration in selectors.collaborations(fiscal_year=2018):
        assert (
            f'<th scope="row" class="nowrap">{collaboration.bureau.name}</th><td>{collaboration.description}</td>'
            in html
        )


def test_collaborations_of_a_year_without_records_say_so(client, demo_data):
    response = client.get(reverse("collaborations", kwargs={"fiscal_year": 2017}))
    assert response.status_code == 200
    assert "2017年度（平成29年度）の実績はまだ公開されていません" in response.content.decode()
    publish_fiscal_year(fiscal_year=2017)
    assert (
        "局間連携のデータはありません"
        in client.get(reverse("collaborations", kwargs={"fiscal_year": 2017})).content.decode()
    )


# --- Cases --------------------------------------------------------------------------------------


@pytest.fixture
def cases(demo_data):
    """Add published cases in two other wards, themes, schemes and statuses beside the demo ones."""
    seya = Ward.objects.get(code="14114")
    asahi = Ward.objects.get(code="14112")
    green = Scheme.objects.get(name="地域緑のまちづくり事業")
    park = ApproachCase.objects.create(
        slug="asahi-park", title="旭区：公園の花壇づくり", ward=asahi, district="二俣川地区",
        theme=CaseTheme.GREENERY, status=CaseStatus.COMPLETED, summary="地域の緑化を進めた。", is_published=True,
    )  # fmt: skip
    park.schemes.add(green)
    ApproachCase.objects.create(
        slug="seya-bus", title="瀬谷区：地域の乗合交通", ward=seya, theme=CaseTheme.MOBILITY,
        status=CaseStatus.PLANNING, summary="買い物の足を確保したい。", is_published=True,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["minami-nakamura", "asahi-park", "seya-bus"]),
        ("?ward=14105", ["minami-nakamura"]),
        ("?theme=greenery", ["asahi-park"]),
        ("?status=planning", ["seya-bus"]),
        ("?q=二俣川", ["asahi-park"]),  # district
        ("?q=買い物", ["seya-bus"]),  # summary
        ("?q=中村%E3%80%80居場所", ["minami-nakamura"]),  # title words, full-width space
        ("?ward=14114&theme=greenery", []),
    ],
)
def test_case_list_filters(client, cases, query, expected):
    response = client.get(reverse("case_list") + query)
    assert response.status_code == 200
    assert [c.slug for c in response.context["cases"]] == expected


def test_case_list_filters_by_scheme(client, cases):
    scheme = Scheme.objects.get(name="ヨコハマ市民まち普請事業")
    response = client.get(reverse("case_list"), {"scheme": scheme.pk})
    assert [c.slug for c in response.context["cases"]] == ["minami-nakamura"]


def test_case_list_never_shows_drafts(client, cases):
    html = client.get(reverse("case_list")).content.decode()
    assert DRAFT_CASE not in html
    assert "人材発掘と助け合いのシステムづくり" not in html
    assert DRAFT_CASE not in html_of(client, reverse("case_list") + "?q=人材発掘")


def test_case_list_explains_an_invalid_filter_in_japanese(client, cases):
    response = client.get(reverse("case_list"), {"ward": "99999", "theme": "greenery"})
    assert response.status_code == 200
    assert "選択肢にない値です" in response.content.decode()
    assert [c.slug for c in response.context["cases"]] == ["asahi-park"]  # the valid filter still applies


def test_case_list_query_count_does_not_grow(client, cases, django_assert_max_num_queries):
    ward = Ward.objects.get(code="14101")
    scheme = Scheme.objects.first()
    with django_assert_max_num_queries(5) as first:
        client.get(reverse("case_list"))
    for n in range(15):
        case = ApproachCase.objects.create(slug=f"c{n}", title=f"事例{n}", ward=ward, summary="…", is_published=True)
        case.schemes.add(scheme)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(reverse("case_list") + "?again")
    assert len(response.context["cases"]) == 18


def test_case_detail_shows_organisations_schemes_and_a_timeline_with_its_precision(client, demo_data):
    html = html_of(client, reverse("case_detail", kwargs={"slug": DEMO_CASE}))
    assert "中村地域ケアプラザ</strong>（地域ケアプラザ・相談の窓口）" in html
    assert "中村地区の子育て世代の団体" in html
    assert "ヨコハマ市民まち普請事業（都市整備局）" in html
    # The seed's calendar years stay calendar years; a fiscal-year-only entry is shown as its year,
    # an exact one by its date; assumed dates and years say so.
    assert "<h3>2016年（平成28年）</h3>" in html and "2016年中" in html
    assert "2017年度中（年度は推定）" in html
    assert "<h3>2019年（平成31年・令和元年）</h3>" in html
    assert '<time datetime="2018-05-24">2018年5月24日</time>（日付は例示）' in html
    # The planned entry of the kind 予定 says so once, never 「予定（予定）」.
    assert '<span class="kind">予定</span>' in html and "整備予定" in html
    assert "予定（予定）" not in html


def test_draft_case_is_404_for_visitors_and_bannered_for_staff(client, demo_data, admin_user):
    url = reverse("case_detail", kwargs={"slug": DRAFT_CASE})
    response = client.get(url)
    assert response.status_code == 404
    assert "人材発掘と助け合い" not in response.content.decode()

    client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == 200
    assert "下書き" in response.content.decode()


def test_draft_case_is_404_for_staff_without_a_role(client, demo_data, django_user_model):
    # The README: a staff user without a role sees no records.
    client.force_login(django_user_model.objects.create_user("no-role", password="x-Yokohama-42", is_staff=True))
    response = client.get(reverse("case_detail", kwargs={"slug": DRAFT_CASE}))
    assert response.status_code == 404
    assert "人材発掘と助け合い" not in response.content.decode()


@pytest.mark.parametrize("role", [DATA_ENTRY, MANAGER, ADMINISTRATOR])
def test_draft_case_is_shown_to_every_role_that_may_view_cases(client, demo_data, django_user_model, role):
    user = django_user_model.objects.create_user(f"user-{role}", password="x-Yokohama-42", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    response = client.get(reverse("case_detail", kwargs={"slug": DRAFT_CASE}))
    assert response.status_code == 200
    assert "下書き" in response.content.decode()


def test_unknown_case_is_404(client, demo_data):
    assert client.get(reverse("case_detail", kwargs={"slug": "no-such-case"})).status_code == 404


def test_case_detail_query_count_is_bounded(client, demo_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get(reverse("case_detail", kwargs={"slug": DEMO_CASE}))


# --- Every URL, every year, every case ---------------------------------------------------------


def test_every_public_url_answers_for_every_fiscal_year_and_case_of_the_demo_records(client, demo_data):
    years = demo_fiscal_years()
    assert years == [2016, 2017, 2018, 2019]
    urls = public_urls()
    assert published_fiscal_years() == [2018]
    assert len(urls) == 3 + 4 * 2 + 8 + 2 + 1
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url


def test_every_public_page_has_the_accessible_structure(client, demo_data):
    pages = [u for u in public_urls() if not u.endswith((".csv", ".json"))]
    pages += [reverse("case_list") + "?ward=99999"]
    for url in pages:
        problems = accessibility_problems(html_of(client, url))
        assert problems == [], (url, problems)


def test_the_public_404_page_is_japanese_and_accessible(client, demo_data, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "ページが見つかりません" in html
    assert accessibility_problems(html) == []


@pytest.mark.parametrize(
    "query",
    ["?ward=%00", "?scheme=abc", "?scheme=99999999999999999999999", "?q=%00", "?status=zzz", "?q=" + "あ" * 150],
)
def test_case_list_answers_bad_input_with_a_message_not_an_error(client, cases, query):
    response = client.get(reverse("case_list") + query)
    assert response.status_code == 200
    assert "入力に誤りがあります" in response.content.decode()


def test_the_year_page_maps_the_wards_and_shows_unknown_participants_as_unknown(client, make_session, ward):
    make_session(ward=ward, headcount=None)
    make_session(ward=ward, headcount=None)
    make_session(ward=Ward.objects.get(code="14117"), headcount=25)
    publish_fiscal_year(fiscal_year=2018)

    html = client.get(reverse("fiscal_year_summary", kwargs={"fiscal_year": 2018})).content.decode()

    maps = re.findall(r'<svg class="ward-map-svg".*?</svg>', html, flags=re.S)
    assert len(maps) == 2
    sessions_map, participants_map = maps
    assert 'role="img"' in sessions_map and "<title" in sessions_map
    assert re.search(r'data-ward="14105">.*?>2回<', sessions_map, flags=re.S)
    minami = re.search(r'data-ward="14105">.*?</g>', participants_map, flags=re.S).group(0)
    assert ">不明<" in minami and "人<" not in minami
    assert re.search(r'data-ward="14117">.*?>25人<', participants_map, flags=re.S)
    row = re.search(r'<tr data-ward="14105">.*?</tr>', html, flags=re.S).group(0)
    assert ">2回<" in row and ">不明<" in row and "0人" not in row
