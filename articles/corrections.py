"""Staff corrections: what was corrected, and merging two persons into one."""

from __future__ import annotations

from django.db import transaction

from .models import Article, Byline, Person, PersonAlias

# The parts of an article a correction can touch as a whole (its inlines in the admin).
PARTS = ("bylines", "captions", "sections")


def mark_corrected(article: Article, names) -> None:
    """Remember that staff changed these fields or parts, so re-imports leave them alone."""
    fresh = [n for n in names if n not in article.corrected_fields]
    if fresh:
        article.corrected_fields = [*article.corrected_fields, *fresh]
        Article.objects.filter(pk=article.pk).update(corrected_fields=article.corrected_fields)


@transaction.atomic
def merge_persons(keep: Person, others) -> int:
    """Move every byline and portrait of `others` to `keep`; keep their names as aliases."""
    moved = 0
    for other in others:
        if other.pk == keep.pk:
            continue
        for byline in Byline.objects.filter(person=other):
            byline.person = keep
            byline.save()  # one by one, so each move is in the history
            moved += 1
        for article in Article.objects.filter(subject=other):
            article.subject = keep
            article.save()
            mark_corrected(article, ["subject"])
        PersonAlias.objects.filter(person=other).update(person=keep)
        PersonAlias.objects.update_or_create(name=other.name, kind=other.kind, defaults={"person": keep})
        other.delete()
    return moved
