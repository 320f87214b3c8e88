"""A source's original text cut into runs that belong to one article, or to none."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Run:
    text: str
    article: object | None  # the Article the run was cut into, None for masthead, footers …


def article_spans(article) -> list[tuple[int, int]]:
    spans = [tuple(s) for field_spans in article.headline_spans.values() for s in field_spans]
    for section in article.sections.all():
        spans += [tuple(s) for s in section.heading_spans]
        spans += [tuple(s) for p in section.paragraphs.all() for s in p.spans]
    spans += [tuple(s) for c in article.captions.all() for s in c.spans]
    spans += [tuple(s) for b in article.bylines.all() for s in b.spans]
    return spans


def source_spans(source) -> list[tuple[int, int]]:
    """Every span the database holds for a source: its own blocks and every article's pieces."""
    spans = [tuple(s) for block in source.blocks.all() for s in block.spans]
    for article in source.articles.all():
        spans += article_spans(article)
    return spans


def runs(text: str, articles) -> list[Run]:
    """Split `text` where the article a character belongs to changes (white space joins either side)."""
    owner: list[object | None] = [None] * len(text)
    for article in articles:
        for start, end in article_spans(article):
            owner[start:end] = [article] * (end - start)
    out: list[Run] = []
    current, start = None, 0
    for i, ch in enumerate(text):
        who = owner[i]
        if ch.isspace() and who is None:
            continue  # blank lines between pieces stay with the run they sit in
        if who is not current:
            if i > start:
                out.append(Run(text[start:i], current))
            current, start = who, i
    if start < len(text):
        out.append(Run(text[start:], current))
    return out
