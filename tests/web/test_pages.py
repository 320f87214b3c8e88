"""The reading pages: what they show, and a fixed number of queries whatever the archive's size."""

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.test import override_settings

from articles.models import Article, Person, Source
from tests.conftest import SOURCE_NAMES, source_named

pytestmark = pytest.mark.django_db


def html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_home_says_what_the_archive_holds(client, archive):
    page = html(client, "/")
    assert '<html lang="zh-Hans">' in page
    assert "新闻档案库" in page and 'name="q"' in page
    assert f"{Article.objects.count()}" in page and f"{Person.objects.count()}" in page
    assert "2020-02-25" in page  # the earliest dated article
    for source in Source.objects.all():
        assert source.get_absolute_url() in page


def test_home_figures_follow_every_change_of_the_archive(client, archive):
    html(client, "/"), html(client, "/dates/")  # computed and kept
    article = Article.objects.exclude(date=None).order_by("date").first()
    article.date = article.date.replace(year=1999)
    article.save()  # a correction in the admin
    assert "1999-" in html(client, "/") and "/dates/1999/" in html(client, "/dates/")
    Article.objects.filter(pk=article.pk).first().delete()
    page = html(client, "/")
    assert "1999-" not in page and f"{Article.objects.count()}" in page
    Person.objects.create(name="新来者")
    assert f"{Person.objects.count()}" in html(client, "/")


def test_browse_publication_to_magazine_contents(client, archive):
    page = html(client, "/publications/")
    assert "研究与交流" in page and "吉林日报" in page and "未注明报刊" in page
    page = html(client, "/publications/研究与交流/")
    magazine = Source.objects.get(kind="magazine")
    assert magazine.get_absolute_url() in page and "2022年第2期" in page
    page = html(client, magazine.get_absolute_url())
    assert page.index("卷首语") < page.index("疫情防控综述") < page.index("带头出征勇担当")
    for article in magazine.articles.all():
        assert article.get_absolute_url() in page
    html(client, "/publications/no-such-paper/", status=404)


def test_an_article_lists_a_few_of_its_reprints_and_counts_the_rest(client, archive, monkeypatch):
    from articles import views

    article = Article.objects.get(title="彰显担当作为 凝聚组织力量", source__name__startswith="000")
    reprint = Article.objects.get(title=article.title, source__name__startswith="003")
    monkeypatch.setattr(views, "REPRINTS_SHOWN", 0)
    page = html(client, article.get_absolute_url())
    assert reprint.get_absolute_url() not in page and "另有 1 处刊载" in page


def test_source_page_links_each_articles_text(client, archive):
    source = Source.objects.get(name__startswith="002")
    page = html(client, source.get_absolute_url())
    green = Article.objects.get(title="「环保绿」辉映「志愿红」")
    # Its headline sits at the page's end, its text in the middle: both parts link to it.
    assert page.count(f'href="{green.get_absolute_url()}"') >= 2
    assert "从4月4日全市实行静态管理以来" in page


def test_article_page(client, archive):
    article = Article.objects.get(title="彰显担当作为 凝聚组织力量", source__name__startswith="000")
    page = html(client, article.get_absolute_url())
    assert "——全省组织系统抗疫工作综述" in page and "战“疫”有我" in page
    assert 'href="/persons/%E6%9D%8E%E6%8A%91%E5%A9%A7/"' in page or "/persons/李抑婧/" in page
    assert 'href="#section-1"' in page and "强化组织领导，凝聚坚强合力" in page
    reprint = Article.objects.get(title=article.title, source__name__startswith="003")
    assert reprint.get_absolute_url() in page  # the same report printed in the 吉林日报
    assert "李抑婧. 彰显担当作为 凝聚组织力量[N]." in page
    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in page
    ld = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert ld["@type"] == "NewsArticle" and ld["headline"] == article.title
    assert ld["author"] == [{"@type": "Person", "name": "李抑婧"}]


def test_magazine_article_citation_and_neighbours(client, archive):
    article = Article.objects.get(subject__name="刘颖")
    page = html(client, article.get_absolute_url())
    assert "疫情下彰显使命担当 防控中闪耀初心奉色[J]. 研究与交流, 2022(2): 18-19." in page
    assert 'rel="prev"' in page and 'rel="next"' in page
    assert "/persons/" in page and "刘颖" in page


