"""Copy the session's fiscal year onto each attendance row, kept by triggers, and index it (issue 6).

The dashboard's yearly figures over attendance (実人数, organisations and wards reached, attendees
by ward, unmatched organisations) joined a million rows to their sessions to find one year's; with
the year on the row they are index-only scans of (fiscal_year, …) indexes.

Triggers keep the copy right whatever code writes: an inserted row, or a row moved to another
session, takes its session's year; a session whose date moves it to another year takes its rows
along. PostgreSQL sets the row's year in a BEFORE trigger; SQLite, whose triggers cannot change
the row being written, updates it right after.
"""

from django.db import migrations, models

POSTGRES_FORWARD = [
    """
    CREATE FUNCTION trainings_attendance_set_fiscal_year() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.fiscal_year := (SELECT fiscal_year FROM trainings_trainingsession WHERE id = NEW.session_id);
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER trainings_attendance_set_fiscal_year BEFORE INSERT OR UPDATE ON trainings_attendance
    FOR EACH ROW EXECUTE FUNCTION trainings_attendance_set_fiscal_year()
    """,
    """
    CREATE FUNCTION trainings_session_move_attendance_year() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE trainings_attendance SET fiscal_year = NEW.fiscal_year WHERE session_id = NEW.id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER trainings_session_move_attendance_year AFTER UPDATE OF fiscal_year ON trainings_trainingsession
    FOR EACH ROW WHEN (OLD.fiscal_year IS DISTINCT FROM NEW.fiscal_year)
    EXECUTE FUNCTION trainings_session_move_attendance_year()
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS trainings_attendance_set_fiscal_year ON trainings_attendance",
    "DROP TRIGGER IF EXISTS trainings_session_move_attendance_year ON trainings_trainingsession",
    "DROP FUNCTION IF EXISTS trainings_attendance_set_fiscal_year()",
    "DROP FUNCTION IF EXISTS trainings_session_move_attendance_year()",
]
SQLITE_FORWARD = [
    """
    CREATE TRIGGER trainings_attendance_set_fiscal_year AFTER INSERT ON trainings_attendance
    BEGIN
        UPDATE trainings_attendance SET fiscal_year = (SELECT fiscal_year FROM trainings_trainingsession WHERE id = NEW.session_id) WHERE id = NEW.id;
    END
    """,
    # Also on a write of the year itself, so that a save() of a stale instance cannot change it.
    """
    CREATE TRIGGER trainings_attendance_reset_fiscal_year AFTER UPDATE OF session_id, fiscal_year
    ON trainings_attendance
    WHEN NEW.fiscal_year IS NOT (SELECT fiscal_year FROM trainings_trainingsession WHERE id = NEW.session_id)
    BEGIN
        UPDATE trainings_attendance SET fiscal_year = (SELECT fiscal_year FROM trainings_trainingsession WHERE id = NEW.session_id) WHERE id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER trainings_session_move_attendance_year AFTER UPDATE OF fiscal_year ON trainings_trainingsession
    WHEN OLD.fiscal_year IS NOT NEW.fiscal_year
    BEGIN
        UPDATE trainings_attendance SET fiscal_year = NEW.fiscal_year WHERE session_id = NEW.id;
    END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS trainings_attendance_set_fiscal_year",
    "DROP TRIGGER IF EXISTS trainings_attendance_reset_fiscal_year",
    "DROP TRIGGER IF EXISTS trainings_session_move_attendance_year",
]
BACKFILL = """
    UPDATE trainings_attendance SET fiscal_year = (
        SELECT fiscal_year FROM trainings_trainingsession WHERE trainings_trainingsession.id = trainings_attendance.session_id
    )
"""


def _statements(vendor, forward):
    if vendor == "postgresql":
        return POSTGRES_FORWARD if forward else POSTGRES_BACKWARD
    if vendor == "sqlite":
        return SQLITE_FORWARD if forward else SQLITE_BACKWARD
    raise NotImplementedError(f"attendance fiscal-year triggers are written for PostgreSQL and SQLite, not {vendor}")


def create_triggers(apps, schema_editor):
    schema_editor.execute(BACKFILL)
    for sql in _statements(schema_editor.connection.vendor, forward=True):
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    for sql in _statements(schema_editor.connection.vendor, forward=False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0002_load_wards"),
        ("trainings", "0004_trainingsession_attendance_count"),
    ]

    operations = [
        migrations.AddField(
            model_name="attendance",
            name="fiscal_year",
            field=models.PositiveSmallIntegerField(editable=False, null=True, serialize=False, verbose_name="年度"),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
        migrations.AddIndex(
            model_name="attendance",
            index=models.Index(fields=["fiscal_year", "person_key"], name="attendance_fy_person_idx"),
        ),
        migrations.AddIndex(
            model_name="attendance",
            index=models.Index(fields=["fiscal_year", "organization", "ward"], name="attendance_fy_org_ward_idx"),
        ),
        migrations.AddIndex(
            model_name="attendance",
            index=models.Index(
                condition=models.Q(("organization__isnull", True)),
                fields=["fiscal_year", "organization_text"],
                name="attendance_fy_unmatched_idx",
            ),
        ),
    ]
