"""A web article copied as one line: title, time stamp, then the whole text run together."""

from __future__ import annotations

import datetime as dt
import re

from .body import Body
from .credits import trailing_credits
from .structure import Article, ParsedSource, Piece
from .text import Line, clean, clean_headline, sub_piece

TIMESTAMP_RE = re.compile(r"^(\d{4})[/.\-年](\d{1,2})[/.\-月](\d{1,2})日?(?:\s+(\d{1,2}):(\d{2})(?::\d{2})?)?$")
ORIGINAL_TITLE_RE = re.compile(r"^原标题\s*[:：]?\s*")


def looks_like_web_copy(lines: list[Line]) -> bool:
    return len(lines) >= 3 and len(lines) <= 6 and bool(TIMESTAMP_RE.match(lines[1].text))


def parse_web(lines: list[Line]) -> ParsedSource:
    parsed = ParsedSource(kind="web")
    title, stamp = lines[0], lines[1]
    m = TIMESTAMP_RE.match(stamp.text)
    article = Article(
        title=title.piece(clean_headline(title.text)),
        dateline=stamp.piece(stamp.text),
        date=_date(m, parsed),
    )
    body = Body(article)
    for line in lines[2:]:
        start, end = 0, len(line.text)
        if ORIGINAL_TITLE_RE.match(line.text) and article.original_title is None:
            article.original_title, start = _original_title(line, parsed)
        tail = trailing_credits(line.text[start:], line.start + start)
        if tail:
            credits, cut = tail
            article.bylines += credits
            end = start + cut
        body.add_paragraph(sub_piece(line, start, end))
    for credit in article.bylines:
        article.publication = article.publication or credit.publication
    parsed.articles.append(article)
    parsed.date_start = parsed.date_end = article.date
    return parsed


def _date(m: re.Match | None, parsed: ParsedSource) -> dt.date | None:
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except (AttributeError, ValueError):
        parsed.warnings.append("the time stamp is not a valid date")
        return None


def _original_title(line: Line, parsed: ParsedSource) -> tuple[Piece, int]:
    """Cut 原标题… off the text it was run into; return it and where the text starts.

    The web copy lost the line break after the original title. Where the text
    opens with a couplet (疾风知劲草，危难显担当。), its first half is as long
    as its second, which tells where the title stops.
    """
    prefix = ORIGINAL_TITLE_RE.match(line.text).end()
    rest = line.text[prefix:]
    gap = re.match(r"[^\s，。！？,]+\s", rest)
    if gap:  # the title still has its own space or line end
        cut = prefix + len(gap.group().rstrip())
    else:
        sentence = re.match(r"([^，。！？,]+)[，,]([^，。！？,]{2,10})[。！？]", rest)
        if sentence and len(sentence.group(1)) > len(sentence.group(2)) + 3:
            cut = prefix + len(sentence.group(1)) - len(sentence.group(2))
        else:
            clause = re.match(r"[^，。！？,]+", rest)
            cut = prefix + (len(clause.group()) if clause else len(rest))
            parsed.warnings.append("could not tell where the original title (原标题) ends")
    piece = sub_piece(line, 0, cut, text=clean(line.text[prefix:cut]))
    return piece, cut
