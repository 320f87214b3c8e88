import pytest

from search.index.writing import indexed_ids


@pytest.fixture
def search_index(stored_archive):
    """The real sources loaded and a fresh index of them (no persons and places: a test of the
    mention facets asks for `archive`). Loading into an empty database builds a complete new
    index, so it is not built a second time here."""
    from articles.models import Article

    assert sorted(indexed_ids()) == sorted(Article.objects.values_list("pk", flat=True))


@pytest.fixture
def deletions_and_a_new_segment(search_index):
    """Delete every step-th article and save the last one again, which the index writes in a new segment."""
    from articles.models import Article

    def apply(step: int) -> None:
        for article in Article.objects.order_by("pk")[::step]:
            article.delete()
        article = Article.objects.order_by("pk").last()
        article.title += " 张恩惠"
        article.save()

    return apply
