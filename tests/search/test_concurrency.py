"""Readers in other processes keep searching while this one writes and swaps the index."""

import multiprocessing
import time

import pytest

from articles.models import Article
from search import engine
from search import query as q
from search.index.writing import build_index


def _reader(stop_at: float, expected: int, queue) -> None:
    """Search again and again, as a gunicorn worker would, counting errors and wrong answers."""
    searches = errors = wrong = 0
    first_error = ""
    parsed = q.parse("担当")
    while time.monotonic() < stop_at:
        try:
            if len(engine.matching_keys(parsed)) != expected:
                wrong += 1
        except Exception as exc:  # noqa: BLE001 (every failure counts)
            errors += 1
            first_error = first_error or repr(exc)
        searches += 1
    queue.put((searches, errors, wrong, first_error))


@pytest.mark.django_db(transaction=True)
def test_searches_in_other_processes_never_fail_during_writes_and_a_swap(search_index):
    expected = len(engine.matching_keys(q.parse("担当")))
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    stop_at = time.monotonic() + 8
    readers = [context.Process(target=_reader, args=(stop_at, expected, queue)) for _ in range(2)]
    for reader in readers:
        reader.start()
    articles = list(Article.objects.exclude(title__contains="担当").filter(title__gt="")[:10])
    for round_ in range(3):
        for article in articles:
            article.kicker = f"第{round_}轮更正"
            article.save()  # indexed after commit, by this process
        build_index()
    for reader in readers:
        reader.join(timeout=30)
        assert reader.exitcode == 0
    outcomes = [queue.get(timeout=5) for _ in readers]
    print(f"\nreaders (searches, errors, wrong answers, first error): {outcomes}")
    assert all(errors == 0 and wrong == 0 for _, errors, wrong, _ in outcomes), outcomes
    assert all(searches > 20 for searches, *_ in outcomes)
    assert len(engine.matching_keys(q.parse("第2轮更正"))) == len(articles)
