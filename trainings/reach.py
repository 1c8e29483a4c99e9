"""Whom the attendance rows reached, per fiscal year and training category, kept by database triggers.

The dashboard's yearly figures — distinct persons (実人数), registered organisations and wards
reached — were COUNT(DISTINCT …) and GROUP BY scans of a year's 100,000 attendance rows at city
scale. These two tables hold the answer instead, kept right by the triggers of migration 0008 in
the same transaction as every write of the rows (insert, delete, a row's session, name,
organisation or ward changed, a session's date or category changed), so a page reads a few
hundred rows whatever the data size:

- `Reach`: one row per (fiscal year, scope, kind, value) with `row_count` > 0, the attendance rows
  of that year and scope whose person key / organisation id / ward id is `value`. A row whose
  count falls to 0 is deleted (by its key: no index on the count, so that a changed count is a
  HOT update on PostgreSQL).
- `ReachTotal`: per (fiscal year, scope), how many `Reach` rows of each kind there are — the
  distinct persons, organisations and wards — changed by the triggers when a `Reach` row
  appears or disappears.

The scope is the session's category id, NO_CATEGORY for sessions without one, and WHOLE_YEAR for
the year as a whole (a person who attended two categories counts once there). Years and
categories are the sessions' (the rows' session as it is now). Rows without a person key (no
name), organisation or ward are not reached in that kind.

Both tables are derived: never written by Django, never dumped (`dumpdata` reads the default
manager, which is empty: a JSON backup reloads them through the triggers). `manage.py
check_attendance_counts` compares them with the rows, `--fix` rebuilds them (rebuild_statements).
"""

# ruff: noqa: S608 -- SQL built from this module's constants only, never from input
import contextlib

from django.db import connections, models
from django.db.transaction import TransactionManagementError

WHOLE_YEAR = 0
NO_CATEGORY = -1


class ReachKind(models.TextChoices):
    PERSON = "p", "参加者（実人数）"
    ORGANIZATION = "o", "登録団体"
    WARD = "w", "区"


class NotDumpedManager(models.Manager):
    """The default manager of a derived table: empty, so that `dumpdata` writes none of its rows."""

    def get_queryset(self):
        return super().get_queryset().none()


class ReachQuerySet(models.QuerySet):
    def for_year(self, fiscal_year, scope=WHOLE_YEAR):
        """Return the rows of `fiscal_year` in `scope` (WHOLE_YEAR unless a category id is given)."""
        return self.filter(fiscal_year=fiscal_year, scope=scope)


class Reach(models.Model):
    """One person key, organisation id or ward id that a year's attendance rows reached (trigger-kept)."""

    # The natural key is the primary key: no id column, sequence or second index to keep per row.
    pk = models.CompositePrimaryKey("fiscal_year", "scope", "kind", "value")
    fiscal_year = models.PositiveSmallIntegerField("年度")
    scope = models.IntegerField("範囲", help_text="研修区分のID。0は年度全体、-1は区分なしの研修。")
    kind = models.CharField("種類", max_length=1, choices=ReachKind.choices)
    value = models.CharField("値", max_length=320)
    row_count = models.IntegerField("名簿の行数")

    dumped = NotDumpedManager()
    objects = ReachQuerySet.as_manager()

    class Meta:
        verbose_name = "名簿の到達先（集計用）"
        verbose_name_plural = "名簿の到達先（集計用）"
        default_manager_name = "dumped"

    def __str__(self):
        return f"{self.fiscal_year} {self.scope} {self.get_kind_display()} {self.value}: {self.row_count}"


class ReachTotal(models.Model):
    """The distinct persons, organisations and wards a year's attendance rows reached in one scope (trigger-kept)."""

    pk = models.CompositePrimaryKey("fiscal_year", "scope")
    fiscal_year = models.PositiveSmallIntegerField("年度")
    scope = models.IntegerField("範囲", help_text="研修区分のID。0は年度全体、-1は区分なしの研修。")
    persons = models.IntegerField("実人数", default=0)
    organizations = models.IntegerField("登録団体数", default=0)
    wards = models.IntegerField("区の数", default=0)

    dumped = NotDumpedManager()
    objects = ReachQuerySet.as_manager()

    class Meta:
        verbose_name = "名簿の到達数（集計用）"
        verbose_name_plural = "名簿の到達数（集計用）"
        default_manager_name = "dumped"

    def __str__(self):
        return f"{self.fiscal_year} {self.scope}: {self.persons}人・{self.organizations}団体・{self.wards}区"


# What the rows give, per (kind, value expression, condition) over `a` (attendance) joined to `s`
# (its session), and per scope expression. Shared by the rebuild and the consistency check.
KIND_VALUES = (
    ("p", "a.person_key", "a.person_key <> ''"),
    ("o", "CAST(a.organization_id AS VARCHAR(320))", "a.organization_id IS NOT NULL"),
    ("w", "CAST(a.ward_id AS VARCHAR(320))", "a.ward_id IS NOT NULL"),
)
SCOPES = (f"COALESCE(s.category_id, {NO_CATEGORY})", str(WHOLE_YEAR))


