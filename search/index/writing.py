"""Write articles into the live index, or build a whole new index and swap it in."""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

from django.db import connections as connections_to_db
from haystack import connections
from whoosh.index import LockError

from articles.models import Article, ContentsEntry, Person
from articles.parsing.credits import split_position_and_name
from search.analysis import jieba_tokenizer, write_user_words
from search.index.backend import live_target, new_index_dir, open_or_create, point_link
from search.models import QueuedArticle
from search.whoosh_format.segments import commit_segments, write_segments

log = logging.getLogger(__name__)
BATCH = 200
# A load that changed more than this share of the archive's articles gets a whole new index.
REBUILD_SHARE = 0.2


def backend():
    return connections["default"].get_backend()


def article_index():
    return connections["default"].get_unified_index().get_index(Article)


def refresh_user_words() -> None:
    """Give jieba every name the archive prints in bylines, subjects and contents."""
    names = set(Person.objects.values_list("name", flat=True))
    for author in ContentsEntry.objects.exclude(author="").values_list("author", flat=True):
        unit, name = split_position_and_name(author)  # 船营区临江街道党工委书记 / 刘颖
        names |= {unit, name} - {""}
    write_user_words(names)


# Queued articles written to the index at a time.
QUEUE_CHUNK = 1000


def index_queued() -> int:
    """Write the queued articles into the live index and delete the rows written; return how
    many articles were written. If another process holds the index past the lock timeout, the
    rows stay for the next indexing (delayed, never lost). While build_index builds a new index
    they stay too: the build applies them to the new index once it is live."""
    written = 0
    refresh_user_words()  # once: the names jieba keeps whole, for every chunk below
    while True:
        rows = list(QueuedArticle.objects.order_by("pk").values_list("pk", "article_id")[:QUEUE_CHUNK])
        if not rows:
            return written
        ids = {article_id for _, article_id in rows}
        with _build_lock(exclusive=False) as building:
            try:
                _write(ids)
            except LockError:
                log.error("search index busy for %.0f s: %d articles stay queued", backend().lock_timeout, len(ids))
                return written
            if building:
                return written + len(ids)
            _delete_rows([pk for pk, _ in rows])
        written += len(ids)


def _write(ids: set[int]) -> None:
    """Index the articles with these ids as the database holds them now; drop the gone ones."""
    articles = list(Article.objects.for_search().filter(pk__in=ids))
    gone = ids - {a.pk for a in articles}
    backend().write(article_index(), articles, [f"articles.article.{pk}" for pk in sorted(gone)])


def _delete_rows(pks: list[int]) -> None:
    for start in range(0, len(pks), QUEUE_CHUNK):
        QueuedArticle.objects.filter(pk__in=pks[start : start + QUEUE_CHUNK]).delete()


def queued_ids() -> set[int]:
    """The articles waiting in the index queue."""
    return set(QueuedArticle.objects.values_list("article_id", flat=True))


@contextmanager
def _build_lock(exclusive: bool):
    """build_index holds this lock exclusively while it builds; an indexing that finds it held
    (yields True) writes the live index but leaves the queue to the build."""
    path = backend().link.parent / "build.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            yield True
            return
        try:
            yield exclusive
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def indexed_ids() -> list[int]:
    """The primary key of every article in the live index, once per document it holds."""
    engine = backend()
    engine._follow_swaps()
    with engine.index.searcher() as searcher:
        return [int(fields["django_id"]) for fields in searcher.all_stored_fields()]


def index_folders() -> int:
    """How many complete or partial indexes lie in the search folder (the live one included)."""
    return len(list(backend().link.parent.glob("index-*")))


def indexed_count() -> int:
    engine = backend()
    with engine.searcher() as searcher:
        return searcher.doc_count()


def catch_up() -> None:
    """Index what a long command queued: article by article when few changed, as a whole new
    index when many did."""
    waiting = QueuedArticle.objects.values("article_id").distinct().count()
    if waiting > REBUILD_SHARE * max(Article.objects.count(), 1):
        build_index()
    else:
        index_queued()


def build_index(out=None) -> int:
    """Build a complete new index beside the live one, check it, swap it in, and apply to it
    what was queued meanwhile.

    Searches keep using the old index until the swap. The rows queued when the build begins
    are covered by it (it reads every article after that) and are deleted once it is live; a
    build killed part-way leaves them queued. Changes committed during the build reach the old
    index and stay queued (see _build_lock) until the new one is live, then are written to it.
    """
    engine = backend()
    engine._follow_swaps()
    link = engine.link
    with _build_lock(exclusive=True):
        covered = list(QueuedArticle.objects.order_by("pk").values_list("pk", flat=True))
        refresh_user_words()
        target = new_index_dir(link.parent)
        index = open_or_create(target, engine.schema)
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        parts = _writer_processes(len(ids))
        share = -(-len(ids) // parts)
        jieba_tokenizer()  # loaded once, before the writer processes fork

        def write(part: int) -> tuple[list, int]:
            try:
                return write_segments(index, _documents(engine, ids[part * share : (part + 1) * share]))
            finally:
                if parts > 1:
                    connections_to_db.close_all()  # this process's own connections

        if parts > 1:
            connections_to_db.close_all()  # each writer process opens its own
        try:
            expected = commit_segments(index, write, parts)
            with index.searcher() as searcher:
                found = searcher.doc_count()
            if found != expected:
                raise RuntimeError(f"the new index holds {found} articles, the database {expected}: kept the old index")
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise

        old = live_target(link)
        # Hold the live index's writer lock while swapping, so no update lands in the old index unseen.
        engine._follow_swaps()
        lock = engine.index.writer(timeout=engine.lock_timeout, delay=0.05)
        try:
            point_link(link, target)
        finally:
            lock.cancel()
        _delete_rows(covered)
    index_queued()  # what was committed while it was built
    _remove_old_indexes(link.parent, keep={target, old})
    if out:
        out.write(f"indexed {expected} articles into {target.name}")
    return expected


def _documents(engine, ids: list[int]):
    """The index fields of the articles with these ids, in id order (a segment's order)."""
    index = article_index()
    for start in range(0, len(ids), BATCH):
        for article in Article.objects.for_search().filter(pk__in=ids[start : start + BATCH]).order_by("pk"):
            yield engine.document(index, article)


def _writer_processes(articles: int) -> int:
    """One writer process per core (at most 4) when there is enough to share and they can
    read the articles: not from inside a transaction (its rows are invisible to them) or
    from an in-memory database (they would not see it at all)."""
    connection = connections_to_db["default"]
    if connection.in_atomic_block or getattr(connection, "is_in_memory_db", lambda: False)():
        return 1
    return max(1, min(os.cpu_count() or 1, 4, articles // 100))


def _remove_old_indexes(root: Path, keep: set) -> None:
    """Delete indexes older than the one just replaced (a reader may still hold that one)."""
    for path in root.glob("index-*"):
        if path.is_dir() and path not in keep:
            shutil.rmtree(path, ignore_errors=True)
