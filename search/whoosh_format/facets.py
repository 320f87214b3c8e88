"""Facet counts over every matching article, from tables kept per index segment.

Whoosh's own facets read the postings of every term of a field at each search
(for the persons fields, one read per person in the archive: slow in a large
archive). Here each segment's values are read once from its stored fields and
kept while the segment lives; the index's tables are then arrays (each value of
each document as a number), and a search counts its matches' values with one
numpy bincount. A segment never changes once written, so its table never goes
stale; deleted documents are never among the matches.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass

import numpy as np

_tables: dict[str, dict[str, Column]] = {}  # segment id -> field -> the segment's column
_combined: dict[tuple, dict[str, Column]] = {}  # (segment ids, fields) -> field -> the segments' column
_lock = threading.Lock()


@dataclass(frozen=True)
class Column:
    """One field's values over the searcher's documents: document docs[i] holds values[codes[i]]."""

    values: list  # each distinct value once
    ranks: np.ndarray  # each value's place in the order of str(value): ties among counts
    docs: np.ndarray  # ascending
    codes: np.ndarray
    totals: np.ndarray  # how many documents hold each value
    starts: np.ndarray  # document d's rows are starts[d]:starts[d + 1] (one more than there are documents)

    @classmethod
    def of(cls, per_document: list) -> Column:
        """The column of one segment: its documents' value tuples, in document order."""
        numbering: dict = {}
        docs, codes = [], []
        for docnum, held in enumerate(per_document):
            for value in held:
                docs.append(docnum)
                codes.append(numbering.setdefault(value, len(numbering)))
        docs_array, codes_array = np.array(docs, dtype=np.int32), np.array(codes, dtype=np.int32)
        return cls._ranked(list(numbering), docs_array, codes_array, len(per_document))

    @classmethod
    def joined(cls, columns: list[Column], sizes: list[int]) -> Column:
        """Segments' columns (of `sizes` documents each) end to end, each segment's documents after the previous ones."""
        numbering: dict = {}
        docs, codes = [], []
        offsets = np.cumsum([0, *sizes])
        for column, offset in zip(columns, offsets[:-1].tolist(), strict=True):
            renumbered = np.array([numbering.setdefault(v, len(numbering)) for v in column.values], dtype=np.int32)
            docs.append(column.docs + np.int32(offset))
            codes.append(renumbered[column.codes] if len(renumbered) else column.codes)
        empty = np.zeros(0, dtype=np.int32)
        joined_docs, joined_codes = np.concatenate([empty, *docs]), np.concatenate([empty, *codes])
        return cls._ranked(list(numbering), joined_docs, joined_codes, int(offsets[-1]))

    @classmethod
    def _ranked(cls, values: list, docs: np.ndarray, codes: np.ndarray, size: int) -> Column:
        ranks = np.empty(len(values), dtype=np.int64)
        ranks[sorted(range(len(values)), key=lambda i: str(values[i]))] = np.arange(len(values))
        starts = np.searchsorted(docs, np.arange(size + 1))
        return cls(values, ranks, docs, codes, np.bincount(codes, minlength=len(values)), starts)

    def counts(self, matched: np.ndarray, size: int, limit: int | None) -> list[tuple[object, int]]:
        """The values held by matched documents, by count, most first (then by value). Only the
        values of the matched documents are counted, or, when most documents match, those of
        the others, taken from the totals (a common word matches nearly every document)."""
        if 2 * len(matched) > size:
            others = np.ones(size, dtype=bool)
            others[matched] = False
            counted = self.totals - self._count(np.flatnonzero(others))
        else:
            counted = self._count(matched)
        held = np.flatnonzero(counted)
        if limit is not None and len(held) > limit:  # values at least as common as the limit-th
            threshold = np.partition(counted[held], len(held) - limit)[len(held) - limit]
            held = held[counted[held] >= threshold]
        held = held[np.lexsort((self.ranks[held], -counted[held]))][:limit]
        return [(self.values[code], int(counted[code])) for code in held]

    def _count(self, documents: np.ndarray) -> np.ndarray:
        """How many of these documents (sorted) hold each value."""
        first = self.starts[documents]
        held = self.starts[documents + 1] - first
        rows = np.repeat(first - np.cumsum(held) + held, held) + np.arange(held.sum())
        return np.bincount(self.codes[rows], minlength=len(self.values))


def _values(stored, multi: bool) -> tuple:
    """A document's value(s) of a field, as a tuple (empty values dropped), strings interned:
    a name on thousands of documents is then kept once."""
    if not multi:
        if isinstance(stored, str):
            return (sys.intern(stored),) if stored else ()
        return () if stored is None or stored == b"" else (stored,)
    if not stored:
        return ()
    items = stored if isinstance(stored, (list, tuple)) else str(stored).split(",")
    return tuple(sys.intern(v.strip()) for v in items if v and v.strip())


def _segment_table(reader, fields: dict[str, bool]) -> dict[str, Column]:
    table = {name: [()] * reader.doc_count_all() for name in fields}
    for docnum, stored in reader.iter_docs():
        for name, multi in fields.items():
            table[name][docnum] = _values(stored.get(name), multi)
    return {name: Column.of(values) for name, values in table.items()}


def columns(searcher, fields: dict[str, bool]) -> tuple[dict[str, Column], int]:
    """field -> its column over every document number of this searcher (fields: name ->
    multi-valued), and the searcher's number of documents."""
    readers = (
        [sub.reader() for sub, _offset in searcher.subsearchers] if not searcher.is_atomic() else [searcher.reader()]
    )
    readers = [reader for reader in readers if reader.segment() is not None]  # an empty index has none
    ids = tuple(reader.segment().segment_id() for reader in readers) + tuple(fields)
    sizes = [reader.doc_count_all() for reader in readers]
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
            _combined[ids] = {name: Column.joined([t[name] for t in tables], sizes) for name in fields}
        return _combined[ids], sum(sizes)


def count(searcher, matched: np.ndarray, fields: dict[str, bool], limit: int | None) -> dict[str, list]:
    """For each field, how many matched documents hold each value: the `limit` commonest
    values (all if None), most first, then by value."""
    found, size = columns(searcher, fields)
    return {name: found[name].counts(matched, size, limit) for name in fields}