def expected_reach_sql(rows=""):
    """Return a SELECT of (fiscal_year, scope, kind, value, row_count) recomputed from the attendance rows.

    `rows`, a condition on the attendance row `a` followed by AND, limits it to those rows.
    """
    return " UNION ALL ".join(
        f"SELECT s.fiscal_year, {scope} AS scope, '{kind}' AS kind, {value} AS value, COUNT(*) AS row_count "
        "FROM trainings_attendance a JOIN trainings_trainingsession s ON s.id = a.session_id "
        # A constant is no GROUP BY term (SQLite would read 0 as a column position).
        f"WHERE {rows}{condition} GROUP BY s.fiscal_year, {'' if scope == str(WHOLE_YEAR) else scope + ', '}{value}"
        for scope in SCOPES
        for kind, value, condition in KIND_VALUES
    )


def totals_sql(reach_table):
    """Return a SELECT of (fiscal_year, scope, persons, organizations, wards) counted from `reach_table`."""
    return (
        "SELECT fiscal_year, scope, "
        "SUM(CASE WHEN kind = 'p' THEN 1 ELSE 0 END) AS persons, "
        "SUM(CASE WHEN kind = 'o' THEN 1 ELSE 0 END) AS organizations, "
        "SUM(CASE WHEN kind = 'w' THEN 1 ELSE 0 END) AS wards "
        f"FROM {reach_table} GROUP BY fiscal_year, scope"
    )


def rebuild_statements():
    """Return the SQL statements that refill both tables from the attendance rows (migration 0008, --fix)."""
    return [
        "DELETE FROM trainings_reach",
        "DELETE FROM trainings_reachtotal",
        f"INSERT INTO trainings_reach (fiscal_year, scope, kind, value, row_count) {expected_reach_sql()}",
        "INSERT INTO trainings_reachtotal (fiscal_year, scope, persons, organizations, wards) "
        + totals_sql("trainings_reach"),
    ]


def mismatch_sql():
    """Return a SELECT of one count: stored Reach/ReachTotal rows that differ from the recomputed ones, both ways."""
    # A subquery each: compound SELECTs chain left to right (A EXCEPT B UNION ALL C is (A EXCEPT B) UNION ALL C).
    expected = f"SELECT * FROM ({expected_reach_sql()}) AS e"
    stored = "SELECT fiscal_year, scope, kind, value, row_count FROM trainings_reach"
    expected_totals = totals_sql(f"({expected_reach_sql()}) AS e")
    stored_totals = (
        "SELECT fiscal_year, scope, persons, organizations, wards FROM trainings_reachtotal "
        "WHERE persons <> 0 OR organizations <> 0 OR wards <> 0"
    )
    return (
        "SELECT "
        f"(SELECT COUNT(*) FROM ({expected} EXCEPT {stored}) AS m1) + "
        f"(SELECT COUNT(*) FROM ({stored} EXCEPT {expected}) AS m2) + "
        f"(SELECT COUNT(*) FROM ({expected_totals} EXCEPT {stored_totals}) AS m3) + "
        f"(SELECT COUNT(*) FROM ({stored_totals} EXCEPT {expected_totals}) AS m4)"
    )


# ---- SQLite: a sheet's rows reached set-based. SQLite has no statement triggers: its row trigger
# `trainings_reach_insert` (migration 0008) runs 8 statements for every inserted row, which made a
# 100,000-row import a fifth slower than before the reach tables. Migration 0014 lets it skip while
# PAUSE_TABLE holds a row, and migration 0015 the row triggers of the row's fiscal year (0005) and of
# its session's row count (0004); the import writes that row, inserts its rows, then sets their
# year and counts and adds their reach here, set-based, all in its one transaction (a failure rolls
# the pause back with the rows).
PAUSE_TABLE = "trainings_reachpause"
_ADDED = "temp.trainings_reach_added"


def _sheet_reach_sql():
    """Return expected_reach_sql() of one sheet's rows (6 parameters: the sheet id)."""
    return expected_reach_sql(rows="a.sheet_id = %s AND ")


def sheet_rows_statements(sheet_id):
    """Return [(sql, params)] doing for sheet `sheet_id`'s rows what the paused year and count triggers would have.

    SQLite, rows written while paused (migration 0015): each row's fiscal year is made its session's
    (as `trainings_attendance_set_fiscal_year` sets it), and each session's `attendance_count`
    grows by its rows in the sheet (as `trainings_attendance_count_insert` adds one a row).
    """
    session = "trainings_trainingsession"
    year = f"SELECT s.fiscal_year FROM {session} s WHERE s.id = trainings_attendance.session_id"
    # The import gives each row its session's year already (participants.py): then no row is
    # written twice, and a row given none or another is set here.
    return [
        (
            f"UPDATE trainings_attendance SET fiscal_year = ({year}) "
            f"WHERE sheet_id = %s AND fiscal_year IS NOT ({year})",
            [sheet_id],
        ),
        (
            f"UPDATE {session} SET attendance_count = attendance_count + (SELECT COUNT(*) FROM trainings_attendance a "
            f"WHERE a.session_id = {session}.id AND a.sheet_id = %s) "
            "WHERE id IN (SELECT DISTINCT session_id FROM trainings_attendance WHERE sheet_id = %s)",
            [sheet_id, sheet_id],
        ),
    ]


