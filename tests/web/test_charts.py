"""Timelines and maps: their figures are the archive's, counted here another way, and their
links lead to exactly the articles they count."""

import math
import re
from collections import Counter
from urllib.parse import quote

import numpy as np
import pytest
from django.contrib.staticfiles import finders

from articles.maps import boundaries, shading
from articles.models import Article, Byline, Mention, Person, Place, pinyin_key
from articles.recognition.gazetteer import divisions

pytestmark = pytest.mark.django_db
CHINA_KINDS = ("province", "city", "county", "local")


def month_of(article):
    day = article.date or article.source.date_start
    return (day.year, day.month) if day else None


def months_of(articles) -> Counter:
    return Counter(m for a in articles if (m := month_of(a)))


def bar_months(line) -> dict:
    """{(year, month): n} of a person's or place's timeline, read from its bars' links."""
    found = {}
    for bar in line.bars if line else []:
        if bar.n:
            year, month = re.search(r"period=(\d{4})-(\d{2})$", bar.url).groups()
            found[(int(year), int(month))] = bar.n
    return found


def listed_articles(context) -> set[int]:
    """Every article a person's or place's page lists (one page of each list)."""
    found = {a.pk for articles in context.get("roles", {}).values() for a in articles}
    found |= {a.pk for a in context.get("portraits", [])}
    found |= {m.article_id for m in context.get("mentioned", None) or context.get("mentions", [])}
    return found


def test_the_archive_timeline_counts_every_dated_article_and_each_bar_opens_its_month(client, archive):
    articles = list(Article.objects.select_related("source"))
    expected = months_of(articles)
    for url in ("/", "/dates/"):
        response = client.get(url)
        line = response.context["timeline"]
        bars = {bar.url: bar.n for bar in line.bars if bar.n}
        assert bars == {f"/dates/{y}/{m}/": n for (y, m), n in expected.items()}
        assert line.total == sum(expected.values()) and line.undated == len(articles) - line.total
        page = response.content.decode()
        for bar_url, n in bars.items():
            assert f'href="{bar_url}"' in page and f"{n}篇文章" in page
    for (year, month), n in expected.items():
        context = client.get(f"/dates/{year}/{month}/").context
        assert sum(day["n"] for day in context["days"]) + len(context["whole_month"]) == n


def test_a_persons_timeline_counts_their_articles_and_a_bar_lists_that_months(client, archive):
    people = sorted(Person.objects.all(), key=lambda p: -(p.mentions.count() + p.bylines.count()))[:6]
    drawn = 0
    for person in people:
        ids = set(Byline.objects.filter(person=person).values_list("article", flat=True))
        ids |= set(Mention.objects.filter(person=person).values_list("article", flat=True))
        ids |= set(Article.objects.filter(subject=person).values_list("pk", flat=True))
        articles = list(Article.objects.filter(pk__in=ids).select_related("source"))
        response = client.get(person.get_absolute_url())
        line = response.context["timeline"]
        assert bar_months(line) == dict(months_of(articles)), person.name
        drawn += line is not None
        for bar in line.bars if line else []:
            if bar.n:
                chosen = client.get(bar.url).context
                month = chosen["period"]
                assert listed_articles(chosen) == {a.pk for a in articles if month_of(a) == month}
    assert drawn >= 3


def test_a_places_timeline_and_locator(client, archive):
    for place in Place.objects.filter(mentions__isnull=False).distinct():
        articles = list(Article.objects.filter(mentions__place=place).distinct().select_related("source"))
        response = client.get(place.get_absolute_url())
        line = response.context["timeline"]
        assert bar_months(line) == dict(months_of(articles)), place.name
        locator = response.context.get("locator")
        if place.kind in CHINA_KINDS and place.province:
            assert locator["chosen"] == shading.province_code(place.province), place.name
            assert f'china.svg#p{locator["chosen"]}" class="shade-5"' in response.content.decode()
            if place.kind != "province":
                x, y = locator["at"]
                left, top, width, height = map(float, shading.province_view(locator["chosen"]).split())
                assert left <= x <= left + width and top <= y <= top + height, place.name  # in its province
        else:
            assert locator is None, place.name
    first = Place.objects.filter(mentions__isnull=False).first()
    for odd in (
        "2020-13",
        "2020-00",
        "abcd",
        "99999-01",
        "2020-",
        "-01",
        "２０２０",
        "2020-2",
        "2020\n",
    ):  # not a period: the whole list
        response = client.get(first.get_absolute_url(), {"period": odd})
        assert response.status_code == 200 and response.context["period"] is None


