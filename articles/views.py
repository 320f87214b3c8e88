"""Plain pages: the list of sources and articles, one article, one source."""

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render

from .models import Article, Byline, Section, Source


def index(request):
    """Every source with its articles in printed order."""
    sources = (
        Source.objects.defer("text", "metadata")
        .annotate(article_count=Count("articles"))
        .prefetch_related(
            Prefetch(
                "articles", queryset=Article.objects.only("source_id", "key", "title", "kicker", "position", "page")
            )
        )
    )
    return render(request, "articles/index.html", {"sources": sources})


def article_detail(request, key):
    article = get_object_or_404(
        Article.objects.select_related("source", "subject")
        .defer("source__text")
        .prefetch_related(
            Prefetch("sections", queryset=Section.objects.prefetch_related("paragraphs")),
            Prefetch("bylines", queryset=Byline.objects.select_related("person")),
            "captions__credits__person",
        ),
        key=key,
    )
    neighbours = Article.objects.in_source(article.source_id).only("key", "title", "kicker", "position")
    previous = neighbours.filter(position__lt=article.position).order_by("-position").first()
    following = neighbours.filter(position__gt=article.position).order_by("position").first()
    return render(
        request,
        "articles/article.html",
        {"article": article, "bylines": article.credited_bylines(), "previous": previous, "next": following},
    )


def source_detail(request, name):
    source = get_object_or_404(Source, name=name)
    articles = source.articles.only("key", "title", "kicker", "position", "page", "column")
    return render(
        request,
        "articles/source.html",
        {"source": source, "articles": articles, "contents": source.contents.select_related("article")},
    )
