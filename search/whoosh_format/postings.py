"""A term's postings in one index segment as numpy arrays, decoded once and kept while memory allows.

Whoosh hands out postings one document at a time through Python matchers, and decodes a
block (pickled, often compressed) each time a matcher passes it. At 50,000 articles a name
printed in 19,000 of them spent most of its search there and in decoding each document's
positions. Here a term's blocks are read once, each block's ids, weights and positions
turned into arrays in a few vectorised steps, and the arrays kept (least recently used
out first, CACHE_BYTES in all) for the segment's life: a segment's postings never change.
Deleted documents stay in the arrays; `live` drops them (deletions do change).

Long lists are also written, decoded, into a folder inside the index (search.whoosh_format.shared_postings):
gunicorn's workers each have their own memory, and a list one worker decoded another reads
from there, much faster than decoding it again. The folder goes with its index when a new one is built.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.reading import TermNotFound

from search.whoosh_format import shared_postings as shared
from search.whoosh_format.whoosh_fixes import field_lengths

# Decoded postings kept per process (a gunicorn worker): the commonest bigram's positions
# at 50,000 articles take about 4 MB.
CACHE_BYTES = 32 * 2**20


@dataclass(frozen=True)
class Postings:
    ids: np.ndarray  # document numbers in the segment, ascending (int64)
    weights: np.ndarray  # the term's weight (frequency) in each (float64)
    starts: np.ndarray | None = None  # positions of ids[i]: positions[starts[i]:starts[i + 1]]
    positions: np.ndarray | None = None  # int32

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.ids, self.weights, self.starts, self.positions) if a is not None)


_EMPTY_IDS = np.zeros(0, dtype=np.int64)
NONE = Postings(_EMPTY_IDS, np.zeros(0), np.zeros(1, dtype=np.int64), _EMPTY_IDS)

_cache: OrderedDict[tuple, Postings] = OrderedDict()
_terms: dict[tuple, tuple[int, int, int]] = {}
TERMS_KEPT = 20_000  # about 5 MB; then they are looked up again
_cached_bytes = 0
_lock = threading.Lock()


# Lists at least this long are kept for the other processes too (shorter ones decode about as
# fast as they read back).
SHARED_MIN_POSTINGS = 256

# A posting list shorter than this many times the documents asked for is read whole (and kept).
SPARSE_RATIO = 256


@dataclass(frozen=True)
class _Blocks:
    """Where a posting list's blocks are in the file and the last document of each."""

    offsets: np.ndarray
    last_ids: np.ndarray

    @property
    def nbytes(self) -> int:
        return self.offsets.nbytes + self.last_ids.nbytes


def read(
    reader, fieldname: str, text: str | bytes, positions: bool = False, within: np.ndarray | None = None
) -> Postings:
    """The term's postings in this segment reader (NONE if it has none), with positions if asked.

    `within` (sorted document numbers): only the postings of these documents are needed. When
    the list is not kept whole and is much longer, only its blocks whose range holds one of
    them are decoded (and kept, block by block; Whoosh's blocks hold 128 postings): a rare
    name's few articles need a few blocks of a common pair of characters' hundreds. The
    answer then holds every posting of those blocks."""
    key = _key(reader, fieldname, text)
    if key is None:
        return NONE
    found = _cached((*key, True)) or (None if positions else _cached((*key, False)))
    if found is not None:
        return found
    count = _term(reader, key)[0]
    if not count:
        return NONE
    if count >= SHARED_MIN_POSTINGS:
        for kept_positions in (True,) if positions else (True, False):
            arrays = shared.read(reader, (*key, kept_positions))
            if arrays is not None:
                found = Postings(*arrays)
                _keep((*key, kept_positions), found)
                return found
    if within is not None and len(within) * SPARSE_RATIO < count:
        return _sparse(reader, key, _cached((*key, "blocks")) or _blocks(reader, key), within, positions)
    found = _decode(_matcher(reader, key), positions)
    _keep((*key, positions), found)
    if count >= SHARED_MIN_POSTINGS:
        shared.write(reader, (*key, positions), _arrays(found))
    return found


def frequency(reader, fieldname: str, text: str | bytes) -> int:
    """How many documents of the segment hold the term (deleted ones too)."""
    key = _key(reader, fieldname, text)
    return 0 if key is None else _term(reader, key)[0]


