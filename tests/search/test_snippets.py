"""Snippets of changed text: a module of its own, because the test rebuilds the search index."""

import json

import pytest

from articles.models import Article

pytestmark = pytest.mark.django_db


def api(client, **params):
    response = client.get("/api/search", params)
    return response.status_code, json.loads(response.content)


def test_snippets_escape_article_text_and_mark_the_match(client, search_index):
    article = Article.objects.get(title="边境线上“戍边人”")
    paragraph = article.sections.first().paragraphs.first()
    paragraph.text = "北京 <img src=x onerror=alert(1)> 王鑫"
    paragraph.save()
    from search.index.writing import build_index

    build_index()
    status, data = api(client, q="王鑫")
    snippet = data["results"][0]["snippet"]
    assert "<img" not in snippet
    assert "&lt;img src=x onerror=alert(1)&gt;" in snippet
    assert "<mark>王鑫</mark>" in snippet
    page = client.get("/search/", {"q": "王鑫"}).content.decode()
    assert "<img src=x" not in page and "<mark>王鑫</mark>" in page
