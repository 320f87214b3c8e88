"""The stock configuration the archive is compared with: haystack's own Whoosh backend,
with jieba's ChineseAnalyzer in place of the English one (the usual haystack + jieba
recipe) and every other setting left at haystack's default.
"""

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from jieba.analyse import ChineseAnalyzer
from whoosh.fields import TEXT


class StockWhooshBackend(WhooshSearchBackend):
    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        for name in schema.names():
            field = schema[name]
            if isinstance(field, TEXT):
                field.analyzer = ChineseAnalyzer()
                field.format.analyzer = field.analyzer
        return content_field_name, schema


class StockWhooshEngine(WhooshEngine):
    backend = StockWhooshBackend
