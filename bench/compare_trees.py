"""Before/after benchmark: the same pages in two checkouts of the portal, interleaved in one run.

A refactoring must not make a page slower. Figures taken on different days on a shared machine
cannot show that (load moves them by ±30 %), so this script measures both checkouts in the same
run, alternating (A, B, A, B, …): each round starts a fresh process in each checkout, which
requests every page ``--per-round`` times, each time after clearing the page cache and every
in-process ``functools`` cache of the project (cold, as the first visitor after a change). It prints
per page the median of A and B, the ratio B/A, the load average and the peak RSS of each side, and
the number of Python function calls of one cold request (cProfile), which the load cannot move.

Each checkout reads its own database (``--db-a``/``--db-b``: SQLite paths or PostgreSQL URLs),
prepared beforehand with the same generator and seed, e.g.::

    (cd OLD && DATABASE_URL=sqlite:////tmp/a.sqlite3 python manage.py migrate && … load_demo_data
              && … generate_demo_data --scale small)

    .venv/bin/python bench/compare_trees.py --a /work/wt-base --db-a sqlite:////tmp/a.sqlite3 \
        --b . --db-b sqlite:////tmp/b.sqlite3 --rounds 6

Only the test client and URLs common to both checkouts are used, so the child code runs in either.

With ``--import-rows N`` it compares the attendance import instead of the pages: bench/import_benchmark.py's
realistic CP932 sheet of N rows, imported with ``manage.py import_attendance`` by each checkout in turn
(A, B, A, B, …), each run in a fresh process on a fresh copy of a template database that the
checkout migrated itself (``--db-a``/``--db-b`` name the run databases; the templates are the same
names + ``_tpl``, or + ``.tpl`` for SQLite files). It prints the medians, the ratio of the rates
and the load; ``--profile DIR`` adds one cProfiled run per side and the functions whose own time
differs most::

    .venv/bin/python bench/compare_trees.py --a /work/wt-floor --db-a postgres://postgres@127.0.0.1:5432/portal_x_a \
        --b . --db-b postgres://postgres@127.0.0.1:5432/portal_x_b --import-rows 100000 --rounds 3 --profile /tmp/prof
"""

import argparse
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import import_runs as shared  # noqa: E402
from import_benchmark import generate  # noqa: E402

PAGES = [
    ("dashboard", "/dashboard/{fy}/"),
    ("report", "/dashboard/{fy}/report/"),
    ("summary", "/summary/{fy}/"),
    ("home", "/"),
    ("cases", "/cases/"),
    ("open data", "/open-data/"),
    ("admin sessions", "/admin/trainings/trainingsession/"),
    ("admin sessions search", "/admin/trainings/trainingsession/?q=出前塾"),
    ("admin attendance", "/admin/trainings/attendance/"),
    ("admin attendance search", "/admin/trainings/attendance/?q=山田"),
    ("admin cases", "/admin/outreach/approachcase/"),
]

# Runs inside a checkout (its own Django settings and code); prints one JSON line.
CHILD = r"""
import cProfile, json, pstats, resource, sys, time, functools
import django
from django.conf import settings
django.setup()
# Serve static URLs without a collected manifest (both checkouts alike).
settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.test import Client

pages, repeat = json.loads(sys.argv[1]), int(sys.argv[2])
user = get_user_model().objects.filter(is_superuser=True).first()
if user is None:
    user = get_user_model().objects.create_superuser("bench-compare", "", "bench-compare-pw")
client = Client()
client.force_login(user)
project = tuple(p + "." for p in ("portal", "core", "partners", "trainings", "outreach"))

def clear():
    for alias in caches:
        caches[alias].clear()
    for module in list(sys.modules.values()):
        if not getattr(module, "__name__", "").startswith(project):
            continue
        for value in list(vars(module).values()):
            if isinstance(value, functools._lru_cache_wrapper):
                value.cache_clear()

result = {}
for name, url in pages:
    client.get(url)  # import the view's modules once
    times = []
    for _ in range(repeat):
        clear()
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    result[name] = times
    # Python function calls of one more cold request: a count that the machine's load cannot move.
    clear()
    profile = cProfile.Profile()
    profile.enable()
    client.get(url)
    profile.disable()
    result["_calls " + name] = pstats.Stats(profile).total_calls
result["_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result))
"""


