"""haystack's Whoosh backend, changed only where the archive needs it to differ.

- The schema: jieba words and character bigrams instead of English stemming,
  exact keyword fields for filters and facets, big texts not stored twice.
- Writing: a bounded wait for Whoosh's one-writer lock and a loud failure,
  never haystack's silent drop; updates and deletions in one writer. (What to
  write comes from the index queue: search.index.queue, search.index.writing.)
- Reading: one searcher per process, refreshed when the index changes or a
  rebuild swaps a new one in; filters and query run on that one searcher.
"""

from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from haystack.backends import BaseEngine
from haystack.backends.whoosh_backend import WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError
from haystack.utils import get_identifier
from whoosh.fields import DATETIME, KEYWORD, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError

from search.analysis import BigramAnalyzer, BigramPositions, CharacterSet, JiebaAnalyzer
from search.whoosh_format import whoosh_fixes

whoosh_fixes.apply()


def live_target(link: Path) -> Path | None:
    try:
        return Path(os.path.realpath(link)) if link.is_symlink() or link.exists() else None
    except OSError:
        return None


def point_link(link: Path, target: Path) -> None:
    """Make `link` point at `target` in one atomic step (readers see the old or the new index)."""
    tmp = link.with_name(f".{link.name}.{os.getpid()}.{time.monotonic_ns()}")
    os.symlink(target.name, tmp)
    os.replace(tmp, link)


def new_index_dir(root: Path) -> Path:
    path = root / f"index-{time.strftime('%Y%m%d-%H%M%S')}-{time.monotonic_ns() % 1_000_000:06d}"
    path.mkdir(parents=True)
    return path


class ArchiveWhooshBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **options):
        super().__init__(connection_alias, **options)
        self.link = Path(self.path)
        self.lock_timeout = float(options.get("LOCK_TIMEOUT", 30))
        self.mmap = bool(options.get("MMAP", False))
        self._opened = None
        self._searcher = None
        self._read_lock = threading.Lock()
        self._pid = os.getpid()

    # --- where the live index is ---------------------------------------

    def setup(self):
        self.link.parent.mkdir(parents=True, exist_ok=True)
        if live_target(self.link) is None:
            point_link(self.link, new_index_dir(self.link.parent))
        # Open the directory the link points at now, not the link: a swap must not move
        # the files under an open writer or reader.
        target = live_target(self.link)
        self.path = str(target)
        try:
            super().setup()
            # No memory-mapping unless configured: Whoosh copies each mapped segment file into
            # memory when a reader opens (the benchmark's memory figures show what that costs).
            self.storage = FileStorage(str(target), supports_mmap=self.mmap)
            # Read and write an index with the schema it was built with: one built by an
            # older version keeps working (with its own analyzers) until build_index replaces it.
            self.index = self.storage.open_index()
        finally:
            self.path = str(self.link)
        self._opened = target
        self._searcher = None

    def _follow_swaps(self):
        if self._pid != os.getpid():
            # A forked process must not read through its parent's open files: without
            # memory-mapping, both would move the same file offsets under each other.
            self.setup_complete = False
            self._searcher = None
            self._pid = os.getpid()
        if not self.setup_complete or live_target(self.link) != self._opened:
            self.setup_complete = False
            self.setup()

    def build_schema(self, fields):
        schema = {
            ID: WHOOSH_ID(stored=True, unique=True),
            DJANGO_CT: WHOOSH_ID(stored=True),
            DJANGO_ID: WHOOSH_ID(stored=True),
        }
        content_field_name = ""
        for field in fields.values():
            name = field.index_fieldname
            kind = field.field_type
            if kind == "jieba_text":
                # Words rank, they are never matched as a phrase: no positions to store.
                schema[name] = TEXT(analyzer=JiebaAnalyzer(), phrase=False, stored=False, field_boost=field.boost)
            elif kind == "bigram_text":
                schema[name] = TEXT(analyzer=BigramAnalyzer(), phrase=True, stored=False, field_boost=field.boost)
                schema[name].format = BigramPositions(field_boost=field.boost)
            elif kind == "char_set":
                # Whether a document holds a character, nothing more: no frequencies, no positions.
                schema[name] = KEYWORD(stored=False, lowercase=False, scorable=False)
                schema[name].format = CharacterSet(field_boost=field.boost)
            elif kind == "keyword":
                schema[name] = WHOOSH_ID(stored=True, sortable=True)
            elif kind == "keyword_list":
                schema[name] = KEYWORD(stored=True, commas=True, lowercase=False, scorable=False)
            elif kind in ("date", "datetime"):
                schema[name] = DATETIME(stored=True, sortable=True)
            else:
                raise SearchBackendError(f"field {name!r}: type {kind!r} is not supported by the archive's index")
            if field.document:
                content_field_name = name
        return content_field_name, Schema(**schema)

    # --- writing ---------------------------------------------------------

    @contextmanager
    def writer(self):
        """The index writer, waiting a bounded time for another process to finish."""
        self._follow_swaps()
        self.index = self.index.refresh()
        writer = self.index.writer(timeout=self.lock_timeout, delay=0.05)
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def document(self, index, obj) -> dict:
        """The fields the index stores for one model object, as Whoosh takes them."""
        return {key: self._from_python(value) for key, value in index.full_prepare(obj).items() if key != "boost"}

    def update(self, index, iterable, commit=True):
        self.write(index, iterable, [])

    def write(self, index, objects, removed: list[str]) -> None:
        """Update the documents of these objects and delete the `removed` identifiers, with one writer."""
        docs = [self.document(index, obj) for obj in objects]
        if not docs and not removed:
            return
        with self.writer() as writer:
            for doc in docs:
                writer.update_document(**doc)
            for identifier in removed:
                writer.delete_by_term(ID, identifier)

    def remove(self, obj_or_string, commit=True):
        self.write(None, [], [get_identifier(obj_or_string)])

    # --- reading ---------------------------------------------------------

    @contextmanager
    def searcher(self):
        """A searcher on the newest committed index; shared within the process."""
        with self._read_lock:
            self._follow_swaps()
            if self._searcher is None:
                self._searcher = self.index.searcher()
            elif not self._searcher.up_to_date():
                self._searcher = self._searcher.refresh()
            yield self._searcher


def open_or_create(path: Path, schema) -> object:
    storage = FileStorage(str(path), supports_mmap=False)
    try:
        return storage.open_index(schema=schema)
    except EmptyIndexError:
        return storage.create_index(schema)


class ArchiveWhooshEngine(BaseEngine):
    backend = ArchiveWhooshBackend
    query = WhooshSearchQuery
