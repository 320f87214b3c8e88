"""gunicorn's settings for the archive: `gunicorn -c archive/gunicorn.conf.py archive.wsgi`.

The app is loaded once in the master and its workers are forked from it, so
jieba's dictionary is read once and shared, and the first request is as fast
as the rest. Every value can be changed with ARCHIVE_GUNICORN_* variables.
"""

import multiprocessing
import os


def _env(name: str, default: str) -> str:
    return os.environ.get(f"ARCHIVE_GUNICORN_{name}", default)


bind = _env("BIND", "127.0.0.1:8000")
# Searching is CPU work in Python: one worker per core, plus one to cover a worker waiting on the disk.
workers = int(_env("WORKERS", str(multiprocessing.cpu_count() + 1)))
timeout = int(_env("TIMEOUT", "30"))
graceful_timeout = int(_env("GRACEFUL_TIMEOUT", "30"))
keepalive = int(_env("KEEPALIVE", "5"))
max_requests = int(_env("MAX_REQUESTS", "5000"))  # a slow leak cannot grow a worker forever
max_requests_jitter = max_requests // 10
preload_app = True
# A request line over 8190 bytes (gunicorn's largest limit) gets the site's own page (414).
worker_class = "archive.workers.ArchiveWorker"
limit_request_line = 8190
accesslog = _env("ACCESS_LOG", "-")
# The last field is the time the request took, in microseconds.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(D)s'
errorlog = "-"


def when_ready(server):
    """Runs in the master after the app is loaded and before any worker is forked."""
    import gc

    from django.db import connections
    from django.urls import reverse

    from articles.views import warm_up as warm_up_browse_pages
    from search.engine import warm_up as warm_up_search

    for name in ("articles:home", "search:api"):
        reverse(name)  # imports the URL modules and builds the tables reverse() reads
    warm_up_search()
    warm_up_browse_pages()
    connections.close_all()  # each worker opens its own: a connection must not cross a fork
    # Objects made so far are never collected: a worker's garbage collector then never
    # touches (and so never copies) the pages it shares with the master.
    gc.freeze()
    server.log.info(
        "archive ready: jieba, the URLs, the facet tables and the browse figures loaded once, shared by the workers"
    )


def post_fork(server, worker):
    """Runs in each worker as it starts: it opens its own index files and database connection
    now (a worker must not read through the master's), not in its first request."""
    from django.db import connections
    from haystack import connections as search_connections

    with search_connections["default"].get_backend().searcher():
        pass
    connections["default"].ensure_connection()