def test_article_json_endpoint(client, archive):
    article = Article.objects.get(title="边境线上“戍边人”")
    data = json.loads(html(client, f"/api/articles/{article.key}"))
    assert data["id"] == article.key and data["title"] == "边境线上“戍边人”"
    assert data["bylines"][0] == {"name": "王超", "role": "记者"}
    assert client.get("/api/articles/nope").status_code == 404


def test_dates(client, archive):
    page = html(client, "/dates/")
    assert "/dates/2020/" in page and "/dates/2022/" in page
    assert "/dates/2022/5/" in html(client, "/dates/2022/")
    month = html(client, "/dates/2022/5/")
    assert "疫情下彰显使命担当" in month  # magazine articles are dated by their issue's month
    assert "吉林省各级机关党组织和党员干部投身战疫" in html(client, "/dates/2020/2/25/")
    html(client, "/dates/2020/2/31/", status=404)
    html(client, "/dates/1999/", status=404)


def test_a_day_page_links_to_the_days_before_and_after_it_with_articles(client, archive):
    # The sources print one exact day; staff date three magazine articles to a day each.
    magazine = Article.objects.filter(source__kind="magazine").order_by("position")
    for article, day in zip(magazine, [dt.date(2022, 5, 3), dt.date(2021, 7, 1), dt.date(2022, 5, 3)], strict=False):
        Article.objects.filter(pk=article.pk).update(date=day)
    days = sorted(set(Article.objects.with_effective_date().on_exact_days().values_list("effective", flat=True)))
    assert len(days) == 3
    for k, day in enumerate(days):
        page = html(client, f"/dates/{day.year}/{day.month}/{day.day}/")
        on_the_day = Article.objects.with_effective_date().on_exact_days().filter(effective=day)
        assert all(a.get_absolute_url() in page for a in on_the_day)
        for neighbour, rel in (
            (days[k - 1] if k else None, "prev"),
            (days[k + 1] if k + 1 < len(days) else None, "next"),
        ):
            link = re.search(rf'<a rel="{rel}" href="/dates/(\d+)/(\d+)/(\d+)/"', page)
            found = dt.date(*map(int, link.groups())) if link else None
            assert found == neighbour, (day, rel)


def test_persons_in_pinyin_order_and_by_role(client, archive):
    page = html(client, "/persons/")
    assert page.index("陈洪剑") < page.index("董博") < page.index("李抑婧") < page.index("王鑫")  # chen dong li wang
    assert "/persons/%E7%8E%8B%E9%91%AB/" in page or "/persons/王鑫/" in page  # named in the text, not in a byline
    mentioned = html(client, "/persons/王鑫/")
    assert "边境线上“戍边人”" in mentioned and "被抽调到国家移民管理局督办案件" in mentioned
    person = html(client, "/persons/李抑婧/")
    assert "记者" in person and person.count(">彰显担当作为 凝聚组织力量<") == 2
    portrait = html(client, "/persons/刘颖/")
    assert "疫情下彰显使命担当 防控中闪耀初心奉色" in portrait
    html(client, "/persons/无此人/", status=404)


def distinct_articles(rows) -> int:
    return rows.values("article").distinct().count()


def test_the_counts_of_persons_and_places_are_the_archives_and_follow_its_changes(client, archive):
    """The persons and places indexes and the search page's suggestions show counts kept for
    the whole archive (articles.counts): each is what counting the rows of that name gives,
    and a deleted article is no longer counted."""
    from articles.counts import name_counts
    from articles.models import Byline, Mention, Place
    from search.web.views import suggestions

    counts = name_counts()
    for person in Person.objects.all():
        assert counts.wrote.get(person.pk, 0) == distinct_articles(Byline.objects.filter(person=person))
        assert counts.mentioned.get(person.pk, 0) == distinct_articles(Mention.objects.filter(person=person))
        assert counts.portrayed.get(person.pk, 0) == Article.objects.filter(subject=person).count()
    for place in Place.objects.all():
        assert counts.places.get(place.pk, 0) == distinct_articles(Mention.objects.filter(place=place))
    assert sum(counts.wrote.values()) > 20 and sum(counts.places.values()) > 20

    named = [s for s in suggestions("王", limit=50) if s["kind"] != "place"]
    for found in named:
        person = Person.objects.get(name=found["name"], kind=found["kind"])
        rows = distinct_articles(Byline.objects.filter(person=person)) + distinct_articles(person.mentions.all())
        assert found["articles"] == rows
    assert [s["articles"] for s in named] == sorted((s["articles"] for s in named), reverse=True)

    place = Place.objects.get(name="九台区")
    before = counts.places[place.pk]
    assert f'九台区</a> <span class="meta">{before}</span>' in html(client, "/places/")
    place.mentions.first().article.delete()
    after = distinct_articles(Mention.objects.filter(place=place))
    assert after < before and name_counts().places.get(place.pk, 0) == after
    assert f'九台区</a> <span class="meta">{after}</span>' in html(client, "/places/")


