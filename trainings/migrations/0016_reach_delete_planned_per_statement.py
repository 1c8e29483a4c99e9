"""Keep the reach tables on delete with one grouped statement planned for its own size (PostgreSQL; issue 13, point 4).

Migration 0008's statement trigger handles a delete like any write, and its function turns hash
and merge joins off so that a small write never hashes the whole reach table (a million rows at
city scale). For an undo of 200,000 rows that meant 200,000 index probes of the sessions, 914,304
(year, scope, kind, value) rows grouped into 126,060 keys, and two probes of the reach primary key
per key (once to delete, once to update): about 90 % of the undo's time (README, "Undo of 200,000 rows").

A delete only subtracts: no key is added. The function below groups the deleted rows into keys in
one pass (GROUPING SETS: each kind per category and for the whole year), finds each key's reach
row once (`matched`: its ctid and whether the count falls to 0), deletes the emptied rows and
lowers the others by ctid, and takes the emptied keys off the totals. It finds the reach rows in
one of two ways, chosen from the number of deleted rows and the number of keys their fiscal years
hold (the totals count them): a delete as big as an eighth of those keys (an undo) hashes the
years' reach rows, never the other years'; a smaller one (the admin's) probes the primary key once
per key, as PostgreSQL's cost model would not (it prices a probe as a disk read and hashed a city's
million keys for a 5,000-row delete). The statement runs through EXECUTE, so it is planned for
each delete knowing how many rows went (a transition table's row count is the planner's estimate;
a static statement keeps the plan of the backend's first delete, whatever its size): the sessions
are hashed for an undo, probed for one row. Hash joins are no longer turned off; JIT is (compiling
the plan cost more than running it). Same stored rows, same advisory lock, taken before the
statement's snapshot. Measured with bench/undo_reach_ab.py, interleaved on one database: README,
"Undo of 200,000 rows".

Insert and update keep their functions (0013, 0008); SQLite keeps its row triggers.
"""

# ruff: noqa: S608 -- SQL built from this module's constants only, never from input
import importlib

from django.db import migrations

reach_0008 = importlib.import_module("trainings.migrations.0008_reach_per_year_and_category")

# Each key's reach row (its ctid and count) comes from `{reach}`, given the grouped key `d`: one
# of the two sources below. $1 holds the deleted rows' fiscal years.
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
    matched AS MATERIALIZED (
        SELECT r.row_id, d.fiscal_year, d.scope, d.kind, r.row_count <= d.removed AS empties, d.removed
        FROM grouped d {reach}
        WHERE d.value <> ''
    ),
    -- Reach rows by their ctid, in a TID scan (never a scan of the table): the emptied ones
    -- from a list, the lowered ones from a list zipped with what each loses.
    emptied AS (
        DELETE FROM trainings_reach r WHERE r.ctid = ANY (ARRAY(SELECT row_id FROM matched WHERE empties))
    ),
    lowered AS (
        UPDATE trainings_reach r SET row_count = r.row_count - u.removed
        FROM (
            SELECT array_agg(row_id ORDER BY row_id) AS row_ids, array_agg(removed ORDER BY row_id) AS removed
            FROM matched WHERE NOT empties
        ) a, unnest(a.row_ids, a.removed) AS u (row_id, removed)
        WHERE r.ctid = u.row_id
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
KEY = "r.fiscal_year = d.fiscal_year AND r.scope = d.scope AND r.kind = d.kind AND r.value = d.value"
# A big delete: the years' reach rows joined to the keys (PostgreSQL hashes them).
HASHED = (
    "JOIN (SELECT ctid AS row_id, fiscal_year, scope, kind, value, row_count FROM trainings_reach "
    f"WHERE fiscal_year = ANY ($1)) r ON {KEY}"
)
# A small one: one probe of the primary key per key (OFFSET 0 keeps the subquery a nested loop).
PROBED = f"CROSS JOIN LATERAL (SELECT ctid AS row_id, row_count FROM trainings_reach r WHERE {KEY} OFFSET 0) r"
# Hashing a reach row costs about an eighth of probing the primary key for a key (measured with
# bench/undo_reach_ab.py), and a deleted row gives about one key: hash when the deleted rows
# outnumber an eighth of their years' keys (which the totals count: one key per person, organisation, ward).
DELETE_FUNCTION = f"""
    CREATE OR REPLACE FUNCTION trainings_reach_delete() RETURNS trigger LANGUAGE plpgsql
    SET work_mem = '64MB' SET jit = off
    AS $function$
    DECLARE
        years smallint[];
        deleted bigint;
        year_keys bigint;
    BEGIN
        PERFORM pg_advisory_xact_lock(140801);
        SELECT array_agg(DISTINCT s.fiscal_year) INTO years
        FROM trainings_trainingsession s WHERE s.id IN (SELECT session_id FROM old_rows);
        SELECT count(*) INTO deleted FROM old_rows;
        SELECT COALESCE(sum(persons + organizations + wards), 0) INTO year_keys
        FROM trainings_reachtotal WHERE fiscal_year = ANY (years);
        IF deleted * 8 > year_keys THEN
            EXECUTE $statement${DELETE_STATEMENT.format(reach=HASHED)}$statement$ USING years;
        ELSE
            EXECUTE $statement${DELETE_STATEMENT.format(reach=PROBED)}$statement$ USING years;
        END IF;
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
        ("trainings", "0015_sqlite_pause_year_and_count"),
    ]

    operations = [migrations.RunPython(forward, backward)]
