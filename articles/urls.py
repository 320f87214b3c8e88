"""The reading pages' addresses: publications, sources, articles, dates, persons and places."""

from django.urls import path, register_converter

from archive.converters import Day, Month, Year

from . import views
from .feeds import LatestArticles

register_converter(Year, "year")
register_converter(Month, "month")
register_converter(Day, "day")

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("publications/", views.publications, name="publications"),
    path("publications/<str:name>/", views.publication_detail, name="publication"),
    path("sources/<str:name>/", views.source_detail, name="source"),
    path("articles/<str:key>/", views.article_detail, name="article"),
    path("api/articles/<str:key>", views.article_api, name="article-api"),
    path("dates/", views.dates, name="dates"),
    path("dates/<year:year>/", views.year_detail, name="year"),
    path("dates/<year:year>/<month:month>/", views.month_detail, name="month"),
    path("dates/<year:year>/<month:month>/<day:day>/", views.DayArticles.as_view(), name="day"),
    path("persons/", views.persons, name="persons"),
    path("persons/<str:name>/", views.person_detail, name="person"),
    path("places/", views.places, name="places"),
    path("places/<str:name>/", views.place_detail, name="place"),
    path("feed.atom", LatestArticles(), name="feed"),
]
