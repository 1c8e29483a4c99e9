"""The audit history of the narrative items (取組実績と成果), and the roles' rights over them."""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from portal.roles import create_all_permissions, sync_roles


def sync_role_permissions(apps, schema_editor):
    # The new model's permissions exist only after post_migrate: create them now, then give each
    # role exactly its ROLE_PERMISSIONS (data-entry staff edit the narrative, everyone reads it).
    create_all_permissions(apps)
    # The publication permission comes with 0004, which syncs the roles strictly again.
    sync_roles(apps, later_models_ok=True)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_roles"),
        ("outreach", "0003_achievement"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalAchievement",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "fiscal_year",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(
                                1989, message="年度は1989年度以降を入力してください。"
                            ),
                            django.core.validators.MaxValueValidator(
                                2100, message="年度は2100年度以前を入力してください。"
                            ),
                        ],
                        verbose_name="年度",
                    ),
                ),
                (
                    "code",
                    models.CharField(help_text="ア、イ、ウ…（報告書の項目の記号）", max_length=10, verbose_name="記号"),
                ),
                (
                    "order",
                    models.PositiveSmallIntegerField(
                        default=0, help_text="小さい順に並びます（同じなら記号の順）。", verbose_name="表示順"
                    ),
                ),
                ("text", models.TextField(help_text="報告書にそのまま載る文章です。", verbose_name="内容")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "取組実績と成果の変更履歴",
                "verbose_name_plural": "取組実績と成果の変更履歴",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(sync_role_permissions, migrations.RunPython.noop),
    ]
