"""Open-data files: what each dataset holds, its rows, and CSV/JSON encodings.

Rows come from the roll-ups in portal.selectors (the event list from portal.public.event_list),
so the files show the same figures as the pages. Only aggregates and published cases are
written: no attendee row, no organisation contact detail and no staff note is ever read here.
"""

import json

from core.codes import with_check_digit
from core.fiscal import calendar_year_label, fiscal_year_era_label, fiscal_year_label
from core.numbers import ROUNDING_RULE, known_participants
from core.spreadsheets import csv_bytes
from outreach.models import event_kind_label
from portal import selectors
from portal.public.event_list import EVENT_LIST_COLUMNS, event_rows
from portal.public.opendata_schema import (
    ATTRIBUTION,
    ILLUSTRATIVE_NOTE,
    LICENSE,
    LICENSE_URL,
    LOCAL_GOVERNMENT_CODE,
    PUBLISHER,
    Column,
    Dataset,
)

# --- Yearly aggregates by category -------------------------------------------------------

CATEGORY_COLUMNS = (
    Column("local_government_code", "全国地方公共団体コード", "横浜市の団体コード（141003）"),
    Column("fiscal_year", "年度", "年度（4月〜翌年3月、開始する年の西暦）"),
    Column("fiscal_year_era", "年度（和暦）", "和暦の年度（例：平成30年度）"),
    Column("category_code", "区分記号", "報告書の項目記号（ア・イ・ウ・エ、内訳不明は「他」）"),
    Column("category_name", "区分名", "研修等の区分"),
    Column("sessions", "回数", "記録された研修等の回数"),
    Column(
        "participants",
        "参加者数",
        "記録された参加者数（延べ）。人数不明の回は含まない。どの回も人数不明なら空欄（JSONでは値なし）",
    ),
    Column("sessions_without_count", "参加者数不明の回数", "参加者数が記録されていない回数"),
    Column("reported_sessions", "公表回数", "報告書に記載された回数（記載がなければ空欄）"),
    Column("reported_participants", "公表参加者数", "報告書に記載された参加者数（記載がなければ空欄）"),
)


def category_rows(fiscal_year, base_url="", *, summary=None, reported=None):
    """Return one row per training category of `fiscal_year` (recorded and published figures side by side).

    `summary` (its YearlySummary) and `reported` (its published figures by category code) are
    computed when not given.
    """
    summary = summary or selectors.yearly_summary(fiscal_year=fiscal_year)
    if reported is None:
        _, reported = selectors.reported_figures(fiscal_year=fiscal_year)
    rows = []
    for row in summary.categories:
        figure = reported.get(row.code)
        rows.append(
            {
                "local_government_code": LOCAL_GOVERNMENT_CODE,
                "fiscal_year": fiscal_year,
                "fiscal_year_era": fiscal_year_era_label(fiscal_year),
                "category_code": row.code,
                "category_name": row.name,
                "sessions": row.sessions,
                "participants": known_participants(row.participants, row.sessions, row.sessions_without_count),
                "sessions_without_count": row.sessions_without_count,
                "reported_sessions": figure.sessions if figure else None,
                "reported_participants": figure.participants if figure else None,
            }
        )
    return rows


# --- Yearly aggregates by ward -----------------------------------------------------------

WARD_COLUMNS = (
    Column("local_government_code", "全国地方公共団体コード", "横浜市の団体コード（141003）"),
    Column("fiscal_year", "年度", "年度（4月〜翌年3月、開始する年の西暦）"),
    Column("ward_code", "区コード", "区の全国地方公共団体コード（検査数字付き6桁、例：141054 南区）"),
    Column("ward_name", "区名", "区の名称"),
    Column("sessions_held", "区内で開催した回数", "その区で開催した研修等の回数"),
    Column(
        "participants_held",
        "区内で開催した研修の参加者数",
        "その区で開催した研修等の参加者数（延べ）。どの回も人数不明なら空欄",
    ),
    Column(
        "attendances_from_ward",
        "区からの参加者数",
        "出席者名簿でその区の所属とされた参加者数（延べ）。その年度に名簿の取込がなければ空欄",
    ),
    Column("reached", "取組あり", "その区で開催したか、その区から参加があれば 1、なければ 0"),
)