def _key(reader, fieldname: str, text: str | bytes) -> tuple | None:
    """(segment id, field, term bytes), None for the reader of an empty index (it has no segment)."""
    segment = reader.segment()
    if segment is None:
        return None
    return segment.segment_id(), fieldname, text.encode("utf-8") if isinstance(text, str) else text


def _term(reader, key: tuple) -> tuple[int, int, int]:
    """(document frequency, offset, length) of the term's posting list, looked up in Whoosh's
    table once per process: a query reads each of its terms in each segment several times
    (a long place name made 528 look-ups a search), and Whoosh's matchers look them up again."""
    found = _terms.get(key)
    if found is None:
        _segment, fieldname, term = key
        try:
            info = reader._terms.term_info(fieldname, term)
            found = (info.doc_frequency(), *info.extent())
        except TermNotFound:
            found = (0, 0, 0)
        with _lock:
            if len(_terms) >= TERMS_KEPT:
                _terms.clear()
            _terms[key] = found
    return found


def _matcher(reader, key: tuple) -> W3LeafMatcher:
    """Whoosh's matcher of the term's whole list (deleted documents too), from the kept extent."""
    _segment, fieldname, term = key
    _frequency, offset, length = _term(reader, key)
    return W3LeafMatcher(
        reader._terms._postfile, offset, length, reader.schema[fieldname].format, term=(fieldname, term)
    )


def _arrays(postings: Postings) -> tuple[np.ndarray, ...]:
    if postings.positions is None:
        return postings.ids, postings.weights
    return postings.ids, postings.weights, postings.starts, postings.positions


def _cached(key: tuple):
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
        return found


def _keep(key: tuple, postings: Postings | _Blocks) -> None:
    global _cached_bytes
    with _lock:
        if key in _cache or postings.nbytes > CACHE_BYTES:
            return
        _cache[key] = postings
        _cached_bytes += postings.nbytes
        while _cached_bytes > CACHE_BYTES:
            _key, dropped = _cache.popitem(last=False)
            _cached_bytes -= dropped.nbytes


def clear() -> None:
    """Forget every decoded posting (tests; an index rebuilt under the same segment names)."""
    global _cached_bytes
    with _lock:
        _cache.clear()
        _terms.clear()
        _cached_bytes = 0


def _blocks(reader, key: tuple) -> _Blocks:
    """The term's block directory, read from the block headers."""
    matcher = _matcher(reader, key)
    offsets, last_ids = [matcher._baseoffset], [matcher._maxid]
    while not matcher._lastblock:
        offsets.append(matcher._nextoffset)
        matcher._next_block()
        last_ids.append(matcher._maxid)
    found = _Blocks(np.array(offsets), np.array(last_ids))
    _keep((*key, "blocks"), found)
    return found


def _sparse(reader, key: tuple, blocks: _Blocks, within: np.ndarray, positions: bool) -> Postings:
    """The postings of the blocks that can hold one of `within`, each block decoded once and kept."""
    wanted = distinct(np.searchsorted(blocks.last_ids, within))
    matcher = None
    parts = []
    for block in wanted[wanted < len(blocks.offsets)].tolist():
        part = _cached((*key, "block", block, positions))
        if part is None:
            if matcher is None:
                matcher = _matcher(reader, key)
            matcher._goto(int(blocks.offsets[block]))
            part = _decode(matcher, positions, only_one=True)
            _keep((*key, "block", block, positions), part)
        parts.append(part)
    return _joined(parts, positions)


def _joined(parts: list[Postings], positions: bool) -> Postings:
    if not parts:
        return NONE
    ids = np.concatenate([p.ids for p in parts])
    weights = np.concatenate([p.weights for p in parts])
    if not positions:
        return Postings(ids, weights)
    ends = np.cumsum([len(p.positions) for p in parts])
    starts = np.concatenate([p.starts[:-1] + end - len(p.positions) for p, end in zip(parts, ends, strict=True)])
    return Postings(ids, weights, np.append(starts, ends[-1]), np.concatenate([p.positions for p in parts]))


