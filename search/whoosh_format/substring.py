"""Exact runs of characters in a bigram field, found with set operations, not Whoosh's matchers.

It matches the same documents as Whoosh's Phrase over the run's bigrams (each the next
position), but Whoosh's phrase matcher builds span objects for every position of every
candidate document, which for a name printed in thousands of articles was most of a
search's time. Here each bigram's postings are arrays (search.whoosh_format.postings): the documents
holding every bigram are intersected, and one matches when its positions, shifted by each
bigram's place in the run, share a start, all in a few numpy steps.
"""

from __future__ import annotations

import numpy as np
from whoosh import matching
from whoosh import query as wq

from search.whoosh_format import postings


class _SegmentQuery(wq.Query):
    """A query whose documents are computed one segment at a time by `segment_ids`, then
    handed to Whoosh as a list (constant score: ranking is search.whoosh_format.ranking's job)."""

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

    def segment_ids(self, reader) -> np.ndarray:
        raise NotImplementedError

    def matcher(self, searcher, context=None):
        ids = self.doc_array(searcher).tolist()
        return matching.ListMatcher(ids, all_weights=self.boost) if ids else matching.NullMatcher()

    def doc_array(self, searcher) -> np.ndarray:
        """The searcher's matching document numbers, sorted."""
        found = [self.segment_ids(reader) + offset for reader, offset in postings.leaves(searcher)]
        return np.concatenate(found) if found else postings.NONE.ids


class Substring(_SegmentQuery):
    """The grams (a run's bigrams) one after the other in the field."""

    def __str__(self):
        return f"{self.fieldname}:{''.join(g[0] for g in self.text)}{self.text[-1][1:]}"

    def estimate_size(self, ixreader):
        return min(ixreader.doc_frequency(self.fieldname, g) for g in self.text)

    def segment_ids(self, reader) -> np.ndarray:
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

    def segment_ids(self, reader) -> np.ndarray:
        return segment_characters(reader, self.fieldname, self.text)


# A bigram field -> the field holding each document's distinct characters (search_indexes).
CHARACTER_FIELDS = {"ngrams": "chars"}


def segment_characters(reader, fieldname: str, char: str) -> np.ndarray:
    companion = CHARACTER_FIELDS.get(fieldname)
    if companion in reader.schema:
        found = postings.read(reader, companion, char).ids
    else:
        lists = [postings.read(reader, fieldname, term).ids for term in reader.expand_prefix(fieldname, char)]
        found = np.unique(np.concatenate(lists)) if lists else postings.NONE.ids
    return postings.live(reader, found)


def segment_matches(reader, fieldname: str, grams: list[str]) -> np.ndarray:
    """The document numbers (in this segment, sorted) whose field holds the grams in a row.

    Rarest gram first: the documents holding every gram (reading of a commoner gram only
    the blocks that can hold them), then the starts of the run (a gram's positions less its
    place in the run, as document << 32 | start) that every gram agrees on."""
    shifts: dict[str, list[int]] = {}
    for i, gram in enumerate(grams):
        shifts.setdefault(gram, []).append(i)
    order = sorted(shifts, key=lambda gram: postings.frequency(reader, fieldname, gram))
    lists, docs = {}, None
    for gram in order:  # the documents holding every gram so far: all a commoner gram must be read for
        lists[gram] = postings.read(reader, fieldname, gram, positions=True, within=docs)
        docs = lists[gram].ids if docs is None else postings.intersect(docs, lists[gram].ids)
    docs = postings.live(reader, docs)
    starts = None
    for gram in order:
        if not len(docs):
            break
        found = lists[gram]
        docnums, where = postings.positions_of(found, np.searchsorted(found.ids, docs))
        for shift in shifts[gram]:
            keys = (docnums[where >= shift] << 32) + where[where >= shift] - shift
            starts = keys if starts is None else postings.intersect(starts, keys)
        docs = postings.distinct(starts >> 32)
    return docs
