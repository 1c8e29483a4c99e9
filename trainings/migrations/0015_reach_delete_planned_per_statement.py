"""Keep the reach tables on delete with one grouped statement planned for its own size (PostgreSQL; issue 13, point 4).

Migration 0008's statement trigger handles a delete like any write, and its function turns hash
and merge joins off so that a small write never hashes the whole reach table (a million rows at
city scale). For an undo of 200,000 rows that meant 200,000 index probes of the sessions, 914,304
(year, scope, kind, value) rows grouped into 126,060 keys, and two probes of the reach primary key
per key (once to delete, once to update): about 90 % of the undo's time (README, "Undo of 200,000 rows").

A delete only subtracts: no key is added. The function below groups the deleted rows into keys in
one pass (GROUPING SETS: each kind per category and for the whole year), finds each key's reach
row once (`matched`, its ctid and whether the count falls to 0), deletes the emptied rows and lowers
the others by ctid, and takes the emptied keys off the totals. Only the deleted rows' fiscal years
of the reach table are read. The statement runs through EXECUTE with those years as a parameter, so
PostgreSQL plans it for each delete knowing how many rows went (a transition table's row count is
the planner's estimate; a static statement would keep the plan of the backend's first delete,
whatever its size) and which years: an undo hashes its years' reach rows and the sessions, an
admin's one-row delete probes the primary keys. Hash joins are no longer turned off; JIT is
(compiling the plan cost more than running it). Same stored rows, same advisory lock, taken before
the statement's snapshot. Measured on one database, interleaved (bench/undo_reach_ab.py): a 200,000-row
undo's DELETE about a third of the time, a 1- or 50-row delete as before, with a million reach keys of
other years too.

Insert and update keep their functions (0013, 0008); SQLite keeps its row triggers.
"""

# ruff: noqa: S608 -- SQL built from this module's constants only, never from input
import importlib

from django.db import migrations

reach_0008 = importlib.import_module("trainings.migrations.0008_reach_per_year_and_category")

DELETE_STATEMENT = """
    WITH moves AS (
        SELECT s.fiscal_year, COALESCE(s.category_id, -1) AS category_key, o.person_key,
            o.organization_id, o.ward_id
        FROM old_rows o JOIN trainings_trainingsession s ON s.id = o.session_id
    ),
    -- One pass over the rows gives each kind's keys, per category and for the whole year.
    grouped AS (
        SELECT fiscal_year,
            CASE WHEN GROUPING(category_key) = 0 THEN category_key ELSE 0 END AS scope,
            CASE WHEN GROUPING(person_key) = 0 THEN 'p' WHEN GROUPING(organization_id) = 0 THEN 'o' ELSE 'w' END
                AS kind,
            COALESCE(person_key, organization_id::varchar, ward_id::varchar) AS value,  -- the one grouped
            count(*)::integer AS removed
        FROM moves
        GROUP BY GROUPING SETS (
            (fiscal_year, category_key, person_key), (fiscal_year, person_key),
            (fiscal_year, category_key, organization_id), (fiscal_year, organization_id),
            (fiscal_year, category_key, ward_id), (fiscal_year, ward_id)
        )
    ),
    -- Each key's reach row, found once; its count decides whether it is emptied or lowered.
    -- Only the deleted rows' years are read: a big delete hashes them, not a city's other years.
    matched AS MATERIALIZED (
        SELECT r.ctid AS row_id, r.fiscal_year, r.scope, r.kind, r.row_count <= d.removed AS empties, d.removed
        FROM grouped d JOIN trainings_reach r ON r.fiscal_year = d.fiscal_year AND r.scope = d.scope
            AND r.kind = d.kind AND r.value = d.value
        WHERE d.value <> '' AND r.fiscal_year = ANY ($1)
    ),
    -- Reach rows by their ctid (`= ANY` of an array: a TID scan, never a scan of the table).
    emptied AS (
        DELETE FROM trainings_reach r WHERE r.ctid = ANY (ARRAY(SELECT row_id FROM matched WHERE empties))
    ),
    lowered AS (
        UPDATE trainings_reach r SET row_count = r.row_count - m.removed FROM matched m
        WHERE r.ctid = ANY (ARRAY(SELECT row_id FROM matched WHERE NOT empties)) AND r.ctid = m.row_id
    )
    UPDATE trainings_reachtotal t
    SET persons = t.persons - e.persons, organizations = t.organizations - e.organizations, wards = t.wards - e.wards
    FROM (
        SELECT fiscal_year, scope, count(*) FILTER (WHERE kind = 'p') AS persons,
            count(*) FILTER (WHERE kind = 'o') AS organizations, count(*) FILTER (WHERE kind = 'w') AS wards
        FROM matched WHERE empties GROUP BY fiscal_year, scope
    ) e
    WHERE t.fiscal_year = e.fiscal_year AND t.scope = e.scope
"""
DELETE_FUNCTION = f"""
    CREATE OR REPLACE FUNCTION trainings_reach_delete() RETURNS trigger LANGUAGE plpgsql
    SET work_mem = '64MB' SET jit = off
    AS $function$
    DECLARE
        years smallint[];
    BEGIN
        PERFORM pg_advisory_xact_lock(140801);
        SELECT array_agg(DISTINCT s.fiscal_year) INTO years
        FROM trainings_trainingsession s WHERE s.id IN (SELECT session_id FROM old_rows);
        EXECUTE $statement${DELETE_STATEMENT}$statement$ USING years;
        RETURN NULL;
    END $function$
"""


def previous_delete_function():
    """Return 0008's CREATE FUNCTION of the delete trigger, as CREATE OR REPLACE (to migrate back)."""
    name = "trainings_reach_delete"
    sql = reach_0008.PG_FUNCTION.format(
        name=name, lock=reach_0008.LOCK, apply=reach_0008.PG_APPLY.format(moves=reach_0008.PG_MOVES[name])
    )
    return sql.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DELETE_FUNCTION)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(previous_delete_function())


class Migration(migrations.Migration):
    dependencies = [
        ("trainings", "0014_sqlite_reach_pause"),
    ]

    operations = [migrations.RunPython(forward, backward)]