def ward_rows(fiscal_year, base_url="", *, wards=None):
    """Return one row per ward (all 18) for `fiscal_year`; figures not recorded are None.

    `wards` is the year's ward_breakdown, computed when not given.
    """
    rows = wards if wards is not None else selectors.public_ward_breakdown(fiscal_year=fiscal_year)
    any_sheet = any(row.attendees_from_ward for row in rows)
    return [
        {
            "local_government_code": LOCAL_GOVERNMENT_CODE,
            "fiscal_year": fiscal_year,
            "ward_code": with_check_digit(row.code),
            "ward_name": row.name,
            "sessions_held": row.sessions,
            "participants_held": known_participants(row.participants, row.sessions, row.sessions_without_count),
            # Without any attendance sheet in the year nobody's ward is known: empty, not 0.
            "attendances_from_ward": row.attendees_from_ward if any_sheet else None,
            "reached": 1 if row.reached else 0,
        }
        for row in rows
    ]


# --- Inter-bureau collaborations ---------------------------------------------------------

COLLABORATION_COLUMNS = (
    Column("local_government_code", "全国地方公共団体コード", "横浜市の団体コード（141003）"),
    Column("fiscal_year", "年度", "年度（4月〜翌年3月、開始する年の西暦）"),
    Column("bureau", "局名", "連携した局"),
    Column("description", "連携内容", "その年度の連携の内容"),
)


def collaboration_rows(fiscal_year, base_url="", *, collaborations=None):
    """Return the inter-bureau collaborations of `fiscal_year`, in report order (`collaborations` if given)."""
    if collaborations is None:
        collaborations = selectors.collaborations(fiscal_year=fiscal_year)
    return [
        {
            "local_government_code": LOCAL_GOVERNMENT_CODE,
            "fiscal_year": fiscal_year,
            "bureau": c.bureau.name,
            "description": c.description,
        }
        for c in collaborations
    ]


# --- Published approach-support cases ----------------------------------------------------

CASE_COLUMNS = (
    Column("slug", "事例ID", "事例ページのURLに使う識別子"),
    Column("title", "事例名", "事例の名称"),
    Column("ward_code", "区コード", "区の全国地方公共団体コード（検査数字付き6桁）"),
    Column("ward_name", "区名", "区の名称"),
    Column("district", "地区", "地区名（あれば）"),
    Column("theme", "テーマ", "取組のテーマ"),
    Column("status", "状況", "公開時点の状況（例示の場合は空欄）"),
    Column("lead_organization", "窓口の団体", "相談の窓口となった団体（例示の場合は空欄）"),
    Column("partner_organizations", "連携団体", "連携した団体（「、」区切り。例示の場合は空欄）"),
    Column("schemes", "活用した制度", "活用した市の制度（「、」区切り。例示の場合は空欄）"),
    Column("summary", "概要", "事例の概要"),
    Column("outcome", "成果", "成果"),
    Column("first_fiscal_year", "開始年度", "経過の最初の年度"),
    Column("last_fiscal_year", "最新年度", "経過の最後の年度（予定を含む）"),
    Column(
        "timeline",
        "経過",
        "経過（JSONでは一覧。日付が分かるものは日付、年だけ分かるものは年、年度だけ分かるものは年度。例示・推定の日付と年度は載せません）",
    ),
    Column("url", "URL", "事例ページ"),
    Column("data_note", "データの注記", "記録の出典や例示の別"),
)


def _when(date, calendar_year, fiscal_year):
    if date:
        return f"{date.year}年{date.month}月{date.day}日"
    if calendar_year:
        return calendar_year_label(calendar_year)
    return fiscal_year_label(fiscal_year) if fiscal_year else ""


def _precision(event, date, fiscal_year):
    if date:
        return "date"
    return "calendar_year" if event.calendar_year else "fiscal_year" if fiscal_year else ""


def _timeline(case):
    """Return the case's timeline entries; a date or fiscal year flagged illustrative is left out (None)."""
    entries = []
    for event in case.events.all():
        date, fiscal_year = event.public_value("date"), event.public_value("fiscal_year")
        entries.append(
            {
                "date": date.isoformat() if date else None,
                "calendar_year": event.calendar_year,
                "fiscal_year": fiscal_year,
                "when": _when(date, event.calendar_year, fiscal_year),
                "precision": _precision(event, date, fiscal_year),
                "kind": event.get_kind_display(),
                "text": event.text,
                "planned": event.is_planned,
            }
        )
    return entries


