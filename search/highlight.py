"""Snippets with the query's matches in <mark>, every other character escaped."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .query import variants

SNIPPET_CHARS = 120


def term_pattern(terms: list[str]) -> re.Pattern | None:
    """Find the terms in display text, where a space may still sit between two characters."""
    alternatives = []
    for term in terms:
        for variant in variants(term):
            chars = [re.escape(ch) for ch in variant if not ch.isspace()]
            if chars:
                alternatives.append(r"\s*".join(chars))
    if not alternatives:
        return None
    alternatives.sort(key=len, reverse=True)
    return re.compile("|".join(alternatives), re.IGNORECASE)


def highlight(text: str, pattern: re.Pattern | None) -> SafeString:
    """Escape `text`, marking every match of `pattern`."""
    if pattern is None:
        return mark_safe(escape(text))
    out, last = [], 0
    for m in pattern.finditer(text):
        if m.end() == m.start():
            continue
        out.append(escape(text[last : m.start()]))
        out.append(f"<mark>{escape(m.group())}</mark>")
        last = m.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def snippet(pieces: list[str], pattern: re.Pattern | None, width: int = SNIPPET_CHARS) -> SafeString:
    """A window of text around the first match, or the opening when nothing matches in the body."""
    for piece in pieces:
        m = pattern.search(piece) if pattern else None
        if m:
            start = max(0, m.start() - width // 3)
            end = min(len(piece), start + width)
            text = ("…" if start else "") + piece[start:end] + ("…" if end < len(piece) else "")
            return highlight(text, pattern)
    first = next((p for p in pieces if p), "")
    return highlight(first[:width] + ("…" if len(first) > width else ""), pattern)
