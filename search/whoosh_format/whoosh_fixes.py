"""Fixes to Whoosh 2.7.4 (its last release, unmaintained), applied when search.index.backend loads.

1. Whoosh skips blocks of postings that cannot reach the top results (`skip_to_quality`). A union
or an and-maybe of two matchers loops while the sum of their block qualities is at most the
minimum score, asking one of them to skip past `minimum - other`. With floating point, the sum
can be at most the minimum while `minimum - other` is below the first quality: that matcher
does not move, and the loop never ends (with 0.1 + 0.7 as the minimum, minimum - 0.7 < 0.1): a gunicorn
worker was killed by its timeout on a place-name search that way. Here the loop stops when a
matcher did not move: skipping is only an optimisation, the collector checks every score.

2. Scoring reads each matching document's field length, and Whoosh reads it from the segment's
file every time (the archive opens indexes without memory-mapping): a common word spent
much of its search there. Here a segment reader reads each field's
lengths once, into memory (one byte per document and field, as stored).
"""

from whoosh.codec import whoosh3
from whoosh.matching import binary, mcore
from whoosh.util.numeric import byte_to_length


def _skip_both_to_quality(self, minquality: float) -> int:
    a, b = self.a, self.b
    skipped = 0
    aq, bq = a.block_quality(), b.block_quality()
    while a.is_active() and b.is_active() and aq + bq <= minquality:
        if aq < bq:
            moved = a.skip_to_quality(minquality - bq)
            new_q = a.block_quality() if a.is_active() else aq
            stuck, aq = not moved and new_q == aq, new_q
        else:
            moved = b.skip_to_quality(minquality - aq)
            new_q = b.block_quality() if b.is_active() else bq
            stuck, bq = not moved and new_q == bq, new_q
        skipped += moved
        if stuck:
            break
    return skipped


def _union_skip_to_quality(self, minquality: float) -> int:
    self._id = None
    a, b = self.a, self.b
    if not (a.is_active() or b.is_active()):
        raise mcore.ReadTooFar
    if not a.is_active():
        return b.skip_to_quality(minquality)
    if not b.is_active():
        return a.skip_to_quality(minquality)
    return _skip_both_to_quality(self, minquality)


def _and_maybe_skip_to_quality(self, minquality: float) -> int:
    if not self.a.is_active():
        raise mcore.ReadTooFar
    if not self.b.is_active():
        return self.a.skip_to_quality(minquality)
    return _skip_both_to_quality(self, minquality)


whoosh_doc_field_length = whoosh3.W3PerDocReader.doc_field_length  # before apply(), for tests


def field_lengths_of(perdoc, fieldname: str) -> list | None:
    """A field's length in each document of a segment, from its per-document reader (None where
    0, as Whoosh answers; None for a field without lengths), read once: one byte per document in
    a single read (documents past the column's end hold 0)."""
    lengths = perdoc.__dict__.setdefault("_lengths_in_memory", {})
    if fieldname not in lengths:
        reader = perdoc._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
        if reader is None:
            lengths[fieldname] = None
        else:
            stored = reader._dbfile.get(reader._basepos, reader._count).ljust(perdoc._doccount + 1, b"\0")
            lengths[fieldname] = [byte_to_length(b) if b else None for b in stored]
    return lengths[fieldname]


def field_lengths(reader, fieldname: str) -> list:
    """A segment reader's field lengths by document number (None where the document has none);
    an empty index's reader (no segment yet) has none."""
    perdoc = getattr(reader, "_perdoc", None)
    found = field_lengths_of(perdoc, fieldname) if perdoc is not None else None
    return found or [None] * (reader.doc_count_all() + 1)


def _doc_field_length(self, docnum: int, fieldname: str, default=0):
    if docnum > self._doccount:
        raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
    lengths = field_lengths_of(self, fieldname)
    return default if lengths is None else lengths[docnum]


def apply() -> None:
    binary.UnionMatcher.skip_to_quality = _union_skip_to_quality
    binary.AndMaybeMatcher.skip_to_quality = _and_maybe_skip_to_quality
    whoosh3.W3PerDocReader.doc_field_length = _doc_field_length
