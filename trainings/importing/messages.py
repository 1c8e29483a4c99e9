"""The Japanese wording of an import's row messages, shared by the admin preview, its error file and the command.

Both paths show the same sentence for the same issue: where it is (sheet, row and column
letter as Excel shows them, the header as written), the value when it is not personal data,
and the reason with what to change.
"""

from trainings.importing import columns as cols

# Columns whose values are personal data: never repeated in command output (it may reach a job log).
PERSONAL = (cols.NAME, cols.KANA)


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
