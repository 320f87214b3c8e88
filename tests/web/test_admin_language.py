"""The admin speaks Chinese with the site's name: every label, header and column, the
login-throttling section and the change history included."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin

from articles.models import Article
from tests.admin_forms import post_admin_change

pytestmark = pytest.mark.django_db

# Text that is data, not interface: file names, hashes, the user's name, masked secrets;
# django-axes' own "Access Log for <user> @ <time>" (its __str__, not translatable).
DATA = re.compile(
    r"@example\.com|\.txt|^[0-9a-f]{40,}$|pbkdf2_sha256|\*{6,}|^›?\s*(admin|archive_editor)$|Access Log for|<unknown>"
)
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style", "textarea", "select")
        for name, value in attrs:
            if name in ("title", "aria-label", "placeholder") and value and LATIN_WORD.search(value):
                self.found.append(value)

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style", "textarea", "select")

    def handle_data(self, data):
        if not self._skip and LATIN_WORD.search(data):
            self.found.append(data.strip())


def english_on(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    reader = _Text()
    reader.feed(response.content.decode())
    return [text for text in reader.found if not DATA.search(text) and not re.search(r"[\u4e00-\u9fff]", text)]


def test_every_admin_page_is_in_chinese(client, archive, admin_user):
    client.force_login(admin_user)  # django-axes logs it: its log has a row to show
    article = Article.objects.get(title="边境线上“戍边人”")
    assert (
        post_admin_change(
            client, f"/admin/articles/article/{article.pk}/change/", title="边境线上的“戍边人”"
        ).status_code
        == 302
    )
    urls = ["/admin/"]
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        urls.append(base)
        first = model.objects.first()
        if first is not None and model._meta.model_name not in (
            "group",
            "user",
        ):  # permission names are stored in English by Django
            urls += [f"{base}{first.pk}/change/", f"{base}{first.pk}/history/"]
    found = {url: english_on(client, url) for url in urls}
    assert {url: words for url, words in found.items() if words} == {}
    index = client.get("/admin/").content.decode()
    assert "新闻档案库" in index and "Django" not in index and "登录限制" in index

    history = client.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    changes = history.split('id="change-history"')[1]
    title = str(Article._meta.get_field("title").verbose_name)  # 主题
    assert f"<strong>{title}:</strong>" in changes and "<strong>title" not in changes
    assert ">None<" not in changes.replace(" ", "").replace("\n", "")
    form = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert f'<div class="readonly">{title}</div>' in form and '["title"]' not in form  # corrected fields, by name
