"""Store each session's attendance row count, kept by database triggers (issue 6, city scale).

Yearly roll-ups read a session's participant count for every session of a year; counting the
attendance rows in a correlated subquery made the dashboard take seconds with a million rows.
The count is now a column that triggers on trainings_attendance keep right on every insert,
delete and change of session, whatever code writes the rows (the import's bulk_create, cascade
deletes of sheets and sessions, the admin inline, loaddata, raw SQL).

PostgreSQL: statement-level triggers with transition tables (one UPDATE per session per
statement, sessions locked in id order so that concurrent imports cannot deadlock on them).
SQLite: row-level triggers. Other databases are refused rather than left with a stale count.
"""

from django.db import migrations, models

# The net change of each session's count, applied one session at a time in id order.
POSTGRES_FUNCTION = """
    CREATE FUNCTION trainings_attendance_count_{name}() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        item record;
    BEGIN
        FOR item IN
            SELECT session_id, sum(delta) AS delta FROM ({moves}) AS moves
            GROUP BY session_id HAVING sum(delta) <> 0 ORDER BY session_id
        LOOP
            UPDATE trainings_trainingsession SET attendance_count = attendance_count + item.delta
            WHERE id = item.session_id;
        END LOOP;
        RETURN NULL;
    END $$
"""
ADDED = "SELECT session_id, 1 AS delta FROM new_rows"
REMOVED = "SELECT session_id, -1 AS delta FROM old_rows"
POSTGRES_FORWARD = [
    POSTGRES_FUNCTION.format(name="insert", moves=ADDED),
    POSTGRES_FUNCTION.format(name="delete", moves=REMOVED),
    POSTGRES_FUNCTION.format(name="update", moves=f"{ADDED} UNION ALL {REMOVED}"),
    """
    CREATE TRIGGER trainings_attendance_count_insert AFTER INSERT ON trainings_attendance
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trainings_attendance_count_insert()
    """,
    """
    CREATE TRIGGER trainings_attendance_count_delete AFTER DELETE ON trainings_attendance
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION trainings_attendance_count_delete()
    """,
    """
    CREATE TRIGGER trainings_attendance_count_update AFTER UPDATE ON trainings_attendance
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION trainings_attendance_count_update()
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS trainings_attendance_count_insert ON trainings_attendance",
    "DROP TRIGGER IF EXISTS trainings_attendance_count_delete ON trainings_attendance",
    "DROP TRIGGER IF EXISTS trainings_attendance_count_update ON trainings_attendance",
    "DROP FUNCTION IF EXISTS trainings_attendance_count_insert()",
    "DROP FUNCTION IF EXISTS trainings_attendance_count_delete()",
    "DROP FUNCTION IF EXISTS trainings_attendance_count_update()",
]
SQLITE_FORWARD = [
    """
    CREATE TRIGGER trainings_attendance_count_insert AFTER INSERT ON trainings_attendance
    BEGIN
        UPDATE trainings_trainingsession SET attendance_count = attendance_count + 1 WHERE id = NEW.session_id;
    END
    """,
    """
    CREATE TRIGGER trainings_attendance_count_delete AFTER DELETE ON trainings_attendance
    BEGIN
        UPDATE trainings_trainingsession SET attendance_count = attendance_count - 1 WHERE id = OLD.session_id;
    END
    """,
    """
    CREATE TRIGGER trainings_attendance_count_update AFTER UPDATE OF session_id ON trainings_attendance
    WHEN OLD.session_id IS NOT NEW.session_id
    BEGIN
        UPDATE trainings_trainingsession SET attendance_count = attendance_count - 1 WHERE id = OLD.session_id;
        UPDATE trainings_trainingsession SET attendance_count = attendance_count + 1 WHERE id = NEW.session_id;
    END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS trainings_attendance_count_insert",
    "DROP TRIGGER IF EXISTS trainings_attendance_count_delete",
    "DROP TRIGGER IF EXISTS trainings_attendance_count_update",
]
BACKFILL = """
    UPDATE trainings_trainingsession SET attendance_count = (
        SELECT count(*) FROM trainings_attendance WHERE trainings_attendance.session_id = trainings_trainingsession.id
    )
"""


def _statements(vendor, forward):
    if vendor == "postgresql":
        return POSTGRES_FORWARD if forward else POSTGRES_BACKWARD
    if vendor == "sqlite":
        return SQLITE_FORWARD if forward else SQLITE_BACKWARD
    raise NotImplementedError(f"attendance_count triggers are written for PostgreSQL and SQLite, not {vendor}")


def create_triggers(apps, schema_editor):
    for sql in _statements(schema_editor.connection.vendor, forward=True):
        schema_editor.execute(sql)
    schema_editor.execute(BACKFILL)


def drop_triggers(apps, schema_editor):
    for sql in _statements(schema_editor.connection.vendor, forward=False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("trainings", "0003_import_permission_and_pending_uploads"),
    ]

    operations = [
        migrations.AddField(
            model_name="trainingsession",
            name="attendance_count",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="出席者の行数（自動で数えます）。",
                serialize=False,
                verbose_name="名簿の行数",
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
