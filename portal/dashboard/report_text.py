"""The committee report's words: headings, list lines and notes built from a CommitteeReport.

The printable page (templates/dashboard/report.html), the Word file (report_docx.py) and the
workbook (report_xlsx.py) take their sentences from here, so that the three cannot disagree.
"""

from core.fiscal import fiscal_year_era_label, fiscal_year_label
from core.numbers import approximate_text

TITLE = "区局・中間支援組織と連携した地域支援の取組（アプローチ型支援）推進状況"
AUTHOR = "横浜市 都市整備局 地域まちづくり課"
OUTCOMES_HEADING = "1 取組実績と成果"
COLLABORATIONS_HEADING = "1 局間連携"
NOTES_HEADING = "注記"
ILLUSTRATIVE_NOTE = "研修の日付・人数の内訳などに例示データを含む場合があります（管理画面の「例示データ」）。"


def report_meta(report):
    """Return the line above the title: 「地域まちづくり推進委員会資料　2018年度（平成30年度）実績」."""
    return f"地域まちづくり推進委員会資料　{fiscal_year_label(report.fiscal_year)}実績"


def author_line(today):
    """Return the line under the title with the day the report was made from the records."""
    return f"{AUTHOR}　{today.year}年{today.month}月{today.day}日 記録から作成"


def no_data_message(report):
    return f"{fiscal_year_label(report.fiscal_year)}の研修・局間連携の記録はありません。報告書を作成できません。"


def no_achievements_message(report):
    return (
        f"{fiscal_year_label(report.fiscal_year)}の取組実績と成果はまだ書かれていません"
        "（管理画面の「取組実績と成果」で入力します）。"
    )


def plan_heading(report):
    """Return 「2 令和元年度以降の進め方」 (the directions from the next fiscal year)."""
    return f"2 {fiscal_year_era_label(report.next_fiscal_year)}以降の進め方"


def plan_headers(report):
    return ["項目", "内容", f"状況（{report.fiscal_year}年度）", f"状況（{report.next_fiscal_year}年度）"]


def status_text(status, note_number):
    """Return 「実施中※1」: a plan item's status with the mark of its note, or 「—」 when there is none."""
    if status is None:
        return "—"
    return status.get_status_display() + (f"※{note_number}" if note_number else "")


def plan_cells(row):
    """Return the four cells of a plan row as text."""
    return [
        f"{row.item.code} {row.item.title}",
        row.item.description,
        status_text(row.status, row.status_note),
        status_text(row.next_status, row.next_status_note),
    ]


def plan_note_lines(report):
    """Return 「※1 …」 for each distinct status note, each once."""
    return [f"※{number} {note}" for number, note in enumerate(report.plan_notes, start=1)]


def case_heading(case):
    return f"参考 アプローチ型支援の実績（{case.ward.name}{case.district}）"


def case_title_line(case):
    lead = f"（窓口：{case.lead_organization.name}）" if case.lead_organization else ""
    return f"{case.title}{lead}　現在の状況：{case.get_status_display()}"


def planned_mark(event):
    """Return 「（予定）」 for a planned entry whose kind does not already say so (never 「予定（予定）」)."""
    return "（予定）" if event.shows_planned_mark else ""


def timeline_line(event):
    """Return 「2018年5月24日　出前塾：…」 (「（予定）」 after the time of a planned entry)."""
    planned = planned_mark(event)
    return f"{event.when_label}{planned}　{event.get_kind_display()}：{event.text}"


def part_heading(report):
    """Return 「平成30年度の区局連携」, the heading of the report's second part."""
    return f"{fiscal_year_era_label(report.fiscal_year)}の区局連携"


def trainings_heading(report):
    """Return 「2 主に実施した研修等について（全48回、参加者約1,800人）」."""
    summary = report.summary
    return f"2 主に実施した研修等について（全{summary.sessions:,}回、参加者{approximate_text(summary.participants)}人）"


def category_heading(category):
    """Return 「ア 地域まちづくり課主催研修（全2回、総参加者130人）」, saying when headcounts are unknown."""
    if category.sessions_without_count == category.sessions:
        people = "参加者数不明"
    else:
        people = f"総参加者{category.participants:,}人"
        if category.sessions_without_count:
            people += f"以上・{category.sessions_without_count}回は人数不明"
    return f"{category.code} {category.name}（全{category.sessions:,}回、{people}）"


def session_line(session):
    """Return 「地域まちづくり支援制度活用研修（第1回）（5月20日、40人）」 (no count when unknown)."""
    count = "" if session.participant_count is None else f"、{session.participant_count:,}人"
    return f"{session.title}（{session.date.month}月{session.date.day}日{count}）"


def itemised_categories(report):
    """Return [(heading, [ReportSession])] of the categories the report itemises, in report order."""
    return [
        (category_heading(category), sessions)
        for category, sessions in report.sessions_by_category
        if category.is_itemised
    ]


def unitemised_notes(report):
    """Return the 「※ 全48回のうち16回（…）は…」 note of each category the report does not itemise."""
    total = report.summary.sessions
    notes = []
    for category, _sessions in report.sessions_by_category:
        if category.is_itemised:
            continue
        what = "区分・参加者数" if category.sessions_without_count else "区分"
        text = f"※ 全{total:,}回のうち{category.sessions:,}回（{category.name}）は、{what}の内訳が記録されていません"
        if category.sessions_without_count == category.sessions:
            text += "（参加者数は合計に含まれていません）"
        notes.append(text + "。")
    return notes


def closing_notes(report, rounding_rule):
    """Return the lines of the report's 注記: rounding, the published figures, illustrative data."""
    lines = [f"{rounding_rule}記録上の参加者数は{report.summary.participants:,}人（延べ）です。"]
    rec = report.reconciliation
    total = rec.total
    if total.is_published:
        about = "約" if total.participants_approximate else ""
        line = (
            f"公表済みの数値（全{total.published_sessions:,}回、参加者{about}{total.published_participants:,}人）に対し、"
            f"記録の集計は全{total.recorded_sessions:,}回・{total.recorded_participants:,}人です"
            f"（回数：{total.sessions_match.label}、参加者数：{total.participants_match.label}）。"
        )
        if rec.itemised_sum_differs_from_total:
            line += (
                f"公表した区分別の内訳の合計は{rec.published_itemised_sessions:,}回・"
                f"{rec.published_itemised_participants:,}人で、見出しの数値と一致しません。"
            )
        lines.append(line)
    lines.append(ILLUSTRATIVE_NOTE)
    return lines


def file_name(report, extension):
    """Return 「委員会報告_2018年度.docx」 (「委員会報告_2018年度_表.xlsx」 for the tables)."""
    suffix = "_表" if extension == "xlsx" else ""
    return f"委員会報告_{report.fiscal_year}年度{suffix}.{extension}"
