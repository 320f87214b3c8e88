"""Read source files and store what the parser makes of them, one transaction a file."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from . import parsing
from .models import Article, Byline, Caption, ContentsEntry, Paragraph, Person, Section, Source, SourceBlock
from .parsing.text import match_key


class SourceError(Exception):
    """A source file that cannot be loaded; the message names the reason in one line."""


@dataclass
class LoadResult:
    source: Source
    status: str  # "created", "updated" or "unchanged"
    articles: int
    warnings: list[str]


def source_files(paths: list[Path]) -> list[Path]:
    """Expand folders into their .txt files, in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".txt")
        else:
            files.append(path)
    return files


def read_source(path: Path, encoding: str = "utf-8") -> tuple[str, str]:
    """Return the text of a source file and its hash, or raise SourceError saying why not."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceError(f"cannot read the file ({exc.strerror})") from exc
    if size > settings.MAX_SOURCE_BYTES:
        raise SourceError(f"file is {size:,} bytes, over the limit of {settings.MAX_SOURCE_BYTES:,} bytes")
    data = path.read_bytes()
    if b"\x00" in data:
        raise SourceError("file looks binary (it contains NUL bytes), not a text source")
    try:
        text = data.decode("utf-8-sig" if encoding.lower().replace("_", "-") == "utf-8" else encoding)
    except UnicodeDecodeError as exc:
        raise SourceError(_not_utf8(data, exc, encoding)) from exc
    except LookupError as exc:
        raise SourceError(f"unknown encoding {encoding!r}") from exc
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text) // 100):
        raise SourceError("file looks binary (it is full of control characters), not a text source")
    if not text.strip():
        raise SourceError("file is empty")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


def _not_utf8(data: bytes, exc: UnicodeDecodeError, encoding: str) -> str:
    if encoding.lower().replace("_", "-") != "utf-8":
        return f"not valid {encoding} text (byte {exc.start})"
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return f"not UTF-8 text (invalid byte at offset {exc.start}), nor GB18030"
    return "not UTF-8 text: it reads as GB18030; load it with --encoding gb18030 or convert it to UTF-8"


def load_source(path: Path, encoding: str = "utf-8") -> LoadResult:
    """Parse one file and store it in a single transaction: all of it, or nothing."""
    text, content_hash = read_source(path, encoding)
    existing = Source.objects.filter(name=path.name).only("content_hash", "parser_version").first()
    if existing and (existing.content_hash, existing.parser_version) == (content_hash, parsing.PARSER_VERSION):
        return LoadResult(existing, "unchanged", existing.articles.count(), [])
    try:
        parsed = parsing.parse_source(text)
    except Exception as exc:  # the parser must never leave half a source behind
        raise SourceError(f"the parser failed: {type(exc).__name__}: {exc}") from exc
    with transaction.atomic():
        source = sync_source(path.name, text, content_hash, parsed)
    return LoadResult(source, "updated" if existing else "created", len(parsed.articles), parsed.warnings)


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


def sync_source(name: str, text: str, content_hash: str, parsed: parsing.ParsedSource) -> Source:
    """Write a parsed source over what is stored, keeping the ids of articles that remain."""
    source, _ = Source.objects.update_or_create(
        name=name,
        defaults={
            "content_hash": content_hash,
            "parser_version": parsing.PARSER_VERSION,
            "kind": parsed.kind,
            "publication": parsed.publication,
            "issue_label": parsed.issue_label,
            "date_start": parsed.date_start,
            "date_end": parsed.date_end,
            "metadata": parsed.metadata,
            "text": text,
        },
    )
    source.blocks.all().delete()
    SourceBlock.objects.bulk_create(
        SourceBlock(source=source, position=i, kind=b.kind, text=b.piece.text, raw=b.piece.raw, spans=b.piece.spans)
        for i, b in enumerate(parsed.blocks)
    )
    kept = {a.key: a for a in source.articles.all()}
    keys = article_keys(name, parsed.articles)
    # Positions are unique per source: park the old ones out of the way first.
    for article in kept.values():
        article.position += 100_000
    Article.objects.bulk_update(kept.values(), ["position"])
    stored = []
    for position, (key, parsed_article) in enumerate(zip(keys, parsed.articles, strict=True)):
        article = kept.pop(key, None) or Article(source=source, key=key)
        _fill_article(article, parsed_article, position)
        stored.append(article)
    for leftover in kept.values():
        leftover.delete()
    source.contents.all().delete()
    by_entry = {a.contents_index: stored[i] for i, a in enumerate(parsed.articles) if a.contents_index is not None}
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
    Person.objects.filter(bylines__isnull=True, portraits__isnull=True).delete()
    return source


def _fill_article(article: Article, parsed: parsing.Article, position: int) -> None:
    article.position = position
    spans = {}
    for field in Article.HEADLINE_FIELDS:
        piece = getattr(parsed, field)
        setattr(article, field, piece.text if piece else "")
        setattr(article, f"{field}_raw", piece.raw if piece else "")
        if piece:
            spans[field] = piece.spans
    if not parsed.column and parsed.column_name:
        article.column = parsed.column_name
    article.headline_spans = spans
    article.page = parsed.page
    article.date = parsed.date
    article.publication = parsed.publication
    article.subject = _person(parsed.subject, "person") if parsed.subject else None
    article.subject_title = parsed.subject_title
    article.save()

    article.sections.all().delete()
    article.captions.all().delete()
    article.bylines.all().delete()
    for s, section in enumerate(parsed.sections):
        heading = section.heading
        stored = Section.objects.create(
            article=article,
            position=s,
            heading=heading.text if heading else "",
            heading_raw=heading.raw if heading else "",
            heading_spans=heading.spans if heading else [],
        )
        Paragraph.objects.bulk_create(
            Paragraph(section=stored, position=p, text=para.text, raw=para.raw, spans=para.spans)
            for p, para in enumerate(section.paragraphs)
        )
    byline_position = 0
    for credit in parsed.bylines:
        _byline(article, None, credit, byline_position)
        byline_position += 1
    for c, caption in enumerate(parsed.captions):
        stored = Caption.objects.create(
            article=article, position=c, text=caption.piece.text, raw=caption.piece.raw, spans=caption.piece.spans
        )
        for credit in caption.credits:
            _byline(article, stored, credit, byline_position)
            byline_position += 1


def _person(name: str, kind: str) -> Person:
    person, _ = Person.objects.get_or_create(name=name, kind=kind)
    return person


def _byline(article: Article, caption: Caption | None, credit: parsing.Credit, position: int) -> Byline:
    return Byline.objects.create(
        article=article,
        caption=caption,
        person=_person(credit.name, credit.kind),
        role=credit.role,
        position=position,
        publication=credit.publication,
        raw=credit.raw,
        spans=credit.spans,
    )
