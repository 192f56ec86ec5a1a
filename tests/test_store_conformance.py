"""THE conformance suite: every test runs against each store (fixture ``store`` in conftest).

Each test states the contract of :class:`citegraph.stores.base.GraphStore` as an expected
value, so a store passes by behaving as documented, not by agreeing with the other one.
The last tests write the same batches into both stores and compare full exports.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from corpus import CORPUS, SEED

from citegraph.errors import ModelError, NodeNotFoundError
from citegraph.model import (
    GraphBatch,
    Node,
    NodeType,
    PropValue,
    Provenance,
    Relationship,
    RelType,
)
from citegraph.stores.base import Direction, GraphStore, WriteResult
from citegraph.stores.embedded import EmbeddedStore
from citegraph.stores.neo4j_store import Neo4jStore

#: Strings that would break a store building queries by concatenation.
HOSTILE_STRINGS = [
    "'", '"', "\\", "`", "}) DETACH DELETE n //", "' OR 1=1 --", "$id", "{id}", "*", "?",
    "~", "a:b", "(", ")", "[x]", "OR", "AND NOT", "+-&&||!", "/regex/", "^2", '名字"',
    "%s %(x)s", "x` {id: 1}) MATCH (m) DETACH DELETE m //", r"\u0027",
]

# -- a small graph shaped like the real one ----------------------------------------------------
PAPER = "work:paper"
S1, S2 = "section:paper/1", "section:paper/2"
SMITH = "work:bib:smith1984"
CRC = "instrument:/akn/un/treaty/1989-11-20/crc"
ART34 = f"article:{CRC[11:]}#art_34"
CL = "instrument:/akn/cn/act/1997-03-14/criminal-law"
ART363 = f"article:{CL[11:]}#art_363"
POSSESSION = "concept:possession"
CN = "jurisdiction:CN"


def prov(document: str = PAPER, locator: str = "", start: int | None = None) -> Provenance:
    span = None if start is None else (start, start + 10)
    return Provenance(document, locator, span, f"quote at {start}", "marker", 0.9)


def rel(source: str, rtype: RelType, target: str, document: str = PAPER, locator: str = "",
        start: int | None = None, **props: Any) -> Relationship:
    return Relationship(source, target, rtype, prov(document, locator, start), props)


def sample_nodes() -> list[Node]:
    return [
        Node(PAPER, NodeType.WORK, "Seed paper", {"document": PAPER, "year": 2021,
                                                  "title": "Online exploitation material"}),
        Node(S1, NodeType.SECTION, "1 Introduction", {"document": PAPER, "number": "1"}),
        Node(S2, NodeType.SECTION, "2 Possession", {"document": PAPER, "number": "2",
                                                    "heading": "Possession offences"}),
        Node(SMITH, NodeType.WORK, "Smith 1984", {"authors": ["Smith, A.", "Jones, B."],
                                                  "year": 1984}),
        Node(CRC, NodeType.INSTRUMENT, "Convention on the Rights of the Child",
             {"aliases": ["CRC", "儿童权利公约"], "short_name": "CRC",
              "adopted": "1989-11-20"}),
        Node(ART34, NodeType.ARTICLE, "Article 34", {"number": 34, "raw_number": "34"}),
        Node(CL, NodeType.INSTRUMENT, "Criminal Law of the PRC", {"name_zh": "中华人民共和国刑法"}),
        Node(ART363, NodeType.ARTICLE, "Article 363", {"number": 363, "weight": 0.25,
                                                       "in_force": True}),
        Node(POSSESSION, NodeType.CONCEPT, "possession", {"aliases": ["持有"]}),
        Node(CN, NodeType.JURISDICTION, "China", {"name_zh": "中国", "codes": [156]}),
    ]


def sample_rels() -> list[Relationship]:
    return [
        rel(PAPER, RelType.HAS_SECTION, S1, locator="1"),
        rel(PAPER, RelType.HAS_SECTION, S2, locator="2"),
        rel(S1, RelType.CITES, SMITH, locator="1", start=10),
        rel(S1, RelType.MENTIONS, CRC, locator="1", start=40),
        rel(S2, RelType.MENTIONS, ART34, locator="2", start=5),
        rel(S2, RelType.MENTIONS, POSSESSION, locator="2", start=70),
        rel(CRC, RelType.HAS_ARTICLE, ART34, document="catalog"),
        rel(CL, RelType.HAS_ARTICLE, ART363, document="catalog"),
        rel(CN, RelType.RATIFIED, CRC, document="catalog", date="1992-03-02"),
        rel(ART363, RelType.IMPLEMENTS, ART34, document="catalog", tags=["a", "b"]),
        rel(ART34, RelType.DEFINES, POSSESSION, document="catalog"),
    ]


def sample_batch() -> GraphBatch:
    return GraphBatch.of(PAPER, sample_nodes(), sample_rels())


def export(store: GraphStore) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every node and relationship as sorted plain dicts (the export a user would get)."""
    nodes = sorted((n.to_dict() for n in store.iter_nodes()), key=lambda d: str(d["id"]))
    rels = sorted((r.to_dict() for r in store.iter_relationships()),
                  key=lambda d: json.dumps(d, sort_keys=True, ensure_ascii=False))
    return nodes, rels


