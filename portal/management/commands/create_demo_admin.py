"""Create (or reset) a local demo administrator, only on a DEBUG machine with the default SQLite database."""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError

USERNAME = "demo-admin"


class Command(BaseCommand):
    help = "ローカル確認用の管理者を作成し、ログイン情報を表示します（DEBUG かつ既定の SQLite のときのみ）。"

    def handle(self, *args, **options):
        database = settings.DATABASES["default"]
        if not settings.DEBUG or database["ENGINE"] != "django.db.backends.sqlite3":
            raise CommandError(
                "デモ管理者は DEBUG=1 かつ既定の SQLite データベースのときだけ作成できます。"
                "本番では manage.py createsuperuser を使ってください。"
            )
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username=USERNAME, defaults={"email": ""})
        user.is_staff = True
        user.is_superuser = True
        user.set_password(password)
        user.save()
        # `make run PORT=8001` passes its port on, so the printed address is the one being served.
        port = os.environ.get("PORT", "8000")
        self.stdout.write(
            self.style.SUCCESS(
                f"デモ管理者: ユーザー名 {USERNAME} / パスワード {password}\n"
                f"  （make run のたびに新しいパスワードになります）  http://127.0.0.1:{port}/admin/"
            )
        )
