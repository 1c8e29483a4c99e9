"""Give a user one of the staff roles: add them to the group and let them log in to the admin."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import BaseCommand, CommandError

from portal.roles import ROLE_ALIASES, ROLES


class Command(BaseCommand):
    help = "利用者に役割（入力担当・管理職・システム管理者）を付与し、管理画面に入れるようにします（is_staff）。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="ユーザー名")
        parser.add_argument("role", help=f"役割: {' / '.join(ROLES)}（または {' / '.join(ROLE_ALIASES)}）")
        parser.add_argument("--remove", action="store_true", help="役割を外す（スタッフ権限はそのまま）")

    def handle(self, *args, username, role, remove, **options):
        name = ROLE_ALIASES.get(role, role)
        if name not in ROLES:
            raise CommandError(f"役割「{role}」はありません。{'、'.join(ROLES)} のいずれかを指定してください。")
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"ユーザー「{username}」は登録されていません。") from None
        try:
            group = Group.objects.get(name=name)
        except Group.DoesNotExist:
            raise CommandError(f"グループ「{name}」がありません。manage.py setup_roles を実行してください。") from None
        if remove:
            user.groups.remove(group)
            self.stdout.write(f"{username} から役割「{name}」を外しました。")
            return
        user.groups.add(group)
        if not user.is_staff:
            # Without is_staff the admin login refuses the user, whatever their group allows.
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        self.stdout.write(f"{username} に役割「{name}」を付与しました（管理画面にログインできます）。")
