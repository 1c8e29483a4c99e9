"""gunicorn settings for production: `.venv/bin/gunicorn portal.wsgi -c gunicorn.conf.py`.

Command-line options override these (bench/loadtest.py and tests/portal/test_production.py pass
--bind and --workers). The access log goes to standard output through portal.access_log, which
logs admin URLs without their query strings (attendee names searched in the admin).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = 60
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
logger_class = "portal.access_log.RedactingLogger"
