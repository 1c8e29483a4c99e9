"""Blank attendee names of sessions older than a fiscal year (counts are kept)."""

from django.core.management import BaseCommand, CommandError

from core.fiscal import FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR, fiscal_year_label, is_allowed_fiscal_year
from trainings.retention import purge_personal_data


class Command(BaseCommand):
    help = "指定した年度より前の研修の出席者氏名・ふりがな・備考を消去します（延べ人数・実人数は変わりません）。"

    def add_arguments(self, parser):
        parser.add_argument("--before-fy", type=int, required=True, help="この年度より前（この年度は含まない）")
        parser.add_argument("--dry-run", action="store_true", help="件数を表示するだけで消去しない")

    def handle(self, *args, before_fy, dry_run, **options):
        if not is_allowed_fiscal_year(before_fy):
            raise CommandError(f"--before-fy には {FIRST_FISCAL_YEAR}〜{LAST_FISCAL_YEAR} の年度を指定してください。")
        result = purge_personal_data(before_fiscal_year=before_fy, dry_run=dry_run)
        verb = "が消去の対象です" if dry_run else "を消去しました"
        self.stdout.write(
            f"{fiscal_year_label(before_fy)}より前: 出席者 {result.rows} 行（研修 {result.sessions} 件）"
            f"と変更履歴 {result.history_rows} 行{verb}。" + ("（--dry-run のため変更していません）" if dry_run else "")
        )
