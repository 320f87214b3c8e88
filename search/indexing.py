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

from .analysis import jieba_tokenizer, write_user_words
from .backend import JOURNAL_NAME, live_target, new_index_dir, open_or_create, point_link
from .segments import commit_segments, write_segments

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


def apply_changes(changed: set[int], deleted: set[int]) -> None:
    """Re-index the changed articles and drop the deleted ones from the live index.

    If another process holds the index longer than the lock timeout, the ids
    are kept in a pending list that the next successful write takes over: the
    saved change is never lost, and the save itself does not fail.
    """
    changed, deleted = set(changed) | take_pending(), set(deleted)
    if not changed and not deleted:
        return
    refresh_user_words()
    articles = list(Article.objects.for_search().filter(pk__in=changed))
    gone = deleted | (changed - {a.pk for a in articles})
    engine = backend()
    try:
        engine.update(article_index(), articles)
        for pk in gone:
            engine.remove(f"articles.article.{pk}")
    except LockError:
        log.error("search index busy for %.0f s: %d articles left pending", engine.lock_timeout, len(changed | gone))
        add_pending(changed | gone)


@contextmanager
def _pending_file(mode: str):
    path = backend().link.parent / "pending.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, mode, encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield handle
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def add_pending(pks: set[int]) -> None:
    with _pending_file("a") as handle:
        handle.write("".join(f"{pk}\n" for pk in sorted(pks)))


def take_pending() -> set[int]:
    """Claim the ids a busy index could not take earlier."""
    with _pending_file("a+") as handle:
        pks = _read_pending(handle)
        handle.truncate(0)
    return pks


def _read_pending(handle) -> set[int]:
    handle.seek(0)
    return {int(line) for line in handle if line.strip().isdigit()}


def pending_now() -> str:
    with _pending_file("a+") as handle:
        handle.seek(0)
        return handle.read()


def drop_pending(taken: str) -> None:
    """Forget the ids a new index now holds (`taken`, the list as it was when the build began);
    ids added since stay for the next write. If another process claimed the list meanwhile,
    nothing is dropped: an id indexed twice costs a little time, a lost one a search result."""
    if not taken:
        return
    with _pending_file("a+") as handle:
        handle.seek(0)
        text = handle.read()
        if text.startswith(taken):
            handle.truncate(0)
            handle.write(text[len(taken) :])


def pending_ids() -> set[int]:
    """The ids waiting in the pending list (without taking them)."""
    with _pending_file("a+") as handle:
        return _read_pending(handle)


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
    """Index what a load left in the pending list: article by article when few changed,
    as a whole new index when many did or the index does not hold what the database holds
    (a load killed between its commit and its note in the pending list)."""
    with _pending_file("a+") as handle:
        handle.seek(0)
        waiting = sum(1 for line in handle if line.strip())
    total = Article.objects.count()
    if waiting > REBUILD_SHARE * max(total, 1):
        build_index()
        return
    apply_changes(set(), set())
    if indexed_count() != total:
        log.warning("search index holds %d articles, the database %d: building a new index", indexed_count(), total)
        build_index()


def build_index(out=None) -> int:
    """Build a complete new index beside the live one, check it, and swap it in.

    Searches keep using the old index until the swap. Changes saved while the
    new index was built are in the journal and are replayed into it after.
    """
    engine = backend()
    engine._follow_swaps()
    link = engine.link
    journal = link.parent / JOURNAL_NAME
    journal_start = journal.stat().st_size if journal.exists() else 0
    # The new index reads every article from the database after this point; the ids waiting
    # now are forgotten only once it is live (a build killed part-way leaves them waiting).
    pending = pending_now()
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
    drop_pending(pending)
    _replay_journal(journal, journal_start)
    _remove_old_indexes(link.parent, keep={target, old})
    if out:
        out.write(f"indexed {expected} articles into {target.name}")
    return expected


def _documents(engine, ids: list[int]):
    """The index fields of the articles with these ids, in id order (a segment's order)."""
    prepare = article_index().full_prepare
    for start in range(0, len(ids), BATCH):
        for article in Article.objects.for_search().filter(pk__in=ids[start : start + BATCH]).order_by("pk"):
            yield {k: engine._from_python(v) for k, v in prepare(article).items() if k != "boost"}


def _writer_processes(articles: int) -> int:
    """One writer process per core (at most 4) when there is enough to share and they can
    read the articles: not from inside a transaction (its rows are invisible to them) or
    from an in-memory database (they would not see it at all)."""
    connection = connections_to_db["default"]
    if connection.in_atomic_block or getattr(connection, "is_in_memory_db", lambda: False)():
        return 1
    return max(1, min(os.cpu_count() or 1, 4, articles // 100))


def _replay_journal(journal: Path, start: int) -> None:
    if not journal.exists():
        return
    with open(journal, encoding="utf-8") as handle:
        handle.seek(start)
        identifiers = {line.strip() for line in handle if line.strip()}
    pks = {int(i.rsplit(".", 1)[1]) for i in identifiers if i.startswith("articles.article.")}
    if pks:
        existing = set(Article.objects.filter(pk__in=pks).values_list("pk", flat=True))
        apply_changes(existing, pks - existing)


def _remove_old_indexes(root: Path, keep: set) -> None:
    """Delete indexes older than the one just replaced (a reader may still hold that one)."""
    for path in root.glob("index-*"):
        if path.is_dir() and path not in keep:
            shutil.rmtree(path, ignore_errors=True)
