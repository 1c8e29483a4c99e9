"""The page benchmark's requests: what is measured, cold and warm, interleaved, beside Django's stock admin.

Used by bench/benchmark.py (phases, import, results); see its docstring for what is measured.
"""

import statistics
import sys
import time

STOCK_PREFIX = "/bench-stock-admin/"


def targets(fy):
    """Return (name, path, who, mode) for every measured target; mode is 'cold' or 'warm'."""
    attendance = "trainings/attendance/"
    return [
        ("dashboard", f"/dashboard/{fy}/", "manager", "cold"),
        ("dashboard", f"/dashboard/{fy}/", "manager", "warm"),
        ("report", f"/dashboard/{fy}/report/", "manager", "cold"),
        ("report", f"/dashboard/{fy}/report/", "manager", "warm"),
        ("summary", f"/summary/{fy}/", "public", "cold"),
        ("summary", f"/summary/{fy}/", "public", "warm"),
        ("home", "/", "public", "cold"),
        ("cases", "/cases/", "public", "cold"),
        ("admin sessions", "/admin/trainings/trainingsession/", "manager", "cold"),
        ("admin sessions search", "/admin/trainings/trainingsession/?q=出前塾", "manager", "cold"),
        ("admin sessions filter", f"/admin/trainings/trainingsession/?fiscal_year={fy}", "manager", "cold"),
        ("admin attendance", f"/admin/{attendance}", "manager", "cold"),
        ("admin attendance (stock Django)", f"{STOCK_PREFIX}{attendance}", "manager", "cold"),
        ("admin attendance search", f"/admin/{attendance}?q=山田", "manager", "cold"),
        ("admin attendance search (stock Django)", f"{STOCK_PREFIX}{attendance}?q=山田", "manager", "cold"),
        ("admin attendance filter", f"/admin/{attendance}?session_fiscal_year={fy}", "manager", "cold"),
        (
            "admin attendance filter (stock Django)",
            f"{STOCK_PREFIX}{attendance}?session__fiscal_year={fy}",
            "manager",
            "cold",
        ),
    ]


def clear_caches():
    """Clear the shared cache and every functools cache of the portal's own modules (e.g. charts)."""
    from django.core.cache import cache

    cache.clear()
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] not in ("core", "partners", "trainings", "outreach", "portal"):
            continue
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)) and getattr(value, "__module__", None) == name:
                value.cache_clear()


def timed_request(client, path, *, cold):
    if cold:
        clear_caches()
    started = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")
    return elapsed


def count_queries(client, path, *, cold):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if cold:
        clear_caches()
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return len(queries)


def measure_phase(clients, fy, repeat):
    """Request every target `repeat` times, interleaved (round-robin); return {key: result}."""
    todo = targets(fy)
    for _, path, who, _ in todo:  # one warm-up each (imports, template compilation)
        clients[who].get(path)
    times = {f"{name} ({mode})": [] for name, _, _, mode in todo}
    for _ in range(repeat):
        for name, path, who, mode in todo:
            times[f"{name} ({mode})"].append(timed_request(clients[who], path, cold=mode == "cold"))
    results = {}
    for name, path, who, mode in todo:
        key = f"{name} ({mode})"
        ordered = sorted(times[key])
        results[key] = {
            "path": path,
            "median_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 1),
            "min_ms": round(ordered[0], 1),
            "queries": count_queries(clients[who], path, cold=mode == "cold"),
        }
    return results


def add_ratios(results):
    """Set `vs_stock` (project median / stock median) on the admin targets that have a stock twin."""
    for key, result in results.items():
        twin = key.replace(" (cold)", " (stock Django) (cold)")
        if twin != key and twin in results:
            result["vs_stock"] = round(result["median_ms"] / results[twin]["median_ms"], 2)


def print_phase(phase, results, load_before, load_after):
    print(f"\n== {phase}   load average {load_before[0]:.2f} → {load_after[0]:.2f}")
    print(f"{'target':<48} {'median ms':>10} {'p95 ms':>8} {'min ms':>8} {'queries':>8}  vs stock")
    for key, r in results.items():
        ratio = f"{r['vs_stock']:.2f}×" if "vs_stock" in r else ""
        print(f"{key:<48} {r['median_ms']:>10.1f} {r['p95_ms']:>8.1f} {r['min_ms']:>8.1f} {r['queries']:>8}  {ratio}")


def stock_admin_urls():
    """Return URL patterns of a second admin site with Django's stock ModelAdmin for Attendance."""
    from django.contrib import admin
    from django.urls import path

    from trainings.models import Attendance

    site = admin.AdminSite(name="bench_stock_admin")

    class StockAttendanceAdmin(admin.ModelAdmin):
        # The same columns, search and filter as the project's list, with Django's defaults for
        # everything else (full COUNT(*), no estimated paginator, no stored-year filter).
        list_display = ("name", "organization_text", "session")
        search_fields = ("name", "name_kana", "organization_text")
        list_filter = ("session__fiscal_year",)
        list_select_related = ("session",)

    site.register(Attendance, StockAttendanceAdmin)
    return [path(STOCK_PREFIX.strip("/") + "/", site.urls)]


def install_stock_admin():
    """Mount the stock admin site beside the project's URLs (only in this benchmark process)."""
    import types

    from django.conf import settings
    from django.urls import clear_url_caches, include, path

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [*stock_admin_urls(), path("", include(settings.ROOT_URLCONF))]
    sys.modules["bench_urls"] = module
    settings.ROOT_URLCONF = "bench_urls"
    clear_url_caches()
