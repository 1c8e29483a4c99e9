"""The attendance import beside its peers, in one run on PostgreSQL (not a test): issue 13, point 8.

    nice -n 10 .venv/bin/python bench/import_peers.py                              # 10k, 100k, 1M rows
    nice -n 10 .venv/bin/python bench/import_peers.py --sizes 10000 --repeat 3     # a quick look

For each size it generates bench/import_benchmark.py's realistic CP932 sheet (mixed date forms,
furigana in hiragana and katakana, roles, notes, a third of the organisations unregistered, wards
written several ways, 100 sessions) and measures, each repetition in a fresh process on a fresh
copy of a migrated database (so the peak RSS is that competitor's alone), interleaved
(A, B, C…, then …C, B, A, and so on; medians):

  project      `manage.py import_attendance SHEET --kind participants_multi`: read, detect the
               encoding, validate every row, write in one transaction (timed from the command's start);
  admin        the admin as shipped (production settings: manifest static files, HTTPS, the shipped
               upload and row limits): upload → preview → 「取り込む」 through Django's test client;
  ie_default   a plain import-export ModelResource for Attendance with the final rows' columns and
               import-export's own import_data, default options (save() per row, so audit history too);
  ie_bulk      the same resource with import-export's bulk options: use_bulk, skip_diff,
               force_init_instance, batch_size (--batch-size);
  bulk_create  the final rows read from CSV and written with Django's bulk_create (2,000 a batch);
  copy         psycopg 3 COPY of the final rows into the attendance table (its triggers and indexes);
  copy_bare    the same COPY into an indexed copy of the table without triggers or foreign keys
               (CREATE TABLE … LIKE … INCLUDING ALL: the yardstick of issue 13, point 2);
  undo         deleting the import (trainings.importing.services.undo_import, what the admin's
               delete of an AttendanceSheet runs) after its rows were put back with COPY and
               VACUUM ANALYZE (untimed): one set-based DELETE, the triggers, the audit entry.

"The final rows" are what the project's import stored (exported after its first run, with the sheet
record they point to restored first), so every peer writes exactly the same rows, already resolved
(session, organisation and ward ids, person keys): the peers do none of the project's reading,
date parsing or matching. A competitor whose first run takes over --once-over seconds is not
repeated (the table lists every run). A competitor that runs past --time-limit is stopped and shown as
"stopped: > N s"; at a larger size it is "not run" when its last median scaled by the row count
would pass the limit. The admin is "not run" above the shipped IMPORT_MAX_ROWS.
Prints a Markdown table: median seconds, rows/s, the ratio to COPY, peak RSS and the load average.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import import_runs as shared  # noqa: E402
from import_benchmark import generate  # noqa: E402

COMPETITORS = ["project", "admin", "ie_default", "ie_bulk", "bulk_create", "copy", "copy_bare", "undo"]
PEERS = {"ie_default", "ie_bulk", "bulk_create", "copy", "copy_bare", "undo"}  # they need the final rows
COLUMNS = [
    ("session_id", "session"),
    ("sheet_id", "sheet"),
    ("row_number", "row_number"),
    ("name", "name"),
    ("name_kana", "name_kana"),
    ("organization_id", "organization"),
    ("organization_text", "organization_text"),
    ("ward_id", "ward"),
    ("role", "role"),
    ("note", "note"),
    ("person_key", "person_key"),
    ("search_key", "search_key"),
]

ADMIN_CHILD = r"""
import json, re, resource, sys, time
import django
django.setup()
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from trainings.models import Attendance
path = sys.argv[1]
client = Client()
client.force_login(User.objects.create_superuser("bench", password=None))
upload = SimpleUploadedFile(path.rsplit("/", 1)[-1], open(path, "rb").read())
start = time.perf_counter()
preview = client.post(
    reverse("admin:trainings_attendancesheet_import"), {"kind": "auto", "import_file": upload}, secure=True
)
preview_seconds = time.perf_counter() - start
page = preview.content.decode()
if preview.status_code != 200 or 'name="_confirm"' not in page:
    sys.exit(f"no confirm button: HTTP {preview.status_code}")
