"""Pages do a fixed number of queries: a module of its own, because it loads more and rebuilds the index."""

import io
import shutil

import pytest
from django.core.management import call_command

from articles.models import Article, Source
from tests.conftest import SOURCES_DIR

pytestmark = pytest.mark.django_db


def html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


PAGES = [
    "/places/", "/places/?province=吉林省", "/places/九台区/", "/places/中国/",
    "/", "/publications/", "/publications/研究与交流/", "/dates/", "/dates/2022/", "/dates/2022/5/",
    "/persons/", "/persons/李抑婧/", "/search/?q=担当",
]  # fmt: skip


def query_counts(client, django_assert_max_num_queries, urls):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        counts[url] = len(captured)
    return counts


def test_pages_do_a_fixed_number_of_queries_whatever_the_size(
    client, loaded_archive, tmp_path, django_assert_max_num_queries
):
    article = Article.objects.get(subject__name="刘颖")
    magazine = Source.objects.get(kind="magazine")
    urls = [*PAGES, article.get_absolute_url(), magazine.get_absolute_url(), f"/api/articles/{article.key}"]
    small = query_counts(client, django_assert_max_num_queries, urls)
    for copy in range(3):  # the archive grows: three more copies of every source
        for path in SOURCES_DIR.glob("*.txt"):
            shutil.copy(path, tmp_path / f"copy{copy}_{path.name}")
    call_command("load_sources", str(tmp_path), stdout=io.StringIO())  # and indexes them
    large = query_counts(client, django_assert_max_num_queries, urls)
    assert Article.objects.count() == 4 * 40
    assert large == small
    # The search page is the most: its results' text, bylines and captions (why each matched)
    # and the reader's names of the sources in its facet.
    assert max(small.values()) <= 13, small
