"""The index queue: the one way the search index learns what changed."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QueuedArticle(models.Model):
    """An article the index must read again, or drop if it is gone. A row is written in the
    same transaction as the change (search.queue), so a change that commits is never missed
    and one rolled back never queued; the indexer deletes the rows it wrote."""

    article_id = models.BigIntegerField(
        _("article"), db_index=True
    )  # no foreign key: a deleted one must leave the index

    class Meta:
        verbose_name = _("article waiting for the search index")
        verbose_name_plural = _("articles waiting for the search index")

    def __str__(self):
        return str(self.article_id)
