import datetime
import os
import subprocess
import sys
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

PRODUCTION_ENV = {
    "SECRET_KEY": "k" * 20 + "Zx9-_Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lz",
    "ALLOWED_HOSTS": "portal.example.jp",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def run_manage(*args, env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "CACHE_BACKEND"}
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], env=clean, capture_output=True, text=True, cwd=settings.BASE_DIR
    )


def test_deploy_check_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_complains_without_a_shared_cache():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "REDIS_URL"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "core.W001" in result.stderr + result.stdout


def test_deploy_check_complains_when_https_is_switched_off():
    env = {**PRODUCTION_ENV, "SECURE_SSL_REDIRECT": "0", "SECURE_HSTS_SECONDS": "0"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout


@pytest.mark.django_db
def test_pages_carry_security_headers(client):
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'self'" in script_src and "unsafe-inline" not in script_src
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_fails(client):
    with mock.patch("portal.health.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_short_and_common_passwords_are_refused():
    for weak in ["short1", "password123", "1234567890"]:
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("Yokohama-machi-fushin-2018")


def login(client, username, password):
    return client.post(reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"})


@pytest.mark.django_db
def test_repeated_failed_logins_lock_out_that_user_and_address(client, django_user_model):
    django_user_model.objects.create_user("staff1", password="Correct-Horse-42", is_staff=True)
    django_user_model.objects.create_user("staff2", password="Correct-Horse-43", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "staff1", "wrong-password").status_code == 200
    assert login(client, "staff1", "wrong-password").status_code == 429

    locked = login(client, "staff1", "Correct-Horse-42")
    assert locked.status_code == 429
    assert "ログインを一時停止しています" in locked.content.decode()
    # Another user from the same address is not locked out.
    assert login(client, "staff2", "Correct-Horse-43").status_code == 302


@pytest.mark.django_db
def test_a_successful_login_resets_the_failure_count(client, django_user_model):
    django_user_model.objects.create_user("staff1", password="Correct-Horse-42", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "staff1", "wrong-password")
    assert login(client, "staff1", "Correct-Horse-42").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "staff1", "wrong-password")
    assert login(client, "staff1", "Correct-Horse-42").status_code == 302


@pytest.mark.django_db
def test_idle_sessions_expire(admin_client):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    assert admin_client.get(reverse("admin:index")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


PROXY_ADDRESS = "10.0.0.2"


def login_from(client, username, password, *, remote=PROXY_ADDRESS, forwarded=None):
    """Post the admin login form as if it came from `remote` with the X-Forwarded-For header `forwarded`."""
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(
        reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"}, **headers
    )


@pytest.mark.django_db
@override_settings(BEHIND_PROXY=True, TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_failures_from_one_client_do_not_lock_out_another(client, django_user_model):
    django_user_model.objects.create_user("staff1", password="Correct-Horse-42", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login_from(client, "staff1", "wrong-password", forwarded="203.0.113.5")
    assert login_from(client, "staff1", "Correct-Horse-42", forwarded="203.0.113.5").status_code == 429
    # The same user from another client, through the same proxy.
    assert login_from(Client(), "staff1", "Correct-Horse-42", forwarded="198.51.100.7").status_code == 302


@pytest.mark.django_db
@override_settings(BEHIND_PROXY=True, TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_a_forged_forwarded_entry_does_not_escape_a_lock(client, django_user_model):
    django_user_model.objects.create_user("staff1", password="Correct-Horse-42", is_staff=True)
    for n in range(settings.AXES_FAILURE_LIMIT):
        login_from(client, "staff1", "wrong-password", forwarded=f"192.0.2.{n}, 203.0.113.5")
    locked = login_from(Client(), "staff1", "Correct-Horse-42", forwarded="192.0.2.99, 203.0.113.5")
    assert locked.status_code == 429


@pytest.mark.django_db
@override_settings(BEHIND_PROXY=False)
def test_without_a_proxy_a_forged_header_does_not_escape_a_lock(client, django_user_model):
    django_user_model.objects.create_user("staff1", password="Correct-Horse-42", is_staff=True)
    for n in range(settings.AXES_FAILURE_LIMIT):
        login_from(client, "staff1", "wrong-password", remote="198.51.100.9", forwarded=f"192.0.2.{n}")
    locked = login_from(Client(), "staff1", "Correct-Horse-42", remote="198.51.100.9", forwarded="203.0.113.77")
    assert locked.status_code == 429


def test_behind_proxy_setting_makes_the_lockout_read_what_the_proxy_wrote():
    # The settings as production reads them (environment), in a fresh process: the client's
    # forged left-hand entry must not become the address a failure counts against.
    code = (
        "from django.test import RequestFactory; from axes.helpers import get_client_ip_address;"
        "r = RequestFactory().get('/', REMOTE_ADDR='10.0.0.2', HTTP_X_FORWARDED_FOR='1.2.3.4, 203.0.113.5');"
        "print(get_client_ip_address(r))"
    )
    result = run_manage("shell", "-c", code, env={**PRODUCTION_ENV, "BEHIND_PROXY": "1", "TRUSTED_PROXY_COUNT": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "203.0.113.5"
