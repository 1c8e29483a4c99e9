import datetime
import re
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from outreach.models import ApproachCase, CaseEvent, PlanItem, PlanItemStatus
from partners.models import Bureau, Collaboration, Organization, Ward
from trainings.models import Attendance, ReportedFigure, TrainingCategory, TrainingSession


@pytest.fixture
def manager(db):
    user = User.objects.create_user("manager", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="管理職"))
    return user


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def text_of(response):
    """Return the page's text without tags or repeated whitespace."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/dashboard/", "/dashboard/2018/", "/dashboard/2018/report/", "/dashboard/2018/export/categories.csv"],
)
def test_dashboard_pages_need_a_login_and_the_dashboard_permission(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")

    # Logged in, but neither a role nor staff: refused with a page that says why.
    client.force_login(User.objects.create_user("plain", password="x"))
    response = client.get(url)
    assert response.status_code == 403
    assert "ダッシュボード・委員会報告・集計表の出力を見る権限がありません" in response.content.decode()


# --- dashboard ------------------------------------------------------------------------------------


def test_dashboard_root_redirects_to_the_latest_year(manager_client, demo_data):
    response = manager_client.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"] == "/dashboard/2018/"


def test_year_switcher_redirects_and_refuses_bad_years(manager_client, demo_data):
    assert manager_client.get("/dashboard/", {"fy": "2017"})["Location"] == "/dashboard/2017/"
    for bad in ["abc", "1800", "-1", ""]:
        response = manager_client.get("/dashboard/", {"fy": bad})
        assert response.status_code == 404, bad
        assert "年度として指定できません" in response.content.decode()


@pytest.mark.django_db
def test_dashboard_root_without_records_says_so(manager_client):
    response = manager_client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert "まだ研修・局間連携・公表数値の記録がありません" in response.content.decode()


def test_demo_dashboard_shows_the_seed_figures_and_discrepancy(manager_client, demo_data):
    response = manager_client.get("/dashboard/2018/")
    assert response.status_code == 200
    text = text_of(response)
    assert "2018年度（平成30年度）" in text
    assert '<option value="2018" selected>2018年度（平成30年度）</option>' in response.content.decode()
    assert "48 回" in text and "1,820 人" in text and "約1,800人" in text
    # Reconciliation: the itemised categories match, the unknown 16 and 1,820 vs 約1,800 are shown.
    for line in [
        "ア 地域まちづくり課主催研修 2回 2回 一致 130人 130人 一致",
        "イ 出前塾 9回 9回 一致 150人 150人 一致",
        "ウ 他局と連携した研修 16回 16回 一致 1,400人 1,400人 一致",
        "エ 区役所向け研修 5回 5回 一致 140人 140人 一致",
        "他 その他・内訳不明 16回 — 公表内訳なし 不明 （16回は人数不明）",
        "合計 48回 48回 一致 1,820人 （16回は人数不明） 約1,800人 概数で一致（＋20人）",
    ]:
        assert line in text, line
    assert "報告書の区分別の内訳は合計32回・1,820人ですが、見出しは全48回・参加者約1,800人です" in text
    # The previous year has no sessions: said plainly, and nothing is compared with it (no 0, no difference).
    assert "前年度（2017年度（平成29年度））の研修の記録はありません。比べる前年度がないため" in text
    assert "研修等の回数 48回 — —" in text
    assert "参加者数（延べ） 1,820人 — —" in text
    # Collaborations, charts (inline SVG) with tables, quality panel, rounding rule.
    assert "教育委員会事務局" in text and "連携した局（局間連携） 7局 — —" in text
    assert response.content.decode().count("<svg ") == 7  # five charts and two ward maps
    assert "参加者数も出席者名簿もない研修： 16件" in text
    assert "有効数字2桁に四捨五入" in text


def test_every_admin_link_on_the_dashboard_opens_a_filtered_list(admin_client, demo_data):
    html = admin_client.get("/dashboard/2018/").content.decode()
    links = set(re.findall(r'href="(/admin/[^"]+)"', html.replace("&amp;", "&")))
    assert len(links) > 40
    for link in sorted(links):
        response = admin_client.get(link)
        # A filter the admin does not accept redirects to ?e=1 instead of listing.
        assert response.status_code == 200, link


def test_category_link_lists_exactly_that_categorys_sessions(admin_client, demo_data):
    category = TrainingCategory.objects.get(code="イ")
    html = admin_client.get("/dashboard/2018/").content.decode().replace("&amp;", "&")
    link = f"/admin/trainings/trainingsession/?fiscal_year=2018&category__id__exact={category.pk}"
    assert link in html
    response = admin_client.get(link)
    assert response.context["cl"].result_count == 9


def test_year_switcher_offers_the_years_around_the_records(manager_client, demo_data):
    html = manager_client.get("/dashboard/2018/").content.decode()
    options = re.findall(r'<option value="(\d+)"( selected)?>([^<]+)</option>', html)
    assert options == [
        ("2018", " selected", "2018年度（平成30年度）"),
        ("2017", "", "2017年度（平成29年度）（記録なし）"),
    ]


def test_dashboard_maps_the_wards_with_unknown_participants_as_unknown(manager_client, make_session, ward):
    make_session(ward=ward, headcount=None)
    make_session(ward=Ward.objects.get(code="14117"), headcount=12)

    html = manager_client.get("/dashboard/2018/").content.decode()

    section = html[html.index('id="wards-heading"') :]
    maps = re.findall(r'<svg class="ward-map-svg".*?</svg>', section, flags=re.S)
    assert len(maps) == 2 and all('role="img"' in svg for svg in maps)
    assert ">不明<" in re.search(r'data-ward="14105">.*?</g>', maps[1], flags=re.S).group(0)
    assert ">12人<" in re.search(r'data-ward="14117">.*?</g>', maps[1], flags=re.S).group(0)
    table = re.search(r'<table class="data compare" id="table-wards">.*?</table>', section, flags=re.S).group(0)
    minami = re.search(r'<th scope="row">(?:<a [^>]*>)?南区.*?</tr>', table, flags=re.S).group(0)
    assert re.findall(r'<td class="n">(.*?)</td>', minami)[:2] == ["1回", "不明"]  # not 「0人」


def test_dashboard_of_a_year_without_records(manager_client, demo_data):
    response = manager_client.get("/dashboard/2017/")
    assert response.status_code == 200
    assert "2017年度（平成29年度）の記録（研修・局間連携・公表数値）はありません" in text_of(response)


@pytest.mark.parametrize("url", ["/dashboard/1800/", "/dashboard/2101/report/", "/dashboard/0/export/trend.csv"])
def test_years_outside_the_accepted_range_are_404_in_japanese(manager_client, db, url):
    response = manager_client.get(url)
    assert response.status_code == 404
    assert "年度までを指定してください" in response.content.decode()


def test_dashboard_without_previous_year_links_stays_in_range(manager_client, db):
    html = manager_client.get("/dashboard/1989/").content.decode()
    assert "/dashboard/1988/" not in html


# --- report ---------------------------------------------------------------------------------------


def test_demo_report_follows_the_seed(manager_client, demo_data):
    response = manager_client.get("/dashboard/2018/report/")
    assert response.status_code == 200
    text = text_of(response)
    assert "平成30年度の区局連携" in text
    assert "主に実施した研修等について（全48回、参加者約1,800人）" in text
    assert "ア 地域まちづくり課主催研修（全2回、総参加者130人）" in text
    assert "イ 出前塾（全9回、総参加者150人）" in text
    assert "ウ 他局と連携した研修（全16回、総参加者1,400人）" in text
    assert "エ 区役所向け研修（全5回、総参加者140人）" in text
    assert "地域まちづくり支援制度活用研修（第1回）" in text
    assert "区役所地区支援研修（青葉区）" in text
    assert "全48回のうち16回（その他・内訳不明）は、区分・参加者数の内訳が記録されていません" in text
    assert "市民局 研修の共同開催、地域支援へのあり方検討、協働・共創ルームの検討 等" in text
    assert "参考 アプローチ型支援の実績（南区中村地区）" in text
    assert "2016年（平成28年） ヒアリング" in text  # the seed's calendar years stay calendar years
    assert "2018年5月24日 出前塾" in text
    assert "2019年（平成31年・令和元年） 予定：" in text and "（予定） 予定" not in text
    assert "2 令和元年度以降の進め方" in text and "ハード整備の事例を紹介するウェブツールの作成" in text
    assert "実施中" in text
    assert "「約」の数値は実数を有効数字2桁に四捨五入したものです" in text
    assert "公表した区分別の内訳の合計は32回・1,820人で、見出しの数値と一致しません" in text
    with open("static/css/dashboard.css", encoding="utf-8") as css:
        assert "@page { size: A4" in css.read()


def test_report_of_a_year_without_records(manager_client, db):
    response = manager_client.get("/dashboard/2017/report/")
    assert response.status_code == 200
    assert "2017年度（平成29年度）の研修・局間連携の記録はありません" in text_of(response)


def test_report_never_shows_attendee_names_but_counts_them(manager_client, demo_data):
    session = TrainingSession.objects.get(title="区役所地区支援研修（青葉区）")
    Attendance.objects.create(session=session, name="秘密花子ユニーク")
    assert "秘密花子ユニーク" not in manager_client.get("/dashboard/2018/report/").content.decode()
    assert "秘密花子ユニーク" not in manager_client.get("/dashboard/2018/").content.decode()


def test_report_cuts_a_long_session_list_and_links_the_full_one(manager_client, make_session, category, monkeypatch):
    from portal.selectors import report

    monkeypatch.setattr(report, "LISTED_PER_CATEGORY", 2)
    for day in range(1, 6):
        make_session(title=f"研修{day}", category=category, date=datetime.date(2018, 6, day), headcount=day)
    response = manager_client.get("/dashboard/2018/report/")
    text = text_of(response)
    assert "研修5" in text and "研修4" in text and "研修3" not in text
    assert "ほか3回（参加者の多い2回を開催日順に掲載）。全5回の一覧は 管理画面の研修一覧 にあります" in text
    link = f"/admin/trainings/trainingsession/?fiscal_year=2018&amp;category__id__exact={category.pk}"
    assert link in response.content.decode()
    assert manager_client.get(link.replace("&amp;", "&")).status_code == 200


# --- exports --------------------------------------------------------------------------------------


def test_csv_export_has_a_bom_and_the_dashboard_figures(manager_client, demo_data):
    response = manager_client.get("/dashboard/2018/export/categories.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    name = quote("ダッシュボード_2018年度_研修区分別.csv")
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''" + name
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    assert "ア 地域まちづくり課主催研修,2,130,0" in body.decode("utf-8-sig")


def test_xlsx_export_opens_in_openpyxl(manager_client, demo_data):
    import io

    from openpyxl import load_workbook

    response = manager_client.get("/dashboard/2018/export/reconciliation.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "公表数値との照合（2018年度（平成30年度））"
    assert ["合計", 48, 48, 0, "一致", 1820, 16, 1800, "はい", 20, "概数で一致"] in values


def test_every_table_on_the_page_has_both_downloads(manager_client, demo_data):
    from portal.dashboard.exports import TABLES

    html = manager_client.get("/dashboard/2018/").content.decode()
    for name in TABLES:
        for fmt in ("csv", "xlsx"):
            url = f"/dashboard/2018/export/{name}.{fmt}"
            assert url in html, url
            assert manager_client.get(url).status_code == 200, url


@pytest.mark.parametrize("url", ["/dashboard/2018/export/secrets.csv", "/dashboard/2018/export/categories.pdf"])
def test_unknown_exports_are_404(manager_client, db, url):
    response = manager_client.get(url)
    assert response.status_code == 404
    assert "ダウンロードはありません" in response.content.decode()


# --- query counts ---------------------------------------------------------------------------------


def build_records(scale, prefix):
    """Create `scale` times a year's worth of every kind of record in FY2017 and FY2018 (names start with `prefix`)."""
    wards = list(Ward.objects.order_by("code"))
    bureaus = [Bureau.objects.create(name=f"{prefix}局{i}", order=i) for i in range(3 * scale)]
    categories = [
        TrainingCategory.objects.create(code=f"{prefix}{i}", name=f"{prefix}区分{i}", order=i, is_itemised=i % 4 != 0)
        for i in range(4)
    ]
    organizations = [
        Organization.objects.create(name=f"{prefix}団体{i}", kind="care_plaza", ward=wards[i % 18])
        for i in range(4 * scale)
    ]
    for fy in (2017, 2018):
        for i, bureau in enumerate(bureaus):
            Collaboration.objects.create(fiscal_year=fy, bureau=bureau, description=f"連携{i}", order=i)
        for category in categories:
            ReportedFigure.objects.create(
                fiscal_year=fy, category=category, sessions=scale, participants=10 * scale, source_document="x"
            )
        ReportedFigure.objects.update_or_create(
            fiscal_year=fy, category=None,
            defaults={"sessions": 5 * scale, "participants": 100 * scale, "participants_approximate": True,
                      "source_document": "x"},
        )  # fmt: skip
        for i in range(6 * scale):
            session = TrainingSession.objects.create(
                title=f"{prefix}研修{fy}-{i}",
                date=datetime.date(fy, 4, 1) + datetime.timedelta(days=(i * 13) % 365),
                category=categories[i % 4] if i % 7 else None,
                host_bureau=bureaus[i % len(bureaus)] if i % 3 == 0 else None,
                host_organization=organizations[i % len(organizations)] if i % 3 == 1 else None,
                audience=["city_staff", "intermediary", "school", "other"][i % 4],
                ward=wards[i % 18] if i % 5 else None,
                headcount=None if i % 6 == 0 else 10 + i,
            )
            Attendance.objects.bulk_create(
                [
                    Attendance(
                        session=session,
                        name=f"参加者{j}",
                        person_key=f"参加者{j}",
                        organization=organizations[j % len(organizations)] if j % 2 else None,
                        organization_text="" if j % 2 else f"未登録{j}",
                        ward=wards[j % 18],
                    )
                    for j in range(3 if i % 2 else 0)
                ]
            )
    for i in range(2 * scale):
        case = ApproachCase.objects.create(
            slug=f"{prefix}-case-{i}", title=f"{prefix}事例{i}", ward=wards[i % 18], summary="概要",
            status=["adopted", "planning"][i % 2], lead_organization=organizations[i % len(organizations)],
        )  # fmt: skip
        CaseEvent.objects.create(case=case, fiscal_year=2016 + i % 3, kind="hearing", text="経過")
        CaseEvent.objects.create(case=case, date=datetime.date(2018, 7, 1), kind="consultation", text="相談")
        CaseEvent.objects.create(case=case, fiscal_year=2019, kind="plan", text="予定", is_planned=True)
    for i in range(scale):
        item = PlanItem.objects.create(from_fiscal_year=2019, code=f"{prefix}{i}", title=f"計画{i}", description="説明")
        PlanItemStatus.objects.create(plan_item=item, fiscal_year=2018, status="in_progress")
        PlanItemStatus.objects.create(plan_item=item, fiscal_year=2019, status="continuing")


