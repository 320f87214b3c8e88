"""The real sources as one load stores them: every character kept, every article's texts read
back as parsed, and a second load changing nothing. These tests only read the module's shared
archive (tests that load other files are in test_loading)."""

import io

import pytest
from django.core.management import call_command

from articles import parsing, recognizing, syncing
from articles.models import Article, Source
from articles.parsing import uncovered_characters
from articles.source_text import source_spans
from tests.conftest import SOURCE_NAMES, SOURCES_DIR

pytestmark = pytest.mark.django_db


def test_loads_every_source(archive):
    assert Source.objects.count() == len(SOURCE_NAMES)
    counts = {s.name[:3]: s.articles.count() for s in Source.objects.all()}
    assert counts == {"000": 6, "001": 1, "002": 6, "003": 2, "004": 25}


@pytest.mark.parametrize("name", SOURCE_NAMES)
def test_stored_pieces_rebuild_the_source(archive, name):
    source = Source.objects.get(name=name)
    text = (SOURCES_DIR / name).read_text(encoding="utf-8")
    assert source.text == text
    missing, twice = uncovered_characters(source.text, source_spans(source))
    assert (missing, twice) == ([], [])


def test_loading_again_changes_nothing(archive):
    from tests.articles.test_loading import row_counts

    before = row_counts()
    keys = list(Article.objects.values_list("pk", "key"))
    out = io.StringIO()
    call_command("load_sources", str(SOURCES_DIR), stdout=out)
    assert out.getvalue().count("unchanged") == len(SOURCE_NAMES)
    assert row_counts() == before
    assert list(Article.objects.values_list("pk", "key")) == keys


def test_a_new_articles_texts_as_parsed_are_its_texts_as_stored(archive):
    """The recognizer reads an article's texts back from the database as the parser read them."""
    compared = 0
    for source in Source.objects.all():
        parsed = parsing.parse_source(source.text)
        keys = syncing.article_keys(source.name, parsed.articles)
        stored = {a.key: a for a in source.articles.prefetch_related("sections__paragraphs", "captions")}
        for key, article in zip(keys, parsed.articles, strict=True):
            assert article.mention_texts() == recognizing.article_texts([stored[key].pk])[0]
            compared += 1
    assert compared == Article.objects.count() == 40
