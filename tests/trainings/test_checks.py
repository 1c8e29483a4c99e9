import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection

from trainings import checks


def drop_trigger(name, table):
    """Drop a trigger inside the test's transaction (rolled back with it on both databases)."""
    on = f" ON {table}" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {name}{on}")


def test_a_migrated_database_has_every_trigger(db):
    assert checks.missing_triggers(connection) == []
    assert checks.check_derived_figure_triggers(databases=["default"]) == []


def test_check_fails_when_a_trigger_is_missing(db):
    drop_trigger("trainings_attendance_count_insert", checks.ATTENDANCE)
    drop_trigger("trainings_session_move_attendance_year", checks.SESSION)
    assert checks.missing_triggers(connection) == [
        "trainings_attendance_count_insert",
        "trainings_session_move_attendance_year",
    ]
    [error] = checks.check_derived_figure_triggers(databases=["default"])
    assert error.id == "trainings.E001" and "trainings_attendance_count_insert" in error.msg
    with pytest.raises(SystemCheckError, match="trainings.E001"):
        call_command("check", "--database", "default", verbosity=0)


def test_check_runs_only_with_a_database(db):
    drop_trigger("trainings_attendance_count_insert", checks.ATTENDANCE)
    call_command("check", verbosity=0)  # database checks need --database, as Django's own do


def test_check_is_silent_before_the_triggers_migration(db, monkeypatch):
    # `migrate` runs the database checks first: a fresh database must not be refused.
    drop_trigger("trainings_attendance_count_insert", checks.ATTENDANCE)
    monkeypatch.setattr(checks, "TRIGGER_MIGRATION", ("trainings", "9999_not_applied"))
    assert checks.check_derived_figure_triggers(databases=["default"]) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite triggers cannot be disabled")
def test_a_disabled_trigger_counts_as_missing(db):
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {checks.ATTENDANCE} DISABLE TRIGGER trainings_attendance_set_fiscal_year")
    assert checks.missing_triggers(connection) == ["trainings_attendance_set_fiscal_year"]


def test_the_test_suite_refuses_to_run_without_migrations():
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nomigrations", "tests/core/test_dates.py"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "SECRET_KEY": os.environ.get("SECRET_KEY", "x")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "--nomigrations は使えません" in result.stderr + result.stdout


def test_check_asks_for_the_reach_triggers(db):
    drop_trigger("trainings_reach_session_move", checks.SESSION)
    assert checks.missing_triggers(connection) == ["trainings_reach_session_move"]
    [error] = checks.check_derived_figure_triggers(databases=["default"])
    assert error.id == "trainings.E001" and "trainings_reach_session_move" in error.msg


def test_check_needs_no_reach_triggers_before_their_migration(db, monkeypatch):
    drop_trigger("trainings_reach_insert", checks.ATTENDANCE)
    monkeypatch.setattr(checks, "REACH_MIGRATION", ("trainings", "9999_not_applied"))
    assert checks.check_derived_figure_triggers(databases=["default"]) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="migration 0018 adds PostgreSQL's fiscal-year triggers")
def test_check_asks_for_the_fiscal_year_check_trigger(db):
    drop_trigger("trainings_attendance_check_fiscal_year", checks.ATTENDANCE)
    assert checks.missing_triggers(connection) == ["trainings_attendance_check_fiscal_year"]
    [error] = checks.check_derived_figure_triggers(databases=["default"])
    assert error.id == "trainings.E001" and "trainings_attendance_check_fiscal_year" in error.msg


def test_check_needs_no_fiscal_year_check_triggers_before_their_migration(db, monkeypatch):
    if connection.vendor == "postgresql":
        drop_trigger("trainings_attendance_check_fiscal_year", checks.ATTENDANCE)
        drop_trigger("trainings_attendance_reset_fiscal_year", checks.ATTENDANCE)
    monkeypatch.setattr(checks, "FISCAL_YEAR_CHECK_MIGRATION", ("trainings", "9999_not_applied"))
    assert checks.check_derived_figure_triggers(databases=["default"]) == []
    # SQLite's update trigger of the year dates from 0005: still required there.
    if connection.vendor == "sqlite":
        drop_trigger("trainings_attendance_reset_fiscal_year", checks.ATTENDANCE)
        [error] = checks.check_derived_figure_triggers(databases=["default"])
        assert "trainings_attendance_reset_fiscal_year" in error.msg
