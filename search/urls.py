"""The search page and its JSON twin."""

from django.urls import path

from search.web import views

app_name = "search"

urlpatterns = [
    path("search/", views.search_page, name="page"),
    path("api/search", views.search_api, name="api"),
    path("api/suggest", views.suggest_api, name="suggest"),
]
