"""Derive an attendance row's fiscal year only when it comes without one; check the others per statement (PostgreSQL).

Migration 0005's BEFORE INSERT OR UPDATE row trigger called a plpgsql function for every row, to
look its session's year up. During a 200,000-row COPY import that function took about 1.6 s of
13 s (measured with track_functions), although the import already gives every row its session's
year (trainings.importing.participants; SQLite's migration 0015 relies on it too).

The year stays the database's, as before; only the way it keeps it changes:
- `trainings_attendance_set_fiscal_year` (BEFORE INSERT, FOR EACH ROW) now runs only
  WHEN (NEW.fiscal_year IS NULL): PostgreSQL evaluates the condition in C, so a row that comes
  with a year calls no plpgsql; a row without one takes its session's year, as before.
- `trainings_attendance_reset_fiscal_year` (BEFORE UPDATE, FOR EACH ROW, unconditional; the name
  SQLite's update trigger has) recomputes the year on every update as before: a row moved to
  another session takes its year, a direct write of the year is overruled, and a session moved
  to another year still takes its rows along (0005's trigger on the sessions updates them).
- `trainings_attendance_check_fiscal_year` (AFTER INSERT, FOR EACH STATEMENT, over the
  statement's new rows) refuses, with a check_violation (IntegrityError in Django), any new row
  whose year differs from its session's: one set-based join of the new rows to the sessions per
  statement, not a function call per row. The message names the column and the session id, never
  a row's personal values.

So the database still derives a missing year and refuses a wrong one. SQLite keeps its triggers
(0005, 0015): nothing changes there.
"""

# ruff: noqa: S608 -- SQL built from this module's constants only, never from input
import importlib

from django.db import migrations

fiscal_year_0005 = importlib.import_module("trainings.migrations.0005_attendance_fiscal_year")

ATTENDANCE = "trainings_attendance"
SESSION = "trainings_trainingsession"
SET_FUNCTION = "trainings_attendance_set_fiscal_year()"  # 0005's, unchanged

FORWARD = [
    f"DROP TRIGGER IF EXISTS trainings_attendance_set_fiscal_year ON {ATTENDANCE}",
    f"""
    CREATE TRIGGER trainings_attendance_set_fiscal_year BEFORE INSERT ON {ATTENDANCE}
    FOR EACH ROW WHEN (NEW.fiscal_year IS NULL) EXECUTE FUNCTION {SET_FUNCTION}
    """,
    f"""
    CREATE TRIGGER trainings_attendance_reset_fiscal_year BEFORE UPDATE ON {ATTENDANCE}
    FOR EACH ROW EXECUTE FUNCTION {SET_FUNCTION}
    """,
    # JIT off as in 0016: compiling the join of a big import costs more than running it.
    f"""
    CREATE FUNCTION trainings_attendance_check_fiscal_year() RETURNS trigger LANGUAGE plpgsql
    SET jit = off
    AS $$
    DECLARE
        wrong record;
    BEGIN
        SELECT n.session_id, n.fiscal_year AS given, s.fiscal_year AS expected INTO wrong
        FROM new_rows n JOIN {SESSION} s ON s.id = n.session_id
        WHERE n.fiscal_year IS DISTINCT FROM s.fiscal_year
        LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION '{ATTENDANCE}.fiscal_year % differs from the fiscal year % of its session (id %)',
                wrong.given, wrong.expected, wrong.session_id
                USING ERRCODE = 'check_violation', TABLE = '{ATTENDANCE}', COLUMN = 'fiscal_year';
        END IF;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE TRIGGER trainings_attendance_check_fiscal_year AFTER INSERT ON {ATTENDANCE}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION trainings_attendance_check_fiscal_year()
    """,
]
BACKWARD = [
    f"DROP TRIGGER IF EXISTS trainings_attendance_check_fiscal_year ON {ATTENDANCE}",
    "DROP FUNCTION IF EXISTS trainings_attendance_check_fiscal_year()",
    f"DROP TRIGGER IF EXISTS trainings_attendance_reset_fiscal_year ON {ATTENDANCE}",
    f"DROP TRIGGER IF EXISTS trainings_attendance_set_fiscal_year ON {ATTENDANCE}",
    fiscal_year_0005.POSTGRES_FORWARD[1],  # 0005's BEFORE INSERT OR UPDATE row trigger
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql, params=None)  # no parameters: RAISE's % placeholders stay as written


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("trainings", "0017_pending_upload_chunks"),
    ]

    operations = [migrations.RunPython(forward, backward)]
