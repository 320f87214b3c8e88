"""Searches timed inside one process: the archive's engine, the stock configuration and a
plain substring scan, on the same queries; and the recall check against the scan.

Run by bench.run as `python -m bench.inprocess QUERIES.json OUT.json [--stock]` with
DJANGO_SETTINGS_MODULE=bench.settings.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path
from urllib.parse import quote

import django


def timed(func, repeats: int) -> tuple[float, list[float], object]:
    """(first call in ms, later calls in ms, first call's result)."""
    start = time.perf_counter()
    result = func()
    cold = (time.perf_counter() - start) * 1000
    warm = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        warm.append((time.perf_counter() - start) * 1000)
    return cold, warm, result


def article_texts() -> dict[str, str]:
    """Every article's text as the index reads it (normalised), in memory: what the scan searches."""
    from articles.models import Article
    from search.analysis import normalize_document
    from search.search_indexes import article_pieces

    texts = {}
    queryset = Article.objects.for_search().order_by("pk")
    total = queryset.count()
    for start in range(0, total, 500):
        for article in queryset[start : start + 500]:
            texts[article.key] = normalize_document(article_pieces(article))
    return texts


def page_paths(rng: random.Random, count: int) -> dict[str, list[str]]:
    """A sample of the pages a reader opens: articles, sources, the browse pages (with their
    timelines), and the place index with its map, provinces' maps and places' locators."""
    from articles.models import Article, Person, Place, Source

    provinces = sorted(set(Place.objects.exclude(province="").values_list("province", flat=True)))

    def sample(queryset, k):
        pks = list(queryset.values_list("pk", flat=True))
        return list(queryset.filter(pk__in=rng.sample(pks, min(k, len(pks)))))

    return {
        "article": [a.get_absolute_url() for a in sample(Article.objects.only("key"), count)],
        "source": [s.get_absolute_url() for s in sample(Source.objects.only("name"), max(5, count // 5))],
        "browse": ["/", "/publications/", "/dates/", "/persons/"]
        + [p.get_absolute_url() for p in sample(Person.objects.all(), 5)],
        "places": ["/places/"]
        + [f"/places/?province={quote(p)}" for p in rng.sample(provinces, min(5, len(provinces)))]
        + [p.get_absolute_url() for p in sample(Place.objects.all(), 5)],
    }


def main(queries_path: Path, out_path: Path, stock: bool, repeats: int = 3, pages: int = 40, seed: int = 7) -> None:
    django.setup()
    from haystack.query import SearchQuerySet

    from articles.models import Article
    from search import engine
    from search import query as q
    from search.analysis import normalize

    queries = json.loads(queries_path.read_text(encoding="utf-8"))
    started = time.perf_counter()
    texts = article_texts()
    load_scan = time.perf_counter() - started
    report = {"scan_load_s": round(load_scan, 2), "articles": len(texts), "queries": []}
    worst_recall, worst_precision = 1.0, 1.0
    for kind, text in queries:
        parsed = q.parse(text)
        needle = normalize(text)

        def scan(needle=needle):
            found = [key for key, body in texts.items() if needle in body]
            return len(found), found[:10]

        def ours(parsed=parsed):
            page = engine.run(parsed, facet_values=engine.FACET_VALUES)  # as the views ask
            return page.total, [r.article.key for r in page.results]

        scan_cold, scan_warm, (expected_total, _) = timed(scan, repeats)
        ours_cold, ours_warm, (total, _) = timed(ours, repeats)
        expected = {key for key, body in texts.items() if needle in body}
        got = set(engine.matching_keys(parsed))
        recall = len(got & expected) / len(expected) if expected else 1.0
        precision = len(got & expected) / len(got) if got else 1.0
        worst_recall, worst_precision = min(worst_recall, recall), min(worst_precision, precision)
        row = {
            "kind": kind,
            "query": text,
            "expected": expected_total,
            "total": total,
            "recall": recall,
            "precision": precision,
            "ours_cold_ms": ours_cold,
            "ours_warm_ms": ours_warm,
            "scan_cold_ms": scan_cold,
            "scan_warm_ms": scan_warm,
        }
        if stock:

            def stock_search(text=text):
                results = SearchQuerySet().using("stock").models(Article).auto_query(text)
                return results.count(), [r.object.key for r in results[:10] if r.object]

            row["stock_cold_ms"], row["stock_warm_ms"], (row["stock_total"], _) = timed(stock_search, repeats)
        report["queries"].append(row)
    report["recall"], report["precision"] = worst_recall, worst_precision
    report["paths"] = page_paths(random.Random(seed), pages)
    out_path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("queries", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--stock", action="store_true")
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    main(args.queries, args.out, args.stock, pages=args.pages, seed=args.seed)
