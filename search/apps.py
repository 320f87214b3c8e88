"""The search app; it refuses to start on a Whoosh whose files its fast paths do not know."""

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# The fast paths (postings, segments, facets, ranking, whoosh_fixes) read and write Whoosh's
# private file format as version 2.7.4 lays it out; another version may lay it out otherwise.
WHOOSH_FORMAT_VERSION = (2, 7, 4)


def check_whoosh_version(installed: tuple) -> None:
    """Refuse to start on a Whoosh whose files the fast paths were not written for."""
    if tuple(installed[:3]) != WHOOSH_FORMAT_VERSION:
        wanted = ".".join(map(str, WHOOSH_FORMAT_VERSION))
        raise ImproperlyConfigured(
            f"search reads Whoosh {wanted}'s index format, but Whoosh {'.'.join(map(str, installed))} is "
            f'installed: install "Whoosh=={wanted}" (pyproject.toml) or check search/postings.py and '
            "its neighbours against the new format first"
        )


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        import whoosh

        check_whoosh_version(whoosh.__version__)
