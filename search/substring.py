"""Exact runs of characters in a bigram field, found with set operations, not Whoosh's matchers.

It matches the same documents as Whoosh's Phrase over the run's bigrams (each the next
position), but Whoosh's phrase matcher builds span objects for every position of every
candidate document, which for a name printed in thousands of articles was most of a
search's time. Here each bigram's postings are read a block at a time, only where the
rarest bigram has documents, and a candidate matches when its positions, shifted by each
bigram's place in the run, share a start.
"""

from __future__ import annotations

from whoosh import matching
from whoosh import query as wq

from .analysis import decode_positions


class _SegmentQuery(wq.Query):
    """A query whose documents are computed one segment at a time by `segment_ids`, then
    handed to Whoosh as a list (constant score: ranking is search.query.ranking_query's job)."""

    def __init__(self, fieldname: str, text, boost: float = 1.0):
        self.fieldname, self.text, self.boost = fieldname, text, boost

    def _key(self):
        return (self.__class__, self.fieldname, tuple(self.text), self.boost)

    def __eq__(self, other):
        return isinstance(other, _SegmentQuery) and other._key() == self._key()

    def __hash__(self):
        return hash(self._key())

    def __repr__(self):
        return f"{self.__class__.__name__}({self.fieldname!r}, {self.text!r}, boost={self.boost})"

    def segment_ids(self, reader) -> list[int]:
        raise NotImplementedError

    def matcher(self, searcher, context=None):
        if searcher.is_atomic():
            ids = self.segment_ids(searcher.reader())
        else:
            ids = [offset + n for sub, offset in searcher.leaf_searchers() for n in self.segment_ids(sub.reader())]
        return matching.ListMatcher(ids, all_weights=self.boost) if ids else matching.NullMatcher()


class Substring(_SegmentQuery):
    """The grams (a run's bigrams) one after the other in the field."""

    def __str__(self):
        return f"{self.fieldname}:{''.join(g[0] for g in self.text)}{self.text[-1][1:]}"

    def estimate_size(self, ixreader):
        return min(ixreader.doc_frequency(self.fieldname, g) for g in self.text)

    def segment_ids(self, reader) -> list[int]:
        return segment_matches(reader, self.fieldname, self.text)


class Character(_SegmentQuery):
    """One character anywhere in a bigram field. A bigram field holds a character only as the
    start of a bigram (or alone at the end of a piece), so Whoosh would take the union of every
    bigram it starts, thousands for 的, one matcher each: seconds at 5,000 articles. The main
    field has a companion holding each document's characters (CHARACTER_FIELDS): one posting
    list; other fields (and an index built before the companion) take the union block by block.
    """

    def __str__(self):
        return f"{self.fieldname}:{self.text}"

    def estimate_size(self, ixreader):
        return ixreader.doc_count()

    def segment_ids(self, reader) -> list[int]:
        return segment_characters(reader, self.fieldname, self.text)


# A bigram field -> the field holding each document's distinct characters (search_indexes).
CHARACTER_FIELDS = {"ngrams": "chars"}


def segment_characters(reader, fieldname: str, char: str) -> list[int]:
    companion = CHARACTER_FIELDS.get(fieldname)
    if companion in reader.schema:
        fieldname, terms = companion, [char.encode("utf-8")]
    else:
        terms = list(reader.expand_prefix(fieldname, char))
    found: set[int] = set()
    for term in terms:
        if (fieldname, term) in reader:
            found.update(_values_where(reader.postings(fieldname, term), None, ids_only=True))
    return sorted(found)


def segment_matches(reader, fieldname: str, grams: list[str]) -> list[int]:
    """The document numbers (in this segment) whose field holds the grams in a row."""
    shifts: dict[bytes, list[int]] = {}
    for i, gram in enumerate(grams):
        shifts.setdefault(gram.encode("utf-8"), []).append(i)
    if any((fieldname, term) not in reader for term in shifts):
        return []
    terms = sorted(shifts, key=lambda term: reader.doc_frequency(fieldname, term))
    candidates = _values_where(reader.postings(fieldname, terms[0]), None)
    tables = [(candidates, shifts[terms[0]])]
    for term in terms[1:]:
        values = _values_where(reader.postings(fieldname, term), sorted(candidates))
        candidates = {docnum: candidates[docnum] for docnum in values}
        tables.append((values, shifts[term]))
        if not candidates:
            return []
    found = []
    for docnum in sorted(candidates):
        starts = None
        for values, offsets in tables:
            positions = decode_positions(values[docnum])
            for offset in offsets:
                shifted = {p - offset for p in positions}
                starts = shifted if starts is None else starts & shifted
                if not starts:
                    break
            if not starts:
                break
        if starts:
            found.append(docnum)
    return found


def _values_where(postings, wanted: list[int] | None, ids_only: bool = False) -> dict[int, bytes]:
    """{document number: encoded positions (None if ids_only)} for the wanted documents (every one if None),
    reading only the blocks of postings that can hold them, each block whole at once.
    (Whoosh 2.7.4's block reader, W3LeafMatcher; deleted documents are left out.)"""
    deleted: frozenset = frozenset()
    if isinstance(postings, matching.FilterMatcher):
        deleted, postings = postings._ids, postings.child
    found: dict[int, bytes] = {}
    k = 0
    while postings.is_active():
        maximum = postings.block_max_id()
        if wanted is not None:
            if k >= len(wanted):
                break
            if wanted[k] > maximum:
                postings._next_block()  # no wanted document in this block
                continue
        postings._read_ids()
        if ids_only:
            found.update(dict.fromkeys(postings._ids))
            postings._next_block()
            continue
        postings._read_values()
        block = dict(zip(postings._ids, postings._values, strict=True))
        if wanted is None:
            found.update(block)
        else:
            while k < len(wanted) and wanted[k] <= maximum:
                if wanted[k] in block:
                    found[wanted[k]] = block[wanted[k]]
                k += 1
        postings._next_block()
    for docnum in deleted & found.keys():
        del found[docnum]
    return found
