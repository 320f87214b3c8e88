"""Reading pages: home, publications, sources, articles, dates and persons. All read-only."""

from __future__ import annotations

import json
from collections import Counter, OrderedDict
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Prefetch, Q
from django.db.models.functions import Substr, Upper
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.generic.dates import DayArchiveView

from .citation import cite
from .counts import archive_wide, name_counts, per_name
from .export import article_record
from .maps import shading
from .models import Article, Byline, Mention, Person, Place, Section, Source
from .source_text import runs
from .timelines import articles_in_period, articles_of_persons, articles_of_place, month_counts, period_of, timeline

UNNAMED = "-"  # the URL of sources that print no publication name


HOME_SOURCES = 30


def home(request):
    context = {**archive_wide("home", _home_figures), "timeline": _archive_timeline()}
    return render(request, "articles/home.html", context)


def _archive_timeline():
    """The whole archive's articles per month, each bar a link to that month's (or year's) page."""
    return timeline(_archive_months(), _date_page)


def _archive_months() -> dict:
    return archive_wide("months", lambda: month_counts(Article.objects.all()))


def _date_page(year: int, month: int | None) -> str:
    if month is None:
        return reverse("articles:year", args=[year])
    return reverse("articles:month", args=[year, month])


def warm_up() -> None:
    """Compute the browse pages' archive-wide figures now (gunicorn's master, before forking)."""
    archive_wide("home", _home_figures)
    _archive_timeline()
    archive_wide("publications", _publications)
    archive_wide("initials", _initials)
    archive_wide("province-articles", _province_articles)
    name_counts()
    shading.gazetteer()  # the maps' places, read once and shared with the workers
    for place in Place.objects.only("name"):  # the place index's links, made once for every worker
        place.get_absolute_url()
    templates = settings.BASE_DIR / "templates"
    for path in templates.rglob("*.html"):
        get_template(path.relative_to(templates).as_posix())  # compiled once, kept by the cached loader


def _home_figures() -> dict:
    articles = Article.objects.with_effective_date()
    span = articles.aggregate(first=Min("effective"), last=Max("effective"))
    months = _archive_months()
    stats = {
        "publications": Source.objects.exclude(publication="").values("publication").distinct().count(),
        "sources": Source.objects.count(),
        "articles": sum(n for *_month, n in months["months"]) + months["undated"],
        "persons": Person.objects.count(),
        "first": span["first"],
        "last": span["last"],
    }
    recent = (
        Article.objects.for_lists().with_effective_date().filter(effective__isnull=False).order_by("-effective")[:8]
    )
    # The newest sources (all of them in a small archive); the rest by publication and date.
    sources = Source.objects.defer("metadata").order_by("-loaded_at", "-pk")[:HOME_SOURCES]
    sources = sources.annotate(article_count=Count("articles"))
    more = stats["sources"] > HOME_SOURCES
    return {"stats": stats, "recent": list(recent), "sources": list(sources), "more": more}


def publications(request):
    groups = archive_wide("publications", _publications)
    return render(request, "articles/publications.html", {"groups": groups, "unnamed": UNNAMED})


def _publications() -> list[dict]:
    groups = Source.objects.values("publication").annotate(
        sources=Count("id", distinct=True), articles=Count("articles")
    )
    return list(groups.order_by("publication"))


def publication_detail(request, name):
    publication = "" if name == UNNAMED else name
    sources = (
        Source.objects.filter(publication=publication)
        .annotate(article_count=Count("articles"))
        .order_by("date_start", "name")
    )
    if not sources:
        raise Http404("no such publication")
    return render(request, "articles/publication.html", {"publication": publication, "sources": sources})


def source_detail(request, name):
    source = get_object_or_404(Source, name=name)
    articles = list(
        source.articles.prefetch_related("sections__paragraphs", "captions", "bylines").order_by("position")
    )
    contents = source.contents.select_related("article")
    columns: OrderedDict[str, list] = OrderedDict()
    for entry in contents:
        columns.setdefault(entry.column, []).append(entry)
    return render(
        request,
        "articles/source.html",
        {"source": source, "articles": articles, "columns": columns, "runs": runs(source.text, articles)},
    )


