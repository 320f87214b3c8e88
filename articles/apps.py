"""The articles app: it points jieba's dictionary cache at the archive's own folder."""

from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        # jieba caches its dictionary in the shared temporary folder unless told otherwise.
        import jieba

        from .parsing import body

        cache = Path(settings.SEARCH_DIR) / "jieba"
        cache.mkdir(parents=True, exist_ok=True)
        jieba.dt.tmp_dir = body._tokenizer.tmp_dir = str(cache)
