"""Page benchmark: the main pages as users live them, cold and warm, at small or city scale.

Usage (from the project folder):

    .venv/bin/python bench/benchmark.py --database sqlite --scale small [--prepare] [--repeat 15]
    .venv/bin/python bench/benchmark.py --database postgres --scale city --prepare
    .venv/bin/python bench/benchmark.py --report      # all stored results side by side, as Markdown

--prepare builds the database first (migrate, demo records, generate_demo_data --scale …):
SQLite in bench/bench-<scale>.sqlite3, PostgreSQL in the database portal_bench_<scale>.

What is measured, through Django's test client (server-side time, no network):

- every target **cold** (the shared cache and every in-process cache of the portal — e.g. the
  chart cache — cleared before each request) and the cacheable ones **warm** (cache kept);
- the repetitions are **interleaved**: round 1 requests every target once, round 2 again, …, so
  that a slow minute of this shared machine hits all targets alike; medians and p95 are printed
  with the machine's load average before and after;
- the project's admin attendance list beside **Django's stock changelist** of the same model
  (a plain `admin.ModelAdmin` with the same columns, search and filter, on a second admin site
  mounted only here) on the same data, with the ratio;
- three **phases**: as the database is ("steady"; PostgreSQL is not vacuumed first), right
  **after an import** of --import-rows committed rows **without a vacuum** (what users see until
  autovacuum has run), and after a `VACUUM ANALYZE`. The imported rows are removed at the end.

The query count of each target is recorded once per phase (counted apart from the timed
requests). When the other scale's results of the same database exist, query counts are
compared: they must be identical (a page's query count may not grow with the data).
Results go to bench/results/<database>-<scale>.json. Peak memory is the process's max RSS.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from pages import add_ratios, install_stock_admin, measure_phase, print_phase  # noqa: E402 (after the path)


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


def vacuum(database, env):
    """VACUUM ANALYZE a PostgreSQL benchmark database (SQLite: ANALYZE only, as VACUUM rewrites the file)."""
    if database == "postgres":
        subprocess.run(["psql", env["DATABASE_URL"], "-qc", "VACUUM ANALYZE"], check=True)
    else:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def import_rows(rows):
    """Import bench/import_benchmark.py's sheet of `rows` rows (committed); return (timing, session ids)."""
    import tempfile

    import import_benchmark

    from partners.models import Organization
    from trainings.models import TrainingSession

    Organization.objects.bulk_create(
        [Organization(name=name, kind="care_plaza") for name in import_benchmark.ORGANIZATIONS],
        ignore_conflicts=True,
    )
    dates = [import_benchmark.session_date(i) for i in range(import_benchmark.SESSIONS)]
    sessions = TrainingSession.objects.bulk_create(
        [
            TrainingSession(date=d, title=import_benchmark.session_title(i)).set_derived_fields()
            for i, d in enumerate(dates)
        ]
    )
    with tempfile.TemporaryDirectory() as folder:
        sheet, _ = import_benchmark.generate(rows, Path(folder))
        seconds, imported = import_benchmark.phase_project(sheet, None)
    assert imported == rows, (imported, rows)
    return {"rows": rows, "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds)}, [s.pk for s in sessions]


def remove_imported(session_ids):
    """Remove the benchmark's sessions, sheets and rows (the rows by one SQL DELETE: clean-up, not measured)."""
    from django.db import connection, transaction

    from trainings.models import Attendance, AttendanceSheet, TrainingSession

    sheet_ids = list(
        AttendanceSheet.objects.filter(attendances__session_id__in=session_ids).values_list("pk", flat=True).distinct()
    )
    with transaction.atomic(), connection.cursor() as cursor:
        placeholders = ", ".join(["%s"] * len(session_ids))
        cursor.execute(f"DELETE FROM {Attendance._meta.db_table} WHERE session_id IN ({placeholders})", session_ids)
        AttendanceSheet.objects.filter(pk__in=sheet_ids).delete()
        TrainingSession.objects.filter(pk__in=session_ids).delete()


def compare_query_counts(database, scale, phases):
    """Print the steady phase's query counts beside the other scale's; return the targets that differ."""
    other_scale = "city" if scale == "small" else "small"
    other_path = ROOT / "bench" / "results" / f"{database}-{other_scale}.json"
    if not other_path.exists():
        print(f"(no {other_path.relative_to(ROOT)} yet: query counts not compared)")
        return []
    other = json.loads(other_path.read_text()).get("phases", {}).get("steady", {})
    differing = []
    print(f"\nquery counts, {database}: {scale} vs {other_scale}")
    for key, result in phases["steady"].items():
        theirs = other.get(key, {}).get("queries")
        same = theirs == result["queries"]
        if not same:
            differing.append(key)
        verdict = "same" if same else "DIFFERENT"
        print(f"  {key:<48} {result['queries']:>4} {'—' if theirs is None else theirs:>4}  {verdict}")
    return differing


REPORT_COLUMNS = [("sqlite", "small"), ("sqlite", "city"), ("postgres", "small"), ("postgres", "city")]


def report():
    """Print every stored result as Markdown tables, one per phase (median / p95 ms, queries, ratio)."""
    found = {}
    for database, scale in REPORT_COLUMNS:
        path = ROOT / "bench" / "results" / f"{database}-{scale}.json"
        if path.exists():
            data = json.loads(path.read_text())
            if "phases" in data:
                found[(database, scale)] = data
    if not found:
        print("no results in bench/results/")
        return
    columns = [key for key in REPORT_COLUMNS if key in found]
    for phase in ("steady", "after import, no vacuum", "after vacuum"):
        print(f"\n**{phase}**\n")
        print("| target | " + " | ".join(f"{d} {s} (FY{found[(d, s)]['fiscal_year']})" for d, s in columns) + " |")
        print("|---|" + "---:|" * len(columns))
        names = list(dict.fromkeys(k for key in columns for k in found[key]["phases"].get(phase, {})))
        for name in names:
            cells = []
            for key in columns:
                r = found[key]["phases"].get(phase, {}).get(name)
                if not r:
                    cells.append("—")
                    continue
                ratio = f", {r['vs_stock']:.2f}× stock" if "vs_stock" in r else ""
                cells.append(f"{r['median_ms']:,.0f} / {r['p95_ms']:,.0f} ms, {r['queries']} q{ratio}")
            print(f"| {name} | " + " | ".join(cells) + " |")
    print("\n| run | " + " | ".join(f"{d} {s}" for d, s in columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for label, field in (("load average (start → end)", "load"), ("peak memory", "peak_mb"), ("import", "import")):
        cells = []
        for key in columns:
            value = found[key].get(field)
            if field == "load" and value:
                cells.append(f"{value[0]:.2f} → {value[1]:.2f}")
            elif field == "import" and value:
                cells.append(f"{value['rows']:,} rows in {value['seconds']} s ({value['rows_per_s']:,}/s)")
            elif value:
                cells.append(f"{value:,} MB")
            else:
                cells.append("—")
        print(f"| {label} | " + " | ".join(cells) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--scale", choices=["small", "city"], default="small")
    parser.add_argument("--prepare", action="store_true", help="build the database first")
    parser.add_argument("--repeat", type=int, default=12)
    parser.add_argument("--fiscal-year", type=int, default=2024, help="year measured (city data: 2016–2026 but 2018)")
    parser.add_argument("--import-rows", type=int, default=100_000, help="rows imported between phases (0: skip)")
    parser.add_argument("--report", action="store_true", help="print all stored results as Markdown tables")
    args = parser.parse_args()
    if args.report:
        return report()

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
    install_stock_admin()
    fy = args.fiscal_year if args.scale == "city" else 2019
    staff, _ = get_user_model().objects.get_or_create(
        username="bench-manager", defaults={"is_staff": True, "is_superuser": True}
    )
    clients = {"public": Client(), "manager": Client()}
    clients["manager"].force_login(staff)

    from django.db import connection

    from trainings.models import Attendance, TrainingSession

    version = connection.Database.sqlite_version if connection.vendor == "sqlite" else connection.pg_version
    print(
        f"{args.database} ({connection.vendor} {version}) / {args.scale}: "
        f"{TrainingSession.objects.count():,} sessions, "
        f"{Attendance.objects.count():,} attendance rows / FY{fy} / {args.repeat} interleaved rounds / "
        f"{os.cpu_count()} cores"
    )
    phases, loads = {}, []
    imported = None

    def run(phase):
        before = os.getloadavg()
        results = measure_phase(clients, fy, args.repeat)
        after = os.getloadavg()
        add_ratios(results)
        loads.extend([before[0], after[0]])
        print_phase(phase, results, before, after)
        phases[phase] = results

    run("steady")
    if args.import_rows:
        imported, session_ids = import_rows(args.import_rows)
        print(f"\nimported {imported['rows']:,} rows in {imported['seconds']} s = {imported['rows_per_s']:,} rows/s")
        try:
            run("after import, no vacuum")
            vacuum(args.database, env)
            run("after vacuum")
        finally:
            remove_imported(session_ids)

    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    path = out / f"{args.database}-{args.scale}.json"
    peak_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    path.write_text(
        json.dumps(
            {
                "database": args.database,
                "scale": args.scale,
                "fiscal_year": fy,
                "repeat": args.repeat,
                "cores": os.cpu_count(),
                "load": [loads[0], loads[-1]],
                "peak_mb": peak_mb,
                "sessions": TrainingSession.objects.count(),
                "attendance_rows": Attendance.objects.count(),
                "phases": phases,
                "import": imported,
            },
            ensure_ascii=False,
            indent=1,
        )
    )
    print(f"\npeak memory {peak_mb:,} MB; written: {path.relative_to(ROOT)}")
    differing = compare_query_counts(args.database, args.scale, phases)
    if differing:
        print(f"QUERY COUNTS DIFFER between scales: {', '.join(differing)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
