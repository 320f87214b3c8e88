"""The recall guarantee: search finds every article whose text contains the query.

Compared with a plain substring scan of every article, for every person name,
every place name and a sample of random substrings of the real sources.
"""

import json
import random
from pathlib import Path

import jieba.posseg
import pytest

from articles.models import Article, Person
from search import engine
from search import query as q
from search.analysis import normalize

pytestmark = pytest.mark.django_db

# Places printed in the sources (besides what jieba tags as places): districts, towns, compounds.
PLACES = [
    "九台", "梅河口", "鸿博嘉园", "长春", "吉林", "通化", "白山", "四平", "辽源", "集安", "农安县",
    "哈拉海镇", "程家窝堡村", "金安区", "裕安区", "六安", "苏埠镇", "城南镇", "卢氏祠村", "丽景苑",
    "船营区", "昌邑区", "丰满区", "龙潭区", "泰山街道", "白城市", "洮北区", "镇赉县", "宽城区",
    "东局子街道", "延安街道", "莲花街道", "红旗街道", "新地号街道", "玫瑰园小区", "东昌区", "前郭灌区",
    "松花江", "阜城", "陡步河社区", "安康小区", "创业小区", "哈达湾", "湘潭街道", "德胜街道",
]  # fmt: skip
RANDOM_SUBSTRINGS = 400
QUERY_SYNTAX = set('"“”「」')


def scan(pieces_by_key, text):
    """The plain substring scan: articles with the (normalized) query inside one of their pieces."""
    needle = normalize(text)
    return {key for key, pieces in pieces_by_key.items() if any(needle in piece for piece in pieces)}


def printed_pieces(article):
    """What a reader sees of an article, read straight from the database (not via the index code)."""
    pieces = [article.column, article.kicker, article.title, article.subtitle, article.original_title]
    pieces += [b.person.name for b in article.bylines.all()]
    pieces += [article.subject_title + (article.subject.name if article.subject else "")]
    for section in article.sections.all():
        pieces += [section.heading] + [p.text for p in section.paragraphs.all()]
    pieces += [c.text for c in article.captions.all()]
    return [normalize(p) for p in pieces if p]


@pytest.fixture
def pieces_by_key(search_index):
    return {a.key: printed_pieces(a) for a in Article.objects.for_search()}


def sample_queries(pieces_by_key):
    rng = random.Random(20221)
    texts = [p for pieces in pieces_by_key.values() for p in pieces]
    persons = sorted(set(Person.objects.values_list("name", flat=True)))
    tagged_places = sorted({w for t in texts for w, flag in jieba.posseg.cut(t) if flag == "ns" and len(w) >= 2})
    queries = [("person", n) for n in persons] + [("place", p) for p in sorted(set(PLACES) | set(tagged_places))]
    while len(queries) < len(persons) + len(PLACES) + RANDOM_SUBSTRINGS:
        text = rng.choice(texts)
        size = rng.randint(2, 4)
        if len(text) > size:
            start = rng.randrange(len(text) - size)
            candidate = text[start : start + size]
            # Quote marks and a leading minus are query syntax, not text to find.
            if candidate.strip() == candidate and not QUERY_SYNTAX & set(candidate) and not candidate.startswith("-"):
                queries.append(("random", candidate))
    return queries


def test_search_finds_exactly_what_a_substring_scan_finds(pieces_by_key, tmp_path):
    totals = {"queries": 0, "expected": 0, "found": 0, "returned": 0}
    misses = []
    for kind, text in sample_queries(pieces_by_key):
        expected = scan(pieces_by_key, text)
        parsed = q.parse(f'"{text}"' if " " in text or text in ("OR",) else text)
        returned = set(engine.matching_keys(parsed))
        totals["queries"] += 1
        totals["expected"] += len(expected)
        totals["found"] += len(expected & returned)
        totals["returned"] += len(returned)
        if expected - returned:
            misses.append((kind, text, sorted(expected - returned)))
    recall = totals["found"] / totals["expected"]
    precision = totals["found"] / totals["returned"]
    report = {**totals, "recall": recall, "precision": precision, "misses": misses[:20]}
    out = Path("test-artifacts")
    out.mkdir(exist_ok=True)
    (out / "recall.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nrecall check: {totals['queries']} queries, recall {recall:.4f}, precision {precision:.4f}")
    assert misses == []
    assert recall == 1.0
    assert precision >= 0.9


def test_names_jieba_does_not_know_and_words_inside_words(archive):
    for name, expected in [("张恩惠", 2), ("河口", 3), ("梅河口", 3), ("王鑫", 1), ("鸿博嘉园", 1)]:
        assert len(engine.matching_keys(q.parse(name))) == expected, name


def test_words_across_an_ocr_space_are_found(archive):
    # The magazine prints 泰 山街道 with an OCR space inside the name.
    keys = engine.matching_keys(q.parse("泰山街道"))
    article = Article.objects.get(key__in=keys, title="坚决打赢疫情防控歼灭战")
    assert any("泰 山" in p.raw for s in article.sections.all() for p in s.paragraphs.all())


def test_digits_and_latin_letters_are_searchable(archive):
    assert len(engine.matching_keys(q.parse("3月17日"))) == 3
    assert len(engine.matching_keys(q.parse("12315"))) == 1
    assert len(engine.matching_keys(q.parse("zzbyjyjl"))) == 0  # masthead text is not an article


def test_traditional_characters_find_simplified_text(archive):
    assert engine.matching_keys(q.parse("張恩惠")) == engine.matching_keys(q.parse("张恩惠"))
    assert len(engine.matching_keys(q.parse("鴻博嘉園"))) == 1