def ids(nodes: Iterable[Node]) -> list[str]:
    return [n.id for n in nodes]


@pytest.fixture
def loaded(store: GraphStore) -> GraphStore:
    store.write(sample_batch())
    return store


# -- writing -----------------------------------------------------------------------------------
def test_written_values_read_back_equal(store: GraphStore) -> None:
    result = store.write(sample_batch())
    assert (result.nodes, result.relationships) == (10, 11)
    for node in sample_nodes():
        assert store.get_node(node.id) == node
    assert sorted(store.iter_relationships(), key=lambda r: r.identity) == \
        sorted(sample_rels(), key=lambda r: r.identity)


def test_upsert_is_idempotent(store: GraphStore) -> None:
    store.write(sample_batch())
    first = export(store)
    store.write(sample_batch())
    assert export(store) == first
    assert store.counts().total_relationships == 11


def test_node_properties_merge_and_later_values_win(loaded: GraphStore) -> None:
    loaded.write(GraphBatch.of("x", [Node(SMITH, NodeType.WORK, "Smith (1984)",
                                          {"year": 1985, "doi": "10.1/x"})], []))
    node = loaded.get_node(SMITH)
    assert node.label == "Smith (1984)"
    assert dict(node.props) == {"authors": ["Smith, A.", "Jones, B."], "year": 1985,
                                "doi": "10.1/x"}


def test_empty_label_keeps_the_old_label(loaded: GraphStore) -> None:
    loaded.write(GraphBatch.of("x", [Node(SMITH, NodeType.WORK, "", {"pages": 12})], []))
    assert loaded.get_node(SMITH).label == "Smith 1984"


def test_stub_creates_a_missing_node(store: GraphStore) -> None:
    stub = Node(CRC, NodeType.INSTRUMENT, "CRC", {"stub": True, "status": "unresolved"})
    store.write(GraphBatch.of("d", [stub], []))
    assert store.get_node(CRC) == stub


def test_stub_never_updates_an_existing_node(loaded: GraphStore) -> None:
    before = loaded.get_node(CRC)
    loaded.write(GraphBatch.of("d", [Node(CRC, NodeType.INSTRUMENT, "x", {"stub": True,
                                                                         "extra": 1})], []))
    assert loaded.get_node(CRC) == before


def test_full_node_replaces_a_stub_and_drops_the_flag(store: GraphStore) -> None:
    store.write(GraphBatch.of("d", [Node(CRC, NodeType.INSTRUMENT, "CRC",
                                         {"stub": True, "seen_in": "d"})], []))
    store.write(GraphBatch.of("c", [Node(CRC, NodeType.INSTRUMENT, "Convention",
                                         {"year": 1989})], []))
    node = store.get_node(CRC)
    assert node.label == "Convention"
    assert dict(node.props) == {"seen_in": "d", "year": 1989}
    assert not node.is_stub


def test_stub_and_full_node_in_one_batch_apply_in_order(store: GraphStore) -> None:
    full = Node(CL, NodeType.INSTRUMENT, "Criminal Law", {"year": 1997})
    stub = Node(CL, NodeType.INSTRUMENT, "刑法", {"stub": True})
    store.write(GraphBatch.of("d", [full, stub], []))
    assert store.get_node(CL) == full
    store.clear()
    store.write(GraphBatch.of("d", [stub, full], []))
    assert store.get_node(CL) == full


def test_a_node_cannot_change_type(loaded: GraphStore) -> None:
    before = export(loaded)
    batch = GraphBatch.of("bad", [Node("concept:new", NodeType.CONCEPT, "new"),
                                  Node(SMITH, NodeType.CONCEPT, "Smith")], [])
    with pytest.raises(ModelError):
        loaded.write(batch)
    assert export(loaded) == before


