"""The fast paths read an index that changed after it was built (deleted documents, a second
segment) exactly as Whoosh does. These tests change the index, so they load their own archive."""

import pytest

from tests.search.test_postings import same_documents_as_whoosh
from tests.search.test_ranking import same_scores_as_whoosh

pytestmark = pytest.mark.django_db(transaction=True)


def test_query_documents_with_deletions_and_several_segments(deletions_and_a_new_segment):
    deletions_and_a_new_segment(4)
    assert same_documents_as_whoosh() > 50


def test_tier_scores_with_deleted_documents_and_several_segments(deletions_and_a_new_segment):
    deletions_and_a_new_segment(3)
    assert same_scores_as_whoosh() > 30