def case_rows(fiscal_year=None, base_url=""):
    """Return the published cases, one row each; `timeline` is a list (joined into text in CSV)."""
    rows = []
    for case in selectors.published_case_details():
        timeline = _timeline(case)
        years = [e["fiscal_year"] for e in timeline if e["fiscal_year"]]
        rows.append(
            {
                "slug": case.slug,
                "title": case.title,
                "ward_code": with_check_digit(case.ward.code),
                "ward_name": case.ward.name,
                "district": case.district,
                "theme": case.get_theme_display(),
                "status": case.public_value("status", case.get_status_display()) or "",
                "lead_organization": case.public_value("lead_organization") and case.lead_organization.name or "",
                "partner_organizations": case.public_value(
                    "partner_organizations", "、".join(o.name for o in case.partner_organizations.all())
                )
                or "",
                "schemes": case.public_value("schemes", "、".join(s.name for s in case.schemes.all())) or "",
                "summary": case.summary,
                "outcome": case.outcome,
                "first_fiscal_year": min(years, default=None),
                "last_fiscal_year": max(years, default=None),
                "timeline": timeline,
                "url": base_url + case.get_absolute_url(),
                "data_note": case.data_note,
            }
        )
    return rows


DATASETS = {
    d.name: d
    for d in (
        Dataset(
            "training_categories",
            "研修等の実績（区分別）",
            "年度ごとの研修等の回数と参加者数を区分別に集計したもの。報告書の公表値を並べて記載します。",
            CATEGORY_COLUMNS,
            ("csv", "json"),
            True,
            category_rows,
        ),
        Dataset(
            "training_wards",
            "研修等の実績（区別）",
            "年度ごとに、18区それぞれで開催した研修等の回数・参加者数と、区からの参加者数を集計したもの。",
            WARD_COLUMNS,
            ("csv", "json"),
            True,
            ward_rows,
        ),
        Dataset(
            "event",
            "研修等の一覧（イベント一覧）",
            "年度の研修等を、自治体標準オープンデータセット「イベント一覧」の32項目の順に並べたもの。"
            "開催日が記録されている研修だけを載せます。",
            EVENT_LIST_COLUMNS,
            ("csv", "json"),
            True,
            event_rows,
        ),
        Dataset(
            "collaborations",
            "局間連携",
            "年度ごとの、地域まちづくり課と他の局との連携の内容。",
            COLLABORATION_COLUMNS,
            ("csv", "json"),
            True,
            collaboration_rows,
        ),
        Dataset(
            "cases",
            "アプローチ型支援の事例",
            "公開しているアプローチ型支援の事例と、その経過。",
            CASE_COLUMNS,
            ("csv", "json"),
            False,
            case_rows,
        ),
    )
}


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return value
    if isinstance(value, list):  # a case's timeline
        return "／".join(
            f"{e['when'] or '時期不明'} {event_kind_label(e['kind'], e['planned'])}：{e['text']}" for e in value
        )
    return str(value)


def to_csv(dataset, rows):
    """Return `rows` as CSV bytes: UTF-8 with BOM (so Excel reads it), CRLF line ends, header first.

    Like every CSV of the portal (core.spreadsheets.csv_bytes), a text cell starting with =, +, -,
    @, a tab or a carriage return gets a leading ', so that Excel shows it instead of running it.
    The JSON files keep the text as written, for programs (the open-data page says so).
    """
    return csv_bytes(
        [c.header for c in dataset.columns], ([_cell(row[c.key]) for c in dataset.columns] for row in rows)
    )


def to_json(dataset, rows, fiscal_year=None):
    """Return `rows` as UTF-8 JSON bytes with the dataset's title, licence, columns and notes."""
    document = {
        "title": dataset.title,
        "description": dataset.description,
        "publisher": PUBLISHER,
        "license": LICENSE,
        "license_url": LICENSE_URL,
        "attribution": ATTRIBUTION,
        "local_government_code": LOCAL_GOVERNMENT_CODE,
        "notes": [ILLUSTRATIVE_NOTE, ROUNDING_RULE],
        "columns": [{"key": c.key, "header": c.header, "description": c.description} for c in dataset.columns],
        "records": rows,
    }
    if dataset.per_year:
        document["fiscal_year"] = fiscal_year
        document["fiscal_year_label"] = fiscal_year_label(fiscal_year)
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
