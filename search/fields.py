"""Index fields that say how Whoosh should store them (see backend.build_schema)."""

from haystack import indexes


class JiebaTextField(indexes.CharField):
    """Text cut into words by jieba: ranks results."""

    field_type = "jieba_text"


class BigramTextField(indexes.CharField):
    """Text cut into overlapping character pairs: finds every substring."""

    field_type = "bigram_text"


class KeywordField(indexes.CharField):
    """One exact value (a publication, a column): for filters, facets and sorting."""

    field_type = "keyword"


class KeywordListField(indexes.MultiValueField):
    """Several exact values (the persons of an article)."""

    field_type = "keyword_list"


class CharacterSetField(indexes.CharField):
    """The distinct characters of a text: finds a one-character query in one posting list (the
    bigram field would need the union of every bigram it starts)."""

    field_type = "char_set"
