"""Ranking a reader expects: headline and byline matches first; date order on request."""

import numpy as np
import pytest

from articles.models import Article
from search import engine
from search import query as q

pytestmark = pytest.mark.django_db


def ranked(text, **options):
    keys = engine.matching_keys(q.parse(text), **options)
    by_key = Article.objects.for_search().in_bulk(keys, field_name="key")
    return [by_key[k] for k in keys]


def test_headline_matches_come_before_body_matches(archive):
    articles = ranked("担当")
    in_headline = ["担当" in f"{a.title}{a.subtitle}{a.kicker}" for a in articles]
    assert in_headline.count(True) >= 5
    assert in_headline == sorted(in_headline, reverse=True)  # every headline match before any other


def test_byline_matches_come_before_body_matches(archive):
    articles = ranked("李抑婧")
    bylined = [any(b.person.name == "李抑婧" for b in a.bylines.all()) for a in articles]
    assert bylined[0] and bylined == sorted(bylined, reverse=True)


def test_sorting_by_date(archive):
    page = engine.run(q.parse("疫情"), sort="newest")
    dates = [r.article.date or r.article.source.date_start for r in page.results]
    known = [d for d in dates if d]
    assert known == sorted(known, reverse=True)
    oldest = engine.run(q.parse("疫情"), sort="oldest")
    assert [r.article.key for r in oldest.results] != [r.article.key for r in page.results]


def test_all_terms_required_and_exclusions_and_or(archive):
    both = set(engine.matching_keys(q.parse("张恩惠 九台")))
    assert both == set(engine.matching_keys(q.parse("张恩惠"))) & set(engine.matching_keys(q.parse("九台")))
    either = set(engine.matching_keys(q.parse("王鑫 OR 鸿博嘉园")))
    assert len(either) == 2
    assert engine.matching_keys(q.parse("王鑫 -通化")) == []
    phrase = engine.matching_keys(q.parse('"彰显担当作为 凝聚组织力量"'))
    assert len(phrase) == 2


RANKED_QUERIES = ["疫情", "张恩惠", "长春市", "的", "社区党委书记", "九台 疫情", "張恩惠 OR 王鑫"]


def same_scores_as_whoosh() -> int:
    """ranking's scores are Whoosh's scores of an Or of the same terms, for every tier document."""
    from haystack import connections
    from whoosh import query as wq

    from search.whoosh_format import ranking

    compared = 0
    with connections["default"].get_backend().searcher() as searcher:
        for text in RANKED_QUERIES:
            parsed = q.parse(text)
            terms = q.ranking_terms(parsed)
            tier = set(q.required_query(parsed).docs(searcher))
            either = wq.Or([wq.Term(fieldname, term) for fieldname, term in terms])
            whoosh = {hit.docnum: hit.score for hit in searcher.search(either, filter=tier, limit=None)}
            ours = ranking.scores_of(searcher, terms, tier)
            assert ours.keys() == whoosh.keys(), text
            assert all(ours[d] == pytest.approx(whoosh[d], rel=1e-9) for d in ours), text
            order = sorted(tier, key=lambda d: (-ours.get(d, 0.0), d))
            assert ranking.best(searcher, terms, np.array(sorted(tier)), 7) == order[:7]
            compared += len(ours)
    return compared


def test_tier_scores_are_whooshs_bm25f_of_the_query_terms(archive):
    assert same_scores_as_whoosh() > 50


def test_after_warming_up_a_search_reads_no_field_lengths_from_the_index(archive, monkeypatch):
    """gunicorn's master warms up before forking: its workers' first searches find the lengths kept."""
    from haystack import connections

    from search.whoosh_format import postings

    postings.clear()
    engine.warm_up()
    expected = engine.run(q.parse("长春 张恩惠"))
    postings.clear()
    engine.warm_up()
    backend = connections["default"].get_backend()
    monkeypatch.setattr(backend, "_pid", -1)  # as in a forked worker: it opens the index again
    monkeypatch.setattr(postings, "field_lengths", lambda *args: pytest.fail("read the field lengths again"))
    found = engine.run(q.parse("长春 张恩惠"))
    assert found.total == expected.total > 0
    assert [r.article.pk for r in found.results] == [r.article.pk for r in expected.results]