def _article(key):
    return get_object_or_404(
        Article.objects.select_related("source", "subject").prefetch_related(
            Prefetch("sections", queryset=Section.objects.prefetch_related("paragraphs")),
            Prefetch("bylines", queryset=Byline.objects.select_related("person")),
            Prefetch("mentions", queryset=Mention.objects.select_related("person", "place")),
            "captions__credits__person",
        ),
        key=key,
    )


# Other printings listed under an article (a wire report can be reprinted by hundreds of papers).
REPRINTS_SHOWN = 10


def article_detail(request, key):
    article = _article(key)
    neighbours = Article.objects.filter(source_id=article.source_id).only("key", "title", "kicker", "position", "page")
    previous = neighbours.filter(position__lt=article.position).order_by("-position").first()
    following = neighbours.filter(position__gt=article.position).order_by("position").first()
    bylines = article.credited_bylines()
    url = request.build_absolute_uri(article.get_absolute_url())
    end_page = following.page - 1 if following and following.page and article.page else None
    mentions = article.mentions.all()
    return render(
        request,
        "articles/article.html",
        {
            "article": article,
            "bylines": bylines,
            "mentioned_persons": list(dict.fromkeys(m.person for m in mentions if m.person)),
            "mentioned_places": list(dict.fromkeys(m.place for m in mentions if m.place)),
            "previous": previous,
            "next": following,
            "reprints": article.reprints()[:REPRINTS_SHOWN],
            "more_reprints": max(0, article.reprints().count() - REPRINTS_SHOWN),
            "permalink": url,
            "citation": cite(article, bylines, url, timezone.localdate(), end_page),
            "json_ld": _json_ld(article, bylines, url),
        },
    )


def _json_ld(article, bylines, url) -> str:
    """schema.org NewsArticle as a script element, escaped so no text can end the script."""
    text = json.dumps(_json_ld_data(article, bylines, url), ensure_ascii=False)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, code)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 (escaped above)


def _json_ld_data(article, bylines, url) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": str(article.display_title),
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": "zh-Hans",
        "author": [
            {"@type": "Organization" if b.person.kind == "organisation" else "Person", "name": b.person.name}
            for b in bylines
        ],
    }
    if article.date_label:
        data["datePublished"] = article.date_label
    if article.publication:
        data["publisher"] = {"@type": "Organization", "name": article.publication}
    if article.subtitle:
        data["alternativeHeadline"] = article.subtitle
    if article.page:
        data["pageStart"] = article.page
    return data


def article_api(request, key):
    return JsonResponse(article_record(_article(key)), json_dumps_params={"ensure_ascii": False})


def dates(request):
    context = {**_years(), "timeline": _archive_timeline()}
    return render(request, "articles/dates.html", context)


def _years() -> dict:
    """Articles per year, summed from the archive's months (no query of its own)."""
    counts = _archive_months()
    years = Counter()
    for year, _month, n in counts["months"]:
        years[year] += n
    return {"years": [{"year": year, "n": n} for year, n in sorted(years.items())], "undated": counts["undated"]}


def year_detail(request, year):
    months = [{"month": month, "n": n} for y, month, n in _archive_months()["months"] if y == year]
    if not months:
        raise Http404("nothing printed that year")
    return render(request, "articles/year.html", {"year": year, "months": months})


def month_detail(request, year, month):
    dated = Article.objects.in_period(year, month)
    per_day = dated.on_exact_days().values_list("effective").annotate(n=Count("id")).order_by("effective")
    days = [{"day": day.day, "n": n} for day, n in per_day]  # grouped by date: see timelines.month_counts
    whole_month = Article.objects.for_lists().in_period(year, month).not_on_exact_days()
    if not days and not whole_month:
        raise Http404("nothing printed that month")
    return render(
        request,
        "articles/month.html",
        {"year": year, "month": month, "days": days, "whole_month": whole_month.in_printed_order()},
    )


