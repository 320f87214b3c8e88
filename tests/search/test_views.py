"""The search page and /api/search: answers, escaping, pagination, facets, and no server errors."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Article
from search.engine import PER_PAGE

pytestmark = pytest.mark.django_db


def api(client, **params):
    response = client.get("/api/search", params)
    return response.status_code, json.loads(response.content)


def test_api_answers_in_its_documented_shape(client, archive):
    status, data = api(client, q="担当")
    assert status == 200
    assert set(data) >= {"total", "page", "next", "results"}
    assert data["total"] > PER_PAGE and data["page"] == 1
    assert data["next"].startswith("http://testserver/api/search?") and "page=2" in data["next"]
    first = data["results"][0]
    assert set(first) >= {"id", "url", "title", "source", "date", "snippet"}
    assert Article.objects.filter(key=first["id"]).exists()
    assert "<mark>担当</mark>" in first["snippet"] or "<mark>担当</mark>" in first["title"] or "担当" in first["title"]


def test_api_pages_cover_every_result_once(client, archive):
    status, data = api(client, q="疫情")
    seen = [r["id"] for r in data["results"]]
    while data["next"]:
        data = json.loads(client.get(data["next"]).content)
        seen += [r["id"] for r in data["results"]]
    assert len(seen) == len(set(seen))
    assert len(seen) == api(client, q="疫情")[1]["total"]


def test_result_snippets_read_each_articles_text_as_the_index_does(archive, django_assert_max_num_queries):
    """The result page reads its articles' text as plain values (body_pieces_of): the same
    pieces, in the same order, as the index reads through the article objects."""
    from search.search_indexes import body_pieces, body_pieces_of

    articles = list(Article.objects.select_related("subject").order_by("pk"))
    with django_assert_max_num_queries(3):
        pieces = body_pieces_of(articles)
    assert len(articles) > 20 and sum(len(p) for p in pieces.values()) > 200
    for article in articles:
        assert [text for _, text in pieces[article.pk]] == body_pieces(article), article.title


def test_facets_count_and_narrow(client, archive):
    status, data = api(client, q="担当")
    publications = {f["value"]: f["count"] for f in data["facets"]["publication"]}
    assert publications["研究与交流"] > 5
    status, narrowed = api(client, q="担当", publication="研究与交流")
    assert narrowed["total"] == publications["研究与交流"]
    status, by_person = api(client, q="担当", person="李抑婧")
    assert by_person["total"] == 2
    status, dated = api(client, q="担当", date_from="2022-05", date_to="2022-05")
    assert dated["total"] == publications["研究与交流"]
    status, bad = api(client, q="担当", date_from="May 2022")
    assert status == 400 and "date_from" in bad["fields"]


def test_the_api_lists_the_commonest_facet_values(client, archive):
    from search import engine
    from search import query as q

    status, data = api(client, q="的")
    every = engine.run(q.parse("的")).facets
    assert len(every["mentioned"]) > engine.FACET_VALUES  # the fixtures name more persons than are listed
    for name, values in data["facets"].items():
        assert [(f["value"], f["count"]) for f in values] == every[name][: engine.FACET_VALUES]


def test_search_page_lists_results_and_offers_facets(client, archive):
    response = client.get("/search/", {"q": "九台"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "彰显担当作为 凝聚组织力量" in page
    assert "<mark>九台</mark>" in page
    assert "吉林日报" in page  # a facet link


def test_empty_query_lists_nothing_and_empty_results_help(client, archive):
    status, data = api(client, q="   ")
    assert status == 200 and data["total"] == 0 and data["results"] == []
    page = client.get("/search/").content.decode()
    assert 'name="q"' in page and '<ol class="results">' not in page
    page = client.get("/search/", {"q": "不存在的词语组合"}).content.decode()
    assert "不存在的词语组合" in page and "Browse" not in page  # the interface speaks Chinese


def test_exclusion_only_and_overlong_queries_are_explained(client, archive):
    status, data = api(client, q="-王鑫")
    assert status == 400 and "排除" in data["error"]
    status, data = api(client, q="王" * 10_000)
    assert status == 400 and "太长" in data["error"]
    response = client.get("/search/", {"q": "王" * 10_000})
    assert response.status_code == 400 and "太长" in response.content.decode()


@pytest.mark.parametrize(
    "text",
    ["", " ", '"', "“", "(", ")", "[", "AND", "OR", "NOT", "OR OR", "title:", "title:王鑫", "*", "王*", "?", "~",
     "\x00", "\x1b[31m", "😀", "王鑫😀", "-", "--", '"-"', "\\", "'", "%", "&", "<script>", "a" * 201, "\u200b"],
)  # fmt: skip
def test_strange_queries_never_fail(client, archive, text):
    for url in ("/search/", "/api/search"):
        assert client.get(url, {"q": text}).status_code in (200, 400)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=250),
    page=st.one_of(st.none(), st.integers(-5, 2000).map(str), st.text(max_size=5)),
)
def test_any_input_gets_an_answer_not_a_server_error(client, archive, text, page):
    params = {"q": text} if page is None else {"q": text, "page": page}
    html = client.get("/search/", params)
    assert html.status_code in (200, 400)
    response = client.get("/api/search", params)
    assert response.status_code in (200, 400)
    json.loads(response.content)


def test_an_untitled_news_photo_is_found_by_its_caption(client, archive):
    status, data = api(client, q="农安县")
    assert status == 200 and data["total"] == 1
    assert data["results"][0]["title"] == "（图片新闻，无标题）"
    assert "<mark>农安县</mark>" in data["results"][0]["snippet"]
    assert client.get("/search/", {"q": "农安县"}).status_code == 200


def test_a_page_past_the_end_is_empty(client, archive):
    status, data = api(client, q="王鑫", page="7")
    assert status == 200 and data["total"] == 1 and data["results"] == [] and data["next"] is None
    status, data = api(client, q="王鑫", page="0")
    assert status == 400


def test_suggest_names_known_persons_and_places(client, archive):
    data = json.loads(client.get("/api/suggest", {"q": "九台"}).content)
    first = data["suggestions"][0]
    assert (first["name"], first["kind"], first["articles"]) == ("九台区", "place", 2)
    assert first["url"].startswith("/places/")
    names = [s["name"] for s in json.loads(client.get("/api/suggest", {"q": "張恩"}).content)["suggestions"]]
    assert names == ["张恩惠"]
    refused = client.get("/api/suggest", {"q": "\x00"})  # a NUL is refused before any query (archive.errors)
    assert refused.status_code == 400 and json.loads(refused.content)["status"] == 400
    page = client.get("/search/", {"q": "九台"}).content.decode()
    assert '<nav class="known"' in page and "九台区" in page.split('<nav class="known"')[1]


def test_results_narrow_by_mentioned_person_and_place(client, archive):
    status, data = api(client, q="疫情", place="九台区")
    assert status == 200 and data["total"] == 2
    assert {f["value"] for f in data["facets"]["place"]} >= {"九台区", "长春市"}
    status, data = api(client, q="担当", mentioned="张恩惠")
    assert data["total"] == 2


def test_facet_counts_are_exact_for_rare_and_for_common_words(archive):
    from collections import Counter

    from articles.models import Article
    from search import engine
    from search import query as q
    from search.search_indexes import name_pieces

    total = Article.objects.count()
    sizes = []
    for text in ("疫情", "张恩惠", "的"):
        parsed = q.parse(text)
        keys = engine.matching_keys(parsed)
        sizes.append(len(keys))
        page = engine.run(parsed)
        articles = Article.objects.filter(key__in=keys).select_related("source")
        assert dict(page.facets["source"]) == dict(Counter(a.source.name for a in articles))
        expected_persons = Counter(n for a in articles for n in set(name_pieces(a)))
        assert dict(page.facets["person"]) == dict(expected_persons)
    assert min(sizes) < total / 2 < max(sizes)  # both ways of counting were used


def result_for(client, text: str, key: str) -> dict:
    """The API's result for article `key` among the matches of `text`, on whichever page."""
    data = api(client, q=text)[1]
    while True:
        for result in data["results"]:
            if result["id"] == key:
                return result
        assert data["next"], f"{key} not found for {text}"
        data = json.loads(client.get(data["next"]).content)


