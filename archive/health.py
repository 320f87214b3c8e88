"""/healthz: is the archive able to answer? (for a load balancer or a process monitor)"""

import logging

from django.db import connection
from django.http import JsonResponse

log = logging.getLogger(__name__)


def healthz(request):
    """200 when the database answers and the search index opens; 503 naming what failed."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # any failure means unhealthy, and says why
        log.error("healthz: database: %s", exc)
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        from search.index.writing import indexed_count

        checks["search_index"] = f"ok ({indexed_count()} articles)"
    except Exception as exc:
        log.error("healthz: search index: %s", exc)
        checks["search_index"] = f"error: {type(exc).__name__}"
    healthy = all(value.startswith("ok") for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
