"""What an import would do: the validated rows of a sheet, its row errors, and the counts shown in the preview."""

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
    errors: list[RowIssue] = field(default_factory=list)
    skipped: list[RowIssue] = field(default_factory=list)
    notes: list[RowIssue] = field(default_factory=list)  # values stored otherwise than written, and why
    attendances: list = field(default_factory=list)  # unsaved Attendance rows
    new_sessions: list = field(default_factory=list)  # unsaved TrainingSession rows
    updated_sessions: list = field(default_factory=list)
    updated_fields: list[str] = field(default_factory=list)
    unmatched_organizations: Counter = field(default_factory=Counter)
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
        if self.attendances:
            return len(self.attendances)
        return len(self.new_sessions) + len(self.updated_sessions) + self.unchanged_session_count

    @property
    def unchosen_headers(self):
        """Return the headers (as written, each spelling once) whose column staff must still choose."""
        return list(dict.fromkeys(use.header for use in self.header_uses if use.source == "要選択"))

    @property
    def error_lines(self):
        """Return the number of distinct lines with errors."""
        return len({issue.line for issue in self.errors})

    def totals(self):
        """Return the preview's counts in Japanese, in display order."""
        return [
            ("新規", self.new_count),
            ("更新", self.update_count),
            ("置き換えで削除", self.delete_count),
            ("スキップ", len(self.skipped) + self.unchanged_session_count),
            ("エラーのある行", self.error_lines),
        ]
