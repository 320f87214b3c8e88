"""Storing a parsed source: its articles, sections, captions and bylines made to match the
parser's reading, with every staff correction kept (the caller holds the transaction)."""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from . import parsing
from .models import (
    Article,
    Byline,
    Caption,
    ContentsEntry,
    Mention,
    Paragraph,
    Person,
    PersonAlias,
    Place,
    Section,
    Source,
    SourceBlock,
    SourceText,
)
from .parsing import edits
from .parsing.text import match_key


def article_keys(source_name: str, articles: list[parsing.Article]) -> list[str]:
    """Permalink ids: from the file name and what the article is called, stable across re-imports."""
    seen: Counter[str] = Counter()
    keys = []
    for article in articles:
        name = _naming_text(article)
        seen[name] += 1
        digest = hashlib.sha1(f"{source_name}|{name}|{seen[name]}".encode()).hexdigest()
        keys.append(digest[:12])
    return keys


def _naming_text(article: parsing.Article) -> str:
    if article.title:
        return match_key(article.title.text)
    texts = [p.text for p in article.paragraphs] + [c.piece.text for c in article.captions]
    return match_key(texts[0][:40]) if texts else ""


# Persons looked up while one source is written (a name recurs in bylines, credits and text).
_within_sync = threading.local()


def sync_source(name: str, text: str, content_hash: str, parsed: parsing.ParsedSource) -> tuple[Source, list[str]]:
    """Write a parsed source over what is stored, keeping article ids and every staff correction.

    Returns the source and a note for each correction whose field the parser now reads
    differently, so staff can review it.
    """
    _within_sync.persons = {}
    try:
        return _sync_source(name, text, content_hash, parsed)
    finally:
        _within_sync.persons = None


def _sync_source(name: str, text: str, content_hash: str, parsed: parsing.ParsedSource) -> tuple[Source, list[str]]:
    previous = Source.objects.filter(name=name).only("corrected_fields").first()
    corrected = set(previous.corrected_fields) if previous else set()
    pages = {a.page for a in parsed.articles} if parsed.kind == Source.Kind.NEWSPAPER else set()
    read = {
        "publication": parsed.publication,
        "issue_label": parsed.issue_label,
        "date_start": parsed.date_start,
        "date_end": parsed.date_end,
        "page": next(iter(pages)) if len(pages) == 1 else None,
    }
    source, _ = Source.objects.update_or_create(
        name=name,
        defaults={
            "content_hash": content_hash,
            "parser_version": parsing.PARSER_VERSION,
            "kind": parsed.kind,
            **{field: value for field, value in read.items() if field not in corrected},  # staff's stay
            "metadata": parsed.metadata,
        },
    )
    SourceText.objects.update_or_create(source=source, defaults={"text": text})
    persons_named, places_named = _named_by(source)  # only they can be left unnamed by what follows
    source.blocks.all().delete()
    SourceBlock.objects.bulk_create(
        SourceBlock(source=source, position=i, kind=b.kind, text=b.piece.text, raw=b.piece.raw, spans=b.piece.spans)
        for i, b in enumerate(parsed.blocks)
    )
    _look_up_persons(_credited(parsed))
    kept = {a.key: a for a in source.articles.all()}
    rules = [edit.rule() for edit in source.edits.all()]
    pairs, notes = edits.apply(list(zip(article_keys(name, parsed.articles), parsed.articles, strict=True)), rules)
    # Positions are unique per source: park the old ones out of the way first.
    for article in kept.values():
        article.position += 100_000
    Article.objects.bulk_update(kept.values(), ["position"])
    stored = [kept.pop(key, None) or Article(source=source, key=key) for key, _ in pairs]
    fillings = _fill_articles(stored, [parsed_article for _, parsed_article in pairs])
    notes += [note for filling in fillings for note in filling.notes]
    for leftover in kept.values():
        if leftover.corrected_fields or Paragraph.objects.filter(section__article=leftover, corrected=True).exists():
            # Never drop staff work: keep the article after the others and say so.
            leftover.position = len(stored)
            leftover.save(update_fields=["position"])
            stored.append(leftover)
            notes.append(f"{_label(leftover)}: the source no longer prints this article; kept for its corrections")
        else:
            leftover.delete()
    source.contents.all().delete()
    by_entry = {a.contents_index: stored[i] for i, (_, a) in enumerate(pairs) if a.contents_index is not None}
    ContentsEntry.objects.bulk_create(
        ContentsEntry(
            source=source,
            position=i,
            column=e.column,
            page=e.page,
            title=e.title,
            author=e.author,
            article=by_entry.get(i),
        )  # fmt: skip
        for i, e in enumerate(parsed.contents)
    )
    # Their persons and places are found again by the recognition stage (recognizing.py).
    Article.objects.filter(pk__in=[a.pk for a in stored]).update(recognized_by="")
    source.save(update_fields=["title"])  # its name may print its first headline
    Person.objects.filter(
        pk__in=persons_named, bylines__isnull=True, portraits__isnull=True, aliases__isnull=True, mentions__isnull=True
    ).delete()
    Place.objects.filter(pk__in=places_named, mentions__isnull=True).delete()
    return source, notes


