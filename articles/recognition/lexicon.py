"""The words the tagger's features look up: jieba's dictionary and the gazetteer's names.

Every word of two to seven characters that jieba tags as a person's name (nr), a
place (ns), an organisation (nt) or another proper noun (nz), every common word,
and every name the gazetteer knows, with its class. A character also carries how
often it starts or ends a name in that dictionary: what generalises from a few
thousand training sentences to names they never printed.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import jieba

from . import gazetteer

MAX_WORD = 7
# The classes a dictionary word can have, in the features' names.
WORD_CLASSES = {"nr": "nr", "nrt": "nr", "nrfg": "nr", "ns": "ns", "nt": "nt", "nz": "nz"}
COMMON_FREQUENCY = 50  # a word at least this frequent in jieba's dictionary is an everyday word


@dataclass(frozen=True)
class Lexicon:
    words: dict[str, str]  # word → class
    tags: dict[str, str]  # every word of jieba's dictionary → its part of speech there (v, a, n, nr …)
    surname: dict[str, int]  # character → log2 of the names it starts
    given: dict[str, int]  # character → log2 of the names it ends
    foreign: dict[str, int]  # character → log2 of the transliterated names it is in
    foreign_share: dict[str, float]  # character → share of its words that are transliterated names
    abroad: frozenset[str] = frozenset()  # the names of cities abroad (波恩: jieba calls it a person's)


@lru_cache(maxsize=1)
def jieba_tags() -> dict[str, str]:
    """Every word of jieba's dictionary → its part of speech there."""
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as lines:
        return {word: tag for word, _, tag in (line.split() for line in lines)}


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    words: dict[str, str] = {}
    surname, given, foreign, everywhere = Counter(), Counter(), Counter(), Counter()
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as lines:
        for line in lines:
            word, frequency, tag = line.split()
            everywhere.update(word)
            if tag == "nrt":
                foreign.update(word)
            elif tag == "nr" and len(word) in (2, 3):
                surname[word[0]] += 1
                given.update(word[1:])
            if not 2 <= len(word) <= MAX_WORD:
                continue
            if tag in WORD_CLASSES:
                words[word] = WORD_CLASSES[tag]
            elif int(frequency) >= COMMON_FREQUENCY:
                words.setdefault(word, "w")
    for name, place in gazetteer.names().items():
        if 2 <= len(name) <= MAX_WORD:
            words[name] = place.kind
    return Lexicon(
        words,
        jieba_tags(),
        _log_counts(surname),
        _log_counts(given),
        _log_counts(foreign),
        {char: (foreign[char] + 1) / (count + 2) for char, count in everywhere.items()},
        frozenset(name for name in gazetteer.cities_abroad() if len(name) <= MAX_WORD),
    )


def _log_counts(counter: Counter) -> dict[str, int]:
    return {char: min(int(math.log2(1 + count)), 12) for char, count in counter.items()}