# The confirmation form's hidden fields, as the browser sends them back.
confirm = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
start = time.perf_counter()
done = client.post(
    reverse("admin:trainings_attendancesheet_process_import"), {**confirm, "_confirm": "1"}, secure=True
)
confirm_seconds = time.perf_counter() - start
if done.status_code != 302:
    sys.exit(f"confirm answered HTTP {done.status_code}")
print(json.dumps({
    "seconds": preview_seconds + confirm_seconds, "preview": preview_seconds, "confirm": confirm_seconds,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "rows": Attendance.objects.count(),
}))
"""

PEER_CHILD = r"""
import csv, itertools, json, resource, sys, time
import django
django.setup()
from django.db import transaction
from trainings.models import Attendance
mode, path, batch_size = sys.argv[1], sys.argv[2], int(sys.argv[3])
FIELDS = ("id", "session", "sheet", "row_number", "name", "name_kana", "organization", "organization_text",
          "ward", "role", "note", "person_key", "search_key")

def number(text):
    return int(text) if text else None

start = time.perf_counter()
if mode == "bulk_create":
    with open(path, encoding="utf-8", newline="") as file, transaction.atomic():
        reader = csv.DictReader(file)
        while batch := list(itertools.islice(reader, 2000)):
            Attendance.objects.bulk_create([
                Attendance(
                    session_id=int(r["session"]), sheet_id=number(r["sheet"]), row_number=number(r["row_number"]),
                    name=r["name"], name_kana=r["name_kana"], organization_id=number(r["organization"]),
                    organization_text=r["organization_text"], ward_id=number(r["ward"]), role=r["role"],
                    note=r["note"], person_key=r["person_key"], search_key=r["search_key"],
                )
                for r in batch
            ])
else:
    import tablib
    from import_export import resources

    class DefaultResource(resources.ModelResource):
        class Meta:
            model = Attendance
            fields = FIELDS

    class BulkResource(resources.ModelResource):
        class Meta:
            model = Attendance
            fields = FIELDS
            use_bulk = True
            skip_diff = True
            force_init_instance = True
            batch_size = int(sys.argv[3])

    with open(path, encoding="utf-8", newline="") as file:
        dataset = tablib.Dataset().load(file.read(), format="csv")
    importer = (BulkResource if mode == "ie_bulk" else DefaultResource)()
    result = importer.import_data(dataset, dry_run=False, raise_errors=True)
    assert not result.has_errors() and not result.has_validation_errors()
seconds = time.perf_counter() - start
print(json.dumps({
    "seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "rows": Attendance.objects.count(),
}))
"""

UNDO_CHILD = r"""
import json, resource, time
import django
django.setup()
from trainings.importing.services import undo_import
from trainings.models import Attendance, AttendanceSheet
sheet = AttendanceSheet.objects.get()
start = time.perf_counter()
removed = undo_import(sheet)
seconds = time.perf_counter() - start
assert not Attendance.objects.exists()
print(json.dumps({"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rows": removed}))
"""

COPY_CHILD = r"""
import json, resource, sys, time
import psycopg
url, table, columns, path = sys.argv[1:5]
start = time.perf_counter()
with psycopg.connect(url) as connection, connection.cursor() as cursor:
    with open(path, "rb") as file, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        while block := file.read(1 << 20):
            copy.write(block)
    connection.commit()
    seconds = time.perf_counter() - start
    cursor.execute(f"SELECT count(*) FROM {table}")
    rows = cursor.fetchone()[0]
print(json.dumps({"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rows": rows}))
"""


def export_final_rows(url, folder):
    """Write the imported rows as import-export's CSV and as COPY text, and the sheet record; return paths."""
    import psycopg

    select_csv = ", ".join(f"{column} AS {field}" for column, field in COLUMNS)
    select_text = ", ".join(column for column, _ in COLUMNS)
    statements = {
        "rows.csv": f"COPY (SELECT NULL AS id, {select_csv} FROM trainings_attendance ORDER BY id) "
        "TO STDOUT WITH (FORMAT csv, HEADER)",
        "rows.copy": f"COPY (SELECT {select_text} FROM trainings_attendance ORDER BY id) TO STDOUT",
        "sheet.copy": "COPY trainings_attendancesheet TO STDOUT",
    }
    paths = {}
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        for name, statement in statements.items():
            paths[name] = folder / name
            with paths[name].open("wb") as out, cursor.copy(statement) as copy:
                for block in copy:
                    out.write(block)
    return paths


