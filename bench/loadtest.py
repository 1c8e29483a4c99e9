"""Load test of the production topology: gunicorn workers, PostgreSQL and Redis on 127.0.0.1, driven by wrk.

Usage (from the project folder, with PostgreSQL and Redis running and `apt-get install wrk`):

    .venv/bin/python bench/loadtest.py [--duration 20] [--connections 16] [--workers 3]

It creates (or reuses) the database `portal_loadtest` (LOADTEST_DATABASE_URL), empties its Redis
database (LOADTEST_REDIS_URL, default db 14), loads the demo records, collects the static files,
starts gunicorn with production settings (DEBUG off, gunicorn.conf.py, RedisCache) on a free
port of 127.0.0.1, checks every path answers 200, then runs wrk against the public pages and,
with a staff session cookie, the dashboard pages. It prints requests/s, p50/p95/p99 latency and
the error count of each run, and stops gunicorn. Traffic goes only to 127.0.0.1.

The pieces (start_gunicorn, staff_cookie, run_wrk, …) are shared with the production-topology
test, tests/test_production_topology.py, which .ci/run runs.
"""

import argparse
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
DATABASE_URL = os.environ.get("LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_loadtest")
REDIS_URL = os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/14")

PUBLIC_PATHS = ["/", "/summary/2018/", "/cases/", "/cases/minami-nakamura/", "/collaborations/2018/", "/healthz"]
STAFF_PATHS = ["/dashboard/2018/", "/dashboard/2018/report/"]


def server_env(database_url=DATABASE_URL, redis_url=REDIS_URL, **extra):
    """Return the environment of a production server process: DEBUG off, PostgreSQL, Redis, plain HTTP on 127.0.0.1."""
    drop = {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "CACHE_BACKEND", "CACHE_LOCATION", "BEHIND_PROXY"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        SECURE_SSL_REDIRECT="0",
        CONN_MAX_AGE="60",
        LOG_LEVEL="WARNING",
        **extra,
    )
    return env


def manage(*args, env, timeout=600):
    """Run a management command with `env`; return the finished process (raises on failure or after `timeout` s)."""
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=timeout
    )


def database_exists(database_url):
    server, name = database_url.rsplit("/", 1)
    query = f"SELECT 1 FROM pg_database WHERE datname='{name}'"
    result = subprocess.run(["psql", server + "/postgres", "-tAc", query], capture_output=True, text=True, timeout=60)
    return result.stdout.strip()


def prepare_database(env, *, fresh=False):
    """Create (or with `fresh`, recreate) env's PostgreSQL database, migrate, load the demo records, collect static."""
    database_url = env["DATABASE_URL"]
    server, name = database_url.rsplit("/", 1)
    if fresh and database_exists(database_url) == "1":
        subprocess.run(
            ["psql", server + "/postgres", "-qc", f'DROP DATABASE "{name}" WITH (FORCE)'], check=True, timeout=60
        )
    if fresh or database_exists(database_url) != "1":
        subprocess.run(["psql", server + "/postgres", "-qc", f'CREATE DATABASE "{name}"'], check=True, timeout=60)
    manage("migrate", "--noinput", env=env)
    manage("load_demo_data", env=env)
    manage("collectstatic", "--noinput", env=env)


def flush_redis(redis_url):
    """Empty the Redis database of `redis_url` (only that database number)."""
    import redis

    redis.Redis.from_url(redis_url, socket_timeout=10).flushdb()


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


def free_port():
    """Return a TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(env, port, *, workers=3, access_log=None, access_format=None):
    """Start gunicorn with gunicorn.conf.py on 127.0.0.1:`port`; return the process (stop it with stop_gunicorn)."""
    command = [GUNICORN, "portal.wsgi", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--log-level", "warning"]
    if access_log:
        command += ["--access-logfile", str(access_log)]
        if access_format:
            command += ["--access-logformat", access_format]
    else:
        command += ["--access-logfile", os.devnull]
    return subprocess.Popen(command, cwd=ROOT, env=env)


def stop_gunicorn(process):
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until_up(base, timeout=60):
    """Wait until `base`/healthz answers 200 (raises SystemExit after `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:  # refused, reset or timed out while the workers boot (URLError is an OSError)
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /healthz in time")


def check_paths(base, paths, cookie=""):
    """Request every path once (a warm-up); raise SystemExit if one does not answer 200."""
    for path in paths:
        request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        if status != 200:
            raise SystemExit(f"{path} answered {status}, not 200: fix it before measuring")


def run_wrk(base, paths, *, duration, connections, cookie=""):
    """Drive `paths` of `base` with wrk (2 threads) for `duration` seconds; return its figures as a dict.

    Keys: requests, rps, p50_ms, p95_ms, p99_ms, max_ms, errors (connect, read, write, timeout and
    non-2xx/3xx answers together), non2xx.
    """
    env = {**os.environ, "WRK_PATHS": ",".join(paths), "WRK_COOKIE": cookie}
    command = ["wrk", "--threads", "2", "--connections", str(connections), "--duration", f"{duration}s"]
    command += ["--timeout", "10s", "--script", str(ROOT / "bench" / "wrk_paths.lua"), base]
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True, timeout=duration + 60).stdout
    match = re.search(r"^RESULT (.*)$", output, re.MULTILINE)
    fields = dict(item.split("=") for item in match.group(1).split())
    return {key: (float(value) if "." in value else int(value)) for key, value in fields.items()}


def format_result(name, result):
    return (
        f"{name:<10} {result['rps']:>8.1f} req/s  p50 {result['p50_ms']:>7.1f} ms  "
        f"p95 {result['p95_ms']:>7.1f} ms  p99 {result['p99_ms']:>7.1f} ms  "
        f"requests {result['requests']:>6}  errors {result['errors']}"
    )


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
    flush_redis(env["REDIS_URL"])
    cookie = staff_cookie(env)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = start_gunicorn(env, port, workers=args.workers)
    try:
        wait_until_up(base)
        check_paths(base, PUBLIC_PATHS)
        check_paths(base, STAFF_PATHS, cookie)
        print(
            f"gunicorn {args.workers} workers, PostgreSQL, Redis, wrk 2 threads x {args.connections} connections, "
            f"{args.duration} s per run, {os.cpu_count()} cores"
        )
        errors = 0
        for name, paths, run_cookie in [("public", PUBLIC_PATHS, ""), ("dashboard", STAFF_PATHS, cookie)]:
            result = run_wrk(base, paths, duration=args.duration, connections=args.connections, cookie=run_cookie)
            print(format_result(name, result))
            errors += result["errors"]
    finally:
        stop_gunicorn(gunicorn)
    print(f"total errors: {errors}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
