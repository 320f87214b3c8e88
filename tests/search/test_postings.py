"""Posting arrays (search.whoosh_format.postings) hold exactly what Whoosh's matchers read, and set operations
on them (search.whoosh_format.docsets) match exactly the documents Whoosh's own matchers do."""

import shutil
from pathlib import Path

import numpy as np
import pytest
import whoosh.index
from haystack import connections

from search import query as q
from search.whoosh_format import docsets, postings, shared_postings, substring

pytestmark = pytest.mark.django_db


def whoosh_postings(reader, fieldname, term):
    matcher = reader.postings(fieldname, term)
    found = []
    while matcher.is_active():
        found.append((matcher.id(), matcher.weight(), matcher.value_as("positions")))
        matcher.next()
    return found


def test_every_bigram_posting_list_decodes_as_whoosh_reads_it(archive):
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


def test_query_documents_are_whooshs(archive):
    assert same_documents_as_whoosh() > 100


def test_a_sparse_read_decodes_only_the_blocks_of_the_documents_asked_for(tmp_path, monkeypatch):
    """A rare run's few documents need only a few blocks of a common pair's list: those blocks
    hold every posting of those documents, and the run is found exactly where it is printed."""
    fields = connections["default"].get_unified_index().all_searchfields()
    _, schema = connections["default"].get_backend().build_schema(fields)
    index = whoosh.index.create_in(str(tmp_path), schema)
    texts = [("长春" + ("市民" if i in (5, 6, 600) else "市") + "春" * (i % 5)) for i in range(1000)]
    with index.writer() as writer:
        for text in texts:
            writer.add_document(ngrams=text)
    monkeypatch.setattr(postings, "SPARSE_RATIO", 10)
    postings.clear()
    with index.reader() as reader:
        rare = postings.read(reader, "ngrams", "市民").ids
        sparse = postings.read(reader, "ngrams", "长春", positions=True, within=rare)
        full = postings.read(reader, "ngrams", "长春", positions=True)
        assert len(rare) == 3 and len(sparse.ids) < len(full.ids) / 3  # two blocks of 128 postings
        rows_full, rows_sparse = (np.searchsorted(p.ids, rare) for p in (full, sparse))
        assert sparse.ids[rows_sparse].tolist() == rare.tolist()
        assert (
            postings.positions_of(sparse, rows_sparse)[1].tolist() == postings.positions_of(full, rows_full)[1].tolist()
        )
        found = substring.segment_matches(reader, "ngrams", ["长春", "春市", "市民"])
    assert found.tolist() == [i for i, text in enumerate(texts) if "长春市民" in text]


def test_sorted_set_operations_agree_with_numpys():
    rng = np.random.default_rng(7)
    for size_a, size_b in [(0, 5), (5, 0), (1, 1), (50, 3), (3, 50), (1000, 1000), (20000, 40)]:
        a = np.unique(rng.integers(0, 3 * max(size_a, 1), size_a))
        b = np.unique(rng.integers(0, 3 * max(size_b, 1), size_b))
        assert postings.intersect(a, b).tolist() == np.intersect1d(a, b).tolist()
        assert postings.difference(a, b).tolist() == np.setdiff1d(a, b).tolist()
        assert postings.difference(b, a).tolist() == np.setdiff1d(b, a).tolist()


@pytest.fixture
def long_lists_index(tmp_path):
    """An index on disk whose commonest pairs of characters are in every one of 1,000 documents."""
    fields = connections["default"].get_unified_index().all_searchfields()
    _, schema = connections["default"].get_backend().build_schema(fields)
    (tmp_path / "index").mkdir()
    index = whoosh.index.create_in(str(tmp_path / "index"), schema)
    with index.writer() as writer:
        for i in range(1000):
            writer.add_document(ngrams="长春" + ("市民" if i % 3 else "市") + "春" * (i % 5))
    return index


def test_a_list_one_process_decoded_is_read_by_the_others_from_the_index_folder(long_lists_index, monkeypatch):
    postings.clear()
    with long_lists_index.reader() as reader:
        decoded = postings.read(reader, "ngrams", "长春", positions=True)
        without_positions = postings.read(reader, "ngrams", "市民")
        postings.clear()  # another process: nothing decoded in its memory
        monkeypatch.setattr(postings, "_decode", lambda *args, **kwargs: pytest.fail("decoded again"))
        again = postings.read(reader, "ngrams", "长春", positions=True)
        ids_only = postings.read(reader, "ngrams", "长春")
        市民 = postings.read(reader, "ngrams", "市民")
    assert len(decoded.ids) == 1000 and len(without_positions.ids) == 666
    for ours, theirs in [(again, decoded), (ids_only, decoded), (市民, without_positions)]:
        assert ours.ids.tolist() == theirs.ids.tolist()
        assert ours.weights.tolist() == theirs.weights.tolist()
    assert again.starts.tolist() == decoded.starts.tolist()
    assert again.positions.tolist() == decoded.positions.tolist()
    assert shared_postings.folder_of(reader).parent == Path(long_lists_index.storage.folder)


def test_a_damaged_or_unwritable_shared_folder_only_means_decoding_again(long_lists_index):
    postings.clear()
    with long_lists_index.reader() as reader:
        expected = postings.read(reader, "ngrams", "长春", positions=True).positions.tolist()
        folder = shared_postings.folder_of(reader)
        for path in folder.iterdir():
            path.write_bytes(path.read_bytes()[:-4])  # cut short
        postings.clear()
        assert postings.read(reader, "ngrams", "长春", positions=True).positions.tolist() == expected
        shutil.rmtree(folder)
        folder.write_text("not a folder")
        postings.clear()
        shared_postings._written.clear()
        assert postings.read(reader, "ngrams", "长春", positions=True).positions.tolist() == expected


def test_the_shared_folder_keeps_under_its_size_and_drops_lists_of_segments_gone(long_lists_index, monkeypatch):
    postings.clear()
    shared_postings._written.clear()
    with long_lists_index.reader() as reader:
        postings.read(reader, "ngrams", "长春", positions=True)
        folder = shared_postings.folder_of(reader)
        one_list = sum(p.stat().st_size for p in folder.iterdir())
        (folder / "MAIN_gone0123456789ab-0123abcd").write_bytes(b"\0" * one_list)
        monkeypatch.setattr(shared_postings, "MAX_BYTES", 2 * one_list)
        monkeypatch.setattr(shared_postings, "CHECK_EVERY", 1)
        for term in ["春市", "市民", "民春", "春春"]:
            postings.read(reader, "ngrams", term, positions=True)
        names = [p.name for p in folder.iterdir()]
        assert not any(name.startswith("MAIN_gone") for name in names)
        assert 1 < len(names) and sum(p.stat().st_size for p in folder.iterdir()) <= 2 * one_list
