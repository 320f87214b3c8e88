"""What the load test's readers ask for: `python -m bench.targets OUT.json [--seed 7]`
(DJANGO_SETTINGS_MODULE set). Article, source and browse pages drawn from the archive, and
queries: persons and places it names, and words of its headlines; and articles for the
concurrency test to correct."""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import django


def targets(rng: random.Random, pages: int = 200) -> dict:
    from articles.models import Article, Person, Place

    from .inprocess import page_paths

    paths = page_paths(rng, pages)
    persons = list(Person.objects.values_list("name", flat=True))
    places = list(Place.objects.values_list("name", flat=True))
    titles = [t for t in Article.objects.values_list("title", flat=True) if len(t) >= 4]
    words = [t[i : i + 2] for t in rng.sample(titles, min(50, len(titles))) for i in (0, len(t) // 2)]
    queries = rng.sample(persons, min(50, len(persons))) + rng.sample(places, min(30, len(places))) + words
    pks = list(Article.objects.values_list("pk", flat=True))
    return {**paths, "queries": queries, "articles_to_correct": rng.sample(pks, min(5, len(pks)))}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    django.setup()
    args.out.write_text(json.dumps(targets(random.Random(args.seed)), ensure_ascii=False), encoding="utf-8")
