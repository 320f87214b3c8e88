"""Measuring recognition on text marked by others: reading BIO files and scoring as agreed.

The scoring rule is the one `../shared/data/people-daily-ner/README.md` gives: a person
counts when its start and end are exactly a PER span; a place when they are exactly a
LOC span, a place inside an ORG span (长春 of 长春市委) counting neither right nor wrong,
and one-character LOC spans (中 of 中美) not required. Micro-averaged over sentences.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Marked:
    text: str
    tags: tuple[str, ...]  # one BIO tag per character: B-PER, I-LOC, O …

    def spans(self, kind: str) -> set[tuple[int, int]]:
        found, i = set(), 0
        while i < len(self.tags):
            if self.tags[i] == "B-" + kind:
                j = i + 1
                while j < len(self.tags) and self.tags[j] == "I-" + kind:
                    j += 1
                found.add((i, j))
                i = j
            else:
                i += 1
        return found


def read_bio(path: Path) -> list[Marked]:
    """Sentences of a file with one character and its tag a line, a blank line between
    sentences (BIO, or BMES as the MSRA files have it: S- and B- start, M- and E- go on)."""
    sentences, chars, tags = [], [], []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            line = line.rstrip("\r\n")
            if not line.strip():
                if chars:
                    sentences.append(Marked("".join(chars), tuple(tags)))
                chars, tags = [], []
                continue
            char, rest = line[0], line[1:].split()
            tag = rest[-1] if rest else "O"
            chars.append(char)
            tags.append(_bio(tag))
    if chars:
        sentences.append(Marked("".join(chars), tuple(tags)))
    return sentences


def _bio(tag: str) -> str:
    if tag[:2] in ("B-", "S-"):
        return "B-" + tag[2:]
    if tag[:2] in ("M-", "E-"):
        return "I-" + tag[2:]
    return tag


def is_held_out(text: str) -> bool:
    """One sentence in three of the development split, chosen by its text before any rule or
    model was fitted, is only ever measured on: never trained or tuned on."""
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % 3 == 0


@dataclass
class Score:
    found: int = 0
    gold: int = 0
    right: int = 0
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.right / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.right / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def figures(self) -> dict:
        return {
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "found": self.found,
            "gold": self.gold,
            "right": self.right,
        }


Finder = Callable[[str], tuple[Iterable[tuple[int, int]], Iterable[tuple[int, int]]]]


def finder_of(recognizer) -> Finder:
    """The persons' and the places' spans a Recognizer finds in a text, as `score` takes them."""

    def find(text):
        found = recognizer.find(text)
        return [(m.start, m.end) for m in found if m.kind == "person"], [
            (m.start, m.end) for m in found if m.kind == "place"
        ]

    return find


def score(sentences: list[Marked], find: Finder) -> dict[str, Score]:
    """Persons and places `find` gives for each sentence ((start, end) pairs), scored."""
    persons, places = Score(), Score()
    for sentence in sentences:
        found_persons, found_places = (set(spans) for spans in find(sentence.text))
        gold = sentence.spans("PER")
        persons.found += len(found_persons)
        persons.gold += len(gold)
        persons.right += len(found_persons & gold)
        persons.wrong += [sentence.text[s:e] for s, e in sorted(found_persons - gold)]
        persons.missed += [sentence.text[s:e] for s, e in sorted(gold - found_persons)]

        gold_places = sentence.spans("LOC")
        required = {(s, e) for s, e in gold_places if e - s > 1}
        organisations = sentence.spans("ORG")
        counted = {
            (s, e)
            for s, e in found_places
            if (s, e) in required or not ((s, e) in gold_places or any(a <= s and e <= b for a, b in organisations))
        }
        places.found += len(counted)
        places.gold += len(required)
        places.right += len(counted & required)
        places.wrong += [sentence.text[s:e] for s, e in sorted(counted - required)]
        places.missed += [sentence.text[s:e] for s, e in sorted(required - counted)]
    return {"persons": persons, "places": places}