def test_crawler_conventions(client, archive):
    robots = html(client, "/robots.txt")
    assert "Disallow: /admin/" in robots and "Sitemap: http://testserver/sitemap.xml" in robots
    sitemap = ET.fromstring(client.get("/sitemap.xml").content)
    locs = {el.text for el in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert all(f"http://testserver{a.get_absolute_url()}" in locs for a in Article.objects.all())
    feed = ET.fromstring(client.get("/feed.atom").content)
    entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == Article.objects.count()
    titles = [e.find("{http://www.w3.org/2005/Atom}title").text for e in entries]
    magazine = set(Article.objects.filter(source__kind="magazine").values_list("title", flat=True))
    assert set(titles[:25]) == magazine  # May 2022 is newer than the web article of February 2020
    assert titles[25] == "吉林省各级机关党组织和党员干部投身战疫"


def test_friendly_404_and_500(client, archive):
    page = html(client, "/articles/nope/", status=404)
    assert "找不到这个页面" in page and 'href="/search/"' in page
    client.raise_request_exception = False
    with override_settings(ROOT_URLCONF="tests.web.failing_urls"):
        response = client.get("/broken/")
    assert response.status_code == 500
    assert "出错了" in response.content.decode() and 'href="/"' in response.content.decode()


def test_article_text_is_escaped(client, archive):
    article = Article.objects.first()
    article.title = "北京 <img src=x onerror=alert(1)>"
    article.save()
    page = html(client, article.get_absolute_url())
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_places_grouped_by_province_and_city_with_sentences(client, archive):
    page = html(client, "/places/")
    assert page.index("吉林省") < page.index("长春市") < page.index("九台区")
    assert "安徽省" in page and "裕安区" in page and "泰山街道" in page
    place = html(client, "/places/九台区/")
    assert "吉林省长春市" in place
    assert "当天下午，42名党员携物资奔赴九台。" in place
    assert place.count(">彰显担当作为 凝聚组织力量<") == 2  # printed in two newspapers
    html(client, "/places/无此地/", status=404)


def test_article_page_links_the_persons_and_places_it_mentions(client, archive):
    article = Article.objects.get(title="彰显担当作为 凝聚组织力量", source__name__startswith="000")
    page = html(client, article.get_absolute_url())
    mentioned = page.split('<aside class="mentioned">')[1].split("</aside>")[0]
    persons = mentioned.split('aria-labelledby="mentioned-persons">')[1].split("</ul>")[0]
    places = mentioned.split('aria-labelledby="mentioned-places">')[1].split("</ul>")[0]
    for name in ("张恩惠", "王一鸣"):
        assert f">{name}</a></li>" in persons and name not in places
    for name in ("九台区", "梅河口市", "宽城区"):
        assert f">{name}</a></li>" in places and name not in persons
    assert 'href="/places/' not in persons and 'href="/persons/' not in places
    assert "·" not in mentioned  # two lists, no separators that a wrapped line could start with


def test_first_mentions_in_the_text_link_to_their_pages(client, archive):
    article = Article.objects.get(title="彰显担当作为 凝聚组织力量", source__name__startswith="000")
    body = html(client, article.get_absolute_url()).split('<div class="body">')[1].split("</div>")[0]
    assert body.count(">九台</a>") == 1  # linked where first printed, as printed
    assert '<a class="place" href="/places/' in body and '<a class="person" href="/persons/' in body
    assert body.count(">张恩惠</a>") == 1


@pytest.mark.django_db
def test_healthz_checks_the_database_and_the_search_index(client, db, monkeypatch):
    from search.index import writing as indexing

    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["database"] == "ok"
    assert response.json()["search_index"].startswith("ok")

    def broken():
        raise OSError("index folder gone")

    monkeypatch.setattr(indexing, "indexed_count", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "search_index": "error: OSError"}


def test_person_and_place_pages_come_in_pages(client, archive, monkeypatch):
    from articles import views
    from articles.models import Mention, Place

    monkeypatch.setattr(views, "LIST_PER_PAGE", 1)
    place = max(Place.objects.all(), key=lambda p: p.mentions.count())
    count = place.mentions.count()
    assert count >= 2
    first, second = html(client, place.get_absolute_url()), html(client, place.get_absolute_url() + "?page=2")
    assert f"第 1 页，共 {count} 页" in first and f"第 2 页，共 {count} 页" in second
    sentences = [
        m.sentence
        for m in Mention.objects.filter(place=place).order_by("article__source__name", "article__position", "pk")
    ]
    assert sentences[0][:20] in first and sentences[1][:20] in second
    person = html(client, "/persons/李抑婧/")
    assert "第 1 页，共" in person


def test_a_long_places_index_lists_provinces_then_each_province(client, archive, monkeypatch):
    from articles import views
    from articles.models import Place

    monkeypatch.setattr(views, "PLACES_ON_ONE_PAGE", 5)
    assert Place.objects.count() > 5
    index = html(client, "/places/")
    assert "?province=%E5%90%89%E6%9E%97%E7%9C%81" in index  # 吉林省
    assert "九台区" not in index  # the places come with their province
    jilin = html(client, "/places/?province=吉林省")
    assert jilin.index("长春市") < jilin.index("九台区") and "裕安区" not in jilin
    assert "泰山街道" in html(client, "/places/?province=")  # street-level names, no province


def test_home_lists_only_the_newest_sources_of_a_large_archive(client, archive, monkeypatch):
    from articles import views

    monkeypatch.setattr(views, "HOME_SOURCES", 2)
    page = html(client, "/")
    listed = [s for s in Source.objects.all() if s.get_absolute_url() in page]
    assert len(listed) == 2 and "最新载入的 2 个来源" in page


def test_every_source_has_its_own_name_made_from_what_it_prints(archive):
    titles = dict(Source.objects.values_list("name", "title"))
    assert len(set(titles.values())) == len(SOURCE_NAMES)
    assert titles[source_named("004")] == "研究与交流 2022年第2期"  # publication and issue
    assert titles[source_named("001")] == "网络文章 2020年2月25日：吉林省各级机关党组织和党员干部投身战疫"
    # A publication without a date: its first headline tells this page from the paper's others.
    assert titles[source_named("003")].startswith("吉林日报：深入推进盐碱地治理和利用")
    assert titles[source_named("000")] == "报纸版面：彰显担当作为 凝聚组织力量"
    assert not any(".txt" in title for title in titles.values())


def test_pages_show_the_readers_name_and_the_file_name_only_on_the_source_page(client, archive):
    file_name = source_named("003")
    title = Source.objects.get(name=file_name).title
    for url in ("/", "/search/?q=盐碱地", f"/articles/{Source.objects.get(name=file_name).articles.first().key}/"):
        shown = re.sub(r"<[^>]*>", "", client.get(url).content.decode())  # the text a reader sees
        assert title in shown and file_name not in shown, url
    source_page = client.get(f"/sources/{file_name}/").content.decode()
    assert f"<h1>{title}</h1>" in source_page and f"<dd>{file_name}</dd>" in source_page
    facet = client.get("/search/?q=担当").content.decode().split('class="facets"')[1]
    assert "研究与交流 2022年第2期" in facet and ".txt</a>" not in facet
    hits = client.get("/api/search", {"q": "盐碱地"}).json()["results"]
    assert {hit["source"] for hit in hits} == {title}


def test_the_favicon_is_the_sites_seal(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    icon = b"".join(response.streaming_content)
    assert icon[:4] == b"\x00\x00\x01\x00" and b"PNG" in icon[:40]  # an ICO holding a PNG
    assert '<link rel="icon" href="/favicon.ico"' in client.get("/").content.decode()
