from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("trainings", "0010_session_times_venue_reading_and_illustrative_fields"),
    ]

    operations = [
        # Plain ALTER TABLE (as in 0007, 0009 and 0010): SQLite would rebuild the sessions table
        # through Django for a NOT NULL column, which breaks the attendance triggers of 0004 and 0005.
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE trainings_trainingsession ADD COLUMN roster_is_partial boolean NOT NULL DEFAULT false",
                    "ALTER TABLE trainings_trainingsession DROP COLUMN roster_is_partial",
                )
            ],
            state_operations=[
                migrations.AddField(
                    model_name="trainingsession",
                    name="roster_is_partial",
                    field=models.BooleanField(
                        default=False,
                        help_text=(
                            "出席者名簿に載っているのが参加者の一部だけのときオン。参加者数は上で入力した人数のままになり、"
                            "名簿の人は実人数などに数えます。オフなら名簿の行数を参加者数にします。"
                            "名簿の取込で、名簿の行数が入力済みの参加者数より少ないと自動でオンになります"
                            "（「名簿の人数を参加者数にする」を選んだときはオフ）。"
                        ),
                        verbose_name="名簿は一部（入力した参加者数を使う）",
                    ),
                ),
                # Help text only: no change to the table.
                migrations.AlterField(
                    model_name="trainingsession",
                    name="headcount",
                    field=models.PositiveIntegerField(
                        blank=True,
                        help_text=(
                            "出席者名簿がない場合に入力する人数。不明なら空欄。名簿を取り込むと名簿の行数を使います"
                            "（名簿が一部だけのときは、下の「名簿は一部」で入力した人数を使えます）。"
                        ),
                        null=True,
                        verbose_name="参加者数（集計値）",
                    ),
                ),
            ],
        ),
    ]
