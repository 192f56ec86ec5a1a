"""Analytics on the fixture graph's projection (pure functions, no HTTP)."""

from __future__ import annotations

import networkx as nx
import pytest
from graph_fixture import (
    AGE,
    CL,
    CL_17_1,
    CL_363,
    CL_364,
    CN,
    CRC,
    CRC_34,
    CSAM,
    DOI,
    GB,
    INTERP,
    INTERP_1,
    LEE,
    NODES,
    OPSC,
    OPSC_2,
    OTHER,
    PAPER,
    RELATIONSHIPS,
    S1,
    S2,
    S3,
    S21,
    SMITH,
    UN,
    fixture_batch,
)
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from citegraph import analytics
from citegraph.errors import NodeNotFoundError
from citegraph.model import Node, NodeType, Provenance, Relationship, RelType
from citegraph.stores.embedded import EmbeddedStore


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return analytics.build_projection(NODES, RELATIONSHIPS)


def test_projection_matches_the_embedded_store(graph: nx.MultiDiGraph) -> None:
    store = EmbeddedStore(None)
    store.write(fixture_batch())
    own = store.projection()
    assert set(own.nodes) == set(graph.nodes)
    assert sorted(own.edges(keys=True)) == sorted(graph.edges(keys=True))


def test_projection_of_a_store_without_one_is_cached_until_the_version_changes() -> None:
    from citegraph.stores.base import GraphStore

    class Plain(EmbeddedStore):
        projection = GraphStore.projection  # the built, cached projection

    store = Plain(None)
    store.write(fixture_batch())
    first = analytics.projection_of(store)
    assert analytics.projection_of(store) is first
    store.upsert_nodes([Node("concept:new", NodeType.CONCEPT, "new")])
    second = analytics.projection_of(store)
    assert second is not first and "concept:new" in second


def test_pagerank_agrees_with_networkx(graph: nx.MultiDiGraph) -> None:
    ours = analytics.pagerank(graph)
    weighted = nx.DiGraph()
    for source, target, rel in graph.edges(data="r"):
        if rel.type in analytics.RANK_TYPES:
            old = weighted.get_edge_data(source, target, {"weight": 0})["weight"]
            weighted.add_edge(source, target, weight=old + 1)
    theirs = _pagerank_python(weighted, tol=1e-12)
    assert set(ours) == set(theirs)
    for node_id, score in theirs.items():
        assert ours[node_id] == pytest.approx(score, abs=1e-6)
    assert sum(ours.values()) == pytest.approx(1.0)


def test_ranking_orders_and_filters(graph: nx.MultiDiGraph) -> None:
    rows = analytics.ranking(graph)
    assert [r.score for r in rows] == sorted((r.score for r in rows), reverse=True)
    degrees = {r.id: r.in_degree for r in rows}
    assert degrees[SMITH] == 3 and degrees[CL_363] == 2
    works = analytics.ranking(graph, node_types=[NodeType.WORK], by="in_degree")
    assert {r.id for r in works} == {SMITH, DOI, LEE, OTHER}
    assert works[0].in_degree >= works[-1].in_degree
    assert analytics.pagerank(nx.MultiDiGraph()) == {}


def test_co_citation_coupling_co_mention(graph: nx.MultiDiGraph) -> None:
    cocited = {(p.a, p.b): p for p in analytics.co_citation(graph)}
    assert cocited[(SMITH, DOI)].weight == 2
    assert cocited[(SMITH, DOI)].evidence == (OTHER, PAPER)
    assert cocited[(LEE, SMITH)].evidence == (PAPER,)
    assert analytics.co_citation(graph, min_weight=3) == []
    coupled = analytics.bibliographic_coupling(graph)
    assert [(p.a, p.b, p.weight) for p in coupled] == [(OTHER, PAPER, 2)]
    mentioned = {(p.a, p.b): p for p in analytics.co_mention(graph)}
    assert mentioned[(CRC, OPSC)].evidence == (S1,)
    assert mentioned[(CL, INTERP)].evidence == (S2,)
    assert mentioned[(CL, CRC)].evidence == (S21,)
    raw = analytics.co_mention(graph, node_types=[NodeType.ARTICLE], roll_up_articles=False)
    assert [(p.a, p.b) for p in raw] == [(CL_363, CRC_34)]


def test_co_citation_counts_a_citing_paper_once() -> None:
    # The paper cites SMITH and DOI in section 1 and in its reference list: one paper.
    prov = Provenance(PAPER)
    graph = analytics.build_projection(NODES, [
        *RELATIONSHIPS, Relationship(PAPER, SMITH, RelType.CITES, prov),
        Relationship(PAPER, DOI, RelType.CITES, prov)])
    cocited = {(p.a, p.b): p for p in analytics.co_citation(graph)}
    assert cocited[(SMITH, DOI)].weight == 2
    assert cocited[(SMITH, DOI)].evidence == (OTHER, PAPER)
    assert all(not e.startswith("section:") for p in cocited.values() for e in p.evidence)


def test_owners_and_years(graph: nx.MultiDiGraph) -> None:
    assert analytics.owning_work(graph, S21) == PAPER
    assert analytics.owning_instrument(graph, CL_363) == CL
    assert analytics.node_year(graph, S3) == 2021
    assert analytics.node_year(graph, CL_17_1) == 1997
    assert analytics.node_year(graph, CN) is None
    assert analytics.articles_index(graph)[OPSC][0] == OPSC_2


