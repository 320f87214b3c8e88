"""The recognition stage: find the persons and places of the articles that wait for it.

Loading stores articles and makes them readable and searchable at once; an article then
waits (`Article.recognized_by` is not the current recognizer's version) until this stage
reads it. It runs after a load (load_sources starts it) or alone (manage.py recognize),
with one worker process per core, each holding the recognizer (about 100 MB: the web
processes never load it). The main process fetches the texts of a chunk of articles,
the workers find their mentions, and the main process stores each chunk in one
transaction: a kill at any point loses nothing and, run again, the stage goes on with
the chunks not stored yet. Person and place pages fill in chunk by chunk.
"""

from __future__ import annotations

import fcntl
import hashlib
import multiprocessing
import os
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from simple_history.utils import bulk_create_with_history

from archive.processes import die_with_parent

from .models import (
    Article,
    Caption,
    ContentsEntry,
    Mention,
    MentionRule,
    Paragraph,
    Person,
    PersonAlias,
    Place,
    pinyin_key,
)
from .recognition import Knowledge, Recognizer
from .recognition import recognizer as recognition
from .recognition.tagger import MODEL
from .signals import mentions_changed

HEADLINES = Article.MENTION_FIELDS  # as parsing.Article.MENTION_HEADLINES
ARTICLES_A_CHUNK = 40  # stored in one transaction; a kill loses at most the chunks in flight
# Raise when the rules around the model change, so every article is read again.
RULES_VERSION = "3"


@lru_cache(maxsize=1)
def version() -> str:
    """The recognizer's version: its rules' and its model's (a retrained model reads anew)."""
    digest = hashlib.sha1(MODEL.read_bytes()).hexdigest()[:12]
    return f"{RULES_VERSION}-{digest}"


def waiting():
    """The articles the current recognizer has not read."""
    return Article.objects.exclude(recognized_by=version())


def knowledge() -> Knowledge:
    """What the archive knows of names: its bylines, subjects and units, the spellings staff
    merged and its staff's rules."""
    people = Person.objects.filter(Q(bylines__isnull=False) | Q(portraits__isnull=False))
    persons = set(people.filter(kind=Person.Kind.PERSON).values_list("name", flat=True))
    units = set(Person.objects.filter(kind=Person.Kind.ORGANISATION).values_list("name", flat=True))
    units |= set(Article.objects.exclude(subject_title="").values_list("subject_title", flat=True))
    units |= set(ContentsEntry.objects.exclude(author="").values_list("author", flat=True))
    rules = defaultdict(list)
    for rule in MentionRule.objects.all():
        rules[rule.kind].append(rule)
    # Spellings staff merged (李抑嫱 → 李抑婧) as well as those they wrote as rules.
    spellings = dict(PersonAlias.objects.filter(kind=Person.Kind.PERSON).values_list("name", "person__name"))
    persons |= spellings.keys()
    spellings |= {r.name: r.target for r in rules[MentionRule.Kind.SPELLING] if r.target}
    return Knowledge.build(
        persons,
        units,
        excluded=[r.name for r in rules[MentionRule.Kind.EXCLUDE]],
        added_persons=[r.name for r in rules[MentionRule.Kind.PERSON]],
        added_places=[r.name for r in rules[MentionRule.Kind.PLACE]],
        spellings=spellings,
    )


def mark_printing(name: str) -> int:
    """Make every article that prints `name` wait for the recognizer again (after a staff rule
    about that name: it changes nothing elsewhere). Read from the database, not the search
    index, which may not have caught up with the last load yet."""
    printing = Q()
    for field in HEADLINES:
        printing |= Q(**{f"{field}__contains": name})
    printing |= Q(sections__paragraphs__text__contains=name) | Q(captions__text__contains=name)
    ids = set(Article.objects.filter(printing).values_list("pk", flat=True))
    return Article.objects.filter(pk__in=ids).update(recognized_by="")


def recognize(
    workers: int | None = None, progress: Callable[[int, int], None] | None = None, every: bool = False
) -> int:
    """Read the waiting articles (every article with `every`); return how many were read.
    `progress(done, total)` is called after each chunk is stored."""
    if every:
        Article.objects.update(recognized_by="")
    ids = list(waiting().order_by("pk").values_list("pk", flat=True))
    if not ids:
        return 0
    chunks = [ids[i : i + ARTICLES_A_CHUNK] for i in range(0, len(ids), ARTICLES_A_CHUNK)]
    done = 0
    # No more worker processes than chunks: a small batch is read here, without forking.
    workers = min(workers or os.cpu_count() or 1, len(chunks))
    with _finders(knowledge(), workers) as find:
        for chunk, texts, found in find(_texts_of(chunks)):
            with transaction.atomic():
                store(chunk, texts, found)
            done += len(chunk)
            if progress:
                progress(done, len(ids))
    return done


def _texts_of(chunks: list[list[int]]) -> Iterator[tuple[list[int], list[list[str]]]]:
    for chunk in chunks:
        yield chunk, article_texts(chunk)


def article_texts(ids: list[int]) -> list[list[str]]:
    """The texts persons and places are found in, for each article: headlines, paragraphs,
    captions (as parsing.Article.mention_texts reads them), in three queries."""
    rows = {row[0]: [*row[1:]] for row in Article.objects.filter(pk__in=ids).values_list("pk", *HEADLINES)}
    paragraphs = (
        Paragraph.objects.filter(section__article__in=ids)
        .order_by("section__article", "section__position", "position")
        .values_list("section__article", "text")
    )
    for article, text in paragraphs:
        rows[article].append(text)
    captions = Caption.objects.filter(article__in=ids).order_by("article", "position").values_list("article", "text")
    for article, text in captions:
        rows[article].append(text)
    return [rows[i] for i in ids if i in rows]


