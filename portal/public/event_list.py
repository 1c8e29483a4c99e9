"""The training sessions as the national recommended event list (自治体標準オープンデータセット「イベント一覧」)."""

from django.urls import reverse

from portal import selectors
from portal.public.opendata_schema import LOCAL_GOVERNMENT_CODE, MUNICIPALITY, PREFECTURE, PUBLISHER, Column

EVENT_LIST_HEADERS = (
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
)
# The edition of the layout this file follows (README "Open data" says the same).
EVENT_LIST_EDITION = "自治体標準オープンデータセット「イベント一覧」（デジタル庁、2023年版：32項目）"
EVENT_LIST_DESCRIPTIONS = {
    "都道府県コード又は市区町村コード": "横浜市の団体コード（141003）",
    "NO": "研修の記録番号（年度をまたいで一意。変わりません）",
    "都道府県名": "神奈川県",
    "市区町村名": "横浜市",
    "イベント名": "研修等の名称",
    "イベント名_カナ": "研修等の名称の読み",
    "開始日": "開催日（YYYY-MM-DD）",
    "終了日": "開催日（1日で終わる研修のため開始日と同じ）",
    "開始時間": "開始時刻（例 14:00）",
    "終了時間": "終了時刻（例 16:00）",
    "説明": "研修区分、対象者、内容",
    "連絡先名称": PUBLISHER,
    "主催者": "主催した局・団体",
    "場所名称": "会場",
    "住所": "会場の住所（なければ区まで）",
    "URL": "その年度の実績ページ",
    "備考": "参加者数",
}
EVENT_LIST_COLUMNS = tuple(
    Column(header, header, EVENT_LIST_DESCRIPTIONS.get(header, "記録がないため空欄")) for header in EVENT_LIST_HEADERS
)
# Why a session is left out of the event list: its date is not a recorded fact.
WITHHELD_REASON = "開催日が記録されていない（例示の日付しかない）研修は、イベント一覧に載せていません。"


def _event_description(session):
    parts = []
    if session.category:
        parts.append(f"区分：{session.category.code} {session.category.name}")
    if not session.is_illustrative_field("audience"):
        audience = session.get_audience_display()
        if session.audience_detail and not session.is_illustrative_field("audience_detail"):
            audience = f"{audience}（{session.audience_detail}）"
        parts.append(f"対象：{audience}")
    if session.description and not session.is_illustrative_field("description"):
        parts.append(session.description.strip())
    return "。".join(p.rstrip("。") for p in parts) + "。" if parts else ""


def _event_note(session):
    count = session.participant_count
    if count is None or session.is_illustrative_field("headcount"):
        return ""
    return f"参加者数：{count}人。"


def _host(session):
    if session.host_bureau and not session.is_illustrative_field("host_bureau"):
        return f"{MUNICIPALITY}{session.host_bureau.name}"
    if session.host_organization and not session.is_illustrative_field("host_organization"):
        return session.host_organization.name
    return ""


def _address(session):
    if session.venue_address and not session.is_illustrative_field("venue_address"):
        return session.venue_address
    if session.ward and not session.is_illustrative_field("ward"):
        return f"{PREFECTURE}{MUNICIPALITY}{session.ward.name}"
    return ""


def _time(session, name):
    value = session.public_value(name)
    return f"{value:%H:%M}" if value else ""


def event_list(fiscal_year, base_url=""):
    """Return (rows, withheld) for `fiscal_year`: the sessions as rows of the national event-list layout
    (empty cells ""), and how many sessions were left out because their date is illustrative.

    A cell whose value is flagged illustrative (core.illustrative) is left empty. `NO` is the
    session's id: unique across years and stable when sessions are added.
    """
    page = base_url + reverse("fiscal_year_summary", kwargs={"fiscal_year": fiscal_year})
    rows, withheld = [], 0
    for session in selectors.public_sessions(fiscal_year=fiscal_year):
        if session.is_illustrative_field("date"):
            withheld += 1
            continue
        row = dict.fromkeys(EVENT_LIST_HEADERS, "")
        row.update(
            {
                "都道府県コード又は市区町村コード": LOCAL_GOVERNMENT_CODE,
                "NO": session.pk,
                "都道府県名": PREFECTURE,
                "市区町村名": MUNICIPALITY,
                "イベント名": session.title,
                "イベント名_カナ": session.public_value("title_kana") or "",
                "開始日": session.date.isoformat(),
                "終了日": session.date.isoformat(),
                "開始時間": _time(session, "start_time"),
                "終了時間": _time(session, "end_time"),
                "説明": _event_description(session),
                "連絡先名称": PUBLISHER,
                "主催者": _host(session),
                "場所名称": session.public_value("venue") or "",
                "住所": _address(session),
                "URL": page,
                "備考": _event_note(session),
            }
        )
        rows.append(row)
    return rows, withheld


def event_rows(fiscal_year, base_url=""):
    """Return the rows of event_list() (the sessions whose date is recorded)."""
    return event_list(fiscal_year, base_url)[0]
