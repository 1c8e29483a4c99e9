import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from portal import selectors
from portal.public import opendata
from trainings.models import TrainingSession

BOM = b"\xef\xbb\xbf"

# The national recommended layout 「イベント一覧」, as listed in DESIGN.md §8 — typed out here on
# purpose, not imported, so that a change to the module's list fails this test.
NATIONAL_EVENT_LIST_COLUMNS = [
    "都道府県コード又は市区町村コード",
    "NO",
    "都道府県名",
    "市区町村名",
    "イベント名",
    "イベント名_カナ",
    "イベント名_英語",
    "開始日",
    "終了日",
    "開始時間",
    "終了時間",
    "開始日時特記事項",
    "説明",
    "料金(基本)",
    "料金(詳細)",
    "連絡先名称",
    "連絡先電話番号",
    "連絡先内線番号",
    "主催者",
    "場所名称",
    "住所",
    "方書",
    "緯度",
    "経度",
    "アクセス方法",
    "駐車場情報",
    "定員",
    "参加申込終了日",
    "参加申込終了時間",
    "参加申込方法",
    "URL",
    "備考",
]


def read_csv(response):
    assert response.content.startswith(BOM)
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def yearly(name, fmt, fy=2018):
    return reverse("opendata_yearly", kwargs={"fiscal_year": fy, "name": name, "fmt": fmt})


