"""Keep the index following the database, once a transaction has committed.

haystack's realtime processor writes during the save, so a rolled-back save
could reach the index and a half-saved article could be searched. Here every
change collects article ids, and one callback per transaction indexes them
after the commit; a rollback drops the callback and so the update.
"""

from __future__ import annotations

import threading

from django.db import connection, transaction
from django.db.models import signals
from haystack.signals import BaseSignalProcessor

from articles.models import Article, Byline, Caption, Paragraph, Person, Section, Source
from articles.signals import batch_finished, batch_started, mentions_changed

_local = threading.local()
# While load_sources runs a batch, changes are written to the pending list at each commit
# (it survives a crash) and indexed once at the end of the batch.
_deferred = threading.local()


class _Batch:
    def __init__(self, changed: set[int] | None = None, deleted: set[int] | None = None):
        self.changed: set[int] = changed or set()
        self.deleted: set[int] = deleted or set()

    def flush(self):
        from .indexing import add_pending, apply_changes

        if _current() is self:
            _local.batch = None
        if getattr(_deferred, "active", False):
            add_pending(self.changed | self.deleted)  # indexed at the end of the load (catch_up)
        else:
            apply_changes(self.changed - self.deleted, self.deleted)


def _current() -> _Batch | None:
    return getattr(_local, "batch", None)


def record(changed: set[int] = frozenset(), deleted: set[int] = frozenset()) -> None:
    """Index these articles when the current transaction commits (at once outside one)."""
    if not connection.in_atomic_block:
        _Batch(set(changed), set(deleted)).flush()
        return
    batch = _current()
    if batch is None or not any(func == batch.flush for _, func, _ in connection.run_on_commit):
        batch = _Batch()  # the previous batch ran, or was dropped with a rolled-back transaction
        _local.batch = batch
        transaction.on_commit(batch.flush)
    batch.changed |= changed
    batch.deleted |= deleted


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
        _deferred.active = True

    def handle_batch_finished(self, sender, index=True, **kwargs):
        from .indexing import catch_up

        _deferred.active = False
        if index:
            catch_up()

    def handle_mentions(self, sender, article_ids, **kwargs):
        record(changed=set(article_ids))

    def handle_save(self, sender, instance, **kwargs):
        if kwargs.get("raw"):
            return  # fixtures being loaded: build_index will index them
        record(changed=articles_touched(instance))

    def handle_delete(self, sender, instance, **kwargs):
        if isinstance(instance, Article):
            record(deleted={instance.pk})
        else:
            record(changed=articles_touched(instance))
