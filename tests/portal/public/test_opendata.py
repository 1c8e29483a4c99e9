import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from partners.models import Ward
from portal import selectors
from portal.public import opendata
from portal.services import publish_fiscal_year
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
    # The seed gives no session's date: every demo date is illustrative, so no demo row is listed.
    sessions = list(TrainingSession.objects.filter(fiscal_year=2018))
    assert len(sessions) == 48 and all(s.is_illustrative_field("date") for s in sessions)
    assert len(rows) - 1 == 0


@pytest.fixture
def recorded_sessions(demo_data):
    """Two FY2018 sessions whose date is recorded (one with an illustrative venue), then FY2018 re-published."""
    minami = Ward.objects.get(code="14105")
    known = TrainingSession.objects.create(
        date=datetime.date(2018, 9, 3), title="まち普請説明会", title_kana="マチブシンセツメイカイ",
        start_time=datetime.time(14, 0), end_time=datetime.time(16, 0), venue="南区役所 会議室",
        venue_address="神奈川県横浜市南区浦舟町2-33", ward=minami, headcount=25, audience="residents",
    )  # fmt: skip
    assumed = TrainingSession.objects.create(
        date=datetime.date(2018, 9, 10), title="制度説明会", venue="どこかの集会所", ward=minami,
        illustrative_fields="venue ward headcount", headcount=9,
    )  # fmt: skip
    publish_fiscal_year(fiscal_year=2018)
    return known, assumed


def test_event_list_rows_follow_the_layout_rules(client, recorded_sessions):
    known, assumed = recorded_sessions
    rows = read_csv(client.get(yearly("event", "csv")))
    records = {r["NO"]: r for r in (dict(zip(rows[0], row, strict=True)) for row in rows[1:])}
    assert set(records) == {str(known.pk), str(assumed.pk)}  # NO is the session's id: stable and unique
    for r in records.values():
        assert (r["都道府県コード又は市区町村コード"], r["都道府県名"], r["市区町村名"]) == (
            "141003",
            "神奈川県",
            "横浜市",
        )
        assert r["開始日"] == r["終了日"] and "2018-04-01" <= r["開始日"] <= "2019-03-31"
        # Unknown values stay empty; nothing like "不明" or "-" is written into them.
        for column in ("料金(基本)", "連絡先電話番号", "緯度", "経度", "定員"):
            assert r[column] == ""
        assert r["URL"] == "http://testserver/summary/2018/"
    r = records[str(known.pk)]
    assert (r["イベント名"], r["イベント名_カナ"], r["開始時間"], r["終了時間"]) == (
        "まち普請説明会", "マチブシンセツメイカイ", "14:00", "16:00"
    )  # fmt: skip
    assert (r["場所名称"], r["住所"]) == ("南区役所 会議室", "神奈川県横浜市南区浦舟町2-33")
    assert r["備考"] == "参加者数：25人。" and "対象：地域住民・団体" in r["説明"]
    r = records[str(assumed.pk)]
    # Each illustrative cell is empty: the venue, the ward (so no address) and the headcount.
    assert (r["場所名称"], r["住所"], r["備考"], r["開始時間"]) == ("", "", "", "")


def test_event_list_json_matches_the_csv(client, recorded_sessions):
    document = json.loads(client.get(yearly("event", "json")).content)
    assert [r["NO"] for r in document["records"]] == sorted(r.pk for r in recorded_sessions)
    assert set(document["records"][0]) == set(NATIONAL_EVENT_LIST_COLUMNS)


def test_category_files_carry_the_dashboard_figures_and_the_published_ones(client, demo_data):
    summary = selectors.yearly_summary(fiscal_year=2018)
    rows = read_csv(client.get(yearly("training_categories", "csv")))
    assert rows[0] == [c.header for c in opendata.CATEGORY_COLUMNS]
    # A category none of whose sessions has a known headcount has no participant figure: empty, not 0.
    assert [(r[3], int(r[5]), r[6]) for r in rows[1:]] == [
        (c.code, c.sessions, str(c.participants) if c.sessions_without_count < c.sessions else "")
        for c in summary.categories
    ]
    assert rows[-1][3] == "他" and rows[-1][6] == "" and rows[-1][7] == "16"
    published = {r[3]: (r[8], r[9]) for r in rows[1:]}
    assert published["ア"] == ("2", "130")
    assert published["他"] == ("", "")  # no published figure: empty, not 0

    document = json.loads(client.get(yearly("training_categories", "json")).content)
    assert document["license"] == "CC BY 4.0"
    assert document["fiscal_year_label"] == "2018年度（平成30年度）"
    assert sum(r["sessions"] for r in document["records"]) == 48
    assert sum(r["participants"] or 0 for r in document["records"]) == 1820
    assert document["records"][-1]["reported_sessions"] is None
    assert document["records"][-1]["participants"] is None