def test_one_id_with_two_types_in_a_batch_is_refused(store: GraphStore) -> None:
    with pytest.raises(ModelError):
        store.write(GraphBatch.of("bad", [Node("x:1", NodeType.WORK, "a"),
                                          Node("x:1", NodeType.CONCEPT, "a")], []))
    assert store.counts().total_nodes == 0


def test_dangling_endpoint_fails_the_whole_batch(loaded: GraphStore) -> None:
    before = export(loaded)
    batch = GraphBatch.of("bad", [Node("work:new", NodeType.WORK, "New"),
                                  Node(SMITH, NodeType.WORK, "changed")],
                          [rel("work:new", RelType.CITES, SMITH, "bad"),
                           rel("work:new", RelType.CITES, "work:missing", "bad")])
    with pytest.raises(ModelError, match="work:missing"):
        loaded.write(batch)
    assert export(loaded) == before
    assert loaded.find_node("work:new") is None


def test_relationships_merge_on_source_type_target_and_key(loaded: GraphStore) -> None:
    again = rel(S1, RelType.CITES, SMITH, locator="1", start=10, page=5)
    other = rel(S1, RelType.CITES, SMITH, locator="1", start=99)
    loaded.upsert_relationships([again, other])
    found = loaded.find_relationship(S1, RelType.CITES, SMITH)
    assert found == sorted([again, other], key=lambda r: r.identity)
    assert loaded.find_relationship(S1, RelType.CITES, SMITH, key=again.key) == [again]
    assert loaded.counts().relationships["CITES"] == 2


def test_relationship_properties_are_replaced_not_merged(loaded: GraphStore) -> None:
    first = rel(CN, RelType.RATIFIED, CRC, document="catalog")
    loaded.upsert_relationships([first])
    assert loaded.find_relationship(CN, RelType.RATIFIED, CRC) == [first]


def test_replace_swaps_a_documents_contribution(loaded: GraphStore) -> None:
    smaller = GraphBatch.of(PAPER, [Node(PAPER, NodeType.WORK, "Seed paper v2",
                                         {"document": PAPER}),
                                    Node(S1, NodeType.SECTION, "1", {"document": PAPER})],
                            [rel(PAPER, RelType.HAS_SECTION, S1, locator="1")])
    result = loaded.write(smaller, replace=True)
    # Relationships of the document (6) plus those still touching its nodes (none left).
    assert (result.deleted_relationships, result.deleted_nodes) == (6, 3)
    assert loaded.find_node(S2) is None
    assert loaded.get_node(PAPER).label == "Seed paper v2"
    assert loaded.counts().relationships == {"DEFINES": 1, "HAS_ARTICLE": 2, "HAS_SECTION": 1,
                                             "IMPLEMENTS": 1, "RATIFIED": 1}


def test_replace_refuses_a_batch_pointing_at_a_deleted_node(loaded: GraphStore) -> None:
    before = export(loaded)
    batch = GraphBatch.of(PAPER, [Node(PAPER, NodeType.WORK, "v2", {"document": PAPER})],
                          [rel(PAPER, RelType.HAS_SECTION, S2, locator="2")])
    with pytest.raises(ModelError):
        loaded.write(batch, replace=True)
    assert export(loaded) == before


def test_replace_may_change_the_type_of_a_deleted_node(loaded: GraphStore) -> None:
    batch = GraphBatch.of(PAPER, [Node(S2, NodeType.CONCEPT, "now a concept")], [])
    loaded.write(batch, replace=True)
    assert loaded.get_node(S2).type == NodeType.CONCEPT


def test_delete_document_removes_its_nodes_and_relationships(loaded: GraphStore) -> None:
    result = loaded.delete_document(PAPER)
    assert (result.deleted_relationships, result.deleted_nodes) == (6, 3)
    assert loaded.find_node(PAPER) is None
    assert loaded.counts().relationships == {"DEFINES": 1, "HAS_ARTICLE": 2, "IMPLEMENTS": 1,
                                             "RATIFIED": 1}
    assert loaded.delete_document("catalog").deleted_relationships == 5
    assert loaded.counts().total_relationships == 0
    assert loaded.counts().total_nodes == 7


def test_delete_of_an_unknown_document_does_nothing(loaded: GraphStore) -> None:
    before = export(loaded)
    result = loaded.delete_document("nothing")
    assert (result.deleted_relationships, result.deleted_nodes) == (0, 0)
    assert export(loaded) == before


def test_clear_empties_the_store(loaded: GraphStore) -> None:
    loaded.clear()
    assert loaded.counts().total_nodes == 0
    assert list(loaded.iter_nodes()) == []


