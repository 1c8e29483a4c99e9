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
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

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
    args = parser.parse_args()

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


if __name__ == "__main__":
    main()
