"""Read one source text into articles; no Django here, so it can be used and tested alone."""

from __future__ import annotations

from collections import Counter

from .magazine import has_contents, parse_magazine
from .newspaper import parse_newspaper
from .structure import Article, Caption, ContentsEntry, Credit, ParsedSource, Piece, Section, SourceBlock
from .text import split_lines
from .web import looks_like_web_copy, parse_web

__all__ = [
    "Article", "Caption", "ContentsEntry", "Credit", "ParsedSource", "Piece", "Section", "SourceBlock",
    "PARSER_VERSION", "parse_source", "uncovered_characters",
]  # fmt: skip


# Raise when the parser reads sources differently, so load_sources re-reads unchanged files.
PARSER_VERSION = "1"


def parse_source(text: str) -> ParsedSource:
    """Parse a whole source text into its articles and its own (non-article) text."""
    lines = split_lines(text)
    if has_contents(lines):
        parsed = parse_magazine(lines)
    elif looks_like_web_copy(lines):
        parsed = parse_web(lines)
    else:
        parsed = parse_newspaper(lines)
    _settle_publication(parsed)
    for article in parsed.articles:
        if article.subtitle:
            # The dash before a subtitle (——全省…综述) is typography, not text to search.
            article.subtitle.text = article.subtitle.text.lstrip("—–―- ").strip()
    return parsed


def _settle_publication(parsed: ParsedSource) -> None:
    """Take the publication from what the source prints (吉林日报记者 …), never guess it."""
    for article in parsed.articles:
        # 吉林日报记者 names the paper; 新华社记者 names an agency, not the publication.
        named = [c.publication for c in article.bylines if c.publication.endswith("报")]
        if named and not article.publication:
            article.publication = named[0]
    if not parsed.publication:
        named = Counter(a.publication for a in parsed.articles if a.publication)
        if len(named) == 1:
            parsed.publication = next(iter(named))
    for article in parsed.articles:
        article.publication = article.publication or parsed.publication
        if article.date is None and parsed.date_start and parsed.date_start == parsed.date_end:
            article.date = parsed.date_start


def uncovered_characters(text: str, spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Return (offsets of visible characters no piece claims, offsets claimed twice)."""
    claimed = [0] * len(text)
    for start, end in spans:
        for k in range(start, end):
            claimed[k] += 1
    missing = [k for k, ch in enumerate(text) if not ch.isspace() and claimed[k] == 0]
    twice = [k for k, ch in enumerate(text) if not ch.isspace() and claimed[k] > 1]
    return missing, twice