def run_child(tree, database_url, pages, repeat):
    """Return {page: [ms, …], "_peak_mb": MB} measured in a fresh process inside ``tree``."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "SECRET_KEY": "bench-only-not-secret",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "ERROR",
    }
    python = str(Path(tree) / ".venv" / "bin" / "python")
    done = subprocess.run(
        [python, "-c", CHILD, json.dumps(pages), str(repeat)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"{tree}: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--a", required=True, help="checkout A (before)")
    parser.add_argument("--b", required=True, help="checkout B (after)")
    parser.add_argument("--db-a", required=True)
    parser.add_argument("--db-b", required=True)
    parser.add_argument("--fiscal-year", type=int, default=2019)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--per-round", type=int, default=3)
    parser.add_argument("--import-rows", type=int, help="compare the import of a sheet of this many rows instead")
    parser.add_argument("--profile", help="folder for one cProfile of each side's import (with --import-rows)")
    args = parser.parse_args()
    if args.import_rows:
        return compare_imports(args)

    pages = [(name, url.format(fy=args.fiscal_year)) for name, url in PAGES]
    samples = {"A": {}, "B": {}}
    peaks = {"A": [], "B": []}
    calls = {"A": {}, "B": {}}
    loads = []
    for _ in range(args.rounds):
        for side, tree, db in (("A", args.a, args.db_a), ("B", args.b, args.db_b)):
            loads.append(os.getloadavg()[0])
            measured = run_child(tree, db, pages, args.per_round)
            peaks[side].append(measured.pop("_peak_mb"))
            for name, _url in pages:
                samples[side].setdefault(name, []).extend(measured[name])
                calls[side][name] = measured["_calls " + name]

    print(f"A = {args.a}\nB = {args.b}")
    print(
        f"{args.rounds} rounds × {args.per_round} cold requests per page, interleaved A, B; "
        f"load average (1 min) {min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} CPU(s)"
    )
    heads = ("A median ms", "B median ms", "B/A", "A calls", "B calls", "B/A")
    print(f"{'page':26} | " + " | ".join(f"{head:>11}" for head in heads))
    print("-" * 110)
    for name, _url in pages:
        a = statistics.median(samples["A"][name])
        b = statistics.median(samples["B"][name])
        ca, cb = calls["A"][name], calls["B"][name]
        print(f"{name:26} | {a:11.1f} | {b:11.1f} | {b / a:11.2f} | {ca:11,} | {cb:11,} | {cb / ca:11.2f}")
    print(f"peak RSS MB: A {max(peaks['A']):.0f}, B {max(peaks['B']):.0f}")


def _template(url):
    return url + (".tpl" if url.startswith("sqlite") else "_tpl")


def _import(tree, url, sheet, rows, profile=None):
    shared.fresh_copy(_template(url), url)
    extra = {"IMPORT_MAX_ROWS": str(max(rows, 200_000)), "IMPORT_MAX_UPLOAD_MB": "2000"}
    if profile:
        extra["BENCH_PROFILE"] = str(profile)
    figures = shared.run_child(tree, shared.IMPORT_CHILD, [sheet], shared.child_env(url, **extra))
    assert figures["rows"] == rows, (tree, figures["rows"], rows)
    return figures


def compare_imports(args):
    """Import the same sheet with checkout A and checkout B, interleaved; print medians, ratio, load."""
    sides = (("A", args.a, args.db_a), ("B", args.b, args.db_b))
    for _side, tree, url in sides:
        shared.prepare_template(tree, _template(url), *shared.sheet_fixture())
    runs = {"A": [], "B": []}
    loads = []
    with tempfile.TemporaryDirectory(prefix="compare-import-") as folder:
        sheet, _ = generate(args.import_rows, Path(folder))
        for _ in range(args.rounds):
            for side, tree, url in sides:
                loads.append(shared.load())
                runs[side].append(_import(tree, url, sheet, args.import_rows))
                loads.append(shared.load())
        profiles = {}
        if args.profile:
            Path(args.profile).mkdir(parents=True, exist_ok=True)
            for side, tree, url in sides:
                profiles[side] = Path(args.profile) / f"import_{side}.prof"
                _import(tree, url, sheet, args.import_rows, profiles[side])
    for _side, _tree, url in sides:
        shared.drop(url)
    n = args.import_rows
    medians = {side: statistics.median(r["seconds"] for r in runs[side]) for side in runs}
    print(f"A = {args.a} ({args.db_a})\nB = {args.b} ({args.db_b})")
    print(
        f"import_attendance of {n:,} rows (CP932, participants_multi), {args.rounds} rounds interleaved A, B; "
        f"load average (1 min) {min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} CPU(s)"
    )
    for side in ("A", "B"):
        times = ", ".join(f"{r['seconds']:.1f}" for r in runs[side])
        peak = max(r["peak_mb"] for r in runs[side])
        print(
            f"  {side}: median {medians[side]:.2f} s = {n / medians[side]:,.0f} rows/s, "
            f"peak {peak:.0f} MB (runs {times})"
        )
    print(f"  rate B/A = {medians['A'] / medians['B']:.3f}  (B is {100 * (medians['A'] / medians['B'] - 1):+.1f} %)")
    if profiles:
        _compare_profiles(profiles["A"], profiles["B"])


def _compare_profiles(path_a, path_b, limit=25):
    """Print the total profiled time of each side and the functions whose own time differs most."""
    own = {}
    totals = {}
    for side, path in (("A", path_a), ("B", path_b)):
        stats = pstats.Stats(str(path)).stats
        totals[side] = sum(row[2] for row in stats.values())
        for (file, _line, name), row in stats.items():
            key = f"{Path(file).parent.name}/{Path(file).name}:{name}" if file != "~" else name
            entry = own.setdefault(key, {"A": [0, 0.0], "B": [0, 0.0]})[side]
            entry[0] += row[1]  # calls
            entry[1] += row[2]  # own time
    print(f"\ncProfile (one run each): A {totals['A']:.1f} s, B {totals['B']:.1f} s of own time")
    print(f"{'function':60} | {'A calls':>9} | {'A own s':>8} | {'B calls':>9} | {'B own s':>8} | {'B−A s':>7}")
    ranked = sorted(own.items(), key=lambda item: -abs(item[1]["B"][1] - item[1]["A"][1]))
    for key, sides in ranked[:limit]:
        a, b = sides["A"], sides["B"]
        print(f"{key[:60]:60} | {a[0]:>9,} | {a[1]:>8.2f} | {b[0]:>9,} | {b[1]:>8.2f} | {b[1] - a[1]:>+7.2f}")


if __name__ == "__main__":
    main()