def prepare_peer(url, competitor, final):
    """Restore the sheet record the final rows point to; for copy_bare create the bare table, for undo
    put the rows back (COPY, then VACUUM ANALYZE as autovacuum would after a large insert)."""
    import psycopg

    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        with cursor.copy("COPY trainings_attendancesheet FROM STDIN") as copy:
            copy.write(final["sheet.copy"].read_bytes())
        if competitor == "copy_bare":
            cursor.execute("CREATE TABLE bench_copy (LIKE trainings_attendance INCLUDING ALL)")
        if competitor == "undo":
            columns = ", ".join(column for column, _ in COLUMNS)
            with cursor.copy(f"COPY trainings_attendance ({columns}) FROM STDIN") as copy:
                copy.write(final["rows.copy"].read_bytes())
        connection.commit()
    if competitor == "undo":
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE trainings_attendance, trainings_reach, trainings_reachtotal")


def measure(competitor, url, sheet, final, args):
    """Run one repetition of competitor in a fresh process; return its figures, or None when stopped."""
    columns = ", ".join(column for column, _ in COLUMNS)
    if competitor == "project":
        env = shared.child_env(url, IMPORT_MAX_ROWS=str(max(args.sizes)), IMPORT_MAX_UPLOAD_MB="2000")
        return shared.run_child(shared.ROOT, shared.IMPORT_CHILD, [sheet], env, args.time_limit)
    if competitor == "admin":
        return shared.run_child(shared.ROOT, ADMIN_CHILD, [sheet], shared.child_env(url), args.time_limit)
    prepare_peer(url, competitor, final)
    if competitor == "undo":
        return shared.run_child(shared.ROOT, UNDO_CHILD, [], shared.child_env(url), args.time_limit)
    if competitor in ("copy", "copy_bare"):
        table = "trainings_attendance" if competitor == "copy" else "bench_copy"
        return shared.run_child(
            shared.ROOT, COPY_CHILD, [url, table, columns, final["rows.copy"]], shared.child_env(url), args.time_limit
        )
    command = [competitor, final["rows.csv"], args.batch_size]
    return shared.run_child(shared.ROOT, PEER_CHILD, command, shared.child_env(url), args.time_limit)


def shipped_row_limit():
    """Return the shipped IMPORT_MAX_ROWS (the settings' default, read without the benchmark's environment)."""
    code = "import django; django.setup(); from django.conf import settings; print(settings.IMPORT_MAX_ROWS)"
    env = shared.child_env("sqlite:///:memory:")
    env.pop("IMPORT_MAX_ROWS", None)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=shared.ROOT, env=env, capture_output=True, text=True, check=True
    )
    return int(out.stdout.split()[-1])


def collect_static():
    """The shipped settings serve static files through the manifest storage: collect them once."""
    if not (shared.ROOT / "staticfiles" / "staticfiles.json").exists():
        command = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
        subprocess.run(command, cwd=shared.ROOT, env=shared.child_env("sqlite:///:memory:"), check=True)  # noqa: S603


def skip_reason(competitor, n, args, history, row_limit):
    """Return why competitor is not run at n rows (None: run it). history: {competitor: [(n, median|None)]}."""
    if competitor == "admin" and n > row_limit:
        return f"not run: over the shipped limit ({row_limit:,} rows)"
    for earlier_n, median in history.get(competitor, []):
        if median is None:
            return f"not run: > {args.time_limit:.0f} s at {earlier_n:,} rows"
        if median * n / earlier_n > args.time_limit:
            return f"not run: > {args.time_limit:.0f} s expected ({median:.0f} s at {earlier_n:,} rows)"
    return None


