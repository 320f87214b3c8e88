"""The sitemap: every article, source, person and place page, for search engines."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Article, Person, Place, Source


class ArticleSitemap(Sitemap):
    changefreq = "yearly"

    def items(self):
        return Article.objects.only("key").order_by("pk")


class SourceSitemap(Sitemap):
    changefreq = "yearly"

    def items(self):
        return Source.objects.only("name").order_by("name")


class PersonSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Person.objects.values_list("name", flat=True).distinct().order_by("name")

    def location(self, name):
        return reverse("articles:person", args=[name])


class PlaceSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Place.objects.only("name").order_by("name")


SITEMAPS = {"articles": ArticleSitemap, "sources": SourceSitemap, "persons": PersonSitemap, "places": PlaceSitemap}