# One bound for both sizes; the exact counts are compared too, so that a per-row query shows.
# Each count includes 3 queries saving the session (SESSION_SAVE_EVERY_REQUEST) and 2 reading the
# user's permissions for the portal.view_dashboard check (portal/access.py).
# The page and the report also read the year's latest publication (portal.services.publication_state:
# 1 query); only for a published year are its live public figures built beside it (10 more, cached
# per data version and shared by the page, the report and the public banner). Both years' sessions
# are totalled by every breakdown in one query (portal.selectors.groups).
DASHBOARD_MAX_QUERIES = 34  # measured: 34 (page) and 31 (an export) at both sizes
REPORT_MAX_QUERIES = 18  # measured: 18


def count_queries(client, url, django_assert_max_num_queries, bound):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured, django_assert_max_num_queries(bound):
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("url", "bound"),
    [
        ("/dashboard/2018/", DASHBOARD_MAX_QUERIES),
        ("/dashboard/2018/report/", REPORT_MAX_QUERIES),
        ("/dashboard/2018/export/wards.xlsx", DASHBOARD_MAX_QUERIES),
    ],
)
def test_query_count_does_not_grow_with_ten_times_the_data(manager_client, django_assert_max_num_queries, url, bound):
    build_records(1, prefix="a")
    assert TrainingSession.objects.count() == 12
    small = count_queries(manager_client, url, django_assert_max_num_queries, bound)

    build_records(10, prefix="b")
    assert TrainingSession.objects.count() == 12 + 120
    large = count_queries(manager_client, url, django_assert_max_num_queries, bound)

    assert large == small


