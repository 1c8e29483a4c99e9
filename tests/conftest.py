import datetime

import pytest
from django.core.management import call_command

from partners.models import Bureau, Organization, Ward
from trainings.models import TrainingCategory, TrainingSession


def pytest_configure(config):
    # The figures depend on database triggers that only the migrations create (trainings.checks):
    # a schema built from the models alone would pass tests with wrong figures.
    if config.getoption("nomigrations", default=False):
        raise pytest.UsageError(
            "--nomigrations は使えません: 集計の数値を保つトリガーはマイグレーションが作ります（trainings.checks）。"
        )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, refused (the run stops) when it lacks the derived-figure triggers."""
    from django.db import connections

    from trainings.checks import missing_triggers

    with django_db_blocker.unblock():
        missing = missing_triggers(connections["default"])
    if missing:
        pytest.exit(
            f"テスト用データベースに集計用のトリガーがありません（{', '.join(missing)}）。"
            "マイグレーションを適用して作ってください（--reuse-db なら --create-db で作り直し）。",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )


@pytest.fixture
def demo_data(db):
    """Load the FY2018 demo records (the same command `make run` uses)."""
    call_command("load_demo_data", verbosity=0)


@pytest.fixture
def live_demo_data(transactional_db):
    """Load the demo records for a transactional (live-server) test.

    A transactional test ends by flushing every table, including the 18 wards a migration
    loaded; load_demo_data puts them back first.
    """
    call_command("load_demo_data", verbosity=0)


@pytest.fixture
def ward(db):
    return Ward.objects.get(code="14105")  # 南区, present after migrate


@pytest.fixture
def bureau(db):
    return Bureau.objects.create(name="市民局", order=10)


@pytest.fixture
def organization(db, ward):
    return Organization.objects.create(name="テスト地域ケアプラザ", kind="care_plaza", ward=ward)


@pytest.fixture
def category(db):
    return TrainingCategory.objects.create(code="ア", name="地域まちづくり課主催研修", order=1)


@pytest.fixture
def make_session(db):
    """Return a function creating a TrainingSession with sensible defaults."""
    counter = {"n": 0}

    def make(**fields):
        counter["n"] += 1
        fields.setdefault("title", f"テスト研修 {counter['n']}")
        fields.setdefault("date", datetime.date(2018, 6, 1))
        return TrainingSession.objects.create(**fields)

    return make


@pytest.fixture(autouse=True, scope="session")
def _test_server_settings():
    """Serve tests over plain HTTP without collected static files.

    Session-scoped so that it is in force before the live server (also session-scoped) builds
    its middleware. Production settings (HTTPS redirect, secure cookies, hashed static files)
    are checked by tests/portal/test_security.py in a subprocess.
    """
    from django.conf import settings
    from django.test import override_settings

    override = override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
    )
    override.enable()
    yield
    override.disable()


@pytest.fixture(autouse=True)
def _empty_cache():
    # Public pages are cached under a data version; a rolled-back test sends no signal, so a
    # page cached by one test must not reach the next.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _chromium_page(viewport, **context_options):
    """Yield a Playwright page in headless Chromium with `viewport` (skips without Chromium outside CI)."""
    import os

    from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

    require_chromium()
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself are still synchronous and safe.
    from django.db import connections
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(locale="ja-JP", viewport=viewport, **context_options)
            page = context.new_page()
            try:
                yield page
            finally:
                # Inside sync_playwright() the thread runs in another contextvars context, so the
                # ORM calls of the test (and of fixtures set up after this one) open their own
                # database connection, which pytest-django never sees. Close it here, or
                # PostgreSQL refuses to drop the test database ("being accessed by other users").
                connections.close_all()
                context.close()
                browser.close()
    finally:
        # The flag must not leak into later tests (manage.py check --deploy refuses it).
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_page():
    """Yield a Playwright page in headless Chromium at desktop size (1280×900)."""
    yield from _chromium_page({"width": 1280, "height": 900})


@pytest.fixture
def phone_page():
    """Yield a Playwright page in headless Chromium at phone size (390×844, touch, downloads accepted)."""
    yield from _chromium_page(
        {"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True, accept_downloads=True
    )


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, torn down before the test database.

    Depending on django_db_setup makes pytest stop the server (and close its thread's
    connections) first, so PostgreSQL can drop the test database without "being accessed by
    other users".
    """
    return live_server


def _hypothesis_profiles():
    """Register the property-based test profiles and load the one HYPOTHESIS_PROFILE names (default "fast").

    "fast" keeps the fuzz tests' share of `make test` to seconds; "slow" (make test-slow) runs
    10,000 examples per test. No deadline: an example's time depends on the shared machine, and
    Django's database fixtures are function-scoped by design (each example rolls back its savepoint).
    """
    import os

    from hypothesis import HealthCheck, settings

    common = {"deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]}
    settings.register_profile("fast", max_examples=150, **common)
    settings.register_profile("slow", max_examples=10_000, **common)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))


_hypothesis_profiles()
