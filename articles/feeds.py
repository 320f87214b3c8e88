"""An Atom feed of the newest articles."""

import datetime as dt

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from .models import Article


class LatestArticles(Feed):
    feed_type = Atom1Feed
    title = "新闻档案库：最新文章"
    link = "/"
    subtitle = "档案库中最新的文章"

    def items(self):
        return (
            Article.objects.select_related("source")
            .with_effective_date()
            .order_by(F("effective").desc(nulls_last=True), "-pk")[:50]
        )

    def item_title(self, item):
        return str(item.display_title)

    def item_description(self, item):
        return " · ".join(x for x in (item.kicker, item.subtitle, item.publication, item.date_label) if x)

    def item_pubdate(self, item):
        if item.effective:
            return timezone.make_aware(dt.datetime.combine(item.effective, dt.time(0, 0)))
        return None

    def item_updateddate(self, item):
        return item.source.loaded_at
