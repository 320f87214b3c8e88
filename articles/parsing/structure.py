"""Plain dataclasses for what the parser reads out of one source text.

Every piece keeps its `spans`: the (start, end) character offsets of the
source it was cut from, so the source can be rebuilt from the pieces and no
character is ever lost or claimed twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

Span = tuple[int, int]


@dataclass
class Piece:
    """A cleaned text together with the raw source text it came from."""

    text: str
    raw: str
    spans: list[Span]

    def extend(self, other: Piece, text: str) -> None:
        """Append another cut of the source to this piece (a paragraph cut mid-sentence)."""
        self.raw = f"{self.raw}\n{other.raw}"
        self.spans = self.spans + other.spans
        self.text = text


@dataclass
class Credit:
    """A person or organisation named in a byline or photo credit."""

    name: str
    role: str
    kind: str = "person"  # or "organisation"
    raw: str = ""
    spans: list[Span] = field(default_factory=list)
    publication: str = ""


@dataclass
class Caption:
    """A photo caption (图片说明) with its photo credits."""

    piece: Piece
    credits: list[Credit] = field(default_factory=list)


@dataclass
class Section:
    """A run of paragraphs under an optional section heading."""

    heading: Piece | None = None
    paragraphs: list[Piece] = field(default_factory=list)


@dataclass
class Article:
    title: Piece | None = None
    subtitle: Piece | None = None
    kicker: Piece | None = None  # 引题
    column: Piece | None = None  # 栏目, when printed above the article
    column_name: str = ""  # 栏目 taken from a magazine's contents
    original_title: Piece | None = None  # 原标题 of a reprinted web article
    dateline: Piece | None = None  # a web article's time stamp
    bylines: list[Credit] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    captions: list[Caption] = field(default_factory=list)
    page: int | None = None
    date: dt.date | None = None
    publication: str = ""
    subject: str = ""  # whom a profile (——记…) is about
    subject_title: str = ""  # the subject's unit and position
    contents_index: int | None = None  # its line in a magazine's contents

    @property
    def paragraphs(self) -> list[Piece]:
        return [p for s in self.sections for p in s.paragraphs]

    @property
    def has_body(self) -> bool:
        return any(s.paragraphs for s in self.sections)

    # The headlines persons and places are looked for in (besides paragraphs and captions).
    MENTION_HEADLINES = ("kicker", "title", "subtitle", "original_title")

    def mention_texts(self) -> list[str]:
        """The texts persons and places are found in, in order: headlines, paragraphs, captions
        (a missing headline as an empty text, so positions match the stored article's)."""
        texts = [piece.text if (piece := getattr(self, name)) else "" for name in self.MENTION_HEADLINES]
        return texts + [p.text for p in self.paragraphs] + [c.piece.text for c in self.captions]

    def headline_pieces(self) -> dict[str, Piece]:
        names = ("column", "kicker", "title", "subtitle", "original_title", "dateline")
        return {n: getattr(self, n) for n in names if getattr(self, n) is not None}

    def all_spans(self) -> list[Span]:
        """Every span this article claims, for the nothing-lost check."""
        spans = [s for p in self.headline_pieces().values() for s in p.spans]
        spans += [s for c in self.bylines for s in c.spans]
        for section in self.sections:
            if section.heading:
                spans += section.heading.spans
            spans += [s for p in section.paragraphs for s in p.spans]
        for caption in self.captions:
            spans += caption.piece.spans
            spans += [s for c in caption.credits for s in c.spans]
        return spans


@dataclass
class ContentsEntry:
    """One line of a magazine's table of contents (目录)."""

    column: str
    page: int | None
    title: str
    author: str = ""


@dataclass
class SourceBlock:
    """Text of the source that belongs to no article: masthead, contents, colophon, footers."""

    kind: str
    piece: Piece


@dataclass
class ParsedSource:
    kind: str  # newspaper / magazine / web
    articles: list[Article] = field(default_factory=list)
    blocks: list[SourceBlock] = field(default_factory=list)
    contents: list[ContentsEntry] = field(default_factory=list)
    publication: str = ""
    issue_label: str = ""
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def all_spans(self) -> list[Span]:
        spans = [s for a in self.articles for s in a.all_spans()]
        return spans + [s for b in self.blocks for s in b.piece.spans]
