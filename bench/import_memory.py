"""Peak memory of the import as the sheet grows (not a test): issue 13, point 1 (≤ 200 MB at 200k and 1M rows).

    nice -n 10 .venv/bin/python bench/import_memory.py --rows 10000 200000 1000000
    nice -n 10 .venv/bin/python bench/import_memory.py --rows --admin 200000 1000000   # the admin only
    .venv/bin/python bench/import_memory.py --rows 10000 --xlsx 10000 --admin 10000   # quicker

In a scratch PostgreSQL database (portal_stream_memory, dropped and created again) holding the 100
sessions and 20 organisations of bench/import_benchmark.py's realistic CP932 sheet (furigana-less
names, mixed date forms, unregistered organisations), each measurement runs in a fresh process and
prints its peak resident set size (VmHWM: Python + Django + data), wall time and
the load average:

  command dry   – `manage.py import_attendance sheet --kind participants_multi --dry-run`
  command write – the same, writing (COPY, one transaction); the rows are removed afterwards
  admin         – the admin's upload → preview → confirm through Django's test client (one process);
                  the upload's request body is streamed from a file as a server's socket would
                  (--client-body: the test client's post(), which holds the whole body in memory)

`--root` runs the children in another checkout (e.g. main, for the figures before a change).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from import_benchmark import ORGANIZATIONS, SESSIONS, WARDS, date_text, generate, session_date, session_title  # noqa: E402

DB = os.environ.get("BENCH_DB", "portal_stream_memory")  # a scratch database, dropped and created again
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"

COMMAND = """
import os, sys, time
def peak():
    # VmHWM, not ru_maxrss: ru_maxrss survives exec and would report the parent's peak.
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
import django
django.setup()
from io import StringIO
from django.core.management import call_command
start = time.perf_counter()
args = [sys.argv[1], "--kind", "participants_multi"] + (["--dry-run"] if sys.argv[2] == "dry" else [])
call_command("import_attendance", *args, stdout=StringIO())
print(time.perf_counter() - start, peak())
"""

ADMIN = """
import os, re, sys, tempfile, time
def peak():
    # VmHWM, not ru_maxrss: ru_maxrss survives exec and would report the parent's peak.
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
import django
django.setup()
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import reverse
BOUNDARY = "BenchBoundary7MA4YWxkTrZu0gW"

def streamed_upload(client, url, path):
    # The request body as a server hands it over: a stream (here a file) that Django's upload
    # handlers read in chunks. The test client's post() would build the whole body in memory
    # (twice the file), which no server does.
    body = tempfile.TemporaryFile()
    name = os.path.basename(path).encode()
    body.write(f'--{BOUNDARY}\\r\\nContent-Disposition: form-data; name="kind"\\r\\n\\r\\nauto\\r\\n'.encode())
    body.write(f'--{BOUNDARY}\\r\\nContent-Disposition: form-data; name="import_file"; filename="'.encode())
    body.write(name + b'"\\r\\nContent-Type: text/csv\\r\\n\\r\\n')
    with open(path, "rb") as sheet:
        while block := sheet.read(1 << 20):
            body.write(block)
    body.write(f"\\r\\n--{BOUNDARY}--\\r\\n".encode())
    length = body.tell()
    body.seek(0)
    with body:
        return client.request(
            PATH_INFO=url, REQUEST_METHOD="POST", SERVER_PORT="443", QUERY_STRING="", **{"wsgi.url_scheme": "https"},
            CONTENT_LENGTH=str(length), CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
            **{"wsgi.input": body},
        )

plain = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=plain, ALLOWED_HOSTS=["testserver"]):
    user = User.objects.filter(username="bench").first() or User.objects.create_superuser("bench", password=None)
    client = Client()
    client.force_login(user)
    start = time.perf_counter()
    url = reverse("admin:trainings_attendancesheet_import")
    if sys.argv[2] == "stream":
        preview = streamed_upload(client, url, sys.argv[1])
    else:
        with open(sys.argv[1], "rb") as upload:
            preview = client.post(url, {"kind": "auto", "import_file": upload}, secure=True)
    page = preview.content.decode()
    assert preview.status_code == 200 and 'name="_confirm"' in page, (preview.status_code, page[-1500:])
    confirm = dict(re.findall(r'<input type="hidden" name="(\\w+)" value="([^"]*)"', page))
    del preview, page  # a server frees the preview's response once sent; the test client would keep its context
    middle, preview_peak = time.perf_counter(), peak()
    url = reverse("admin:trainings_attendancesheet_process_import")
    done = client.post(url, {**confirm, "_confirm": "1"}, secure=True)
    assert done.status_code == 302, done.content.decode()[-3000:]
    end = time.perf_counter()
