"""Keep whom the attendance rows reached per fiscal year and category, by database triggers (issue 14).

The dashboard counted a year's distinct persons (COUNT(DISTINCT person_key)) and grouped its
rows by organisation and ward: 150–210 ms of SQL at a million rows. trainings.reach's two
tables now hold those answers, and the triggers below keep them right in the same transaction
as every write, whatever code writes (the import's bulk_create, cascades, the admin, the
retention purge's bulk_update, QuerySet.update, loaddata, raw SQL):

- attendance insert / delete / update of session_id, person_key, organization_id or ward_id;
- a session whose fiscal year or category changes moves its rows' contributions.

PostgreSQL: statement-level triggers with transition tables (a session's move: row-level), one
grouped statement per write that deletes, changes or adds each key it touches and counts the
keys that appeared or disappeared into the totals; a transaction-level advisory lock serialises
the writers of these tables (two imports at once queue instead of deadlocking on the shared
per-year rows, and one snapshot of the keys is enough). SQLite: row-level triggers. A session's rows are deleted before the session (Django's cascade order; the foreign key forbids
the opposite outside a deferred-constraint transaction): the triggers read the year and
category of the row's session. Other databases are refused, as in 0004 and 0005.
"""

# ruff: noqa: S608 -- SQL built from this module's constants only, never from input
import django.db.models.manager
from django.db import migrations, models

from trainings.reach import rebuild_statements

ATTENDANCE = "trainings_attendance"
SESSION = "trainings_trainingsession"
LOCK = "PERFORM pg_advisory_xact_lock(140801)"  # any constant of this project: the reach tables' writers

# ---- PostgreSQL: `moves` yields (fiscal_year, category_key, person_key, organization_id, ward_id, delta).
PG_APPLY = """
    WITH moves AS ({moves}),
    keyed AS (
        SELECT fiscal_year, scope, 'p' AS kind, person_key AS value, delta
        FROM moves, LATERAL (VALUES (category_key), (0)) AS scopes (scope) WHERE person_key <> ''
        UNION ALL
        SELECT fiscal_year, scope, 'o', organization_id::varchar, delta
        FROM moves, LATERAL (VALUES (category_key), (0)) AS scopes (scope) WHERE organization_id IS NOT NULL
        UNION ALL
        SELECT fiscal_year, scope, 'w', ward_id::varchar, delta
        FROM moves, LATERAL (VALUES (category_key), (0)) AS scopes (scope) WHERE ward_id IS NOT NULL
    ),
    deltas AS (
        SELECT fiscal_year, scope, kind, value, sum(delta)::integer AS delta FROM keyed
        GROUP BY fiscal_year, scope, kind, value HAVING sum(delta) <> 0
    ),
    -- Each key is emptied (deleted), changed or added, never two of these: one snapshot decides.
    -- A key exists only while its count is above 0, so only the first and the last turn a total.
    emptied AS (
        DELETE FROM trainings_reach r USING deltas d
        WHERE r.fiscal_year = d.fiscal_year AND r.scope = d.scope AND r.kind = d.kind AND r.value = d.value
            AND r.row_count + d.delta <= 0
        RETURNING r.fiscal_year, r.scope, r.kind, -1 AS turn
    ),
    changed AS (
        UPDATE trainings_reach r SET row_count = r.row_count + d.delta FROM deltas d
        WHERE r.fiscal_year = d.fiscal_year AND r.scope = d.scope AND r.kind = d.kind AND r.value = d.value
            AND r.row_count + d.delta > 0
    ),
    added AS (
        INSERT INTO trainings_reach (fiscal_year, scope, kind, value, row_count)
        SELECT fiscal_year, scope, kind, value, delta FROM deltas d WHERE d.delta > 0 AND NOT EXISTS (
            SELECT 1 FROM trainings_reach r
            WHERE r.fiscal_year = d.fiscal_year AND r.scope = d.scope AND r.kind = d.kind AND r.value = d.value
        )
        RETURNING fiscal_year, scope, kind, 1 AS turn
    ),
    turns AS (SELECT * FROM emptied UNION ALL SELECT * FROM added)
    INSERT INTO trainings_reachtotal AS t (fiscal_year, scope, persons, organizations, wards)
    SELECT fiscal_year, scope,
        coalesce(sum(turn) FILTER (WHERE kind = 'p'), 0),
        coalesce(sum(turn) FILTER (WHERE kind = 'o'), 0),
        coalesce(sum(turn) FILTER (WHERE kind = 'w'), 0)
    FROM turns GROUP BY fiscal_year, scope
    ON CONFLICT (fiscal_year, scope) DO UPDATE SET persons = t.persons + excluded.persons,
        organizations = t.organizations + excluded.organizations, wards = t.wards + excluded.wards;
"""
PG_FUNCTION = """
    CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql
    -- An import's statement groups tens of thousands of keys: in memory, not on disk; and each key
    -- is found through the primary key, never by hashing the whole table (a million rows at city scale).
    SET work_mem = '64MB' SET enable_hashjoin = off SET enable_mergejoin = off
    AS $$
    BEGIN
        {lock};
        {apply}
        RETURN NULL;
    END $$
"""