class DayArticles(DayArchiveView):
    """A day's articles, with the days before and after it that have any: Django's day archive
    over the effective date (an annotation, not a column, hence `uses_datetime_field`)."""

    date_field = "effective"
    uses_datetime_field = False
    month_format = "%m"
    allow_empty = False  # a 404 for a day nothing was printed on, as for an impossible one
    allow_future = True  # the archive's dates are the sources', not the server's clock
    template_name = "articles/day.html"
    context_object_name = "articles"

    def get_year(self) -> str:
        return f"{self.kwargs['year']:04d}"  # strptime's %Y reads four digits

    def get_queryset(self):
        return Article.objects.for_lists().with_effective_date().on_exact_days().in_printed_order()


# Rendering a row (a link and up to three counted phrases) is the persons page's main cost.
PERSONS_PER_PAGE = 100


def persons(request):
    """Everyone in pinyin order, a page at a time, with a link to where each initial starts."""
    ordered = Person.objects.order_by("pinyin", "name")
    page = Paginator(ordered.values_list("pk", flat=True), PERSONS_PER_PAGE).get_page(request.GET.get("page"))
    people = list(ordered.filter(pk__in=list(page)))
    counts = name_counts()
    for person in people:
        person.wrote = counts.wrote.get(person.pk, 0)
        person.portrayed = counts.portrayed.get(person.pk, 0)
        person.mentioned = counts.mentioned.get(person.pk, 0)
    letters = archive_wide("initials", _initials) if page.paginator.num_pages > 1 else []
    context = {"persons": people, "page": page, "letters": letters}
    return render(request, "articles/persons.html", context)


