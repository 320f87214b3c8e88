from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.index, name="index"),
    path("articles/<str:key>/", views.article_detail, name="article"),
    path("sources/<str:name>/", views.source_detail, name="source"),
]