def _pg_rows(rows, delta, session_column="session_id", where=""):
    return (
        f"SELECT s.fiscal_year, COALESCE(s.category_id, -1) AS category_key, {rows}.person_key, "
        f"{rows}.organization_id, {rows}.ward_id, {delta} AS delta FROM {{source}} "
        f"JOIN {SESSION} s ON s.id = {rows}.{session_column}{where}"
    )


CHANGED = (
    " WHERE (o.session_id, o.person_key, o.organization_id, o.ward_id)"
    " IS DISTINCT FROM (n.session_id, n.person_key, n.organization_id, n.ward_id)"
)
PG_MOVES = {
    "trainings_reach_insert": _pg_rows("n", 1).format(source="new_rows n"),
    "trainings_reach_delete": _pg_rows("o", -1).format(source="old_rows o"),
    "trainings_reach_update": " UNION ALL ".join(
        [
            _pg_rows("o", -1, where=CHANGED).format(source="old_rows o JOIN new_rows n ON n.id = o.id"),
            _pg_rows("n", 1, where=CHANGED).format(source="old_rows o JOIN new_rows n ON n.id = o.id"),
        ]
    ),
    "trainings_reach_session_move": (
        "SELECT OLD.fiscal_year AS fiscal_year, COALESCE(OLD.category_id, -1) AS category_key, a.person_key, "
        "a.organization_id, a.ward_id, -1 AS delta "
        f"FROM {ATTENDANCE} a WHERE a.session_id = NEW.id UNION ALL "
        "SELECT NEW.fiscal_year, COALESCE(NEW.category_id, -1), a.person_key, a.organization_id, a.ward_id, 1 "
        f"FROM {ATTENDANCE} a WHERE a.session_id = NEW.id"
    ),
}
POSTGRES_FORWARD = [
    *(
        PG_FUNCTION.format(
            name=name,
            lock=LOCK,
            apply=PG_APPLY.format(moves=moves),
        )
        for name, moves in PG_MOVES.items()
    ),
    f"""CREATE TRIGGER trainings_reach_insert AFTER INSERT ON {ATTENDANCE}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trainings_reach_insert()""",
    f"""CREATE TRIGGER trainings_reach_delete AFTER DELETE ON {ATTENDANCE}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION trainings_reach_delete()""",
    f"""CREATE TRIGGER trainings_reach_update AFTER UPDATE ON {ATTENDANCE}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trainings_reach_update()""",
    f"""CREATE TRIGGER trainings_reach_session_move AFTER UPDATE OF fiscal_year, category_id ON {SESSION}
    FOR EACH ROW WHEN (OLD.fiscal_year IS DISTINCT FROM NEW.fiscal_year OR OLD.category_id IS DISTINCT FROM NEW.category_id)
    EXECUTE FUNCTION trainings_reach_session_move()""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS trainings_reach_insert ON trainings_attendance",
    "DROP TRIGGER IF EXISTS trainings_reach_delete ON trainings_attendance",
    "DROP TRIGGER IF EXISTS trainings_reach_update ON trainings_attendance",
    "DROP TRIGGER IF EXISTS trainings_reach_session_move ON trainings_trainingsession",
    *(f"DROP FUNCTION IF EXISTS {name}()" for name in PG_MOVES),
]

# ---- SQLite: row triggers. `fy`/`cat` are the year and category key of the row's session.
KINDS = (  # kind, the value of row R, the condition for R to reach something of the kind
    ("p", "{R}.person_key", "{R}.person_key <> ''"),
    ("o", "CAST({R}.organization_id AS VARCHAR(320))", "{R}.organization_id IS NOT NULL"),
    ("w", "CAST({R}.ward_id AS VARCHAR(320))", "{R}.ward_id IS NOT NULL"),
)
TOTAL_COLUMNS = {"p": "persons", "o": "organizations", "w": "wards"}
UPSERT_TOTAL = (
    " ON CONFLICT (fiscal_year, scope) DO UPDATE SET persons = persons + excluded.persons,"
    " organizations = organizations + excluded.organizations, wards = wards + excluded.wards"
)


def _reach_key(fy, scope, kind, value):
    return f"fiscal_year = {fy} AND scope = {scope} AND kind = '{kind}' AND value = {value}"


def _sqlite_add_row(R):
    """Statements adding row R (NEW): the totals first (a key not yet reached turns 0 → 1), then the keys."""
    fy = f"(SELECT fiscal_year FROM {SESSION} WHERE id = {R}.session_id)"
    cat = f"COALESCE((SELECT category_id FROM {SESSION} WHERE id = {R}.session_id), -1)"
    statements = []
    for scope in (cat, "0"):
        new = [
            f"({cond.format(R=R)} AND NOT EXISTS (SELECT 1 FROM trainings_reach WHERE "
            f"{_reach_key(fy, scope, kind, value.format(R=R))}))"
            for kind, value, cond in KINDS
        ]
        statements.append(
            "INSERT INTO trainings_reachtotal (fiscal_year, scope, persons, organizations, wards) "
            f"VALUES ({fy}, {scope}, {', '.join(new)}){UPSERT_TOTAL}"
        )
        statements.extend(
            "INSERT INTO trainings_reach (fiscal_year, scope, kind, value, row_count) "
            f"SELECT {fy}, {scope}, '{kind}', {value.format(R=R)}, 1 WHERE {cond.format(R=R)} "
            "ON CONFLICT (fiscal_year, scope, kind, value) DO UPDATE SET row_count = row_count + 1"
            for kind, value, cond in KINDS
        )
    return statements


def _sqlite_remove_row(R):
    """Statements removing row R (OLD): the keys, then the totals (keys whose count fell to 0), then those keys."""
    fy = f"(SELECT fiscal_year FROM {SESSION} WHERE id = {R}.session_id)"
    cat = f"COALESCE((SELECT category_id FROM {SESSION} WHERE id = {R}.session_id), -1)"
    statements = []
    for scope in (cat, "0"):
        keys = [(kind, _reach_key(fy, scope, kind, value.format(R=R))) for kind, value, _ in KINDS]
        statements.extend(f"UPDATE trainings_reach SET row_count = row_count - 1 WHERE {key}" for _, key in keys)
        emptied = ", ".join(
            f"{TOTAL_COLUMNS[kind]} = {TOTAL_COLUMNS[kind]} - "
            f"EXISTS (SELECT 1 FROM trainings_reach WHERE {key} AND row_count <= 0)"
            for kind, key in keys
        )
        statements.append(f"UPDATE trainings_reachtotal SET {emptied} WHERE fiscal_year = {fy} AND scope = {scope}")
        statements.extend(f"DELETE FROM trainings_reach WHERE {key} AND row_count <= 0" for _, key in keys)
    return statements


def _sqlite_emptied_totals(fy, scope, when="1"):
    """The totals' update for keys of (fy, scope) whose count fell to 0 (a primary-key range, one year's)."""
    emptied = ", ".join(
        f"{column} = {column} - (SELECT COUNT(*) FROM trainings_reach WHERE fiscal_year = {fy} "
        f"AND scope = {scope} AND kind = '{kind}' AND row_count <= 0)"
        for kind, column in TOTAL_COLUMNS.items()
    )
    return f"UPDATE trainings_reachtotal SET {emptied} WHERE fiscal_year = {fy} AND scope = {scope} AND {when}"


def _sqlite_move_session():
    """Statements moving a session's rows from its old year and category (OLD) to the new ones (NEW)."""
    rows = f"FROM {ATTENDANCE} a WHERE a.session_id = NEW.id"
    # The whole-year scope moves only when the year does.
    scopes = (("COALESCE({S}.category_id, -1)", "1"), ("0", "OLD.fiscal_year IS NOT NEW.fiscal_year"))
    statements = []
    for scope, when in scopes:
        old_scope = scope.format(S="OLD")
        for kind, value, cond in KINDS:
            mine = value.format(R="a")
            statements.append(
                f"UPDATE trainings_reach SET row_count = row_count - (SELECT COUNT(*) {rows} AND {mine} = "
                f"trainings_reach.value) WHERE fiscal_year = OLD.fiscal_year AND scope = {old_scope} "
                f"AND kind = '{kind}' AND value IN (SELECT {mine} {rows} AND {cond.format(R='a')}) AND {when}"
            )
        statements.append(_sqlite_emptied_totals("OLD.fiscal_year", old_scope, when))
        statements.append(
            f"DELETE FROM trainings_reach WHERE fiscal_year = OLD.fiscal_year AND scope = {old_scope} AND row_count <= 0"
        )
    for scope, when in scopes:
        new_scope = scope.format(S="NEW")
        new = [
            f"(SELECT COUNT(DISTINCT {value.format(R='a')}) {rows} AND {cond.format(R='a')} AND NOT EXISTS "
            f"(SELECT 1 FROM trainings_reach WHERE {_reach_key('NEW.fiscal_year', new_scope, kind, value.format(R='a'))}))"
            for kind, value, cond in KINDS
        ]
        statements.append(
            "INSERT INTO trainings_reachtotal (fiscal_year, scope, persons, organizations, wards) "
            f"SELECT NEW.fiscal_year, {new_scope}, {', '.join(new)} WHERE {when}{UPSERT_TOTAL}"
        )
        statements.extend(
            "INSERT INTO trainings_reach (fiscal_year, scope, kind, value, row_count) "
            f"SELECT NEW.fiscal_year, {new_scope}, '{kind}', {value.format(R='a')}, COUNT(*) {rows} "
            f"AND {cond.format(R='a')} AND {when} GROUP BY {value.format(R='a')} "
            "ON CONFLICT (fiscal_year, scope, kind, value) DO UPDATE SET row_count = row_count + excluded.row_count"
            for kind, value, cond in KINDS
        )
    return statements


