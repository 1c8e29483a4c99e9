"""Import an attendance sheet or a list of sessions from the command line, with the admin's resources and messages."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.text import compact_key
from trainings.importing import columns as cols
from trainings.importing import title_block
from trainings.importing.kinds import resource_for
from trainings.importing.limits import too_large_message
from trainings.importing.mappings import HeaderMapping, remember
from trainings.importing.messages import (
    excluded_messages,
    header_lines,
    issue_text,
    sheet_messages,
    undetected_kind_message,
)
from trainings.importing.remembered import check_choices, column_choices, mapping_key
from trainings.importing.sheets import SheetError, read_sheet
from trainings.models import SheetKind, TrainingSession


class Command(BaseCommand):
    help = (
        "出席者名簿・研修一覧（CSV: UTF-8/CP932、Unicode テキスト: UTF-16、XLSX）を取り込みます。"
        "種類を省くと見出しから判定します。"
        "エラーがあれば何も書き込まず、終了コード 1 で終わります。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="取り込むファイル（.csv または .xlsx）")
        parser.add_argument(
            "--kind",
            choices=["sessions", "participants", "participants_multi"],
            help=(
                "sessions = 研修一覧、participants = 出席者名簿"
                "（--session があれば1研修、なければ開催日・研修名の列で複数研修）"
            ),
        )
        parser.add_argument("--session", type=int, help="1研修の出席者名簿を取り込む研修の ID")
        parser.add_argument("--dry-run", action="store_true", help="検証と件数の表示だけ行い、書き込みません")
        parser.add_argument(
            "--use-roster-count",
            action="store_true",
            help=(
                "名簿の行数が入力済みの参加者数より少なくても、名簿の人数を参加者数にします"
                "（指定しなければ名簿は取り込み、参加者数は入力済みの人数のままにします）"
            ),
        )
        parser.add_argument("--sheet", help="取り込むシートの名前（XLSX で名簿のシートが複数あるとき）")
        parser.add_argument(
            "--include-hidden", action="store_true", help="XLSX の非表示の行・取り消し線の行も取り込みます"
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="見出し=列名",
            help=(
                '分からない見出しの列を指定します（例: --map "参加者氏名=氏名"、--map "電話番号=取り込まない"。'
                "複数指定可）。指定は登録され、次からは同じ見出しを自動で読みます（--dry-run では登録しません）"
            ),
        )

    def handle(
        self,
        *args,
        path,
        kind=None,
        session=None,
        dry_run=False,
        sheet=None,
        include_hidden=False,
        use_roster_count=False,
        map=(),  # noqa: A002 (the option's name)
        **options,
    ):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"ファイルが見つかりません: {path}")
        if file.stat().st_size > settings.IMPORT_MAX_UPLOAD_BYTES:
            raise CommandError(too_large_message(file.stat().st_size))
        choices = self._choices(map)
        remembered = HeaderMapping.objects.remembered().with_choices(choices)
        try:
            # The path, not the bytes: the sheet is read from the file as it is validated (flat memory).
            sheet = read_sheet(file, file.name, sheet_name=sheet, include_hidden=include_hidden, mappings=remembered)
        except SheetError as error:
            raise CommandError(str(error)) from None

        target = None
        if session is not None:
            target = TrainingSession.objects.filter(pk=session).first()
            if target is None:
                raise CommandError(f"ID {session} の研修はありません。")
        if target is None and kind is None and cols.detect_sheet_kind(sheet) == SheetKind.PARTICIPANTS:
            target = title_block.session_for(sheet)  # the sheet's 研修名・開催日, if registered
        kind = self._resolve_kind(kind, target, sheet)
        if kind == SheetKind.PARTICIPANTS and (conflict := title_block.conflict_message(sheet, target)):
            raise CommandError(conflict)
        resource = resource_for(
            kind, session=target if kind == SheetKind.PARTICIPANTS else None, use_roster_count=use_roster_count
        )
        if choices:
            uses = resource.checked_plan(sheet)[0].header_uses
            errors = check_choices(kind, uses, choices)
            if errors:
                raise CommandError(" ".join(errors))
            # Remembered as the sheet writes the header (the option may spell it with ASCII brackets).
            as_written = {mapping_key(use.header): use.header for use in uses}
            choices = {as_written[mapping_key(header)]: value for header, value in choices.items()}
            if not dry_run:
                remember(kind, choices)
        try:
            result = resource.import_data(sheet, dry_run=dry_run)
        except SheetError as error:  # the file changed or broke while it was read again
            raise CommandError(str(error)) from None
        plan = result.plan

        self.stdout.write(f"ファイル: {sheet.file_name}（{sheet.description}）／種類: {SheetKind(kind).label}")
        if plan.session:
            self.stdout.write(f"対象の研修: {plan.session}")
        for message in header_lines(plan):
            self.stdout.write(f"見出しの対応: {message}")
        if choices:
            listed = "、".join(f"「{header}」" for header in choices)
            done = "確認のみのため登録していません" if dry_run else "登録しました。次からは同じ見出しを自動で読みます"
            self.stdout.write(f"見出し{listed}の対応を{done}。")
        for message in sheet_messages(sheet):
            self.stdout.write(message)
        for message in excluded_messages(sheet, personal=False):
            self.stdout.write(f"スキップ: {message}")
        for message in plan.base_errors:
            self.stderr.write(f"取り込めません: {message}")
        for issue in plan.errors:
            # Names are personal data: output that may end up in a job log never repeats them.
            self.stderr.write(issue_text(issue, personal=False))
        self._more(plan.errors, self.stderr, "エラー")
        for issue in plan.skipped:
            self.stdout.write(f"スキップ: {issue_text(issue, personal=False)}")
        self._more(plan.skipped, self.stdout, "スキップ")
        for issue in plan.notes:
            self.stdout.write(f"記載と違う形で記録: {issue_text(issue, personal=False)}")
        self._more(plan.notes, self.stdout, "記載と違う形で記録")
        for name, n in sorted(plan.unmatched_organizations.items()):
            self.stdout.write(f"登録されていない所属（記載どおり保存）: {name}（{n}行）")
        if more := plan.unmatched_organizations.more_text:
            self.stdout.write(f"登録されていない所属（記載どおり保存）: {more}")
        for change in plan.count_changes:
            self.stdout.write(change.text)
        for line in plan.year_changes:
            self.stdout.write(line)
        counts = "、".join(f"{label} {n:,}件" for label, n in plan.totals())
        self.stdout.write(f"件数: {counts}")
        if not plan.is_valid:
            raise CommandError("エラーがあるため、何も書き込んでいません。")
        if result.save_error:
            raise CommandError(result.save_error)
        if dry_run:
            self.stdout.write("確認のみ（--dry-run）: 何も書き込んでいません。")
        else:
            self.stdout.write(self.style.SUCCESS(f"取り込みました（取込 ID {result.sheet_record.pk}）。"))

    @staticmethod
    def _choices(maps):
        """Return {header as written: column key or SKIP} of the --map options; CommandError when one is unreadable."""
        by_label = {compact_key(label).lower(): value for value, label in column_choices()}
        by_label.update({value: value for value in by_label.values()})
        choices = {}
        for text in maps:
            header, sign, column = text.rpartition("=")
            value = by_label.get(compact_key(column).lower())
            if not sign or not header.strip():
                raise CommandError(
                    f'--map "{text}" は「見出し=列名」の形で指定してください（例: --map "参加者氏名=氏名"）。'
                )
            if value is None:
                names = "、".join(dict.fromkeys(label for _, label in column_choices()))
                raise CommandError(f"--map の列名「{column}」が分かりません（使える列名: {names}）。")
            choices[header.strip()] = value
        return choices

    @staticmethod
    def _more(issues, out, label):
        """Say how many issues beyond those listed there are (the list keeps the first IssueList.LIMIT)."""
        hidden = getattr(issues, "hidden", 0)
        if hidden:
            out.write(f"{label}: ほかに {hidden:,}件あります（最初の {len(issues):,}件を表示しました）。")

    def _resolve_kind(self, kind, session, sheet):
        if kind == "participants" and session is None:
            kind = "participants_multi"
        if kind is None:
            kind = cols.detect_sheet_kind(sheet)
            if kind is None:
                raise CommandError(undetected_kind_message(sheet))
            if kind == SheetKind.PARTICIPANTS and session is None:
                raise CommandError("1研修の出席者名簿です。--session で研修の ID を指定してください。")
        has_date = "date" in self._keys(sheet.headers, sheet.mappings)
        if kind == SheetKind.PARTICIPANTS_MULTI and session is not None and not has_date:
            kind = SheetKind.PARTICIPANTS
        if kind == SheetKind.PARTICIPANTS and session is None:
            raise CommandError("--session で研修の ID を指定してください。")
        return SheetKind(kind)

    @staticmethod
    def _keys(headers, remembered):
        return {c.key for h in headers if isinstance(c := cols.column_for(h, remembered), cols.Column)}
