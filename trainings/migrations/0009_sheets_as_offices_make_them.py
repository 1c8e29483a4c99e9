"""Sheets as offices make them (issue 11): approximate headcounts (約30), and 実人数 folding half-width kana.

`headcount_approximate` marks a headcount written as 約30 / 30人程度. Names with half-width
katakana get the person key that folds them (ﾀﾅｶ ｼﾞﾛｳ = タナカ ジロウ, trainings.names.person_key).
"""

from django.db import migrations, models

# Half-width katakana (ｦ…ﾟ): names holding them get the person key that folds them (trainings.names).
HALFWIDTH_KANA = r"[ｦ-ﾟ]"


def refold_person_keys(apps, schema_editor):
    """Recompute person_key of rows whose name has half-width katakana (ﾀﾅｶ = タナカ for 実人数)."""
    from trainings.names import person_key

    Attendance = apps.get_model("trainings", "Attendance")
    rows = list(
        Attendance.objects.filter(name__regex=HALFWIDTH_KANA)
        .select_related("organization")
        .only("pk", "name", "organization__name", "organization_text", "person_key")
    )
    for row in rows:
        label = row.organization.name if row.organization_id else row.organization_text
        row.person_key = person_key(row.name, label)
    Attendance.objects.bulk_update(rows, ["person_key"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("trainings", "0008_reach_per_year_and_category"),
    ]

    operations = [
        # Plain ALTER TABLE (as in 0007): SQLite would rebuild the table for a NOT NULL column
        # through Django, which breaks the triggers of migrations 0004 and 0005.
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE trainings_trainingsession ADD COLUMN headcount_approximate boolean NOT NULL DEFAULT false",
                    "ALTER TABLE trainings_trainingsession DROP COLUMN headcount_approximate",
                )
            ],
            state_operations=[
                migrations.AddField(
                    model_name="trainingsession",
                    name="headcount_approximate",
                    field=models.BooleanField(
                        default=False,
                        help_text="「約30」のように概数で記録された参加者数ならオン（取込では「約」「程度」で付きます）。",
                        verbose_name="参加者数は概数",
                    ),
                )
            ],
        ),
        migrations.RunPython(refold_person_keys, migrations.RunPython.noop),
    ]
