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
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

_WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def fold(text: str) -> str:
    """NFKC, case-folded, accents removed."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    """Index terms of ``text``: folded words, plus CJK characters and bigrams."""
    out: list[str] = []
    for word in _WORD.findall(fold(text)):
        if _CJK.search(word):
            chars = list(word)
            out.extend(chars)
            out.extend(a + b for a, b in itertools.pairwise(chars))
        else:
            out.append(word)
    return out


class TextIndex:
    """Term → documents, with a tf-idf-like score and a bonus for exact labels."""

    def __init__(self) -> None:
        self._postings: dict[str, set[str]] = defaultdict(set)
        self._terms: dict[str, frozenset[str]] = {}
        self._exact: dict[str, set[str]] = defaultdict(set)
        self._exact_keys: dict[str, set[str]] = {}

    def __len__(self) -> int:
        return len(self._terms)

    def add(self, doc_id: str, texts: Iterable[str]) -> None:
        self.remove(doc_id)
        texts = list(texts)
        terms = frozenset(t for text in texts for t in tokens(text))
        self._terms[doc_id] = terms
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
        terms = list(dict.fromkeys(tokens(query)))
        if not terms:
            return []
        postings = sorted((self._postings.get(t, set()) for t in terms), key=len)
        if not postings[0]:
            return []
        hits = set.intersection(*postings)
        total = max(len(self._terms), 1)
        exact = self._exact.get(fold(query).strip(), set())
        scored = []
        for doc in hits:
            score = sum(math.log(1 + total / len(self._postings[t])) for t in terms)
            score /= math.sqrt(len(self._terms[doc]))
            if doc in exact:
                score += 10.0
            scored.append((doc, round(score, 6)))
        scored.sort(key=lambda item: (-item[1], item[0]))
        return scored[:limit]
