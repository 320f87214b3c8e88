"""A URL configuration with one page that fails, to see the archive's 500 page."""

from django.urls import include, path


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", broken), path("", include("archive.urls"))]
