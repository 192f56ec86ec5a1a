"""Hostile strings are data, never query text, in both stores."""

from __future__ import annotations

import pytest

from citegraph.model import GraphBatch, Node, NodeType, Provenance, Relationship, RelType
from citegraph.stores.base import GraphStore

HOSTILE = [
    "x'}) MATCH (n) DETACH DELETE n //",
    'x"}) CALL dbms.killQueries([]) //',
    "`Work` {id: 1}) DETACH DELETE n RETURN 1 //",
    "a\\' OR 1=1 --",
    "<img src=x onerror=alert(1)>",
    "</script><script>window.__pwned=1</script>",
    "\u202eevil\u200b\ufeff",
    "$param {x} ${y}",
    "AND OR NOT ~ * ? : \\ / [ ] { } ^ \" ( ) + - && ||",
    "刑法'); DROP CONSTRAINT x; //",
]


def _seed(store: GraphStore) -> None:
    nodes = [Node(f"work:h{i}", NodeType.WORK, text, {"aliases": [text]})
             for i, text in enumerate(HOSTILE)]
    nodes += [Node(f"work:{text}", NodeType.WORK, "id is hostile") for text in HOSTILE[:4]]
    rels = [Relationship(nodes[i].id, nodes[i + 1].id, RelType.CITES,
                         Provenance("doc", HOSTILE[i], (0, 1), HOSTILE[i], "marker"))
            for i in range(len(HOSTILE) - 1)]
    store.write(GraphBatch.of("doc", nodes, rels))


def test_hostile_ids_labels_and_quotes_round_trip(store: GraphStore) -> None:
    _seed(store)
    for i, text in enumerate(HOSTILE):
        assert store.get_node(f"work:h{i}").label == text
    for text in HOSTILE[:4]:
        assert store.get_node(f"work:{text}").label == "id is hostile"
    rel = store.relationships("work:h0", rel_types=[RelType.CITES])[0]
    assert rel.provenance.quote == HOSTILE[0]
    assert store.counts().total_nodes == len(HOSTILE) + 4


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_search_strings_change_nothing(store: GraphStore, query: str) -> None:
    _seed(store)
    before = store.counts()
    hits = store.search(query, limit=5)
    assert all(hit.node.id.startswith("work:") for hit in hits)
    assert store.counts() == before


def test_hostile_filters_and_cursors_are_data(store: GraphStore) -> None:
    _seed(store)
    before = store.counts()
    for text in HOSTILE:
        assert store.list_nodes(node_type=NodeType.WORK, filters={"label": text},
                                limit=5) == [store.get_node(
                                    f"work:h{HOSTILE.index(text)}")]
        store.list_nodes(after=text, limit=5)
        assert store.find_node(text) is None
    assert store.counts() == before
