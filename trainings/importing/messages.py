"""The Japanese wording of an import's row messages, shared by the admin preview, its error file and the command.

Both paths show the same sentence for the same issue: where it is (sheet, row and column
letter as Excel shows them, the header as written), the value when it is not personal data,
and the reason with what to change.
"""

from trainings.importing import columns as cols

# Columns whose values are personal data: never repeated in command output (it may reach a job log).
PERSONAL = (cols.NAME, cols.KANA, cols.NOTE)  # never in a log line or command output


def is_personal(issue):
    """Return whether the value of `issue` is personal data (a name or its reading)."""
    return cols.column_for(issue.column) in PERSONAL or issue.column in ("氏名", "ふりがな")


def issue_text(issue, *, personal=True, with_row=True):
    """Return the one-line message of a RowIssue, e.g. 「12行目 A列「開催日」「令和元年4月1日」: 令和は…」.

    `personal=False` leaves out values of name columns; `with_row=False` leaves out the sheet,
    the row and the value (the error file has columns for the row and the cells as written).
    """
    if not with_row:
        return f"{issue.column_place}: {issue.reason}"
    value = f"「{issue.value}」" if issue.value and (personal or not is_personal(issue)) else ""
    return f"{issue.where}{value}: {issue.reason}"


def sheet_messages(sheet):
    """Return how a file was read, one Japanese sentence each: every worksheet read or skipped and why,
    header rows found elsewhere than row 1, cells outside the table; rows left out are in `excluded_messages`.
    """
    lines = []
    if sheet.sheet_name:
        for part in sheet.parts:
            lines.append(
                f"{part.place}: {part.header_row}行目までが見出しで、その下の{len(part.rows):,}行を読みました。"
            )
    for name, reason in sheet.skipped_sheets:
        lines.append(f"「{name}」シートは読みません: {reason}")
    lines.extend(sheet.notes)
    return lines


def excluded_messages(sheet, *, personal=True):
    """Return the messages of the rows left out when reading (hidden, struck through, notes)."""
    excluded = sheet.excluded_rows() if hasattr(sheet, "excluded_rows") else sheet.excluded
    if personal:
        return [issue_text(issue) for issue in excluded]
    return [f"{issue.where}: {issue.reason}" for issue in excluded]  # the row's cells may hold names


def undetected_kind_message(sheet):
    """Return the message for a sheet whose headers name no kind: where the header was read, and what to do."""
    shown = "、".join(f"「{h}」" for h in sheet.headers if h)[:120]
    return (
        "見出しから名簿の種類を判別できません"
        f"（{sheet.place}{sheet.header_row}行目を見出しとして読みました: {shown}）。"
        "出席者名簿には「氏名」、研修一覧には「開催日」「研修名」「参加者数」の見出しを付けるか、"
        "名簿の種類を指定してください（画面では「名簿の種類」、コマンドでは --kind）。"
        "種類を指定すると、分からない見出しがどの列にあたるかを選べます。"
    )


def header_lines(plan):
    """Return how every header was read, one line each: 「B列「お名前」→ 氏名（自動）」 (the preview's table)."""
    lines = []
    for use in plan.header_uses:
        place = f"「{use.sheet}」シート " if use.sheet and len(plan.sheet.parts) > 1 else ""
        meaning = use.meaning or "？"
        lines.append(f"{place}{use.letter}列「{use.header}」→ {meaning}（{use.source}）")
    return lines
