"""The index follows the data: corrections are searchable at once, rollbacks never reach it."""

import pytest
from django.db import transaction

from articles.models import Article
from search import engine
from search import query as q
from tests.admin_forms import post_admin_change


def found(text):
    return engine.matching_keys(q.parse(text))


@pytest.mark.django_db(transaction=True)
def test_an_admin_correction_is_found_by_search_at_once(client, search_index, admin_user):
    article = Article.objects.get(title="边境线上“戍边人”")
    assert found("戍边卫士") == []
    client.force_login(admin_user)
    response = post_admin_change(client, f"/admin/articles/article/{article.pk}/change/", title="边境线上的戍边卫士")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert found("戍边卫士") == [article.key]
    assert found("边境线上“戍边人”") == []


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_save_never_reaches_the_index(search_index):
    article = Article.objects.get(title="边境线上“戍边人”")
    with pytest.raises(RuntimeError), transaction.atomic():
        article.title = "从未保存的标题"
        article.save()
        raise RuntimeError("the save fails after the row was written")
    assert found("从未保存的标题") == []
    assert found("戍边人") == [article.key]


@pytest.mark.django_db(transaction=True)
def test_deleting_an_article_removes_it_from_search(search_index):
    article = Article.objects.get(title="边境线上“戍边人”")
    article.delete()
    assert found("王鑫") == []


@pytest.mark.django_db(transaction=True)
def test_rebuild_swaps_in_a_complete_index_and_keeps_changes_made_meanwhile(search_index, monkeypatch):
    from search.index import writing as indexing

    article = Article.objects.get(title="边境线上“戍边人”")
    real_live_target = indexing.live_target

    def change_after_build(link):
        # A staff correction committed after the new index was written, before it is swapped in:
        # it lands in the old index, and must be replayed into the new one.
        article.title = "构建期间改过的标题"
        article.save()
        return real_live_target(link)

    monkeypatch.setattr(indexing, "live_target", change_after_build)
    count = indexing.build_index()
    assert count == Article.objects.count()
    assert found("构建期间改过的标题") == [article.key]
    assert len(found("担当")) > 10  # the rest of the archive is there too


@pytest.mark.django_db(transaction=True)
def test_a_busy_index_delays_an_update_but_never_loses_it(search_index, monkeypatch):
    from haystack import connections

    engine = connections["default"].get_backend()
    monkeypatch.setattr(engine, "lock_timeout", 0.2)
    article = Article.objects.get(title="边境线上“戍边人”")
    engine._follow_swaps()
    holder = engine.index.writer()  # another process's writer, as far as the lock is concerned
    try:
        article.title = "锁住时保存的标题"
        article.save()  # the save succeeds although the index is busy
    finally:
        holder.cancel()
    assert found("锁住时保存的标题") == []
    Article.objects.get(title="我省首获大禹水利科技进步一等奖").save()  # the next write takes the pending one along
    assert found("锁住时保存的标题") == [article.key]


@pytest.mark.django_db(transaction=True)
def test_load_sources_indexes_at_its_end_or_leaves_it_to_build_index():
    import io

    from django.core.management import call_command

    from search.index.writing import build_index, indexed_count, queued_ids
    from tests.conftest import SOURCES_DIR

    build_index()  # an empty live index
    call_command("load_sources", str(SOURCES_DIR), "--no-index", stdout=io.StringIO())
    assert indexed_count() == 0 and engine.run(q.parse("张恩惠")).total == 0
    assert queued_ids() == set(Article.objects.values_list("pk", flat=True))  # waiting in the queue
    build_index()  # covers the queue along with everything else
    assert indexed_count() == Article.objects.count() and engine.run(q.parse("张恩惠")).total > 0
    assert queued_ids() == set()

    article = Article.objects.get(title="我省首获大禹水利科技进步一等奖")
    source = article.source
    path = SOURCES_DIR / source.name
    Article.objects.filter(source=source).delete()  # (its deletions reach the index at once)
    source.delete()
    call_command("load_sources", str(path), stdout=io.StringIO())  # a small load: indexed at its end
    assert indexed_count() == Article.objects.count() and queued_ids() == set()
    assert engine.run(q.parse("大禹水利科技进步一等奖")).total == 1


@pytest.mark.django_db(transaction=True)
def test_a_change_is_queued_in_its_own_transaction_and_a_kill_before_indexing_loses_nothing(search_index, monkeypatch):
    """A process killed after its commit, before it wrote the index: the next indexing takes it."""
    from search.index import writing as indexing
    from search.models import QueuedArticle

    article = Article.objects.get(title="边境线上“戍边人”")
    monkeypatch.setattr(indexing, "index_queued", lambda: 0)  # the process dies before indexing
    with transaction.atomic():
        article.title = "提交后未及索引的标题"
        article.save()
        assert QueuedArticle.objects.filter(article_id=article.pk).count() == 1  # queued with the change
    assert found("提交后未及索引的标题") == []
    monkeypatch.undo()
    indexing.index_queued()  # the next process's indexing (any save, a load, build_index)
    assert found("提交后未及索引的标题") == [article.key] and indexing.queued_ids() == set()
    with pytest.raises(RuntimeError), transaction.atomic():
        article.title = "回滚的标题"
        article.save()
        raise RuntimeError("rolled back")
    assert not QueuedArticle.objects.exists()  # the rollback took its queue row with it


@pytest.mark.django_db(transaction=True)
def test_a_build_covers_what_was_queued_before_it_and_applies_what_came_during_it(search_index, monkeypatch):
    from search.index import writing as indexing
    from search.models import QueuedArticle

    first = Article.objects.get(title="边境线上“戍边人”")
    monkeypatch.setattr(indexing, "index_queued", lambda: 0)
    Article.objects.filter(pk=first.pk).update(title="构建之前改过的标题")
    QueuedArticle.objects.create(article_id=first.pk)  # queued, not yet indexed
    monkeypatch.undo()
    second = Article.objects.get(title="我省首获大禹水利科技进步一等奖")
    real_live_target = indexing.live_target

    def change_during_build(link):
        second.title = "构建期间改过的标题"
        second.save()  # written to the old index; stays queued for the new one
        assert indexing.queued_ids() >= {second.pk}
        return real_live_target(link)

    monkeypatch.setattr(indexing, "live_target", change_during_build)
    indexing.build_index()
    assert found("构建之前改过的标题") == [first.key] and found("构建期间改过的标题") == [second.key]
    assert indexing.queued_ids() == set()
    assert indexing.index_folders() <= 2  # the live index and the one it replaced, no more
