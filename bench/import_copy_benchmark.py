"""The import on PostgreSQL beside COPY of the same final rows (not a test): the ratio of issue 13, point 2.

    nice -n 10 .venv/bin/python bench/import_copy_benchmark.py --rows 200000 --repeat 3

In a scratch database (portal_bench_copy, dropped and created again) with the 100 sessions and
20 organisations of bench/import_benchmark.py's CP932 sheet, it times, interleaved (A, B, A, B…):

  (A) import   – `manage.py import_attendance sheet.csv --kind participants_multi` in a fresh
                 process: read, detect the encoding, validate every row, write in one transaction
                 (COPY since issue 13); wall time of the whole command and its peak RSS;
  (B) COPY     – the same final rows (exported from the table after the first import) copied with
                 psycopg 3 into `bench_copy`, a copy of the attendance table with the same indexes
                 (CREATE TABLE … LIKE … INCLUDING ALL; no triggers, no foreign keys).

  (C) admin    – with --admin-rows N (default 5,000): a sheet of N rows previewed and confirmed in
                 the admin through Django's test client, as shipped (the confirm writes the rows the
                 preview kept, with COPY); the confirm's time is issue 13's "under 1 s".

Between repetitions the imported rows are removed. Prints the medians, the ratio A/B and the load.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from import_benchmark import generate  # noqa: E402

# BENCH_COPY_DB: another scratch database name, so that two checkouts can measure at once.
DB = os.environ.get("BENCH_COPY_DB", "portal_bench_copy")
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"

CHILD = """
import os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
import django
django.setup()
from io import StringIO
from django.core.management import call_command
start = time.perf_counter()
call_command("import_attendance", sys.argv[1], "--kind", "participants_multi", stdout=StringIO())
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""

ADMIN = """
import os, sys
sys.path.insert(0, "bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["SECURE_SSL_REDIRECT"] = "0"  # the test client speaks plain HTTP (server-side time only)
import django
django.setup()
from pathlib import Path
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from import_benchmark import phase_admin
User.objects.filter(username__in=["bench", "warm-up"]).delete()
# A running server has its templates, URLs and admin loaded: one page first, not timed.
from django.conf import settings
from django.test import override_settings
warm = Client()
warm.force_login(User.objects.create_superuser("warm-up", password=None))
static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
plain_static = {**settings.STORAGES, "staticfiles": static}
with override_settings(STORAGES=plain_static):
    assert warm.get(reverse("admin:trainings_attendancesheet_import")).status_code == 200
(preview, confirm), rows = phase_admin(Path(sys.argv[1]), None)
print(preview, confirm, rows)
"""

SETUP = """
import os, sys
sys.path.insert(0, "bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
import django
django.setup()
from import_benchmark import ORGANIZATIONS, SESSIONS, session_date, session_title
from partners.models import Organization
from trainings.models import TrainingSession
Organization.objects.bulk_create([Organization(name=name, kind="care_plaza") for name in ORGANIZATIONS])
TrainingSession.objects.bulk_create(
    [TrainingSession(date=session_date(i), title=session_title(i)).set_derived_fields() for i in range(SESSIONS)]
)
"""


def psql(sql):
    subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", DB, "-c", sql], check=True)


def prepare(env):
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, check=True)
    psql("CREATE TABLE bench_copy (LIKE trainings_attendance INCLUDING ALL)")


def clear():
    psql(
        "DELETE FROM trainings_attendance; DELETE FROM trainings_attendancesheet; "
        "DELETE FROM portal_historicalattendancesheet"
    )
    psql("VACUUM ANALYZE trainings_attendance")


def _child_words(code, sheet, env):
    """Run `code` on `sheet` in a fresh, niced process; return the words it printed."""
    return subprocess.run(
        ["nice", "-n", "10", sys.executable, "-c", code, str(sheet)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()


def run_import(sheet, env):
    out = _child_words(CHILD, sheet, env)
    return float(out[-2]), float(out[-1])


def run_admin(sheet, env):
    """Return (preview seconds, confirm seconds) of the admin's preview and confirm of `sheet`."""
    out = _child_words(ADMIN, sheet, env)
    return float(out[-3]), float(out[-2])


def export_rows(rows_file):
    """Write the attendance table's rows (the import's final rows) in COPY's text format to rows_file."""
    import psycopg

    with (
        psycopg.connect(URL) as connection,
        connection.cursor() as cursor,
        cursor.copy("COPY trainings_attendance TO STDOUT") as copy,
        rows_file.open("wb") as out,
    ):
        for block in copy:
            out.write(block)


def run_copy(rows_file):
    import psycopg

    with psycopg.connect(URL) as connection, connection.cursor() as cursor:
        cursor.execute("TRUNCATE bench_copy")
        connection.commit()
        data = rows_file.read_bytes()
        start = time.perf_counter()
        with cursor.copy("COPY bench_copy FROM STDIN") as copy:
            copy.write(data)
        connection.commit()
        return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--admin-rows", type=int, default=5_000, help="rows of the admin sheet (0: skip)")
    args = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": URL,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-not-secret"),
        "IMPORT_MAX_ROWS": str(max(args.rows, 200_000)),
        "IMPORT_MAX_UPLOAD_MB": "500",
    }
    env.pop("DEBUG", None)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        sheet, _ = generate(args.rows, folder)
        prepare(env)
        load_before = os.getloadavg()
        admin_sheet = generate(args.admin_rows, folder)[0] if args.admin_rows else None
        imports, copies, peaks, previews, confirms = [], [], [], [], []
        rows_file = folder / "rows.copy"
        for repetition in range(args.repeat):
            seconds, peak = run_import(sheet, env)
            imports.append(seconds)
            peaks.append(peak)
            if repetition == 0:
                export_rows(rows_file)
            clear()
            copies.append(run_copy(rows_file))
            if admin_sheet:
                preview, confirm = run_admin(admin_sheet, env)
                previews.append(preview)
                confirms.append(confirm)
                clear()
        a, b = statistics.median(imports), statistics.median(copies)
        load = os.getloadavg()
        print(f"PostgreSQL, {args.rows:,} rows, CP932 CSV, {args.repeat} interleaved repetitions (median)")
        print(f"  (A) import_attendance   {a:7.2f} s  {args.rows / a:9,.0f} rows/s  peak {max(peaks):.0f} MB")
        print(f"  (B) COPY of final rows  {b:7.2f} s  {args.rows / b:9,.0f} rows/s")
        print(f"  ratio A/B = {a / b:.2f}  (target ≤ 3)   runs A: {', '.join(f'{x:.1f}' for x in imports)}")
        if confirms:
            print(
                f"  (C) admin, {args.admin_rows:,} rows: preview {statistics.median(previews):.2f} s, "
                f"confirm {statistics.median(confirms):.2f} s (medians; confirms: "
                f"{', '.join(f'{x:.2f}' for x in confirms)})"
            )
        print(
            f"  load average {load_before[0]:.1f} {load_before[1]:.1f} {load_before[2]:.1f} before, "
            f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f} after, on {os.cpu_count()} CPU(s)"
        )


if __name__ == "__main__":
    main()
