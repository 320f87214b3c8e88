"""The readers of the load and concurrency tests (bench.loadtest): locust users opening article
pages, searching (the API and the search page), and now and then a source or a browse page.

Read from the environment: ARCHIVE_LOADTEST_TARGETS (the JSON written by bench.targets),
ARCHIVE_LOADTEST_REQUESTS (stop after that many requests; the run time bounds it too) and
ARCHIVE_LOADTEST_OUT (where the final figures go, as JSON).
"""

from __future__ import annotations

import json
import os
import random
from urllib.parse import quote

import gevent
from locust import FastHttpUser, between, events, task

TARGETS = json.loads(open(os.environ["ARCHIVE_LOADTEST_TARGETS"], encoding="utf-8").read())
LIMIT = int(os.environ.get("ARCHIVE_LOADTEST_REQUESTS", "0"))
_run = {"sent": 0, "environment": None}


@events.init.add_listener
def _remember(environment, **kwargs):
    _run["environment"] = environment


def _figures(entry) -> dict:
    return {
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "per_second": round(entry.total_rps, 1),
        **{f"p{p}": entry.get_response_time_percentile(p / 100) for p in (50, 95, 99)},
        "max": entry.max_response_time,
    }


@events.quit.add_listener
def _write_figures(**kwargs):
    """The final figures, once every answer is counted (locust's CSV can be written before)."""
    stats = _run["environment"].stats
    figures = {
        "total": _figures(stats.total),
        "by_kind": {name: _figures(entry) for (name, _), entry in stats.entries.items()},
        "failures": [f"{e.method} {e.name}: {e.error} ({e.occurrences}x)" for e in stats.errors.values()],
    }
    with open(os.environ["ARCHIVE_LOADTEST_OUT"], "w", encoding="utf-8") as out:
        json.dump(figures, out, ensure_ascii=False, indent=1)


@events.request.add_listener
def _stop_at_the_limit(**kwargs):
    """Stop the whole run once LIMIT requests were answered (a bounded count, not only a time)."""
    _run["sent"] += 1
    if LIMIT and _run["sent"] == LIMIT:
        gevent.spawn(_run["environment"].runner.quit)


class Reader(FastHttpUser):
    wait_time = between(0, 0.05)

    @task(5)
    def article(self):
        self.client.get(random.choice(TARGETS["article"]), name="article")

    @task(3)
    def api_search(self):
        query = random.choice(TARGETS["queries"])
        with self.client.get(f"/api/search?q={quote(query)}", name="/api/search", catch_response=True) as response:
            if response.status_code == 200 and not isinstance(response.json().get("total"), int):
                response.failure("no total in the answer")

    @task(2)
    def search_page(self):
        self.client.get(f"/search/?q={quote(random.choice(TARGETS['queries']))}", name="/search/")

    @task(1)
    def source(self):
        self.client.get(random.choice(TARGETS["source"]), name="source")

    @task(1)
    def browse(self):
        self.client.get(random.choice(TARGETS["browse"]), name="browse")
