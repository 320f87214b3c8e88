"""The stock configuration's index: one document field holding every text of the article."""

from haystack import indexes

from articles.models import Article
from search.search_indexes import article_pieces


class StockArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True)

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        return Article.objects.for_search()

    def prepare_text(self, article):
        return "\n".join(article_pieces(article))
