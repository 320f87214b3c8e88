"""The order within a relevance tier: BM25F over the query's terms, computed on arrays.

Whoosh scores through a tree of matchers, one Python call per document and term; for a
union of many terms it scores every posting of every term, also of documents outside the
tier (a place name's common bigrams: 100,000 scores for a tier of 30 articles). Here each
term's decoded postings (search.whoosh_format.postings: for a small tier, only the blocks that hold it)
are narrowed to the tier and scored at once with Whoosh's BM25F formula and statistics:
the scores are those of Whoosh's Or of the same terms (a test compares them).
"""

from __future__ import annotations

import numpy as np
from whoosh.scoring import BM25F

from search.whoosh_format import postings


def best(searcher, terms: list[tuple[str, str]], tier: np.ndarray, count: int) -> list[int]:
    """The `count` best documents of `tier` (the searcher's sorted document numbers), best
    first; equal scores in document order, so that pages follow each other without gaps."""
    scores, _held = _scores(searcher, terms, tier)
    if count < len(tier):  # only documents scoring at least the count-th best can be among them
        scores_kept = scores >= np.partition(scores, len(scores) - count)[len(scores) - count]
        tier, scores = tier[scores_kept], scores[scores_kept]
    return tier[np.lexsort((tier, -scores))][:count].tolist()


def scores_of(searcher, terms: list[tuple[str, str]], tier) -> dict[int, float]:
    """Each tier document holding a term: the sum over the terms it holds of their BM25F scores."""
    tier = np.array(sorted(tier), dtype=np.int64)
    scores, held = _scores(searcher, terms, tier)
    return dict(zip(tier[held].tolist(), scores[held].tolist(), strict=True))


def _scores(searcher, terms: list[tuple[str, str]], tier: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The score of each tier document, and whether it holds any of the terms."""
    weighting = searcher.weighting
    if not isinstance(weighting, BM25F):
        raise TypeError(f"ranking computes BM25F; the searcher weighs by {type(weighting).__name__}")
    scores = np.zeros(len(tier))
    held = np.zeros(len(tier), dtype=bool)
    for reader, offset in postings.leaves(searcher):
        first, end = np.searchsorted(tier, [offset, offset + reader.doc_count_all()])
        if first == end:
            continue
        in_tier = np.full(reader.doc_count_all() + 1, -1, dtype=np.int64)  # document -> place in tier
        in_tier[tier[first:end] - offset] = np.arange(first, end)
        for fieldname, text in dict.fromkeys(terms):
            found = postings.read(reader, fieldname, text, within=tier[first:end] - offset)
            places = in_tier[found.ids]
            rows = places >= 0  # deleted documents are never in a tier
            if not rows.any():
                continue
            idf = searcher.idf(fieldname, text.encode("utf-8"))
            average = searcher.avg_field_length(fieldname) or 1
            b = weighting._field_B.get(fieldname, weighting.B)
            k1 = weighting.K1
            tf = found.weights[rows]
            lengths = postings.lengths(reader, fieldname)[found.ids[rows]]
            lengths[lengths == 0] = 1
            scores[places[rows]] += idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * lengths / average)))
            held[places[rows]] = True
    return scores, held
