"""Load the FY2018 demo records from fixtures/ once and publish FY2018; a second run leaves the data alone."""

from django.conf import settings
from django.core.management import BaseCommand, call_command
from django.db import transaction

from core.history import record_baseline
from outreach.models import Achievement, ApproachCase, CaseEvent
from partners.models import Organization
from partners.wards import ensure_wards
from portal.services import publish_fiscal_year
from trainings.models import ReportedFigure, TrainingSession

DEMO_FIXTURES = ["demo_fy2018"]


class Command(BaseCommand):
    help = "平成30年度（2018年度）のデモデータ（報告書に基づく）を読み込みます。既に読み込み済みなら何もしません。"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="読み込み済みでも再度読み込む（重複するものはエラー）")

    def handle(self, *args, force=False, **options):
        if ReportedFigure.objects.filter(fiscal_year=2018).exists() and not force:
            self.stdout.write("デモデータは読み込み済みです（2018年度の公表数値があります）。")
            return
        with transaction.atomic():
            # The wards come from a migration; a flushed test database no longer has them.
            ensure_wards()
            for name in DEMO_FIXTURES:
                call_command("loaddata", settings.BASE_DIR / "fixtures" / f"{name}.json", verbosity=0)
            # loaddata writes no history: start it, so that the first change shows what it changed.
            record_baseline([TrainingSession, Organization, ApproachCase, CaseEvent, Achievement])
            # The demo year as a manager would have approved it: the public pages show FY2018.
            publish_fiscal_year(fiscal_year=2018, note="デモデータ（平成30年度の報告書に基づく）の公開。")
        self.stdout.write(self.style.SUCCESS("デモデータを読み込みました（日付・会場・人数の内訳などは例示）。"))
