"""The production access log (gunicorn.conf.py → portal.access_log) keeps admin search terms out."""

import datetime
import runpy
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from gunicorn.config import Config

from portal.access_log import redact_url

ROOT = Path(__file__).resolve().parents[2]
NAME = "山田花子"


def access_line(tmp_path, raw_uri, referer="-"):
    """Return the line the production logger writes for a GET of `raw_uri` with `referer`."""
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    config = Config()
    config.set("logger_class", settings["logger_class"])
    log_file = tmp_path / "access.log"
    config.set("accesslog", str(log_file))
    logger = config.logger_class(config)
    path, _, query = raw_uri.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": raw_uri,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": referer,
    }
    request = SimpleNamespace(headers=[("REFERER", referer), ("USER-AGENT", "test")])
    response = SimpleNamespace(status="200 OK", sent=123, headers=[("Content-Type", "text/html")])
    logger.access(response, request, environ, datetime.timedelta(milliseconds=5))
    for handler in logger.access_log.handlers:
        handler.flush()
    return log_file.read_text(encoding="utf-8")


def test_admin_search_terms_never_reach_the_access_log(tmp_path):
    search = f"/admin/trainings/attendance/?q={quote(NAME)}&session__fiscal_year=2018"
    line = access_line(tmp_path, search, referer=f"https://portal.example.jp{search}")
    assert quote(NAME) not in line and NAME not in line
    assert "GET /admin/trainings/attendance/?[redacted] HTTP/1.1" in line
    assert '"https://portal.example.jp/admin/trainings/attendance/?[redacted]"' in line


def test_the_next_page_does_not_leak_the_search_through_its_referer(tmp_path):
    line = access_line(tmp_path, "/admin/trainings/attendance/12/change/", referer=f"/admin/?q={quote(NAME)}")
    assert quote(NAME) not in line
    assert "/admin/trainings/attendance/12/change/" in line


def test_public_urls_are_logged_as_they_are(tmp_path):
    line = access_line(tmp_path, "/cases/?ward=14105&q=%E5%95%86%E5%BA%97%E8%A1%97")
    assert "GET /cases/?ward=14105&q=%E5%95%86%E5%BA%97%E8%A1%97 HTTP/1.1" in line


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/admin/trainings/attendance/?q=x", "/admin/trainings/attendance/?[redacted]"),
        ("/admin?q=x", "/admin?[redacted]"),
        ("https://h.example/admin/?q=x#top", "https://h.example/admin/?[redacted]"),
        ("/admin/trainings/attendance/", "/admin/trainings/attendance/"),
        ("/administration/?q=x", "/administration/?q=x"),
        ("/cases/?q=x", "/cases/?q=x"),
        ("-", "-"),
    ],
)
def test_redact_url(url, expected):
    assert redact_url(url) == expected