# The recognizer the worker processes inherit (made before they fork, so its tables are shared).
_recognizer: Recognizer | None = None


def _first_mentions_each(task: tuple[list[int], list[list[str]]]):
    chunk, texts = task
    return chunk, texts, _recognizer.first_mentions_many(texts)


@contextmanager
def _finders(known: Knowledge, workers: int):
    """A function from (chunk, texts) tasks to (chunk, texts, mentions), in order, run by
    worker processes; at most a few chunks in flight, so memory stays flat."""
    global _recognizer
    _recognizer = Recognizer(known)
    _recognizer.find("北京市海淀区中关村街道的王芳说")  # load every table (jieba's too) before forking
    if workers == 1:
        yield lambda tasks: (_first_mentions_each(task) for task in tasks)
        return
    context = multiprocessing.get_context("fork")
    pool = context.Pool(workers, initializer=die_with_parent, initargs=(os.getpid(),))

    def run(tasks):
        window = []
        for task in tasks:
            window.append(task)
            if len(window) == 2 * workers:
                yield from pool.imap(_first_mentions_each, window)
                window = []
        yield from pool.imap(_first_mentions_each, window)

    try:
        yield run
    finally:
        pool.terminate()
        pool.join()
        _recognizer = None


def store(ids: list[int], texts: list[list[str]], found: list[list[tuple[int, recognition.Mention]]]) -> None:
    """Replace the mentions of these articles by what was found (`found[k]`: the first mentions
    of article ids[k], with the index of the text each is in) and mark them read."""
    before = Mention.objects.filter(article__in=ids)
    persons_before = set(before.exclude(person=None).values_list("person_id", flat=True))
    places_before = set(before.exclude(place=None).values_list("place_id", flat=True))
    before.delete()
    persons = _persons({m.name for mentions in found for _, m in mentions if m.kind == "person"})
    wanted = {}
    for mentions in found:
        for _, m in mentions:
            if m.kind == "place":
                wanted.setdefault(m.name, m.place)
    places = _places(wanted)
    rows = []
    for article, article_texts_, mentions in zip(ids, texts, found, strict=True):
        for position, (i, m) in enumerate(mentions):
            target = {"person": persons[m.name]} if m.kind == "person" else {"place": places[m.name]}
            printed = article_texts_[i][m.start : m.end]
            rows.append(Mention(article_id=article, position=position, printed=printed, sentence=m.sentence, **target))
    Mention.objects.bulk_create(rows)
    Article.objects.filter(pk__in=ids).update(recognized_by=version())
    Person.objects.filter(
        pk__in=persons_before, bylines__isnull=True, portraits__isnull=True, aliases__isnull=True, mentions__isnull=True
    ).delete()
    Place.objects.filter(pk__in=places_before, mentions__isnull=True).delete()
    mentions_changed.send(sender=Mention, article_ids=set(ids))


def _persons(names: set[str]) -> dict[str, Person]:
    """The persons of these names (following other spellings staff merged), created if new."""
    found = {
        a.name: a.person for a in PersonAlias.objects.filter(name__in=names, kind="person").select_related("person")
    }
    for person in Person.objects.filter(name__in=names - found.keys(), kind="person"):
        found[person.name] = person
    new = [Person.named(name, "person") for name in sorted(names - found.keys())]
    for person in bulk_create_with_history(new, Person) if new else []:
        found[person.name] = person
    return found


PLACE_FIELDS = ("kind", "province", "city", "county", "country")


def _places(wanted: dict) -> dict[str, Place]:
    """The stored places of these names, created or brought in line with what was found."""
    stored = Place.objects.in_bulk(list(wanted), field_name="name")
    changed = []
    for name, place in stored.items():
        found = wanted[name]
        if any(getattr(place, f) != getattr(found, f) for f in PLACE_FIELDS):
            for f in PLACE_FIELDS:
                setattr(place, f, getattr(found, f))
            changed.append(place)
    if changed:
        Place.objects.bulk_update(changed, PLACE_FIELDS)
    new = [
        Place(name=name, pinyin=pinyin_key(name), **{f: getattr(found, f) for f in PLACE_FIELDS})
        for name, found in wanted.items()
        if name not in stored
    ]
    return stored | {place.name: place for place in Place.objects.bulk_create(new)}


def read_again_soon() -> None:
    """Have the waiting articles read: by a `manage.py recognize` process started in the
    background (the web process must not load the recognizer), or here with
    ARCHIVE_RECOGNITION=inline (the tests). Call after the change commits."""
    if settings.RECOGNITION == "inline":
        recognize(workers=1)
        return
    log = open(settings.VAR_DIR / "recognize.log", "ab")  # noqa: SIM115 (the child writes to it)
    subprocess.Popen(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "recognize", "--quiet"],
        stdout=log,
        stderr=log,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        cwd=settings.BASE_DIR,
    )


@contextmanager
def only_run(lock_path=None):
    """Hold the recognizer's lock: yield True if this process may run the stage, False if
    another one runs it (and will read what waits, see recognize_all)."""
    path = lock_path or settings.VAR_DIR / "recognize.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def recognize_all(**options) -> int | None:
    """Run the stage until nothing waits, unless another process runs it (None then). After
    letting go of the lock it looks once more: an article marked in between is not left."""
    done = 0
    while True:
        with only_run() as mine:
            if not mine:
                return None if not done else done
            done += recognize(**options)
            options["every"] = False
        if not waiting().exists():
            return done
