"""Facet counts over every matching article, from tables kept per index segment.

Whoosh's own facets read the postings of every term of a field at each search
(for the persons fields, one read per person in the archive: seconds at 50,000
articles). Here each segment's values are read once from its stored fields and
kept while the segment lives; a search only counts the values of the documents
it matched. A segment never changes once written, so its table never goes stale;
deleted documents are never among the matches.
"""

from __future__ import annotations

import threading
from collections import Counter
from itertools import chain

_tables: dict[str, dict[str, list]] = {}  # segment id -> field -> value(s) per document
_combined: dict[tuple, dict[str, list]] = {}  # (segment ids) -> the segments' tables end to end
_lock = threading.Lock()


def _values(stored, multi: bool):
    if not multi:
        return stored if stored not in (None, "") else None
    if not stored:
        return ()
    items = stored if isinstance(stored, (list, tuple)) else str(stored).split(",")
    return tuple(v.strip() for v in items if v and v.strip())


def _segment_table(reader, fields: dict[str, bool]) -> dict[str, list]:
    size = reader.doc_count_all()
    table = {name: [() if multi else None] * size for name, multi in fields.items()}
    for docnum, stored in reader.iter_docs():
        for name, multi in fields.items():
            table[name][docnum] = _values(stored.get(name), multi)
    return table


def document_values(searcher, fields: dict[str, bool]) -> dict[str, list]:
    """field -> value(s) of every document number of this searcher (fields: name -> multi-valued)."""
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
            _combined[ids] = {name: list(chain.from_iterable(t[name] for t in tables)) for name in fields}
        return _combined[ids]


def count(searcher, matched: list[int], fields: dict[str, bool]) -> dict[str, Counter]:
    """How many matched documents hold each value of each field."""
    values = document_values(searcher, fields)
    counts = {}
    for name, multi in fields.items():
        column = values[name]
        if multi:
            counts[name] = Counter(chain.from_iterable(map(column.__getitem__, matched)))
        else:
            counts[name] = Counter(map(column.__getitem__, matched))
        counts[name].pop(None, None)
    return counts
