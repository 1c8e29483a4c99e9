"""The committee report's tables as one workbook, a sheet a table, for those who rework the figures.

Sheets: 取組実績と成果, 進め方（計画項目）, 事例の経過, 局間連携, 研修区分別, 研修一覧, 注記. Every table has a title
row, a bold header row, then the rows; text goes through core.spreadsheets.escape_formula (via
exports.safe_cell) so that a title such as 「=HYPERLINK(…)」 stays text; an unknown headcount is an
empty cell, never 0.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.fiscal import fiscal_year_label
from portal.dashboard import report_text
from portal.dashboard.exports import Table, safe_cell


def _achievements(report):
    rows = [[item.code, item.text] for item in report.achievements]
    return Table("取組実績と成果", report_text.OUTCOMES_HEADING, ["記号", "内容"], rows)


def _plan(report):
    headers = [
        "記号",
        "項目",
        "内容",
        f"状況（{report.fiscal_year}年度）",
        f"状況（{report.next_fiscal_year}年度）",
        "補足",
    ]
    rows = []
    for row in report.plan_rows:
        notes = [status.note for status in (row.status, row.next_status) if status is not None and status.note]
        rows.append(
            [
                row.item.code,
                row.item.title,
                row.item.description,
                row.status.get_status_display() if row.status else None,
                row.next_status.get_status_display() if row.next_status else None,
                "／".join(dict.fromkeys(notes)),
            ]
        )
    return Table("進め方（計画項目）", report_text.plan_heading(report), headers, rows)


def _timelines(report):
    rows = [
        [
            case.title,
            f"{case.ward.name}{case.district}",
            event.when_label,
            event.is_planned,
            event.get_kind_display(),
            event.text,
        ]
        for case in report.cases
        for event in case.timeline
    ]
    headers = ["事例", "地区", "時期", "予定", "種類", "内容"]
    return Table("事例の経過", "参考 アプローチ型支援の実績（経過）", headers, rows)


def _collaborations(report):
    rows = [[c.bureau.name, c.description] for c in report.collaborations]
    return Table(
        "局間連携", f"{report_text.part_heading(report)} {report_text.COLLABORATIONS_HEADING}", ["局", "連携内容"], rows
    )


def _known_total(category):
    """Return the category's participants, or None (an empty cell) when no session's count is known."""
    return None if category.sessions_without_count == category.sessions else category.participants


def _categories(report):
    headers = ["記号", "研修区分", "回数", "参加者数", "参加者数不明の回数", "報告書に列挙"]
    rows = [
        [c.code, c.name, c.sessions, _known_total(c), c.sessions_without_count, c.is_itemised]
        for c, _sessions in report.sessions_by_category
    ]
    return Table("研修区分別", report_text.trainings_heading(report), headers, rows)


def _sessions(report):
    rows = [
        [category.code, category.name, session.date, session.title, session.participant_count]
        for category, sessions in report.sessions_by_category
        for session in sessions
    ]
    return Table(
        "研修一覧",
        f"研修一覧（{fiscal_year_label(report.fiscal_year)}）",
        ["記号", "研修区分", "日付", "研修名", "参加者数"],
        rows,
    )


SHEETS = [_achievements, _plan, _timelines, _collaborations, _categories, _sessions]


def tables(report):
    """Return the report's tables (exports.Table), one a sheet, in the order of the report."""
    return [sheet(report) for sheet in SHEETS]


def _cell(value):
    """Return a cell value: dates stay dates (Excel's own date cells), the rest as exports.safe_cell."""
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value
    return safe_cell(value)


def build(report, *, rounding_rule, today):
    """Return the .xlsx bytes of the report's tables, then a sheet of the report's notes."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables(report):
        sheet = workbook.create_sheet(table.name)
        sheet.append([safe_cell(table.title)])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append([safe_cell(header) for header in table.headers])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_cell(value) for value in row])
        for column in sheet.iter_cols(min_row=3):
            for cell in column:
                if hasattr(cell.value, "isoformat"):
                    cell.number_format = "yyyy/m/d"
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for letter, header in zip("ABCDEFG", table.headers, strict=False):
            sheet.column_dimensions[letter].width = 60 if header in ("内容", "連携内容", "研修名") else 16
        sheet.freeze_panes = "A3"
    notes = workbook.create_sheet(report_text.NOTES_HEADING)
    notes.append([safe_cell(f"{report_text.NOTES_HEADING}（{today.year}年{today.month}月{today.day}日 記録から作成）")])
    notes.column_dimensions["A"].width = 120
    for line in report_text.closing_notes(report, rounding_rule):
        notes.append([safe_cell(line)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
