"""Snippets that show why a result matched: the matching parts, named, the query's matches in
<mark>, every other character escaped."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext_lazy

from search.analysis import variants

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


# What each part of an article is called where a result shows it matched there.
PART_LABELS = {
    "column": pgettext_lazy("matched in", "column"),
    "kicker": pgettext_lazy("matched in", "kicker"),
    "subtitle": pgettext_lazy("matched in", "subtitle"),
    "original_title": pgettext_lazy("matched in", "original title"),
    "byline": pgettext_lazy("matched in", "byline"),
    "subject": pgettext_lazy("matched in", "portrait"),
    "body": pgettext_lazy("matched in", "text"),
    "caption": pgettext_lazy("matched in", "caption"),
}
SHORT_PARTS = ("column", "kicker", "subtitle", "original_title", "byline")
SHORT_PARTS_SHOWN = 2
LONG_PARTS_SHOWN = 2


@dataclass(frozen=True)
class SnippetPart:
    kind: str  # a key of PART_LABELS
    html: SafeString  # the part's text (a window of it), escaped, matches in <mark>
    matched: bool  # False for the opening shown when only the headline (or a filter) matched

    @property
    def label(self) -> str:
        return str(PART_LABELS[self.kind])


def snippet(parts: list[tuple[str, str]], pattern: re.Pattern | None, width: int = SNIPPET_CHARS) -> list[SnippetPart]:
    """Why an article matched: the first matching piece of each part, at most two short ones
    (byline, subtitle …) and two long ones (text, caption, portrait), each a window around its
    match; the text's opening, unmarked, when none matches."""
    first_match: dict[str, SnippetPart] = {}
    for kind, text in parts:
        m = pattern.search(text) if pattern and kind not in first_match else None
        if m:
            first_match[kind] = SnippetPart(kind, highlight(_window(text, m.start(), width), pattern), True)
    short = [part for kind, part in first_match.items() if kind in SHORT_PARTS][:SHORT_PARTS_SHOWN]
    long = [part for kind, part in first_match.items() if kind not in SHORT_PARTS][:LONG_PARTS_SHOWN]
    if short or long:
        return short + long
    kind, text = next(((k, t) for k, t in parts if k not in SHORT_PARTS and t), ("body", ""))
    return [SnippetPart(kind, highlight(_window(text, 0, width), None), False)]


def snippet_html(parts: list[SnippetPart]) -> SafeString:
    """The snippet as one line of HTML (the API's `snippet`): each matching part after its name."""
    return mark_safe(
        " … ".join(f"{escape(part.label)}：{part.html}" if part.matched else str(part.html) for part in parts)
    )


def _window(text: str, match_start: int, width: int) -> str:
    start = max(0, match_start - width // 3) if len(text) > width else 0
    end = min(len(text), start + width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
