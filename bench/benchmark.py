"""Page benchmark: server-side time and query count of the main pages, at small or city scale.

Usage (from the project folder):

    .venv/bin/python bench/benchmark.py --database sqlite --scale small [--prepare] [--repeat 15]
    .venv/bin/python bench/benchmark.py --database postgres --scale city --prepare
    .venv/bin/python bench/benchmark.py --report      # all results side by side, as a Markdown table

--prepare builds the database first (migrate, demo records, generate_demo_data --scale …):
SQLite in bench/bench-<scale>.sqlite3, PostgreSQL in the database portal_bench_<scale>. Each
target is requested through Django's test client (no network): two warm-up requests, then
--repeat timed requests; the median and p95 of the server-side time, and the query count of one
more request (counted apart, so that recording queries does not slow the timed ones), are
printed and written to bench/results/<database>-<scale>.json. When the other scale's results
of the same database exist, the query counts are compared: they must be identical.

Then the attendance import (bench/import_benchmark.py's sheet: N rows over 100 sessions, CP932,
full validation and the one-transaction write) runs once on the same database, beside the
city-size table, inside a transaction that is rolled back; its rows/s are printed and stored.
A PostgreSQL database is VACUUM ANALYZEd before the pages are measured and after the import.
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
    vacuum(database, env)


def vacuum(database, env):
    """VACUUM ANALYZE a PostgreSQL benchmark database (no-op for SQLite).

    The yearly figures are index-only scans, which visit the table for every page the visibility
    map does not mark all-visible: the rolled-back rows of an import benchmark (or any large write
    before autovacuum has run) make the dashboard 1.5-2x slower until the table is vacuumed.
    """
    if database == "postgres":
        subprocess.run(["psql", env["DATABASE_URL"], "-qc", "VACUUM ANALYZE"], check=True)


def targets(fy):
    """Return (name, path, needs_staff, clear_cache) for every measured page."""
    return [
        ("dashboard", f"/dashboard/{fy}/", True, False),
        ("dashboard (cold)", f"/dashboard/{fy}/", True, True),
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
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    if clear_cache:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    times.sort()
    return {
        "status": 200,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1),
        "queries": len(queries),
    }


def measure_import(rows):
    """Import bench/import_benchmark.py's sheet of `rows` rows into this database and roll it back.

    Returns {"rows", "seconds", "rows_per_s"}: read_sheet + ParticipantsMultiResource.import_data,
    i.e. encoding detection, full validation and the one-transaction write (with the triggers).
    """
    import tempfile

    import import_benchmark
    from django.db import transaction

    from core.fiscal import fiscal_year
    from partners.models import Organization
    from trainings.models import TrainingSession

    with tempfile.TemporaryDirectory() as folder:
        sheet, _ = import_benchmark.generate(rows, Path(folder))
        with transaction.atomic():
            Organization.objects.bulk_create(
                [Organization(name=name, kind="care_plaza") for name in import_benchmark.ORGANIZATIONS],
                ignore_conflicts=True,
            )
            dates = [import_benchmark.session_date(i) for i in range(import_benchmark.SESSIONS)]
            TrainingSession.objects.bulk_create(
                [
                    TrainingSession(date=d, title=import_benchmark.session_title(i), fiscal_year=fiscal_year(d))
                    for i, d in enumerate(dates)
                ]
            )
            seconds, imported = import_benchmark.phase_project(sheet, None)
            transaction.set_rollback(True)
    assert imported == rows, (imported, rows)
    return {"rows": rows, "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds)}


def compare_query_counts(database, scale, results):
    """Print the query counts beside the other scale's (same database); return the targets that differ."""
    other_scale = "city" if scale == "small" else "small"
    other_path = ROOT / "bench" / "results" / f"{database}-{other_scale}.json"
    if not other_path.exists():
        print(f"(no {other_path.relative_to(ROOT)} yet: query counts not compared)")
        return []
    other = json.loads(other_path.read_text())["results"]
    differing = []
    print(f"\nquery counts, {database}: {scale} vs {other_scale}")
    for name, result in results.items():
        if "queries" not in result:
            continue
        theirs = other.get(name, {}).get("queries")
        same = theirs == result["queries"]
        if not same:
            differing.append(name)
        print(
            f"  {name:<26} {result['queries']:>4} {'—' if theirs is None else theirs:>4}  "
            f"{'same' if same else 'DIFFERENT'}"
        )
    return differing


