"""The archive's settings plus a second haystack connection, "stock", for the comparison."""

from archive.settings.dev import *  # noqa: F403
from archive.settings.dev import HAYSTACK_CONNECTIONS, INSTALLED_APPS, SEARCH_DIR

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
HAYSTACK_CONNECTIONS = {
    "default": {**HAYSTACK_CONNECTIONS["default"], "EXCLUDED_INDEXES": ["bench.search_indexes.StockArticleIndex"]},
    "stock": {
        "ENGINE": "bench.stock.StockWhooshEngine",
        "PATH": str(SEARCH_DIR.parent / "stock-whoosh"),
        "EXCLUDED_INDEXES": ["search.search_indexes.ArticleIndex"],
    },
}