print(end - start, peak(), middle - start, end - middle, preview_peak)
"""

SETUP = """
import os, sys
sys.path.insert(0, sys.argv[1])
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


def prepare(env, root):
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=root, env=env, check=True)
    subprocess.run([sys.executable, "-c", SETUP, str(ROOT / "bench")], cwd=root, env=env, check=True)


def clear():
    psql(
        "DELETE FROM trainings_attendance; DELETE FROM trainings_attendancesheet; "
        "DELETE FROM portal_historicalattendancesheet; DELETE FROM trainings_pendingupload"
    )


def generate_xlsx(n, folder):
    """Write the same sheet as an XLSX (openpyxl's write-only workbook, as Excel lays it out); return its path."""
    import random

    from openpyxl import Workbook

    rng = random.Random(n)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("名簿")
    sheet.append(["開催日", "研修名", "No.", "氏名", "ふりがな", "所属", "区", "役職", "備考"])
    surnames = ["佐藤", "鈴木", "髙橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"]
    for i in range(n):
        s = i % SESSIONS
        org = rng.choice(ORGANIZATIONS) if i % 5 else f"未登録の団体{i % 50}"
        date = session_date(s) if i % 2 else date_text(session_date(s), i)
        sheet.append([date, session_title(s), i + 1, f"{rng.choice(surnames)} 参加者{i}", None, org, rng.choice(WARDS)])
    path = folder / f"sheet_{n}.xlsx"
    workbook.save(path)
    return path


def run(code, args, env, root):
    started = time.perf_counter()
    out = subprocess.run(
        ["nice", "-n", "10", sys.executable, "-c", code, *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode:
        return {"failed": out.stderr.strip()[-600:] or "?"}
    figures = [float(x) for x in out.stdout.split()[-5:] if x.replace(".", "", 1).isdigit()]
    return {"seconds": figures[0], "peak_mb": figures[1], "wall": time.perf_counter() - started, "more": figures[2:]}


def show(label, n, size, result):
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    if "failed" in result:
        print(f"{label:<14} {n:>9,} rows {size / 1e6:7.1f} MB  FAILED: {result['failed']}  load {load}", flush=True)
        return
    extra = ""
    if result["more"]:
        extra = f" (preview {result['more'][0]:.1f} s, confirm {result['more'][1]:.1f} s)"
        if len(result["more"]) > 2:
            extra += f" (peak after the preview {result['more'][2]:.0f} MB)"
    print(
        f"{label:<14} {n:>9,} rows {size / 1e6:7.1f} MB  peak {result['peak_mb']:7.0f} MB  "
        f"{result['seconds']:7.1f} s{extra}  load {load}",
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="*", default=[10_000, 200_000])
    parser.add_argument("--xlsx", type=int, nargs="*", default=[], help="row counts to measure as XLSX too")
    parser.add_argument("--admin", type=int, nargs="*", default=[], help="row counts to measure through the admin")
    parser.add_argument("--root", default=str(ROOT), help="checkout whose code the children run")
    parser.add_argument("--no-dry", action="store_true", help="skip the --dry-run measurement")
    parser.add_argument(
        "--client-body",
        action="store_true",
        help="admin: post the upload with the test client (its whole request body in memory) instead of a stream",
    )
    args = parser.parse_args()
    root = Path(args.root)
    biggest = max([*args.rows, *args.xlsx, *args.admin, 200_000])
    env = {
        **os.environ,
        "DATABASE_URL": URL,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-not-secret"),
        "IMPORT_MAX_ROWS": str(biggest),
        "IMPORT_MAX_UPLOAD_MB": "1000",
        "IMPORT_MAX_XLSX_UNCOMPRESSED_MB": "4000",
    }
    env.pop("DEBUG", None)
    print(f"code: {root}  ({os.cpu_count()} CPUs)", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        prepare(env, root)
        # Each size's sheet is generated when its turn comes (and removed after): --admin sizes
        # not in --rows are measured through the admin only.
        sizes = [("CSV", n) for n in sorted({*args.rows, *args.admin})] + [("XLSX", n) for n in args.xlsx]
        body = "client" if args.client_body else "stream"
        for fmt, n in sizes:
            path = generate(n, folder)[0] if fmt == "CSV" else generate_xlsx(n, folder)
            size = path.stat().st_size
            if fmt == "XLSX" or n in args.rows:
                if not args.no_dry:
                    show(f"{fmt} dry-run", n, size, run(COMMAND, [str(path), "dry"], env, root))
                show(f"{fmt} write", n, size, run(COMMAND, [str(path), "write"], env, root))
                clear()
            if n in args.admin:
                show(f"{fmt} admin", n, size, run(ADMIN, [str(path), body], env, root))
                clear()
            path.unlink()
    print(json.dumps({"done": True}))


if __name__ == "__main__":
    main()
