"""System check: the database keeps the derived figures only if it has the triggers that keep them.

A session's attendance_count and each attendance row's fiscal_year are kept by triggers that
migrations 0004 and 0005 create; the persons, organisations and wards reached per year and
category (trainings.reach) by those of migration 0008. A database built without them (tables made by `migrate
--run-syncdb` or a test run with --nomigrations, a schema restored without triggers, a trigger
dropped or disabled by hand) would show wrong figures without any error, so the check fails
instead. It is tagged `database` (it reads the database's catalog): Django runs it with
`manage.py check --database default`, before `migrate` and in Django's test runner; the pytest
suite calls missing_triggers() itself (tests/conftest.py). It stays silent until migration 0005
is applied, so that `migrate` can build a fresh database, asks for 0008's triggers once 0008
is applied, and on PostgreSQL for 0018's (the update trigger of the year, the check of inserted
years) once 0018 is applied.
"""

from django.core.checks import Error, Tags, register
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

ATTENDANCE = "trainings_attendance"
SESSION = "trainings_trainingsession"
TRIGGER_MIGRATION = ("trainings", "0005_attendance_fiscal_year")
REACH_MIGRATION = ("trainings", "0008_reach_per_year_and_category")
FISCAL_YEAR_CHECK_MIGRATION = ("trainings", "0018_pg_fiscal_year_checked_per_statement")
# (table, trigger) as migrations 0004 (row counts) and 0005 (years) create them, per database.
COMMON_TRIGGERS = {
    (ATTENDANCE, "trainings_attendance_count_insert"),
    (ATTENDANCE, "trainings_attendance_count_delete"),
    (ATTENDANCE, "trainings_attendance_count_update"),
    (ATTENDANCE, "trainings_attendance_set_fiscal_year"),
    (SESSION, "trainings_session_move_attendance_year"),
}
# (table, trigger) as migration 0008 creates them (the same names on both databases).
REACH_TRIGGERS = {
    (ATTENDANCE, "trainings_reach_insert"),
    (ATTENDANCE, "trainings_reach_delete"),
    (ATTENDANCE, "trainings_reach_update"),
    (SESSION, "trainings_reach_session_move"),
}
# (table, trigger) as migration 0018 creates them, per database (PostgreSQL only: SQLite has had
# its update trigger of the year since 0005, and checks no inserted year).
FISCAL_YEAR_CHECK_TRIGGERS = {
    "postgresql": {
        (ATTENDANCE, "trainings_attendance_reset_fiscal_year"),
        (ATTENDANCE, "trainings_attendance_check_fiscal_year"),
    },
    "sqlite": set(),
}
REQUIRED_TRIGGERS = {
    "postgresql": COMMON_TRIGGERS | REACH_TRIGGERS | FISCAL_YEAR_CHECK_TRIGGERS["postgresql"],
    "sqlite": COMMON_TRIGGERS | REACH_TRIGGERS | {(ATTENDANCE, "trainings_attendance_reset_fiscal_year")},
}

_CATALOG = {
    # Disabled triggers (ALTER TABLE … DISABLE TRIGGER) keep nothing: they count as missing.
    "postgresql": """
        SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND pg_table_is_visible(c.oid) AND c.relname IN (%s, %s)
    """,
    "sqlite": "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (%s, %s)",
}


def missing_triggers(connection, *, with_reach=True, with_fiscal_year_check=True):
    """Return the sorted names of the derived-figure triggers `connection`'s database lacks.

    `with_reach=False` leaves out migration 0008's, `with_fiscal_year_check=False` migration
    0018's (for a database not migrated that far).
    Raises NotImplementedError for a database other than PostgreSQL and SQLite (the migrations
    refuse those too).
    """
    vendor = connection.vendor
    if vendor not in REQUIRED_TRIGGERS:
        raise NotImplementedError(f"the derived-figure triggers exist for PostgreSQL and SQLite, not {vendor}")
    with connection.cursor() as cursor:
        cursor.execute(_CATALOG[vendor], [ATTENDANCE, SESSION])
        present = {(table, name) for table, name in cursor.fetchall()}
    required = REQUIRED_TRIGGERS[vendor]
    if not with_reach:
        required = required - REACH_TRIGGERS
    if not with_fiscal_year_check:
        required = required - FISCAL_YEAR_CHECK_TRIGGERS[vendor]
    return sorted(name for table, name in required - present)


@register(Tags.database)
def check_derived_figure_triggers(app_configs=None, databases=None, **kwargs):
    """Return an Error per database (of `databases`) that was migrated but lacks the triggers."""
    errors = []
    for alias in databases or []:
        connection = connections[alias]
        applied = MigrationRecorder(connection).applied_migrations()
        if TRIGGER_MIGRATION not in applied:
            continue  # not migrated yet: `migrate` creates the triggers
        try:
            missing = missing_triggers(
                connection,
                with_reach=REACH_MIGRATION in applied,
                with_fiscal_year_check=FISCAL_YEAR_CHECK_MIGRATION in applied,
            )
        except NotImplementedError as error:
            errors.append(Error(str(error), id="trainings.E002"))
            continue
        if missing:
            errors.append(
                Error(
                    f"データベース「{alias}」に、研修の参加者数・出席者の年度・年度別の到達数を保つトリガーが"
                    f"ありません: {', '.join(missing)}。このままでは集計が誤ります。",
                    hint=(
                        "manage.py migrate trainings 0003 のあと manage.py migrate でトリガーを作り直し、"
                        "manage.py check_attendance_counts で数値を確かめてください。"
                    ),
                    id="trainings.E001",
                )
            )
    return errors
