"""Settings for the community-support program portal.

Everything that differs between a laptop and production comes from the environment:
DEBUG, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    """Return the environment variable `name` read as a boolean (1/true/yes/on)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    """Return the comma-separated environment variable `name` as a list of stripped items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (set DEBUG=1 for local development).")
    # Only for local development: a fixed key is harmless when DEBUG is on.
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105

# A TLS-terminating reverse proxy (or a chain of TRUSTED_PROXY_COUNT of them) is in front of
# gunicorn: trust its X-Forwarded-Proto and the X-Forwarded-For entries the proxies wrote.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
if BEHIND_PROXY and TRUSTED_PROXY_COUNT < 1:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 1 or more when BEHIND_PROXY is set.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # django.contrib.admin whose site never answers 500 to bad filter values (core/admin/site.py).
    "core.admin.site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "csp",
    # django-axes (login protection) under its Japanese name.
    "portal.apps.AxesConfig",
    "simple_history",
    "core",
    "partners",
    "trainings",
    "outreach",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Gives the audit history (django-simple-history) the user who made each change.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Japanese alternative text for the admin's yes/no icons (Django writes alt="True").
    "core.admin.middleware.AdminBooleanAltTextMiddleware",
    # Last, so that it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out user/address before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
# Japanese for django-simple-history's admin pages (the library ships no Japanese catalogue).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = BASE_DIR / "media"
# A missing manifest entry (tests, a forgotten collectstatic) falls back to the plain name
# instead of failing the page.
WHITENOISE_MANIFEST_STRICT = False

# Public pages, open-data files, the data version and the dashboard's figures live in the cache
# (core/public_cache.py). Production runs several gunicorn workers, which must share one cache, or
# a change saved through one worker leaves the others serving stale pages: REDIS_URL (e.g.
# redis://cache.internal:6379/0) selects Django's RedisCache; CACHE_BACKEND and CACHE_LOCATION
# name any other backend instead. Without either, a per-process memory cache, fit for one
# development server only (`manage.py check --deploy` warns, core/checks.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL and os.environ.get("CACHE_BACKEND"):
    raise ImproperlyConfigured("Set REDIS_URL or CACHE_BACKEND, not both.")
if REDIS_URL:
    DEFAULT_CACHE = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # A Redis that stops answering fails a request in seconds instead of holding a worker
        # until gunicorn's timeout.
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
else:
    DEFAULT_CACHE = {
        "BACKEND": os.environ.get("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": os.environ.get("CACHE_LOCATION", "portal-public"),
    }
CACHES = {"default": {**DEFAULT_CACHE, "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "")}}
PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", "900"))

LOGIN_URL = "admin:login"

# Audit history (django-simple-history): who changed what and when, shown in the admin (履歴).
# The history is a record, not an undo: reverting from the history page is turned off.
SIMPLE_HISTORY_REVERT_DISABLED = True

IMPORT_EXPORT_USE_TRANSACTIONS = True
# Importing needs the model's "import" permission (e.g. trainings.import_attendancesheet).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
# Files between preview and confirm live in the database, shared by every app server.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "trainings.importing.tmp_storages.DatabaseStorage"
# Previews never confirmed are purged after this many minutes.
IMPORT_PENDING_MAX_AGE_MINUTES = int(os.environ.get("IMPORT_PENDING_MAX_AGE_MINUTES", "120"))
# Limits of an imported sheet (trainings/importing/limits.py checks them before any parser runs;
# each refusal names its limit and how to split the file). Largest file (MB): 50 takes a
# 200,000-row sheet as CP932 (about 22 MB) or UTF-8 (about 30 MB).
IMPORT_MAX_UPLOAD_BYTES = int(float(os.environ.get("IMPORT_MAX_UPLOAD_MB", "50")) * 1024 * 1024)
# Data rows of one sheet: the sheet streams (memory stays flat), so a million rows are allowed;
# a 1,000,000-row sheet is about 95 MB as CP932, so it also needs IMPORT_MAX_UPLOAD_MB raised.
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "1000000"))
# Sessions of one 研修一覧 (session list): each becomes a record held until the write (about 2 KB),
# so the list is capped far below IMPORT_MAX_ROWS; the city holds about 1,000 sessions a year.
IMPORT_MAX_SESSION_ROWS = int(os.environ.get("IMPORT_MAX_SESSION_ROWS", "20000"))
# Columns of a row (every row is padded to the widest) and characters of one cell.
IMPORT_MAX_COLUMNS = int(os.environ.get("IMPORT_MAX_COLUMNS", "50"))
IMPORT_MAX_CELL_CHARS = int(os.environ.get("IMPORT_MAX_CELL_CHARS", "10000"))
# An XLSX is a zip: the declared size of its parts once expanded (MB), and how many parts it may hold.
IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES = int(float(os.environ.get("IMPORT_MAX_XLSX_UNCOMPRESSED_MB", "400")) * 1024 * 1024)
IMPORT_MAX_XLSX_PARTS = int(os.environ.get("IMPORT_MAX_XLSX_PARTS", "1000"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # SQL with its parameters (names of attendees) is never logged, even with LOG_LEVEL=DEBUG.
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Login protection -------------------------------------------------------------------
# Failed logins are throttled per user name AND address: after AXES_FAILURE_LIMIT failures
# that pair is locked out for AXES_COOLOFF_TIME hours (a successful login resets the count).
# From the third failure the login page says how many attempts are left (portal/login_protection.py);
# the lock-out page gives the time in minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
# The address a failure counts against (core/client_address.py): REMOTE_ADDR, or behind
# BEHIND_PROXY the X-Forwarded-For entry written by the outermost of TRUSTED_PROXY_COUNT proxies,
# never an entry the client could have forged.
AXES_CLIENT_IP_CALLABLE = "core.client_address.client_address"

# Idle sessions end after SESSION_IDLE_MINUTES (default 30); every request extends the session.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Transport security (production) ----------------------------------------------------
# With DEBUG off the portal assumes HTTPS. SECURE_SSL_REDIRECT can be turned off when the
# TLS-terminating proxy already redirects; BEHIND_PROXY trusts its X-Forwarded-Proto header.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Load balancers probe /healthz over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: scripts only from our own static files, never inline. Inline
# style attributes stay allowed because Django's admin widgets set them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
AXES_VERBOSE = False
