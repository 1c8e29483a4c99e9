"""gunicorn's access log without the query strings of admin pages (set in gunicorn.conf.py).

Staff search the admin's attendance list by attendee name (`/admin/trainings/attendance/?q=山田`),
and filters can carry names too. The access log is kept and read outside the portal, so an admin
URL is logged with its path only and `?[redacted]` in place of its query string: in the request
line, the query-string atom, the Referer (the next page's request carries the search URL) and
the environ atoms a custom format could name. Public URLs are logged as they are.
"""

from urllib.parse import urlsplit, urlunsplit

from gunicorn.glogging import Logger

ADMIN_PREFIX = "/admin/"
REDACTED = "[redacted]"


def is_admin_path(path):
    """Return whether `path` (a URL path) belongs to the admin site."""
    return path == ADMIN_PREFIX.rstrip("/") or path.startswith(ADMIN_PREFIX)


def redact_url(url):
    """Return `url` (a path with query, or a full URL as in Referer) with an admin URL's query replaced."""
    if not url or "?" not in url:
        return url
    parts = urlsplit(url)
    if not is_admin_path(parts.path):
        return url
    return urlunsplit(parts._replace(query=REDACTED, fragment=""))


class RedactingLogger(Logger):
    """gunicorn's Logger whose access-log atoms carry no query string of an admin URL."""

    def atoms(self, resp, req, environ, request_time):
        environ = dict(environ)
        if is_admin_path(environ.get("PATH_INFO", "")) and environ.get("QUERY_STRING"):
            environ["QUERY_STRING"] = REDACTED
            environ["RAW_URI"] = redact_url(environ.get("RAW_URI", ""))
        if "HTTP_REFERER" in environ:
            environ["HTTP_REFERER"] = redact_url(environ["HTTP_REFERER"])
        atoms = super().atoms(resp, req, environ, request_time)
        if "{referer}i" in atoms:
            atoms["{referer}i"] = redact_url(atoms["{referer}i"])
        return atoms
