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
EVENT_LIST_DESCRIPTIONS = {
    "都道府県コード又は市区町村コード": "横浜市の団体コード（141003）",
    "NO": "年度内の通し番号",
    "都道府県名": "神奈川県",
    "市区町村名": "横浜市",
    "イベント名": "研修等の名称",
    "開始日": "開催日（YYYY-MM-DD）",
    "終了日": "開催日（1日で終わる研修のため開始日と同じ）",
    "説明": "研修区分、対象者、内容",
    "連絡先名称": PUBLISHER,
    "主催者": "主催した局または団体",
    "場所名称": "会場",
    "住所": "会場のある区（区まで）",
    "URL": "その年度の実績ページ",
    "備考": "参加者数と、例示データであればその旨",
}
EVENT_LIST_COLUMNS = tuple(
    Column(header, header, EVENT_LIST_DESCRIPTIONS.get(header, "記録がないため空欄")) for header in EVENT_LIST_HEADERS
)


def _event_description(session):
    parts = []
    if session.category:
        parts.append(f"区分：{session.category.code} {session.category.name}")
    audience = session.get_audience_display()
    if session.audience_detail:
        audience = f"{audience}（{session.audience_detail}）"
    parts.append(f"対象：{audience}")
    if session.description:
        parts.append(session.description.strip())
    return "。".join(p.rstrip("。") for p in parts) + "。"


def _event_note(session):
    count = session.participant_count
    parts = [f"参加者数：{count}人" if count is not None else "参加者数：記録なし"]
    if session.is_illustrative:
        parts.append("例示データを含む" + (f"（{session.data_note.rstrip('。')}）" if session.data_note else ""))
    elif session.data_note:
        parts.append(session.data_note.rstrip("。"))
    return "。".join(parts) + "。"


def _host(session):
    if session.host_bureau:
        return f"{MUNICIPALITY}{session.host_bureau.name}"
    if session.host_organization:
        return session.host_organization.name
    return ""


def event_rows(fiscal_year, base_url=""):
    """Return `fiscal_year`'s training sessions as rows of the national event-list layout (empty cells "")."""
    page = base_url + reverse("fiscal_year_summary", kwargs={"fiscal_year": fiscal_year})
    rows = []
    for number, session in enumerate(selectors.public_sessions(fiscal_year=fiscal_year), start=1):
        row = dict.fromkeys(EVENT_LIST_HEADERS, "")
        row.update(
            {
                "都道府県コード又は市区町村コード": LOCAL_GOVERNMENT_CODE,
                "NO": number,
                "都道府県名": PREFECTURE,
                "市区町村名": MUNICIPALITY,
                "イベント名": session.title,
                "開始日": session.date.isoformat(),
                "終了日": session.date.isoformat(),
                "説明": _event_description(session),
                "連絡先名称": PUBLISHER,
                "主催者": _host(session),
                "場所名称": session.venue,
                "住所": f"{PREFECTURE}{MUNICIPALITY}{session.ward.name}" if session.ward else "",
                "URL": page,
                "備考": _event_note(session),
            }
        )
        rows.append(row)
    return rows
