"""Store each attendee's name folded for searching (search_key) and index it for prefix search (issue 15).

高橋 did not find 髙橋 in the attendance list. The folded name (trainings.names.name_search_key,
core.text.fold: variant kanji, full/half width, kana, case, no spaces) is written by
Attendance.save() and AttendanceQuerySet.bulk_create(); this fills it for the rows already
there: one UPDATE in SQL on PostgreSQL, a pass in Python on SQLite (see fill_search_keys).
"""

from django.db import migrations, models
from django.db.models import Value
from django.db.models.functions import Replace, Substr

BATCH = 2000


def _without_spaces(name):
    return name.replace(" ", "").replace("\u3000", "")[:100]


def _fill_in_python(apps, schema_editor):
    # core.text.fold is what trainings.names.name_search_key applies (a migration imports no app module).
    from core.text import fold

    Attendance = apps.get_model("trainings", "Attendance")
    rows = Attendance.objects.using(schema_editor.connection.alias)
    rows.exclude(name="").update(
        search_key=Substr(Replace(Replace("name", Value(" "), Value("")), Value("\u3000"), Value("")), 1, 100)
    )
    changed = []
    for pk, name in rows.exclude(name="").values_list("pk", "name").iterator(chunk_size=BATCH):
        key = fold(name)[:100]
        if key != _without_spaces(name):
            changed.append(Attendance(pk=pk, search_key=key))
        if len(changed) >= BATCH:
            rows.bulk_update(changed, ["search_key"])
            changed = []
    rows.bulk_update(changed, ["search_key"])


def _fill_in_postgresql(schema_editor):
    """Fold every name in SQL (PostgreSQL has NFKC: normalize(), and translate()) in one rewrite of the table.

    ALTER COLUMN … TYPE … USING rewrites the table once and rebuilds its indexes, where an UPDATE
    of a million rows would add a version of each row to each of the table's 14 indexes and run
    the attendance triggers (minutes). No trigger fires: neither a row's session nor its year changes.
    """
    from core.text import _HIRAGANA_OF_KATAKANA, VARIANT_KANJI

    table = {**VARIANT_KANJI, **_HIRAGANA_OF_KATAKANA}
    # A table with checks still pending in this transaction (rows written before, in the same
    # transaction) cannot be altered: run them now; Django's foreign keys are deferred again after.
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema_editor.execute(
        "ALTER TABLE trainings_attendance ALTER COLUMN search_key TYPE varchar(100) USING "
        "left(regexp_replace(lower(translate(normalize(name, NFKC), %s, %s)), '\\s+', '', 'g'), 100)",
        ["".join(table), "".join(table.values())],
    )
    schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def fill_search_keys(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _fill_in_postgresql(schema_editor)
    else:
        # SQLite: most names fold to themselves without their spaces, which one UPDATE writes; the
        # rows whose fold differs are corrected in batches (its triggers watch other columns).
        _fill_in_python(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0002_load_wards"),
        ("trainings", "0006_attendance_search_indexes"),
    ]

    operations = [
        # Plain ALTER TABLE on both databases: SQLite would rebuild the table for a NOT NULL column
        # through Django, which breaks the triggers of migrations 0004 and 0005; PostgreSQL adds a
        # column with a constant default without rewriting the table.
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE trainings_attendance ADD COLUMN search_key varchar(100) NOT NULL DEFAULT ''",
                    "ALTER TABLE trainings_attendance DROP COLUMN search_key",
                )
            ],
            state_operations=[
                migrations.AddField(
                    model_name="attendance",
                    name="search_key",
                    field=models.CharField(blank=True, editable=False, max_length=100, verbose_name="検索用の氏名"),
                )
            ],
        ),
        migrations.RunPython(fill_search_keys, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="attendance",
            index=models.Index(
                fields=["search_key"], name="attendance_search_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
        ),
    ]