def add_sheet_statements(sheet_id):
    """Return [(sql, params)] adding the reach of sheet `sheet_id`'s rows (SQLite; rows written while paused).

    The totals first (a key not yet in the reach table is new: 0 → 1), then the keys' row counts,
    as the row trigger does for one row.
    """
    key = "r.fiscal_year = n.fiscal_year AND r.scope = n.scope AND r.kind = n.kind AND r.value = n.value"
    new = {column: f"SUM(CASE WHEN n.kind = '{kind}' AND r.value IS NULL THEN 1 ELSE 0 END)" for kind, column in
           (("p", "persons"), ("o", "organizations"), ("w", "wards"))}  # fmt: skip
    return [
        (
            "CREATE TEMP TABLE IF NOT EXISTS trainings_reach_added "
            "(fiscal_year INTEGER, scope INTEGER, kind TEXT, value TEXT, row_count INTEGER)",
            None,
        ),
        (f"DELETE FROM {_ADDED}", None),
        (f"INSERT INTO {_ADDED} (fiscal_year, scope, kind, value, row_count) {_sheet_reach_sql()}", [sheet_id] * 6),
        (
            "INSERT INTO trainings_reachtotal (fiscal_year, scope, persons, organizations, wards) "
            f"SELECT n.fiscal_year, n.scope, {new['persons']}, {new['organizations']}, {new['wards']} "
            f"FROM {_ADDED} n LEFT JOIN trainings_reach r ON {key} "
            # WHERE true: SQLite's upsert after a SELECT needs a WHERE clause to parse.
            "WHERE true GROUP BY n.fiscal_year, n.scope "
            "ON CONFLICT (fiscal_year, scope) DO UPDATE SET persons = persons + excluded.persons, "
            "organizations = organizations + excluded.organizations, wards = wards + excluded.wards",
            None,
        ),
        (
            "INSERT INTO trainings_reach (fiscal_year, scope, kind, value, row_count) "
            f"SELECT fiscal_year, scope, kind, value, row_count FROM {_ADDED} WHERE true "
            "ON CONFLICT (fiscal_year, scope, kind, value) DO UPDATE SET row_count = row_count + excluded.row_count",
            None,
        ),
        (f"DELETE FROM {_ADDED}", None),
        (f"DELETE FROM {PAUSE_TABLE}", None),
    ]


# ---- PostgreSQL: the same at the end of an import (migration 0019). Its statement triggers of the
# sessions' counts and of the reach skip while this transaction-local setting is 'on', and one
# function counts and reaches the sheet's rows at once (not once per COPY statement).
PG_BULK_SETTING = "trainings.rows_in_bulk"
PG_ADD_SHEET = "SELECT trainings_attendance_add_sheet(%s)"


@contextlib.contextmanager
def rows_reached_in_bulk(using, sheet_id):
    """Around the insert of sheet `sheet_id`'s rows, inside the caller's transaction: count and reach them at the end.

    Every row of the sheet must be inserted inside the block (the import's sheet record is new).
    On SQLite the row triggers of the reach, the row's fiscal year and the session's row count are
    paused (PAUSE_TABLE), and sheet_rows_statements then add_sheet_statements run after the block;
    on PostgreSQL the statement triggers of the counts and the reach skip (PG_BULK_SETTING, local
    to the transaction) and trainings_attendance_add_sheet runs after the block (migration 0019;
    the rows' fiscal years are set or checked as they are written, as outside an import). Inside
    the block the sessions' counts are those before the import and the reach has none of its rows
    (on SQLite the new rows' fiscal year is still empty too).
    When the block raises, nothing more is run: the caller's rollback takes the pause back too.
    Raises TransactionManagementError outside a transaction (the pause would not hold).
    """
    connection = connections[using]
    if not connection.in_atomic_block:
        raise TransactionManagementError("rows_reached_in_bulk needs the caller's transaction (transaction.atomic).")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [PG_BULK_SETTING])
        yield
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, '', true)", [PG_BULK_SETTING])
            cursor.execute(PG_ADD_SHEET, [sheet_id])
        return
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {PAUSE_TABLE} (id) VALUES (1)")
    yield
    with connection.cursor() as cursor:
        for sql, params in [*sheet_rows_statements(sheet_id), *add_sheet_statements(sheet_id)]:
            cursor.execute(sql, params)
