"""Substring matches exactly the documents Whoosh's Phrase over the same bigrams matches."""

import random

import pytest
from haystack import connections
from whoosh import query as wq

from articles.models import Article
from search.analysis import normalize, query_bigrams
from search.whoosh_format import substring
from search.whoosh_format.substring import Character, Substring
from tests.conftest import SOURCE_NAMES, source_text

pytestmark = pytest.mark.django_db(transaction=True)


def runs_of_real_text(count: int, seed: int = 5) -> list[str]:
    """Runs of 2 to 8 characters cut anywhere in the real sources, and a few made-up ones."""
    rng = random.Random(seed)
    text = normalize("".join(source_text(name) for name in SOURCE_NAMES))
    runs = []
    while len(runs) < count:
        start = rng.randrange(len(text) - 8)
        runs.append(text[start : start + rng.randint(2, 8)])
    return runs + ["哈哈哈", "社区社区", "吉林日报记者", "不存在的词语", "党委党委党委"]


def same_as_phrase(searcher, fieldname: str, term: str) -> None:
    grams = query_bigrams(term)
    if len(grams) < 2 or len(grams[0]) < 2:
        return
    expected = set(wq.Phrase(fieldname, grams, slop=1).docs(searcher))
    assert set(Substring(fieldname, grams).docs(searcher)) == expected, term


def test_the_same_documents_as_a_phrase_on_the_real_sources(search_index):
    backend = connections["default"].get_backend()
    with backend.searcher() as searcher:
        for term in runs_of_real_text(400):
            for fieldname in ("ngrams", "title_ngrams", "byline_ngrams"):
                same_as_phrase(searcher, fieldname, term)


def test_the_same_documents_with_deleted_ones_and_several_segments(search_index):
    for article in Article.objects.order_by("pk")[::3]:
        article.delete()  # the index drops them after each commit: segments with deletions
    article = Article.objects.order_by("pk").last()
    article.kicker = "哈哈哈"
    article.save()  # written again in a new segment
    backend = connections["default"].get_backend()
    with backend.searcher() as searcher:
        assert searcher.doc_count() == Article.objects.count()
        assert searcher.reader().has_deletions() and not searcher.is_atomic()
        for term in runs_of_real_text(300, seed=9):
            same_as_phrase(searcher, "ngrams", term)


@pytest.mark.parametrize("companion", [True, False], ids=["with the characters field", "by bigram prefixes"])
def test_one_character_finds_the_same_documents_as_a_prefix(search_index, monkeypatch, companion):
    if not companion:
        monkeypatch.setattr(substring, "CHARACTER_FIELDS", {})
    text = normalize("".join(source_text(name) for name in SOURCE_NAMES))
    characters = sorted({ch for ch in text if not ch.isspace()})
    backend = connections["default"].get_backend()
    with backend.searcher() as searcher:
        for char in random.Random(3).sample(characters, 150) + ["的", "。", "鑫", "龘"]:
            for fieldname in ("ngrams", "title_ngrams", "byline_ngrams"):
                expected = set(wq.Prefix(fieldname, char).docs(searcher))
                assert set(Character(fieldname, char).docs(searcher)) == expected, (fieldname, char)
