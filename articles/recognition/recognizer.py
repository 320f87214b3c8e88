"""Persons and places a text names: the tagger's spans, the archive's own names, staff rules.

The archive knows names the tagger cannot: everyone its bylines credit and its profiles
portray, persons and places staff added, spellings staff merged, names staff said are
none. Those win over the tagger where they overlap. Places are cut and resolved by the
gazetteer (places.py), persons by how newspapers print names (names.py).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache

from . import gazetteer, names, places
from .gazetteer import KINDS, LOCAL, Place
from .lexicon import MAX_WORD, lexicon
from .tagger import Span, Tagger

SENTENCE_RE = re.compile(r"[^。！？!?；;]*[。！？!?；;]?[”」]?")
# A name as printed: Chinese characters, a foreign name's parts joined by a dot (差猜·春哈旺).
NAME = re.compile(r"^[\u4e00-\u9fff]+(?:[·•—－-][\u4e00-\u9fff]+)*$")
# Endings of organisations the tagger may read as places (物资科技局, 市委组织部).
NOT_PLACE_ENDINGS = (
    "局",
    "委",
    "部",
    "厅",
    "院",
    "所",
    "办",
    "中心",
    "公司",
    "队",
    "会",
    "站",
    "馆",
    "处",
    "科",
    "店",
    "厂",
    "校",
    "学",
    "点",
)
# A building inside a place's name: 玫瑰园小区4号楼 is 玫瑰园小区.
BUILDING = re.compile(r"[0-9０-９一二三四五六七八九十]+(?:号楼|号|栋|单元|幢|期)")
# Endings of organisations whose name holds the places they are in (丰满区泰山街道党工委).
UNIT_ENDINGS = ("党工委", "党委", "党支部", "党总支", "委员会", "居委会", "村委会", "办事处", "政府", "管委会")


@dataclass(frozen=True)
class Mention:
    kind: str  # "person" or "place"
    name: str  # the person's name after merged spellings; the place's full name
    start: int
    end: int
    sentence: str = ""
    place: Place | None = None
    evidence: str = ""  # a person's: known, titled, tagged or surname (how it was found)
    sure: float = 1.0  # a tagged person's: how sure the tagger was of it


@dataclass(frozen=True)
class Knowledge:
    """What the archive knows besides the text: its own names and its staff's rules."""

    persons: frozenset[str] = frozenset()  # bylines, subjects, persons staff added
    places: frozenset[str] = frozenset()  # places staff added, street-level places units name
    excluded: frozenset[str] = frozenset()  # names staff said are no person or place
    spellings: dict[str, str] = field(default_factory=dict)  # another spelling → the name

    @classmethod
    def build(cls, persons=(), units=(), excluded=(), added_persons=(), added_places=(), spellings=None):
        unit_places = {p for unit in units for p in local_places_in(unit)}
        return cls(
            frozenset(n for n in [*persons, *added_persons] if len(n) >= 2),
            frozenset(n for n in [*added_places, *unit_places] if len(n) >= 2),
            frozenset(excluded),
            dict(spellings or {}),
        )


@lru_cache(maxsize=1)
def default_tagger() -> Tagger:
    """The tagger with the shipped model, loaded once a process."""
    return Tagger()