def _initials() -> list[tuple[str, int]]:
    """Each initial of the persons index and the page where it starts."""
    initials = (
        Person.objects.annotate(initial=Upper(Substr("pinyin", 1, 1)))
        .values("initial")
        .annotate(n=Count("id"))
        .order_by("initial")
    )
    letters, start = [], 0
    for row in initials:
        letters.append((row["initial"] or "#", start // PERSONS_PER_PAGE + 1))
        start += row["n"]
    return letters


LIST_PER_PAGE = 100  # articles and mentions on a person's or place's page
# A listed article's source without its masthead and colophon (its text is apart: SourceText).
SOURCE_FILE_FIELDS = ("article__source__metadata",)


def _paged(request, queryset):
    return Paginator(queryset, LIST_PER_PAGE).get_page(request.GET.get("page"))


def person_detail(request, name):
    """What a person wrote and where they are named, a hundred of each a page (a provincial
    leader is named in thousands of articles); ?period=2020-02 (or 2020) keeps one month's."""
    people = Person.objects.filter(name=name)
    if not people:
        raise Http404("no such person")
    in_period, period = articles_in_period(request.GET.get("period"))
    bylines = Byline.objects.filter(person__in=people)
    portraits = Article.objects.for_lists().filter(subject__in=people)
    mentioned = Mention.objects.filter(person__in=people)
    if in_period is not None:
        bylines, mentioned = bylines.filter(article__in=in_period), mentioned.filter(article__in=in_period)
        portraits = portraits.filter(pk__in=in_period)
    bylines = _paged(
        request,
        bylines.select_related("article__source")
        .defer(*SOURCE_FILE_FIELDS)
        .order_by("role", "article__source__name", "article__position", "pk"),
    )
    roles: OrderedDict[str, list] = OrderedDict()
    for byline in bylines:
        articles = roles.setdefault(byline.role, [])
        if byline.article not in articles:
            articles.append(byline.article)
    mentioned = _paged(
        request,
        mentioned.select_related("article__source")
        .defer(*SOURCE_FILE_FIELDS)
        .order_by("article__source__name", "article__position", "pk"),
    )
    key = "person:" + ",".join(str(pk) for pk in sorted(p.pk for p in people))
    months = per_name(key, lambda: month_counts(Article.objects.filter(articles_of_persons(people))))
    pager = max(bylines, mentioned, key=lambda p: p.paginator.num_pages)
    return render(
        request,
        "articles/person.html",
        {
            "name": name,
            "people": people,
            "roles": roles,
            "portraits": portraits.in_printed_order(),
            "mentioned": mentioned,
            "pager": pager,
            **_timeline_context(request, months, period),
        },  # fmt: skip
    )


def _timeline_context(request, months: dict, period) -> dict:
    """A person's or place's timeline, its bars linking back to this page for one period."""
    here = request.path
    line = timeline(months, lambda year, month: f"{here}?period={period_of(year, month)}")
    chosen = period_of(*period) if period else ""
    return {"timeline": line, "period": period, "pager_query": f"period={chosen}&" if chosen else ""}


PLACES_ON_ONE_PAGE = 300
# The groups of the place index after China's divisions, in this order.
OTHER_GROUPS = [
    (Place.Kind.COUNTRY, _("Countries")),
    (Place.Kind.WORLD_CITY, _("Cities abroad")),
    (Place.Kind.REGION, _("Regions")),
    (Place.Kind.RIVER, _("Rivers")),
    (Place.Kind.LAKE, _("Lakes")),
    (Place.Kind.MOUNTAIN, _("Mountains")),
    (Place.Kind.SEA, _("Seas, bays and islands")),
    (Place.Kind.OTHER, _("Other places")),
]
CHINA_KINDS = (Place.Kind.PROVINCE, Place.Kind.CITY, Place.Kind.COUNTY, Place.Kind.LOCAL)


def places(request):
    """China's places by province and city (in pinyin order), then countries, cities abroad,
    regions, rivers, lakes, mountains, seas and the rest, each with the number of articles
    that name it. A large archive names most of China's counties: then the page lists the
    provinces and the groups, and each is a page of its own (?province=, ?group=)."""
    counts = name_counts().places
    sizes = Place.objects.values_list("kind", "province").annotate(n=Count("id")).order_by()
    by_province: dict[str, int] = {}
    others: dict[str, int] = {}
    for kind, province, n in sizes:
        if kind in CHINA_KINDS:
            by_province[province] = by_province.get(province, 0) + n
        else:
            others[kind] = others.get(kind, 0) + n
    provinces = sorted(by_province.items(), key=lambda row: shading.pinyin_of(row[0]) if row[0] else "~")
    split = sum(by_province.values()) + sum(others.values()) > PLACES_ON_ONE_PAGE
    chosen_province, chosen_group = request.GET.get("province"), request.GET.get("group")
    rows = Place.objects.all()
    if chosen_province is not None:  # a province's part of the index, as its map links to
        rows = rows.filter(kind__in=CHINA_KINDS, province=chosen_province)
    elif split:
        if chosen_group is not None:
            rows = rows.filter(kind=chosen_group)
        else:
            rows = rows.none()
    china, grouped = [], {}
    for place in rows:
        place.n = counts.get(place.pk, 0)
        if place.kind in CHINA_KINDS:
            china.append(place)
        else:
            grouped.setdefault(place.kind, []).append(place)
    groups = [
        {"kind": kind, "label": label, "places": sorted(grouped[kind], key=lambda p: p.pinyin)}
        for kind, label in OTHER_GROUPS
        if kind in grouped
    ]
    context = {
        "china": _by_province_and_city(china),
        "map": _places_map(chosen_province, counts),
        "groups": groups,
        "provinces": provinces if split else [],
        "other_groups": [(k, label, others[k]) for k, label in OTHER_GROUPS if others.get(k)] if split else [],
        "chosen": chosen_province,
        "chosen_group": chosen_group,
    }
    return render(request, "articles/places.html", context)


ABROAD_BESIDE_MAP = 12  # the places outside China most often named, listed beside the map
ABROAD_KINDS = (Place.Kind.COUNTRY, Place.Kind.WORLD_CITY)
CHINA_NAMES = ("中国", "中华人民共和国")  # a country the articles name, but not abroad


def _places_map(chosen_province: str | None, counts: dict[int, int]) -> dict:
    """China's provinces shaded by the articles naming a place in them, each a link to its part
    of the index, with the cities the archive names as dots; for a chosen province, its map with
    its cities and counties. Beside it, the places abroad most often named."""
    by_province = archive_wide("province-articles", _province_articles)
    provinces, legend = shading.shaded_provinces(by_province)
    code = shading.province_code(chosen_province) if chosen_province else None
    if code:
        marked = Q(kind__in=(Place.Kind.CITY, Place.Kind.COUNTY), province=chosen_province)
    else:
        marked = Q(kind=Place.Kind.CITY) & ~Q(province="")
    dots, abroad = [], []
    rows = Place.objects.filter(marked | Q(kind__in=ABROAD_KINDS)).only(
        "name", "kind", "province", "city", "county", "pinyin"
    )
    for place in rows:  # one query for the dots and the places abroad
        n = counts.get(place.pk, 0)
        if not n:
            continue
        if place.kind in ABROAD_KINDS:
            if place.name not in CHINA_NAMES:
                abroad.append((place, n))
        elif at := shading.position_of(place):
            dots.append(shading.Dot(place.name, place.get_absolute_url(), n, *at, shading.label(place.name, n)))
    abroad.sort(key=lambda row: (-row[1], row[0].pinyin))
    return {
        "provinces": provinces,
        "legend": legend,
        "dots": sorted(dots, key=lambda d: -d.n),
        "province": chosen_province if code else None,
        "code": code,
        "view": shading.province_view(code) if code else shading.national_view(),
        "radius": shading.dot_radius(code),
        "cities": shading.city_codes(chosen_province) if code else [],
        "abroad": abroad[:ABROAD_BESIDE_MAP],
    }


def _province_articles() -> dict[str, int]:
    """How many articles name a place in each province (a place named twice counts once)."""
    rows = (
        Mention.objects.filter(place__kind__in=CHINA_KINDS)
        .exclude(place__province="")
        .values("place__province")
        .annotate(n=Count("article", distinct=True))
        .order_by()
    )
    return {row["place__province"]: row["n"] for row in rows}


def _by_province_and_city(rows) -> list[dict]:
    """[{province, cities: [{city, places}]}]: a city's own entry first, then its counties and
    the streets, towns and villages in it; places whose city is not known under their province."""
    provinces: dict[str, dict[str, list]] = {}
    for place in rows:
        city = place.city if place.kind != Place.Kind.PROVINCE else ""
        provinces.setdefault(place.province, {}).setdefault(city, []).append(place)
    order = {Place.Kind.PROVINCE: 0, Place.Kind.CITY: 1, Place.Kind.COUNTY: 2, Place.Kind.LOCAL: 3}
    result = []
    for province in sorted(provinces, key=lambda name: shading.pinyin_of(name) if name else "~"):
        cities = provinces[province]
        result.append(
            {
                "province": province,
                "cities": [
                    {"city": city, "places": sorted(cities[city], key=lambda p: (order[p.kind], p.pinyin))}
                    for city in sorted(cities, key=lambda name: shading.pinyin_of(name) if name else "")
                ],
            }
        )
    return result


def place_detail(request, name):
    """The articles that name a place, a hundred a page, with a locator map for China's places;
    ?period=2020-02 (or 2020) keeps one month's."""
    place = get_object_or_404(Place, name=name)
    in_period, period = articles_in_period(request.GET.get("period"))
    mentions = Mention.objects.filter(place=place)
    if in_period is not None:
        mentions = mentions.filter(article__in=in_period)
    mentions = _paged(
        request,
        mentions.select_related("article__source")
        .defer(*SOURCE_FILE_FIELDS)
        .order_by("article__source__name", "article__position", "pk"),
    )
    months = per_name(f"place:{place.pk}", lambda: month_counts(Article.objects.filter(articles_of_place(place))))
    context = {"place": place, "mentions": mentions, "pager": mentions, **_timeline_context(request, months, period)}
    if place.kind in CHINA_KINDS and place.province:
        context["locator"] = _locator(place)
    return render(request, "articles/place.html", context)


def _locator(place) -> dict | None:
    """China's map with the place's province shaded and a dot where the place is."""
    code = shading.province_code(place.province)
    if code is None:
        return None
    at = shading.position_of(place) if place.kind != Place.Kind.PROVINCE else None
    return {"view": shading.national_view(), "codes": shading.province_codes(), "chosen": code, "at": at}


@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: the site's seal, not a 404."""
    return FileResponse(open(_favicon_path(), "rb"), content_type="image/x-icon")  # noqa: SIM115 (closed by it)


@lru_cache(maxsize=1)
def _favicon_path() -> str:
    """Found among the static folders once per process, not at each request."""
    return finders.find("favicon.ico")


def robots(request):
    lines = ["User-agent: *", f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}"]
    if settings.ADMIN_URL == "admin/":  # a path of its own is not given away here
        lines.insert(1, "Disallow: /admin/")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