def test_ward_files_have_all_18_wards(client, demo_data):
    rows = read_csv(client.get(yearly("training_wards", "csv")))
    assert len(rows) == 19
    assert rows[1][2:4] == ["141011", "鶴見区"]  # the 6-digit code with check digit
    minami = next(r for r in rows if r[3] == "南区")
    # Facts only: of the demo's five sessions placed in 南区, the seed places one there (the 中村
    # 出前塾); its headcount is illustrative, so the participants are empty (unknown).
    assert (minami[4], minami[5], minami[7]) == ("1", "", "1")
    aoba = next(r for r in rows if r[3] == "青葉区")
    assert (aoba[4], aoba[5]) == ("1", "")
    document = json.loads(client.get(yearly("training_wards", "json")).content)
    assert [r["ward_code"] for r in document["records"]] == [
        "141011", "141020", "141038", "141046", "141054", "141062", "141071", "141089", "141097",
        "141101", "141119", "141127", "141135", "141143", "141151", "141160", "141178", "141186",
    ]  # fmt: skip
    # No attendance sheet in the demo year: nobody's ward is known, so the column is empty, not 0.
    assert {r["attendances_from_ward"] for r in document["records"]} == {None}


def test_collaboration_files(client, demo_data):
    rows = read_csv(client.get(yearly("collaborations", "csv")))
    assert [r[2] for r in rows[1:]] == [c.bureau.name for c in selectors.collaborations(fiscal_year=2018)]


def test_case_files_hold_published_cases_with_their_timeline(client, demo_data):
    rows = read_csv(client.get(reverse("opendata_file", kwargs={"name": "cases", "fmt": "csv"})))
    assert rows[0] == [c.header for c in opendata.CASE_COLUMNS]
    assert [r[0] for r in rows[1:]] == ["minami-nakamura"]  # the draft is left out
    document = json.loads(client.get(reverse("opendata_file", kwargs={"name": "cases", "fmt": "json"})).content)
    (case,) = document["records"]
    # Only the fiscal years the seed states: 2018 (application, adoption); assumed years are left out.
    assert (case["first_fiscal_year"], case["last_fiscal_year"]) == (2018, 2018)
    precisions = {(e["when"], e["precision"]) for e in case["timeline"]}
    assert ("2016年（平成28年）", "calendar_year") in precisions  # the seed's 「平成28年」 stays a calendar year
    assert ("2018年度（平成30年度）", "fiscal_year") in precisions
    lecture = next(e for e in case["timeline"] if e["kind"] == "出前塾")
    assert (lecture["date"], lecture["when"], lecture["precision"]) == (None, "", "")  # the date is illustrative
    assert case["ward_code"] == "141054"
    assert case["url"] == "http://testserver/cases/minami-nakamura/"


def test_a_year_never_published_has_no_files(client, demo_data):
    assert client.get(yearly("event", "csv", fy=2017)).status_code == 404


def test_a_published_year_without_data_gives_header_only_files(client, demo_data):
    publish_fiscal_year(fiscal_year=2017)
    rows = read_csv(client.get(yearly("event", "csv", fy=2017)))
    assert rows == [NATIONAL_EVENT_LIST_COLUMNS]
    document = json.loads(client.get(yearly("training_categories", "json", fy=2017)).content)
    assert document["records"] == []


@pytest.mark.parametrize(
    "path",
    [
        "/open-data/2018/event.xml",
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
    assert "2018年度（平成30年度）は48回を載せていません" in html  # every demo date is illustrative
    assert "開催日が記録されていない" in html and "自治体標準オープンデータセット「イベント一覧」" in html


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
    publish_fiscal_year(fiscal_year=2018)


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
    # A year's files are read from its latest publication: one query, whatever the data.
    for url in (yearly("event", "csv"), yearly("training_categories", "json"), yearly("training_wards", "csv")):
        with django_assert_max_num_queries(1):
            client.get(url)
    with django_assert_max_num_queries(5):
        client.get(reverse("opendata_file", kwargs={"name": "cases", "fmt": "json"}))