class Recognizer:
    def __init__(self, knowledge: Knowledge | None = None, tagger: Tagger | None = None):
        self.knowledge = knowledge or Knowledge()
        self.tagger = tagger or default_tagger()
        self._persons = NameSet(self.knowledge.persons)
        self._places = NameSet(self.knowledge.places)

    def find(self, text: str) -> list[Mention]:
        """Every person and place the text prints, in order; the text is its own context."""
        return [m for _, m in self.article([text])]

    def first_mentions(self, texts: list[str]) -> list[tuple[int, Mention]]:
        """Each person and place an article's texts name, at its first mention, with the
        index of the text it is in."""
        return self.first_mentions_many([texts])[0]

    def first_mentions_many(self, articles: list[list[str]]) -> list[list[tuple[int, Mention]]]:
        """first_mentions() of each article, their sentences read by the tagger together."""
        texts = [text for article in articles for text in article]
        spans = iter(self.tagger.spans_many(texts))
        found = []
        for article in articles:
            seen: set[tuple[str, str]] = set()
            first = []
            for i, mention in self.article(article, [next(spans) for _ in article]):
                if (mention.kind, mention.name) not in seen and (mention.kind == "place" or len(mention.name) > 1):
                    seen.add((mention.kind, mention.name))
                    first.append((i, mention))
            found.append(first)
        return found

    def article(self, texts: list[str], spans: list[list[Span]] | None = None) -> list[tuple[int, Mention]]:
        """Every mention of an article's texts (headlines, paragraphs, captions), in order
        (`spans`: the tagger's, if read already). The whole article is the context that
        tells which county a short name means and which person a surname stands for."""
        context = "".join(texts)
        spans = spans if spans is not None else self.tagger.spans_many(texts)
        found = [(i, m) for i, text in enumerate(texts) for m in self._mentions(text, spans[i], context)]
        found = _confirmed(texts, found)
        full_names = {m.name for _, m in found if m.kind == "person" and len(m.name) > 1}
        local_names = {m.name: m.place for _, m in found if m.place and m.place.kind == LOCAL}
        last_division: Place | None = None
        resolved = []
        for i, mention in found:
            if mention.kind == "person" and len(mention.name) == 1:
                mention = replace(mention, name=_full_name(mention.name, full_names))
            elif mention.place:
                place = _completed(mention.place, local_names)
                mention = replace(mention, name=place.name)
                place = places.placed(place, last_division)
                if place.level in (2, 3):
                    last_division = place
                mention = replace(mention, place=place)
            resolved.append((i, mention))
        return resolved

    def _mentions(self, text: str, spans: list[Span], context: str) -> list[Mention]:
        found = self._known(text)
        taken = {k for m in found for k in range(m.start, m.end)}
        for part in places.by_convention(text, context):  # 本报波恩5月25日电: 波恩 is no person
            if not taken.intersection(range(part.start, part.end)):
                found.append(Mention("place", part.place.name, part.start, part.end, place=part.place))
                taken.update(range(part.start, part.end))
        spans = _unsure_places_read(text, _without_cut_places(text, spans))
        for mention in self._persons_found(text, spans, taken) + self._places_found(text, spans, context, taken):
            if not taken.intersection(range(mention.start, mention.end)):
                found.append(mention)
                taken.update(range(mention.start, mention.end))
        found += [m for m in _places_untagged(text, spans) if not taken.intersection(range(m.start, m.end))]
        taken |= {k for m in found for k in range(m.start, m.end)}
        for start, end in names.titled(text, taken):
            found.append(Mention("person", text[start:end], start, end, evidence="titled"))
            taken.update(range(start, end))
        after_place = {m.end for m in found if m.kind == "place"}
        for part in places.street_level(text, after_place, taken):
            found.append(Mention("place", part.place.name, part.start, part.end, place=part.place))
        kept = []
        for mention in sorted(found, key=lambda m: (m.start, m.end)):
            printed = text[mention.start : mention.end]
            if printed in self.knowledge.excluded or mention.name in self.knowledge.excluded:
                continue
            name = self.knowledge.spellings.get(mention.name, mention.name)
            place = replace(mention.place, name=name) if mention.place and name != mention.name else mention.place
            kept.append(replace(mention, name=name, place=place, sentence=sentence_around(text, mention.start)))
        return kept

    def _known(self, text: str) -> list[Mention]:
        """The archive's own names (bylines, subjects, staff additions) wherever they are printed."""
        found = [Mention("person", text[s:e], s, e, evidence="known") for s, e in self._persons.finditer(text)]
        taken = {k for m in found for k in range(m.start, m.end)}
        for start, end in self._places.finditer(text):
            if not taken.intersection(range(start, end)):
                name = text[start:end]
                found.append(Mention("place", name, start, end, place=Place(name, LOCAL)))
        return found

    def _persons_found(self, text: str, spans: list[Span], taken: set[int]) -> list[Mention]:
        persons = [s for s in spans if s.kind == "PER"]
        joined = names.joined(text, [(s.start, s.end) for s in persons])
        tagged = [part for s, e in joined for part in names.split_at_joining_words(text, s, e)]
        sure = {k: span.sure for span in persons for k in range(span.start, span.end)}
        found = []
        for start, end in tagged:
            if _place_ending_after(text, start, end):
                continue  # 葛连|泡, 松花|江: a place's name, not a person's
            if names.names_a_division(text, end) and end - start >= 2:
                continue  # 巴达赫尚|省
            start, end = names.without_title_after(text, start, end)
            end = names.completed_given_name(text, start, end)
            start, end = names.surname_only(text, start, end)
            name = text[start:end]
            if NAME.match(name) and (end - start > 1 or name in names.SURNAMES) and not _is_place_name(name):
                found.append((start, end))
        after_title = set(names.titled(text, set()))
        tagged = [
            Mention(
                "person",
                text[s:e],
                s,
                e,
                evidence="titled" if (s, e) in after_title else "tagged",
                sure=min(sure.get(k, 1.0) for k in range(s, e)),
            )
            for s, e in found
            if not _in_a_word(text, s, e, idioms_only=True)
        ]
        covered = taken | {k for s in spans for k in range(s.start, s.end)}
        surnames = names.surname_references(text, covered)
        return tagged + [Mention("person", text[s:e], s, e, evidence="surname") for s, e in surnames]

    def _places_found(self, text: str, spans: list[Span], context: str, taken: set[int]) -> list[Mention]:
        found = []
        ends: set[int] = set()  # where a place found so far ends: the next may be within it
        for span in spans:
            if span.kind == "LOC":
                if _in_a_word(text, span.start, span.end, idioms_only=True):
                    continue  # 泰山 of 重于泰山
                building = BUILDING.search(text, span.start, span.end)
                end = building.start() if building and building.start() > span.start + 1 else span.end
                parts = places.cut(text, _word_start(text, span.start, end), _with_ending(text, end))
            elif span.kind == "ORG":
                parts = places_in_unit(text, span.start, span.end)
            else:
                continue
            for part in parts:
                printed = text[part.start : part.end]
                place = places.resolve(part.place, printed, context, in_unit=span.kind == "ORG")
                if place is not None and len(printed) > 1 and _is_a_place(place):
                    if place.kind == LOCAL and not places.plausible_local(printed):
                        continue
                    ends.add(part.end)
                    found.append(Mention("place", place.name, part.start, part.end, place=place))
        return found


