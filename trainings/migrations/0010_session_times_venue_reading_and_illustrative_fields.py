from django.db import migrations, models

import core.illustrative


class Migration(migrations.Migration):
    dependencies = [
        ("trainings", "0009_sheets_as_offices_make_them"),
    ]

    # Plain ALTER TABLE on both databases (as in 0007): SQLite would rebuild the sessions table
    # through Django for a NOT NULL column, which breaks the attendance triggers of 0004 and 0005.
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f"ALTER TABLE trainings_trainingsession ADD COLUMN {column}",
                    f"ALTER TABLE trainings_trainingsession DROP COLUMN {column.split()[0]}",
                )
                for column in (
                    "title_kana varchar(300) NOT NULL DEFAULT ''",
                    "start_time time NULL",
                    "end_time time NULL",
                    "venue_address varchar(200) NOT NULL DEFAULT ''",
                    "illustrative_fields varchar(300) NOT NULL DEFAULT ''",
                )
            ],
            state_operations=[
                migrations.AddField(
                    model_name="trainingsession",
                    name="end_time",
                    field=models.TimeField(
                        blank=True, help_text="分からなければ空欄。", null=True, verbose_name="終了時刻"
                    ),
                ),
                migrations.AddField(
                    model_name="trainingsession",
                    name="illustrative_fields",
                    field=core.illustrative.IllustrativeFieldsField(
                        blank=True,
                        default="",
                        help_text="出典（報告書など）に記載がなく、例示として補った項目にチェックします。補った内容は「データの注記」に書きます。",
                        max_length=300,
                        verbose_name="例示の項目",
                    ),
                ),
                migrations.AddField(
                    model_name="trainingsession",
                    name="start_time",
                    field=models.TimeField(
                        blank=True, help_text="分からなければ空欄。", null=True, verbose_name="開始時刻"
                    ),
                ),
                migrations.AddField(
                    model_name="trainingsession",
                    name="title_kana",
                    field=models.CharField(
                        blank=True,
                        help_text="研修名の読み（カタカナ）。イベント一覧のイベント名_カナに使います。",
                        max_length=300,
                        verbose_name="研修名（よみ）",
                    ),
                ),
                migrations.AddField(
                    model_name="trainingsession",
                    name="venue_address",
                    field=models.CharField(
                        blank=True,
                        help_text="例：横浜市南区六ツ川一丁目…（分からなければ空欄）",
                        max_length=200,
                        verbose_name="会場の住所",
                    ),
                ),
            ],
        ),
    ]
