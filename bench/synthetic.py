"""A synthetic archive of N articles made from the real sources, the same for the same seed.

Articles are newspaper pages in the markdown form of the real pages (`# 标题`,
`## ——副题`, `本报记者 某某`, `### 小标题`, paragraphs), about 1,500 characters
each, built from the real sources' paragraphs. Persons and places follow a long
tail: generated names and the gazetteer's counties and cities are drawn from a
Zipf distribution, so most occur in one to three articles and a few in hundreds.
No Django here.
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass
from pathlib import Path

from articles import parsing
from articles.recognition.gazetteer import divisions
from articles.recognition.names import SURNAMES

ARTICLES_PER_PAGE = 25  # one day's paper in one file
TARGET_CHARS = 1500
GIVEN_NAME_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏辉建峰玲凤文晨宇浩然欣怡佳琪思雨梓涵子轩博文"
    "浩宇俊杰诗雨可馨晓东海波志国立新春梅秋菊冬雪金凤永胜德福庆丰振兴宏亮家豪雅婷慧琳嘉怡天佑承泽铭远"
)
# Sentences that put a person or a place into the running text the way the real articles do.
PERSON_FRAMES = ("村党支部书记{}说：", "社区网格员{}介绍，", "志愿者{}告诉记者，", "{}是一名基层干部，", "居民{}说，")
PLACE_FRAMES = ("在{}，", "记者来到{}，", "{}的防控工作有序推进，", "近日，{}组织开展了专项行动，")


@dataclass(frozen=True)
class Pools:
    paragraphs: tuple[str, ...]
    titles: tuple[str, ...]
    headings: tuple[str, ...]


def real_pools(sources_dir: Path) -> Pools:
    """Paragraphs, titles and headings of the real sources, as the parser reads them."""
    paragraphs, titles, headings = [], [], []
    for path in sorted(sources_dir.glob("*.txt")):
        for article in parsing.parse_source(path.read_text(encoding="utf-8")).articles:
            if article.title and 4 <= len(article.title.text) <= 30:
                titles.append(article.title.text)
            for section in article.sections:
                if section.heading and 4 <= len(section.heading.text) <= 20:
                    headings.append(section.heading.text)
                paragraphs += [p.text for p in section.paragraphs if 40 <= len(p.text) <= 600]
    return Pools(tuple(dict.fromkeys(paragraphs)), tuple(dict.fromkeys(titles)), tuple(dict.fromkeys(headings)))


class Zipf:
    """Draw items by rank r with weight 1 / r**s: a long tail."""

    def __init__(self, items: list[str], s: float, rng: random.Random):
        self.items, self.rng = items, rng
        self.cumulative = list(itertools.accumulate(1 / (r**s) for r in range(1, len(items) + 1)))

    def draw(self) -> str:
        x = self.rng.random() * self.cumulative[-1]
        return self.items[min(bisect.bisect_left(self.cumulative, x), len(self.items) - 1)]


def generated_names(count: int, rng: random.Random) -> list[str]:
    """Distinct Chinese names: a common surname and one or two given-name characters."""
    surnames = sorted(SURNAMES)
    names: dict[str, None] = {}
    while len(names) < count:
        given = "".join(rng.choice(GIVEN_NAME_CHARS) for _ in range(rng.choice((1, 2, 2, 2))))
        names[rng.choice(surnames) + given] = None
    return list(names)


def gazetteer_places(rng: random.Random) -> list[str]:
    """Every city and county of the gazetteer, shuffled (the rank decides how often it occurs)."""
    names = sorted(name for name, place in divisions().full.items() if place.level >= 2 and len(name) >= 3)
    rng.shuffle(names)
    return names


@dataclass
class Archive:
    files: dict[str, str]  # file name -> text
    persons: list[str]
    places: list[str]
    characters: int


def generate(n_articles: int, seed: int, pools: Pools) -> Archive:
    rng = random.Random(seed)
    persons = generated_names(max(50, n_articles), rng)
    places = gazetteer_places(rng)
    draw_person = Zipf(persons, 1.05, rng)
    draw_place = Zipf(places, 1.0, rng)
    files: dict[str, str] = {}
    characters = 0
    for page_number in range(-(-n_articles // ARTICLES_PER_PAGE)):
        count = min(ARTICLES_PER_PAGE, n_articles - page_number * ARTICLES_PER_PAGE)
        articles = [_article(rng, pools, draw_person, draw_place) for _ in range(count)]
        text = "\n\n".join(articles) + "\n"
        characters += sum(1 for ch in text if not ch.isspace())
        files[f"synthetic_{seed}_{page_number:06d}.txt"] = text
    return Archive(files, persons, places, characters)


def _article(rng: random.Random, pools: Pools, draw_person: Zipf, draw_place: Zipf) -> str:
    place = draw_place.draw()
    lines = [f"# {place}：{rng.choice(pools.titles)}"]
    if rng.random() < 0.3:
        lines.append(f"## ——{rng.choice(pools.titles)}")
    reporters = " ".join(draw_person.draw() for _ in range(rng.choice((1, 1, 2))))
    lines.append(f"本报记者 {reporters}")
    length = 0
    while length < TARGET_CHARS:
        if length and rng.random() < 0.15:
            lines.append(f"### {rng.choice(pools.headings)}")
        paragraph = rng.choice(pools.paragraphs)
        roll = rng.random()
        if roll < 0.35:
            paragraph = rng.choice(PERSON_FRAMES).format(draw_person.draw()) + paragraph
        elif roll < 0.6:
            paragraph = rng.choice(PLACE_FRAMES).format(draw_place.draw()) + paragraph
        lines.append(paragraph)
        length += len(paragraph)
    return "\n\n".join(lines)


def write(archive: Archive, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in archive.files.items():
        (folder / name).write_text(text, encoding="utf-8")