def test_every_write_moves_the_version(store: GraphStore) -> None:
    seen = [store.version()]
    assert store.version() == seen[0]  # reading does not move it
    for step in (lambda: store.write(sample_batch()),
                 lambda: store.write(sample_batch()),  # a re-write that changes nothing
                 lambda: store.write(sample_batch(), replace=True),
                 lambda: store.delete_document("catalog"),
                 lambda: store.write_many([GraphBatch.of("x", sample_nodes()[:2], [])]),
                 store.clear):
        step()
        assert store.version() not in seen
        seen.append(store.version())


def test_a_failed_write_keeps_the_version(loaded: GraphStore) -> None:
    before = loaded.version()
    with pytest.raises(ModelError):
        loaded.write(GraphBatch.of("bad", [], [rel(PAPER, RelType.CITES, "work:missing")]))
    assert loaded.version() == before


def test_projection_is_fresh_after_a_replace_that_keeps_the_counts(loaded: GraphStore) -> None:
    """The analytics projection is cached on the version, not on the counts."""
    from citegraph import analytics

    for project in (analytics.projection_of, analytics.cached_projection):
        loaded.write(sample_batch(), replace=True)
        assert loaded.get_node(S1) and project(loaded).has_edge(S1, SMITH)
        moved = [rel(S2, RelType.CITES, SMITH, locator="2", start=10)
                 if (r.source, r.type) == (S1, RelType.CITES) else r for r in sample_rels()]
        counts = loaded.counts()
        loaded.write(GraphBatch.of(PAPER, sample_nodes(), moved), replace=True)
        assert loaded.counts() == counts
        graph = project(loaded)
        assert graph.has_edge(S2, SMITH) and not graph.has_edge(S1, SMITH), project


def test_write_many_sums_results(store: GraphStore) -> None:
    nodes = sample_nodes()
    result = store.write_many([GraphBatch.of("a", nodes[:4], []),
                               GraphBatch.of("b", nodes[4:], sample_rels()[6:])])
    assert (result.nodes, result.relationships) == (10, 5)


# -- reading nodes and relationships ------------------------------------------------------------
def test_unknown_node(loaded: GraphStore) -> None:
    assert loaded.find_node("work:nope") is None
    with pytest.raises(NodeNotFoundError):
        loaded.get_node("work:nope")
    with pytest.raises(NodeNotFoundError):
        loaded.relationships("work:nope")
    with pytest.raises(NodeNotFoundError):
        loaded.neighbours("work:nope")


def test_relationships_by_direction_and_type(loaded: GraphStore) -> None:
    def described(rels: list[Relationship]) -> list[tuple[str, str, str]]:
        return [(r.source, r.type.value, r.target) for r in rels]

    assert described(loaded.relationships(ART34)) == [
        (ART363, "IMPLEMENTS", ART34),
        (ART34, "DEFINES", POSSESSION),
        (CRC, "HAS_ARTICLE", ART34),
        (S2, "MENTIONS", ART34),
    ]
    assert described(loaded.relationships(ART34, direction=Direction.OUT)) == [
        (ART34, "DEFINES", POSSESSION)]
    incoming = loaded.relationships(ART34, direction=Direction.IN,
                                    rel_types={RelType.HAS_ARTICLE, RelType.MENTIONS})
    assert described(incoming) == [(CRC, "HAS_ARTICLE", ART34), (S2, "MENTIONS", ART34)]
    assert len(loaded.relationships(ART34, limit=2)) == 2
    assert loaded.relationships(ART34, limit=0) == []
    assert loaded.relationships(ART34, limit=2) == loaded.relationships(ART34)[:2]
    assert loaded.relationships(CN, direction=Direction.IN) == []


def test_find_relationship_respects_direction(loaded: GraphStore) -> None:
    assert loaded.find_relationship(SMITH, RelType.CITES, S1) == []
    assert loaded.find_relationship("work:nope", RelType.CITES, S1) == []
    [found] = loaded.find_relationship(CN, RelType.RATIFIED, CRC)
    assert found.props == {"date": "1992-03-02"}
    assert found.provenance == prov("catalog")


# -- traversal -------------------------------------------------------------------------------------
def test_neighbours_depth_one(loaded: GraphStore) -> None:
    sub = loaded.neighbours(S2)
    assert ids(sub.nodes) == sorted([S2, PAPER, ART34, POSSESSION])
    assert {(r.source, r.target) for r in sub.relationships} == {
        (PAPER, S2), (S2, ART34), (S2, POSSESSION)}
    assert not sub.truncated