def test_event_list_has_exactly_the_national_columns_in_order(client, demo_data):
    response = client.get(yearly("event", "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="141003_event_2018.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert len(NATIONAL_EVENT_LIST_COLUMNS) == 32
    assert rows[0] == NATIONAL_EVENT_LIST_COLUMNS
    assert all(len(row) == 32 for row in rows)
    assert len(rows) - 1 == TrainingSession.objects.filter(fiscal_year=2018).count() == 48


def test_event_list_rows_follow_the_layout_rules(client, demo_data):
    rows = read_csv(client.get(yearly("event", "csv")))
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [r["NO"] for r in records] == [str(n) for n in range(1, 49)]
    for r in records:
        assert (r["都道府県コード又は市区町村コード"], r["都道府県名"], r["市区町村名"]) == (
            "141003",
            "神奈川県",
            "横浜市",
        )
        assert len(r["開始日"]) == 10 and r["開始日"][4] == "-" and r["開始日"][7] == "-"
        assert "2018-04-01" <= r["開始日"] <= "2019-03-31"
        # Unknown values stay empty; nothing like "不明" or "-" is written into them.
        for column in ("開始時間", "終了時間", "料金(基本)", "連絡先電話番号", "緯度", "経度", "定員"):
            assert r[column] == ""
        assert "対象：" in r["説明"]
        assert "例示" in r["備考"]  # every demo session is illustrative, and the file says so
    lecture = next(r for r in records if r["イベント名"] == "出前塾：中村地域ケアプラザ（居場所づくりの相談）")
    assert lecture["開始日"] == lecture["終了日"] == "2018-05-24"
    assert lecture["場所名称"] == "中村地域ケアプラザ"
    assert lecture["住所"] == "神奈川県横浜市南区"
    assert lecture["主催者"] == "横浜市都市整備局"
    assert "参加者数：12人" in lecture["備考"]
    assert lecture["URL"] == "http://testserver/summary/2018/"


def test_category_files_carry_the_dashboard_figures_and_the_published_ones(client, demo_data):
    summary = selectors.yearly_summary(fiscal_year=2018)
    rows = read_csv(client.get(yearly("training_categories", "csv")))
    assert rows[0] == [c.header for c in opendata.CATEGORY_COLUMNS]
    assert [(r[3], int(r[5]), int(r[6])) for r in rows[1:]] == [
        (c.code, c.sessions, c.participants) for c in summary.categories
    ]
    published = {r[3]: (r[8], r[9]) for r in rows[1:]}
    assert published["ア"] == ("2", "130")
    assert published["他"] == ("", "")  # no published figure: empty, not 0

    document = json.loads(client.get(yearly("training_categories", "json")).content)
    assert document["license"] == "CC BY 4.0"
    assert document["fiscal_year_label"] == "2018年度（平成30年度）"
    assert sum(r["sessions"] for r in document["records"]) == 48
    assert sum(r["participants"] for r in document["records"]) == 1820
    assert document["records"][-1]["reported_sessions"] is None


def test_ward_files_have_all_18_wards(client, demo_data):
    rows = read_csv(client.get(yearly("training_wards", "csv")))
    assert len(rows) == 19
    assert rows[1][2:4] == ["14101", "鶴見区"]
    minami = next(r for r in rows if r[3] == "南区")
    assert minami[4] == "5" and minami[7] == "1"
    document = json.loads(client.get(yearly("training_wards", "json")).content)
    assert [r["ward_code"] for r in document["records"]] == [f"141{n:02d}" for n in range(1, 19)]


def test_collaboration_files(client, demo_data):
    rows = read_csv(client.get(yearly("collaborations", "csv")))
    assert [r[2] for r in rows[1:]] == [c.bureau.name for c in selectors.collaborations(fiscal_year=2018)]


def test_case_files_hold_published_cases_with_their_timeline(client, demo_data):
    rows = read_csv(client.get(reverse("opendata_file", kwargs={"name": "cases", "fmt": "csv"})))
    assert rows[0] == [c.header for c in opendata.CASE_COLUMNS]
    assert [r[0] for r in rows[1:]] == ["minami-nakamura"]  # the draft is left out
    document = json.loads(client.get(reverse("opendata_file", kwargs={"name": "cases", "fmt": "json"})).content)
    (case,) = document["records"]
    assert (case["first_fiscal_year"], case["last_fiscal_year"]) == (2016, 2019)
    precisions = {(e["when"], e["precision"]) for e in case["timeline"]}
    assert ("2016年度（平成28年度）", "fiscal_year") in precisions
    assert ("2018年5月24日", "date") in precisions
    assert case["url"] == "http://testserver/cases/minami-nakamura/"


def test_a_year_without_data_gives_header_only_files(client, demo_data):
    rows = read_csv(client.get(yearly("event", "csv", fy=2017)))
    assert rows == [NATIONAL_EVENT_LIST_COLUMNS]
    document = json.loads(client.get(yearly("training_categories", "json", fy=2017)).content)
    assert document["records"] == []


@pytest.mark.parametrize(
    "path",
    [
        "/open-data/2018/event.json",  # the event list is CSV only
        "/open-data/2018/nothing.csv",
        "/open-data/2018/cases.csv",  # cases are not per year
        "/open-data/event.csv",  # the event list is per year
        "/open-data/cases.xml",
        "/open-data/1800/event.csv",
    ],
)
def test_unknown_downloads_are_404(client, demo_data, path):
    assert client.get(path).status_code == 404


def test_open_data_page_lists_licence_downloads_and_column_descriptions(client, demo_data):
    html = client.get(reverse("opendata")).content.decode()
    assert "CC BY 4.0" in html
    assert 'href="/open-data/2018/event.csv"' in html
    assert 'href="/open-data/cases.json"' in html
    for header in NATIONAL_EVENT_LIST_COLUMNS:
        assert f'<th scope="row">{header}</th>' in html
    assert "例示" in html


FORMULAS = {
    "case": '=HYPERLINK("http://example.invalid","開く")',
    "session": "+81-45-000-0000 研修",
    "collaboration": "@SUM(1+1)",
    "category": "-区分",
    "tab": "\t=1+1",
}


@pytest.fixture
def formula_records(demo_data):
    """Records whose text starts with characters a spreadsheet runs as a formula, one per open-data file."""
    from outreach.models import ApproachCase
    from partners.models import Bureau, Collaboration, Ward
    from trainings.models import TrainingCategory

    ward = Ward.objects.get(code="14105")
    ApproachCase.objects.create(
        slug="formula", title=FORMULAS["case"], ward=ward, summary=FORMULAS["tab"], is_published=True
    )
    category = TrainingCategory.objects.create(code="数", name=FORMULAS["category"], order=99)
    TrainingSession.objects.create(
        date=datetime.date(2018, 7, 1), title=FORMULAS["session"], category=category, headcount=3
    )
    Collaboration.objects.create(fiscal_year=2018, bureau=Bureau.objects.first(), description=FORMULAS["collaboration"])


def every_csv_url():
    for dataset in opendata.DATASETS.values():
        if "csv" in dataset.formats:
            kwargs = {"name": dataset.name, "fmt": "csv"}
            yield (
                reverse("opendata_yearly", kwargs={"fiscal_year": 2018, **kwargs})
                if dataset.per_year
                else reverse("opendata_file", kwargs=kwargs)
            )


def test_no_open_data_csv_cell_starts_a_formula(client, formula_records):
    seen = set()
    for url in every_csv_url():
        for row in read_csv(client.get(url)):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (url, cell)
                seen |= {name for name, text in FORMULAS.items() if cell.startswith("'" + text)}
    assert seen == set(FORMULAS), "every formula text must appear, escaped, in some file"


def test_open_data_json_keeps_the_text_as_written(client, formula_records):
    document = json.loads(client.get(reverse("opendata_file", kwargs={"name": "cases", "fmt": "json"})).content)
    assert FORMULAS["case"] in [case["title"] for case in document["records"]]


def test_open_data_page_says_csv_cells_are_escaped(client, demo_data):
    html = client.get(reverse("opendata")).content.decode()
    assert "数式" in html and "JSON" in html


def test_downloads_query_count_is_bounded(client, demo_data, django_assert_max_num_queries):
    for url in (yearly("event", "csv"), yearly("training_categories", "json"), yearly("training_wards", "csv")):
        with django_assert_max_num_queries(4):
            client.get(url)
    with django_assert_max_num_queries(5):
        client.get(reverse("opendata_file", kwargs={"name": "cases", "fmt": "json"}))
