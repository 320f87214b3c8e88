"""Queue every change the search index must follow, in the transaction that makes it.

A save or delete of an article or of anything shown in it (sections, paragraphs, captions,
bylines, persons, sources) and a recognition run (`mentions_changed`) add the article's id to
the index queue (search.models.QueuedArticle) inside the same transaction; once it commits,
the queue is indexed (search.index.writing.index_queued). A rollback takes the rows with it. A
process killed after its commit leaves the rows for the next indexing: nothing is lost.

A long command (load_sources, recognize) announces itself with `batch_started`: its
commits only queue, and `batch_finished` indexes the whole queue once at its end.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import signals
from haystack.signals import BaseSignalProcessor

from articles.models import Article, Byline, Caption, Paragraph, Person, Section, Source
from articles.signals import batch_finished, batch_started, mentions_changed
from search.models import QueuedArticle


class _Transaction:
    """The ids queued in the current transaction, so each is queued once in it."""

    def __init__(self):
        self.queued: set[int] = set()

    def committed(self):
        if not _batches:
            from search.index.writing import index_queued

            index_queued()


_batches = 0  # long commands running in this process: they index once, at their end


def queue(article_ids) -> None:
    """Queue these articles for the index, in the current transaction (index at its commit)."""
    ids = {int(pk) for pk in article_ids if pk is not None}
    if not ids:
        return
    if not connection.in_atomic_block:
        QueuedArticle.objects.bulk_create([QueuedArticle(article_id=pk) for pk in sorted(ids)])
        _Transaction().committed()
        return
    current = getattr(connection, "archive_queued", None)  # the connection is this thread's
    if current is None or not any(func == current.committed for _, func, _ in connection.run_on_commit):
        current = _Transaction()  # the previous one committed, or was rolled back with its rows
        connection.archive_queued = current
        transaction.on_commit(current.committed)
    new = ids - current.queued
    if new:
        QueuedArticle.objects.bulk_create([QueuedArticle(article_id=pk) for pk in sorted(new)])
        current.queued |= new


def articles_touched(instance) -> set[int]:
    if isinstance(instance, Article):
        return {instance.pk}
    if isinstance(instance, (Section, Caption, Byline)):
        return {instance.article_id}
    if isinstance(instance, Paragraph):
        return set(Section.objects.filter(pk=instance.section_id).values_list("article_id", flat=True))
    if isinstance(instance, Person):
        by_byline = Byline.objects.filter(person=instance).values_list("article_id", flat=True)
        return set(by_byline) | set(Article.objects.filter(subject=instance).values_list("pk", flat=True))
    if isinstance(instance, Source):
        return set(Article.objects.filter(source=instance).values_list("pk", flat=True))
    return set()


class OnCommitSignalProcessor(BaseSignalProcessor):
    models = (Article, Section, Paragraph, Caption, Byline, Person, Source)

    def setup(self):
        for model in self.models:
            signals.post_save.connect(self.handle_save, sender=model)
            signals.post_delete.connect(self.handle_delete, sender=model)
        mentions_changed.connect(self.handle_mentions)
        batch_started.connect(self.handle_batch_started)
        batch_finished.connect(self.handle_batch_finished)

    def teardown(self):
        for model in self.models:
            signals.post_save.disconnect(self.handle_save, sender=model)
            signals.post_delete.disconnect(self.handle_delete, sender=model)
        mentions_changed.disconnect(self.handle_mentions)
        batch_started.disconnect(self.handle_batch_started)
        batch_finished.disconnect(self.handle_batch_finished)

    def handle_batch_started(self, sender, **kwargs):
        global _batches
        _batches += 1

    def handle_batch_finished(self, sender, index=True, **kwargs):
        from search.index.writing import catch_up

        global _batches
        _batches = max(0, _batches - 1)
        if index and not _batches:
            catch_up()

    def handle_mentions(self, sender, article_ids, **kwargs):
        queue(article_ids)

    def handle_save(self, sender, instance, **kwargs):
        if kwargs.get("raw"):
            return  # fixtures being loaded: build_index will index them
        queue(articles_touched(instance))

    def handle_delete(self, sender, instance, **kwargs):
        queue(articles_touched(instance) if not isinstance(instance, Article) else {instance.pk})