def places_in_unit(text: str, start: int, end: int) -> list[places.Part]:
    """The places an organisation's name starts with: where it is, not what it is
    (吉林市委党校 → 吉林市; 昌邑区延安街道鸿博嘉园社区党委 → 昌邑区, 延安街道, 鸿博嘉园社区).
    A street-level name counts only after a division or in a unit's name (…党委)."""
    parts: list[places.Part] = []
    i = start
    local_allowed = text[start:end].endswith(UNIT_ENDINGS)
    while i < end:
        size, division = places.division_at(text, i, end, world=not parts)
        if division and division.name == HOME_COUNTRY:
            break  # 中国共产党, 中国人民银行: a national body, not a mention of the country
        if division and not text.startswith(LOCAL_ENDINGS, i + size):
            parts.append(places.Part(i, i + size, division))
            i += size
            continue
        m = _LOCAL_IN_UNIT.match(text, i, end)
        if m and (parts or local_allowed) and not any(word in m.group() for word in NOT_PLACE_WORDS):
            parts.append(places.Part(i, m.end(), Place(m.group(), LOCAL)))
            i = m.end()
            continue
        break
    return parts


LOCAL_ENDINGS = ("街道", "社区", "小区", "镇", "乡", "村")
HOME_COUNTRY = "中国"
_LOCAL_IN_UNIT = re.compile(r"[\u4e00-\u9fff]{2,6}?(?:街道|社区|小区|镇|乡|村)")
# 乡/村/镇 inside these words are not the end of a place's name.
NOT_PLACE_WORDS = ("城乡", "乡镇", "乡村", "农村", "村镇", "镇村", "村屯", "村民", "村委", "驻村", "包村")


def local_places_in(unit: str) -> list[str]:
    """Street-level places a unit's name holds: 丰满区泰山街道党工委 → 泰山街道."""
    return [unit[p.start : p.end] for p in places_in_unit(unit, 0, len(unit)) if p.place.kind == LOCAL]