def _decode(matcher, positions: bool, only_one: bool = False) -> Postings:
    """The blocks of a Whoosh 2.7.4 posting list (W3LeafMatcher) from the matcher's current one
    to the end (or that one only), deleted documents included."""
    ids, weights, values = [], [], []
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        minified_ids, minified_weights, block_values = matcher._data
        count = matcher._blocklength
        ids.append(np.cumsum(np.asarray(minified_ids, dtype=np.int64)))  # stored as deltas
        if minified_weights is None or isinstance(minified_weights, float):
            weights.append(np.full(count, 1.0 if minified_weights is None else minified_weights))
        else:
            weights.append(np.asarray(minified_weights, dtype=np.float64))
        if positions:
            values.extend(block_values)
        if only_one:
            break
        matcher._next_block()
    found_ids = np.concatenate(ids) if ids else _EMPTY_IDS
    found_weights = np.concatenate(weights) if weights else np.zeros(0)
    if not positions:
        return Postings(found_ids, found_weights)
    starts, found_positions = _decode_positions(values)
    return Postings(found_ids, found_weights, starts, found_positions)


def _decode_positions(values: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """search.analysis.BigramPositions' values (each a 4-byte count, then the deltas between
    positions as native uint32) of many documents, decoded together."""
    words = np.frombuffer(b"".join(values), dtype=np.uint32)
    sizes = np.fromiter(map(len, values), dtype=np.int64, count=len(values)) // 4
    counts = sizes - 1
    deltas = np.delete(words, np.cumsum(sizes) - sizes).astype(np.int64)
    running = np.concatenate(([0], np.cumsum(deltas)))
    starts = np.concatenate(([0], np.cumsum(counts)))
    return starts, (running[1:] - np.repeat(running[starts[:-1]], counts)).astype(np.int32)


def deleted(reader) -> np.ndarray:
    """The segment's deleted document numbers, sorted."""
    if not reader.has_deletions():
        return _EMPTY_IDS
    return np.array(sorted(reader.segment().deleted_docs()), dtype=np.int64)


def intersect(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The numbers in both sorted arrays of distinct numbers, sorted: each of the shorter looked
    up in the longer (np.intersect1d sorts both together again, slow for long lists)."""
    if len(a) < len(b):
        a, b = b, a
    if not len(b):
        return b
    return b[a[np.minimum(np.searchsorted(a, b), len(a) - 1)] == b]


def distinct(ascending: np.ndarray) -> np.ndarray:
    """The distinct numbers of a sorted array (np.unique hashes or sorts them again)."""
    if not len(ascending):
        return ascending
    return ascending[np.concatenate(([True], ascending[1:] != ascending[:-1]))]


def difference(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The numbers of sorted `a` not in sorted `b` (both of distinct numbers), sorted."""
    if not len(a) or not len(b):
        return a
    at = np.minimum(np.searchsorted(a, b), len(a) - 1)
    keep = np.ones(len(a), dtype=bool)
    keep[at[a[at] == b]] = False
    return a[keep]


def live(reader, ids: np.ndarray) -> np.ndarray:
    """`ids` (sorted) without the segment's deleted documents."""
    return difference(ids, deleted(reader))


def positions_of(postings: Postings, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(document number, position) of every position of the given rows of a posting list."""
    first, last = postings.starts[rows], postings.starts[rows + 1]
    counts = last - first
    where = np.repeat(first - np.concatenate(([0], np.cumsum(counts)[:-1])), counts) + np.arange(counts.sum())
    return np.repeat(postings.ids[rows], counts), postings.positions[where]


def lengths(reader, fieldname: str) -> np.ndarray:
    """The field's length in each document of the segment (0 where it has none), as an array,
    kept with the postings by segment (a worker forked from gunicorn's master finds those
    the master read warming up, instead of reading them at its first search)."""
    segment = reader.segment()
    key = None if segment is None else (segment.segment_id(), fieldname, "lengths")
    found = None if key is None else _cached(key)
    if found is None:
        found = np.array([n or 0 for n in field_lengths(reader, fieldname)], dtype=np.float64)
        if key is not None:
            _keep(key, found)
    return found


def leaves(searcher) -> list[tuple]:
    """(segment reader, offset of its first document in the searcher) of each segment."""
    if searcher.is_atomic():
        return [(searcher.reader(), 0)]
    return [(sub.reader(), offset) for sub, offset in searcher.leaf_searchers()]
