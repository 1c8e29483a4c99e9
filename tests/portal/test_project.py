import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from trainings.models import TrainingSession


def test_check_is_clean():
    call_command("check", fail_level="WARNING")


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _settings_in_subprocess(env, expression="settings.DEBUG"):
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL", "CACHE_BACKEND", "CACHE_LOCATION"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="portal.settings")
    return subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, cwd=settings.BASE_DIR
    )


def test_secret_key_is_required_when_debug_is_off():
    result = _settings_in_subprocess({})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_defaults_off_and_runs_with_a_secret_key():
    result = _settings_in_subprocess({"SECRET_KEY": "x" * 50})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_redis_url_makes_redis_the_shared_cache():
    env = {"SECRET_KEY": "x" * 50, "REDIS_URL": "redis://cache.internal:6379/2", "CACHE_KEY_PREFIX": "r42"}
    result = _settings_in_subprocess(env, "settings.CACHES['default']")
    assert result.returncode == 0, result.stderr
    assert "'BACKEND': 'django.core.cache.backends.redis.RedisCache'" in result.stdout
    assert "'LOCATION': 'redis://cache.internal:6379/2'" in result.stdout
    assert "'KEY_PREFIX': 'r42'" in result.stdout


def test_redis_url_and_cache_backend_together_are_refused():
    env = {"SECRET_KEY": "x" * 50, "REDIS_URL": "redis://h:6379/0", "CACHE_BACKEND": "x.Y"}
    result = _settings_in_subprocess(env)
    assert result.returncode != 0
    assert "REDIS_URL or CACHE_BACKEND" in result.stderr


def test_locale_and_time_zone():
    assert (settings.LANGUAGE_CODE, settings.TIME_ZONE, settings.USE_TZ) == ("ja", "Asia/Tokyo", True)


@pytest.mark.django_db
def test_load_demo_data_is_idempotent():
    call_command("load_demo_data", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    assert TrainingSession.objects.filter(fiscal_year=2018).count() == 48


@pytest.mark.django_db
def test_demo_records_are_labelled_illustrative(demo_data):
    assert not TrainingSession.objects.filter(is_illustrative=False).exists()
    assert not TrainingSession.objects.filter(data_note="").exists()


@pytest.mark.django_db
def test_demo_admin_is_refused_without_debug():
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("create_demo_admin")


@pytest.mark.django_db
def test_demo_admin_is_created_only_with_debug_and_sqlite(settings):
    settings.DEBUG = True
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        with pytest.raises(CommandError, match="SQLite"):
            call_command("create_demo_admin")
        return
    out = StringIO()
    call_command("create_demo_admin", stdout=out)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="demo-admin")
    password = out.getvalue().split("パスワード ")[1].split()[0]
    assert user.is_superuser and user.check_password(password)


def test_every_variable_of_the_env_example_is_read_by_the_settings():
    read = (settings.BASE_DIR / "portal" / "settings.py").read_text() + (
        settings.BASE_DIR / "gunicorn.conf.py"
    ).read_text()
    lines = (settings.BASE_DIR / ".env.example").read_text().splitlines()
    names = [line.split("=", 1)[0] for line in lines if line and not line.startswith("#")]
    assert "REDIS_URL" in names and "BEHIND_PROXY" in names and "TRUSTED_PROXY_COUNT" in names
    assert [name for name in names if f'"{name}"' not in read] == []


@pytest.mark.django_db
def test_demo_admin_prints_the_address_of_the_port_being_served(settings, monkeypatch):
    settings.DEBUG = True
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("create_demo_admin runs only on SQLite")
    monkeypatch.setenv("PORT", "8001")  # what `make run PORT=8001` passes on
    out = StringIO()
    call_command("create_demo_admin", stdout=out)
    assert "http://127.0.0.1:8001/admin/" in out.getvalue()


def test_make_run_serves_the_port_it_is_given():
    makefile = (settings.BASE_DIR / "Makefile").read_text()
    run = makefile.split("\nrun:")[1].split("\n\n")[0]
    assert "PORT=$(PORT) $(PY) manage.py create_demo_admin" in run
    assert "runserver 127.0.0.1:$(PORT)" in run


def settings_module_dir():
    from django.conf import settings

    return settings.BASE_DIR
