"""The search page and its JSON twin."""

import heapq
from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse

from search import engine
from search import query as q
from search.analysis import variants
from search.highlight import snippet_html
from search.web.forms import SearchForm


def _search(request):
    """Validate, search, and return (form, page or None)."""
    form = SearchForm(request.GET)
    if not form.is_valid() or not form.cleaned_data["q"]:
        return form, None
    data = form.cleaned_data
    page, sort = data["page"] or 1, data["sort"] or "relevance"
    return form, engine.run(data["q"], form.filters(), page=page, sort=sort, facet_values=engine.FACET_VALUES)


def _page_url(request, name: str, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return f"{reverse(name)}?{urlencode(sorted(params.items()))}"


def search_page(request):
    form, page = _search(request)
    context = {"form": form, "page": page, "query": request.GET.get("q", "")}
    if page and form.cleaned_data["q"].terms:
        context["known"] = suggestions(form.cleaned_data["q"].terms[0], limit=8)
    if page:
        labels = _source_labels(value for value, _ in page.facets.get("source", [])[:12])
        context["facet_links"] = {
            name: [
                (labels.get(value, value) if name == "source" else value, count, _facet_url(request, name, value))
                for value, count in counts[:12]
            ]
            for name, counts in page.facets.items()
        }
        if page.page < page.pages:
            context["next_url"] = _page_url(request, "search:page", page.page + 1)
        if page.page > 1:
            context["previous_url"] = _page_url(request, "search:page", page.page - 1)
    status = 400 if form.errors else 200
    return render(request, "search/search.html", context, status=status)


def _source_labels(names) -> dict[str, str]:
    """The reader's names of sources, by file name (the source facet's values)."""
    from articles.models import Source

    return dict(Source.objects.filter(name__in=list(names)).values_list("name", "title"))


def _facet_url(request, name: str, value: str) -> str:
    params = request.GET.copy()
    params[name] = value
    params.pop("page", None)
    return f"{reverse('search:page')}?{urlencode(sorted(params.items()))}"


def search_api(request):
    form, page = _search(request)
    if form.errors:
        errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
        return JsonResponse(
            {"error": " ".join(m for msgs in errors.values() for m in msgs), "fields": errors}, status=400
        )
    if page is None:
        return JsonResponse({"total": 0, "page": 1, "next": None, "results": [], "message": "empty query"})
    more = page.page < page.pages
    return JsonResponse(
        {
            "total": page.total,
            "page": page.page,
            "next": request.build_absolute_uri(_page_url(request, "search:api", page.page + 1)) if more else None,
            "results": [
                {
                    "id": r.article.key,
                    "url": request.build_absolute_uri(r.article.get_absolute_url()),
                    "title": str(r.article.display_title),
                    "source": r.article.source.title,
                    "date": r.article.date_label or None,
                    "snippet": str(snippet_html(r.snippet)),
                    "matched_in": [part.kind for part in r.snippet if part.matched],
                }
                for r in page.results
            ],
            "facets": {name: [{"value": v, "count": c} for v, c in counts] for name, counts in page.facets.items()},
        },
        json_dumps_params={"ensure_ascii": False},
    )


def suggestions(text: str, limit: int = 10) -> list[dict]:
    """Known persons and places whose name holds the typed text (張 finds 张), best known first."""
    from django.db.models import Q

    from articles.counts import name_counts
    from articles.models import Person, Place

    text = q.clean_input(text).strip()[:50]
    if not text:
        return []
    names = Q()
    for variant in variants(text):
        names |= Q(name__contains=variant)
    counts = name_counts()
    people = Person.objects.filter(names).only("name", "kind")
    places = Place.objects.filter(names).only("name")
    found = [
        {"name": p.name, "kind": p.kind, "url": p.get_absolute_url(), "articles": n}
        for n, p in _best(people, lambda p: counts.wrote.get(p.pk, 0) + counts.mentioned.get(p.pk, 0), limit)
    ]
    found += [
        {"name": p.name, "kind": "place", "url": p.get_absolute_url(), "articles": n}
        for n, p in _best(places, lambda p: counts.places.get(p.pk, 0), limit)
    ]
    found.sort(key=lambda s: (not s["name"].startswith(text), -s["articles"], len(s["name"])))
    return found[:limit]


def _best(rows, count, limit: int) -> list[tuple[int, object]]:
    """(count, row) of the `limit` rows with the highest counts, then by name."""
    return heapq.nsmallest(limit, ((count(row), row) for row in rows), key=lambda pair: (-pair[0], pair[1].name))


def suggest_api(request):
    return JsonResponse(
        {"query": request.GET.get("q", ""), "suggestions": suggestions(request.GET.get("q", ""))},
        json_dumps_params={"ensure_ascii": False},
    )
