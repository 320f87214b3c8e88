"""Shared helpers: the real sources in fixtures/sources/ and a loaded archive."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.parsing import parse_source

SOURCES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "sources"
SOURCE_NAMES = sorted(p.name for p in SOURCES_DIR.glob("*.txt"))


def source_text(name: str) -> str:
    return (SOURCES_DIR / name).read_text(encoding="utf-8")


def source_named(prefix: str) -> str:
    """The file name of the source whose name starts with `prefix` (000, 001 …)."""
    return next(n for n in SOURCE_NAMES if n.startswith(prefix))


@pytest.fixture(scope="session")
def parsed():
    """Every real source parsed once, by file-name prefix."""
    return {name[:3]: parse_source(source_text(name)) for name in SOURCE_NAMES}


@pytest.fixture
def loaded_archive(db):
    call_command("load_sources", str(SOURCES_DIR), stdout=io.StringIO())


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: figures cached in a rolled-back test must not
    outlive it (SQLite hands out again the ids a rollback freed, see articles.counts.archive_version)."""
    from django.core.cache import cache

    from articles import counts

    cache.clear()
    counts.forget()
