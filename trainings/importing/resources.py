"""django-import-export resources for the sheet kinds: the base class and the Result it returns.

The admin and the `import_attendance` command both call `resource.import_data(...)`, import-export's
documented entry point, and exports go through import-export unchanged (fields, `dehydrate_<field>`,
`export_field`). The import itself is this project's own pipeline, not import-export's per-row one:
`import_data` is overridden to read a Sheet (trainings.importing.sheets), map its headers
(columns.py), validate its rows as they stream (rows.py and each kind's `plan_rows`) into an
ImportPlan (plans.py), and write: attendance sheets chunk by chunk as they are validated
(trainings.importing.services.import_streamed), session lists and plans a preview kept whole
(services.import_sheet), each in one transaction. import-export's Result is kept as the return
type (preview, totals), so that its admin templates and callers keep working.
"""

from import_export import resources
from import_export.results import Result

from core.spreadsheets import escape_formula
from trainings.importing import columns as cols
from trainings.importing.plans import ImportPlan, IssueList
from trainings.importing.rows import text_of
from trainings.importing.services import (
    DuplicateSheetError,
    ImportSaveError,
    earlier_import_message,
    import_sheet,
    import_streamed,
)
from trainings.importing.sheets import Sheet
from trainings.models import AttendanceSheet, SheetKind


def sheet_from_dataset(dataset, file_name=""):
    """Return a Sheet for a tablib Dataset (header row 1, data from row 2), for callers of the plain API."""
    rows = [(line, ["" if c is None else c for c in row]) for line, row in enumerate(dataset, start=2)]
    rows = [(line, cells) for line, cells in rows if any(text_of(c) for c in cells)]
    return Sheet(file_name, "", "Dataset", "", [str(h or "") for h in (dataset.headers or [])], rows)


class _FilledColumns:
    """has_data(index) for columns.map_headers: whether a data row fills the column (one pass, on first call)."""

    def __init__(self, sheet):
        self.sheet, self.filled = sheet, None

    def __call__(self, index):
        if self.filled is None:
            self.filled = set()
            for _, cells in self.sheet.rows:
                self.filled.update(i for i, c in enumerate(cells) if c != "")
        return index in self.filled


class SheetResult(Result):
    """import-export's Result carrying the ImportPlan that the preview and the messages show."""

    def __init__(self, plan):
        super().__init__()
        self.plan = plan
        self.sheet_record = None  # the AttendanceSheet once written
        self.save_error = ""  # the Japanese message when the database failed the write (nothing written)
        self.totals.update(
            new=plan.new_count,
            update=plan.update_count,
            delete=plan.delete_count,
            skip=plan.skipped_count + plan.unchanged_session_count,
            invalid=plan.error_lines,
        )
        self.total_rows = len(plan.sheet.rows)

    def has_errors(self):
        return bool(self.plan.base_errors)

    def has_validation_errors(self):
        return bool(self.plan.errors)


PLAN_GONE = (
    "取込待ちのデータが見つかりません（時間がたって削除されました）。何も書き込まれていません。"
    "もう一度ファイルを選んでください。"
)


def _write_streamed(plan, validate, *, user=None):
    """Write `plan` chunk by chunk as `validate(sink)` hands them on (services.import_streamed); return the SheetResult.

    Nothing is written on any failure: a sheet imported meanwhile and a chunk of kept rows purged
    meanwhile become the plan's errors, a database failure the result's `save_error`.
    """
    record, save_error = None, ""
    try:
        record = import_streamed(plan, validate, user=user)
    except DuplicateSheetError as error:
        plan.base_errors.append(str(error))
    except ImportSaveError as error:
        save_error = str(error)
    except FileNotFoundError:
        # A chunk of the preview's rows was purged during the write (rolled back): the upload has gone too.
        plan.base_errors.append(PLAN_GONE)
    result = SheetResult(plan)
    result.sheet_record, result.save_error = record, save_error
    return result


