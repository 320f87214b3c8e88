"""A long persons index, on an archive of its own (no shared sources loaded)."""

import pytest

from articles.models import Person

pytestmark = pytest.mark.django_db


def html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_a_long_persons_index_comes_in_pages_with_initials(client):
    from articles.views import PERSONS_PER_PAGE

    surnames = ["安", "白", "陈", "邓", "韩", "李", "王", "张"]  # an bai chen deng | han li wang zhang
    per_surname = PERSONS_PER_PAGE // 4
    names = [f"{s}{chr(0x4E00 + 100 + i)}" for s in surnames for i in range(per_surname)]
    for name in names:
        Person.objects.create(name=name)
    first, second = html(client, "/persons/"), html(client, "/persons/?page=2")
    # Each initial links to the page where its names start.
    for letter, page in (("A", 1), ("B", 1), ("C", 1), ("D", 1), ("H", 2), ("L", 2), ("W", 2), ("Z", 2)):
        assert f'<a href="?page={page}">{letter}</a>' in first, letter
    assert 'rel="next" href="?page=2"' in first or 'href="?page=2" rel="next"' in first
    assert "第 1 页，共 2 页" in first
    urls = {n: Person(name=n).get_absolute_url() for n in names}
    listed_first = [n for n in names if f'href="{urls[n]}"' in first]
    listed_second = [n for n in names if f'href="{urls[n]}"' in second]
    assert len(listed_first) == len(listed_second) == PERSONS_PER_PAGE
    assert all(n[0] in "安白陈邓" for n in listed_first) and all(n[0] in "韩李王张" for n in listed_second)
    assert "第 2 页，共 2 页" in html(client, "/persons/?page=999")  # past the end: the last page