def test_home_dashboard_report_and_export_agree(client, manager_client, demo_data):
    """The same selectors feed every page: the FY2018 totals read the same everywhere."""
    home = text_of(client.get("/"))
    dashboard = text_of(manager_client.get("/dashboard/2018/"))
    report = text_of(manager_client.get("/dashboard/2018/report/"))
    export = manager_client.get("/dashboard/2018/export/totals.csv").content.decode("utf-8-sig")
    assert "48 回" in home and "1,820 人" in home
    assert "研修等の回数 48回" in dashboard and "参加者数（延べ） 1,820人" in dashboard
    assert "全48回、参加者約1,800人" in report and "記録上の参加者数は1,820人" in report
    assert "研修等の回数,回,48," in export and "参加者数（延べ）,人,1820," in export


def test_dashboard_figures_are_computed_once_per_data_version(manager_client, demo_data):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        first_page = text_of(manager_client.get("/dashboard/2018/"))
    with CaptureQueriesContext(connection) as second:
        second_page = text_of(manager_client.get("/dashboard/2018/"))

    assert len(second.captured_queries) < len(first.captured_queries) // 3
    assert second_page == first_page


def test_a_changed_record_shows_on_the_dashboard_at_once(manager_client, demo_data, make_session):
    assert "48回" in text_of(manager_client.get("/dashboard/2018/"))
    make_session(headcount=7)
    page = text_of(manager_client.get("/dashboard/2018/"))
    assert "49回" in page and "1,827" in page


def test_report_shows_the_latest_entries_of_a_long_timeline_and_links_the_rest(manager_client, demo_data, monkeypatch):
    from portal.selectors import report

    monkeypatch.setattr(report, "TIMELINE_SHOWN", 2)
    case = ApproachCase.objects.get(slug="minami-nakamura")
    response = manager_client.get("/dashboard/2018/report/")
    text = text_of(response)
    entries = CaseEvent.objects.filter(case=case).count()
    assert f"それ以前の経過{entries - 2}件は 管理画面の事例 と、Word・Excelの報告書にあります。" in text
    assert "2016年（平成28年） ヒアリング" not in text  # the earliest entry is left out
    assert reverse("admin:outreach_approachcase_change", args=[case.pk]) in response.content.decode()
    # The Excel file of the report keeps every entry.
    import io

    from openpyxl import load_workbook

    xlsx = manager_client.get(reverse("dashboard_report_file", kwargs={"fy": 2018, "fmt": "xlsx"}))
    sheet = load_workbook(io.BytesIO(xlsx.content))["事例の経過"]
    assert sum(1 for row in sheet.iter_rows(values_only=True) if row[0] == case.title) == entries
