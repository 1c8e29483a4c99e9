"""Caching of the public pages and downloads, keyed by a "data version".

Every public page and open-data file is built only from the records of the partners,
trainings and outreach apps. Instead of tracking which page depends on which row, any
change to those records bumps one data version (portal.signals); cache keys and ETags
include it, so a change makes every public page and file fresh at once. Pages also expire
after PUBLIC_PAGE_CACHE_SECONDS, as a safety net for bulk writes that send no signals.

The version lives in Django's cache. With several server processes the cache must be shared
(see README, "Caching"); with the default per-process LocMemCache only the process that saved
would notice the change.
"""

import hashlib
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

VERSION_KEY = "public:data-version"
# Part of every key and ETag: bump it when a deploy changes how pages or files are rendered.
FORMAT_VERSION = "1"


def _new_version():
    return (uuid.uuid4().hex, timezone.now().replace(microsecond=0))


def data_version():
    """Return (token, changed_at) of the public records' current version, starting one if the cache has none."""
    current = cache.get(VERSION_KEY)
    if current is None:
        current = _new_version()
        # add() keeps a version another process set in between.
        if not cache.add(VERSION_KEY, current, timeout=None):
            current = cache.get(VERSION_KEY, current)
    return current


def bump_data_version():
    """Start a new data version now and again when the current transaction commits.

    The second bump closes the window in which a request could read the old rows under the
    new version and cache them until the next change.
    """

    def bump():
        cache.set(VERSION_KEY, _new_version(), timeout=None)

    bump()
    transaction.on_commit(bump)


def _digest(*parts):
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def download_etag(request, *args, **kwargs):
    """Return the ETag of a public download: the data version and the full path."""
    token, _ = data_version()
    return _digest(FORMAT_VERSION, token, request.get_full_path())


def download_last_modified(request, *args, **kwargs):
    """Return when the public records last changed (as far as this cache knows)."""
    return data_version()[1]


def cached_public_page(view):
    """Cache a public page for anonymous visitors under the data version and the full path.

    Logged-in users (staff see drafts and the admin link) always get a fresh, private page.
    Visitors get an ETag and Last-Modified, so a browser revalidating an unchanged page gets 304.
    Only 200 responses are stored.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response

        token, changed_at = data_version()
        etag = f'"{_digest(FORMAT_VERSION, token, request.get_full_path())}"'
        last_modified = int(changed_at.timestamp())
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return not_modified

        key = f"public:page:{FORMAT_VERSION}:{token}:{_digest(request.get_full_path())}"
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            if response.status_code == 200:
                response["ETag"] = etag
                response["Last-Modified"] = http_date(last_modified)
                patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
                cache.set(key, response, settings.PUBLIC_PAGE_CACHE_SECONDS)
        return response

    return wrapped


def cached_figures(name, build):
    """Return build()'s result, computed once per data version and `name` (e.g. 'dashboard:2024').

    For roll-ups that do not depend on who asks (the managers' dashboard): any change to the
    records starts a new data version, so a cached result is never older than the records.
    """
    token, _ = data_version()
    key = f"figures:{FORMAT_VERSION}:{token}:{name}"
    result = cache.get(key)
    if result is None:
        result = build()
        cache.set(key, result, settings.PUBLIC_PAGE_CACHE_SECONDS)
    return result