def test_neighbours_depth_two_keeps_edges_traversed_from_inner_nodes(
        loaded: GraphStore) -> None:
    sub = loaded.neighbours(S2, depth=2)
    assert ids(sub.nodes) == sorted([S2, PAPER, ART34, POSSESSION, S1, CRC, ART363])
    # ART34-DEFINES->POSSESSION joins two depth-1 nodes and is traversed at depth 2;
    # PAPER->S1 and CRC/ART363 edges come from depth-1 nodes.
    pairs = {(r.source, r.target) for r in sub.relationships}
    assert (ART34, POSSESSION) in pairs
    assert (PAPER, S1) in pairs
    # S1's own edges (depth 2 node) are not traversed.
    assert not any(r.source == S1 for r in sub.relationships)
    assert list(sub.relationships) == sorted(sub.relationships, key=lambda r: r.identity)


def test_neighbours_depth_one_omits_edges_between_neighbours(loaded: GraphStore) -> None:
    sub = loaded.neighbours(ART34, depth=1)
    assert (ART363, ART34) in {(r.source, r.target) for r in sub.relationships}
    sub = loaded.neighbours(S2, depth=1)
    assert (ART34, POSSESSION) not in {(r.source, r.target) for r in sub.relationships}


def test_neighbours_direction_and_type_filters(loaded: GraphStore) -> None:
    out = loaded.neighbours(ART34, direction=Direction.OUT)
    assert ids(out.nodes) == sorted([ART34, POSSESSION])
    inn = loaded.neighbours(ART34, direction=Direction.IN, rel_types={RelType.HAS_ARTICLE})
    assert ids(inn.nodes) == sorted([ART34, CRC])
    typed = loaded.neighbours(S2, depth=2, node_types={NodeType.ARTICLE})
    assert ids(typed.nodes) == sorted([S2, ART34, ART363])
    assert {(r.source, r.target) for r in typed.relationships} == {(S2, ART34),
                                                                   (ART363, ART34)}
    assert ids(loaded.neighbours(S2, depth=0).nodes) == [S2]


def test_neighbours_limit_truncates(loaded: GraphStore) -> None:
    sub = loaded.neighbours(S2, depth=2, limit=3)
    assert len(sub.nodes) == 3
    assert S2 in ids(sub.nodes)
    assert sub.truncated
    kept = set(ids(sub.nodes))
    assert all(r.source in kept and r.target in kept for r in sub.relationships)


def test_shortest_paths_undirected(loaded: GraphStore) -> None:
    first, second = loaded.shortest_paths(S1, POSSESSION)
    assert ids(first.nodes) == [S1, CRC, ART34, POSSESSION]
    assert ids(second.nodes) == [S1, PAPER, S2, POSSESSION]
    assert second.length == 3
    assert [(r.source, r.target) for r in second.relationships] == [
        (PAPER, S1), (PAPER, S2), (S2, POSSESSION)]


def test_shortest_paths_lists_every_shortest_path_sorted(loaded: GraphStore) -> None:
    loaded.upsert_relationships([rel(S1, RelType.MENTIONS, CN, start=1)])
    paths = loaded.shortest_paths(S1, ART34)
    assert [ids(p.nodes) for p in paths] == [[S1, CRC, ART34]]
    paths = loaded.shortest_paths(CN, S2)
    assert [ids(p.nodes) for p in paths] == [[CN, CRC, ART34, S2], [CN, S1, PAPER, S2]]
    assert [ids(p.nodes) for p in loaded.shortest_paths(CN, S2, limit=1)] == \
        [[CN, CRC, ART34, S2]]


def test_shortest_paths_directed_and_typed(loaded: GraphStore) -> None:
    [path] = loaded.shortest_paths(S2, POSSESSION, directed=True)
    assert ids(path.nodes) == [S2, POSSESSION]
    assert loaded.shortest_paths(POSSESSION, S2, directed=True) == []
    [typed] = loaded.shortest_paths(ART363, POSSESSION,
                                    rel_types={RelType.IMPLEMENTS, RelType.DEFINES})
    assert ids(typed.nodes) == [ART363, ART34, POSSESSION]
    assert loaded.shortest_paths(ART363, POSSESSION, rel_types={RelType.CITES}) == []


def test_shortest_paths_edge_cases(loaded: GraphStore) -> None:
    assert loaded.shortest_paths(S1, POSSESSION, max_length=2) == []
    [same] = loaded.shortest_paths(S1, S1)
    assert ids(same.nodes) == [S1] and same.length == 0
    with pytest.raises(NodeNotFoundError):
        loaded.shortest_paths(S1, "work:nope")
    loaded.upsert_nodes([Node("concept:island", NodeType.CONCEPT, "island")])
    assert loaded.shortest_paths(S1, "concept:island") == []


