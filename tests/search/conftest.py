import pytest

from search.indexing import build_index


@pytest.fixture
def search_index(loaded_archive):
    """The real sources loaded and a fresh index built from them."""
    build_index()
