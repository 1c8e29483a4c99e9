"""Pieces shared by the import benchmarks (not a test): scratch databases, fresh child processes, load.

A database is named by its URL: ``sqlite:////tmp/x.sqlite3`` or ``postgres://postgres@127.0.0.1:5432/x``.
A *template* is migrated once by the checkout under test and given the 20 organisations and 100
sessions of bench/import_benchmark.py's sheet; every measured run gets a fresh copy of it (a file
copy on SQLite, ``createdb -T`` on PostgreSQL), so no run sees another's rows, dead tuples or caches.

The children run inside a checkout (``tree``) with that checkout's code and settings, so the same
driver measures this tree and an older commit alike (bench/compare_trees.py --import-rows).
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432/"

# Run inside a checkout: migrate has been done; add the sheet's organisations and sessions.
SETUP_CHILD = r"""
import datetime, json, sys
import django
django.setup()
from partners.models import Organization
from trainings.models import TrainingSession
organizations, sessions = json.loads(sys.argv[1])
Organization.objects.bulk_create([Organization(name=name, kind="care_plaza") for name in organizations])
TrainingSession.objects.bulk_create(
    [TrainingSession(date=datetime.date.fromisoformat(d), title=t).set_derived_fields() for d, t in sessions]
)
"""

# Run inside a checkout: `manage.py import_attendance SHEET --kind participants_multi`, timed from the
# command's start (Django's start-up excluded); one JSON line. BENCH_PROFILE=path also writes a cProfile.
IMPORT_CHILD = r"""
import json, os, resource, sys, time
import django
django.setup()
from io import StringIO
from django.core.management import call_command
from trainings.models import Attendance
profile_path = os.environ.get("BENCH_PROFILE")
if profile_path:
    import cProfile
    profile = cProfile.Profile()
    profile.enable()
start = time.perf_counter()
call_command("import_attendance", sys.argv[1], "--kind", "participants_multi", stdout=StringIO())
seconds = time.perf_counter() - start
if profile_path:
    profile.disable()
    profile.dump_stats(profile_path)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "rows": Attendance.objects.count()}))
"""


def is_postgres(url):
    return url.startswith(("postgres://", "postgresql://"))


def database_name(url):
    return urlparse(url).path.lstrip("/")


def _pg(*command):
    subprocess.run([*command, "-h", "127.0.0.1", "-U", "postgres"], check=True, capture_output=True)


def child_env(url, **extra):
    """Return the environment of a child: the database, no DEBUG (it records every query), quiet logs."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-not-secret"),
        "ALLOWED_HOSTS": "testserver",
        "LOG_LEVEL": "ERROR",
        **extra,
    }
    env.pop("DEBUG", None)
    return env


def drop(url):
    if is_postgres(url):
        _pg("dropdb", "--if-exists", "--force", database_name(url))
    else:
        Path(urlparse(url).path).unlink(missing_ok=True)


def prepare_template(tree, url, organizations, sessions):
    """Create the database at url afresh, migrate it with tree's code and add the organisations and
    sessions ([(ISO date, title)]); return url."""
    drop(url)
    if is_postgres(url):
        _pg("createdb", database_name(url))
    env = child_env(url)
    python = str(Path(tree) / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=tree, env=env, check=True)  # noqa: S603
    payload = json.dumps([organizations, sessions], ensure_ascii=False)
    subprocess.run([python, "-c", SETUP_CHILD, payload], cwd=tree, env=env, check=True)  # noqa: S603
    return url


def fresh_copy(template, url):
    """Make the database at url a fresh copy of the template database; return url."""
    drop(url)
    if is_postgres(url):
        _pg("createdb", "-T", database_name(template), database_name(url))
    else:
        shutil.copyfile(urlparse(template).path, urlparse(url).path)
    return url


def run_child(tree, code, args, env, timeout=None):
    """Run `python -c code *args` in tree; return its last output line as JSON, or None after timeout s.

    A child that fails stops the benchmark with its error output (the import refused the sheet, etc.).
    """
    python = str(Path(tree) / ".venv" / "bin" / "python")
    try:
        done = subprocess.run(  # noqa: S603 - our own code
            [python, "-c", code, *map(str, args)],
            cwd=tree,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return None
    if done.returncode:
        sys.exit(f"child in {tree} failed:\n{done.stderr[-3000:]}\n{done.stdout[-1000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def load():
    """Return the 1-minute load average."""
    return os.getloadavg()[0]


def sheet_fixture():
    """Return (organisation names, [(ISO date, title)]) of bench/import_benchmark.py's sheets."""
    sys.path.insert(0, str(ROOT / "bench"))
    from import_benchmark import ORGANIZATIONS, SESSIONS, session_date, session_title

    return ORGANIZATIONS, [(session_date(i).isoformat(), session_title(i)) for i in range(SESSIONS)]
