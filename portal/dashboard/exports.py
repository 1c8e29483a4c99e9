"""Every dashboard table as rows for CSV (UTF-8 with BOM, for Excel) and XLSX downloads.

The tables are built from the same DashboardData the page shows (portal.dashboard.presentation), so a download
and the screen cannot disagree.
"""

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font

from core.numbers import known_participants
from core.spreadsheets import csv_bytes, escape_formula
from portal.dashboard.comparison import ComparedRow
from portal.dashboard.presentation import DashboardData

# A cell starting with one of these is run as a formula by spreadsheet programs; such text is
# prefixed with an apostrophe so that it is shown as written (CSV/formula injection).


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    headers: list
    rows: list


def safe_cell(value):
    """Return `value` for a spreadsheet cell: numbers as they are, None as empty, risky text escaped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, int | float):
        return value
    return escape_formula(str(value))


def _breakdown_table(name, title, first_header, compared: list[ComparedRow], data, with_ward=False):
    headers = [first_header, "回数", "参加者数", "参加者数不明の回数"]
    if with_ward:
        headers.append("区内からの出席者（名簿）")
    headers += [f"前年度（{data.previous_label}）回数", "前年度参加者数", "回数の差", "参加者数の差"]
    rows = []
    for item in compared:
        participants = known_participants(item.row.participants, item.row.sessions, item.row.sessions_without_count)
        previous = item.previous_participants  # None when unknown or no previous records
        row = [item.row.label, item.row.sessions, participants, item.row.sessions_without_count]
        if with_ward:
            row.append(item.row.attendees_from_ward)
        row += [item.previous_sessions, previous, item.sessions_difference]
        row.append(None if participants is None or previous is None else participants - previous)
        rows.append(row)
    return Table(name, f"{title}（{data.label}）", headers, rows)


def _totals(data):
    rows = [
        [row.label.strip(), row.unit, row.value, row.out_of, row.previous, row.difference] for row in data.total_rows
    ]
    headers = ["項目", "単位", data.label, "全体数", f"前年度（{data.previous_label}）", "差"]
    return Table("totals", f"主な数値（{data.label}）", headers, rows)


def _collaborations(data):
    rows = [[c.bureau.name, c.description] for c in data.collaborations]
    return Table("collaborations", f"局間連携（{data.label}）", ["局", "連携内容"], rows)


def _trend(data):
    headers = ["年度", "回数", "参加者数", "参加者数不明の回数", "公表回数", "公表参加者数", "公表参加者数は概数"]
    # A year without records is 「データなし」 on the page: empty cells here, not 0 sessions.
    rows = [
        [
            row.label,
            row.sessions or None,
            known_participants(row.participants, row.sessions, row.sessions_without_count) if row.sessions else None,
            row.sessions_without_count if row.sessions else None,
            row.published_sessions,
            row.published_participants,
            row.published_participants_approximate if row.published_sessions is not None else None,
        ]
        for row in data.trend
    ]
    return Table("trend", "年度別の推移", headers, rows)


def _reconciliation(data):
    headers = [
        "区分",
        "記録の回数",
        "公表の回数",
        "回数の差",
        "回数の判定",
        "記録の参加者数",
        "参加者数不明の回数",
        "公表の参加者数",
        "公表値は概数",
        "参加者数の差",
        "参加者数の判定",
    ]
    rec = data.reconciliation
    rows = []
    for row in [*rec.rows, rec.total]:
        recorded = known_participants(row.recorded_participants, row.recorded_sessions, row.sessions_without_count)
        rows.append(
            [
                row.label,
                row.recorded_sessions,
                row.published_sessions,
                row.sessions_difference,
                row.sessions_match.label,
                recorded,
                row.sessions_without_count,
                row.published_participants,
                row.participants_approximate if row.is_published else None,
                None if recorded is None else row.participants_difference,
                row.participants_match.label,
            ]
        )
    if rec.itemised_sum_differs_from_total:
        rows.append(
            [
                "（参考）公表内訳の合計",
                None,
                rec.published_itemised_sessions,
                None,
                "公表合計と不一致",
                None,
                None,
                rec.published_itemised_participants,
                False,
                None,
                "公表合計と不一致",
            ]
        )
    return Table("reconciliation", f"公表数値との照合（{data.label}）", headers, rows)


def _quality(data):
    rows = []
    for check in data.quality:
        if not check.items:
            rows.append([check.title, check.count, "", ""])
        for item in check.items:
            rows.append([check.title, check.count, item.label, item.detail])
    return Table("quality", f"データの確認（{data.label}）", ["確認項目", "件数", "対象", "詳細"], rows)


TABLES = {
    "totals": _totals,
    "categories": lambda d: _breakdown_table("categories", "研修区分別", "研修区分", d.categories, d),
    "audiences": lambda d: _breakdown_table("audiences", "対象別", "対象", d.audiences, d),
    "hosts": lambda d: _breakdown_table("hosts", "主催別", "主催", d.hosts, d),
    "wards": lambda d: _breakdown_table("wards", "区別", "区", d.wards, d, with_ward=True),
    "months": lambda d: _breakdown_table("months", "月別", "月", d.months, d),
    "collaborations": _collaborations,
    "trend": _trend,
    "reconciliation": _reconciliation,
    "quality": _quality,
}
FORMATS = ("csv", "xlsx")
# The Japanese name of each table: the XLSX sheet's name and part of the file name.
LABELS = {
    "totals": "主な数値",
    "categories": "研修区分別",
    "audiences": "対象別",
    "hosts": "主催別",
    "wards": "区別",
    "months": "月別",
    "collaborations": "局間連携",
    "trend": "年度別の推移",
    "reconciliation": "公表数値との照合",
    "quality": "データの確認",
}


def file_name(name, fiscal_year, fmt):
    """Return the download's file name: 「ダッシュボード_2018年度_研修区分別.csv」."""
    return f"ダッシュボード_{fiscal_year}年度_{LABELS[name]}.{fmt}"


def build_table(name, data: DashboardData):
    """Return the Table `name` of the dashboard; KeyError for an unknown name."""
    return TABLES[name](data)


def to_csv(table):
    """Return the table as CSV bytes: UTF-8 with a BOM (so that Excel reads the Japanese), CRLF line ends."""
    return csv_bytes([safe_cell(h) for h in table.headers], ([safe_cell(v) for v in row] for row in table.rows))


def to_xlsx(table):
    """Return the table as XLSX bytes: a title row, a bold header row, then the rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = LABELS.get(table.name, table.name)[:31]  # Excel allows 31 characters
    sheet.append([safe_cell(table.title)])
    sheet.append([safe_cell(h) for h in table.headers])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([safe_cell(value) for value in row])
    sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
