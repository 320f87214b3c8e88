"""Text analysis for the index: jieba words for ranking, character bigrams for recall.

Whoosh keeps the analyzers in the index schema (pickled by reference), so they
live in this importable module and hold no state of their own; the jieba
tokenizer they share is created once per process.
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from array import array
from collections.abc import Iterator
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

import jieba
import numpy as np
from whoosh.analysis import LowercaseFilter, Token, Tokenizer
from whoosh.formats import Existence, Positions
from whoosh.system import _INT_SIZE, emptybytes, pack_uint

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A space next to a Chinese character is layout (OCR, headline spacing), never meaning.
_SPACE_NEAR_CJK = re.compile(f"(?<=[{CJK}])\\s+|\\s+(?=[{CJK}])")
_SPACES = re.compile(r"\s+")
# Pieces of a document (title, each paragraph …) are joined with this, so no match spans two.
PIECE_BREAK = "\n"
_WORDISH = re.compile(r"\w", re.UNICODE)
_BREAK, _SPACE = ord(PIECE_BREAK), ord(" ")

jieba.setLogLevel(60)
_tokenizer: jieba.Tokenizer | None = None
_tokenizer_lock = threading.Lock()
_user_words_mtime: float | None = None


def normalize(text: str) -> str:
    """The form both documents and queries are compared in: NFKC, lower case, no layout spaces."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _SPACE_NEAR_CJK.sub("", text)
    return _SPACES.sub(" ", text).strip()


def normalize_document(pieces: list[str]) -> str:
    return PIECE_BREAK.join(p for p in (normalize(piece) for piece in pieces) if p)


@lru_cache(maxsize=4)
def normalized_document(value: str) -> str:
    """A document's text (pieces joined by PIECE_BREAK) normalised, remembered for the next
    field of the same document (ngrams and chars read the same text)."""
    return normalize_document(value.split(PIECE_BREAK))


def user_words_path() -> Path:
    from django.conf import settings

    return Path(settings.SEARCH_DIR) / "user_words.txt"


def jieba_tokenizer() -> jieba.Tokenizer:
    """One jieba tokenizer per process, its cache in the archive's own folder, with our names."""
    global _tokenizer, _user_words_mtime
    with _tokenizer_lock:
        if _tokenizer is None:
            from django.conf import settings

            tokenizer = jieba.Tokenizer()
            cache_dir = Path(settings.SEARCH_DIR) / "jieba"
            cache_dir.mkdir(parents=True, exist_ok=True)
            tokenizer.tmp_dir = str(cache_dir)
            tokenizer.initialize()
            _tokenizer = tokenizer
        path = user_words_path()
        try:
            mtime = path.stat().st_mtime
        except OSError:
            mtime = None
        if mtime is not None and mtime != _user_words_mtime:
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    _tokenizer.add_word(line.strip(), freq=100_000, tag="nr")
            _user_words_mtime = mtime
        return _tokenizer


def warm_up() -> None:
    """Load jieba's dictionary and the archive's names now (before gunicorn forks its workers)."""
    list(jieba_tokenizer().tokenize(normalize("吉林省长春市")))
    variants("長春")


def write_user_words(words: set[str]) -> None:
    """Names jieba should keep whole (张恩惠, 鸿博嘉园社区党委): written where every process reads them."""
    path = user_words_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join(sorted(w for w in words if len(w) >= 2)) + "\n"
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


class JiebaTokenizer(Tokenizer):
    """Words as jieba's search mode cuts them, with word positions for phrase scoring."""

    def __call__(
        self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
        start_pos=0, start_char=0, tokenize=True, mode="", **kwargs,
    ):  # fmt: skip
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.pos, token.startchar, token.endchar = start_pos, start_char, start_char + len(value)
            yield token
            return
        pos = start_pos
        for word, start, end in jieba_tokenizer().tokenize(normalize(value), mode="search"):
            if not _WORDISH.search(word):
                continue  # punctuation and spaces are not words
            token.text = word
            if keeporiginal:
                token.original = word
            token.boost = 1.0
            if positions:
                token.pos = pos
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            pos += 1
            yield token


class BigramTokenizer(Tokenizer):
    """Every pair of neighbouring characters, in order, so a phrase of them is an exact substring.

    The last character of each piece is also a token of its own, so that a one
    character query can find it by prefix. Pieces never join into one match.
    """

    def __call__(
        self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
        start_pos=0, start_char=0, tokenize=True, mode="", **kwargs,
    ):  # fmt: skip
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        offset = 0
        for piece in normalize_document(value.split(PIECE_BREAK)).split(PIECE_BREAK) if tokenize else [value]:
            grams = [piece[i : i + 2] for i in range(len(piece) - 1)] + [piece[-1:]] if piece else []
            for i, gram in enumerate(grams):
                if gram.isspace():
                    continue
                token.text = gram
                token.boost = 1.0
                if keeporiginal:
                    token.original = gram
                if positions:
                    token.pos = pos + i
                if chars:
                    token.startchar, token.endchar = start_char + offset + i, start_char + offset + i + len(gram)
                yield token
            pos += len(grams) + 2  # a gap: no phrase runs from one piece into the next
            offset += len(piece) + 1


