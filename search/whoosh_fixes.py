"""Fixes to Whoosh 2.7.4 (its last release, unmaintained), applied when search.backend loads.

1. Whoosh skips blocks of postings that cannot reach the top results (`skip_to_quality`). A union
or an and-maybe of two matchers loops while the sum of their block qualities is at most the
minimum score, asking one of them to skip past `minimum - other`. With floating point, the sum
can be at most the minimum while `minimum - other` is below the first quality: that matcher
does not move, and the loop never ends (with 0.1 + 0.7 as the minimum, minimum - 0.7 < 0.1). A gunicorn
worker was killed after 30 s on a place-name search that way. Here the loop stops when a
matcher did not move: skipping is only an optimisation, the collector checks every score.

2. build_index writes with one process per core (MpWriter). When build_index is killed (the
OOM killer, kill -9), those processes waited for work forever, 175 MB each (the fault test
found them). Here each asks the kernel to kill it when its parent dies (Linux).
"""

import ctypes
import os
import signal

from whoosh import multiproc
from whoosh.matching import binary, mcore

PR_SET_PDEATHSIG = 1


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


def die_with_parent(parent: int) -> None:
    """In a child process: be killed when the parent dies (and leave now if it already has)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (AttributeError, OSError):
        return  # not Linux: the orphan risk stays, as in Whoosh itself
    if os.getppid() != parent:
        os._exit(1)


_sub_writer_run = multiproc.SubWriterTask.run


def _sub_writer_run_and_die_with_parent(self):
    die_with_parent(self._parent_pid)
    return _sub_writer_run(self)


def apply() -> None:
    binary.UnionMatcher.skip_to_quality = _union_skip_to_quality
    binary.AndMaybeMatcher.skip_to_quality = _and_maybe_skip_to_quality
    multiproc.SubWriterTask.run = _sub_writer_run_and_die_with_parent
