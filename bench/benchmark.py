"""Page benchmark: server-side time and query count of the main pages, at small or city scale.

Usage (from the project folder):

    .venv/bin/python bench/benchmark.py --database sqlite --scale small [--prepare] [--repeat 15]
    .venv/bin/python bench/benchmark.py --database postgres --scale city --prepare

--prepare builds the database first (migrate, demo records, generate_demo_data --scale …):
SQLite in bench/bench-<scale>.sqlite3, PostgreSQL in the database portal_bench_<scale>. Each
target is requested through Django's test client (no network): two warm-up requests, then
--repeat timed requests; the median and p95 of the server-side time and the query count of the
last request are printed as a table and written to bench/results/<database>-<scale>.json.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def database_url(database, scale):
    if database == "sqlite":
        return f"sqlite:///{ROOT / 'bench' / f'bench-{scale}.sqlite3'}"
    return f"postgres://postgres@127.0.0.1:5432/portal_bench_{scale}"


def prepare(database, scale, env):
    if database == "sqlite":
        (ROOT / "bench" / f"bench-{scale}.sqlite3").unlink(missing_ok=True)
    else:
        name = f"portal_bench_{scale}"
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    for args in (["migrate", "--noinput", "-v0"], ["load_demo_data"], ["generate_demo_data", "--scale", scale]):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)
    if database == "postgres":
        subprocess.run(["psql", env["DATABASE_URL"], "-qc", "VACUUM ANALYZE"], check=True)


def targets(fy):
    """Return (name, path, needs_staff, clear_cache) for every measured page."""
    return [
        ("dashboard", f"/dashboard/{fy}/", True, False),
        ("report", f"/dashboard/{fy}/report/", True, False),
        ("summary (cached)", f"/summary/{fy}/", False, False),
        ("summary (cold)", f"/summary/{fy}/", False, True),
        ("cases", "/cases/", False, True),
        ("home (cold)", "/", False, True),
        ("admin sessions", "/admin/trainings/trainingsession/", True, False),
        ("admin sessions search", "/admin/trainings/trainingsession/?q=出前塾", True, False),
        ("admin sessions filter", f"/admin/trainings/trainingsession/?fiscal_year={fy}", True, False),
        ("admin attendance", "/admin/trainings/attendance/", True, False),
        ("admin attendance search", "/admin/trainings/attendance/?q=山田", True, False),
        ("admin attendance filter", f"/admin/trainings/attendance/?session_fiscal_year={fy}", True, False),
    ]


def measure(client, path, *, repeat, clear_cache):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        response = client.get(path)
    if response.status_code != 200:
        return {"status": response.status_code}
    times = []
    for _ in range(repeat):
        if clear_cache:
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "status": 200,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1),
        "queries": len(queries),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--scale", choices=["small", "city"], default="small")
    parser.add_argument("--prepare", action="store_true", help="build the database first")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--fiscal-year", type=int, default=2024, help="year measured (city data: 2016–2026 but 2018)")
    args = parser.parse_args()

    env = {**os.environ, "DATABASE_URL": database_url(args.database, args.scale), "DEBUG": "0", "LOG_LEVEL": "ERROR"}
    env.setdefault("SECRET_KEY", "benchmark-only-not-secret")
    if args.prepare:
        prepare(args.database, args.scale, env)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    fy = args.fiscal_year if args.scale == "city" else 2019
    staff, _ = get_user_model().objects.get_or_create(
        username="bench-manager", defaults={"is_staff": True, "is_superuser": True}
    )
    public, manager = Client(), Client()
    manager.force_login(staff)

    results = {}
    print(f"{args.database} / {args.scale} / FY{fy} / {args.repeat} requests each / {os.cpu_count()} cores")
    print(f"{'target':<26} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, path, needs_staff, clear_cache in targets(fy):
        result = measure(manager if needs_staff else public, path, repeat=args.repeat, clear_cache=clear_cache)
        results[name] = {"path": path, **result}
        if result["status"] != 200:
            print(f"{name:<26} {'HTTP ' + str(result['status']):>10}")
            continue
        print(f"{name:<26} {result['median_ms']:>10.1f} {result['p95_ms']:>8.1f} {result['queries']:>8}")

    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    path = out / f"{args.database}-{args.scale}.json"
    path.write_text(
        json.dumps(
            {"database": args.database, "scale": args.scale, "fiscal_year": fy, "results": results},
            ensure_ascii=False,
            indent=1,
        )
    )
    print(f"written: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
