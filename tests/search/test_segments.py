"""The fast segment writer stores what Whoosh's own writer stores, and its processes too."""

import pytest
from haystack import connections
from whoosh.writing import SegmentWriter

from articles.models import Article
from search.index import writing as indexing
from search.index.backend import new_index_dir, open_or_create
from search.whoosh_format.segments import TermBuckets, commit_segments, write_segments

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def docs(shared_archive, django_db_blocker) -> list[dict]:
    """The index documents of the real sources, made once for the module."""
    engine = connections["default"].get_backend()
    with django_db_blocker.unblock():
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        return list(indexing._documents(engine, ids))


@pytest.fixture(scope="module")
def whoosh_reference(docs, tmp_path_factory):
    """The same documents written by Whoosh's own writer, once for the module."""
    return whoosh_index(tmp_path_factory.mktemp("reference"), docs)


@pytest.fixture(scope="module")
def expected(whoosh_reference) -> dict:
    return contents(whoosh_reference)


def contents(index) -> dict:
    """Every posting (by article id), every field length and stored field of an index."""
    found = {}
    with index.searcher() as searcher:
        for reader, _ in searcher.reader().leaf_readers():
            ids = {n: fields["id"] for n, fields in reader.iter_docs()}
            for fieldname, text in reader.all_terms():
                # The term's statistics (scoring reads them), as they add up over segments.
                info = reader.term_info(fieldname, text)
                weight, frequency, shortest, longest, top = found.get(("term", fieldname, text), (0, 0, 1e9, 0, 0))
                found[("term", fieldname, text)] = (
                    weight + info.weight(),
                    frequency + info.doc_frequency(),
                    min(shortest, info.min_length()),
                    max(longest, info.max_length()),
                    max(top, info.max_weight()),
                )
                postings = reader.postings(fieldname, text)
                while postings.is_active():
                    found[(fieldname, text, ids[postings.id()])] = (postings.weight(), postings.value())
                    postings.next()
            for docnum, article in ids.items():
                for fieldname in reader.schema.scorable_names():
                    found[("length", fieldname, article)] = reader.doc_field_length(docnum, fieldname)
                found[("stored", article)] = reader.stored_fields(docnum)
    return found


def whoosh_index(folder, docs):
    index = open_or_create(folder, connections["default"].get_backend().schema)
    writer = SegmentWriter(index)
    for fields in docs:
        writer.add_document(**fields)
    writer.commit()
    return index


def test_the_same_postings_lengths_and_stored_fields_as_whoosh_in_several_segments(docs, expected, tmp_path):
    assert len(docs) >= 20
    index = open_or_create(new_index_dir(tmp_path), connections["default"].get_backend().schema)
    halves = [docs[: len(docs) // 2], docs[len(docs) // 2 :]]
    # Two commits, and a budget so small that every few documents start a new segment.
    count = commit_segments(index, lambda _: write_segments(index, halves[0], budget=2_000_000), 1)
    assert count == len(halves[0])
    count += commit_segments(index, lambda _: write_segments(index, halves[1], budget=2_000_000), 1)
    assert count == len(docs)
    assert len(index.reader().leaf_readers()) > 4
    assert contents(index) == expected


def test_postings_out_of_document_order_are_refused():
    buckets = TermBuckets()
    buckets.add(("ngrams", "长春".encode(), 3, 1.0, b""))
    with pytest.raises(ValueError, match="out of document order"):
        buckets.add(("ngrams", "长春".encode(), 3, 1.0, b""))


def test_writer_processes_build_the_same_index(docs, expected, tmp_path):
    index = open_or_create(new_index_dir(tmp_path), connections["default"].get_backend().schema)
    parts = [docs[0::3], docs[1::3], docs[2::3]]
    count = commit_segments(index, lambda part: write_segments(index, parts[part]), 3)
    assert count == len(docs)
    assert contents(index) == expected


def test_a_failing_writer_process_fails_the_build_and_commits_nothing(docs, tmp_path):
    index = open_or_create(new_index_dir(tmp_path), connections["default"].get_backend().schema)

    def write(part):
        if part == 1:
            raise OSError("disk full")
        return write_segments(index, docs)

    with pytest.raises(RuntimeError, match="disk full"):
        commit_segments(index, write, 2)
    assert index.doc_count() == 0


def segment_files(index) -> dict[str, bytes]:
    """The bytes of each file of an index's one segment, by what its name says after the segment's
    id (.trm terms, .pst postings, columns ...)."""
    (segment,) = index._segments()
    storage = segment.open_compound_file(index.storage) if segment.is_compound() else index.storage
    files = {}
    for name in segment.list_files(storage):
        with storage.open_file(name) as handle:
            files[name.removeprefix(segment.segment_id())] = handle.read()
    return files


def test_a_segment_is_byte_for_byte_what_whoosh_writes(docs, whoosh_reference, tmp_path):
    by_whoosh = segment_files(whoosh_reference)
    index = open_or_create(new_index_dir(tmp_path), connections["default"].get_backend().schema)
    commit_segments(index, lambda _: write_segments(index, docs), 1)
    written = segment_files(index)
    assert {".trm", ".pst"} <= written.keys()
    assert written == by_whoosh
