"""Newspaper pages, marked up with `#` headings or plain text: several articles a page."""

from __future__ import annotations

import re

from .body import FOOTER_RE, Body, caption_at
from .credits import byline_line, news_service_prefix
from .structure import Article, ParsedSource, Piece, SourceBlock
from .text import Line, cjk_count, clean_headline, ends_sentence, sub_piece

MD_HEADING_RE = re.compile(r"^(#{1,6})\s*(.*)$")
SPEECH_END_RE = re.compile(r"(强调|指出|表示|要求|提出|说)$")
PHOTO_NEWS_RE = re.compile(r"^\d{1,2}月\d{1,2}日")  # a news photo's caption opens with its date


def parse_newspaper(lines: list[Line]) -> ParsedSource:
    parsed = ParsedSource(kind="newspaper")
    markdown = any(MD_HEADING_RE.match(line.text) for line in lines)
    page = _PageReader(lines, markdown, parsed)
    page.read()
    adopt_orphan_headlines(parsed.articles)
    return parsed


class _PageReader:
    def __init__(self, lines: list[Line], markdown: bool, parsed: ParsedSource):
        self.lines, self.markdown, self.parsed = lines, markdown, parsed
        self.article: Article | None = None
        self.body: Body | None = None
        self.closed = False  # a trailing byline ended the article
        self.above: list[Piece] = []  # plain lines printed above the next `#` title

    def start(self, **headline: Piece) -> None:
        if self.body:
            self.body.finish()
        self.article = Article(**headline)
        self.body = Body(self.article)
        self.parsed.articles.append(self.article)
        self.closed = False

    def read(self) -> None:
        i, lines = 0, self.lines
        while i < len(lines):
            i = self.step(i)
        if self.body:
            self.body.finish()

    def step(self, i: int) -> int:
        line, lines = self.lines[i], self.lines
        art = self.article
        if FOOTER_RE.match(line.text):
            self.parsed.blocks.append(SourceBlock("footer", line.piece(line.text)))
            return i + 1
        md = MD_HEADING_RE.match(line.text)
        if md:
            return self.markdown_heading(i, len(md.group(1)), md.group(2))
        above = self.lines_above_title(i)
        if above:
            self.above = [b.piece(clean_headline(b.text)) for b in lines[i:above]]
            return above
        caption = caption_at(lines, i)
        if caption:
            cap, after = caption
            if art is None or self.closed or (PHOTO_NEWS_RE.match(cap.piece.text) and art.has_body):
                self.start()  # a news photo of its own (图片新闻)
            self.body.add_caption(cap)
            return after
        if art is not None and not art.has_body and not self.closed:
            bare = not art.bylines and not art.sections and (art.title is not None)
            credits = byline_line(line, bare_names=bare)
            if credits:
                art.bylines += credits
                return i + 1
        if art is not None and art.has_body:
            credits = byline_line(line)
            if credits:
                art.bylines += credits
                self.closed = not self.markdown
                return i + 1
        if _headline_line(line):
            block = self.headline_block(i)
            if block:
                return block
        if art is None or self.closed:
            self.start()
        self.body_line(i)
        return i + 1

    def markdown_heading(self, i: int, level: int, text: str) -> int:
        line, art = self.lines[i], self.article
        piece = Piece(text=clean_headline(text), raw=line.text, spans=[(line.start, line.end)])
        if level == 1:
            self.start(title=piece, **name_lines_above(self.above))
            self.above = []
        elif level == 2:
            if art is None or art.has_body or art.captions or art.subtitle is not None or art.bylines:
                self.start(title=piece)
            else:
                art.subtitle = piece
        else:
            if art is None:
                self.start()
            self.body.add_heading(piece, level)
        return i + 1

    def lines_above_title(self, i: int) -> int | None:
        """In a marked-up page, one or two plain headline lines right above a `#` title.

        They are its column label or kicker (引题); return the index of the title.
        """
        if not self.markdown or (self.body and self.body.continues):
            return None
        j = i
        while j < len(self.lines) and j - i < 2 and _headline_line(self.lines[j]):
            j += 1
        if j == i or j >= len(self.lines):
            return None
        md = MD_HEADING_RE.match(self.lines[j].text)
        return j if md and len(md.group(1)) == 1 else None

    def headline_block(self, i: int) -> int | None:
        """Start a new article at a block of headline lines; return the index after it."""
        lines, art = self.lines, self.article
        j = i
        while j < len(lines) and j - i < 5 and _headline_line(lines[j]):
            j += 1
        block = lines[i:j]
        followed_by_byline = j < len(lines) and byline_line(lines[j]) is not None
        dash = any(b.text.startswith("——") for b in block)
        opens = art is None or self.closed or followed_by_byline or dash or (not self.markdown and len(block) >= 3)
        if self.markdown and not followed_by_byline:
            return None
        if not opens or (self.body and self.body.continues and not followed_by_byline):
            return None
        self.start(**assign_headline(block))
        return j

    def body_line(self, i: int) -> None:
        line = self.lines[i]
        dateline = news_service_prefix(line)
        if dateline:
            credits, body_start = dateline
            self.article.bylines += credits
            self.body.add_paragraph(sub_piece(line, body_start, len(line.text)))
            return
        if self.markdown:
            self.body.add_paragraph(line.piece())
        else:
            self.body.add_plain_line(self.lines, i)