def test_matrix(graph: nx.MultiDiGraph) -> None:
    matrix = analytics.jurisdiction_concept_matrix(graph)
    cells = {(c.jurisdiction, c.concept): c for c in matrix.cells}
    assert cells[(CN, AGE)].evidence == (CL_17_1,)
    assert cells[(CN, "concept:possession")].instruments == (INTERP,)
    assert set(cells[(UN, CSAM)].instruments) == {CRC, OPSC}  # from the property
    assert cells[(GB, CSAM)].instruments == (CRC,)  # ratified
    assert matrix.jurisdictions == tuple(sorted(matrix.jurisdictions))


def test_matrix_does_not_bind_a_jurisdiction_that_only_signed() -> None:
    us = "jurisdiction:US"
    prov = Provenance("catalog")
    graph = analytics.build_projection(
        [*NODES, Node(us, NodeType.JURISDICTION, "United States")],
        [*RELATIONSHIPS, Relationship(us, CRC, RelType.SIGNED, prov),
         Relationship(GB, CRC, RelType.SIGNED, prov)])
    matrix = analytics.jurisdiction_concept_matrix(graph)
    assert us not in {c.jurisdiction for c in matrix.cells}
    signed = {(c.jurisdiction, c.concept): c for c in matrix.signed_only}
    assert signed[(us, CSAM)].instruments == (CRC,) and signed[(us, CSAM)].evidence == (CRC_34,)
    assert (GB, CSAM) not in signed  # GB ratified it too: bound, in cells
    assert (GB, CSAM) in {(c.jurisdiction, c.concept) for c in matrix.cells}
    assert us in matrix.jurisdictions


def test_matrix_without_has_article_edges_uses_the_article_ids() -> None:
    nodes = [n for n in NODES]
    rels = [r for r in RELATIONSHIPS if r.type is not RelType.HAS_ARTICLE]
    matrix = analytics.jurisdiction_concept_matrix(analytics.build_projection(nodes, rels))
    assert (CN, CSAM) in {(c.jurisdiction, c.concept) for c in matrix.cells}


def test_influence_trace(graph: nx.MultiDiGraph) -> None:
    trace = analytics.influence_trace(graph, CL_363, max_hops=2)
    entries = {e.id: e for e in trace.entries}
    assert entries[CL_363].hop == 0 and trace.entries[0].id == CL_363
    assert entries[INTERP_1].via is RelType.INTERPRETS
    assert entries[CL_364].via is RelType.REFERS_TO
    assert entries[S2].via is RelType.MENTIONS and entries[S2].hop == 1
    assert entries[PAPER].hop == 1 and entries[PAPER].via is RelType.HAS_SECTION
    assert all(r.target in entries and r.source in entries for r in trace.relationships)
    timeline = trace.timeline()
    assert [y for y, _ in timeline if y is not None] == sorted(
        y for y, _ in timeline if y is not None)
    one_hop = analytics.influence_trace(graph, CL_363, max_hops=1)
    assert max(e.hop for e in one_hop.entries) == 1
    capped = analytics.influence_trace(graph, CRC, limit=2)
    assert capped.truncated
    assert len([e for e in capped.entries if e.via is not RelType.HAS_ARTICLE]) == 2
    with pytest.raises(NodeNotFoundError):
        analytics.influence_trace(graph, "instrument:/none")


def test_influence_trace_does_not_spend_the_limit_on_the_roots_articles() -> None:
    statute = "instrument:/akn/xx/act/2000-01-01/big"
    articles = [f"article:/akn/xx/act/2000-01-01/big#art_{n}" for n in range(1, 60)]
    prov = Provenance(statute)
    nodes = [Node(statute, NodeType.INSTRUMENT, "Big statute"),
             *(Node(a, NodeType.ARTICLE, a) for a in articles),
             Node("section:p/1", NodeType.SECTION, "1"), Node("work:p", NodeType.WORK, "P"),
             Node("work:q", NodeType.WORK, "Q")]
    rels = [*(Relationship(statute, a, RelType.HAS_ARTICLE, prov) for a in articles),
            Relationship("work:p", "section:p/1", RelType.HAS_SECTION, prov),
            Relationship("section:p/1", articles[-1], RelType.MENTIONS, prov),
            Relationship("work:q", "work:p", RelType.CITES, prov)]
    trace = analytics.influence_trace(analytics.build_projection(nodes, rels), statute,
                                      limit=5)
    by_id = {e.id: e for e in trace.entries}
    assert by_id["section:p/1"].hop == 1 and by_id["section:p/1"].parent == articles[-1]
    assert by_id["work:p"].hop == 1 and by_id["work:q"].hop == 2
    assert by_id[articles[-1]].via is RelType.HAS_ARTICLE  # listed: the mention goes through it
    assert len(trace.entries) == 5 and not trace.truncated
    assert trace.omitted_parts == len(articles) - 1
    assert {r.type for r in trace.relationships} == {RelType.MENTIONS, RelType.CITES}
    capped = analytics.influence_trace(analytics.build_projection(nodes, rels), statute,
                                       limit=2)
    assert capped.truncated and {e.id for e in capped.entries} == {
        statute, articles[-1], "section:p/1"}


def test_self_loops_are_ignored() -> None:
    nodes = [Node("work:a", NodeType.WORK, "A"), Node("work:b", NodeType.WORK, "B")]
    prov = Provenance("work:a")
    rels = [Relationship("work:a", "work:a", RelType.CITES, prov),
            Relationship("work:a", "work:b", RelType.CITES, prov)]
    graph = analytics.build_projection(nodes, rels)
    assert analytics.in_degrees(graph) == {"work:b": 1}
