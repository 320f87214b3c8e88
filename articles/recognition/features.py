"""What the tagger sees at each character: the character and its neighbours, the base
model's guesses there and two characters either side, the dictionary words that cover it,
and how name-like it is. (The base model's neighbouring guesses were added when two-fold
cross-validation inside the tuned two-thirds put the whole recognizer's persons F1 at
0.846/0.889 with them, 0.827/0.891 without.)

The same function makes the features for training and for tagging, so the two cannot
drift apart.
"""

from __future__ import annotations

import unicodedata

from .lexicon import MAX_WORD, lexicon

PAD = "#"


def normalised(text: str) -> str:
    """Full-width forms folded and letters in lower case, character for character."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return folded if len(folded) == len(text) else "".join(_fold(char) for char in text)


def _fold(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char).lower()
    return folded if len(folded) == 1 else char


def char_kind(char: str) -> str:
    if char.isdigit():
        return "D"
    if char.isascii() and char.isalpha():
        return "A"
    if "\u4e00" <= char <= "\u9fff":
        return "H"
    if char in "·•．-—":
        return "J"  # joins the parts of a foreign name
    return "P"


_static: dict[str, list[str]] = {}


def _char_features(char: str) -> list[str]:
    """The features of a character on its own (cached: a text repeats its characters)."""
    found = _static.get(char)
    if found is None:
        words = lexicon()
        found = [
            "c=" + char,
            "t=" + char_kind(char),
            f"sur={words.surname.get(char, 0)}",
            f"giv={words.given.get(char, 0)}",
            f"nrt={words.foreign.get(char, 0)}",
            f"rat={int(words.foreign_share.get(char, 0) * 5)}",
        ]
        _static[char] = found
    return found


def _covering_words(text: str) -> list[list[str]]:
    """For each character, the class and place (B, M, E) of each dictionary word covering it,
    and of each city abroad's name (whatever class jieba gives that name)."""
    words, abroad = lexicon().words, lexicon().abroad
    covering: list[list[str]] = [[] for _ in text]
    n = len(text)
    for i in range(n - 1):
        for size in range(2, min(MAX_WORD, n - i) + 1):
            word = text[i : i + size]
            for kind in (words.get(word), "abroad" if word in abroad else None):
                if kind:
                    covering[i].append(kind + "B")
                    covering[i + size - 1].append(kind + "E")
                    for j in range(i + 1, i + size - 1):
                        covering[j].append(kind + "M")
    return covering


def sentence_features(text: str, base_tags: list[str], close_tags: list[str]) -> list[list[str]]:
    """The features of each character of a sentence.

    `base_tags`: the base model's best tag for each character (PER-B, LOC-I, n-B …);
    `close_tags`: its second best where nearly as likely, else "".
    """
    text = normalised(text)
    n = len(text)
    covering = _covering_words(text)
    share = lexicon().foreign_share
    shares = [share.get(char, 0.0) for char in text]
    features = []
    for i, char in enumerate(text):
        before = text[i - 1] if i else PAD
        before2 = text[i - 2] if i > 1 else PAD
        after = text[i + 1] if i + 1 < n else PAD
        after2 = text[i + 2] if i + 2 < n else PAD
        f = [*_char_features(char), "l=" + base_tags[i]]
        if close_tags[i]:
            f.append("l2=" + close_tags[i])
        before_tag = base_tags[i - 1] if i else PAD
        after_tag = base_tags[i + 1] if i + 1 < n else PAD
        f += [
            "lp=" + before_tag,
            "ln=" + after_tag,
            f"lpl={before_tag}|{base_tags[i]}",
            f"lln={base_tags[i]}|{after_tag}",
        ]
        f.append("lp2=" + (base_tags[i - 2] if i > 1 else PAD))
        f.append("ln2=" + (base_tags[i + 2] if i + 2 < n else PAD))
        f.extend("x=" + c for c in covering[i])
        if i:
            f.extend("xp=" + c for c in covering[i - 1])
        if i + 1 < n:
            f.extend("xn=" + c for c in covering[i + 1])
        f += [
            "c-1=" + before,
            "c-2=" + before2,
            "c+1=" + after,
            "c+2=" + after2,
            "b-1=" + before + char,
            "b+1=" + char + after,
            "b-2=" + before2 + before,
            "b+2=" + after + after2,
            "tri=" + before + char + after,
            "tp=" + (char_kind(before) if i else PAD),
            "tn=" + (char_kind(after) if i + 1 < n else PAD),
            f"ratw={int(sum(shares[max(0, i - 2) : i + 3]))}",
        ]
        features.append(f)
    return features
