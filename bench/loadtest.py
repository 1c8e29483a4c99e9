"""Load test: gunicorn on 127.0.0.1 against PostgreSQL, driven by wrk for a bounded time.

Usage (from the project folder, with PostgreSQL running and `apt-get install wrk`):

    .venv/bin/python bench/loadtest.py [--duration 20] [--connections 16] [--workers 3]

It creates (or reuses) the database `portal_loadtest`, loads the demo records, collects the
static files, starts gunicorn with production settings (DEBUG off) on 127.0.0.1:8100, checks
every path answers 200, then runs wrk against the public pages and, with a staff session
cookie, the dashboard pages. It prints requests/s, p50/p95/p99 latency and the error count of
each run, and stops gunicorn. Traffic goes only to 127.0.0.1.
"""

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = 8100
BASE = f"http://127.0.0.1:{PORT}"
DATABASE_URL = os.environ.get("LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_loadtest")

PUBLIC_PATHS = ["/", "/summary/2018/", "/cases/", "/cases/minami-nakamura/", "/collaborations/2018/", "/healthz"]
STAFF_PATHS = ["/dashboard/2018/", "/dashboard/2018/report/"]


def server_env():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=DATABASE_URL,
        SECURE_SSL_REDIRECT="0",
        CONN_MAX_AGE="60",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(*args, env):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True)


def prepare_database(env):
    db = DATABASE_URL.rsplit("/", 1)[1]
    exists = subprocess.run(
        [
            "psql",
            DATABASE_URL.rsplit("/", 1)[0] + "/postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname='{db}'",
        ],
        capture_output=True,
        text=True,
    ).stdout.strip()
    if exists != "1":
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", db], check=True)
    manage("migrate", "--noinput", env=env)
    manage("load_demo_data", env=env)
    manage("collectstatic", "--noinput", env=env)


def staff_cookie(env):
    """Return 'sessionid=…' for a staff superuser (created if missing), made without a login form."""
    code = (
        "from django.contrib.auth import get_user_model; from importlib import import_module;"
        "from django.conf import settings;"
        "User=get_user_model(); u,_=User.objects.get_or_create(username='loadtest-manager',"
        " defaults={'is_staff':True,'is_superuser':True});"
        "s=import_module(settings.SESSION_ENGINE).SessionStore();"
        "s['_auth_user_id']=str(u.pk); s['_auth_user_backend']='django.contrib.auth.backends.ModelBackend';"
        "s['_auth_user_hash']=u.get_session_auth_hash(); s.set_expiry(3600); s.save(); print(s.session_key)"
    )
    key = manage("shell", "-c", code, env=env).stdout.strip().splitlines()[-1]
    return f"sessionid={key}"


def wait_until_up(timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(BASE + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /healthz in time")


def check_paths(paths, cookie=""):
    for path in paths:
        request = urllib.request.Request(BASE + path, headers={"Cookie": cookie} if cookie else {})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        if status != 200:
            raise SystemExit(f"{path} answered {status}, not 200: fix it before measuring")


def run_wrk(name, paths, *, duration, connections, cookie=""):
    env = {**os.environ, "WRK_PATHS": ",".join(paths), "WRK_COOKIE": cookie}
    output = subprocess.run(
        [
            "wrk",
            "--threads",
            "2",
            "--connections",
            str(connections),
            "--duration",
            f"{duration}s",
            "--timeout",
            "10s",
            "--script",
            str(ROOT / "bench" / "wrk_paths.lua"),
            BASE,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"^RESULT (.*)$", output, re.MULTILINE)
    fields = dict(item.split("=") for item in match.group(1).split())
    print(
        f"{name:<10} {float(fields['rps']):>8.1f} req/s  p50 {float(fields['p50_ms']):>7.1f} ms  "
        f"p95 {float(fields['p95_ms']):>7.1f} ms  p99 {float(fields['p99_ms']):>7.1f} ms  "
        f"requests {fields['requests']:>6}  errors {fields['errors']}"
    )
    return int(fields["errors"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds per run (default 20)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (default 16)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")

    env = server_env()
    prepare_database(env)
    cookie = staff_cookie(env)
    gunicorn = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "portal.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_up()
        check_paths(PUBLIC_PATHS)
        check_paths(STAFF_PATHS, cookie)
        print(
            f"gunicorn {args.workers} workers, PostgreSQL, wrk 2 threads x {args.connections} connections, "
            f"{args.duration} s per run, {os.cpu_count()} cores"
        )
        errors = run_wrk("public", PUBLIC_PATHS, duration=args.duration, connections=args.connections)
        errors += run_wrk("dashboard", STAFF_PATHS, duration=args.duration, connections=args.connections, cookie=cookie)
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=15)
    print(f"total errors: {errors}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
