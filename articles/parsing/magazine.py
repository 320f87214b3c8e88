"""A magazine issue: masthead, table of contents (目录), colophon and the articles it lists."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from difflib import SequenceMatcher

from .body import FOOTER_RE, Body, caption_at
from .credits import is_unit_line, split_position_and_name
from .structure import Article, ContentsEntry, Credit, ParsedSource, Piece, SourceBlock
from .text import Line, cjk_count, clean_headline, ends_sentence, match_key

CONTENTS_RE = re.compile(r"^目\s*录$")
ENTRY_RE = re.compile(r"^(\d{1,3})\s*(\S.*)$")  # 04 党旗所指 行之所向
ENTRY_PAGE_LAST_RE = re.compile(r"^(\S.*?\S)\s*[.…·]*\s+(\d{1,3})$")  # 党旗所指 行之所向 …… 4
AUTHOR_RE = re.compile(r"^[/／]\s*(.*?)[\s|｜]*$")
ISSUE_RE = re.compile(r"(\d{4})\s*年\s*第\s*(\d{1,3})\s*期")
MONTH_RE = re.compile(r"出刊\s*(\d{4})\s*年\s*(\d{1,2})\s*月")
NAME_IN_BRACKETS_RE = re.compile(r"《([^》]{2,20})》")
PROFILE_RE = re.compile(r"^——\s*记\s*(.+)$")
TITLE_MATCH = 0.7
# Masthead and colophon labels, printed with or without spaces (主 编, 责 任 编 辑).
LABELS = (
    "编委会副主任",
    "编委会主任",
    "责任编辑",
    "主编",
    "主办",
    "编辑",
    "地址",
    "邮编",
    "电话",
    "信箱",
    "出刊",
    "印刷",
)


def has_contents(lines: list[Line]) -> bool:
    return any(CONTENTS_RE.match(line.text) for line in lines)


def parse_magazine(lines: list[Line]) -> ParsedSource:
    parsed = ParsedSource(kind="magazine")
    toc_at = next(i for i, line in enumerate(lines) if CONTENTS_RE.match(line.text))
    masthead_at = _masthead_start(lines, toc_at)
    parsed.contents, toc_end = _read_contents(lines, toc_at + 1)
    front = range(masthead_at, toc_end)
    starts = _find_titles(lines, parsed, front)
    body_starts = sorted(i for i, _ in starts)
    colophon_end = next((i for i in body_starts if i >= toc_end), len(lines))

    _block(parsed, "masthead", lines[masthead_at:toc_at])
    _block(parsed, "contents", lines[toc_at:toc_end])
    _block(parsed, "colophon", lines[toc_end:colophon_end])
    _read_masthead(parsed, lines[masthead_at:toc_at] + lines[toc_end:colophon_end])
    first = body_starts[0] if body_starts else colophon_end
    _block(parsed, "front", [line for line in lines[:first] if line not in lines[masthead_at:colophon_end]])

    for k, (start, entry) in enumerate(sorted(starts, key=lambda s: s[0])):
        end = body_starts[k + 1] if k + 1 < len(body_starts) else len(lines)
        if start < masthead_at < end:
            end = masthead_at
        article = _read_article(lines[start:end], entry, parsed)
        article.contents_index = parsed.contents.index(entry)
        parsed.articles.append(article)
    return parsed


def _block(parsed: ParsedSource, kind: str, lines: list[Line]) -> None:
    if not lines:
        return
    raw = "\n".join(line.text for line in lines)
    text = "\n".join(clean_headline(line.text) for line in lines)
    parsed.blocks.append(SourceBlock(kind, Piece(text=text, raw=raw, spans=[(ln.start, ln.end) for ln in lines])))


def _masthead_start(lines: list[Line], toc_at: int) -> int:
    """Walk back from the contents over the short masthead lines (title, issue, publisher…)."""
    i = toc_at
    while i > 0 and len(lines[i - 1].text) <= 30 and not ends_sentence(lines[i - 1].text.rstrip("]】)）")):
        i -= 1
    return i


def _read_contents(lines: list[Line], i: int) -> tuple[list[ContentsEntry], int]:
    """Read `column`, `page title`, `/ author` lines; return the entries and where they end."""
    entries: list[ContentsEntry] = []
    column = ""
    while i < len(lines):
        text = lines[i].text
        page, title = _contents_entry(text)
        author = AUTHOR_RE.match(text)
        if title:
            entries.append(ContentsEntry(column, page, clean_headline(title)))
        elif author and entries:
            entries[-1].author = author.group(1).strip()
        elif len(text) <= 12 and i + 1 < len(lines) and _contents_entry(lines[i + 1].text)[1]:
            column = text
        else:
            break
        i += 1
    return entries, i


def _contents_entry(text: str) -> tuple[int | None, str]:
    """(page, title) of a contents line with its page first or last; (None, "") otherwise."""
    first = ENTRY_RE.match(text)
    if first and cjk_count(first.group(2)) >= 2:
        return int(first.group(1)), first.group(2)
    last = ENTRY_PAGE_LAST_RE.match(text)
    if last and cjk_count(last.group(1)) >= 4:
        return int(last.group(2)), last.group(1)
    return None, ""


def _find_titles(lines: list[Line], parsed: ParsedSource, front: range) -> list[tuple[int, ContentsEntry]]:
    """Find, in printed order, the body line that carries each title of the contents."""
    found, i = [], 0
    for entry in parsed.contents:
        key = match_key(entry.title)
        at = next(
            (
                j
                for j in range(i, len(lines))
                if j not in front
                and len(lines[j].text) <= 60
                and SequenceMatcher(None, key, match_key(lines[j].text)).ratio() >= TITLE_MATCH
            ),
            None,
        )
        if at is None:
            parsed.warnings.append(f"contents entry not found in the text: p.{entry.page} {entry.title}")
            continue
        found.append((at, entry))
        i = at + 1
    return found


def _read_masthead(parsed: ParsedSource, lines: list[Line]) -> None:
    label = ""
    for line in lines:
        text = line.text
        issue, month, name = ISSUE_RE.search(text), MONTH_RE.search(text), NAME_IN_BRACKETS_RE.search(text)
        if issue and not parsed.issue_label:
            parsed.issue_label = f"{issue.group(1)}年第{issue.group(2)}期"
        if month:
            year, mon = int(month.group(1)), int(month.group(2))
            if 1 <= mon <= 12:
                parsed.date_start = dt.date(year, mon, 1)
                parsed.date_end = dt.date(year, mon, calendar.monthrange(year, mon)[1])
        if name and not parsed.publication:
            parsed.publication = name.group(1)
        found = next((lb for lb in LABELS if _labelled(text, lb)), None)
        if found:
            label = found
            value = _after_label(text, found)
            earlier = parsed.metadata.get(label)
            parsed.metadata[label] = f"{earlier}；{value}" if earlier else value
        elif label and not re.search(r"[\d()（）\[\]《》]", text) and len(text) <= 20:
            parsed.metadata[label] = f"{parsed.metadata[label]} {text}".strip()
        else:
            label = ""
    if not parsed.publication and lines:
        parsed.publication = clean_headline(lines[0].text)


def _labelled(text: str, label: str) -> bool:
    # 主 编 耿楚翔 is labelled; 印刷有限公司 (the rest of a printer's name) is not.
    return bool(re.match(r"\s*".join(map(re.escape, label)) + r"(\s|$)", text))


def _after_label(text: str, label: str) -> str:
    pattern = r"\s*".join(map(re.escape, label))
    return re.sub(rf"^{pattern}\s*", "", text).strip()


def _read_article(lines: list[Line], entry: ContentsEntry, parsed: ParsedSource) -> Article:
    title = lines[0]
    article = Article(
        title=title.piece(clean_headline(title.text)),
        column_name=entry.column,
        page=entry.page,
        publication=parsed.publication,
    )
    i = 1
    if i < len(lines) and lines[i].text.startswith("——"):
        article.subtitle = lines[i].piece(clean_headline(lines[i].text))
        profile = PROFILE_RE.match(lines[i].text)
        if profile:
            position, article.subject = split_position_and_name(re.sub(r"\s+", "", profile.group(1)))
            article.subject_title = clean_headline(position)
        i += 1
    if i < len(lines) and _is_author_line(lines[i].text, entry):
        unit = lines[i]
        article.bylines.append(_author_credit(unit.text, raw=unit.text, spans=[(unit.start, unit.end)]))
        i += 1
    elif entry.author and not article.subject:
        # Named only in the contents: credit it, claiming no text of the body.
        article.bylines.append(_author_credit(entry.author, raw="", spans=[]))
    body = Body(article)
    while i < len(lines):
        line = lines[i]
        if FOOTER_RE.match(line.text):
            parsed.blocks.append(SourceBlock("footer", line.piece(line.text)))
            i += 1
            continue
        caption = caption_at(lines, i)
        if caption:
            body.add_caption(caption[0])
            i = caption[1]
            continue
        body.add_plain_line(lines, i)
        i += 1
    body.finish()
    return article


def _is_author_line(text: str, entry: ContentsEntry) -> bool:
    if entry.author and SequenceMatcher(None, match_key(entry.author), match_key(text)).ratio() >= TITLE_MATCH:
        return True
    return is_unit_line(text)


def _author_credit(text: str, raw: str, spans: list) -> Credit:
    unit, name = split_position_and_name(text)
    if name:
        return Credit(name=name, role="作者", raw=raw, spans=spans)
    return Credit(name=re.sub(r"\s+", "", text), role="单位", kind="organisation", raw=raw, spans=spans)
