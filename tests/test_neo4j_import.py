"""The offline importer path: CSV that citegraph writes, loaded by ``neo4j-admin``.

The imported database must hold exactly the graph the driver would have written: the same
export as an embedded store fed the same batches, and the same search text the server
computes on a normal write.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_store_conformance import HOSTILE_STRINGS, export, sample_batch

from citegraph.model import GraphBatch, Node, NodeType
from citegraph.stores.embedded import EmbeddedStore
from citegraph.stores.neo4j_import import run_import, search_text, write_import_csv
from citegraph.stores.neo4j_store import Neo4jStore

ROOT = Path(__file__).resolve().parent.parent


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


@pytest.mark.neo4j
@pytest.mark.slow
def test_offline_import_holds_the_graph_the_driver_writes(tmp_path: Path,
                                                          neo4j_driver: object) -> None:
    from neo4j import GraphDatabase
    from neo4j_server import Neo4jServer

    files = write_import_csv(batches(), tmp_path / "csv")
    home = tmp_path / "home"
    output = run_import(files, home, str(ROOT / ".cache/neo4j/lib/*"))
    assert "IMPORT DONE" in output
    with Neo4jServer(data_dir=home) as server:
        driver = GraphDatabase.driver(server.uri, auth=None)
        try:
            store = Neo4jStore(driver)
            store.write(files.leftover)
            expected = EmbeddedStore(None)
            expected.write_many(batches())
            assert export(store) == export(expected)
            assert [h.node.id for h in store.search("rights child")] == \
                [h.node.id for h in expected.search("rights child")]
        finally:
            driver.close()
