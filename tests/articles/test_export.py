"""export_articles: the archive's JSON Lines export."""

import io
import json

import pytest
from django.core.management import call_command

from articles.models import Article, Source

pytestmark = pytest.mark.django_db

FIELDS = {
    "source", "position", "id", "url", "title", "subtitle", "kicker", "column", "page", "date",
    "publication", "subject", "bylines", "sections", "captions",
}  # fmt: skip


@pytest.fixture
def exported(archive):
    """The module's shared archive exported (no test here changes the index)."""
    out = io.StringIO()
    call_command("export_articles", stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_one_object_per_article_in_source_order(exported):
    assert len(exported) == Article.objects.count() == 40
    order = [(r["source"], r["position"]) for r in exported]
    assert order == sorted(order)
    assert all(FIELDS <= set(r) for r in exported)
    assert len({r["id"] for r in exported}) == 40


def test_records_carry_what_a_reader_sees(exported):
    web = next(r for r in exported if r["source"].startswith("001"))
    assert web["date"] == "2020-02-25"
    assert web["bylines"] == [{"name": "李抑嫱", "role": "记者"}, {"name": "张瑨瑄", "role": "责任编辑"}]
    assert web["url"] == f"/articles/{web['id']}/"
    profile = next(r for r in exported if r["subject"] == "刘颖")
    assert (profile["page"], profile["column"], profile["date"]) == (18, "带头出征勇担当", "2022-05")
    assert profile["publication"] == "研究与交流"
    assert profile["sections"][1]["heading"].startswith("一、作模范")
    photo = next(r for r in exported if r["source"].startswith("000") and r["title"] == "")
    assert photo["bylines"] == [{"name": "张硕", "role": "摄影"}, {"name": "张野", "role": "摄影"}]
    assert photo["captions"][0]["credits"] == photo["bylines"]
    assert photo["sections"] == []


def test_ids_survive_a_fresh_reload(exported):
    Source.objects.all().delete()
    call_command("load_sources", "--no-index", stdout=io.StringIO())  # rolled back after the test
    out = io.StringIO()
    call_command("export_articles", stdout=out)
    again = [json.loads(line)["id"] for line in out.getvalue().splitlines()]
    assert again == [r["id"] for r in exported]