def _named_by(source: Source) -> tuple[set[int], set[int]]:
    """The persons and places a source's articles name (bylines, subjects, mentions): those a new
    reading of it may leave named nowhere. (Looking for such among all persons grows with
    the archive, at every file.)"""
    persons = set(Byline.objects.filter(article__source=source).values_list("person_id", flat=True))
    persons |= set(source.articles.exclude(subject=None).values_list("subject_id", flat=True))
    mentions = Mention.objects.filter(article__source=source)
    persons |= set(mentions.exclude(person=None).values_list("person_id", flat=True))
    return persons, set(mentions.exclude(place=None).values_list("place_id", flat=True))


def resync(source: Source) -> list[str]:
    """Read a stored source again with its edits, as a re-import of the same file would."""
    parsed = parsing.parse_source(source.text)
    with transaction.atomic():
        _, notes = sync_source(source.name, source.text, source.content_hash, parsed)
    return notes


def _label(article: Article) -> str:
    return f"{article.source.name} #{article.position + 1} {article.display_title}"


@dataclass
class _Filling:
    """One article being stored: its parsed reading, what staff corrected, the notes so far."""

    article: Article
    parsed: parsing.Article
    is_new: bool  # nothing of it stored yet: nothing to look up or delete
    corrected: set[str]
    notes: list[str]


def _fill_articles(articles: list[Article], readings: list[parsing.Article]) -> list[_Filling]:
    """Store the parser's reading of a source's articles, except what staff corrected (the
    notes say where a correction was kept).

    The rows of all the articles are written together, a few queries a table: one article at
    a time took seven queries (the history records' manager is made again each time).
    """
    fillings = []
    for position, (article, parsed) in enumerate(zip(articles, readings, strict=True)):
        is_new = article.pk is None
        filling = _Filling(article, parsed, is_new, set() if is_new else set(article.corrected_fields), [])
        _fill_headlines(filling, position)
        fillings.append(filling)
    for filling in fillings:
        if not filling.is_new:
            filling.article.save()
    new = [f.article for f in fillings if f.is_new]
    for article in new:
        article.set_title_key()  # as save() does
    _create_with_history(new, Article)
    _sync_sections(fillings)
    _sync_captions_and_bylines(fillings)
    return fillings


