"""Search as lawyers type it: "CRC art 34", "Art. 34 CRC", "刑法第363条", "Criminal Law art. 363".

A query that names an article of an instrument is split into the instrument's name and the
article's number (:func:`parse_citation`, a pure function); the store's ranked search finds
the instrument by its names and aliases, and the article is then looked up by its
deterministic id (or, for a number written in Chinese numerals, by its heading). The named
article comes first, then the instrument, then the store's own hits for the whole query.

Examples
--------
>>> parse_citation("CRC art 34")
CitationQuery(instrument='CRC', number='34', raw='34')
>>> parse_citation("Art. 34(1) of the CRC")
CitationQuery(instrument='CRC', number='34', raw='34')
>>> parse_citation("刑法第三百六十三条")
CitationQuery(instrument='刑法', number=None, raw='三百六十三')
>>> parse_citation("Criminal Law") is None
True
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

from citegraph import ids
from citegraph.model import Node, NodeType
from citegraph.stores.base import MAX_RESULT_NODES, GraphStore, SearchHit

__all__ = ["CitationQuery", "citation_search", "parse_citation"]

_NUMBER = r"(?P<num>\d+[a-z]?(?:-\d+)?)(?:\s*\(\s*\w{1,4}\s*\))*"
_ART = r"(?:articles?|arts?|§§?)\.?"
#: "Art. 34 CRC", "Article 34 of the CRC", "art 34(1) Criminal Law"
_ART_FIRST = re.compile(
    rf"^\s*{_ART}\s*{_NUMBER}\s*(?:,\s*|of\s+(?:the\s+)?|,?\s+)(?P<inst>.+?)\s*$", re.IGNORECASE)
#: "CRC art 34", "Criminal Law, Article 363"
_INST_FIRST = re.compile(rf"^\s*(?P<inst>.+?)[\s,]+{_ART}\s*{_NUMBER}\s*$", re.IGNORECASE)
#: "刑法第363条", "刑法 第三百六十三条", "刑法第十七条之一"
_ZH = re.compile(r"^\s*(?P<inst>.+?)\s*第\s*(?P<num>[0-9０-９零〇一二三四五六七八九十百千两]+)\s*条"
                 r"(?:\s*之\s*(?P<sub>[0-9一二三四五六七八九十]+))?")
#: A citation's score: above anything the text index gives (its exact bonus is 10).
CITATION_SCORE = 100.0
INSTRUMENT_SCORE = 50.0
#: An unresolved placeholder's score is scaled by this (OCR debris is no first hit).
UNRESOLVED_FACTOR = 0.5
#: How many instruments a citation's name may denote.
INSTRUMENT_CANDIDATES = 5


@dataclass(frozen=True, slots=True)
class CitationQuery:
    """An instrument's name and an article number: ``number`` normalised (Arabic digits,
    ``"17-1"`` for an inserted article) when it can be, ``raw`` as written."""

    instrument: str
    number: str | None
    raw: str


def parse_citation(text: str) -> CitationQuery | None:
    """The instrument and article a query names, or None when it names no article."""
    text = unicodedata.normalize("NFKC", text)
    zh = _ZH.match(text)
    if zh:
        raw = zh.group("num")
        number = raw if raw.isascii() and raw.isdigit() else None
        sub = zh.group("sub")
        if number and sub:
            number = f"{number}-{sub}" if sub.isdigit() else None
        raw = raw + (f"条之{sub}" if sub else "")
        return CitationQuery(zh.group("inst"), number, raw)
    for pattern in (_ART_FIRST, _INST_FIRST):
        match = pattern.match(text)
        if match and any(ch.isalpha() for ch in match.group("inst")):
            num = match.group("num").lower()
            return CitationQuery(match.group("inst").strip(" ,"), num, num)
    return None


def _article_of(store: GraphStore, instrument: Node, cq: CitationQuery) -> Node | None:
    iri = instrument.props.get("work_iri")
    if not isinstance(iri, str):
        iri = instrument.id.removeprefix("instrument:")
    if cq.number is not None:
        return store.find_node(ids.article_id(iri, ids.article_eid(cq.number)))
    heading = f"第{cq.raw}" if "条" in cq.raw else f"第{cq.raw}条"
    for hit in store.search(heading, node_types={NodeType.ARTICLE}, limit=50):
        number_raw = str(hit.node.props.get("number_raw", ""))
        if hit.node.props.get("work_iri") == iri and number_raw.replace(" ", "") == heading:
            return hit.node
    return None


def _citation_hits(store: GraphStore, cq: CitationQuery) -> list[SearchHit]:
    found = store.search(cq.instrument, node_types={NodeType.INSTRUMENT},
                         limit=INSTRUMENT_CANDIDATES)
    # names that match the words far less well than the best one are not what was meant
    instruments = [f for f in found if f.score >= found[0].score * 0.6]
    hits: list[SearchHit] = []
    for rank, inst in enumerate(instruments):
        article = _article_of(store, inst.node, cq)
        if article is not None:
            hits.append(SearchHit(article, CITATION_SCORE - rank))
    hits.extend(SearchHit(f.node, INSTRUMENT_SCORE - rank) for rank, f in enumerate(instruments))
    return hits


def citation_search(store: GraphStore, text: str, *,
                    node_types: Collection[NodeType] | None = None,
                    limit: int = 20) -> list[SearchHit]:
    """Ranked hits for ``text``: a cited article first, its instrument next, then the
    store's own ranked search for the whole text (each node once, the best score kept)."""
    limit = max(1, min(limit, MAX_RESULT_NODES))
    cq = parse_citation(text)
    found = _citation_hits(store, cq) if cq is not None else []
    found.extend(store.search(text, node_types=node_types, limit=limit))
    best: dict[str, SearchHit] = {}
    for hit in found:
        if node_types is not None and hit.node.type not in node_types:
            continue
        if hit.node.props.get("status") == "unresolved":
            # a mention that names nothing known ranks below what it might have meant
            hit = SearchHit(hit.node, round(hit.score * UNRESOLVED_FACTOR, 6))
        if hit.node.id not in best or best[hit.node.id].score < hit.score:
            best[hit.node.id] = hit
    ranked = sorted(best.values(), key=lambda h: (-h.score, _natural(h.node.id)))
    return ranked[:limit]


def _natural(text: str) -> tuple[tuple[int, str], ...]:
    """Sort key with numbers compared as numbers ("art_9" before "art_10").

    >>> sorted(["art_10", "art_9"], key=_natural)
    ['art_9', 'art_10']
    """
    return tuple((int(p), "") if p.isdigit() else (0, p) for p in re.split(r"(\d+)", text))
