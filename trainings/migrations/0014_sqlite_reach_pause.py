"""SQLite: the row trigger that keeps the reach tables skips while an import adds its rows in bulk.

trainings.reach.rows_reached_in_bulk writes a row into trainings_reachpause, inserts the sheet's
rows, adds their reach set-based and removes the row, in the import's one transaction. Nothing
changes on PostgreSQL (its reach triggers are statement triggers already).
"""

# ruff: noqa: S608 -- SQL built from constants only
import importlib

from django.db import migrations

reach_0008 = importlib.import_module("trainings.migrations.0008_reach_per_year_and_category")
ATTENDANCE = reach_0008.ATTENDANCE
PAUSE = "trainings_reachpause"


def _insert_trigger(when=None):
    return reach_0008._sqlite_trigger(
        "trainings_reach_insert", f"AFTER INSERT ON {ATTENDANCE}", reach_0008._sqlite_add_row("NEW"), when=when
    )


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(f"CREATE TABLE {PAUSE} (id INTEGER PRIMARY KEY)")
    schema_editor.execute("DROP TRIGGER IF EXISTS trainings_reach_insert")
    schema_editor.execute(_insert_trigger(when=f"NOT EXISTS (SELECT 1 FROM {PAUSE})"))


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS trainings_reach_insert")
    schema_editor.execute(_insert_trigger())
    schema_editor.execute(f"DROP TABLE IF EXISTS {PAUSE}")


class Migration(migrations.Migration):
    dependencies = [
        ("trainings", "0013_reach_insert_as_one_upsert"),
    ]

    operations = [migrations.RunPython(forward, backward)]