def test_the_place_index_map_shades_each_province_by_its_articles(client, archive):
    expected: dict[str, set] = {}
    for mention in Mention.objects.filter(place__kind__in=CHINA_KINDS).exclude(place__province=""):
        expected.setdefault(mention.place.province, set()).add(mention.article_id)
    response = client.get("/places/")
    drawn = response.context["map"]
    counts = {province.name: province.n for province in drawn.get("provinces")}
    assert len(counts) == 34  # every province, region and municipality of China's map
    assert {name: n for name, n in counts.items() if n} == {name: len(ids) for name, ids in expected.items()}
    by_count = sorted(drawn["provinces"], key=lambda p: p.n)
    assert all(a.shade <= b.shade for a, b in zip(by_count, by_count[1:], strict=False))
    assert all((p.shade == 0) == (p.n == 0) for p in drawn["provinces"])
    page = response.content.decode()
    for name in expected:
        assert f'href="?province={quote(name)}"' in page
    cities = {p.name for p in Place.objects.filter(kind="city") if p.mentions.exists()}
    assert {dot.name for dot in drawn["dots"]} == cities
    abroad = {place.name for place, _n in drawn["abroad"]}
    assert abroad <= set(Place.objects.filter(kind__in=("country", "world_city")).values_list("name", flat=True))
    assert "中国" not in abroad


def test_a_province_link_opens_its_part_of_the_index_and_its_map(client, archive):
    province = Mention.objects.filter(place__kind="county").first().place.province
    response = client.get("/places/", {"province": province})
    assert [group["province"] for group in response.context["china"]] == [province]
    listed = {p.name for group in response.context["china"] for city in group["cities"] for p in city["places"]}
    assert listed == set(Place.objects.filter(province=province, kind__in=CHINA_KINDS).values_list("name", flat=True))
    drawn = response.context["map"]
    assert drawn["code"] == shading.province_code(province) and drawn["cities"]
    left, top, width, height = map(float, drawn["view"].split())
    for dot in drawn["dots"]:
        assert left <= dot.x <= left + width and top <= dot.y <= top + height, dot.name
    assert {dot.name for dot in drawn["dots"]} == {
        p.name for p in Place.objects.filter(province=province, kind__in=("city", "county")) if p.mentions.exists()
    }


def test_the_maps_are_static_files_drawn_from_the_boundary_data():
    outlines = open(finders.find("maps/china.svg"), encoding="utf-8").read()
    codes = shading.province_codes()
    assert len(codes) == 34 and "710000" in codes and "460000" in codes  # Taiwan, Hainan
    for code in codes:
        assert f'id="p{code}"' in outlines
        assert finders.find(f"maps/province-{code}.svg") or code in ("710000", "810000", "820000")
    assert 'id="maritime"' in outlines  # the South China Sea's boundary line
    centre = {name: shading.division(name)["at"] for name in ("黑龙江省", "海南省", "上海市", "西藏自治区")}
    assert centre["黑龙江省"][1] < centre["上海市"][1] < centre["海南省"][1]  # north to south
    assert centre["西藏自治区"][0] < centre["上海市"][0]  # west to east


def test_the_index_orders_provinces_and_cities_by_the_maps_pinyin(client, archive):
    """Serving reads each division's pinyin from the drawn maps (so no worker imports pypinyin,
    57 MB): every province and city the archive's places lie in is there, spelled as pypinyin does."""
    spelled = shading.gazetteer()["pinyin"]
    assert len(spelled) > 300 and spelled["重庆市"] == "chong qing shi" and spelled["长春市"] == "chang chun shi"
    named = set(Place.objects.exclude(province="").values_list("province", flat=True))
    named |= set(Place.objects.exclude(city="").values_list("city", flat=True))
    assert named and named <= set(spelled)
    assert all(spelled[name] == pinyin_key(name) for name in named)
    recognizable = {p.name for p in divisions().full.values() if p.kind in ("province", "city")}
    assert recognizable <= set(spelled)  # 香港, 台中市, 省直辖行政区划 too: cnmaps draws no such city
    china = client.get("/places/").context["china"]
    provinces = [group["province"] for group in china if group["province"]]  # then those of no known province
    assert provinces == sorted(provinces, key=lambda name: spelled[name]) and len(provinces) > 1


def test_simplified_outlines_stay_within_their_tolerance():
    rng = np.random.default_rng(7)
    line = np.cumsum(rng.normal(size=(2000, 2)), axis=0)
    for tolerance in (0.1, 0.6, 3.0):
        kept = boundaries.simplify(line, tolerance)
        assert (kept[0] == line[0]).all() and (kept[-1] == line[-1]).all() and len(kept) < len(line)
        worst = max(_distance_to_polyline(point, kept) for point in line[::7])
        assert worst <= tolerance + 1e-9


def _distance_to_polyline(point, polyline) -> float:
    best = math.inf
    for a, b in zip(polyline, polyline[1:], strict=False):
        ab, ap = b - a, point - a
        t = 0.0 if not ab.any() else float(np.clip(np.dot(ap, ab) / np.dot(ab, ab), 0, 1))
        best = min(best, float(np.hypot(*(ap - t * ab))))
    return best
