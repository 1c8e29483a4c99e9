"""The admin's sheet import: upload → preview (counts, first rows, every error) → confirm or cancel.

Built on import-export's ImportMixin (URLs, the import permission, the temporary storage class),
with the upload read by trainings.importing.sheets (encoding detection, XLSX) and validated by the
resources of trainings.importing.kinds. This view replaces ImportMixin's own import_action and
process_import (documented overridable admin views): it is the project's own preview and confirm.
"""

import logging
from contextlib import ExitStack
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST
from import_export.admin import ImportMixin

from core.spreadsheets import csv_bytes, escape_formula
from trainings.importing import columns as cols
from trainings.importing import title_block
from trainings.importing.counts import people
from trainings.importing.forms import AUTO, SheetConfirmForm, SheetImportForm
from trainings.importing.kinds import resource_for
from trainings.importing.mappings import HeaderMapping, remember
from trainings.importing.messages import excluded_messages, issue_text, sheet_messages, undetected_kind_message
from trainings.importing.prevalidated import RowChunks, load_plan, remove_plan, save_plan
from trainings.importing.remembered import check_choices, mapping_key, options_for
from trainings.importing.rows import text_of
from trainings.importing.services import SAVE_FAILED
from trainings.importing.sheets import SheetError, read_sheet
from trainings.models import SheetKind, TrainingSession

logger = logging.getLogger(__name__)
# The preview lists this many row errors; all of them are in the downloadable error CSV.
MAX_ERRORS_SHOWN = 500


def error_rows_csv(plan):
    """Return the error CSV of a plan (bytes, UTF-8 with BOM): row number, the original columns, the reasons.

    A workbook read from several worksheets gets a シート column first (the columns are those of
    the first worksheet's header).
    """
    parts = plan.sheet.parts
    several = len(parts) > 1
    by_place = {}
    for issue in plan.errors:
        by_place.setdefault((issue.sheet, issue.line), []).append(issue_text(issue, with_row=False))
    # The sheet is read again, keeping only the cells of the rows with errors.
    cells_by_place = {
        (part.sheet_name, line): cells
        for part in parts
        for line, cells in part.rows
        if (part.sheet_name, line) in by_place
    }
    order = {part.sheet_name: index for index, part in enumerate(parts)}
    places = sorted(by_place, key=lambda place: (order.get(place[0], 0), place[1]))
    return csv_bytes(
        [*(["シート"] if several else []), cols.LINE_COLUMN, *parts[0].headers, cols.ERROR_COLUMN],
        (
            [
                *([sheet] if several else []),
                line,
                *(escape_formula(text_of(c)) for c in cells_by_place.get((sheet, line), [])),
                " / ".join(by_place[sheet, line]),
            ]
            for sheet, line in places
        ),
    )


