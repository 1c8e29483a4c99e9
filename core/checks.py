"""System checks of the ground floor: the deployment's cache must be shared by every server process."""

from django.conf import settings
from django.core import checks

PER_PROCESS_BACKENDS = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs=None, **kwargs):
    """Return a warning when the default cache lives inside each process (`manage.py check --deploy`).

    The public data version (core.public_cache) is kept in the cache: with a per-process cache
    only the worker that saved a change starts a new version, and the others serve stale pages.
    """
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PER_PROCESS_BACKENDS:
        return []
    return [
        checks.Warning(
            f"The default cache ({backend.rsplit('.', 1)[-1]}) is not shared between server processes: "
            "a change saved through one gunicorn worker would not refresh the pages the others cached.",
            hint="Set REDIS_URL (e.g. redis://127.0.0.1:6379/0), see README 'Production'.",
            id="core.W001",
        )
    ]
