"""The reach delete trigger as shipped by 0008 against 0016's, interleaved on one database (not a test).

    nice -n 10 .venv/bin/python bench/undo_reach_ab.py --database portal_undo_ab --build 200000
    nice -n 10 .venv/bin/python bench/undo_reach_ab.py --database portal_undo_ab --functions 0008 0016 none
    nice -n 10 .venv/bin/python bench/undo_reach_ab.py --database portal_undo_ab --extra-reach 1000000

--build N makes the database first: migrated by this checkout, then bench/import_benchmark.py's
N-row sheet imported by the project (as bench/import_peers.py does; minutes). Each measurement is
one transaction, rolled back: it installs one function as `trainings_reach_delete` (or disables
that trigger: "none", the floor of the other triggers and the DELETE itself), then times a DELETE
of the first 1, 50… or all rows of the sheet (the undo's statement). Functions are alternated
A, B, A, B…; the medians and the load average are printed. --extra-reach adds that many reach keys
of other years (or of --extra-reach-year) first, with their totals (committed, then analysed), as a
city's reach table would hold: a small delete must not scan them.
"""

import argparse
import importlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import django
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
django.setup()  # the migration modules import the models
reach_0016 = importlib.import_module("trainings.migrations.0016_reach_delete_planned_per_statement")

FUNCTIONS = {"0008": reach_0016.previous_delete_function(), "0016": reach_0016.DELETE_FUNCTION, "none": None}


def add_extra_reach(connection, n, year=None):
    """Insert n reach keys of the years 1900–1999 (no attendance row has them), or of `year`, and count them
    into the totals (the trigger decides from the totals how many keys a year has)."""
    years = "1900 + i %% 100" if year is None else "%(year)s"
    connection.execute(
        "INSERT INTO trainings_reach (fiscal_year, scope, kind, value, row_count) "
        f"SELECT {years}, (i / 100) %% 5, 'p', md5(i::text), 1 + i %% 3 FROM generate_series(1, %(n)s) i "
        "ON CONFLICT DO NOTHING",
        {"n": n, "year": year},
    )
    connection.execute(
        "INSERT INTO trainings_reachtotal AS t (fiscal_year, scope, persons, organizations, wards) "
        "SELECT fiscal_year, scope, count(*) FILTER (WHERE kind = 'p'), count(*) FILTER (WHERE kind = 'o'), "
        "count(*) FILTER (WHERE kind = 'w') FROM trainings_reach GROUP BY fiscal_year, scope "
        "ON CONFLICT (fiscal_year, scope) DO UPDATE SET persons = excluded.persons, "
        "organizations = excluded.organizations, wards = excluded.wards"
    )
    connection.commit()
    connection.autocommit = True
    connection.execute("VACUUM ANALYZE trainings_reach, trainings_reachtotal")
    connection.autocommit = False


def build(database, n):
    """Create the database afresh with the project's import of the n-row benchmark sheet."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import import_runs as shared
    from import_benchmark import generate

    url = shared.PG + database
    shared.prepare_template(shared.ROOT, url, *shared.sheet_fixture())
    with tempfile.TemporaryDirectory(prefix="undo-ab-") as folder:
        sheet, _ = generate(n, Path(folder))
        env = shared.child_env(url, IMPORT_MAX_ROWS=str(n), IMPORT_MAX_UPLOAD_MB="2000")
        shared.run_child(shared.ROOT, shared.IMPORT_CHILD, [sheet], env)
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def timed_delete(connection, function, sheet, rows):
    """Run the delete of `rows` rows (None: the whole sheet) with `function` in a rolled-back transaction; return s."""
    with connection.cursor() as cursor:
        if function is None:
            cursor.execute("ALTER TABLE trainings_attendance DISABLE TRIGGER trainings_reach_delete")
        else:
            cursor.execute(function)
        if rows is None:
            statement, params = "DELETE FROM trainings_attendance WHERE sheet_id = %s", [sheet]
        else:
            statement = (
                "DELETE FROM trainings_attendance WHERE id IN "
                "(SELECT id FROM trainings_attendance WHERE sheet_id = %s ORDER BY id LIMIT %s)"
            )
            params = [sheet, rows]
        start = time.perf_counter()
        cursor.execute(statement, params)
        seconds = time.perf_counter() - start
        assert cursor.rowcount == (rows or cursor.rowcount)
    connection.rollback()
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True)
    parser.add_argument("--build", type=int, metavar="N", help="make the database first, with an N-row import")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--functions", nargs="+", choices=list(FUNCTIONS), default=["0008", "0016"])
    parser.add_argument("--rows", nargs="+", default=["1", "50", "all"], help="rows deleted per run ('all': the sheet)")
    parser.add_argument("--extra-reach", type=int, default=0)
    parser.add_argument("--extra-reach-year", type=int, help="the year of the extra keys (default: 1900–1999)")
    args = parser.parse_args()
    if args.build:
        build(args.database, args.build)
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{args.database}") as connection:
        if args.extra_reach:
            add_extra_reach(connection, args.extra_reach, args.extra_reach_year)
        sheet, total = connection.execute(
            "SELECT sheet_id, count(*) FROM trainings_attendance GROUP BY sheet_id ORDER BY 2 DESC LIMIT 1"
        ).fetchone()
        keys = connection.execute("SELECT count(*) FROM trainings_reach").fetchone()[0]
        connection.rollback()
        print(f"sheet {sheet}: {total:,} rows; {keys:,} reach keys; load {os.getloadavg()[0]:.1f} at start")
        for size in args.rows:
            rows = None if size == "all" else int(size)
            timed_delete(connection, FUNCTIONS[args.functions[0]], sheet, rows)  # warm the caches, untimed
            runs = {name: [] for name in args.functions}
            loads = []
            for repetition in range(args.repeat):
                order = args.functions if repetition % 2 == 0 else args.functions[::-1]
                for name in order:
                    runs[name].append(timed_delete(connection, FUNCTIONS[name], sheet, rows))
                    loads.append(os.getloadavg()[0])
            medians = {name: statistics.median(times) for name, times in runs.items()}
            first = medians[args.functions[0]]
            figures = "; ".join(
                f"{name} {medians[name] * 1000:,.1f} ms (×{medians[name] / first:.2f}; "
                f"{', '.join(f'{t * 1000:,.1f}' for t in runs[name])})"
                for name in args.functions
            )
            print(f"delete {size} rows: {figures}; load {min(loads):.1f}–{max(loads):.1f}", flush=True)


if __name__ == "__main__":
    main()