def test_shortest_path_picks_the_smallest_relationship_per_hop(loaded: GraphStore) -> None:
    extra = rel(S1, RelType.CITES, SMITH, locator="1", start=1)
    loaded.upsert_relationships([extra])
    [path] = loaded.shortest_paths(S1, SMITH)
    assert path.relationships == (min([extra, *loaded.find_relationship(S1, RelType.CITES,
                                                                        SMITH)],
                                      key=lambda r: r.identity),)


# -- search ------------------------------------------------------------------------------------
def test_search_finds_labels_aliases_and_names(loaded: GraphStore) -> None:
    assert [h.node.id for h in loaded.search("rights child")] == [CRC]
    assert [h.node.id for h in loaded.search("CRC")] == [CRC]
    assert [h.node.id for h in loaded.search("刑法")] == [CL]
    assert [h.node.id for h in loaded.search("儿童")] == [CRC]
    assert [h.node.id for h in loaded.search("jones")] == [SMITH]
    assert [h.node.id for h in loaded.search("offences")] == [S2]
    assert loaded.search("nothing-like-this") == []
    assert loaded.search("   ") == []


def test_search_requires_every_word(loaded: GraphStore) -> None:
    assert [h.node.id for h in loaded.search("article")] == sorted([ART34, ART363])
    assert [h.node.id for h in loaded.search("article 363")] == [ART363]
    assert loaded.search("article possession") == []


def test_search_ranks_an_exact_name_first(loaded: GraphStore) -> None:
    loaded.upsert_nodes([Node("concept:possession-of-material", NodeType.CONCEPT,
                              "possession of material")])
    hits = loaded.search("Possession")
    assert next(h.node.id for h in hits) == POSSESSION
    assert {h.node.id for h in hits} == {POSSESSION, S2, "concept:possession-of-material"}
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_search_filters_node_types_and_limits(loaded: GraphStore) -> None:
    assert [h.node.id for h in loaded.search("possession",
                                             node_types={NodeType.SECTION})] == [S2]
    assert len(loaded.search("article", limit=1)) == 1


def test_search_treats_hostile_strings_as_text(loaded: GraphStore) -> None:
    before = export(loaded)
    for text in HOSTILE_STRINGS:
        hits = loaded.search(text)
        assert all(h.node.id for h in hits)
    assert loaded.search("CRC OR China") == []
    assert [h.node.id for h in loaded.search("crc AND")] == []
    assert export(loaded) == before


# -- subgraphs, listing, counting, iteration ---------------------------------------------------
def test_subgraph(loaded: GraphStore) -> None:
    sub = loaded.subgraph([CRC, ART34, CN, "work:nope"])
    assert ids(sub.nodes) == sorted([CRC, ART34, CN])
    assert [(r.source, r.type.value, r.target) for r in sub.relationships] == [
        (CRC, "HAS_ARTICLE", ART34), (CN, "RATIFIED", CRC)]
    assert loaded.subgraph([]).nodes == ()


def test_list_nodes_by_type_and_filters(loaded: GraphStore) -> None:
    assert ids(loaded.list_nodes(node_type=NodeType.ARTICLE)) == sorted([ART34, ART363])
    assert ids(loaded.list_nodes(filters={"year": 1984})) == [SMITH]
    assert ids(loaded.list_nodes(filters={"aliases": "CRC"})) == [CRC]
    assert ids(loaded.list_nodes(filters={"authors": ["Smith, A.", "Jones, B."]})) == [SMITH]
    assert ids(loaded.list_nodes(filters={"document": PAPER, "number": "2"})) == [S2]
    assert ids(loaded.list_nodes(filters={"type": "Concept"})) == [POSSESSION]
    assert ids(loaded.list_nodes(filters={"label": "China"})) == [CN]
    assert loaded.list_nodes(node_type=NodeType.WORK, filters={"type": "Concept"}) == []
    assert loaded.list_nodes(filters={"no such key": 1}) == []
    assert loaded.list_nodes(filters={"in_force": True}) == [loaded.get_node(ART363)]


def test_list_nodes_pages_with_a_cursor(loaded: GraphStore) -> None:
    every = ids(loaded.list_nodes(limit=100))
    assert every == sorted(n.id for n in sample_nodes())
    pages: list[str] = []
    after: str | None = None
    while True:
        page = loaded.list_nodes(after=after, limit=3)
        if not page:
            break
        pages.extend(ids(page))
        after = page[-1].id
    assert pages == every
    assert ids(loaded.list_nodes(node_type=NodeType.WORK, after=SMITH)) == [PAPER]


