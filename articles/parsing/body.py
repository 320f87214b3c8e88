"""Body text shared by every kind of source: section headings, paragraphs, captions."""

from __future__ import annotations

import re

import jieba

from .credits import parse_credits, photo_credit
from .structure import Article, Caption, Piece, Section
from .text import CJK, Line, cjk_count, clean, ends_sentence, sub_piece

# A page footer such as `48 研究5交流 2022.2` (page, journal, year.issue), in either order.
FOOTER_RE = re.compile(r"^(\d{1,3}\s*\S{2,12}\s+\d{4}\s*[.．]\s*\d{1,2}|\d{4}\s*[.．]\s*\d{1,2}\s+\S{2,12}\s*\d{1,3})$")
NUMBERED_RE = re.compile(r"^[一二三四五六七八九十]+[、.．]")
DATE_START_RE = re.compile(r"^\d{1,4}\s*[年月]")
_CJK_RE = re.compile(f"[{CJK}]")

# Our own tokenizer, so the search's user dictionary never changes how sources are cut.
_tokenizer = jieba.Tokenizer()
jieba.setLogLevel(60)


def heading_like(text: str) -> bool:
    """A line short and open enough to be a heading rather than a paragraph."""
    text = text.strip()
    longest = 36 if NUMBERED_RE.match(text) else 24
    if cjk_count(text) < 4 or cjk_count(text) > longest or len(text) > 48 or ends_sentence(text):
        return False
    if text[-1] in "，,、：:—-(（《“":
        return False
    return not re.search(r"[。！？!?；;]", text)


def runs_on(text: str, next_text: str) -> bool:
    """True when a line stops inside a word that the next line finishes (…群防群控的良 / 好态势)."""
    clauses = re.split(r"[，,、]", text)
    if len(clauses) > 1 and len(clauses[-1].strip()) <= 2:
        return True  # …按照上级相关要求，红 / 旗街道…
    if DATE_START_RE.match(text):
        return True
    a, b = clean(text)[-3:], clean(next_text)[:3]
    if not (a and b and _CJK_RE.match(a[-1]) and _CJK_RE.match(b[0])):
        return False
    pos = 0
    for word in _tokenizer.lcut(a + b, HMM=False):
        if pos < len(a) < pos + len(word):
            return True
        pos += len(word)
    return False


def caption_at(lines: list[Line], i: int) -> tuple[Caption, int] | None:
    """A photo caption starting at line i, and the index after it.

    Either the line ends with its own credit (`… 于晓宇 摄`), or the lines after
    it hold nothing but credits, the last ending in 摄 (`通讯员 陈星` / `本报记者 王丽 摄`).
    """
    line = lines[i]
    own = photo_credit(line.text, line.start)
    if own:
        credits, cut = own
        if cut == 0:
            return None  # a bare credit line: handled with the caption before it
        return Caption(piece=sub_piece(line, 0, cut), credits=credits), i + 1
    credits = []
    for k in range(i + 1, min(i + 4, len(lines))):
        nxt = lines[k]
        if k > i + 1 and nxt.blank_before:
            return None
        if nxt.text.endswith("摄"):
            own = photo_credit(nxt.text, nxt.start)
            if not own or own[1] != 0:
                return None
            credits += own[0]
            return Caption(piece=line.piece(), credits=credits), k + 1
        found = parse_credits(nxt.text, nxt.start, "摄影")
        if not found:
            return None
        for credit in found:
            credit.role = "摄影"
        credits += found
    return None


class Body:
    """Adds body lines to an article, joining paragraphs that a column or page cut."""

    def __init__(self, article: Article):
        self.article = article
        self.open_paragraph: Piece | None = None
        self.last = ""  # "heading", "paragraph" or "caption"
        self.heading_levels: list[int] = []

    def _section(self) -> Section:
        if not self.article.sections:
            self.article.sections.append(Section())
            self.heading_levels.append(0)
        return self.article.sections[-1]

    def add_heading(self, piece: Piece, level: int = 9) -> None:
        self.article.sections.append(Section(heading=piece))
        self.heading_levels.append(level)
        self.open_paragraph, self.last = None, "heading"

    def extend_heading(self, piece: Piece) -> None:
        heading = self.article.sections[-1].heading
        heading.extend(piece, heading.text + piece.text)

    def add_paragraph(self, piece: Piece) -> None:
        if not piece.raw:
            return
        if self.open_paragraph is not None and not ends_sentence(self.open_paragraph.text):
            self.open_paragraph.extend(piece, self.open_paragraph.text + piece.text)
        else:
            self._section().paragraphs.append(piece)
            self.open_paragraph = piece
        self.last = "paragraph"

    def add_caption(self, caption: Caption) -> None:
        self.article.captions.append(caption)
        self.last = "caption"

    @property
    def continues(self) -> bool:
        """The last paragraph stopped mid-sentence, so the next text line carries on."""
        return self.open_paragraph is not None and not ends_sentence(self.open_paragraph.text)

    def add_plain_line(self, lines: list[Line], i: int) -> None:
        """Add a line of unmarked text: a heading, a continued or a new paragraph."""
        line = lines[i]
        nxt = lines[i + 1].text if i + 1 < len(lines) else ""
        if self.continues:
            self.add_paragraph(line.piece())
        elif self.last == "heading" and self._heading_goes_on(line.text):
            self.extend_heading(line.piece(clean(line.text)))
        elif self.last != "heading" and heading_like(line.text) and nxt and not self._cut_short(line.text, nxt):
            self.add_heading(line.piece())
        else:
            self.add_paragraph(line.piece())

    @staticmethod
    def _cut_short(text: str, nxt: str) -> bool:
        # A numbered heading (二、…) is a heading even where it wraps mid-word.
        return not NUMBERED_RE.match(text) and runs_on(text, nxt)

    def _heading_goes_on(self, text: str) -> bool:
        # A numbered heading wrapped onto a short second line (…她是 / 辖区安全的“捍卫者”).
        heading = self.article.sections[-1].heading
        return (
            heading is not None
            and bool(NUMBERED_RE.match(heading.text))
            and len(text) <= 10
            and not re.search(r"[\d，,、。！？]", text)
        )

    def finish(self) -> None:
        """Turn a shallow heading above everything into the column label (栏目)."""
        sections, levels = self.article.sections, self.heading_levels
        if len(sections) < 2 or sections[0].heading is None or self.article.column is not None:
            return
        deeper = [lv for lv in levels[1:] if lv]
        if deeper and levels[0] < min(deeper) and levels[0] < 9:
            self.article.column = sections[0].heading
            sections[0].heading = None
