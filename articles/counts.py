"""Figures over the whole archive, computed once per state of the archive.

Counting a name's articles at each request is a COUNT(DISTINCT) over its rows: the search
page's suggestions for 王 counted the mentions of thousands of persons, and a page of the
persons index those of a hundred. Here the archive's counts are made with one GROUP BY per
kind (the benchmark's page timings show the cost at 10,000 and 50,000 articles), kept in
the shared cache for the other processes and in this process's memory, and looked up.
"""

from __future__ import annotations

import threading
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max

from .models import Article, Byline, Mention, Person, Source

_kept: dict[str, tuple[str, object]] = {}  # name -> (version, figure), this process's copy
_lock = threading.Lock()
# The archive's version as read once in this request (a page may show several figures).
_read_in_request: ContextVar[dict | None] = ContextVar("archive_version_in_request", default=None)


class OneVersionPerRequest:
    """Middleware: the archive's version is read once per request, not once per figure shown."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _read_in_request.set({})
        try:
            return self.get_response(request)
        finally:
            _read_in_request.reset(token)


def _current_version() -> str:
    memo = _read_in_request.get()
    if memo is None:
        return ".".join(map(str, archive_version()))
    if "version" not in memo:
        memo["version"] = ".".join(map(str, archive_version()))
    return memo["version"]


def archive_version() -> tuple[int, ...]:
    """Names the archive's state: every save or delete of a source, article or person leaves
    a history record, and mentions found again (or bylines written) get new ids, so the newest
    ids change whenever what the browse pages and the counts count does."""
    versions = [model.history.aggregate(n=Max("history_id"))["n"] or 0 for model in (Source, Article, Person)]
    versions += [model.objects.aggregate(n=Max("id"))["n"] or 0 for model in (Mention, Byline)]
    return tuple(versions)


def archive_wide(name: str, compute):
    """A figure over the whole archive, computed once per state of the archive (by whichever
    process first asks; the others read it from the cache), kept in each process's memory."""
    version = _current_version()
    with _lock:
        kept = _kept.get(name)
        if kept is not None and kept[0] == version:
            return kept[1]
    figure = cache.get_or_set(f"archive-wide:{name}:{version}", compute, timeout=None)
    with _lock:
        _kept[name] = (version, figure)
    return figure


def per_name(key: str, compute):
    """A figure about one name (a person's months), computed once per state of the archive and
    kept only in the shared cache: there are too many names to keep each in every process."""
    return cache.get_or_set(f"per-name:{key}:{_current_version()}", compute, timeout=None)


def forget() -> None:
    """Drop this process's copies (tests: a rolled-back test's ids are handed out again)."""
    with _lock:
        _kept.clear()


@dataclass(frozen=True)
class NameCounts:
    """How many distinct articles each person (by id) wrote, portrays and mentions, and how
    many mention each place (by id). A name that is in none is not a key."""

    wrote: dict[int, int]
    portrayed: dict[int, int]
    mentioned: dict[int, int]
    places: dict[int, int]


def name_counts() -> NameCounts:
    return archive_wide("name-counts", _count_names)


def _count_names() -> NameCounts:
    def per(model, link: str, counted: str = "article") -> dict[int, int]:
        rows = model.objects.filter(**{f"{link}__isnull": False}).order_by().values(link)
        return dict(rows.annotate(n=Count(counted, distinct=True)).values_list(link, "n"))

    return NameCounts(
        wrote=per(Byline, "person"),
        portrayed=per(Article, "subject", counted="id"),
        mentioned=per(Mention, "person"),
        places=per(Mention, "place"),
    )
