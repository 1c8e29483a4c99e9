"""PostgreSQL: an import's rows are counted and reached once, at its end, not once per COPY.

A streamed import writes its rows in several COPY statements (trainings.importing.background_writer).
After each, the statement triggers of the sessions' row counts (0004) and of the reach tables
(0008, 0013) ran over that statement's rows: the same sessions were updated once per COPY (each
update a new row version, which every later foreign-key check of the import walks), and a person
met in several chunks was upserted into `trainings_reach` once per chunk. With them, the thread
writing a 200,000-row import was busy 12.5 s; without them 8.7 s, and the function below takes
1.4–1.6 s at the end (the same machine and load, interleaved runs).

As SQLite does since 0014/0015 (with a pause table), the two INSERT triggers now skip while the
transaction-local setting `trainings.rows_in_bulk` is 'on', and `trainings_attendance_add_sheet(sheet)`,
called by trainings.reach.rows_reached_in_bulk at the end of the import, in its transaction, does
for all the sheet's rows at once what they would have done: each session's count grows by its rows
of the sheet (sessions updated in id order, as 0004), and the keys are upserted into the reach
tables as 0013's trigger does. The setting is the transaction's own (set_config(…, true)): other
transactions never see it, a rollback (of the transaction or of a savepoint) takes it back, and it
is cleared before the import goes on. Outside an import nothing changes; the delete and update
triggers never pause. The advisory lock of the reach tables' writers is taken first, before any
session is updated, so two imports ending at once queue on it instead of deadlocking.
"""

# ruff: noqa: S608 -- SQL built from this module's constants only, never from input
import importlib

from django.db import migrations

count_0004 = importlib.import_module("trainings.migrations.0004_trainingsession_attendance_count")
reach_0013 = importlib.import_module("trainings.migrations.0013_reach_insert_as_one_upsert")

SETTING = "trainings.rows_in_bulk"
SKIP = f"""
        -- An import's rows are counted and reached at its end (trainings_attendance_add_sheet).
        IF current_setting('{SETTING}', true) = 'on' THEN
            RETURN NULL;
        END IF;"""

COUNT_INSERT = count_0004.POSTGRES_FUNCTION.format(name="insert", moves=count_0004.ADDED)
REACH_INSERT = reach_0013.INSERT_FUNCTION


def _skipping(function_sql):
    """Return `function_sql` (a plpgsql CREATE [OR REPLACE] FUNCTION) as CREATE OR REPLACE, skipping in bulk."""
    sql = function_sql.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
    head, begin, body = sql.partition("BEGIN")
    assert begin, "a plpgsql body"
    return head + begin + SKIP + body


def _add_sheet_function():
    """Return the CREATE FUNCTION of trainings_attendance_add_sheet(sheet bigint), from the two triggers' SQL."""
    # 0013's statement over the transition table `new_rows`, over the sheet's rows instead.
    reach = REACH_INSERT.partition("PERFORM pg_advisory_xact_lock(140801);")[2].partition("RETURN NULL;")[0]
    reach = reach.replace("FROM new_rows n", "FROM trainings_attendance n", 1).replace(
        "ON s.id = n.session_id", "ON s.id = n.session_id WHERE n.sheet_id = sheet", 1
    )
    assert "new_rows" not in reach, "every read of the transition table replaced"
    return f"""
    CREATE FUNCTION trainings_attendance_add_sheet(sheet bigint) RETURNS void LANGUAGE plpgsql
    SET work_mem = '64MB' SET jit = off
    AS $$
    DECLARE
        item record;
    BEGIN
        PERFORM pg_advisory_xact_lock(140801);
        FOR item IN
            SELECT session_id, count(*) AS delta FROM trainings_attendance WHERE sheet_id = sheet
            GROUP BY session_id ORDER BY session_id
        LOOP
            UPDATE trainings_trainingsession SET attendance_count = attendance_count + item.delta
            WHERE id = item.session_id;
        END LOOP;
        {reach}
    END $$
    """


FORWARD = [_skipping(COUNT_INSERT), _skipping(REACH_INSERT), _add_sheet_function()]
BACKWARD = [
    "DROP FUNCTION IF EXISTS trainings_attendance_add_sheet(bigint)",
    COUNT_INSERT.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1),
    REACH_INSERT,
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("trainings", "0018_pg_fiscal_year_checked_per_statement"),
    ]

    operations = [migrations.RunPython(forward, backward)]
