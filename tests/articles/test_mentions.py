"""Extraction of the persons and places articles mention, measured against a hand-checked list."""

import json
import re
from pathlib import Path

import pytest

from articles.mentions import Extractor, local_places_in
from articles.parsing import parse_source
from tests.articles.gold_mentions import GOLD, HELD_OUT
from tests.conftest import SOURCE_NAMES, source_text

SHORT_NAMES = {"九台区": "九台", "梅河口市": "梅河口", "四平市": "四平", "通化市": "通化", "白山市": "白山", "吉林省": "吉林",
               "湖北省": "湖北", "公主岭市": "公主岭", "内蒙古自治区": "内蒙古", "六安市": "六安", "长春市": "长春"}  # fmt: skip


@pytest.fixture(scope="module")
def archive():
    parsed = {name[:3]: parse_source(source_text(name)) for name in SOURCE_NAMES}
    persons, units = set(), set()
    for source in parsed.values():
        for article in source.articles:
            persons |= {c.name for c in article.bylines if c.kind == "person"} | {article.subject} - {""}
            units |= {c.name for c in article.bylines if c.kind == "organisation"} | {article.subject_title} - {""}
        units |= {e.author for e in source.contents if e.author}
    return parsed, Extractor(persons, units)


def article_texts(article):
    texts = [p.text for p in article.headline_pieces().values()] + [p.text for p in article.paragraphs]
    return texts + [c.piece.text for c in article.captions]


def found_in(extractor, article):
    texts = article_texts(article)
    context = "".join(texts)
    found = {"persons": set(), "places": set()}
    for text in texts:
        for mention in extractor.extract(text, context):
            found["persons" if mention.kind == "person" else "places"].add(mention.name)
    return found


def test_gold_names_are_printed_in_their_articles(archive):
    parsed, _ = archive
    for (prefix, title), gold in GOLD.items():
        article = next(a for a in parsed[prefix].articles if a.title and a.title.text == title)
        text = "".join(article_texts(article))
        for name in gold["persons"] + gold["places"]:
            short = re.sub(r"(省|市|区|县|自治区)$", "", name)
            assert name in text or SHORT_NAMES.get(name, short) in text, (title, name)


def measure(archive, gold_list):
    parsed, extractor = archive
    counts = {kind: {"gold": 0, "found": 0, "right": 0} for kind in ("persons", "places")}
    misses, wrong = [], []
    for (prefix, title), gold in gold_list.items():
        article = next(a for a in parsed[prefix].articles if a.title and a.title.text == title)
        found = found_in(extractor, article)
        for kind in counts:
            expected = set(gold[kind])
            counts[kind]["gold"] += len(expected)
            counts[kind]["found"] += len(found[kind])
            counts[kind]["right"] += len(found[kind] & expected)
            misses += [(title[:8], kind, n) for n in sorted(expected - found[kind])]
            wrong += [(title[:8], kind, n) for n in sorted(found[kind] - expected)]
    report = {
        kind: {
            **c,
            "precision": round(c["right"] / max(c["found"], 1), 3),
            "recall": round(c["right"] / max(c["gold"], 1), 3),
        }
        for kind, c in counts.items()
    }
    return counts, report, misses, wrong


def test_precision_and_recall_against_the_hand_checked_list(archive):
    counts, report, misses, wrong = measure(archive, GOLD)
    _, held_out, held_misses, held_wrong = measure(archive, HELD_OUT)
    Path("test-artifacts").mkdir(exist_ok=True)
    Path("test-artifacts/mentions.json").write_text(
        json.dumps(
            {
                "report": report,
                "missed": misses,
                "wrong": wrong,
                "held_out": held_out,
                "held_out_missed": held_misses,
                "held_out_wrong": held_wrong,
            },
            ensure_ascii=False,
            indent=1,
        ),  # fmt: skip
        encoding="utf-8",
    )
    print(f"\nmentions: {report}\nheld out: {held_out}")
    assert counts["persons"]["gold"] >= 40 and counts["places"]["gold"] >= 40
    for kind, figures in report.items():
        assert figures["precision"] >= 0.9, (kind, figures, wrong)
        assert figures["recall"] >= 0.9, (kind, figures, misses)


def test_street_level_places_inside_unit_names():
    assert local_places_in("丰满区泰山街道党工委") == ["泰山街道"]
    assert local_places_in("昌邑区延安街道鸿博嘉园社区党委") == ["延安街道", "鸿博嘉园社区"]


def test_short_names_and_words_that_are_not_places(archive):
    _, extractor = archive
    names = lambda text: [(m.kind, m.name) for m in extractor.extract(text)]  # noqa: E731
    assert names("当天下午，42名党员携物资奔赴九台。长春市直机关") == [("place", "九台区"), ("place", "长春市")]
    assert ("place", "延安市") not in names("昌邑区延安街道延川社区")
    assert names("和平年代红旗飘扬") == []
    assert names("长治久安，比如合作") == []
    assert names("调整到城南镇的封控区") == [("place", "城南镇")]
