"""Run a reader's search: one Whoosh searcher for query, filters, facets and the page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from haystack import connections
from whoosh import query as wq
from whoosh import sorting

from articles.models import Article
from search import query as q
from search.highlight import SnippetPart, highlight, snippet, term_pattern
from search.search_indexes import snippet_parts_of
from search.whoosh_format import docsets, facets, postings, ranking

PER_PAGE = 10
# Facet values a page lists: the commonest of each facet (a common word names thousands of persons).
FACET_VALUES = 20
# Searched once at start (any word: what it warms is the code a search runs through).
WARM_UP_QUERY = "中国"
# The facets a reader can count and narrow by: an allow-list, nothing else reaches the index.
FACETS = {
    "publication": "publication",
    "column": "column",
    "person": "persons",
    "mentioned": "mentioned_persons",
    "place": "mentioned_places",
    "year": "year",
    "source": "source",
}
MULTI_VALUED = {"persons", "mentioned_persons", "mentioned_places"}
SORTS = {"relevance", "newest", "oldest", "printed"}


@dataclass
class Filters:
    values: dict[str, str] = field(default_factory=dict)  # facet name -> chosen value
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def whoosh(self) -> list[wq.Query]:
        clauses: list[wq.Query] = [wq.Term(FACETS[name], value) for name, value in self.values.items()]
        if self.date_from or self.date_to:
            start = dt.datetime.combine(self.date_from, dt.time.min) if self.date_from else None
            end = dt.datetime.combine(self.date_to, dt.time.max) if self.date_to else None
            clauses.append(wq.DateRange("date", start, end))
        return clauses


@dataclass
class Result:
    article: Article
    title: str
    snippet: list[SnippetPart]


@dataclass
class SearchPage:
    total: int
    page: int
    pages: int
    results: list[Result]
    facets: dict[str, list[tuple[str, int]]]


def warm_up() -> None:
    """Load jieba, open the index and read its facet tables now, then search once (the field
    lengths scoring reads, the modules a search imports): gunicorn's master, before forking,
    so the workers share them and no reader's first search waits for them (the facet tables
    are most of it)."""
    from search.analysis import warm_up as load_jieba

    load_jieba()
    with connections["default"].get_backend().searcher() as searcher:
        facets.columns(searcher, {f: f in MULTI_VALUED for f in FACETS.values()})
        for reader, _ in postings.leaves(searcher):
            for fieldname in reader.schema.scorable_names():
                postings.lengths(reader, fieldname)
    run(q.parse(WARM_UP_QUERY), facet_values=FACET_VALUES)


def run(
    parsed: q.ParsedQuery,
    filters: Filters | None = None,
    page: int = 1,
    sort: str = "relevance",
    facet_values: int | None = None,
) -> SearchPage:
    """The page-th page of articles matching the query, with facet counts over all matches
    (the `facet_values` commonest values of each facet, or all of them)."""
    filters = filters or Filters()
    narrowing = filters.whoosh()
    backend = connections["default"].get_backend()
    with backend.searcher() as searcher:
        matched = _matched(searcher, parsed, narrowing)
        total = len(matched)
        keys = []
        if total and (page - 1) * PER_PAGE < total:
            if sort in ("newest", "oldest", "printed"):
                order = [sorting.FieldFacet("order")]
                if sort != "printed":
                    order.insert(0, sorting.FieldFacet("date", reverse=(sort == "newest")))
                hits = searcher.search_page(
                    q.whoosh_query(parsed), page, pagelen=PER_PAGE, filter=set(matched.tolist()), sortedby=order
                )
                keys = [hit["key"] for hit in hits]
            else:
                keys = _ranked_page(searcher, parsed, matched, (page - 1) * PER_PAGE)
        counted = facets.count(searcher, matched, {f: f in MULTI_VALUED for f in FACETS.values()}, facet_values)
        found = {name: counted[fieldname] for name, fieldname in FACETS.items()}
    articles = _shown(keys)
    pieces = snippet_parts_of(list(articles.values()))
    pattern = term_pattern(parsed.terms)
    results = [
        Result(a, highlight(str(a.display_title), pattern), snippet(pieces[a.pk], pattern))
        for a in (articles.get(k) for k in keys)
        if a is not None
    ]
    pages = max(1, -(-total // PER_PAGE))
    return SearchPage(total=total, page=page, pages=pages, results=results, facets=found)


def relevance_tiers(parsed: q.ParsedQuery, searcher, matched: np.ndarray) -> list[np.ndarray]:
    """The matched documents (sorted) split as relevance_order ranks them: headline, byline, the rest."""
    headline_query, byline_query = q.tier_queries(parsed)
    headline = postings.intersect(matched, docsets.docs(searcher, headline_query))
    byline = postings.difference(postings.intersect(matched, docsets.docs(searcher, byline_query)), headline)
    return [headline, byline, postings.difference(postings.difference(matched, headline), byline)]


def _ranked_page(searcher, parsed: q.ParsedQuery, matched: np.ndarray, start: int) -> list[str]:
    """The keys of one page in relevance order: headline matches, then byline matches, then
    the rest, each by score. Only the tiers the page falls in are scored."""
    docnums: list[int] = []
    offset = 0
    terms = q.ranking_terms(parsed)
    for tier in relevance_tiers(parsed, searcher, matched):
        if len(docnums) >= PER_PAGE:
            break
        if offset + len(tier) > start:
            first, last = max(0, start - offset), start + PER_PAGE - offset
            docnums += ranking.best(searcher, terms, tier, last)[first:last]
        offset += len(tier)
    return [searcher.stored_fields(docnum)["key"] for docnum in docnums[:PER_PAGE]]


def _shown(keys: list[str]) -> dict[str, Article]:
    """The articles of a result page with what a result shows: headline, source (their text
    for the snippet is read by snippet_parts_of)."""
    return (
        Article.objects.select_related("source", "subject")
        .defer("source__metadata", "source__content_hash")
        .in_bulk(keys, field_name="key")
    )


def _matched(searcher, parsed: q.ParsedQuery, narrowing: list[wq.Query]) -> np.ndarray:
    """The document numbers of every matching article (sorted): the required terms, filters, exclusions."""
    matched = docsets.docs(searcher, q.required_query(parsed))
    if len(matched) and narrowing:
        matched = postings.intersect(matched, docsets.docs(searcher, wq.And(narrowing)))
    excluded = q.exclusion_query(parsed)
    if len(matched) and excluded is not None:
        matched = postings.difference(matched, docsets.docs(searcher, excluded))
    return matched


def matching_keys(parsed: q.ParsedQuery, filters: Filters | None = None) -> list[str]:
    """Every matching article's key, best first (for checks and exports, not for pages)."""
    narrowing = (filters or Filters()).whoosh()
    backend = connections["default"].get_backend()
    with backend.searcher() as searcher:
        hits = searcher.search(
            q.whoosh_query(parsed),
            limit=None,
            sortedby=q.relevance_order(parsed),
            mask=q.exclusion_query(parsed),
            filter=wq.And(narrowing) if narrowing else None,
        )
        return [hit["key"] for hit in hits]