def _headline_line(line: Line) -> bool:
    """A line that may belong to a headline: open-ended, short, not a byline."""
    text = line.text
    if text.startswith("——"):
        return True
    if byline_line(line) is not None or ends_sentence(text) or re.search(r"[。！？!?；;]", text):
        return False
    return 4 <= cjk_count(text) <= 40 and text[-1] not in "，,、：:"


def assign_headline(block: list[Line]) -> dict[str, Piece]:
    """Name the lines of a headline: column (栏目), kicker (引题), title, subtitle (副题)."""
    pieces = [b.piece(clean_headline(b.text)) for b in block]
    dash = next((k for k, b in enumerate(block) if b.text.startswith("——")), None)
    if dash is not None and dash > 0:
        title_at = dash - 1
    else:
        plain = [k for k, b in enumerate(block) if not b.text.startswith("——")]
        title_at = max(plain, key=lambda k: cjk_count(block[k].text)) if plain else 0
    out: dict[str, Piece] = {"title": pieces[title_at], **name_lines_above(pieces[:title_at])}
    below = pieces[title_at + 1 :]
    if below:
        out["subtitle"] = below[0]
        for extra in below[1:]:
            out["subtitle"].extend(extra, out["subtitle"].text + " " + extra.text)
    return out


def name_lines_above(above: list[Piece]) -> dict[str, Piece]:
    """Lines above a title: a column label (栏目) and/or a kicker (引题)."""
    if len(above) >= 2:
        out = {"column": above[0], "kicker": above[1]}
        for extra in above[2:]:
            out["kicker"].extend(extra, out["kicker"].text + " " + extra.text)
        return out
    if above:
        return {"column" if _looks_like_column(above[0].text) else "kicker": above[0]}
    return {}


def _looks_like_column(text: str) -> bool:
    """A short label (战“疫”有我) rather than a kicker, which reports who said what (…时强调)."""
    return cjk_count(text) <= 6 and not SPEECH_END_RE.search(text)


def adopt_orphan_headlines(articles: list[Article]) -> None:
    """Give a headline printed away from its text (title and byline only) the text it names.

    A page may print a headline in one place and its text after another
    article; the text opens with the headline's own words (「环保绿」辉映「志愿红」
    ... 有一群“环保绿”变身“志愿红”), so it is found by them.
    """
    for orphan in articles:
        if orphan.has_body or orphan.captions or orphan.title is None:
            continue
        terms = _headline_terms(orphan.title.text)
        if not terms:
            continue
        for host in articles:
            if host is orphan:
                continue
            found = _find_opening(host, terms)
            if found:
                s, p = found
                moved_first = host.sections[s]
                rest = moved_first.paragraphs[p:]
                del moved_first.paragraphs[p:]
                orphan.sections = [type(moved_first)(heading=None, paragraphs=rest)] + host.sections[s + 1 :]
                host.sections = host.sections[: s + 1]
                break


def _headline_terms(title: str) -> list[str]:
    quoted = re.findall(r"[「“\"『]([^」”\"』]{2,8})[」”\"』]", title)
    return quoted if len(quoted) >= 2 else []


def _find_opening(host: Article, terms: list[str]) -> tuple[int, int] | None:
    first = True
    for s, section in enumerate(host.sections):
        for p, paragraph in enumerate(section.paragraphs):
            if not first and all(t in paragraph.text for t in terms):
                previous = section.paragraphs[p - 1] if p else None
                if previous is None or ends_sentence(previous.text):
                    return s, p
            first = False
    return None
