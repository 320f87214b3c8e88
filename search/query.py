"""The reader's query language, read without ever failing: quoted phrases, -exclusions, OR.

Every other character is searched for literally; the result is a Whoosh query
that matches exactly the articles containing each required term.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh import sorting

from search.analysis import jieba_tokenizer, normalize, query_bigrams, variants
from search.whoosh_format.substring import Character, Substring

MAX_QUERY_LENGTH = 200
MAX_TERMS = 20
_TOKEN_RE = re.compile(r'(-?)"([^"]*)"|(-?)“([^”]*)”|(-?)「([^」]*)」|(\S+)')
_QUOTES = '"“”「」'


class QueryError(ValueError):
    """A query that cannot be answered; the message tells the reader why."""


@dataclass
class ParsedQuery:
    groups: list[list[str]] = field(default_factory=list)  # all groups required; any term of a group
    excluded: list[str] = field(default_factory=list)

    @property
    def terms(self) -> list[str]:
        return [t for group in self.groups for t in group]

    def __bool__(self) -> bool:
        return bool(self.groups)


def clean_input(text: str) -> str:
    """Drop control and format characters (they are never printed in an article)."""
    return "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text)


def parse(text: str) -> ParsedQuery:
    """Read a query; raise QueryError for one that is too long or only excludes."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"查询太长（{len(text)} 个字符）：请缩短到 {MAX_QUERY_LENGTH} 个字符以内。")
    text = clean_input(text)
    parsed = ParsedQuery()
    pending_or = False
    for m in _TOKEN_RE.finditer(text):
        negate, term, quoted = _token(m)
        if not quoted and term == "OR":
            pending_or = bool(parsed.groups)
            continue
        if not quoted:
            term = term.strip(_QUOTES)  # a lone quote mark is not something to find
        if not normalize(term):
            continue
        if negate:
            parsed.excluded.append(term)
        elif pending_or:
            parsed.groups[-1].append(term)
        else:
            parsed.groups.append([term])
        pending_or = False
    if len(parsed.terms) + len(parsed.excluded) > MAX_TERMS:
        raise QueryError(f"查询的词太多：最多 {MAX_TERMS} 个。")
    if parsed.excluded and not parsed.groups:
        raise QueryError("只有排除词（-词）的查询无法回答：请至少给出一个要查找的词。")
    return parsed


def _token(m: re.Match) -> tuple[bool, str, bool]:
    for dash, body in ((1, 2), (3, 4), (5, 6)):
        if m.group(body) is not None:
            return m.group(dash) == "-", m.group(body), True
    word = m.group(7)
    if word.startswith("-") and len(word) > 1:
        return True, word[1:], False
    return False, word, False


def substring(fieldname: str, term: str) -> wq.Query:
    """Match documents whose field holds `term` exactly, as a run of characters."""
    grams = query_bigrams(term)
    if not grams:
        return wq.NullQuery
    if len(grams[0]) == 1:
        return Character(fieldname, grams[0])
    if len(grams) == 1:
        return wq.Term(fieldname, grams[0])
    return Substring(fieldname, grams)  # what Phrase(fieldname, grams, slop=1) matches, faster


def contains(fieldname: str, term: str, boost: float = 1.0) -> wq.Query:
    options = [substring(fieldname, v) for v in variants(term)]
    found = options[0] if len(options) == 1 else wq.Or(options)
    if boost != 1.0:
        found = found.with_boost(boost)
    return found


def required_query(parsed: ParsedQuery) -> wq.Query:
    """Exactly the articles holding every required term (unranked)."""
    return wq.And([wq.Or([contains("ngrams", t) for t in group]) for group in parsed.groups])


def whoosh_query(parsed: ParsedQuery) -> wq.Query:
    """Exactly the articles holding every required term, ranked by where and how they hold it."""
    required = required_query(parsed).subqueries
    boosters: list[wq.Query] = []
    for term in parsed.terms:
        boosters.append(contains("title_ngrams", term, boost=12.0))
        boosters.append(contains("byline_ngrams", term, boost=8.0))
        words = {w for v in variants(term) for w, _, _ in jieba_tokenizer().tokenize(normalize(v)) if w.strip()}
        boosters += [wq.Term("text", w) for w in words]
    if len(parsed.terms) > 1:
        boosters.append(contains("ngrams", "".join(parsed.terms), boost=4.0))
    return wq.AndMaybe(wq.And(required), wq.Or(boosters)) if boosters else wq.And(required)


def ranking_terms(parsed: ParsedQuery) -> list[tuple[str, str]]:
    """What orders the documents within a relevance tier (all of which match, see
    search.whoosh_format.ranking): the query's bigrams and its jieba words, as (field, term)."""
    terms: list[tuple[str, str]] = []
    for term in parsed.terms:
        for variant in variants(term):
            terms += [("ngrams", gram) for gram in query_bigrams(variant)]
            words = {w for w, _, _ in jieba_tokenizer().tokenize(normalize(variant)) if w.strip()}
            terms += [("text", w) for w in sorted(words)]
    return list(dict.fromkeys(terms))


def tier_queries(parsed: ParsedQuery) -> tuple[wq.Query, wq.Query]:
    """The articles holding a term in their headline, and in their bylines."""
    return (
        wq.Or([contains("title_ngrams", t) for t in parsed.terms]),
        wq.Or([contains("byline_ngrams", t) for t in parsed.terms]),
    )


def relevance_order(parsed: ParsedQuery) -> list[sorting.FacetType]:
    """Headline matches first, then byline matches, then the rest; by score within each."""
    headline, byline = tier_queries(parsed)
    return [sorting.QueryFacet({"0-headline": headline, "1-byline": byline}, other="2-text"), sorting.ScoreFacet()]


def exclusion_query(parsed: ParsedQuery) -> wq.Query | None:
    """Articles to leave out (-word); given to Whoosh as a mask, which it applies exactly."""
    if not parsed.excluded:
        return None
    return wq.Or([contains("ngrams", t) for t in parsed.excluded])
