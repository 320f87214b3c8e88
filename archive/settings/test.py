"""Tests: an in-memory database and plain static storage (no collectstatic needed)."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "test-only"
DEBUG = False
VAR_DIR = Path(tempfile.mkdtemp(prefix="archive-test-"))
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir()
SEARCH_DIR = VAR_DIR / "search"
MAPS_DIR = BASE_DIR / "var" / "maps"  # noqa: F405 (drawn once per machine, not once per run)
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "search.index.backend.ArchiveWhooshEngine",
        "PATH": str(SEARCH_DIR / "current"),
        "LOCK_TIMEOUT": 10.0,
    },
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # emptied by each test
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
RECOGNITION = "inline"  # the test database lives in this process