def _fill_headlines(filling: _Filling, position: int) -> None:
    """Set the article's headlines and other fields from the parser (not saved yet)."""
    article, parsed, corrected = filling.article, filling.parsed, filling.corrected
    article.position = position
    values: dict[str, object] = {}
    spans = {}
    for name in Article.HEADLINE_FIELDS:
        piece = getattr(parsed, name)
        values[name] = piece.text if piece else ""
        setattr(article, f"{name}_raw", piece.raw if piece else "")
        if piece:
            spans[name] = piece.spans
    if not parsed.column and parsed.column_name:
        values["column"] = parsed.column_name
    values.update(
        page=parsed.page,
        date=parsed.date,
        publication=parsed.publication,
        subject=_person(parsed.subject, "person") if parsed.subject else None,
        subject_title=parsed.subject_title,
    )
    for name, value in values.items():
        if name in corrected:
            if getattr(article, name) != value:
                filling.notes.append(
                    f"{_label(article)}: {name}: kept staff's {getattr(article, name)!s} (parser reads {value!s})"
                )
        else:
            setattr(article, name, value)
    article.headline_spans = spans


def _stored_sections(article: Article) -> list[tuple[str, list[str]]]:
    return [(s.heading, [p.text for p in s.paragraphs.all()]) for s in article.sections.all()]


def _sync_sections(fillings: list[_Filling]) -> None:
    """Rewrite the sections, carrying over each paragraph whose text staff fixed."""
    rewritten: list[tuple[_Filling, dict]] = []
    for filling in fillings:
        article, parsed = filling.article, filling.parsed
        if "sections" in filling.corrected:
            if _stored_sections(article) != [
                (s.heading.text if s.heading else "", [p.text for p in s.paragraphs]) for s in parsed.sections
            ]:
                filling.notes.append(
                    f"{_label(article)}: sections: kept staff's sections (the parser reads them differently)"
                )
            continue
        fixed = {}
        if not filling.is_new:
            staff_fixed = Paragraph.objects.filter(section__article=article, corrected=True).select_related("section")
            fixed = {(p.section.position, p.position): p.text for p in staff_fixed}
        shape = {(s, p) for s, section in enumerate(parsed.sections) for p in range(len(section.paragraphs))}
        if not fixed.keys() <= shape:
            # A fixed paragraph has no place in the new reading: keep the stored sections whole.
            filling.notes.append(
                f"{_label(article)}: sections: kept staff's fixed paragraphs; the source's paragraphs moved"
            )
            continue
        rewritten.append((filling, fixed))
    Section.objects.filter(article__in=[f.article for f, _ in rewritten if not f.is_new]).delete()
    sections = _create_with_history(
        [
            Section(
                article=filling.article,
                position=s,
                heading=section.heading.text if section.heading else "",
                heading_raw=section.heading.raw if section.heading else "",
                heading_spans=section.heading.spans if section.heading else [],
            )
            for filling, _ in rewritten
            for s, section in enumerate(filling.parsed.sections)
        ],
        Section,
    )
    stored_sections = iter(sections)
    paragraphs = []
    for filling, fixed in rewritten:
        for s, section in enumerate(filling.parsed.sections):
            stored = next(stored_sections)
            for p, para in enumerate(section.paragraphs):
                text, corrected = para.text, False
                if (s, p) in fixed:
                    text, corrected = fixed[(s, p)], True
                    if fixed[(s, p)] != para.text:
                        filling.notes.append(
                            f"{_label(filling.article)}: paragraph {s + 1}.{p + 1}: kept staff's fixed text"
                        )
                paragraphs.append(
                    Paragraph(
                        section=stored, position=p, text=text, raw=para.raw, spans=para.spans, corrected=corrected
                    )
                )
    Paragraph.objects.bulk_create(paragraphs)


