"""Load source files: read, parse and store each in one transaction (reading.py, parsing/,
syncing.py); persons and places come after, in the recognition stage (recognizing.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from . import parsing
from .models import (
    Source,
)
from .reading import SourceError, read_source
from .syncing import sync_source


@dataclass
class LoadResult:
    source: Source
    status: str  # "created", "updated" or "unchanged"
    articles: int
    warnings: list[str]
    corrections: list[str] = field(default_factory=list)  # corrections the parser now reads differently


@dataclass
class Reading:
    """A source file read and parsed, not yet stored."""

    path: Path
    text: str
    content_hash: str
    parsed: parsing.ParsedSource
    is_new: bool  # no source of that name is stored yet


def load_source(path: Path, encoding: str = "utf-8") -> LoadResult:
    """Parse one file and store it in a single transaction: all of it, or nothing."""
    reading = read_and_parse(path, encoding)
    return reading if isinstance(reading, LoadResult) else store(reading)


def load_sources(paths: list[Path], encoding: str = "utf-8") -> Iterator[tuple[Path, LoadResult | SourceError]]:
    """Load files in order, each as load_source does. Their persons and places are found
    afterwards, by the recognition stage (recognizing.recognize)."""
    for path in paths:
        try:
            yield path, load_source(path, encoding)
        except SourceError as exc:
            yield path, exc


def read_and_parse(path: Path, encoding: str = "utf-8") -> Reading | LoadResult:
    """The file read and parsed, or the stored source when the file has not changed since."""
    text, content_hash = read_source(path, encoding)
    existing = Source.objects.filter(name=path.name).only("content_hash", "parser_version").first()
    if existing and (existing.content_hash, existing.parser_version) == (content_hash, parsing.PARSER_VERSION):
        return LoadResult(existing, "unchanged", existing.articles.count(), [])
    try:
        parsed = parsing.parse_source(text)
    except Exception as exc:  # the parser must never leave half a source behind
        raise SourceError(f"the parser failed: {type(exc).__name__}: {exc}") from exc
    return Reading(path, text, content_hash, parsed, existing is None)


def store(reading: Reading) -> LoadResult:
    """Store a parsed source in one transaction."""
    with transaction.atomic():
        source, notes = sync_source(reading.path.name, reading.text, reading.content_hash, reading.parsed)
    status = "created" if reading.is_new else "updated"
    return LoadResult(source, status, len(reading.parsed.articles), reading.parsed.warnings, notes)