def _is_a_place(place: Place) -> bool:
    """Not an organisation or an everyday word the tagger read as a place (物资科技局, 两岸)."""
    if place.name.endswith(NOT_PLACE_ENDINGS):
        return False
    if place.kind == "other":
        tag = lexicon().tags.get(place.name, "")
        return not tag or tag.startswith(("ns", "nz", "nr", "nt"))
    return True


def _without_cut_places(text: str, spans: list[Span]) -> list[Span]:
    """The tagger's spans less the persons that cut through a place's name (开|罗晴: 开罗);
    after a position the name starts where the position ends (部长安雷 is no 长安)."""
    kept = []
    for span in spans:
        if span.kind == "PER" and _cuts_a_place(text, span):
            continue
        kept.append(span)
    return kept


def _cuts_a_place(text: str, span: Span) -> bool:
    """Whether a place's name printed around the person runs across its start or its end."""
    after_title = names.TITLE_BEFORE.search(text, max(0, span.start - 6), span.start) is not None
    return any(
        i + size > span.start and not (span.start <= i and i + size <= span.end)
        for i in range(span.start if after_title else max(0, span.start - 4), span.end)
        for size in [_place_name_at(text, i, span.end + 4)[0]]
        if size
    )


def _place_ending_after(text: str, start: int, end: int) -> bool:
    """Whether the character after a name of two or more ends a place's name with it (葛连|泡,
    松花|江), not starts a word of its own (巴克|海军少将; but 松花|江畔 is the river's)."""
    if end - start < 2 or gazetteer.kind_by_ending(text[start : end + 1]) in ("other", LOCAL):
        return False
    word = text[end : end + 2]
    return not (lexicon().words.get(word) == "w" and word[1] not in PLACE_WORD_ENDS)


# What follows a river's, a lake's or a sea's name in the everyday words it starts (江畔, 海边).
PLACE_WORD_ENDS = set("畔边岸旁上下里内外口面底滨")


def _unsure_places_read(text: str, spans: list[Span]) -> list[Span]:
    """The tagger's places it is unsure of and nothing else backs (no gazetteer name, no
    place's ending): one that reads as a person's name is a person (若斯潘总理, 库尼科娃),
    the others are dropped (百强县, 乌斯塔夏)."""
    kept = []
    for span in spans:
        printed = text[span.start : span.end]
        if span.kind == "LOC" and printed.endswith(LOCATIVES) and _is_place_known(printed[:-1]):
            span, printed = replace(span, end=span.end - 1), printed[:-1]  # 松花江|畔: the river
        if (
            span.kind == "LOC"
            and span.sure < SURE_OF_A_PLACE
            and not _is_place_known(printed)
            and not _place_name_at(text, span.start, span.end)[0]
        ):  # (a name a division starts, 长春市中心, is cut by the gazetteer)
            if NAME.match(printed) and _reads_as_a_name(printed):
                kept.append(replace(span, kind="PER"))
            continue
        kept.append(span)
    return kept


# Words after a place's name that say where by it (松花江畔, 黄河边, 湘江岸).
LOCATIVES = tuple("畔边岸旁")


def _is_place_known(name: str) -> bool:
    """Whether the gazetteer or the name's ending says this is a place (松花江, 九台区, 波恩)."""
    size, _ = _place_name_at(name, 0, len(name))
    return size == len(name) or gazetteer.kind_by_ending(name) != "other" or name in gazetteer.cities_abroad()


def _reads_as_a_name(name: str) -> bool:
    """A foreign name's characters (库尼科娃), or a common surname and one or two characters
    that are no word (庞卫国, not 黄淮); no division's level at its end (莱克伍德县)."""
    if gazetteer.short_form(name) != name:
        return False
    if _foreign_looking(name):
        return True
    return 2 <= len(name) <= 3 and name[0] in names.SURNAMES and names.could_be_name(name)


def _place_name_at(text: str, start: int, end: int) -> tuple[int, Place | None]:
    return places.division_at(text, start, min(end, len(text)), world=True)


