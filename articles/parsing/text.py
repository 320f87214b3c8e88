"""Character-level helpers: source lines with offsets, OCR repair, sentence ends."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .structure import Piece

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef“”‘’—…·"
_CJK_RE = re.compile(f"[{CJK}]")
# A space the OCR left between two characters of Chinese text (泰 山街道).
_OCR_SPACE_RE = re.compile(f"(?<=[{CJK}{CJK_PUNCT}0-9])[ \t\u3000]+(?=[{CJK}{CJK_PUNCT}0-9])")
_OCR_SPACE_CJK_SIDE = re.compile(f"[{CJK}{CJK_PUNCT}]")
SENTENCE_END = "。！？!?…；;"
CLOSERS = '”"」』’）)】'
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_HALF_PUNCT_RE = re.compile(f"(?<=[{CJK}{CJK_PUNCT}])([,;:?!()])|([,;:?!()])(?=[{CJK}{CJK_PUNCT}])")


@dataclass
class Line:
    """One non-blank line of the source, with its offsets and layout facts."""

    text: str  # the line without surrounding white space
    start: int
    end: int
    blank_before: bool  # a blank line (or the file start) precedes it

    def piece(self, text: str | None = None) -> Piece:
        return Piece(text=clean(self.text) if text is None else text, raw=self.text, spans=[(self.start, self.end)])


def split_lines(source: str) -> list[Line]:
    """Return the non-blank lines of `source` with the offsets of their visible text."""
    lines, offset, blank = [], 0, True
    for raw in source.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = offset + len(raw) - len(raw.lstrip())
            lines.append(Line(stripped, start, start + len(stripped), blank))
            blank = False
        else:
            blank = True
        offset += len(raw) + 1
    return lines


def sub_piece(line: Line, start: int, end: int, text: str | None = None) -> Piece:
    """Cut characters [start:end) of a line into a piece (offsets relative to the line)."""
    raw = line.text[start:end]
    lead = len(raw) - len(raw.lstrip())
    raw = raw.strip()
    s = line.start + start + lead
    return Piece(text=clean(raw) if text is None else text, raw=raw, spans=[(s, s + len(raw))])


def has_cjk(text: str) -> bool:
    return bool(_CJK_RE.search(text))


def cjk_count(text: str) -> int:
    return len(_CJK_RE.findall(text))


def clean(text: str) -> str:
    """Repair OCR artefacts for reading and search; the raw text is kept elsewhere."""
    text = _HALF_PUNCT_RE.sub(lambda m: _HALF_TO_FULL[m.group(1) or m.group(2)], text)
    text = _OCR_SPACE_RE.sub(_join_if_chinese, text)
    return _curl_quotes(text)


def _join_if_chinese(match: re.Match) -> str:
    # Keep a space between two digits (1 000) but drop it where Chinese is involved.
    before = match.string[match.start() - 1]
    after = match.string[match.end()]
    if _OCR_SPACE_CJK_SIDE.match(before) or _OCR_SPACE_CJK_SIDE.match(after):
        return ""
    return match.group()


def _curl_quotes(text: str) -> str:
    if '"' not in text:
        return text
    out, opening = [], True
    for ch in text:
        if ch == '"':
            out.append("“" if opening else "”")
            opening = not opening
        else:
            out.append(ch)
    return "".join(out)


def clean_headline(text: str) -> str:
    """Clean a headline, keeping the single space that separates its two phrases."""
    text = re.sub(r"\s+", " ", text.strip())
    text = _HALF_PUNCT_RE.sub(lambda m: _HALF_TO_FULL[m.group(1) or m.group(2)], text)
    return _curl_quotes(text)


def ends_sentence(text: str) -> bool:
    """True when a paragraph ends a sentence, so the next one is not its continuation."""
    text = text.rstrip()
    if not text:
        return True
    if text[-1] in SENTENCE_END or text.endswith(("...", "···", "……")):
        return True
    if text[-1] in CLOSERS:
        inner = text.rstrip(CLOSERS)
        return bool(inner) and (inner[-1] in SENTENCE_END or inner.endswith(("...", "···")))
    return False


def match_key(text: str) -> str:
    """Reduce a title to what survives OCR and editing, for fuzzy comparison."""
    text = re.sub(r"[\s\"“”「」『』'‘’·|｜]", "", text)
    return text.translate(str.maketrans("，；：？！（）", ",;:?!()"))