def test_counts(loaded: GraphStore) -> None:
    counts = loaded.counts()
    assert dict(counts.nodes) == {"Article": 2, "Concept": 1, "Instrument": 2,
                                  "Jurisdiction": 1, "Section": 2, "Work": 2}
    assert dict(counts.relationships) == {"CITES": 1, "DEFINES": 1, "HAS_ARTICLE": 2,
                                          "HAS_SECTION": 2, "IMPLEMENTS": 1, "MENTIONS": 3,
                                          "RATIFIED": 1}
    assert (counts.total_nodes, counts.total_relationships) == (10, 11)


def test_empty_store(store: GraphStore) -> None:
    assert store.counts().total_nodes == 0
    assert store.counts().nodes == {}
    assert list(store.iter_relationships()) == []
    assert store.list_nodes() == []
    assert store.search("anything") == []
    assert store.ping()


def test_hostile_ids_and_values_are_data(store: GraphStore) -> None:
    nodes = [Node(f"work:{i}:{text}", NodeType.WORK, text, {"note": text, "aliases": [text]})
             for i, text in enumerate(HOSTILE_STRINGS)]
    rels = [rel(a.id, RelType.CITES, b.id, document=b.label)
            for a, b in itertools.pairwise(nodes)]
    store.write(GraphBatch.of("hostile", nodes, rels))
    for node in nodes:
        assert store.get_node(node.id) == node
        assert store.list_nodes(filters={"note": node.label}) == [node]
    assert store.counts().total_relationships == len(rels)
    assert store.neighbours(nodes[0].id, depth=3).nodes


def test_property_names_and_values_of_every_kind_round_trip(store: GraphStore) -> None:
    odd: dict[str, PropValue] = {
        "a b": 1, "x`y": "z", "名": "值", "$id": True, "n.id": -3, "big": 2**62,
        "tiny": 1e-300, "empty": [], "floats": [0.5, 2.0], "ints": [1, 2], "text": "",
        "multi\nline": "a\nb"}
    node = Node("concept:odd", NodeType.CONCEPT, "odd", odd)
    edge = Relationship("concept:odd", "concept:odd", RelType.ADDRESSES,
                        Provenance("d", "", None, "", "pattern", 0.0), {"w": [0.25], "é": "x"})
    store.write(GraphBatch.of("d", [node], [edge]))
    assert store.get_node("concept:odd") == node
    assert store.find_relationship("concept:odd", RelType.ADDRESSES, "concept:odd") == [edge]
    assert store.list_nodes(filters={"x`y": "z", "ints": 2}) == [node]


def test_empty_batches(store: GraphStore) -> None:
    assert store.write(GraphBatch("nothing")) == WriteResult(0, 0)
    store.write(sample_batch())
    result = store.write(GraphBatch(PAPER), replace=True)
    assert (result.nodes, result.deleted_nodes, result.deleted_relationships) == (0, 3, 6)
    assert store.find_node(PAPER) is None


# -- the same inputs give the same export from both stores ----------------------------------------
def random_batches(seed: int, count: int = 8) -> list[tuple[GraphBatch, bool]]:
    """Batches with overlapping ids, stubs, merges, repeated edges and replaces."""
    rng = random.Random(seed)
    pool = [(f"{t.value.lower()}:{i}", t) for t in NodeType for i in range(5)]
    documents = ["doc:a", "doc:b", "doc:c"]
    out: list[tuple[GraphBatch, bool]] = []
    for _ in range(count):
        document = rng.choice(documents)
        chosen = rng.sample(pool, 8)
        nodes = []
        for node_id, node_type in chosen:
            props: dict[str, Any] = {rng.choice("pqr"): rng.choice([1, 2.5, "x", True,
                                                                    ["a", "b"], [3, 4]])}
            if rng.random() < 0.3:
                props["stub"] = True
            if rng.random() < 0.5:
                props["document"] = document
            nodes.append(Node(node_id, node_type, rng.choice(["", "L1", "L2 名"]), props))
        rels = []
        for _ in range(10):
            (a, _), (b, _) = rng.sample(chosen, 2)
            rels.append(Relationship(a, b, rng.choice(list(RelType)),
                                     Provenance(document, rng.choice(["1", "2"]),
                                                (rng.randrange(3), 20), "q", "pattern",
                                                rng.choice([0.5, 1.0])),
                                     {"w": rng.randrange(3)}))
        out.append((GraphBatch.of(document, nodes, rels), rng.random() < 0.25))
    return out