# Names of places the gazetteer knows so well that they count where the tagger saw none:
# countries, and divisions printed with their level (长春市, 九台区).
_FULL_DIVISION = re.compile(r"(省|市|县|区|自治州|盟|旗)$")


def _places_untagged(text: str, spans: list[Span]) -> list[Mention]:
    covered = {k for s in spans for k in range(s.start, s.end)}
    found = []
    i = 0
    while i < len(text):
        size, place = _place_name_at(text, i, i + 12) if i not in covered else (0, None)
        printed = text[i : i + size]
        if place and not covered.intersection(range(i, i + size)) and not _word_across(text, i, i + size):
            if (place.kind == "country" and printed == place.name) or (
                place.level and printed == place.name and _FULL_DIVISION.search(printed) and len(printed) >= 3
            ):
                found.append(Mention("place", place.name, i, i + size, place=place))
                i += size
                continue
        i += 1
    return found


def _in_a_word(text: str, start: int, end: int, idioms_only: bool = False) -> bool:
    """Whether a longer everyday word holds the span (张弛 of 张弛有度), or only an idiom or a
    set phrase (泰山 of 重于泰山, not 中国 of 中国人)."""
    tags = lexicon().tags
    for a in range(max(0, start - MAX_WORD + 1), start + 1):
        for b in range(end, min(len(text), a + MAX_WORD) + 1):
            tag = tags.get(text[a:b], "nr")
            if (a, b) != (start, end) and tag[:2] not in ("nr", "ns", "nz", "nt"):
                if not idioms_only or tag[:1] in ("i", "l"):
                    return True
    return False


def _word_across(text: str, start: int, end: int) -> bool:
    """Whether a dictionary word runs across either end of a name (发展|中国|家, 其|中国|王)."""
    words = lexicon().words
    for a in range(max(0, start - MAX_WORD + 1), end):
        for b in range(max(a + 2, start + 1), min(len(text), a + MAX_WORD) + 1):
            crosses = (a < start < b) or (a < end < b)
            if (
                crosses
                and not (a <= start and end <= b and words.get(text[a:b]) in ("ns", *KINDS))
                and text[a:b] in words
            ):
                return True
    return False


def _word_start(text: str, start: int, end: int) -> int:
    """The start of a place the tagger began inside a word (熟|悉象园社区: 象园社区)."""
    import jieba

    if start == 0 or end - start < 3:
        return start
    at = max(0, start - 4)
    for word in jieba.lcut(text[at:end], HMM=False):
        if at < start < at + len(word) and len(word) > 1 and lexicon().tags.get(word, "")[:2] not in ("ns", "nz"):
            return at + len(word) if at + len(word) < end - 1 else start
        at += len(word)
    return start


STREET_SUFFIXES = ("小区", "社区", "街道")


def _with_ending(text: str, end: int) -> int:
    """The end of a place name the tagger cut before its ending (延川|社区, 长春|新区, 理想家园|小区)."""
    for ending in STREET_SUFFIXES:
        if text.startswith(ending, end) and not text[:end].endswith(ending):
            return end + len(ending)
    if text[:end].endswith(gazetteer.LOCAL_ENDINGS):
        return end
    for ending in sorted(gazetteer.LOCAL_ENDINGS, key=len, reverse=True):
        if text.startswith(ending, end) and not text.startswith(NOT_PLACE_WORDS, end):
            return end + len(ending)
    return end


# How sure the tagger must be of a two-character name that reads as neither Chinese nor
# foreign (俊平, 欣嘉: given names alone; 桥本) for it to stand without other evidence.
# Cross-validated inside the tuned two-thirds, persons F1: 0.850/0.896 when such names never
# stood, 0.852/0.898 at 0.9, 0.857/0.902 at 0.5 and at 0 (0.5: more likely than not).
SURE_OF_A_NAME = 0.5
# Below this the tagger's place stands only where the gazetteer or the name's ending backs it.
SURE_OF_A_PLACE = 0.65
# What confirms a two-character name the tagger found: a position or a verb of saying after it.
CONFIRMING = (
    "同志",
    "书记",
    "主任",
    "主席",
    "总理",
    "部长",
    "局长",
    "省长",
    "市长",
    "县长",
    "先生",
    "女士",
    "教授",
    "院士",
    "委员",
    "代表",
    "说",
    "指出",
    "表示",
    "强调",
    "认为",
    "介绍",
    "告诉",
)


