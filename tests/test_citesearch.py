"""Citation-style search: parsing (pure) and ranking on both stores."""

from __future__ import annotations

import pytest
from viz_graph import CRC, CRC_34, CRIM, CRIM_363, legal_batch

from citegraph.citesearch import CitationQuery, citation_search, parse_citation
from citegraph.stores.base import GraphStore


@pytest.mark.parametrize("text,expected", [
    ("CRC art 34", CitationQuery("CRC", "34", "34")),
    ("Art. 34 CRC", CitationQuery("CRC", "34", "34")),
    ("Article 34 of the CRC", CitationQuery("CRC", "34", "34")),
    ("art. 34(1) Convention on the Rights of the Child",
     CitationQuery("Convention on the Rights of the Child", "34", "34")),
    ("Criminal Law art. 363", CitationQuery("Criminal Law", "363", "363")),
    ("Criminal Law, Article 363", CitationQuery("Criminal Law", "363", "363")),
    ("刑法第363条", CitationQuery("刑法", "363", "363")),
    ("刑法第３６３条", CitationQuery("刑法", "363", "363")),
    ("刑法第三百六十三条", CitationQuery("刑法", None, "三百六十三")),
    ("刑法第十七条之一", CitationQuery("刑法", None, "十七条之一")),
    ("刑法第17条之1", CitationQuery("刑法", "17-1", "17条之1")),
])
def test_parse_citation(text: str, expected: CitationQuery) -> None:
    assert parse_citation(text) == expected


@pytest.mark.parametrize("text", ["Article 34", "Criminal Law", "34", "art 34", "第三条"])
def test_not_a_citation(text: str) -> None:
    assert parse_citation(text) is None


@pytest.fixture
def loaded(store: GraphStore) -> GraphStore:
    store.write(legal_batch())
    return store


@pytest.mark.parametrize("text,first,second", [
    ("CRC art 34", CRC_34, CRC),
    ("Art. 34 CRC", CRC_34, CRC),
    ("Criminal Law art. 363", CRIM_363, CRIM),
    ("Art. 363 Criminal Law of the PRC", CRIM_363, CRIM),
])
def test_the_named_article_ranks_first(loaded: GraphStore, text: str, first: str,
                                       second: str) -> None:
    hits = [h.node.id for h in citation_search(loaded, text)]
    assert hits[:2] == [first, second]


def test_an_article_the_instrument_lacks_falls_back_to_the_instrument(loaded: GraphStore) -> None:
    hits = [h.node.id for h in citation_search(loaded, "CRC art 99")]
    assert hits[0] == CRC


def test_ties_go_to_the_better_connected_and_placeholders_rank_low(loaded: GraphStore) -> None:
    from citegraph.model import GraphBatch, Node, NodeType
    from citegraph.vizqueries import suggestions

    twin = Node(f"{CRIM.replace('instrument:', 'article:')}#art_34", NodeType.ARTICLE,
                "Criminal Law art. 34", {"number": "34"})
    debris = Node("instrument:/unresolved/child-act", NodeType.INSTRUMENT, "Child Act",
                  {"status": "unresolved"})
    act = Node("instrument:/akn/xx/act/2001-01-01/children", NodeType.INSTRUMENT,
               "Children and Child Act of 2001")
    loaded.write(GraphBatch.of("t", [twin, debris, act], []))
    # both are "Article 34" exactly; the convention's article has relationships, the twin none
    assert [n.id for n in suggestions(loaded, "Article 34", None, 5)][:2] == [CRC_34, twin.id]
    hits = [h.node.id for h in citation_search(loaded, "child")]  # a word, not the name
    assert hits.index(act.id) < hits.index(debris.id)