class SheetImportMixin(ImportMixin):
    """Import of attendance sheets and session lists for the AttendanceSheet admin."""

    import_template_name = "admin/trainings/attendancesheet/import.html"

    def get_urls(self):
        urls = super().get_urls()
        errors = path(
            "import/errors/",
            self.admin_site.admin_view(self.import_errors_view),
            name="trainings_attendancesheet_import_errors",
        )
        return [errors, *urls]

    @staticmethod
    def _session_for(form, sheet, chosen):
        """Return the session of a one-session sheet: the one chosen, else the one its title block names
        (研修名・開催日 above the header, trainings.importing.title_block); a form error when there is none
        or when the title block names another registered session than the one chosen."""
        session = chosen or title_block.session_for(sheet)
        if session is None:
            form.add_error("session", "このファイルは1研修の出席者名簿です。対象の研修を選んでください。")
        elif conflict := title_block.conflict_message(sheet, session):
            form.add_error("session", conflict)
        return session

    def _storage(self, name=None):
        return self.get_tmp_storage_class()(name=name, read_mode="rb", encoding=None)

    def import_action(self, request, **kwargs):
        """Show the upload form; on upload, store the file and show the preview of what would be imported."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        initial = {"kind": request.GET.get("kind", AUTO), "session": request.GET.get("session")}
        form = SheetImportForm(request.POST or None, request.FILES or None, initial=initial)
        context = {}
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["import_file"]
            try:
                sheet = read_sheet(
                    form.cleaned_data["data"],
                    upload.name,
                    **self._reading(form.cleaned_data),
                    mappings=HeaderMapping.objects.remembered(),
                )
            except SheetError as error:
                form.add_error("import_file", str(error))
            else:
                kind = form.cleaned_data["kind"]
                session = form.cleaned_data["session"]
                if kind == AUTO:
                    kind = cols.detect_sheet_kind(sheet)
                    if kind is None:
                        form.add_error("kind", undetected_kind_message(sheet))
                if kind == SheetKind.PARTICIPANTS:
                    session = self._session_for(form, sheet, session)
                if not form.errors:
                    storage = self._storage()
                    storage.save(form.cleaned_data["data"])  # in chunks, block by block
                    context = self._preview(request, sheet, storage.name, kind, session, form.cleaned_data)
        return self._render(request, form, context)

    def _preview(self, request, sheet, storage_name, kind, session, cleaned_data, mapping_errors=()):
        """Return the preview's context: `sheet` validated as `kind` (nothing written), its plan kept to confirm."""
        resource = resource_for(
            kind,
            session=session if kind == SheetKind.PARTICIPANTS else None,
            use_roster_count=bool(cleaned_data.get("use_roster_count")),
        )
        # A larger sheet's valid rows are stored chunk by chunk as the preview validates them.
        resource.overflow = chunks = RowChunks(storage_name)
        result = resource.import_data(sheet, dry_run=True, user=request.user)
        # The confirm writes these rows as validated, unless the stored upload changes.
        save_plan(storage_name, result.plan, chunks=chunks)
        context = self._preview_context(result, storage_name, self._choices(cleaned_data))
        context["mapping_errors"] = list(mapping_errors)
        return context

    def _choose(self, request, form, import_url, stack):
        """Apply the columns chosen in 「見出しの対応」, remember them (with who chose), and preview again.

        A choice that names a column another header already gives is refused with its reason, and
        nothing is remembered; an empty choice leaves the header to be chosen.
        """
        storage = self._storage(form.cleaned_data["import_file_name"])
        data = self._read(request, storage, stack)
        if data is None:
            return HttpResponseRedirect(import_url)
        kind, session = SheetKind(form.cleaned_data["kind"]), form.cleaned_data["session"]
        choices = {}
        for index in range(len(request.POST)):
            header = request.POST.get(f"header_{index}")
            if header is None:
                break
            if value := request.POST.get(f"map_{index}", ""):
                choices[header] = value
        remembered = HeaderMapping.objects.remembered()
        name = form.cleaned_data["original_file_name"]
        try:
            sheet = read_sheet(data, name, **self._reading(form.cleaned_data), mappings=remembered)
        except SheetError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(import_url)
        unchosen, _ = resource_for(kind, session=session).checked_plan(sheet)
        errors = check_choices(kind, unchosen.header_uses, choices)
        if not choices and unchosen.unchosen_headers:
            errors.append("「要選択」の見出しごとに、列か「取り込まない」を選んでから押してください。")
        if not errors and choices:
            remember(kind, choices, user=request.user)
            chosen = remembered.with_choices(choices)
            sheet = read_sheet(data, name, **self._reading(form.cleaned_data), mappings=chosen)
            listed = "、".join(f"「{header}」" for header in choices)
            messages.success(request, f"見出し{listed}の対応を登録しました。次からは同じ見出しを自動で読みます。")
        context = self._preview(request, sheet, storage.name, kind, session, form.cleaned_data, errors)
        return self._render(request, SheetImportForm(), context)

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """Confirm (write everything in one transaction, or nothing) or cancel a previewed import."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = SheetConfirmForm(request.POST)
        import_url = reverse("admin:trainings_attendancesheet_import")
        if not form.is_valid():
            messages.error(request, "取込の情報が正しくありません。もう一度ファイルを選んでください。")
            return HttpResponseRedirect(import_url)
        try:
            with ExitStack() as stack:  # removes the local copy of the stored upload once answered
                return self._process(request, form, import_url, stack)
        except DatabaseError as error:
            # The database is down or failed outside the write itself: its text may quote a row, so
            # only the error's class is logged (the write is logged by sheet and lines in services).
            logger.error("attendance import confirm failed: error=%s", type(error).__name__)
            messages.error(request, f"{SAVE_FAILED}しばらくしてから、もう一度ファイルを選んでください。")
            return HttpResponseRedirect(import_url)

    def _process(self, request, form, import_url, stack):
        if "_map" in request.POST:
            return self._choose(request, form, import_url, stack)
        storage = self._storage(form.cleaned_data["import_file_name"])
        if "_cancel" in request.POST:
            storage.remove()
            remove_plan(storage.name)
            messages.info(request, "取込を取り消しました。データは変更していません。")
            return HttpResponseRedirect(reverse("admin:trainings_attendancesheet_changelist"))
        data = self._read(request, storage, stack)
        if data is None:
            return HttpResponseRedirect(import_url)
        kind, session = form.cleaned_data["kind"], form.cleaned_data["session"]
        session = session if kind == SheetKind.PARTICIPANTS else None
        use_roster_count = bool(form.cleaned_data.get("use_roster_count"))
        plan = load_plan(
            storage.name,
            sha256=data.sha256,  # of the bytes read back: the plan is used only if they are the preview's
            kind=kind,
            session=session,
            use_roster_count=use_roster_count,
        )
        if plan is not None:
            # What the preview validated, from the same bytes: written without reading the sheet again.
            result = resource_for(kind, session=session, use_roster_count=use_roster_count).import_plan(
                plan, user=request.user
            )
        else:
            loaded = self._load(request, form, data)
            if loaded is None:
                return HttpResponseRedirect(import_url)
            result = loaded.import_data(loaded.sheet, dry_run=False, user=request.user)
        record = result.sheet_record
        if result.save_error:
            # Nothing was written and the upload is kept: 「取り込む」 can be pressed again.
            messages.error(
                request, f"{result.save_error}もう一度「取り込む」を押すか、しばらくしてからお試しください。"
            )
            context = self._preview_context(result, storage.name, self._choices(form.cleaned_data))
            return self._render(request, SheetImportForm(), context)
        if record is None:
            # The records changed since the preview (or the file was imported meanwhile): show why; nothing written.
            context = self._preview_context(result, storage.name, self._choices(form.cleaned_data))
            return self._render(request, SheetImportForm(), context)
        storage.remove()
        remove_plan(storage.name)
        self.log_addition(request, record, [{"added": {}}])
        messages.success(request, self._success_message(result))
        return HttpResponseRedirect(reverse("admin:trainings_attendancesheet_changelist"))

    def import_errors_view(self, request):
        """Return the previewed file's invalid rows as CSV (original columns + reason) to fix in Excel."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:trainings_attendancesheet_import"))
        form = SheetConfirmForm(request.POST)
        with ExitStack() as stack:
            storage = self._storage(request.POST.get("import_file_name"))
            data = self._read(request, storage, stack) if form.is_valid() else None
            loaded = self._load(request, form, data) if data is not None else None
            if loaded is None:
                return HttpResponseRedirect(reverse("admin:trainings_attendancesheet_import"))
            loaded.issue_limit = None  # every error goes to the file, not only those the preview lists
            plan = loaded.build_plan(loaded.sheet)
            response = HttpResponse(error_rows_csv(plan), content_type="text/csv; charset=utf-8")
        name = f"{PurePath(plan.sheet.file_name).stem}_エラー.csv"
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response

    def _read(self, request, storage, stack):
        """Return the stored upload as a Source on a local copy that `stack` removes, or None after a message when gone.

        The copy is read back chunk by chunk and hashed on the way (its `sha256`): the file is never whole in memory.
        """
        try:
            return stack.enter_context(storage.spooled())
        except FileNotFoundError:
            messages.error(
                request, "アップロードしたファイルの保存期限が切れたか、取り消されました。もう一度選んでください。"
            )
            return None

    def _load(self, request, form, data):
        """Return the resource for the stored upload `data` (a Source) with its Sheet, or None after a message."""
        try:
            sheet = read_sheet(
                data,
                form.cleaned_data["original_file_name"],
                **self._reading(form.cleaned_data),
                mappings=HeaderMapping.objects.remembered(),
            )
        except SheetError as error:
            messages.error(request, str(error))
            return None
        kind = form.cleaned_data["kind"]
        resource = resource_for(
            kind,
            session=form.cleaned_data["session"] if kind == SheetKind.PARTICIPANTS else None,
            use_roster_count=bool(form.cleaned_data.get("use_roster_count")),
        )
        resource.sheet = sheet
        return resource

    @staticmethod
    def _reading(cleaned_data):
        """Return read_sheet's keyword arguments chosen in the form (worksheet, hidden rows)."""
        return {
            "sheet_name": cleaned_data.get("sheet_name") or None,
            "include_hidden": bool(cleaned_data.get("include_hidden")),
        }

    @classmethod
    def _choices(cls, cleaned_data):
        """Return the choices the confirm form repeats: reading options and use_roster_count."""
        return {**cls._reading(cleaned_data), "use_roster_count": bool(cleaned_data.get("use_roster_count"))}

    def _preview_context(self, result, storage_name, reading):
        plan = result.plan
        confirm = SheetConfirmForm(
            initial={
                "import_file_name": storage_name,
                "original_file_name": plan.sheet.file_name,
                "kind": plan.kind,
                "session": plan.session.pk if plan.session else None,
                "sheet_name": reading["sheet_name"] or "",
                "include_hidden": reading["include_hidden"],
                "use_roster_count": reading["use_roster_count"],
            }
        )
        return {
            "result": result,
            "plan": plan,
            "kind_label": SheetKind(plan.kind).label,
            "confirm_form": confirm,
            "can_confirm": plan.is_valid,
            "errors_shown": [issue_text(issue) for issue in plan.errors[:MAX_ERRORS_SHOWN]],
            "skipped_shown": [issue_text(issue) for issue in plan.skipped[:MAX_ERRORS_SHOWN]],
            "notes_shown": [issue_text(issue) for issue in plan.notes[:MAX_ERRORS_SHOWN]],
            "reading_shown": sheet_messages(plan.sheet),
            "count_changes": [change.text for change in plan.count_changes] + plan.year_changes,
            "excluded_shown": excluded_messages(plan.sheet)[:MAX_ERRORS_SHOWN],
            "errors_hidden": max(0, getattr(plan.errors, "total", len(plan.errors)) - MAX_ERRORS_SHOWN),
            "unmatched": sorted(plan.unmatched_organizations.items()),
            "unmatched_more": plan.unmatched_organizations.more_text,
            "header_rows": self._header_rows(plan),
            "several_sheets": len(plan.sheet.parts) > 1,
        }

    @staticmethod
    def _header_rows(plan):
        """Return the rows of 「見出しの対応」: each HeaderUse, with the select's name and options where one is asked.

        A spelling asked on several worksheets gets one select (on its first row): the choice is per spelling.
        """
        rows, asked = [], {}
        options = options_for(plan.kind)
        for use in plan.header_uses:
            row = {"use": use, "field": None}
            if use.source == cols.CHOOSE and mapping_key(use.header) not in asked:
                asked[mapping_key(use.header)] = len(asked)
                row["field"] = asked[mapping_key(use.header)]
                row["options"] = options
            rows.append(row)
        return rows

    def _render(self, request, form, context):
        context = {
            **self.admin_site.each_context(request),
            **context,
            "title": "出席者名簿・研修一覧の取込",
            "form": form,
            "opts": self.model._meta,
            "media": self.media + form.media,
            "kinds": [(SheetKind(kind).label, [c.display for c in columns]) for kind, columns in cols.COLUMNS.items()],
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)

    def _success_message(self, result):
        plan = result.plan
        counts = "、".join(f"{label} {n:,}件" for label, n in plan.totals() if label != "エラーのある行")
        message = f"「{plan.sheet.file_name}」を取り込みました（{SheetKind(plan.kind).label}）: {counts}。"
        session_ids = set(plan.session_rows) or {row.session_id for row in plan.attendances}
        if session_ids:
            sessions = TrainingSession.objects.filter(pk__in=session_ids).with_participant_counts().order_by("date")
            shown = [f"{s} {people(s.participant_count)}" for s in sessions[:5]]
            more = f" ほか{len(session_ids) - 5}件" if len(session_ids) > 5 else ""
            message += f" 参加者数: {'、'.join(shown)}{more}。"
        return message
