"""Facet counts over every matching article, from tables kept per index segment.

Whoosh's own facets read the postings of every term of a field at each search
(for the persons fields, one read per person in the archive: seconds at 50,000
articles). Here each segment's values are read once from its stored fields and
kept while the segment lives; a search only counts the values of the documents
it matched. A segment never changes once written, so its table never goes stale;
deleted documents are never among the matches.
"""

from __future__ import annotations

import sys
import threading
from collections import Counter
from itertools import chain

_tables: dict[str, dict[str, list]] = {}  # segment id -> field -> value(s) per document
_combined: dict[tuple, dict[str, list]] = {}  # (segment ids) -> the segments' tables end to end
_totals: dict[tuple, dict[str, Counter]] = {}  # (segment ids) -> field -> counts over every document
_lock = threading.Lock()


def _values(stored, multi: bool):
    """A document's value(s) of a field, each string interned: a name on thousands of documents
    is then kept once (at 50,000 articles the tables took 95 MB of each worker without)."""
    if not multi:
        return sys.intern(stored) if isinstance(stored, str) and stored else (stored if stored != "" else None)
    if not stored:
        return ()
    items = stored if isinstance(stored, (list, tuple)) else str(stored).split(",")
    return tuple(sys.intern(v.strip()) for v in items if v and v.strip())


def _segment_table(reader, fields: dict[str, bool]) -> dict[str, list]:
    size = reader.doc_count_all()
    table = {name: [() if multi else None] * size for name, multi in fields.items()}
    for docnum, stored in reader.iter_docs():
        for name, multi in fields.items():
            table[name][docnum] = _values(stored.get(name), multi)
    return table


def document_values(searcher, fields: dict[str, bool]) -> tuple[dict[str, list], dict[str, Counter]]:
    """field -> value(s) of every document number of this searcher (fields: name -> multi-valued),
    and a place to keep each field's counts over all documents."""
    readers = (
        [sub.reader() for sub, _offset in searcher.subsearchers] if not searcher.is_atomic() else [searcher.reader()]
    )
    readers = [reader for reader in readers if reader.segment() is not None]  # an empty index has none
    ids = tuple(reader.segment().segment_id() for reader in readers) + tuple(fields)
    with _lock:
        if ids not in _combined:
            for reader in readers:
                segment_id = reader.segment().segment_id()
                if segment_id not in _tables or _tables[segment_id].keys() != fields.keys():
                    _tables[segment_id] = _segment_table(reader, fields)
            tables = [_tables[reader.segment().segment_id()] for reader in readers]
            for gone in set(_tables) - set(ids):
                del _tables[gone]  # segments merged away or of an index swapped out
            _combined.clear()
            _totals.clear()
            _combined[ids] = {name: list(chain.from_iterable(t[name] for t in tables)) for name in fields}
            _totals[ids] = {}
        return _combined[ids], _totals[ids]


def _tally(column: list, docnums, multi: bool) -> Counter:
    if multi:
        return Counter(chain.from_iterable(map(column.__getitem__, docnums)))
    return Counter(map(column.__getitem__, docnums))


def count(searcher, matched: set[int], fields: dict[str, bool]) -> dict[str, Counter]:
    """How many matched documents hold each value of each field.

    When most of the archive matches (a common word), the documents that do not match are
    counted instead and taken from the whole archive's counts, kept with the tables."""
    values, totals = document_values(searcher, fields)
    size = len(next(iter(values.values()), []))
    counts = {}
    rest = set(range(size)) - matched if len(matched) > size // 2 else None
    for name, multi in fields.items():
        column = values[name]
        if rest is not None:  # deleted documents hold no values: they count nothing
            if name not in totals:
                totals[name] = _tally(column, range(size), multi)
            counts[name] = totals[name] - _tally(column, rest, multi)
        else:
            counts[name] = _tally(column, matched, multi)
        counts[name].pop(None, None)
    return counts