def report_size(n, competitors, runs, skipped, args):
    """Print the Markdown rows of one size; return {competitor: median seconds or None}."""
    medians = {c: statistics.median(r["seconds"] for r in runs[c]) for c in competitors if runs[c]}
    copy = medians.get("copy")
    for competitor in competitors:
        if competitor in skipped:
            print(f"| {n:,} | {competitor} | {skipped[competitor]} | | | | | |")
            continue
        done = runs[competitor]
        if not done:
            print(f"| {n:,} | {competitor} | stopped: > {args.time_limit:.0f} s | | | | | |")
            continue
        median = medians[competitor]
        ratio = f"{median / copy:.2f}" if copy else "–"
        before = statistics.median(r["load_before"] for r in done)
        after = statistics.median(r["load_after"] for r in done)
        times = ", ".join(f"{r['seconds']:.2f}" for r in done)
        if competitor == "admin":
            parts = (statistics.median(r["preview"] for r in done), statistics.median(r["confirm"] for r in done))
            times += f" (preview {parts[0]:.2f} + confirm {parts[1]:.2f})"
        print(
            f"| {n:,} | {competitor} | {median:.2f} | {n / median:,.0f} | {ratio} | "
            f"{max(r['peak_mb'] for r in done):.0f} | {before:.1f} → {after:.1f} | {times} |",
            flush=True,
        )
    return {c: medians.get(c) for c in competitors if c not in skipped}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="interleaved repetitions per size (median)")
    parser.add_argument("--competitors", nargs="+", choices=COMPETITORS, default=COMPETITORS)
    parser.add_argument("--time-limit", type=float, default=900, help="seconds before a run is stopped")
    parser.add_argument(
        "--once-over", type=float, default=120, help="a competitor whose first run takes longer is not repeated"
    )
    parser.add_argument("--batch-size", type=int, default=5000, help="ie_bulk's batch_size")
    parser.add_argument("--database", default="portal_peers_bench", help="PostgreSQL name (and _tpl)")
    args = parser.parse_args()
    competitors = ["project", *(c for c in args.competitors if c != "project")]  # its rows feed the peers
    template, url = shared.PG + args.database + "_tpl", shared.PG + args.database
    shared.prepare_template(shared.ROOT, template, *shared.sheet_fixture())
    row_limit = shipped_row_limit()
    if "admin" in competitors:
        collect_static()
    head = subprocess.run(["git", "log", "-1", "--format=%h %cs"], cwd=shared.ROOT, capture_output=True, text=True)
    print(
        f"PostgreSQL; commit {head.stdout.strip()}; {os.cpu_count()} CPU(s); CP932 sheet, 100 sessions; "
        f"{args.repeat} interleaved repetitions, median; ie_bulk batch_size {args.batch_size}; "
        f"load average at start {' '.join(f'{x:.1f}' for x in os.getloadavg())}\n"
    )
    print("| rows | competitor | median s | rows/s | × COPY | peak RSS MB | load before → after | runs s |")
    print("|---:|---|---:|---:|---:|---:|---|---|")
    history = {}
    with tempfile.TemporaryDirectory(prefix="import-peers-") as folder:
        folder = Path(folder)
        for n in args.sizes:
            sheet, _ = generate(n, folder)
            final = None
            runs = {c: [] for c in competitors}
            skipped = {c: reason for c in competitors if (reason := skip_reason(c, n, args, history, row_limit))}
            stopped = set()
            for repetition in range(args.repeat):
                order = competitors if repetition % 2 == 0 else competitors[::-1]
                for competitor in order:
                    if competitor in skipped or competitor in stopped:
                        continue
                    if runs[competitor] and runs[competitor][0]["seconds"] > args.once_over:
                        continue  # one run of a slow competitor says enough; the runs column shows it
                    if competitor in PEERS and final is None:
                        skipped[competitor] = "not run: the project's import gave no rows"
                        continue
                    shared.fresh_copy(template, url)
                    before = shared.load()
                    figures = measure(competitor, url, sheet, final, args)
                    if figures is None:
                        stopped.add(competitor)
                        continue
                    assert figures["rows"] == n, (competitor, figures["rows"], n)
                    runs[competitor].append({**figures, "load_before": before, "load_after": shared.load()})
                    if competitor == "project" and final is None:
                        final = export_final_rows(url, folder)
            medians = report_size(n, competitors, runs, skipped, args)
            for competitor, median in medians.items():
                history.setdefault(competitor, []).append((n, median))
            sheet.unlink()
    shared.drop(url)
    print(f"\nload average at the end {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
