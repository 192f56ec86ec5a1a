"""A small inverted index for ranked text search in the embedded store.

Latin words are matched whole (case- and accent-folded); Chinese text is indexed as
characters and character bigrams, since it has no spaces between words.

Examples
--------
>>> index = TextIndex()
>>> index.add("a", ["Convention on the Rights of the Child", "CRC"])
>>> index.add("b", ["刑法"])
>>> [hit for hit, _ in index.search("rights child")]
['a']
>>> [hit for hit, _ in index.search("刑法")]
['b']
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence

from citegraph.text import HAN
from citegraph.text import fold as fold  # re-exported for the stores

_WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Index terms of ``text``: folded words, plus CJK characters and bigrams."""
    out: list[str] = []
    for word in _WORD.findall(fold(text)):
        if HAN.search(word):
            chars = list(word)
            out.extend(chars)
            out.extend(a + b for a, b in itertools.pairwise(chars))
        else:
            out.append(word)
    return out


#: Added to the score of a node one of whose texts equals the query.
EXACT_BONUS = 10.0


def score_texts(query_terms: Collection[str], texts: Sequence[str], weight: float = 1.0,
                exact: bool = False) -> float:
    """Rank a node for a query by its best text: coverage of the query plus brevity.

    A text scores the share of the query's terms it contains plus the share of its own
    terms the query accounts for, so a short alias that is nearly the query ("Lanzarote
    Convention") beats a long label that merely contains it. Both stores rank with this
    function, so they agree on the order.

    >>> query = {"optional", "protocol"}
    >>> score_texts(query, ["Optional Protocol"]) > score_texts(query, ["Art. 1 Optional Protocol"])
    True
    """
    return score_term_sets(query_terms, [frozenset(tokens(t)) for t in texts], weight, exact)


def score_term_sets(query_terms: Collection[str], term_sets: Sequence[frozenset[str]],
                    weight: float = 1.0, exact: bool = False) -> float:
    """:func:`score_texts` over texts already split into terms."""
    if not query_terms:
        return 0.0
    best = 0.0
    for terms in term_sets:
        matched = len(terms.intersection(query_terms))
        if matched:
            best = max(best, matched / len(query_terms) + matched / len(terms))
    return round(best * weight + (EXACT_BONUS if exact else 0.0), 6)


class TextIndex:
    """Term → documents for retrieval; documents' texts for :func:`score_texts`."""

    def __init__(self) -> None:
        self._postings: dict[str, set[str]] = defaultdict(set)
        self._terms: dict[str, frozenset[str]] = {}
        self._texts: dict[str, tuple[tuple[frozenset[str], ...], float]] = {}
        self._exact: dict[str, set[str]] = defaultdict(set)
        self._exact_keys: dict[str, set[str]] = {}

    def __len__(self) -> int:
        return len(self._terms)

    def add(self, doc_id: str, texts: Iterable[str], weight: float = 1.0) -> None:
        self.remove(doc_id)
        texts = tuple(texts)
        term_sets = tuple(frozenset(tokens(text)) for text in texts)
        terms = frozenset().union(*term_sets)
        self._terms[doc_id] = terms
        self._texts[doc_id] = (term_sets, weight)
        for term in terms:
            self._postings[term].add(doc_id)
        keys = {fold(text).strip() for text in texts}
        self._exact_keys[doc_id] = keys
        for key in keys:
            self._exact[key].add(doc_id)

    def remove(self, doc_id: str) -> None:
        terms = self._terms.pop(doc_id, None)
        if terms is None:
            return
        self._texts.pop(doc_id, None)
        for term in terms:
            posting = self._postings.get(term)
            if posting is not None:
                posting.discard(doc_id)
                if not posting:
                    del self._postings[term]
        for key in self._exact_keys.pop(doc_id, set()):
            self._exact[key].discard(doc_id)

    def search(self, query: str, limit: int = 20) -> list[tuple[str, float]]:
        """Documents containing every query term, best first; ties broken by id."""
        terms = set(tokens(query))
        if not terms:
            return []
        postings = sorted((self._postings.get(t, set()) for t in terms), key=len)
        if not postings[0]:
            return []
        hits = set.intersection(*postings)
        exact = self._exact.get(fold(query).strip(), set())
        scored = []
        for doc in hits:
            term_sets, weight = self._texts[doc]
            scored.append((doc, score_term_sets(terms, term_sets, weight, doc in exact)))
        scored.sort(key=lambda item: (-item[1], item[0]))
        return scored[:limit]
