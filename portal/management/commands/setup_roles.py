"""Put the three role groups back to their definition in portal/roles.py."""

from django.apps import apps
from django.core.management import BaseCommand

from portal.roles import ROLE_PERMISSIONS, create_all_permissions, sync_roles


class Command(BaseCommand):
    help = "役割のグループ（入力担当・管理職・システム管理者）を作成し、権限を portal/roles.py の定義どおりに戻します。"

    def handle(self, *args, **options):
        # A flushed database may have lost its permissions too; they are created again first.
        create_all_permissions(apps)
        for group in sync_roles(apps):
            self.stdout.write(f"{group.name}: 権限 {len(ROLE_PERMISSIONS[group.name])} 件")