def bigram_values(value: str) -> Iterator[tuple[str, int, bytes]]:
    """Each bigram of a document (and each piece's last character), how often it occurs and
    its positions encoded as BigramPositions stores them: exactly what BigramTokenizer yields,
    computed in array operations (a dictionary of lists per document took a seventh of indexing).

    A character's position is its place in the text plus the number of piece breaks before it
    (BigramTokenizer leaves a gap of one after each piece).
    """
    text = normalized_document(value)
    if not text:
        return
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    is_break = codes == _BREAK
    positions = np.arange(len(codes)) + np.cumsum(is_break)
    following = np.append(codes[1:], _BREAK)
    alone = following == _BREAK  # a piece's last character: a token of its own
    blank = (codes == _SPACE) & (alone | (following == _SPACE))  # the token would be only spaces
    where = np.flatnonzero(~is_break & ~blank)
    keys = codes[where] << 21 | np.where(alone[where], 0, following[where] + 1)
    order = np.argsort(keys, kind="stable")  # by token, each token's positions in order
    where, keys, positions = where[order], keys[order], positions[where[order]]
    firsts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    counts = np.diff(np.r_[firsts, len(keys)])
    deltas = positions - np.r_[0, positions[:-1]]
    deltas[firsts] = positions[firsts]
    # Each token's value: its count (big-endian, Whoosh's pack_uint), then its deltas (native).
    heads = firsts + np.arange(len(firsts))
    words = np.empty(len(deltas) + len(heads), dtype=np.uint32)
    words[heads] = counts.astype(">u4").view(np.uint32)
    is_delta = np.ones(len(words), dtype=bool)
    is_delta[heads] = False
    words[is_delta] = deltas
    data = words.tobytes()
    starts, ends = (heads * 4).tolist(), (np.r_[heads[1:], len(words)] * 4).tolist()
    for i, single, count, start, end in zip(
        where[firsts].tolist(), alone[where[firsts]].tolist(), counts.tolist(), starts, ends, strict=True
    ):
        yield (text[i] if single else text[i : i + 2]), count, data[start:end]


def decode_positions(valuestring: bytes) -> list[int]:
    """Positions as BigramPositions stores them (a count, then deltas as packed integers)."""
    deltas = array("I")
    deltas.frombytes(valuestring[_INT_SIZE:])
    return list(accumulate(deltas))


class BigramPositions(Positions):
    """Whoosh's positions format for the bigram fields, with a faster way in and out:
    positions are counted straight from the text and stored as packed integers, not pickles."""

    def word_values(self, value, analyzer, **kwargs):
        boost = self.field_boost
        for gram, count, encoded in bigram_values(value):
            yield gram, count, count * boost, encoded

    def encode(self, poslist):
        """A position list's value (Whoosh's Format API): bigram_values writes the same bytes in bulk."""
        deltas = array("I", poslist)
        for i in range(len(deltas) - 1, 0, -1):
            deltas[i] -= deltas[i - 1]
        return pack_uint(len(deltas)) + deltas.tobytes()

    def decode_positions(self, valuestring):
        return decode_positions(valuestring)


class CharacterSet(Existence):
    """Each distinct character of a document, without frequencies or positions: the
    companion of a bigram field that answers one-character queries (search.whoosh_format.substring)."""

    def word_values(self, value, analyzer, **kwargs):
        boost = self.field_boost
        return ((ch, 1, boost, emptybytes) for ch in set(normalized_document(value)) if not ch.isspace())


def JiebaAnalyzer():  # noqa: N802 (Whoosh names analyzers like classes)
    return JiebaTokenizer() | LowercaseFilter()


def BigramAnalyzer():  # noqa: N802
    return BigramTokenizer()


def query_bigrams(term: str) -> list[str]:
    """The bigrams a query term must match in a row (one token for a single character)."""
    term = normalize(term)
    if len(term) < 2:
        return [term] if term else []
    return [term[i : i + 2] for i in range(len(term) - 1)]


@lru_cache(maxsize=1)
def _to_simplified():
    import opencc

    return opencc.OpenCC("t2s")


def variants(term: str) -> list[str]:
    """The term as typed and in simplified characters (張恩惠 finds 张恩惠)."""
    simplified = _to_simplified().convert(term)
    return [term] if simplified == term else [term, simplified]