@pytest.mark.neo4j
@pytest.mark.parametrize("seed", [1, 2])
def test_both_stores_export_the_same_graph(tmp_path: Path, neo4j_store: Neo4jStore,
                                           seed: int) -> None:
    embedded, neo = EmbeddedStore(tmp_path / "g.json"), neo4j_store
    for store in (embedded, neo):
        for batch, replace in random_batches(seed):
            store.write(batch, replace=replace)
        store.write(sample_batch())
        store.delete_document("doc:b")
    assert export(neo) == export(embedded)
    assert neo.counts() == embedded.counts()
    some = ids(embedded.list_nodes(limit=3))
    for node_id in some:
        assert neo.neighbours(node_id, depth=2) == embedded.neighbours(node_id, depth=2)
        assert neo.relationships(node_id) == embedded.relationships(node_id)
    assert neo.shortest_paths(some[0], some[-1]) == embedded.shortest_paths(some[0], some[-1])
    for text in ["L2", "名", "Article", "rights of the child", "刑法", "china"]:
        assert sorted(ids(h.node for h in neo.search(text))) == \
            sorted(ids(h.node for h in embedded.search(text)))




@pytest.mark.neo4j
@pytest.mark.skipif(not (CORPUS / "seed-paper.txt").is_file(),
                    reason=f"shared corpus not found at {CORPUS}")
def test_the_ingested_corpus_exports_identically_from_both_stores(
        tmp_path: Path, neo4j_store: Neo4jStore) -> None:
    from citegraph.settings import Settings
    from ingest.pipeline import ingest_paths

    embedded = EmbeddedStore(tmp_path / "g.json")
    settings = Settings()
    for store in (embedded, neo4j_store):
        report = ingest_paths(store, SEED, settings=settings)
        assert report.failed == 0, report.to_dict()
        # Loading again, replacing each document, changes nothing.
        ingest_paths(store, SEED, settings=settings, replace=True)
    nodes, rels = export(embedded)
    assert len(nodes) > 100 and len(rels) > 100
    assert export(neo4j_store) == (nodes, rels)
    assert neo4j_store.counts() == embedded.counts()
    busiest = max(embedded.iter_nodes(), key=lambda n: len(embedded.relationships(n.id)))
    # Below the limit (where the order of admission decides what a cut keeps).
    expected = embedded.neighbours(busiest.id, depth=2, limit=5000)
    assert not expected.truncated
    assert neo4j_store.neighbours(busiest.id, depth=2, limit=5000) == expected
    cut = neo4j_store.neighbours(busiest.id, depth=2, limit=50)
    assert cut.truncated and len(cut.nodes) <= 50
    sample = [n.id for n in embedded.list_nodes(limit=400)][::40]
    for a, b in itertools.pairwise(sample):
        assert neo4j_store.shortest_paths(a, b) == embedded.shortest_paths(a, b)
    for node in nodes[::25]:
        text = str(node["label"])
        assert {h.node.id for h in neo4j_store.search(text, limit=50)} == \
            {h.node.id for h in embedded.search(text, limit=50)}, text


def test_search_ranks_named_things_and_finds_articles_by_number(store: GraphStore) -> None:
    """An instrument outranks its own articles; "Article N" and "N" find articles."""
    iri = "/akn/un/treaty/2000-05-25/opsc"
    nodes = [Node(f"instrument:{iri}", NodeType.INSTRUMENT, "OPSC",
                  {"aliases": ["Optional Protocol on the sale of children",
                               "the Optional Protocol"]})]
    nodes += [Node(f"article:{iri}#art_{n}", NodeType.ARTICLE,
                   f"Art. {n} Optional Protocol on the sale of children", {"number": str(n)})
              for n in range(1, 6)]
    nodes.append(Node("article:/akn/cn/act/1997-03-14/criminal-law#art_363", NodeType.ARTICLE,
                      "第三百六十三条 中华人民共和国刑法", {"number": "363"}))
    store.write(GraphBatch.of("doc", nodes, []))
    assert store.search("Optional Protocol")[0].node.id == f"instrument:{iri}"
    for query in ("Article 363", "Art. 363", "363"):
        assert [h.node.id for h in store.search(query)] == [nodes[-1].id], query
    # A later write with an empty label keeps the old label searchable (merge semantics).
    store.write(GraphBatch.of("doc", [Node(nodes[-1].id, NodeType.ARTICLE, "", {"x": 1})], []))
    assert store.search("刑法")[0].node.id == nodes[-1].id
