"""jieba's part-of-speech tagger, made fast enough for a whole archive (see NameTagger)."""

from __future__ import annotations

import re
from functools import lru_cache

import jieba.posseg


class NameTagger(jieba.posseg.POSTokenizer):
    """jieba's tagger, running its slow name-finding HMM only where a name can start.

    jieba sends every run of single characters it has no word for through a
    part-of-speech HMM (most of the tagging time). A run without a surname in it
    cannot hold a name this module keeps, so its characters are tagged one by one.
    The runs are short (two to four characters) and recur from article to article,
    so the HMM's answer for each is remembered: the same answer, computed once.
    """

    def __init__(self, tokenizer, name_start: re.Pattern):
        super().__init__(tokenizer)
        self.name_start = name_start  # a character a name can start with
        self._detail = lru_cache(maxsize=200_000)(self._tagged_run)

    def _tagged_run(self, run: str) -> tuple:
        return tuple(super()._POSTokenizer__cut_detail(run))

    def _POSTokenizer__cut_detail(self, sentence):  # noqa: N802 (jieba's private name)
        if self.name_start.search(sentence):
            yield from self._detail(sentence)
        else:
            for char in sentence:
                yield jieba.posseg.pair(char, self.word_tag_tab.get(char, "x"))