def _confirmed(texts: list[str], found: list[tuple[int, Mention]]) -> list[tuple[int, Mention]]:
    """Drop the names found only by the tagger or after a title that the article prints more
    often as a word (包保 of 党员包保落到户, 商超, 张弛有度), and two-character ones that read as
    neither a Chinese nor a foreign name (危难显芳华); the archive's own names stay. A name cut
    short (梁志|有) where the article names the whole (梁志有) is the whole."""
    context = "".join(texts)
    tagged = Counter(m.name for _, m in found if m.kind == "person" and m.evidence in ("tagged", "titled"))
    known = {m.name for _, m in found if m.kind == "person" and m.evidence == "known"}
    longer = {m.name for _, m in found if m.kind == "person" and len(m.name) > 2}
    kept = []
    for i, m in found:
        text = texts[i]
        if m.kind == "person" and text[m.start : m.end + 1] in longer:
            m = replace(m, name=text[m.start : m.end + 1], end=m.end + 1)
        if m.kind == "person" and m.evidence in ("tagged", "titled") and m.name not in known and 2 <= len(m.name) <= 3:
            # Confirmed by what is around it: a position or a verb of saying after it, another
            # name or 小/老 before it, or nothing before it (a sentence opening with a name).
            beside = text.startswith(CONFIRMING, m.end) or m.start == 0 or text[m.start - 1] in "、和与及小老"
            if len(m.name) == 2:  # printed more often as a word than as a name
                as_word = context.count(m.name) > 2 * tagged[m.name]
            else:  # its first two characters printed as a word elsewhere
                as_word = context.count(m.name[:2]) > context.count(m.name)
            chinese = lexicon().surname.get(m.name[0], 0) >= SURNAME_NAMES or m.evidence == "titled"
            unlike = len(m.name) == 2 and not (chinese or _foreign_looking(m.name) or m.sure >= SURE_OF_A_NAME)
            if not beside and (as_word or unlike):
                continue
        kept.append((i, m))
    return kept


def _foreign_looking(name: str) -> bool:
    """Made of the characters transliterated names are written with (拉宾, 琼斯), not 芳华."""
    share = lexicon().foreign_share
    return sum(share.get(char, 0.0) for char in name) / len(name) >= FOREIGN_SHARE


FOREIGN_SHARE = 0.1
SURNAME_NAMES = 5  # log2 of the names in jieba's dictionary a surname starts: 32 or more


def _completed(place: Place, local_names: dict[str, Place]) -> Place:
    """A name the article also prints with its ending (象园 of 象园社区) read as that place."""
    if place.kind != "other":
        return place
    endings = [place.name + ending for ending in gazetteer.LOCAL_ENDINGS if place.name + ending in local_names]
    return local_names[endings[0]] if len(endings) == 1 else place


def _full_name(surname: str, full_names: set[str]) -> str:
    """The one person of the article with this surname, or the surname alone."""
    matching = [name for name in full_names if name.startswith(surname) and len(name) <= 4]
    return matching[0] if len(matching) == 1 else surname


def _is_place_name(name: str) -> bool:
    size, division = places.division_at(name, 0, len(name))
    return size == len(name)


class NameSet:
    """Find any of many names in a text, leftmost and longest first, by looking up each
    position's substrings: the cost does not grow with the number of names."""

    def __init__(self, names):
        self.names = {n for n in names if len(n) >= 2}
        self.lengths = sorted({len(n) for n in self.names}, reverse=True)

    def finditer(self, text: str):
        i, end = 0, len(text)
        while i < end:
            for length in self.lengths:
                if i + length <= end and text[i : i + length] in self.names:
                    yield i, i + length
                    i += length
                    break
            else:
                i += 1


def sentence_around(text: str, start: int) -> str:
    """The sentence a mention is printed in."""
    for m in SENTENCE_RE.finditer(text):
        if m.start() <= start < max(m.end(), m.start() + 1) and m.group():
            return m.group().strip()
    return text[max(0, start - 40) : start + 40]
