"""Structural corrections: split an article in two, merge two into one.

They are kept as rules and applied to every reading of the source, so a
re-import keeps them; pieces are only moved, never dropped, so every
character still has exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from .structure import Article, Section


@dataclass(frozen=True)
class Split:
    key: str  # the article to split
    section: int  # where the new article starts: this section …
    paragraph: int  # … at this paragraph
    new_key: str


@dataclass(frozen=True)
class Merge:
    key: str  # the article that stays
    other_key: str  # the article appended to it


def apply(pairs: list[tuple[str, Article]], edits) -> tuple[list[tuple[str, Article]], list[str]]:
    """Apply the edits in order; return the new (key, article) list and notes on edits that no longer fit."""
    notes = []
    for edit in edits:
        keys = [k for k, _ in pairs]
        if isinstance(edit, Split) and edit.key in keys:
            i = keys.index(edit.key)
            second = split(pairs[i][1], edit.section, edit.paragraph)
            if second is None:
                notes.append(f"split of {edit.key} no longer fits the source's paragraphs: not applied")
                continue
            pairs.insert(i + 1, (edit.new_key, second))
        elif isinstance(edit, Merge) and edit.key in keys and edit.other_key in keys:
            i, j = keys.index(edit.key), keys.index(edit.other_key)
            merge(pairs[i][1], pairs[j][1])
            del pairs[j]
        else:
            notes.append(f"{type(edit).__name__.lower()} of {edit.key}: the article is no longer in the source")
    return pairs, notes


def split(article: Article, s: int, p: int) -> Article | None:
    """Cut `article` before paragraph p of section s; return the new second article."""
    if not (0 <= s < len(article.sections)) or not (0 <= p < len(article.sections[s].paragraphs)):
        return None
    if s == 0 and p == 0:
        return None  # nothing would stay in the first article
    section = article.sections[s]
    opening = Section(heading=section.heading if p == 0 else None, paragraphs=section.paragraphs[p:])
    second = Article(
        sections=[opening, *article.sections[s + 1 :]],
        page=article.page,
        date=article.date,
        publication=article.publication,
        column_name=article.column_name,
    )
    section.paragraphs = section.paragraphs[:p]
    article.sections = article.sections[:s] + ([section] if p else [])
    return second


def merge(first: Article, second: Article) -> None:
    """Append `second` to `first`: its headline lines become section headings, nothing is dropped."""
    for piece in second.headline_pieces().values():
        first.sections.append(Section(heading=piece))
    first.sections += second.sections
    first.bylines += second.bylines
    first.captions += second.captions
