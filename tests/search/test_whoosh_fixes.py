"""Whoosh's block skipping ends even when floating point rounds against it (search.whoosh_format.whoosh_fixes)."""

import signal

import pytest
from whoosh.matching import binary, mcore

import search.index.backend  # noqa: F401 (applies the fix, as the archive does)


class FixedQuality:
    """A scorer whose every block has the matcher's one weight as its quality."""

    def supports_block_quality(self):
        return True

    def block_quality(self, matcher):
        return matcher._all_weights

    def max_quality(self):
        return 1.0

    def score(self, matcher):
        return matcher._all_weights


def postings(weight):
    return mcore.ListMatcher([1, 2, 3], all_weights=weight, scorer=FixedQuality())


@pytest.fixture
def deadline():
    def stuck(*args):
        raise TimeoutError("skip_to_quality did not return: Whoosh's endless loop is back")

    previous = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(5)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("combine", [binary.UnionMatcher, binary.AndMaybeMatcher])
def test_skipping_to_a_quality_the_sum_reaches_only_by_rounding_ends(deadline, combine):
    minimum = 0.1 + 0.7  # a top score equal to the two blocks' qualities
    assert minimum - 0.7 < 0.1  # the rounding that made Whoosh loop forever
    matcher = combine(postings(0.1), postings(0.7))
    assert matcher.skip_to_quality(minimum) == 0
    assert matcher.is_active()  # nothing was skipped that could still score


def test_skipping_still_skips_what_cannot_score(deadline):
    low, high = postings(0.1), postings(0.2)
    binary.UnionMatcher(low, high).skip_to_quality(0.5)
    assert not low.is_active() and high.is_active()


@pytest.mark.django_db(transaction=True)
def test_field_lengths_read_from_memory_are_those_whoosh_reads_from_the_file(search_index):
    from haystack import connections

    from search.whoosh_format import whoosh_fixes

    backend = connections["default"].get_backend()
    with backend.searcher() as searcher:
        readers = [reader for reader, _ in searcher.reader().leaf_readers()]
        fields = list(searcher.schema.scorable_names())
        checked = 0
        for reader in readers:
            perdoc = reader._perdoc
            for docnum in range(reader.doc_count_all() + 1):  # one past the end: Whoosh's default
                for fieldname in [*fields, "key"]:  # key has no lengths
                    expected = whoosh_fixes.whoosh_doc_field_length(perdoc, docnum, fieldname, 7)
                    assert perdoc.doc_field_length(docnum, fieldname, 7) == expected
                    checked += 1
        assert checked > 100


def test_the_app_refuses_a_whoosh_whose_format_it_was_not_written_for():
    from django.core.exceptions import ImproperlyConfigured

    from search.apps import check_whoosh_version

    check_whoosh_version((2, 7, 4))
    with pytest.raises(ImproperlyConfigured, match=r"Whoosh 2\.7\.4's index format, but Whoosh 2\.7\.5"):
        check_whoosh_version((2, 7, 5))
