"""Check (and with --fix repair) the figures the database triggers keep: rows per session, year per row,
persons, organisations and wards reached per year and category."""

from django.core.management import BaseCommand, CommandError

from trainings.services import denormalisation_mismatches, reach_mismatches, repair_denormalisation


class Command(BaseCommand):
    help = (
        "研修ごとの名簿の行数（attendance_count）、出席者の年度（fiscal_year）と、年度・区分別の実人数・団体数・区の数"
        "（集計表）が実データと一致するか確認します。"
        "--fix で数え直します。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="一致しないときに数え直して修正する")

    def handle(self, *args, fix, **options):
        sessions, rows = denormalisation_mismatches()
        reached = reach_mismatches()
        if not sessions and not rows and not reached:
            self.stdout.write(self.style.SUCCESS("名簿の行数、出席者の年度と到達数の集計表はすべて一致しています。"))
            return
        message = (
            f"名簿の行数が一致しない研修 {sessions:,}件、年度が一致しない出席者 {rows:,}行、"
            f"一致しない到達数の集計行 {reached:,}行。"
        )
        if not fix:
            raise CommandError(message + "修正するには --fix を付けて実行してください。")
        repair_denormalisation()
        self.stdout.write(self.style.SUCCESS(message + "数え直して修正しました。"))
