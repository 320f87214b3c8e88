"""Citations follow GB/T 7714—2015 for every kind of source, with its markers for what is unknown."""

import datetime as dt
import re

import pytest

from articles.citation import cite
from articles.models import Article, Source
from tests.conftest import source_named

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 2)
URL = "http://archive.example/articles/x/"
# 作者. 题名[类型]. …: what every entry starts with.
ENTRY = re.compile(r"^[^.]+\. .+\[(N|J|EB/OL)\]\. ")


def cited(article):
    return cite(article, article.credited_bylines(), URL, TODAY)


def test_every_article_gets_a_whole_entry(archive):
    for article in Article.objects.select_related("source"):
        entry = cited(article)
        assert ENTRY.match(entry) and entry.endswith("."), entry
        assert not entry.endswith("].") or "不详]" in entry or "[" + TODAY.isoformat() in entry, entry


def test_a_newspaper_page_without_name_or_date_says_so(archive):
    article = Article.objects.get(title="彰显担当作为 凝聚组织力量", source__name=source_named("000"))
    assert cited(article) == "李抑婧. 彰显担当作为 凝聚组织力量[N]. [出版者不详], [出版日期不详]."
    photo_news = Article.objects.get(source__name=source_named("000"), position=5)
    assert cited(photo_news).startswith("佚名. ")  # GB/T 7714 8.1.4: no author printed


def test_a_named_paper_without_date(archive):
    article = Article.objects.get(title="彰显担当作为 凝聚组织力量", source__name=source_named("003"))
    assert cited(article) == "李抑婧. 彰显担当作为 凝聚组织力量[N]. 吉林日报, [出版日期不详]."


def test_a_web_page_without_publisher_or_place(archive):
    article = Article.objects.get(source__name=source_named("001"))
    assert cited(article) == (
        f"李抑嫱. 吉林省各级机关党组织和党员干部投身战疫[EB/OL]. [出版地不详]: [出版者不详], "
        f"2020(2020-02-25)[2026-12-02]. {URL}."
    )


def test_a_magazine_article(archive):
    article = Article.objects.get(title="坚决打赢疫情防控歼灭战")
    assert cited(article) == "丰满区泰山街道党工委. 坚决打赢疫情防控歼灭战[J]. 研究与交流, 2022(2): 9."
    source = Source.objects.get(name=source_named("004"))
    source.date_start = source.date_end = None
    source.publication = ""
    source.save()
    article = Article.objects.select_related("source").get(pk=article.pk)
    article.publication = ""
    assert cited(article) == "丰满区泰山街道党工委. 坚决打赢疫情防控歼灭战[J]. [出版者不详], [出版年不详](2): 9."


def test_what_staff_set_on_a_newspaper_page_is_cited(archive):
    source = Source.objects.get(name=source_named("000"))
    source.publication, source.date_start, source.date_end, source.page = (
        "吉林日报",
        dt.date(2022, 5, 25),
        dt.date(2022, 5, 25),
        4,
    )
    source.save()
    article = Article.objects.select_related("source").get(title="彰显担当作为 凝聚组织力量", source=source)
    assert cited(article) == "李抑婧. 彰显担当作为 凝聚组织力量[N]. 吉林日报, 2022-05-25(4)."