def unique_phrase(text: str, elsewhere: str, length: int = 4) -> str | None:
    """A run of `length` CJK characters of `text` printed nowhere in `elsewhere`."""
    for start in range(len(text) - length + 1):
        phrase = text[start : start + length]
        if all("\u4e00" <= ch <= "\u9fff" for ch in phrase) and phrase not in elsewhere:
            return phrase
    return None


@pytest.mark.parametrize("kind", ["byline", "subtitle", "kicker", "column", "caption", "body"])
def test_a_result_shows_the_part_it_matched_in_marked_and_named(client, archive, kind):
    """For every article with such a part: search a phrase printed only there, and the result
    shows that part, named, the phrase marked, on the page and in the API."""
    from search.search_indexes import snippet_parts_of

    articles = list(Article.objects.select_related("subject").order_by("pk"))
    checked = with_part = 0
    for article, parts in zip(articles, snippet_parts_of(articles).values(), strict=True):
        here = [text for k, text in parts if k == kind]
        if not here:
            continue
        with_part += 1
        elsewhere = " ".join([text for k, text in parts if k != kind] + [article.title])
        if kind == "byline":  # the name ("本报记者 李抑婧"): a role is not searched for
            names = [b.person.name for b in article.bylines.all() if b.person.name not in elsewhere]
            phrase = names[0] if names else None
        else:
            phrase = unique_phrase(here[0], elsewhere)
        if phrase is None:
            continue
        hit = result_for(client, phrase, article.key)
        assert kind in hit["matched_in"] and f"<mark>{phrase}</mark>" in hit["snippet"], (kind, phrase)
        label = {
            "byline": "署名",
            "subtitle": "副题",
            "kicker": "引题",
            "column": "栏目",
            "caption": "图片说明",
            "body": "正文",
        }
        assert f"{label[kind]}：" in hit["snippet"]
        checked += 1
    assert checked >= min(3, with_part) > 0
    page = client.get("/search/", {"q": phrase}).content.decode()
    assert f'<span class="matched-in">{label[kind]}</span>' in page and f"<mark>{phrase}</mark>" in page


def test_a_result_that_matched_only_in_its_headline_shows_the_opening_unnamed(client, archive):
    status, data = api(client, q="戍边人")
    hit = next(r for r in data["results"] if r["title"] == "边境线上“戍边人”")
    assert hit["matched_in"] == [] and "<mark>" not in hit["snippet"] and hit["snippet"]
