"""The plain pages: every article listed, each article and source shown."""

import pytest

from articles.models import Article, Source

pytestmark = pytest.mark.django_db


def test_index_lists_every_article(client, loaded_archive, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="zh-Hans">' in page
    for article in Article.objects.all():
        assert article.get_absolute_url() in page


def test_article_page_shows_headline_bylines_and_text(client, loaded_archive, django_assert_max_num_queries):
    article = Article.objects.get(title="彰显担当作为 凝聚组织力量", source__name__startswith="000")
    with django_assert_max_num_queries(12):
        response = client.get(article.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "全省组织系统抗疫工作综述" in page
    assert "李抑婧" in page
    assert "强化组织领导，凝聚坚强合力" in page
    assert "省委常委、组织部长张恩惠率先垂范" in page


def test_article_text_is_escaped(client, loaded_archive):
    article = Article.objects.first()
    article.title = "北京 <img src=x onerror=alert(1)>"
    article.save()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_source_page_shows_contents_and_original_text(client, loaded_archive):
    source = Source.objects.get(kind="magazine")
    response = client.get(source.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "带头出征勇担当" in page
    assert "48 研究5交流 2022.2" in page  # the original text, footers included
    assert all(a.get_absolute_url() in page for a in source.articles.all())


def test_unknown_article_is_404(client, db):
    assert client.get("/articles/nope/").status_code == 404


def test_admin_is_there_for_staff(client, loaded_archive, admin_user):
    client.force_login(admin_user)
    article = Article.objects.first()
    assert client.get("/admin/articles/article/").status_code == 200
    assert client.get(f"/admin/articles/article/{article.pk}/change/").status_code == 200
