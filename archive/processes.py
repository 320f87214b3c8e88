"""What the archive's worker processes (index writers, mention finders) share."""

from __future__ import annotations

import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """In a worker process: be killed when its parent dies (kill -9, the OOM killer), not wait
    forever holding memory (the fault test found Whoosh's writer processes doing that)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (AttributeError, OSError):
        return  # not Linux: the orphan risk stays
    if os.getppid() != parent:
        os._exit(1)
