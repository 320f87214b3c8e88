"""Staff corrections: what was corrected, and merging two persons into one."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Article, ArticleEdit, Byline, Paragraph, Person, PersonAlias

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


@transaction.atomic
def merge_with_next(articles: list[Article]) -> list[str]:
    """Merge two consecutive articles of one source; the rule is kept for re-imports."""
    from .syncing import resync

    if len(articles) != 2 or articles[0].source_id != articles[1].source_id:
        raise ValueError(_("Select exactly two articles of the same source."))
    first, second = articles
    if second.position != first.position + 1:
        raise ValueError(_("Only consecutive articles can be merged."))
    if second.corrected_fields or Paragraph.objects.filter(section__article=second, corrected=True).exists():
        raise ValueError(_("The second article has corrections of its own: undo them before merging."))
    ArticleEdit.objects.create(
        source=first.source, kind=ArticleEdit.Kind.MERGE, article_key=first.key, other_key=second.key
    )
    return resync(first.source)


@transaction.atomic
def split_at(paragraph: Paragraph) -> list[str]:
    """Start a new article at this paragraph; the rule is kept for re-imports."""
    from .syncing import resync

    section = paragraph.section
    article = section.article
    if section.position == 0 and paragraph.position == 0:
        raise ValueError(_("The first paragraph already starts its article."))
    new_key = hashlib.sha1(f"{article.key}|split|{section.position}.{paragraph.position}".encode()).hexdigest()[:12]
    ArticleEdit.objects.create(
        source=article.source,
        kind=ArticleEdit.Kind.SPLIT,
        article_key=article.key,
        section_index=section.position,
        paragraph_index=paragraph.position,
        new_key=new_key,
    )
    return resync(article.source)
