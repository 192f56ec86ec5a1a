"""The offline importer path: CSV that citegraph writes, loaded by ``neo4j-admin``.

The CSV must carry exactly the graph the driver would have written (the batches merged as
a store merges them; what CSV cannot carry is left to the driver), and the stored search
text must be what the server computes on a normal write.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_store_conformance import HOSTILE_STRINGS, sample_batch

from citegraph.model import GraphBatch, Node, NodeType
from citegraph.stores.embedded import EmbeddedStore
from citegraph.stores.neo4j_import import search_text, write_import_csv
from citegraph.stores.neo4j_store import Neo4jStore


def batches() -> list[GraphBatch]:
    odd = [Node(f"concept:odd{i}", NodeType.CONCEPT, text, {"aliases": [text, "x"],
                                                            "note": text, "empty": ""})
           for i, text in enumerate(HOSTILE_STRINGS)]
    odd.append(Node("concept:leftover", NodeType.CONCEPT, "no list type", {"tags": []}))
    return [sample_batch(), GraphBatch.of("odd", odd, [])]


@pytest.mark.neo4j
def test_search_text_is_what_the_server_computes(neo4j_store: Neo4jStore) -> None:
    for batch in batches():
        neo4j_store.write(batch)
    with neo4j_store.driver.session() as session:
        for batch in batches():
            for node in batch.nodes:
                stored = session.run("MATCH (n {id: $id}) RETURN n.search_text AS t",
                                     id=node.id).single(strict=True)["t"]
                assert search_text(node) == stored, node.id


def test_csv_leaves_out_only_what_csv_cannot_carry(tmp_path: Path) -> None:
    files = write_import_csv(batches(), tmp_path)
    assert [n.id for n in files.leftover.nodes] == ["concept:leftover"]
    merged = EmbeddedStore(None)
    merged.write_many(batches())
    assert files.node_count + 1 == merged.counts().total_nodes
    assert files.relationship_count == merged.counts().total_relationships
