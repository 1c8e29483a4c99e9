"""What an import would do: the validated rows of a sheet, its row errors, and the counts shown in the preview.

A plan of a streamed sheet holds no more than what the preview shows and the write needs: the
first IssueList.LIMIT errors, skipped rows and notes with their totals, the first rows shown,
per-session counts, and the attendance rows of the chunk being validated (written and dropped by
the caller, see trainings.importing.participants) — not the sheet's rows.
"""

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RowIssue:
    """A row that cannot be imported (or is skipped): row and column as Excel shows them, header, value, reason."""

    line: int
    column: str
    value: str
    reason: str
    letter: str = ""  # the column letter as Excel shows it ('' when the issue is about a whole row)
    sheet: str = ""  # the worksheet's name (XLSX), '' for CSV

    @property
    def column_place(self):
        """Return the column as Excel shows it with its header: C列「氏名」 ('' for a whole row)."""
        return f"{self.letter}列「{self.column}」" if self.letter else self.column

    @property
    def where(self):
        """Return where the issue is, as a person finds it in Excel: 「名簿」シート 12行目 C列「氏名」."""
        sheet = f"「{self.sheet}」シート " if self.sheet else ""
        column = f" {self.column_place}" if self.column_place else ""
        return f"{sheet}{self.line}行目{column}"


class IssueList(list):
    """RowIssues in row order, keeping the first `limit` of them; `total` and `lines` count all of them.

    `lines` counts the distinct rows (an issue's sheet and line) that have issues: a row's issues
    are appended together, so a change of row is a new one.
    """

    LIMIT = 1000

    def __init__(self, issues=(), limit=LIMIT):
        super().__init__()
        self.limit = limit
        self.total = self.lines = 0
        self._last = None
        self.extend(issues)

    def append(self, issue):
        self.total += 1
        place = (issue.sheet, issue.line)
        if place != self._last:
            self.lines += 1
            self._last = place
        if self.limit is None or len(self) < self.limit:
            super().append(issue)

    def extend(self, issues):
        for issue in issues:
            self.append(issue)

    @property
    def hidden(self):
        """Return how many issues were counted but not kept."""
        return self.total - len(self)


class CappedCounter(Counter):
    """A Counter of names keeping the first `LIMIT` names; rows naming any further name are only counted.

    A sheet of a million rows each naming another unregistered organisation would otherwise hold a
    million names for a list nobody reads to the end; `more_rows` counts the rows left out of it.
    """

    LIMIT = 1000

    def __init__(self, *args, **kwargs):
        self.more_rows = 0
        super().__init__(*args, **kwargs)

    def __setitem__(self, key, value):
        if key in self or len(self) < self.LIMIT:
            super().__setitem__(key, value)
        else:
            self.more_rows += value

    @property
    def more_text(self):
        """Return the sentence on the rows left out of the list ('' when none were)."""
        if not self.more_rows:
            return ""
        return (
            f"ほかにも {self.more_rows:,}行が、上の{self.LIMIT:,}件にない名前です（一覧は最初の{self.LIMIT:,}件まで）。"
        )


@dataclass
class ImportPlan:
    """The outcome of validating a Sheet of one kind against the records, before anything is written."""

    kind: str
    sheet: object  # trainings.importing.sheets.Sheet
    session: object = None  # the session chosen for a one-session sheet
    # The roster's count replaces a larger typed headcount (otherwise the headcount stays and the
    # session's roster is marked partial): the user's choice, stored by the write.
    use_roster_count: bool = False
    base_errors: list[str] = field(default_factory=list)
    errors: IssueList = field(default_factory=IssueList)
    skipped: IssueList = field(default_factory=IssueList)
    notes: IssueList = field(default_factory=IssueList)  # values stored otherwise than written, and why
    # Unsaved Attendance rows: all of them (`rows_kept`), or those of the chunk being validated.
    attendances: list = field(default_factory=list)
    attendance_count: int = 0  # every valid attendance row of the sheet
    rows_kept: bool = True  # whether `attendances` holds every valid row (a small sheet's preview)
    # The chunks of valid rows a larger sheet's preview stored (an iterable of row lists, read one
    # at a time by the write: trainings.importing.prevalidated), or None.
    kept_chunks: object = None
    session_rows: Counter = field(default_factory=Counter)  # session id → its valid rows in the sheet
    before: dict = field(default_factory=dict)  # session id → (session with its counts, its sheet rows) before
    year_before: dict = field(default_factory=dict)  # fiscal year → its participants before the import
    new_sessions: list = field(default_factory=list)  # unsaved TrainingSession rows
    updated_sessions: list = field(default_factory=list)
    updated_fields: list[str] = field(default_factory=list)
    unmatched_organizations: CappedCounter = field(default_factory=CappedCounter)  # text → rows
    replaced_sheets: dict = field(default_factory=dict)  # AttendanceSheet → rows it loses
    new_count: int = 0
    update_count: int = 0
    delete_count: int = 0
    unchanged_session_count: int = 0
    count_changes: list = field(default_factory=list)  # trainings.importing.counts.CountChange per session
    year_changes: list[str] = field(default_factory=list)  # each fiscal year's total before → after
    header_uses: list = field(default_factory=list)  # trainings.importing.columns.HeaderUse of every header read
    preview_headers: list[str] = field(default_factory=list)
    preview: list[tuple[int, list]] = field(default_factory=list)  # (line, cells) of the first valid rows

    @property
    def is_valid(self):
        return not self.base_errors and not self.errors

    @property
    def row_count(self):
        """Return how many rows the sheet record will own (attendances, or sessions listed)."""
        if self.attendance_count or self.attendances:
            return max(self.attendance_count, len(self.attendances))
        return len(self.new_sessions) + len(self.updated_sessions) + self.unchanged_session_count

    @property
    def unchosen_headers(self):
        """Return the headers (as written, each spelling once) whose column staff must still choose."""
        return list(dict.fromkeys(use.header for use in self.header_uses if use.source == "要選択"))

    @property
    def error_lines(self):
        """Return the number of distinct lines with errors."""
        return self.errors.lines if isinstance(self.errors, IssueList) else len({i.line for i in self.errors})

    @property
    def skipped_count(self):
        """Return how many rows are skipped (totals, duplicates), all of them, not only those kept."""
        return self.skipped.total if isinstance(self.skipped, IssueList) else len(self.skipped)

    def totals(self):
        """Return the preview's counts in Japanese, in display order."""
        return [
            ("新規", self.new_count),
            ("更新", self.update_count),
            ("置き換えで削除", self.delete_count),
            ("スキップ", self.skipped_count + self.unchanged_session_count),
            ("エラーのある行", self.error_lines),
        ]
