"""Writing a whole new index quickly: several processes, each writing its own segments.

Whoosh's own writer spends most of an index build on postings: it keeps every posting as
a tuple, sorts them all, spills them to disk through pickle when its memory budget is
full and merges them back, then looks up each posting's field length in a file. Here the
documents of a segment arrive in order, so each term's postings are kept together as they
come (compact arrays, already in document order) and only the terms are sorted; the field
lengths are read once per segment. When a process's postings outgrow its budget it closes
the segment and starts another one, so memory stays bounded however big the archive.

The processes read the articles from the database themselves (through their own
connections), so preparing documents runs in parallel too.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import traceback
from array import array
from collections.abc import Callable, Iterable

from whoosh.writing import SegmentWriter

from archive.processes import die_with_parent
from search.whoosh_format import whoosh_fixes

whoosh_fixes.apply()  # field lengths read once per segment, not once per posting

# Budget for one process's postings before it closes its segment (bytes, estimated).
SEGMENT_BUDGET = 400 * 1024 * 1024


class TermBuckets:
    """Stands in for Whoosh's posting pool when documents are added in document order."""

    def __init__(self):
        # (field name, term bytes) -> document numbers, weights, end offsets of values, values
        self.terms: dict[tuple[str, bytes], tuple[array, array, array, bytearray]] = {}
        self.fieldnames: set[str] = set()
        self.nbytes = 0

    def add(self, item) -> None:
        fieldname, tbytes, docnum, weight, vbytes = item
        bucket = self.terms.get((fieldname, tbytes))
        if bucket is None:
            bucket = self.terms[(fieldname, tbytes)] = (array("I"), array("d"), array("I"), bytearray())
            self.fieldnames.add(fieldname)
            self.nbytes += 200 + len(tbytes)
        docnums, weights, ends, values = bucket
        if docnums and docnum <= docnums[-1]:
            raise ValueError(f"postings of {fieldname}:{tbytes!r} out of document order")
        docnums.append(docnum)
        weights.append(weight)
        if vbytes:
            values += vbytes
        ends.append(len(values))
        self.nbytes += 16 + len(vbytes or b"")

    def cleanup(self) -> None:
        self.terms.clear()


class BulkSegmentWriter(SegmentWriter):
    """A segment writer for documents added in order (a new index), with TermBuckets. Field
    lengths come from a reader that reads each field's lengths once (search.whoosh_format.whoosh_fixes)."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        self.pool = TermBuckets()

    def _flush_segment(self):
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        write_postings(self.fieldwriter, self.schema, lengths, self.pool)
        self.fieldwriter.close()
        if lengths:
            lengths.close()


def write_postings(fieldwriter, schema, lengths, buckets: TermBuckets) -> None:
    """Write every term's postings, block by block, into a segment's postings and terms files.

    What Whoosh's FieldWriter.add_postings writes, made from the buckets' arrays: it took one
    tuple and five calls per posting (two thirds of writing a segment), this a few slices per block.
    """
    fieldname = None
    for key in sorted(buckets.terms):
        if key[0] != fieldname:
            if fieldname is not None:
                fieldwriter.finish_field()
            fieldname = key[0]
            fieldwriter.start_field(fieldname, schema[fieldname])
            in_field = whoosh_fixes.field_lengths_of(lengths, fieldname) if lengths else None
        fieldwriter.start_term(key[1])
        _write_blocks(fieldwriter._postwriter, *buckets.terms[key], in_field)
        fieldwriter.finish_term()
    if fieldname is not None:
        fieldwriter.finish_field()


def _write_blocks(postwriter, docnums: array, weights: array, ends: array, values: bytearray, lengths) -> None:
    """One term's postings in blocks, each set up as W3PostingsWriter.add_posting would leave it."""
    limit, count = postwriter._blocklimit, len(docnums)
    for start in range(0, count, limit):
        stop = min(count, start + limit)
        block = docnums[start:stop]
        postwriter._ids = block
        postwriter._weights = array("f", weights[start:stop])
        postwriter._maxweight = max(0, max(weights[start:stop]))
        if values:
            offsets = zip([ends[start - 1] if start else 0, *ends[start : stop - 1]], ends[start:stop], strict=True)
            postwriter._values = [bytes(values[a:b]) for a, b in offsets if b > a]
        known = [n for n in map(lengths.__getitem__, block) if n] if lengths else None
        postwriter._minlength = min(known) if known else None
        postwriter._maxlength = max(known) if known else 0
        postwriter._write_block(last=stop == count)


def write_segments(index, documents: Iterable[dict], budget: int = SEGMENT_BUDGET) -> tuple[list, int]:
    """Write `documents` (Whoosh field values) into new segments of `index`, not yet committed.

    Returns the segments and the number of documents written. The writers share the index's
    temporary folder with the committing writer, which removes it when done (commit_segments).
    """
    segments, count = [], 0
    writer = BulkSegmentWriter(index, _lk=False)
    for fields in documents:
        writer.add_document(**fields)
        count += 1
        if writer.pool.nbytes > budget:
            segments.append(writer._finalize_segment())
            writer = BulkSegmentWriter(index, _lk=False)
    if writer.docnum:
        segments.append(writer._finalize_segment())
    else:
        writer._close_segment()
    return segments, count


def commit_segments(index, write: Callable[[int], tuple[list, int]], parts: int) -> int:
    """Run write(part) for each part, in `parts` processes when more than one, and commit
    every segment they wrote to `index` at once, beside the segments it already has.
    Returns the number of documents written."""
    writer = index.writer()  # the index's lock, held until the new segments are listed
    try:
        if parts == 1:
            segments, count = write(0)
        else:
            segments, count = _in_processes(write, parts)
        writer._close_segment()
        writer._commit_toc(list(writer.segments) + segments)
        writer._finish()
    except BaseException:
        writer.cancel()
        raise
    return count


def _in_processes(write: Callable[[int], tuple[list, int]], parts: int) -> tuple[list, int]:
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    parent = os.getpid()

    def run(part: int) -> None:
        die_with_parent(parent)
        try:
            results.put((part, "ok", write(part)))
        except BaseException:
            results.put((part, "failed", traceback.format_exc()))

    processes = [context.Process(target=run, args=(part,), daemon=True) for part in range(parts)]
    for process in processes:
        process.start()
    outcomes: dict[int, tuple[str, object]] = {}
    try:
        while len(outcomes) < parts:
            try:
                part, status, detail = results.get(timeout=1)
                outcomes[part] = (status, detail)
            except queue.Empty:
                dead = [p for p, process in enumerate(processes) if process.exitcode and p not in outcomes]
                if dead:
                    raise RuntimeError(
                        f"an index writer process died (exit code {processes[dead[0]].exitcode})"
                    ) from None
    finally:
        for process in processes:
            if process.exitcode is None and len(outcomes) < parts:
                process.kill()
            process.join()
    failures = [detail for status, detail in outcomes.values() if status != "ok"]
    if failures:
        raise RuntimeError(f"an index writer process failed:\n{failures[0]}")
    written = [detail for _, detail in outcomes.values()]
    return [segment for segments, _ in written for segment in segments], sum(count for _, count in written)
