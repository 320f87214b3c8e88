"""The documents a query matches, as a sorted numpy array of the searcher's document numbers.

Whoosh finds them by stepping matchers one document at a time; for the archive's queries
(And, Or, terms and search.whoosh_format.substring's runs) the sets are computed here from decoded
posting arrays (search.whoosh_format.postings) with set operations. Any other query (a date range) is
left to Whoosh.
"""

from __future__ import annotations

from functools import reduce

import numpy as np
from whoosh import query as wq

from search.whoosh_format import postings
from search.whoosh_format.substring import _SegmentQuery


def docs(searcher, query: wq.Query) -> np.ndarray:
    if query is wq.NullQuery:
        return postings.NONE.ids
    if isinstance(query, wq.And):
        return _intersection(searcher, query.subqueries)
    if isinstance(query, wq.Or):
        found = [docs(searcher, sub) for sub in query.subqueries]
        return reduce(np.union1d, found) if found else postings.NONE.ids
    if isinstance(query, _SegmentQuery):
        return query.doc_array(searcher)
    if type(query) is wq.Term:
        return _term(searcher, query)
    return np.array(sorted(query.docs(searcher)), dtype=np.int64)


def _intersection(searcher, queries: list[wq.Query]) -> np.ndarray:
    found = None
    for query in queries:
        these = docs(searcher, query)
        found = these if found is None else postings.intersect(found, these)
        if not len(found):
            break
    return postings.NONE.ids if found is None else found


def _term(searcher, query: wq.Term) -> np.ndarray:
    """As Whoosh's Term matches: the text as the field stores it (a number field's bytes)."""
    if query.fieldname not in searcher.schema:
        return postings.NONE.ids
    try:
        term = searcher.schema[query.fieldname].to_bytes(query.text)
    except ValueError:
        return postings.NONE.ids
    found = [
        postings.live(reader, postings.read(reader, query.fieldname, term).ids) + offset
        for reader, offset in postings.leaves(searcher)
    ]
    return np.concatenate(found) if found else postings.NONE.ids
