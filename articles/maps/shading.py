"""What a page's map shows: provinces shaded by their articles, the archive's places as dots,
a place's locator. Drawn over the static outlines of articles.maps.boundaries."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import ngettext

from articles.pinyin import pinyin_key

from .finders import drawn_maps

SHADES = 5  # classes of the shading, besides "no article"


@lru_cache(maxsize=1)
def gazetteer() -> dict:
    """The drawn maps' size, each division's code and centre, each province's viewBox."""
    return json.loads((drawn_maps() / "maps" / "places.json").read_text(encoding="utf-8"))


def division(province: str, city: str = "", county: str = "") -> dict | None:
    """{code, at} of the most precise division known: the county, else the city, else the province."""
    divisions = gazetteer()["divisions"]
    for key in (f"{province}|{city}|{county}" if county else None, f"{province}|{city}" if city else None, province):
        if key and key in divisions:
            return divisions[key]
    return None


def position_of(place) -> tuple[float, float] | None:
    """Where a Chinese place is drawn: its own division's centre, else that of the division it is in."""
    county = place.county or (place.name if place.kind == "county" else "")
    city = place.city or (place.name if place.kind == "city" else "")
    found = division(place.province, city, county) if place.province else None
    return tuple(found["at"]) if found else None


@lru_cache(maxsize=1)
def province_codes() -> list[str]:
    return sorted(found["code"] for name, found in gazetteer()["divisions"].items() if "|" not in name)


@lru_cache(maxsize=64)
def city_codes(province: str) -> list[str]:
    """The codes of a province's cities (its map's outlines)."""
    prefix = province + "|"
    return sorted(
        found["code"]
        for name, found in gazetteer()["divisions"].items()
        if name.startswith(prefix) and name.count("|") == 1
    )


def pinyin_of(division: str) -> str:
    """A province's or city's name in pinyin (the place index's order), from the drawn maps."""
    known = gazetteer()["pinyin"].get(division)
    return known if known is not None else pinyin_key(division)  # unknown to the maps: imports pypinyin


def province_code(province: str) -> str | None:
    found = gazetteer()["divisions"].get(province)
    return found["code"] if found else None


def thresholds(values: list[int]) -> list[int]:
    """The lowest count of each shade: quantiles of the counts above zero, without repeats."""
    ordered = sorted(v for v in values if v > 0)
    if not ordered:
        return []
    cuts = [ordered[min(len(ordered) - 1, len(ordered) * i // SHADES)] for i in range(SHADES)]
    return sorted(set(cuts))


def shade(n: int, cuts: list[int]) -> int:
    """0 for no article, else 1 … len(cuts) (the darkest for the most)."""
    return sum(1 for cut in cuts if n >= cut) if n else 0


def label(name: str, n: int) -> str:
    """What a screen reader says of a province or a dot (吉林省：12篇文章), made here rather than
    in the template: a province's map has hundreds of dots."""
    return ngettext("%(name)s: %(counter)s article", "%(name)s: %(counter)s articles", n) % {"name": name, "counter": n}


@dataclass(frozen=True)
class ShadedProvince:
    name: str
    code: str
    n: int
    shade: int

    @property
    def label(self) -> str:
        return label(self.name, self.n)


@dataclass(frozen=True)
class Dot:
    name: str
    url: str
    n: int
    x: float
    y: float
    label: str


def shaded_provinces(counts: dict[str, int]) -> tuple[list[ShadedProvince], list[tuple[int, int]]]:
    """Every province of the map with its count and shade, and the legend as (shade, from count)."""
    divisions = gazetteer()["divisions"]
    provinces = [(name, found["code"]) for name, found in divisions.items() if "|" not in name]
    cuts = thresholds(list(counts.values()))
    shaded = [
        ShadedProvince(name, code, counts.get(name, 0), shade(counts.get(name, 0), cuts)) for name, code in provinces
    ]
    return sorted(shaded, key=lambda p: p.code), list(enumerate(cuts, start=1))


def national_view() -> str:
    found = gazetteer()
    return f"0 0 {found['width']:g} {found['height']:g}"


def dot_radius(code: str | None) -> float:
    """A dot's radius in the viewBox's units: the same size on the page for any map."""
    width = gazetteer()["views"][code][2] if code else gazetteer()["width"]
    return round(width / 120, 2)


def province_view(code: str) -> str:
    return " ".join(f"{v:g}" for v in gazetteer()["views"][code])
