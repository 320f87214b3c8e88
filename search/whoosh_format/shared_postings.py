"""Decoded posting lists kept as files inside the index, for every process that searches it.

Each gunicorn worker has its own memory: without this, a list one worker decoded (a common
pair of characters in a large segment) is decoded again by each other worker, and in a large
archive that first decode is most of a search's slow answers. A file is written once (to a
temporary name, then renamed: a reader never sees half of one) and read back far faster
than decoding. A segment's postings never change, so a file stays right
for its segment's life; the folder goes when its index is replaced. Anything that fails here
(a full or read-only disk) only means the list is decoded again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

FOLDER = "decoded"
# At most this much on disk per index (checked every CHECK_EVERY writes of a process, and when
# its own count says the folder is full): the arrays of every list longer than a few hundred
# postings at 50,000 articles would take several times this.
MAX_BYTES = 512 * 2**20
CHECK_EVERY = 100

_HEADER = np.dtype([("ids", "<i8"), ("positions", "<i8")])  # positions -1: the list has none
_lock = threading.Lock()
_written: dict[Path, list[int]] = {}  # folder -> [bytes there at the last check + written since, writes since]


def folder_of(reader) -> Path | None:
    """The shared folder of the index a segment reader reads (None for an index in memory)."""
    storage = reader.storage()
    storage = getattr(storage, "b", storage)  # a compound segment's OverlayStorage over the folder's
    folder = getattr(storage, "folder", None)
    return None if folder is None else Path(folder) / FOLDER


def _path(folder: Path, key: tuple) -> Path:
    segment_id, *rest = key
    return folder / f"{segment_id}-{hashlib.sha1(repr(rest).encode()).hexdigest()}"


def read(reader, key: tuple) -> tuple[np.ndarray, ...] | None:
    """(ids, weights[, starts, positions]) as written under this key (segment id, field, term,
    with positions), or None when no process wrote them."""
    folder = folder_of(reader)
    if folder is None:
        return None
    try:
        data = _path(folder, key).read_bytes()
    except OSError:
        return None
    if len(data) < _HEADER.itemsize:
        return None
    header = np.frombuffer(data, dtype=_HEADER, count=1)[0]
    count, positions = int(header["ids"]), int(header["positions"])
    sizes = [8 * count, 8 * count] + ([8 * (count + 1), 4 * positions] if positions >= 0 else [])
    if _HEADER.itemsize + sum(sizes) != len(data):
        log.warning("ignored a damaged decoded posting list in %s", folder)
        return None
    arrays, offset = [], _HEADER.itemsize
    for size, dtype in zip(sizes, ("<i8", "<f8", "<i8", "<i4"), strict=False):
        arrays.append(np.frombuffer(data, dtype=dtype, count=size // np.dtype(dtype).itemsize, offset=offset))
        offset += size
    return tuple(arrays)


def write(reader, key: tuple, arrays: tuple[np.ndarray, ...]) -> None:
    """Keep (ids, weights[, starts, positions]) for the other processes, if there is room."""
    folder = folder_of(reader)
    if folder is None:
        return
    ids, weights, *rest = arrays
    header = np.array([(len(ids), len(rest[1]) if rest else -1)], dtype=_HEADER)
    parts = [header, ids.astype("<i8"), weights.astype("<f8")]
    if rest:
        parts += [rest[0].astype("<i8"), rest[1].astype("<i4")]
    size = sum(part.nbytes for part in parts)
    path = _path(folder, key)
    try:
        if not _room(folder, size):
            return
        temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        with open(temporary, "wb") as handle:
            for part in parts:
                handle.write(part.tobytes())
        os.replace(temporary, path)
    except OSError as error:
        log.info("could not keep a decoded posting list in %s: %s", folder, error)


def _room(folder: Path, size: int) -> bool:
    """Whether `size` more bytes fit under MAX_BYTES, counting the folder again now and then
    (other processes write too) and then first dropping the files of segments that are gone."""
    with _lock:
        counted = _written.get(folder)
        if counted is None or counted[1] >= CHECK_EVERY or counted[0] + size > MAX_BYTES:
            folder.mkdir(exist_ok=True)
            counted = _written[folder] = [_bytes_in(folder), 0]
        if counted[0] + size > MAX_BYTES:
            return False
        counted[0] += size
        counted[1] += 1
        return True


def _bytes_in(folder: Path) -> int:
    """The bytes of the folder's files, once those of segments no longer in the index are removed."""
    live_segments = {name.split(".", 1)[0] for name in os.listdir(folder.parent)}  # MAIN_<segment>.seg
    total = 0
    for entry in os.scandir(folder):
        segment_id = entry.name.rsplit("-", 1)[0]  # <segment id>-<hash>[.<process>.<thread>.tmp]
        if segment_id not in live_segments and not entry.name.endswith(".tmp"):
            Path(entry.path).unlink(missing_ok=True)
            continue
        try:
            total += entry.stat().st_size
        except FileNotFoundError:
            continue
    return total
