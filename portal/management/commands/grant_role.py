"""Give a user one of the staff roles: add them to the group and let them log in to the admin.

With --create the user is created first, in one step: the password is read from the
environment variable named by --password-env (default PORTAL_USER_PASSWORD) or, at a terminal,
asked twice; it must pass the password validators (AUTH_PASSWORD_VALIDATORS).
"""

import getpass
import os
import sys

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError
from django.db import transaction

from portal.roles import ROLE_ALIASES, ROLES

PASSWORD_ENV = "PORTAL_USER_PASSWORD"  # noqa: S105 (the variable's name, not a password)


class Command(BaseCommand):
    help = (
        "利用者に役割（入力担当・管理職・システム管理者）を付与し、管理画面に入れるようにします（is_staff）。"
        "--create で利用者の作成も一度に行います。"
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="ユーザー名")
        parser.add_argument("role", help=f"役割: {' / '.join(ROLES)}（または {' / '.join(ROLE_ALIASES)}）")
        parser.add_argument("--remove", action="store_true", help="役割を外す（スタッフ権限はそのまま）")
        parser.add_argument(
            "--create",
            action="store_true",
            help=(
                f"利用者を新しく作成してから役割を付与する。パスワードは環境変数 {PASSWORD_ENV}"
                "（--password-env で変更可）から読み、なければ端末で2回入力します。"
            ),
        )
        parser.add_argument(
            "--password-env", default=PASSWORD_ENV, help=f"パスワードを読む環境変数の名前（既定: {PASSWORD_ENV}）"
        )
        parser.add_argument("--email", default="", help="メールアドレス（--create のとき、任意）")

    def handle(self, *args, username, role, remove, create, password_env, email, **options):
        name = ROLE_ALIASES.get(role, role)
        if name not in ROLES:
            raise CommandError(f"役割「{role}」はありません。{'、'.join(ROLES)} のいずれかを指定してください。")
        if create and remove:
            raise CommandError("--create と --remove は同時に指定できません。")
        try:
            group = Group.objects.get(name=name)
        except Group.DoesNotExist:
            raise CommandError(f"グループ「{name}」がありません。manage.py setup_roles を実行してください。") from None
        users = get_user_model().objects
        if create:
            if users.filter(username=username).exists():
                raise CommandError(
                    f"ユーザー「{username}」は既に登録されています。"
                    "役割だけを付与するときは --create を外してください。"
                )
            user = users.model(username=username, email=email, is_staff=True)
            password = self.read_password(user, password_env)
        else:
            try:
                user = users.get(username=username)
            except users.model.DoesNotExist:
                raise CommandError(
                    f"ユーザー「{username}」は登録されていません。新しく作るときは --create を付けてください。"
                ) from None
        if remove:
            user.groups.remove(group)
            self.stdout.write(f"{username} から役割「{name}」を外しました。")
            return
        with transaction.atomic():
            if create:
                user.set_password(password)
                user.save()
                self.stdout.write(f"ユーザー「{username}」を作成しました。")
            elif not user.is_staff:
                # Without is_staff the admin login refuses the user, whatever their group allows.
                user.is_staff = True
                user.save(update_fields=["is_staff"])
            user.groups.add(group)
        self.stdout.write(f"{username} に役割「{name}」を付与しました（管理画面にログインできます）。")

    def read_password(self, user, variable):
        """Return the new user's password from the environment or the terminal, checked by the validators."""
        password = os.environ.get(variable, "")
        if not password:
            if not sys.stdin.isatty():
                raise CommandError(
                    f"パスワードがありません。環境変数 {variable} に設定するか、端末から実行して入力してください。"
                )
            password = getpass.getpass("パスワード: ")
            if password != getpass.getpass("パスワード（確認）: "):
                raise CommandError("2回入力したパスワードが一致しません。")
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError("パスワードが条件を満たしません: " + " ".join(error.messages)) from None
        return password
