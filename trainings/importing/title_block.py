"""The session a one-session sign-in sheet names in its title block (研修名：…, 開催日：… above the header).

A sign-in sheet downloaded from the portal (trainings.importing.blank_sheets) carries its session's
研修名 and 開催日 above the header, as offices' own sheets often do. When no session was chosen,
the import uses the session these name, so a filled-in sheet imports without asking; when one
was chosen and the title block names another registered session, the choice is refused rather
than the names stored under the wrong session.
"""

import re
from dataclasses import dataclass

from core.dates import parse_date
from core.spreadsheets import FORMULA_PREFIXES
from core.text import compact_key
from trainings.importing import columns as cols
from trainings.models import TrainingSession

# 「研修名：地域まちづくり研修」 written in one cell.
_LABELLED = re.compile(r"^\s*([^:：]{1,12}?)\s*[:：]\s*(.+)$")


@dataclass(frozen=True)
class TitleBlock:
    """What a title block says: the session's title and date as written (either may be empty / None)."""

    title: str = ""
    date: object = None  # datetime.date
    date_row: int = 0
    title_row: int = 0


def _text(value):
    text = value.strip() if isinstance(value, str) else ("" if value is None else str(value))
    # A value the portal wrote with a leading ' (core.spreadsheets.escape_formula) reads as written.
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def _label_and_value(cells):
    """Return (label, raw value) of a title-block row: 「研修名 | X」 in two cells or 「研修名：X」 in one."""
    filled = [c for c in cells if _text(c)]
    if not filled:
        return "", None
    first = _text(filled[0])
    if match := _LABELLED.match(first):
        return match[1], match[2]
    if len(filled) >= 2:
        value = filled[1]
        return first, value.strip() if isinstance(value, str) else value
    return "", None


def read_title_block(sheet):
    """Return the TitleBlock of a read Sheet's rows above its header (its first table's; no queries)."""
    title, date, title_row, date_row = "", None, 0, 0
    for row, cells in sheet.parts[0].title_rows:
        label, value = _label_and_value(cells)
        if not label:
            continue
        column = cols.column_for(label)
        if column is cols.TITLE and not title:
            title, title_row = _text(value), row
        elif column is cols.DATE and date is None:
            try:
                date = parse_date(value)
            except (ValueError, TypeError):
                continue
            date_row = row
    return TitleBlock(title, date, date_row, title_row)


def session_named(block):
    """Return the registered session a TitleBlock names by 開催日 and 研修名 (the natural key), or None (1 query)."""
    if not block.title or block.date is None:
        return None
    key = compact_key(block.title)
    # Titles are compared without spaces and width differences: two sessions that only such
    # differences tell apart are not guessed between.
    found = [s for s in TrainingSession.objects.filter(date=block.date) if compact_key(s.title) == key]
    return found[0] if len(found) == 1 else None


def reading_note(sheet, session):
    """Return the note shown when a sheet's title block chose its session (preview and command alike)."""
    where = f"{sheet.place} " if sheet.place else ""
    block = read_title_block(sheet)
    rows = "・".join(f"{n}行目" for n in sorted({block.title_row, block.date_row}) if n)
    return f"{where}表の上（{rows}）の「研修名」「開催日」から、研修「{session}」の名簿として読みました。"


def session_for(sheet):
    """Return the session a one-session sheet imported without a chosen session is for, or None.

    That is the registered session whose 開催日 and 研修名 the title block gives; the choice is
    added to the sheet's notes, which the preview and the command show (1 query when the title
    block gives both, else none).
    """
    session = session_named(read_title_block(sheet))
    if session is not None:
        sheet.notes.append(reading_note(sheet, session))
    return session


def conflict_message(sheet, chosen):
    """Return the refusal when the title block names a registered session other than `chosen`, else ''."""
    named = session_named(read_title_block(sheet))
    if named is None or named.pk == chosen.pk:
        return ""
    return (
        f"このファイルは表の上の「研修名」「開催日」で研修「{named}」の名簿になっていますが、"
        f"選んだ研修は「{chosen}」です。研修を選び直すか、ファイルの研修名・開催日を直してください。"
    )
