"""Posting arrays (search.postings) hold exactly what Whoosh's matchers read, and set operations
on them (search.docsets) match exactly the documents Whoosh's own matchers do."""

import pytest
from haystack import connections

from search import docsets, postings
from search import query as q

pytestmark = pytest.mark.django_db(transaction=True)


def whoosh_postings(reader, fieldname, term):
    matcher = reader.postings(fieldname, term)
    found = []
    while matcher.is_active():
        found.append((matcher.id(), matcher.weight(), matcher.value_as("positions")))
        matcher.next()
    return found


def test_every_bigram_posting_list_decodes_as_whoosh_reads_it(search_index):
    postings.clear()
    checked = 0
    with connections["default"].get_backend().searcher() as searcher:
        for reader, _offset in postings.leaves(searcher):
            for term in list(reader.lexicon("ngrams"))[::7]:
                ours = postings.read(reader, "ngrams", term, positions=True)
                theirs = whoosh_postings(reader, "ngrams", term)
                assert ours.ids.tolist() == [docnum for docnum, _, _ in theirs]
                assert ours.weights.tolist() == [weight for _, weight, _ in theirs]
                assert [ours.positions[ours.starts[i] : ours.starts[i + 1]].tolist() for i in range(len(ours.ids))] == [
                    positions for _, _, positions in theirs
                ]
                checked += len(theirs)
    assert checked > 5000


QUERIES = ["张恩惠", "长春市", "的", "疫情防控", "九台 疫情", "張恩惠 OR 王鑫", '"凝聚组织力量"', "社区 -长春"]


def same_documents_as_whoosh() -> int:
    checked = 0
    with connections["default"].get_backend().searcher() as searcher:
        for text in QUERIES:
            parsed = q.parse(text)
            for query in (q.required_query(parsed), q.exclusion_query(parsed)):
                if query is None:
                    continue
                expected = sorted(query.docs(searcher))
                assert docsets.docs(searcher, query).tolist() == expected, text
                checked += len(expected)
    return checked


def test_query_documents_are_whooshs(search_index):
    assert same_documents_as_whoosh() > 100


def test_query_documents_with_deletions_and_several_segments(deletions_and_a_new_segment):
    deletions_and_a_new_segment(4)
    assert same_documents_as_whoosh() > 50
