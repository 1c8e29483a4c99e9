"""Create labelled synthetic records (small for tests, city for benchmarks) on top of the demo ones."""

import time

from django.core.management import BaseCommand, CommandError

from portal import synthetic


class Command(BaseCommand):
    help = "性能確認用の合成データ（「合成データ」と明記）を作成します。2018年度のデモデータには触れません。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(synthetic.SCALES), default="small")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--replace", action="store_true", help="既存の合成データを削除してから作成する")

    def handle(self, *args, scale, seed, replace, **options):
        if synthetic.synthetic_data_exists():
            if not replace:
                raise CommandError("合成データは既にあります。作り直すには --replace を付けてください。")
            self.stdout.write(f"既存の合成データを削除しました（研修 {synthetic.remove_synthetic_data()} 件ほか）。")
        started = time.perf_counter()
        result = synthetic.generate(scale=scale, seed=seed, progress=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"合成データ（{scale}）を作成しました: 団体 {result.organizations:,}、研修 {result.sessions:,}、"
                f"出席者 {result.attendances:,}、事例 {result.cases:,}（経過 {result.events:,}）、"
                f"局間連携 {result.collaborations:,}。{time.perf_counter() - started:.1f} 秒"
            )
        )