class SheetResource(resources.ModelResource):
    """Base of the three sheet kinds: validates a whole Sheet into an ImportPlan, then writes it."""

    kind = None
    issue_limit = IssueList.LIMIT  # row errors kept in a plan (None: all, for the error file)

    def __init__(self, session=None, *, use_roster_count=False, **kwargs):
        super().__init__(**kwargs)
        self.session = session
        self.use_roster_count = use_roster_count

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        """Return a SheetResult for `dataset` (a Sheet or a tablib Dataset); write it unless dry_run or invalid."""
        sheet = dataset if isinstance(dataset, Sheet) else sheet_from_dataset(dataset, kwargs.get("file_name", ""))
        if not dry_run and self.kind != SheetKind.SESSIONS:
            return self.import_streaming(sheet, user=kwargs.get("user"))
        plan = self.build_plan(sheet)
        if dry_run or not plan.is_valid:
            return SheetResult(plan)
        return self.import_plan(plan, user=kwargs.get("user"))

    def import_streaming(self, sheet, *, user=None):
        """Validate and write an attendance sheet as it is read (services.import_streamed); return the SheetResult.

        Memory stays flat: each chunk of valid rows is written as soon as it is validated, in the
        one transaction that any error rolls back, so nothing is written unless every row is valid.
        """
        plan, mapped = self.checked_plan(sheet)
        if not plan.is_valid:
            return SheetResult(plan)

        def validate(sink):
            self.sink = sink
            try:
                self.plan_parts(plan, mapped)
            finally:
                self.sink = None

        return _write_streamed(plan, validate, user=user)

    def import_plan(self, plan, *, user=None):
        """Write a valid ImportPlan (e.g. one the preview validated and kept); return the SheetResult.

        A plan whose rows the preview stored in chunks (`plan.kept_chunks`) is written a chunk at a
        time in one transaction (services.import_streamed), without validating the sheet again.
        """
        if plan.kept_chunks is not None:
            return self._import_kept_chunks(plan, user=user)
        result = SheetResult(plan)
        try:
            result.sheet_record = import_sheet(plan, user=user)
        except DuplicateSheetError as error:
            plan.base_errors.append(str(error))
        except ImportSaveError as error:
            result.save_error = str(error)
        return result

    def _import_kept_chunks(self, plan, *, user=None):
        def feed(sink):
            for rows in plan.kept_chunks:
                plan.attendances = rows
                sink(plan)
            plan.attendances = []

        return _write_streamed(plan, feed, user=user)

    def build_plan(self, sheet):
        """Return the ImportPlan of `sheet`: what would be written, and every reason it cannot be."""
        plan, mapped = self.checked_plan(sheet)
        if plan.is_valid:
            self.plan_parts(plan, mapped)
        return plan

    def checked_plan(self, sheet):
        """Return (ImportPlan with the errors of the file as a whole, [(table, column positions)]).

        The file as a whole: imported before (same SHA-256), several rosters for one session,
        headers, no data row. Reads no more than the first data row of each table, unless a
        header that is empty or not imported needs to know whether its column holds data (then
        one pass; columns.map_sheet_headers never asks it of an imported column).
        """
        plan = ImportPlan(
            kind=self.kind,
            sheet=sheet,
            session=self.session,
            use_roster_count=self.use_roster_count,
            errors=IssueList(limit=self.issue_limit),
        )
        if sheet.sha256:
            earlier = AttendanceSheet.objects.select_related("uploaded_by").filter(sha256=sheet.sha256).first()
            if earlier:
                plan.base_errors.append(earlier_import_message(earlier))
        parts = sheet.parts
        if self.kind == SheetKind.PARTICIPANTS and len(parts) > 1:
            listed = "、".join(f"「{part.sheet_name}」" for part in parts)
            plan.base_errors.append(
                f"名簿の表があるシートが{len(parts)}つあります（{listed}）。1研修の出席者名簿として取り込むシートを"
                "選んでください（画面では「シート名」、コマンドでは --sheet）。"
            )
            return plan, []
        mapped = []
        for part in parts:
            positions, header_errors, uses = cols.map_sheet_headers(
                part.headers, SheetKind(self.kind), _FilledColumns(part), part.mappings, part.sheet_name
            )
            plan.header_uses.extend(uses)
            where = f"{part.place}{part.header_row}行目の見出し: " if part.sheet_name or part.header_row != 1 else ""
            plan.base_errors.extend(where + error for error in header_errors)
            mapped.append((part, positions))
        if not plan.base_errors and not any(part.rows for part in parts):
            plan.base_errors.append("見出し行だけで、データの行がありません。")
        return plan, mapped

    def plan_parts(self, plan, mapped):
        """Validate the rows of every (table, column positions) pair into `plan` (one worksheet each)."""
        for part, positions in mapped:
            self.plan_rows(plan, part, positions)

    def plan_rows(self, plan, sheet, positions):
        raise NotImplementedError
