"""manage.py export_articles: every article as JSON Lines, in source order."""

import json

from django.core.management.base import BaseCommand

from articles.export import article_record, articles_for_export


class Command(BaseCommand):
    help = "Print every article as one JSON object per line (JSON Lines), in source order."

    def handle(self, *args, **options):
        for article in articles_for_export().iterator(chunk_size=200):
            self.stdout.write(json.dumps(article_record(article), ensure_ascii=False))
