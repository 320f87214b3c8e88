"""The order within a relevance tier: BM25F over the query's terms, computed block by block.

Whoosh scores through a tree of matchers, one Python call per document and term; for a
union of many terms it scores every posting of every term, also of documents outside the
tier (a place name's common bigrams: 100,000 scores for a tier of 30 articles). Here each
term's document numbers and weights are read a block at a time, only from blocks that hold
a document of the tier, and scored with Whoosh's BM25F formula and statistics: the scores
are those of Whoosh's Or of the same terms (a test compares them).
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from collections import defaultdict

from whoosh import matching
from whoosh.scoring import BM25F, bm25

from .whoosh_fixes import field_lengths


def best(searcher, terms: list[tuple[str, str]], tier: set[int], count: int) -> list[int]:
    """The `count` best documents of `tier` (the searcher's document numbers), best first;
    equal scores in document order, so that pages follow each other without gaps."""
    scores = scores_of(searcher, terms, tier)
    return heapq.nsmallest(count, tier, key=lambda docnum: (-scores.get(docnum, 0.0), docnum))


def scores_of(searcher, terms: list[tuple[str, str]], tier: set[int]) -> dict[int, float]:
    """Each tier document's score: the sum over the terms it holds of their BM25F scores."""
    weighting = searcher.weighting
    if not isinstance(weighting, BM25F):
        raise TypeError(f"ranking computes BM25F; the searcher weighs by {type(weighting).__name__}")
    scores: dict[int, float] = defaultdict(float)
    leaves = [(searcher, 0)] if searcher.is_atomic() else searcher.leaf_searchers()
    for sub, offset in leaves:
        reader = sub.reader()
        end = offset + reader.doc_count_all()
        wanted = sorted(docnum - offset for docnum in tier if offset <= docnum < end)
        if not wanted:
            continue
        wanted_set = set(wanted)
        for fieldname, text in dict.fromkeys(terms):
            term = text.encode("utf-8")
            if (fieldname, term) not in reader:
                continue
            idf = searcher.idf(fieldname, term)
            average = searcher.avg_field_length(fieldname) or 1
            b = weighting._field_B.get(fieldname, weighting.B)
            lengths = field_lengths(reader, fieldname)
            for docnum, weight in _weights_where(reader.postings(fieldname, term), wanted, wanted_set):
                scores[offset + docnum] += bm25(idf, weight, lengths[docnum] or 1, average, b, weighting.K1)
    return scores


def _weights_where(postings, wanted: list[int], wanted_set: set[int]):
    """(document number, weight) of the postings of the wanted documents (sorted), reading only
    the blocks that can hold them (Whoosh 2.7.4's block reader, as search.substring does)."""
    if isinstance(postings, matching.FilterMatcher):  # deleted documents: never in a tier
        postings = postings.child
    k = 0
    while postings.is_active() and k < len(wanted):
        end = bisect_right(wanted, postings.block_max_id(), k)
        if end > k:
            postings._read_ids()
            postings._read_weights()
            ids, weights = postings._ids, postings._weights
            if end - k > len(ids):  # walk the shorter of the block and the wanted documents in it
                yield from ((d, w) for d, w in zip(ids, weights, strict=True) if d in wanted_set)
            else:
                block = dict(zip(ids, weights, strict=True))
                yield from ((d, block[d]) for d in wanted[k:end] if d in block)
            k = end
        postings._next_block()
