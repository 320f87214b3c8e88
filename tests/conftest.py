"""Shared helpers: the real sources in fixtures/sources/ and a loaded archive."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from articles.parsing import parse_source

SOURCES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "sources"
SOURCE_NAMES = sorted(p.name for p in SOURCES_DIR.glob("*.txt"))


def source_text(name: str) -> str:
    return (SOURCES_DIR / name).read_text(encoding="utf-8")


def source_named(prefix: str) -> str:
    """The file name of the source whose name starts with `prefix` (000, 001 …)."""
    return next(n for n in SOURCE_NAMES if n.startswith(prefix))


@pytest.fixture(scope="session")
def parsed():
    """Every real source parsed once, by file-name prefix."""
    return {name[:3]: parse_source(source_text(name)) for name in SOURCE_NAMES}


@pytest.fixture
def loaded_archive(db):
    """The real sources loaded (and indexed) for this test alone: for a test that changes the
    search index or loads more; one that only reads asks for `archive`."""
    call_command("load_sources", str(SOURCES_DIR), stdout=io.StringIO())


@pytest.fixture
def stored_archive(db):
    """The real sources loaded and indexed, their persons and places not looked for: for a test
    of the search index or the loader, to which those make no difference."""
    call_command("load_sources", str(SOURCES_DIR), "--no-recognize", stdout=io.StringIO())


@pytest.fixture(scope="module")
def shared_archive(django_db_setup, django_db_blocker):
    """The real sources loaded, recognized and indexed once for a module. Its transaction is
    rolled back when the module ends, so the next module starts from an empty database."""
    from search.index.writing import build_index

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_sources", str(SOURCES_DIR), stdout=io.StringIO())
            build_index()  # whatever an earlier module left on disk
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def archive(request, shared_archive, db):
    """The module's loaded archive, for a test that only reads it: what the test writes to the
    database is rolled back after it (a savepoint), but the search index on disk is shared, so
    a test that rebuilds the index belongs in a module of its own."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        pytest.fail("`archive` lives in one open transaction: a transactional test asks for `loaded_archive`")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: figures cached in a rolled-back test must not
    outlive it (SQLite hands out again the ids a rollback freed, see articles.counts.archive_version)."""
    from django.core.cache import cache

    from articles import counts

    cache.clear()
    counts.forget()


ARTIFACTS = Path("test-artifacts")


def pytest_sessionstart(session):
    """Figures of an earlier run are not this run's (removed once, by the process that prints
    them: with pytest-xdist, not by each worker, which may start after another wrote them)."""
    if hasattr(session.config, "workerinput"):
        return
    for name in ("recall.json", "mentions.json"):
        (ARTIFACTS / name).unlink(missing_ok=True)


def pytest_terminal_summary(terminalreporter):
    """The figures the run measured, in a few lines above pytest's own summary line."""
    import json

    lines = []
    recall = ARTIFACTS / "recall.json"
    if recall.exists():
        r = json.loads(recall.read_text(encoding="utf-8"))
        lines.append(f"search: {r['queries']} queries, recall {r['recall']:.3f}, precision {r['precision']:.3f}")
    mentions = ARTIFACTS / "mentions.json"
    if mentions.exists():
        for part, kinds in json.loads(mentions.read_text(encoding="utf-8")).items():
            figures = "; ".join(
                f"{kind} P {f['precision']:.3f} R {f['recall']:.3f}" + (f" F1 {f['f1']:.3f}" if "f1" in f else "")
                for kind, f in kinds.items()
            )
            lines.append(f"persons and places, {part.replace('_', ' ')}: {figures}")
    if lines:
        terminalreporter.section("figures (test-artifacts/)")
        for line in lines:
            terminalreporter.write_line(line)
