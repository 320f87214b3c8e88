"""load_sources: idempotent, one transaction per file, clear errors for bad files."""

import io
import os
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from articles import loading, syncing
from articles.models import (
    Article,
    Byline,
    Caption,
    ContentsEntry,
    Mention,
    Paragraph,
    Person,
    Section,
    Source,
    SourceBlock,
)
from articles.source_text import source_spans
from tests.conftest import SOURCE_NAMES, SOURCES_DIR, source_named

pytestmark = pytest.mark.django_db

MODELS = [Source, SourceBlock, Article, Section, Paragraph, Caption, Byline, Person, ContentsEntry]


def load(*paths, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("load_sources", *map(str, paths), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def row_counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def stored_spans(source):
    """Every span the database holds for a source, from every kind of piece."""
    return source_spans(source)


def test_a_changed_file_updates_its_articles_and_keeps_their_ids(tmp_path, db):
    name = source_named("000")
    copy = tmp_path / name
    shutil.copy(SOURCES_DIR / name, copy)
    load(copy)
    kept = dict(Article.objects.values_list("title", "key"))
    text = copy.read_text(encoding="utf-8").replace("安全用电十分关键", "安全用电非常关键")
    copy.write_text(text, encoding="utf-8")
    out, _ = load(copy)
    assert "updated" in out
    assert dict(Article.objects.values_list("title", "key")) == kept
    assert Paragraph.objects.filter(text__contains="安全用电非常关键").count() == 1
    assert not Paragraph.objects.filter(text__contains="安全用电十分关键").exists()


def test_bad_files_get_one_line_errors_and_the_good_ones_still_load(tmp_path, db):
    good = tmp_path / source_named("001")
    shutil.copy(SOURCES_DIR / good.name, good)
    (tmp_path / "empty.txt").write_text("  \n\n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "gbk.txt").write_bytes("# 标题\n\n正文内容。\n".encode("gb18030"))
    with pytest.raises(CommandError, match="3 of 4 source files could not be loaded"):
        out = io.StringIO()
        err = io.StringIO()
        call_command("load_sources", str(tmp_path), stdout=out, stderr=err)
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 3
    assert any("binary.txt" in line and "binary" in line for line in lines)
    assert any("empty.txt" in line and "empty" in line for line in lines)
    assert any("gbk.txt" in line and "GB18030" in line for line in lines)
    assert list(Source.objects.values_list("name", flat=True)) == [good.name]


def test_gb18030_file_loads_when_asked(tmp_path, db):
    path = tmp_path / "gbk.txt"
    path.write_bytes("# 标题一\n\n本报记者 张三\n\n正文内容。\n".encode("gb18030"))
    load(path, encoding="gb18030")
    assert Article.objects.get().title == "标题一"


def test_oversized_file_is_refused(tmp_path, db):
    path = tmp_path / "big.txt"
    path.write_text("正文。" * 1000, encoding="utf-8")
    with override_settings(MAX_SOURCE_BYTES=1000), pytest.raises(CommandError):
        _, err = load(path)
    assert not Source.objects.exists()


def test_a_failure_mid_import_leaves_nothing_behind(tmp_path, db, monkeypatch):
    path = tmp_path / source_named("002")
    shutil.copy(SOURCES_DIR / path.name, path)
    written = {}

    def fail_once_articles_and_paragraphs_are_written(fillings):
        written.update(row_counts())
        raise RuntimeError("disk full")

    monkeypatch.setattr(syncing, "_sync_captions_and_bylines", fail_once_articles_and_paragraphs_are_written)
    with pytest.raises(RuntimeError):
        loading.load_source(path)
    assert written["Article"] > 0 and written["Paragraph"] > 0  # half of it was written, then undone
    assert all(count == 0 for count in row_counts().values())


def test_a_failure_during_reimport_keeps_the_previous_version(tmp_path, db, monkeypatch):
    path = tmp_path / source_named("000")
    shutil.copy(SOURCES_DIR / path.name, path)
    load(path)
    before = row_counts()
    path.write_text(path.read_text(encoding="utf-8") + "\n\n新增一段。\n", encoding="utf-8")
    monkeypatch.setattr(syncing, "_fill_articles", lambda *a: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        loading.load_source(path)
    assert row_counts() == before
    assert "新增一段" not in Source.objects.get().text


def test_missing_path_is_a_clear_error(tmp_path, db):
    with pytest.raises(CommandError):
        load(tmp_path / "nope.txt")


def test_a_new_parser_version_rereads_unchanged_files(loaded_archive, monkeypatch):
    from articles import parsing

    monkeypatch.setattr(parsing, "PARSER_VERSION", "test-next")
    out, _ = load(SOURCES_DIR)
    assert out.count("updated") == len(SOURCE_NAMES)
    assert set(Source.objects.values_list("parser_version", flat=True)) == {"test-next"}


def mention_rows():
    return sorted(Mention.objects.values_list("article__key", "printed", "person__name", "place__name", "sentence"))


def test_a_load_stores_articles_first_and_recognition_reads_them_in_workers(db, monkeypatch):
    """Loading leaves the articles waiting for the recognizer; the stage reads them in worker
    processes (the main process only stores), the same as reading them in one process."""
    from articles import recognizing
    from articles.recognition import Recognizer

    load(SOURCES_DIR, "--no-recognize")
    assert Mention.objects.count() == 0 and recognizing.waiting().count() == Article.objects.count() == 40
    main = os.getpid()
    real = Recognizer.first_mentions

    def in_workers_only(self, texts):
        assert os.getpid() != main, "the main process found mentions itself"
        return real(self, texts)

    monkeypatch.setattr(Recognizer, "first_mentions", in_workers_only)
    monkeypatch.setattr(recognizing, "ARTICLES_A_CHUNK", 10)  # four chunks: as many workers as asked for
    assert recognizing.recognize(workers=2) == 40
    monkeypatch.undo()
    found = mention_rows()
    assert len(found) > 100 and not recognizing.waiting().exists()
    assert recognizing.recognize(every=True, workers=1) == 40
    assert mention_rows() == found


def test_the_command_counts_in_plain_english_and_axes_stays_quiet(tmp_path, db):
    """`make serve` output: "1 article", and no django-axes version line per command."""
    import subprocess
    import sys

    name = source_named("001")  # a web page: one article
    shutil.copy(SOURCES_DIR / name, tmp_path / name)
    out = io.StringIO()
    call_command("load_sources", str(tmp_path), "--no-recognize", stdout=out)
    assert f"{name}: 1 article\n" in out.getvalue()
    check = subprocess.run([sys.executable, "manage.py", "check"], capture_output=True, text=True, check=True)
    assert "AXES" not in check.stdout + check.stderr