def _sqlite_trigger(name, event, statements, when=None):
    condition = f" WHEN {when}" if when else ""
    body = ";\n        ".join(statements)
    return f"CREATE TRIGGER {name} {event}{condition}\n    BEGIN\n        {body};\n    END"


SQLITE_FORWARD = [
    _sqlite_trigger("trainings_reach_insert", f"AFTER INSERT ON {ATTENDANCE}", _sqlite_add_row("NEW")),
    _sqlite_trigger("trainings_reach_delete", f"AFTER DELETE ON {ATTENDANCE}", _sqlite_remove_row("OLD")),
    _sqlite_trigger(
        "trainings_reach_update",
        f"AFTER UPDATE OF session_id, person_key, organization_id, ward_id ON {ATTENDANCE}",
        _sqlite_remove_row("OLD") + _sqlite_add_row("NEW"),
        when=" OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in ("session_id", "person_key", "organization_id", "ward_id")),
    ),
    _sqlite_trigger(
        "trainings_reach_session_move",
        f"AFTER UPDATE OF fiscal_year, category_id ON {SESSION}",
        _sqlite_move_session(),
        when="OLD.fiscal_year IS NOT NEW.fiscal_year OR OLD.category_id IS NOT NEW.category_id",
    ),
]
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS {name}" for name in PG_MOVES]


