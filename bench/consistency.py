"""Compare what the database and the search index hold with the source files.

Run by the fault and concurrency tests as `python -m bench.consistency SOURCES_DIR OUT.json`
(DJANGO_SETTINGS_MODULE set): each source file must be in the database whole (every article the parser finds in
its text, every character in a piece), as the file is now or as it was when loaded before, or
not at all; the index must
hold no article the database lacks and miss none, except those waiting in its queue
(the next indexing, load or build_index writes those). It also reports how many articles the
recognizer has read and a digest of the mentions stored (recognition_state).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import django


def source_state(path: Path) -> dict:
    from articles.models import Source
    from articles.parsing import parse_source, uncovered_characters
    from articles.reading import SourceError, read_source
    from articles.source_text import source_spans

    try:
        text, content_hash = read_source(path)
    except SourceError as exc:
        return {"state": "unreadable", "why": str(exc)}
    source = Source.objects.filter(name=path.name).first()
    if source is None:
        return {"state": "absent"}
    # The file's version, or the version loaded before the file changed: either one whole.
    state = "whole" if (source.content_hash, source.text) == (content_hash, text) else "previous"
    problems = []
    expected = len(parse_source(source.text).articles)
    if source.articles.count() != expected:
        problems.append(f"{source.articles.count()} articles stored, its text has {expected}")
    missing, twice = uncovered_characters(source.text, source_spans(source))
    if missing or twice:
        problems.append(f"{len(missing)} characters in no piece, {len(twice)} in two")
    return {"state": "partial", "problems": problems} if problems else {"state": state}


def index_state() -> dict:
    from articles.models import Article
    from search.index.writing import index_folders, indexed_ids, queued_ids

    indexed, pending = indexed_ids(), queued_ids()
    in_db = set(Article.objects.values_list("pk", flat=True))
    unindexed, ghosts = in_db - set(indexed), set(indexed) - in_db
    return {
        "articles": len(in_db),
        "indexed": len(indexed),
        "indexed_twice": len(indexed) - len(set(indexed)),
        "ghosts": len(ghosts),  # in the index, not in the database
        "ghosts_not_pending": len(ghosts - pending),
        "unindexed": len(unindexed),
        "unindexed_not_pending": len(unindexed - pending),
        "index_dirs": index_folders(),
    }


def recognition_state() -> dict:
    """How many articles the current recognizer has read, how many wait, and a digest of every
    mention stored (two runs that found the same persons and places have the same digest).
    An article read has its chunk's mentions whole: positions 0, 1, 2 … with no gap."""
    import hashlib

    from articles.models import Article, Mention
    from articles.recognizing import version, waiting

    rows = Mention.objects.order_by("article__key", "position").values_list(
        "article__key", "position", "printed", "person__name", "place__name", "sentence"
    )
    digest = hashlib.sha256()
    positions: dict[str, list[int]] = {}
    for row in rows:
        digest.update(repr(row).encode("utf-8"))
        positions.setdefault(row[0], []).append(row[1])
    gaps = sum(1 for found in positions.values() if found != list(range(len(found))))
    total = Article.objects.count()
    return {"read": total - waiting().count(), "waiting": waiting().count(), "version": version(),
            "mentions": sum(len(p) for p in positions.values()), "digest": digest.hexdigest(), "gaps": gaps}  # fmt: skip


def check(sources_dir: Path) -> dict:
    files = sorted(sources_dir.glob("*.txt"))
    states = {path.name: source_state(path) for path in files}
    counts: dict[str, int] = {}
    for state in states.values():
        counts[state["state"]] = counts.get(state["state"], 0) + 1
    partial = {name: state["problems"] for name, state in states.items() if state["state"] == "partial"}
    return {"files": len(files), "sources": counts, "partial": partial, "index": index_state(),
            "recognition": recognition_state()}  # fmt: skip


if __name__ == "__main__":
    django.setup()
    report = check(Path(sys.argv[1]))
    Path(sys.argv[2]).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
