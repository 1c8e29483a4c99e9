"""SQLite: an import's rows also skip the fiscal-year and row-count triggers while the pause holds a row.

Migration 0014 paused the reach row trigger during an import's insert. Two more row triggers ran
for each inserted row: `trainings_attendance_set_fiscal_year` (an UPDATE of the row just
inserted: the row is written twice) and `trainings_attendance_count_insert` (an UPDATE of its
session). They now skip while trainings_reachpause holds a row too, and
trainings.reach.rows_reached_in_bulk sets the sheet's rows' fiscal year and its sessions' counts
set-based before it adds their reach, in the import's one transaction. Outside an import (the
pause empty) both run as before. Nothing changes on PostgreSQL (a BEFORE INSERT row trigger sets
the year in the row as it is written, and the counts are kept by statement triggers).
"""

# ruff: noqa: S608 -- SQL built from constants only
from django.db import migrations

ATTENDANCE = "trainings_attendance"
SESSION = "trainings_trainingsession"
PAUSE = "trainings_reachpause"

SET_YEAR = (
    f"UPDATE {ATTENDANCE} SET fiscal_year = (SELECT fiscal_year FROM {SESSION} WHERE id = NEW.session_id) "
    "WHERE id = NEW.id;"
)
COUNT = f"UPDATE {SESSION} SET attendance_count = attendance_count + 1 WHERE id = NEW.session_id;"


def _triggers(when=""):
    condition = f" WHEN NOT EXISTS (SELECT 1 FROM {PAUSE})" if when else ""
    return [
        f"CREATE TRIGGER trainings_attendance_set_fiscal_year AFTER INSERT ON {ATTENDANCE}{condition}\n"
        f"    BEGIN\n        {SET_YEAR}\n    END",
        f"CREATE TRIGGER trainings_attendance_count_insert AFTER INSERT ON {ATTENDANCE}{condition}\n"
        f"    BEGIN\n        {COUNT}\n    END",
    ]


DROP = [
    "DROP TRIGGER IF EXISTS trainings_attendance_set_fiscal_year",
    "DROP TRIGGER IF EXISTS trainings_attendance_count_insert",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in [*DROP, *_triggers(when="paused")]:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in [*DROP, *_triggers()]:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("trainings", "0014_sqlite_reach_pause"),
    ]

    operations = [migrations.RunPython(forward, backward)]