def _statements(vendor, forward):
    if vendor == "postgresql":
        return POSTGRES_FORWARD if forward else POSTGRES_BACKWARD
    if vendor == "sqlite":
        return SQLITE_FORWARD if forward else SQLITE_BACKWARD
    raise NotImplementedError(f"reach triggers are written for PostgreSQL and SQLite, not {vendor}")


def create_triggers(apps, schema_editor):
    for sql in rebuild_statements():
        schema_editor.execute(sql)
    for sql in _statements(schema_editor.connection.vendor, forward=True):
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    for sql in _statements(schema_editor.connection.vendor, forward=False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("trainings", "0007_attendance_search_key"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReachTotal",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "fiscal_year", "scope", blank=True, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("fiscal_year", models.PositiveSmallIntegerField(verbose_name="年度")),
                (
                    "scope",
                    models.IntegerField(
                        help_text="研修区分のID。0は年度全体、-1は区分なしの研修。", verbose_name="範囲"
                    ),
                ),
                ("persons", models.IntegerField(default=0, verbose_name="実人数")),
                ("organizations", models.IntegerField(default=0, verbose_name="登録団体数")),
                ("wards", models.IntegerField(default=0, verbose_name="区の数")),
            ],
            options={
                "verbose_name": "名簿の到達数（集計用）",
                "verbose_name_plural": "名簿の到達数（集計用）",
                "default_manager_name": "dumped",
            },
            managers=[
                ("dumped", django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name="Reach",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "fiscal_year",
                        "scope",
                        "kind",
                        "value",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("fiscal_year", models.PositiveSmallIntegerField(verbose_name="年度")),
                (
                    "scope",
                    models.IntegerField(
                        help_text="研修区分のID。0は年度全体、-1は区分なしの研修。", verbose_name="範囲"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("p", "参加者（実人数）"), ("o", "登録団体"), ("w", "区")],
                        max_length=1,
                        verbose_name="種類",
                    ),
                ),
                ("value", models.CharField(max_length=320, verbose_name="値")),
                ("row_count", models.IntegerField(verbose_name="名簿の行数")),
            ],
            options={
                "verbose_name": "名簿の到達先（集計用）",
                "verbose_name_plural": "名簿の到達先（集計用）",
                "default_manager_name": "dumped",
            },
            managers=[
                ("dumped", django.db.models.manager.Manager()),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