def _sync_captions_and_bylines(fillings: list[_Filling]) -> None:
    """Rewrite the captions (with the bylines of their credits) and the article bylines."""
    captioned = []
    for filling in fillings:
        article, parsed = filling.article, filling.parsed
        if "captions" not in filling.corrected:
            captioned.append(filling)
        elif [c.text for c in article.captions.all()] != [c.piece.text for c in parsed.captions]:
            filling.notes.append(
                f"{_label(article)}: captions: kept staff's captions (the parser reads them differently)"
            )
    Caption.objects.filter(article__in=[f.article for f in captioned if not f.is_new]).delete()
    captions = _create_with_history(
        [
            Caption(
                article=f.article, position=c, text=caption.piece.text, raw=caption.piece.raw, spans=caption.piece.spans
            )
            for f in captioned
            for c, caption in enumerate(f.parsed.captions)
        ],
        Caption,
    )
    stored_captions = iter(captions)
    bylines: dict[int, list[Byline]] = {id(f): [] for f in fillings}  # an article's caption credits first
    for filling in captioned:
        for caption in filling.parsed.captions:
            stored = next(stored_captions)
            bylines[id(filling)] += [
                _byline(filling.article, stored, credit, 1000 + 10 * stored.position + k)
                for k, credit in enumerate(caption.credits)
            ]
    rewritten = []
    for filling in fillings:
        article, parsed = filling.article, filling.parsed
        if "bylines" not in filling.corrected:
            rewritten.append(filling)
            bylines[id(filling)] += [_byline(article, None, credit, k) for k, credit in enumerate(parsed.bylines)]
            continue
        stored_names = [(b.person.name, b.role) for b in article.bylines.filter(caption__isnull=True)]
        if stored_names != [(_person(c.name, c.kind).name, c.role) for c in parsed.bylines]:
            filling.notes.append(
                f"{_label(article)}: bylines: kept staff's bylines (the parser reads them differently)"
            )
    Byline.objects.filter(article__in=[f.article for f in rewritten if not f.is_new], caption__isnull=True).delete()
    _create_with_history([byline for f in fillings for byline in bylines[id(f)]], Byline)


def _credited(parsed: parsing.ParsedSource) -> set[tuple[str, str]]:
    """(name, kind) of everyone a parsed source credits: bylines, caption credits, subjects."""
    found = set()
    for article in parsed.articles:
        credits = [*article.bylines, *(c for caption in article.captions for c in caption.credits)]
        found |= {(credit.name, credit.kind) for credit in credits}
        if article.subject:
            found.add((article.subject, "person"))
    return found


def _look_up_persons(keys: set[tuple[str, str]]) -> None:
    """Fill the persons cache of the source being written with these (name, kind), creating
    those not stored yet: three queries, instead of two or three per name."""
    known = getattr(_within_sync, "persons", None)
    if known is None:
        return
    wanted = keys - known.keys()
    names = {name for name, _ in wanted}
    if not names:
        return
    for alias in PersonAlias.objects.filter(name__in=names).select_related("person"):
        if (alias.name, alias.kind) in wanted:
            known[(alias.name, alias.kind)] = alias.person
    for person in Person.objects.filter(name__in=names):
        if (person.name, person.kind) in wanted:
            known.setdefault((person.name, person.kind), person)
    missing = sorted(wanted - known.keys())
    for person in _create_with_history([Person.named(name, kind) for name, kind in missing], Person):
        known[(person.name, person.kind)] = person


def _person(name: str, kind: str) -> Person:
    """The person a printed name stands for, following other spellings staff merged."""
    known = getattr(_within_sync, "persons", None)
    if known is not None and (name, kind) in known:
        return known[(name, kind)]
    alias = PersonAlias.objects.filter(name=name, kind=kind).select_related("person").first()
    if alias:
        person = alias.person
    else:
        person, _ = Person.objects.get_or_create(name=name, kind=kind)
    if known is not None:
        known[(name, kind)] = person
    return person


def _create_with_history(objects: list, model) -> list:
    """Store new rows in one query, each with its history record (who created it, when) as save() would."""
    return bulk_create_with_history(objects, model) if objects else []


def _byline(article: Article, caption: Caption | None, credit: parsing.Credit, position: int) -> Byline:
    """A byline to store (in bulk, with the other bylines of its article)."""
    return Byline(
        article=article,
        caption=caption,
        person=_person(credit.name, credit.kind),
        role=credit.role,
        position=position,
        publication=credit.publication,
        raw=credit.raw,
        spans=credit.spans,
    )
