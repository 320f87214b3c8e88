"""The archive's export format: one JSON object per article."""

from django.db.models import Prefetch

from .models import Article, Byline, Section


def articles_for_export():
    """Every article in source order, with all it needs fetched in a few queries."""
    return (
        Article.objects.in_printed_order()
        .select_related("source", "subject")
        .prefetch_related(
            Prefetch("sections", queryset=Section.objects.prefetch_related("paragraphs")),
            Prefetch("bylines", queryset=Byline.objects.select_related("person")),
            "captions__credits__person",
        )
    )


def article_record(article: Article) -> dict:
    return {
        "source": article.source.name,
        "source_title": article.source.title,
        "position": article.position,
        "id": article.key,
        "url": article.get_absolute_url(),
        "title": article.title,
        "subtitle": article.subtitle,
        "kicker": article.kicker,
        "column": article.column,
        "original_title": article.original_title,
        "page": article.page,
        "date": article.date_label or None,
        "publication": article.publication,
        "subject": article.subject.name if article.subject else "",
        "subject_title": article.subject_title,
        "bylines": [{"name": b.person.name, "role": b.role} for b in article.credited_bylines()],
        "sections": [
            {"heading": s.heading or None, "paragraphs": [p.text for p in s.paragraphs.all()]}
            for s in article.sections.all()
        ],
        "captions": [
            {"text": c.text, "credits": [{"name": b.person.name, "role": b.role} for b in c.credits.all()]}
            for c in article.captions.all()
        ],
    }
