"""The production topology: gunicorn with 3 workers, DEBUG off, PostgreSQL and Redis, all on 127.0.0.1.

Marked `production`: left out of `make test`, run by `make test-production` (and so by .ci/run).
It uses its own PostgreSQL database (PRODUCTION_TEST_DATABASE_URL, recreated and migrated) and
its own Redis database number (PRODUCTION_TEST_REDIS_URL, db 13, emptied first), starts gunicorn
with gunicorn.conf.py on a free port and checks, over HTTP:

- a change saved through one worker is served by every worker on the next requests (the data
  version and the cached pages live in Redis, not in each process);
- admin search terms never reach the access log;
- the load test (bench/loadtest.py's wrk run over the public pages and the dashboard) ends
  with 0 errors; its figures are printed.

Without PostgreSQL, Redis, psql or wrk the tests are skipped, except under CI=true where they fail.
"""

import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench import loadtest

pytestmark = pytest.mark.production

DATABASE_URL = os.environ.get("PRODUCTION_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_topology")
REDIS_URL = os.environ.get("PRODUCTION_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
LOAD_SECONDS = int(os.environ.get("PRODUCTION_TEST_LOAD_SECONDS", "8"))
WORKERS = 3
# gunicorn's default access-log format with the worker's pid at the end, to see which worker answered.
ACCESS_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(p)s'
SUMMARY = "/summary/2018/"
SEARCHED_NAME = "横浜花子"


def require(condition, message):
    if condition:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} (CI=true: the production-topology test must run)")
    pytest.skip(message)


def redis_answers():
    try:
        import redis

        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception:  # any failure means: no Redis here
        return False


def sql(query):
    """Return the single value `query` gives on the topology's database (through psql)."""
    result = subprocess.run(
        ["psql", DATABASE_URL, "-tAc", query], capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout.strip()


class Topology:
    def __init__(self, base, cookie, access_log):
        self.base, self.cookie, self.access_log = base, cookie, access_log

    def get(self, path, *, staff=False):
        """Return (status, body text, headers) of a GET of `path`."""
        request = urllib.request.Request(self.base + path, headers={"Cookie": self.cookie} if staff else {})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.read().decode(), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), error.headers

    def post(self, path, data, *, cookie):
        request = urllib.request.Request(
            self.base + path, data=urllib.parse.urlencode(data).encode(), headers={"Cookie": cookie}, method="POST"
        )
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def log_lines(self):
        return self.access_log.read_text(encoding="utf-8").splitlines()

    def log_line_of(self, request_line, *, since=0, timeout=10):
        """Return the first access-log line (after line `since`) containing `request_line`.

        A worker writes its line after the response has been sent, so wait for it a little.
        """
        deadline = time.monotonic() + timeout
        while True:
            found = [line for line in self.log_lines()[since:] if request_line in line]
            if found or time.monotonic() > deadline:
                assert found, f"no access-log line with {request_line!r}"
                return found[0]
            time.sleep(0.05)

    def workers_that_served(self, path, lines):
        """Return the pids of the workers whose access-log lines (among `lines`) are GETs of `path`."""
        return {line.rsplit(" ", 1)[1] for line in lines if f'"GET {path} HTTP/1.1" 200' in line}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def topology(tmp_path_factory):
    require(shutil.which("psql"), "psql is not installed")
    require(subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode == 0, "PostgreSQL is not running")
    require(redis_answers(), f"Redis does not answer at {REDIS_URL}")
    env = loadtest.server_env(DATABASE_URL, REDIS_URL)
    loadtest.prepare_database(env, fresh=True)
    loadtest.flush_redis(REDIS_URL)
    cookie = loadtest.staff_cookie(env)
    access_log = tmp_path_factory.mktemp("gunicorn") / "access.log"
    port = loadtest.free_port()
    server = loadtest.start_gunicorn(env, port, workers=WORKERS, access_log=access_log, access_format=ACCESS_FORMAT)
    try:
        loadtest.wait_until_up(f"http://127.0.0.1:{port}")
        yield Topology(f"http://127.0.0.1:{port}", cookie, access_log)
    finally:
        loadtest.stop_gunicorn(server)


def sessions_shown(html):
    """Return the total number of sessions the summary page shows (its 合計 row)."""
    match = re.search(r'<th scope="row">合計</th><td class="n">([\d,]+)回', html)
    assert match, "the summary page has no 合計 row"
    return int(match.group(1).replace(",", ""))


def summaries_until_every_worker_served(topology, since, *, rounds=40):
    """Request the summary page 6 at a time until all workers served it after access-log line `since`.

    Return the session totals every response showed.
    """
    shown = []
    with ThreadPoolExecutor(max_workers=6) as pool:
        for _ in range(rounds):
            for status, html, _ in pool.map(lambda _: topology.get(SUMMARY), range(6)):
                assert status == 200
                shown.append(sessions_shown(html))
            # >=: a worker gunicorn replaced (e.g. after its timeout) shows a new pid beside the others.
            if len(topology.workers_that_served(SUMMARY, topology.log_lines()[since:])) >= WORKERS:
                return shown
            time.sleep(0.05)
    pytest.fail(f"not every one of the {WORKERS} workers answered {len(shown)} requests")


