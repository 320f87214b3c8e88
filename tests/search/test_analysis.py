"""The index's text analysis: jieba's words with our names, bigrams for exact substrings."""

import pytest
from django.test import override_settings
from haystack import connections

from search.analysis import BigramTokenizer, JiebaTokenizer, normalize, query_bigrams, write_user_words
from search.search_indexes import ArticleIndex


def test_the_live_schema_analyses_text_with_jieba_not_english_stemming(db):
    backend = connections["default"].get_backend()
    _, schema = backend.build_schema(connections["default"].get_unified_index().all_searchfields())
    words = [t.text for t in schema["text"].analyzer("省委常委、组织部长张恩惠率先垂范 running")]
    assert "组织部" in words and "率先垂范" in words
    assert "running" in words  # no English stemmer turning it into "run"
    assert isinstance(next(iter(schema["text"].analyzer.items)), JiebaTokenizer)
    assert isinstance(schema["ngrams"].analyzer, BigramTokenizer)
    assert ArticleIndex().fields["text"].document


@pytest.mark.django_db
def test_names_from_the_archive_become_single_jieba_words(tmp_path):
    with override_settings(SEARCH_DIR=tmp_path):
        _check_user_words()


def _check_user_words():
    tokenizer = JiebaTokenizer()
    text = "记者覃瑨琰责任编辑郗翾宇，仝婳瑄"  # names no source prints, which jieba alone cuts apart
    assert not {"覃瑨琰", "郗翾宇", "仝婳瑄"} & {t.text for t in tokenizer(text)}
    write_user_words({"覃瑨琰", "郗翾宇", "仝婳瑄"})
    assert {"覃瑨琰", "郗翾宇", "仝婳瑄"} <= {t.text for t in tokenizer(text)}


def test_bigrams_keep_pieces_apart_and_ignore_layout_spaces():
    texts = [t.text for t in BigramTokenizer()("泰 山街道\n党委", positions=True)]
    assert texts[:3] == ["泰山", "山街", "街道"]
    positions = {t.text: t.pos for t in BigramTokenizer()("泰 山街道\n党委", positions=True)}
    assert positions["党委"] - positions["街道"] > 1  # no phrase runs across two pieces
    assert query_bigrams("梅河口") == ["梅河", "河口"]
    assert normalize("ＡＢＣ １２３ 泰 山") == "abc 123泰山"


def test_the_fast_bigram_format_indexes_exactly_what_the_bigram_tokenizer_yields():
    from collections import defaultdict

    from search.analysis import PIECE_BREAK, BigramPositions
    from tests.conftest import SOURCE_NAMES, source_text

    odd = ["泰 山街道\n\n  \n", "a", " 长春 ", "Ｈ２Ｏ：水\n水", "\u3000\n末", "", "\n\n", "𠀀𠀁 x\ny ", "长长长长"]
    for text in [source_text(name) for name in SOURCE_NAMES] + odd:
        value = PIECE_BREAK.join(text.split("\n"))
        expected = defaultdict(list)
        for token in BigramTokenizer()(value, positions=True):
            expected[token.text].append(token.pos)
        fmt = BigramPositions(field_boost=1.0)
        found = {}
        for gram, freq, weight, encoded in fmt.word_values(value, None):
            assert fmt.decode_frequency(encoded) == freq == weight
            found[gram] = fmt.decode_positions(encoded)
            assert encoded == fmt.encode(found[gram])
        assert found == dict(expected)
