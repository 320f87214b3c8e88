"""From a printed place name to the place: its full name, its kind and where it lies.

A span may print several places at once (吉林省长春市九台区): it is cut into the
divisions it names. A short name is read in its article's context: 九台 is a county
only where the article also names its city; 吉林 is the province, 吉林市 the city. A
street-level name lies in the division printed just before it (昌邑区延安街道), else in
the last one the article named before it (临江街道 after 船营区), not in a division of
the same name elsewhere (安顺社区 is no part of 安顺市).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import gazetteer
from .gazetteer import LOCAL, ZONE_ENDINGS, Place
from .lexicon import lexicon

# Endings of a street-level name that may share its first part with a county (临江街道, 临江市).
STREET_NAME_ENDINGS = ("街道", "社区", "小区", "镇", "乡", "村")
# What a weather report prints right after a place's name (悉尼晴, 成都阴转多云).
WEATHER = set("晴阴雨雪雾霾") | {"多"}


@dataclass(frozen=True)
class Part:
    start: int
    end: int
    place: Place


_DAY = r"[0-9０-９〇零一二三四五六七八九十]+"
# Where a newspaper prints a place by convention, whatever a name looks like: the dateline
# (本报波恩5月25日电, 新华社莫斯科4月28日电) and the weather table (莫斯科晴14℃／28℃).
DATELINE = re.compile(rf"(?:本报|新华社|中新社)([\u4e00-\u9fff]{{2,10}}?){_DAY}月{_DAY}日(?:专)?电")
_SKY = "晴|多云|阴|小雨|中雨|大雨|暴雨|阵雨|雷阵雨|小雪|中雪|大雪|阵雪|雨夹雪|雾|霾|沙尘|浮尘|扬沙"
WEATHER_ENTRY = re.compile(
    rf"(?:^|(?<=[℃\s，、；：]))([\u4e00-\u9fff]{{2,8}}?)(?:{_SKY})(?:转?(?:{_SKY}))*-?[0-9０-９]+℃"
)


def by_convention(text: str, context: str) -> list[Part]:
    """The places a dateline or a weather table prints: a name the gazetteer does not know is
    a city abroad (China's divisions it knows all)."""
    parts = []
    for pattern in (DATELINE, WEATHER_ENTRY):
        for m in pattern.finditer(text):
            printed = m.group(1)
            known = gazetteer.names().get(printed)
            if known:
                place = resolve(known, printed, context)
            else:
                place = gazetteer.cities_abroad().get(printed) or Place(printed, "world_city")
            if place is not None:
                parts.append(Part(m.start(1), m.end(1), place))
    return parts


def division_at(text: str, start: int, end: int, world: bool = False) -> tuple[int, Place | None]:
    """The longest division name printed at `start` (before `end`): its length and the division
    it names without context (a short name: the highest level). With `world`, a country, a
    foreign city or a region too."""
    if start >= len(text) or text[start] not in gazetteer.first_characters():
        return 0, None
    china = gazetteer.divisions()
    others = gazetteer.world() if world else {}
    for size in range(min(end - start, 12), 1, -1):
        name = text[start : start + size]
        if name in china.full:
            return size, china.full[name]
        if name in china.short:
            return size, min(china.short[name], key=lambda p: p.level)
        if name in others:
            return size, others[name]
    return 0, None


def cut(text: str, start: int, end: int) -> list[Part]:
    """The places a span prints, in order: divisions as long as they go, then what is left
    as one name (吉林省长春市九台区 → three divisions; 长春新区 → 长春新区 within 长春市)."""
    parts: list[Part] = []
    tag = lexicon().tags.get(text[start:end], "")
    if tag and not tag.startswith(("ns", "nz", "nr", "nt")) and text[start:end] not in gazetteer.names():
        return parts  # 定海神针, 两岸: an everyday word
    i = start
    while i < end:
        size, division = division_at(text, i, end, world=True)
        if not division:
            break
        rest = text[i + size : end]
        ending = next((e for e in STREET_NAME_ENDINGS if rest.startswith(e)), "")
        if ending and division.level and text[i : i + size] != division.name:
            # 向阳街道, 延安街道: a street named after a division elsewhere, not the division
            parts.append(Part(i, i + size + len(ending), _named(text[i : i + size + len(ending)], None)))
            i += size + len(ending)
            continue
        if rest and rest[0] in WEATHER:
            parts.append(Part(i, i + size, division))  # 卡拉奇晴: a weather report's line
            return parts
        if rest and not _starts_a_name(text, i + size, end):
            if gazetteer.kind_by_ending(text[i:end]) == "other":
                parts.append(Part(i, i + size, division))  # 集安市中心, 新疆北部: the division
                return parts
            # 长春新区, 前郭灌区, 安顺社区: the division's name is part of a longer name.
            parent = division if rest.endswith(ZONE_ENDINGS) else None
            parts.append(Part(i, end, _named(text[i:end], parent)))
            return parts
        parts.append(Part(i, i + size, division))
        i += size
    if i < end:
        parts.append(Part(i, end, _named(text[i:end], None)))
    return parts


def _starts_a_name(text: str, start: int, end: int) -> bool:
    """Whether a division or a whole place name starts here (the rest of 吉林省长春市, 昌邑区延安街道)."""
    size, _ = division_at(text, start, end, world=True)
    if size:
        return True
    rest = text[start:end]
    return len(rest) >= 3 and gazetteer.kind_by_ending(rest) != "other"


def _named(name: str, parent: Place | None) -> Place:
    """A place that is no division: a country, a foreign city, a river, a community …"""
    known = gazetteer.world().get(name) or gazetteer.cities_abroad().get(name)
    if known:
        return known
    kind = gazetteer.kind_by_ending(name)
    place = Place(name, kind)
    return place.within(parent) if parent and kind == LOCAL else place


def resolve(place: Place, printed: str, context: str, in_unit: bool = False) -> Place | None:
    """The division a short name means in this context: a province or a city as such, a
    county in the city the article names, else the one county of that name. None for an
    everyday word (和平, 红旗); the name alone where several counties share it."""
    if place.level not in (1, 2, 3) or printed == place.name:
        return place
    china = gazetteer.divisions()
    candidates = china.short.get(printed, ())
    if not candidates:
        return place
    named_in_full = [p for p in candidates if p.name in context]
    if len(named_in_full) == 1:
        return named_in_full[0]  # 昌邑 where the article prints 昌邑区
    if any(printed + e in context for e in STREET_NAME_ENDINGS):
        return None  # 临江 where the article names 临江街道, 安顺 beside 安顺社区: the street
    upper = [p for p in candidates if p.level <= 2]
    if upper:
        return min(upper, key=lambda p: p.level)
    if lexicon().words.get(printed) == "w":
        return None  # 和平, 红旗: an everyday word
    if in_unit:
        return None  # 公安部, 平桥派出所: a unit's name is no evidence of a county
    for candidate in candidates:
        if any(name in context for name in china.printed.get(candidate.city, (candidate.city,))):
            return candidate
    if len(candidates) == 1:
        return candidates[0]  # the tagger read it as a place, and only one county has that name
    return Place(printed)


def placed(place: Place, last_division: Place | None) -> Place:
    """A street-level place without a division of its own put in the one printed before it."""
    if place.kind != LOCAL or place.province or last_division is None:
        return place
    return place.within(last_division)


# Endings of a street-level place the tagger may not see (水泥社区, 理想家园小区, 卢氏祠村).
STREET_ENDINGS = re.compile(r"街道|社区|小区|嘉园|花园|家园|雅居|新村|镇|乡|村|屯")
# Words before such an ending that name no place (城市社区, 居民小区, 全省村).
GENERIC = set(
    "城市 基层 开放式 物业 无物业 居民 所在 全省 全市 全区 全街 辖区 农村 城乡 乡镇 村镇 镇村 社区 小区 街道 "
    "重点 有关 周边 驻地 共建 结对 兄弟 相关 其他 整个 所有 示范 美丽 文明 和谐 平安 幸福 智慧 红色 绿色 "
    "封控 管控 无疫 老旧 本地 当地 外地 附近 周围 沿街 临街 城区 市区 郊区 新建 独居 困难".split()
)  # fmt: skip
# Characters no street-level name holds: particles, pronouns, adverbs (的封控区创业小区, 域内各小区, 就连社区).
FUNCTION_CHARS = re.compile(r"[的了个各该这那每其此就也都还又才却]|^[在为与和对把被将从向给让是]")
# Parts of speech a place's name is not made of (verbs, adjectives, adverbs, pronouns, numbers …).
NOT_IN_NAMES = ("v", "a", "d", "p", "c", "u", "r", "m", "q", "f", "t", "z", "y", "e", "o", "l", "i")
# Zones printed without their city (高新区日升社区): what follows them is a place too.
ZONES = ("高新区", "经开区", "开发区", "新区")
# Words that lead to a place (在鼓楼街道, 到城南镇, 驻守安康小区).
LEADING = set(
    "在 到 至 赴 从 往 住 回 驻 于 进 入 驻守 下沉 下沉到 进驻 来到 前往 支援 接管 包保 位于 家住 居住".split()
)
PUNCTUATION = set("，。、；：！？（）()“”‘’「」《》 \n·—-")


def street_level(text: str, after_place: set[int], taken: set[int]) -> list[Part]:
    """Street-level places the tagger missed, read from the words before an ending: right after
    another place (昌邑区哈达湾街道水泥社区), any name; after punctuation or a word that leads
    to a place (在鼓楼街道), a name that is no everyday word (泰和社区, not 稳定街道 or 老旧小区)."""
    import jieba

    words = lexicon()
    found: list[Part] = []
    for m in STREET_ENDINGS.finditer(text):
        k, end = m.start(), m.end()
        if taken.intersection(range(k, end)) or not _ends_a_name(text, k, end):
            continue
        window = max(0, k - 8)
        starts, at = [], window
        for word in jieba.lcut(text[window:k], HMM=False):
            starts.append((at, word))
            at += len(word)
        for position, (start, _) in enumerate(starts):  # the longest candidate first
            name = text[start:k]
            if not (2 <= len(name) <= 6) or taken.intersection(range(start, k)) or not _HAN.fullmatch(name):
                continue
            inner = [w for _, w in starts[position:]]
            if name in GENERIC or any(w in GENERIC for w in inner) or STREET_ENDINGS.search(name):
                continue
            if FUNCTION_CHARS.search(name):
                continue
            if name.startswith(ZONES) or division_at(name, 0, len(name))[0] == len(name):
                continue
            if any(len(w) > 1 and words.tags.get(w, "").startswith(NOT_IN_NAMES) for w in inner):
                continue
            before = starts[position - 1][1] if position else text[window - 1 : window]
            strong = start in after_place or text[:start].endswith(ZONES)
            weak = start == 0 or text[start - 1] in PUNCTUATION or before in LEADING
            if strong or (weak and not _everyday(inner)):
                found.append(Part(start, end, Place(name + m.group(), LOCAL)))
                after_place.add(end)
                break
    return found


_HAN = re.compile(r"[\u4e00-\u9fff]+")


def _ends_a_name(text: str, k: int, end: int) -> bool:
    """Whether the ending stands as one (镇 of 苏埠镇), not inside a word (村民, 农村, 返乡, 乡镇)."""
    words = lexicon().words
    if end - k == 1:
        if text[k : k + 2] in words or (k and text[k - 1 : k + 1] in words and words[text[k - 1 : k + 1]] != "ns"):
            return False
    return True


def _everyday(words: list[str]) -> bool:
    """Made of everyday words only (水泥, 居民): no name on its own."""
    tags = lexicon().tags
    return all(w in tags and not tags[w].startswith(("ns", "nr", "nz", "nt")) for w in words)


def plausible_local(name: str) -> bool:
    """Whether a street-level name the tagger found reads as one: not 全面落实社区, 在此期间
    街道 (verbs, phrases, generic words before the ending)."""
    import jieba

    m = STREET_ENDINGS.search(name, 1)
    if not m or m.end() != len(name):
        return True
    stem = name[: m.start()]
    if len(stem) < 2 or stem in GENERIC or STREET_ENDINGS.search(stem) or FUNCTION_CHARS.search(stem):
        return False
    words = jieba.lcut(stem, HMM=False)
    return not any(w in GENERIC or (len(w) > 1 and lexicon().tags.get(w, "").startswith(NOT_IN_NAMES)) for w in words)
