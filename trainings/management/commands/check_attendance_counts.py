"""Check (and with --fix repair) the figures the database triggers keep: rows per session, year per row."""

from django.core.management import BaseCommand, CommandError

from trainings.services import denormalisation_mismatches, repair_denormalisation


class Command(BaseCommand):
    help = (
        "研修ごとの名簿の行数（attendance_count）と出席者の年度（fiscal_year）が実データと一致するか確認します。"
        "--fix で数え直します。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="一致しないときに数え直して修正する")

    def handle(self, *args, fix, **options):
        sessions, rows = denormalisation_mismatches()
        if not sessions and not rows:
            self.stdout.write(self.style.SUCCESS("名簿の行数と出席者の年度はすべて一致しています。"))
            return
        message = f"名簿の行数が一致しない研修 {sessions:,}件、年度が一致しない出席者 {rows:,}行。"
        if not fix:
            raise CommandError(message + "修正するには --fix を付けて実行してください。")
        repair_denormalisation()
        self.stdout.write(self.style.SUCCESS(message + "数え直して修正しました。"))