REPORT_COLUMNS = [("sqlite", "small"), ("sqlite", "city"), ("postgres", "small"), ("postgres", "city")]


def report():
    """Print every result file side by side as a Markdown table (median / p95 ms, queries)."""
    found = {}
    for database, scale in REPORT_COLUMNS:
        path = ROOT / "bench" / "results" / f"{database}-{scale}.json"
        if path.exists():
            found[(database, scale)] = json.loads(path.read_text())
    if not found:
        print("no results in bench/results/")
        return
    columns = [key for key in REPORT_COLUMNS if key in found]
    print("| page | " + " | ".join(f"{d} {s} (FY{found[(d, s)]['fiscal_year']})" for d, s in columns) + " |")
    print("|---|" + "---:|" * len(columns))
    names = list(dict.fromkeys(name for key in columns for name in found[key]["results"]))
    for name in names:
        cells = []
        for key in columns:
            r = found[key]["results"].get(name, {})
            cells.append(
                f"{r['median_ms']:,.0f} / {r['p95_ms']:,.0f} ms, {r['queries']} q" if r.get("status") == 200 else "—"
            )
        print(f"| {name} | " + " | ".join(cells) + " |")
    cells = []
    for key in columns:
        imp = found[key].get("import")
        cells.append(f"{imp['rows_per_s']:,} rows/s ({imp['rows']:,} rows, {imp['seconds']} s)" if imp else "—")
    print("| import (attendance sheet) | " + " | ".join(cells) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--scale", choices=["small", "city"], default="small")
    parser.add_argument("--prepare", action="store_true", help="build the database first")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--fiscal-year", type=int, default=2024, help="year measured (city data: 2016–2026 but 2018)")
    parser.add_argument("--import-rows", type=int, default=100_000, help="rows of the import benchmark (0: skip)")
    parser.add_argument("--report", action="store_true", help="print all stored results as one Markdown table")
    args = parser.parse_args()
    if args.report:
        return report()

    env = {**os.environ, "DATABASE_URL": database_url(args.database, args.scale), "DEBUG": "0", "LOG_LEVEL": "ERROR"}
    env.setdefault("SECRET_KEY", "benchmark-only-not-secret")
    if args.prepare:
        prepare(args.database, args.scale, env)
    else:
        vacuum(args.database, env)  # start from the state autovacuum keeps, whatever ran before
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

    from django.db import connection

    from trainings.models import Attendance, TrainingSession

    sys.path.insert(0, str(ROOT / "bench"))
    results = {}
    version = connection.Database.sqlite_version if connection.vendor == "sqlite" else connection.pg_version
    print(
        f"{args.database} ({connection.vendor} {version}) "
        f"/ {args.scale}: {TrainingSession.objects.count():,} sessions, {Attendance.objects.count():,} attendance rows "
        f"/ FY{fy} / {args.repeat} requests each / {os.cpu_count()} cores"
    )
    print(f"{'target':<26} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, path, needs_staff, clear_cache in targets(fy):
        result = measure(manager if needs_staff else public, path, repeat=args.repeat, clear_cache=clear_cache)
        results[name] = {"path": path, **result}
        if result["status"] != 200:
            print(f"{name:<26} {'HTTP ' + str(result['status']):>10}")
            continue
        print(f"{name:<26} {result['median_ms']:>10.1f} {result['p95_ms']:>8.1f} {result['queries']:>8}")

    imported = None
    if args.import_rows:
        imported = measure_import(args.import_rows)
        vacuum(args.database, env)  # leave no dead rows of the rolled-back import behind
        print(
            f"{'import (attendance sheet)':<26} {imported['rows']:,} rows in {imported['seconds']} s = "
            f"{imported['rows_per_s']:,} rows/s"
        )

    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    path = out / f"{args.database}-{args.scale}.json"
    path.write_text(
        json.dumps(
            {
                "database": args.database,
                "scale": args.scale,
                "fiscal_year": fy,
                "repeat": args.repeat,
                "cores": os.cpu_count(),
                "sessions": TrainingSession.objects.count(),
                "attendance_rows": Attendance.objects.count(),
                "results": results,
                "import": imported,
            },
            ensure_ascii=False,
            indent=1,
        )
    )
    print(f"written: {path.relative_to(ROOT)}")
    differing = compare_query_counts(args.database, args.scale, results)
    if differing:
        print(f"QUERY COUNTS DIFFER between scales: {', '.join(differing)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