def delete_through_the_admin(topology, model_path, pk):
    """Delete a record with the admin's confirmation form, as a user would; return the POST's status."""
    status, html, headers = topology.get(f"/admin/{model_path}/{pk}/delete/", staff=True)
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    csrf_cookie = next(
        header.split(";")[0] for header in headers.get_all("Set-Cookie") or [] if header.startswith("csrftoken=")
    )
    return topology.post(
        f"/admin/{model_path}/{pk}/delete/",
        {"csrfmiddlewaretoken": token, "post": "yes"},
        cookie=f"{topology.cookie}; {csrf_cookie}",
    )


def publish_through_the_dashboard(topology, fy):
    """Publish fiscal year `fy` with the dashboard's confirm form, as a manager would; return the POST's status."""
    path = f"/dashboard/{fy}/publish/"
    status, html, headers = topology.get(path, staff=True)
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    csrf_cookie = next(
        header.split(";")[0] for header in headers.get_all("Set-Cookie") or [] if header.startswith("csrftoken=")
    )
    return topology.post(path, {"csrfmiddlewaretoken": token}, cookie=f"{topology.cookie}; {csrf_cookie}")


def test_a_change_saved_through_one_worker_is_served_by_every_worker(topology):
    before = int(sql("SELECT count(*) FROM trainings_trainingsession WHERE fiscal_year = 2018"))
    # Every worker renders and caches the page first (with a per-process cache each would keep its copy).
    assert set(summaries_until_every_worker_served(topology, since=0)) == {before}

    pk = sql("SELECT id FROM trainings_trainingsession WHERE fiscal_year = 2018 ORDER BY id LIMIT 1")
    since = len(topology.log_lines())
    assert delete_through_the_admin(topology, "trainings/trainingsession", pk) == 302
    after = int(sql("SELECT count(*) FROM trainings_trainingsession WHERE fiscal_year = 2018"))
    assert after == before - 1
    # The public page shows the published figures (issue 12): a saved change stays internal …
    assert set(summaries_until_every_worker_served(topology, since=len(topology.log_lines()))) == {before}

    # … until a manager publishes the year through one worker; then every worker serves it.
    assert publish_through_the_dashboard(topology, 2018) == 302
    assert set(summaries_until_every_worker_served(topology, since=len(topology.log_lines()))) == {after}
    deleting_worker = topology.log_line_of('"POST /admin/', since=since).rsplit(" ", 1)[1]
    assert deleting_worker in topology.workers_that_served(SUMMARY, topology.log_lines()[since:])


def test_the_data_version_and_the_dashboard_figures_live_in_redis(topology):
    import redis

    assert topology.get("/dashboard/2018/", staff=True)[0] == 200
    keys = {key.decode() for key in redis.Redis.from_url(REDIS_URL).keys("*")}
    assert any(key.endswith("public:data-version") for key in keys), keys
    assert any(":figures:" in key for key in keys), keys
    assert any(":public:page:" in key for key in keys), keys


def test_admin_search_terms_stay_out_of_the_access_log(topology):
    query = urllib.parse.urlencode({"q": SEARCHED_NAME})
    since = len(topology.log_lines())
    assert topology.get(f"/admin/trainings/attendance/?{query}", staff=True)[0] == 200
    topology.log_line_of("GET /admin/trainings/attendance/?[redacted] HTTP/1.1", since=since)
    log = topology.access_log.read_text(encoding="utf-8")
    assert SEARCHED_NAME not in log and urllib.parse.quote(SEARCHED_NAME) not in log


def test_the_load_test_runs_without_errors(topology):
    require(shutil.which("wrk"), "wrk is not installed (apt-get install wrk)")
    loadtest.check_paths(topology.base, loadtest.PUBLIC_PATHS)
    loadtest.check_paths(topology.base, loadtest.STAFF_PATHS, topology.cookie)
    results = {
        "public": loadtest.run_wrk(topology.base, loadtest.PUBLIC_PATHS, duration=LOAD_SECONDS, connections=16),
        "dashboard": loadtest.run_wrk(
            topology.base, loadtest.STAFF_PATHS, duration=LOAD_SECONDS, connections=16, cookie=topology.cookie
        ),
    }
    print(f"\ngunicorn {WORKERS} workers, PostgreSQL, Redis; wrk 2 threads x 16 connections, {LOAD_SECONDS} s per run")
    for name, result in results.items():
        print(loadtest.format_result(name, result))
    assert all(result["requests"] > 0 and result["errors"] == 0 for result in results.values()), results
