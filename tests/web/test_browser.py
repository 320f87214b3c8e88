"""A reader in a real browser: headless Chromium driven by Playwright, checked by axe-core.

Chromium comes from Debian's package (`make test` installs it); without it this
test fails with a message saying so, it is never skipped.
"""

import datetime as dt
import io
import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from articles.models import Article, Person, Place
from articles.timelines import articles_of_persons

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path("test-artifacts") / "screenshots"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: run `make test` (it installs Debian's chromium and fonts-noto-cjk).")
    # Playwright's sync API keeps an event loop running in this thread; the test's own database
    # calls are synchronous all the same, so Django's guard against async use is lifted meanwhile.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def site(transactional_db, live_server):
    from django.core.management import call_command

    call_command("load_sources", stdout=io.StringIO())  # into an empty database: a new index too
    return live_server.url


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size_name, size in SIZES.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{size_name}.png"), full_page=True)
    page.set_viewport_size(SIZES["desktop"])


def test_a_reader_browses_reads_follows_a_byline_and_searches(browser, site):
    page = browser.new_page(viewport=SIZES["desktop"], locale="zh-CN")
    problems = {}

    page.goto(site + "/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.get_by_role("heading", level=1).inner_text() == "新闻档案库"
    problems["home"] = serious_violations(page)
    shoot(page, "home")

    # Home → publications → the magazine issue → an article from its contents.
    page.get_by_role("link", name="报刊").first.click()
    page.get_by_role("link", name="研究与交流").click()
    page.get_by_role("link", name="2022年第2期").click()
    assert page.get_by_role("heading", name="目录").is_visible()
    problems["source"] = serious_violations(page)
    page.locator(".contents").get_by_role("link", name="坚决打赢疫情防控歼灭战").click()
    assert page.get_by_role("heading", level=1).inner_text() == "坚决打赢疫情防控歼灭战"
    assert page.get_by_text("丰满区泰山街道党工委").first.is_visible()

    # A newspaper article with a byline, followed to the person page.
    article = Article.objects.get(title="彰显担当作为 凝聚组织力量", source__name__startswith="000")
    page.goto(site + article.get_absolute_url())
    problems["article"] = serious_violations(page)
    shoot(page, "article")
    # From the article to a place it mentions, and back.
    page.locator(".mentioned").get_by_role("link", name="九台区").click()
    assert page.get_by_role("heading", level=1).inner_text() == "九台区"
    assert page.get_by_text("当天下午，42名党员携物资奔赴九台。").first.is_visible()
    problems["place"] = serious_violations(page)
    page.go_back()
    page.locator(".mentioned").get_by_role("link", name="张恩惠").click()
    assert page.get_by_role("heading", level=1).inner_text() == "张恩惠"
    page.go_back()
    page.locator(".bylines").get_by_role("link", name="李抑婧").click()
    assert page.get_by_role("heading", level=1).inner_text() == "李抑婧"
    assert page.get_by_role("link", name="彰显担当作为 凝聚组织力量").count() == 2
    problems["person"] = serious_violations(page)
    shoot(page, "person")

    # Search for a place and open a highlighted hit; typing suggests known names.
    page.locator("#site-q").fill("九台")
    page.wait_for_function("document.querySelectorAll('#known-names-0 option').length > 0")
    assert page.locator("#known-names-0 option").first.get_attribute("value") == "九台区"
    page.locator("#site-q").press("Enter")
    page.wait_for_url("**/search/?q=*")
    marks = page.locator("ol.results mark")
    assert marks.count() >= 2 and marks.first.inner_text() == "九台"
    problems["search"] = serious_violations(page)
    shoot(page, "search")
    page.locator("ol.results h2 a").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "彰显担当作为 凝聚组织力量"
    assert page.get_by_text("九台").first.is_visible()

    assert {name: found for name, found in problems.items() if found} == {}
    page.close()


def test_a_reader_finds_where_on_the_map_and_when_on_timelines(browser, site):
    """The place index's map to a province, a dot to a place, its locator; timelines' bars to
    the articles of their month. Screenshots at both widths (test-artifacts/screenshots/)."""
    page = browser.new_page(viewport=SIZES["desktop"], locale="zh-CN")
    problems = {}
    page.goto(site + "/places/")
    assert page.locator("svg.china a").count() >= 34  # every province a link, and the cities' dots
    problems["places"] = serious_violations(page)
    shoot(page, "places-map")
    page.locator('svg.china a[aria-label^="吉林省："]').click()
    page.wait_for_url("**/places/?province=*")
    assert page.locator("section.province h2").all_inner_texts() == ["吉林省"]
    problems["province"] = serious_violations(page)
    shoot(page, "province-map")
    dot = page.locator("svg.china a:has(circle.dot)").first
    name = dot.get_attribute("aria-label").split("：")[0]
    dot.click()
    assert page.get_by_role("heading", level=1).inner_text() == name
    place = Place.objects.get(name=name)
    assert place.province == "吉林省" and page.locator("figure.locator svg.china use.shade-5").count() == 1
    problems["place"] = serious_violations(page)
    shoot(page, "place-locator")
    _follow_first_bar(page, expected=Article.objects.filter(mentions__place=place).distinct())

    person = max(Person.objects.all(), key=lambda p: p.mentions.count() + p.bylines.count())
    page.goto(site + person.get_absolute_url())
    problems["person"] = serious_violations(page)
    shoot(page, "person-timeline")
    _follow_first_bar(page, expected=Article.objects.filter(articles_of_persons([person])).distinct())

    page.goto(site + "/")
    page.locator("figure.timeline svg a").first.click()
    page.wait_for_url("**/dates/*/*/")
    problems["month"] = serious_violations(page)
    assert {name: found for name, found in problems.items() if found} == {}
    page.close()


def _follow_first_bar(page, expected):
    """Click the timeline's first bar: the page then lists exactly the expected articles of that month."""
    bar = page.locator("figure.timeline svg a").first
    count = int(re.search(r"(\d+)篇文章", bar.get_attribute("aria-label")).group(1))
    bar.click()
    page.wait_for_url("**period=*")
    year, month = map(int, re.search(r"period=(\d{4})-(\d{2})", page.url).groups())
    keys = {
        link.split("/")[-2]
        for link in page.locator("main a[href^='/articles/']").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    }
    in_month = [
        a
        for a in expected.select_related("source")
        if (a.date or a.source.date_start or dt.date.min).timetuple()[:2] == (year, month)
    ]
    assert len(in_month) == count and {unquote(k) for k in keys} == {a.key for a in in_month}


def test_pages_work_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False, viewport=SIZES["phone"])
    page = context.new_page()
    page.goto(site + "/search/?q=梅河口")
    assert page.locator("ol.results li").count() == 3
    page.locator("ol.results h2 a").first.click()
    assert "梅河口" in page.content()
    context.close()


@pytest.fixture
def world_site(transactional_db, live_server):
    """The real sources and a page about a trip abroad (tests/web/data/): foreign places."""
    from django.core.management import call_command

    call_command("load_sources", str(Path(__file__).parent / "data"), stdout=io.StringIO())
    call_command("load_sources", stdout=io.StringIO())  # forty articles after one: a new index
    return live_server.url


def test_a_reader_finds_a_city_abroad_and_a_person_named_only_in_the_text(browser, world_site):
    page = browser.new_page(viewport=SIZES["desktop"], locale="zh-CN")
    problems = {}

    page.goto(world_site + "/places/")
    cities_abroad = page.locator("section.place-group", has=page.get_by_role("heading", name="外国城市"))
    assert cities_abroad.get_by_role("link", name="柏林").is_visible()
    assert page.locator("section.place-group", has=page.get_by_role("heading", name="河流")).is_visible()
    problems["places"] = serious_violations(page)
    shoot(page, "places")
    cities_abroad.get_by_role("link", name="巴黎").click()
    assert page.get_by_role("heading", level=1).inner_text() == "巴黎"
    assert page.get_by_text("外国城市").first.is_visible() and page.get_by_text("法国").first.is_visible()
    assert (
        page.locator("ol.mentions blockquote").first.inner_text() == "吉林大米走进巴黎"
    )  # its first mention: the title
    problems["city abroad"] = serious_violations(page)
    shoot(page, "place-abroad")

    # From the place to the article, and to a person no byline names, only its text.
    page.locator("ol.mentions a").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "吉林大米走进巴黎"
    page.locator(".mentioned").get_by_role("link", name="王立新").click()
    assert page.get_by_role("heading", level=1).inner_text() == "王立新"
    assert page.get_by_text("代表团团长王立新介绍").first.is_visible()
    problems["person in the text"] = serious_violations(page)
    shoot(page, "person-in-text")

    assert {name: found for name, found in problems.items() if found} == {}
    page.close()


def test_layout_on_a_phone_and_a_desktop(browser, site):
    """Long sources fold under their contents; dates and page numbers never break; buttons are
    the site's; list lines never start or end with a separator."""
    page = browser.new_page(viewport=SIZES["phone"], locale="zh-CN")
    problems = {}

    page.goto(site + "/")
    magazine = page.get_by_role("link", name="研究与交流 2022年第2期")
    magazine.click()
    assert page.get_by_role("heading", level=1).inner_text() == "研究与交流 2022年第2期"
    for size in SIZES.values():
        page.set_viewport_size(size)
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < 12000, height  # the 25 articles' text is folded, not 90,000 px
    page.set_viewport_size(SIZES["phone"])
    entry = page.locator("ul.toc li", has=page.get_by_role("link", name="坚决打赢疫情防控歼灭战"))
    assert (
        entry.locator(".page").inner_text() == "第9页"
        and page.locator("ul.toc").first.evaluate("list => getComputedStyle(list).listStyleType") == "none"
    )  # the printed page number alone, no list number beside it
    part = page.locator(".original details", has=page.locator("summary", has_text="坚决打赢疫情防控歼灭战"))
    assert not part.locator("pre").is_visible()
    part.locator("summary").click()
    assert part.locator("pre").is_visible() and "泰山街道" in part.locator("pre").inner_text()
    part.get_by_role("link", name="回到目录").click()
    assert page.evaluate("location.hash") == "#contents"
    problems["source"] = serious_violations(page)
    shoot(page, "source-folded")

    # On a phone, a date or a page number stays on one line, and no line ends with a separator.
    page.goto(site + "/persons/李抑婧/")
    for meta in page.locator(".meta").all():
        assert not meta.inner_text().strip().endswith("·") and not meta.inner_text().strip().startswith("·")
    for piece in page.locator(".nowrap").all():
        assert piece.evaluate("e => e.getClientRects().length") == 1, piece.inner_text()
    shoot(page, "person-phone")

    page.goto(site + "/search/?q=桑宏")
    button = page.get_by_role("button", name="搜索").first
    assert (
        button.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(138, 28, 28)"
    )  # the site's, not the browser's
    hit = page.locator("ol.results li").first
    assert hit.locator(".matched-in").inner_text() == "署名" and hit.locator("mark").inner_text() == "桑宏"
    problems["search"] = serious_violations(page)
    shoot(page, "search-byline")

    assert page.request.get(site + "/favicon.ico").status == 200
    assert {name: found for name, found in problems.items() if found} == {}
    page.close()
