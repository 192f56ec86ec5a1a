"""Neo4j-store specifics: settings, schema, read-only Cypher, error mapping, outages.

Behaviour shared with the embedded store is in test_store_conformance.py.
"""

from __future__ import annotations

import socket
import subprocess
import time
from typing import Any

import neo4j
import pytest

from citegraph.errors import (
    ConfigError,
    ModelError,
    QueryError,
    QueryTimeoutError,
    StoreUnavailableError,
)
from citegraph.model import GraphBatch, Node, NodeType, Provenance, Relationship, RelType
from citegraph.settings import Settings
from citegraph.stores import cypher
from citegraph.stores.factory import open_store
from citegraph.stores.neo4j_store import Neo4jStore

pytestmark = pytest.mark.neo4j


def small_batch() -> GraphBatch:
    nodes = [Node(f"work:{i}", NodeType.WORK, f"Work {i}", {"year": 2000 + i}) for i in range(3)]
    rels = [Relationship(nodes[i].id, nodes[0].id, RelType.CITES,
                         Provenance("doc", str(i), (i, i + 1), "q", "marker"))
            for i in (1, 2)]
    return GraphBatch.of("doc", nodes, rels)


def neo4j_settings(monkeypatch: pytest.MonkeyPatch, uri: str) -> Settings:
    monkeypatch.setenv("NEO4J_URI", uri)
    monkeypatch.setenv("NEO4J_USER", "neo4j")
    monkeypatch.setenv("NEO4J_PASSWORD", "")
    monkeypatch.delenv("NEO4J_DATABASE", raising=False)
    return Settings()


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_from_settings_accepts_bolt_and_routing_uris(
        monkeypatch: pytest.MonkeyPatch, neo4j_uri: str, neo4j_store: Neo4jStore,
        scheme: str) -> None:
    uri = f"{scheme}://{neo4j_uri.split('://', 1)[1]}"
    store = open_store(neo4j_settings(monkeypatch, uri))
    assert isinstance(store, Neo4jStore)
    try:
        store.write(small_batch())
        assert store.counts().relationships == {"CITES": 2}
        assert store.ping()
        # Reads are READ transactions (routed to a follower in a cluster), writes go to
        # the leader with the version bump: both work through the routing driver.
        before = store.version()
        assert {n.id for n in store.neighbours("work:0").nodes} == {"work:0", "work:1",
                                                                    "work:2"}
        store.write(small_batch())
        assert store.version() != before
    finally:
        store.close()
    # The store made that driver, so close() closed it.
    with pytest.raises(Exception):  # noqa: B017 - any driver error on a closed driver
        store.driver.verify_connectivity()


def test_close_leaves_a_given_driver_open(neo4j_driver: neo4j.Driver) -> None:
    store = Neo4jStore(neo4j_driver)
    store.close()
    neo4j_driver.verify_connectivity()


def test_schema_constraints_and_fulltext_index_exist(neo4j_store: Neo4jStore,
                                                     neo4j_driver: neo4j.Driver) -> None:
    neo4j_store.ping()
    neo4j_store.counts()
    records, _, _ = neo4j_driver.execute_query(
        "SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type "
        "WHERE type = 'UNIQUENESS' RETURN labelsOrTypes[0] AS label, properties AS props")
    unique = {(r["label"], tuple(r["props"])) for r in records}
    assert {(t.value, ("id",)) for t in NodeType} <= unique
    records, _, _ = neo4j_driver.execute_query(
        "SHOW FULLTEXT INDEXES YIELD name, properties, state RETURN name, properties, state")
    [index] = [r for r in records if r["name"] == cypher.FULLTEXT_INDEX]
    assert set(cypher.SEARCH_PROPERTIES) <= set(index["properties"])
    assert index["state"] == "ONLINE"


def test_uniqueness_is_enforced_by_the_database(neo4j_store: Neo4jStore,
                                                neo4j_driver: neo4j.Driver) -> None:
    neo4j_store.write(small_batch())
    with pytest.raises(neo4j.exceptions.ConstraintError):
        neo4j_driver.execute_query("CREATE (:Work {id: 'work:1'})")


def test_missing_endpoint_detected_in_cypher_rolls_back(neo4j_store: Neo4jStore) -> None:
    """The `written < rows` check: an endpoint that vanished after validation."""
    neo4j_store.write(small_batch())
    rel = Relationship("work:1", "work:2", RelType.AMENDS, Provenance("x"))
    batch = GraphBatch.of("x", [Node("work:9", NodeType.WORK, "nine")], [rel])

    def work(tx: neo4j.ManagedTransaction) -> None:
        eids = neo4j_store._write_nodes(tx, batch.nodes, set())
        eids.update({"work:1": "4:no-such-db:1", "work:2": "4:no-such-db:2"})
        neo4j_store._write_relationships(tx, batch, eids, set())

    with pytest.raises(ModelError, match="unknown nodes"):
        neo4j_store._write(work)
    assert neo4j_store.find_node("work:9") is None


def test_node_created_by_a_concurrent_writer_is_merged_not_refused(
        neo4j_store: Neo4jStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """The race two ingests run into: both look up ``work:0``, find it absent, and CREATE
    it; the second commit is refused by the constraint. Here the look-up misses once."""
    neo4j_store.write(small_batch())
    real_lookup = Neo4jStore._lookup
    misses = iter([True])

    def stale_lookup(tx: neo4j.ManagedTransaction, ids: Any) -> Any:
        found = real_lookup(tx, ids)
        return {} if next(misses, False) else found

    monkeypatch.setattr(Neo4jStore, "_lookup", staticmethod(stale_lookup))
    node = Node("work:0", NodeType.WORK, "Work zero, again", {"year": 1999})
    rel = Relationship("work:0", "work:1", RelType.CITES, Provenance("doc2", "s", (0, 1)))
    neo4j_store.write(GraphBatch.of("doc2", [node, Node("work:1", NodeType.WORK, "Work 1")],
                                    [rel]))
    found = neo4j_store.find_node("work:0")
    assert found is not None and found.label == "Work zero, again"
    assert neo4j_store.counts().relationships == {"CITES": 3}
    assert sum(n.id == "work:0" for n in neo4j_store.iter_nodes()) == 1


def test_read_cypher_returns_plain_rows_with_a_cap(neo4j_store: Neo4jStore) -> None:
    neo4j_store.write(small_batch())
    rows = neo4j_store.run_read_cypher(
        "MATCH (a:Work)-[r:CITES]->(b) RETURN a, r, b.id AS target ORDER BY a.id",
        {}, timeout_s=5, max_rows=10)
    assert [row["target"] for row in rows] == ["work:0", "work:0"]
    assert rows[0]["a"]["_labels"] == ["Work"] and rows[0]["a"]["id"] == "work:1"
    assert rows[0]["r"]["_type"] == "CITES" and rows[0]["r"]["_source"] == "work:1"
    capped = neo4j_store.run_read_cypher("UNWIND range(1, 1000) AS x RETURN x", {},
                                         timeout_s=5, max_rows=7)
    assert [row["x"] for row in capped] == list(range(1, 8))
    params: dict[str, Any] = {"id": "work:2' OR 1=1"}
    assert neo4j_store.run_read_cypher("MATCH (n {id: $id}) RETURN n", params,
                                       timeout_s=5, max_rows=5) == []


@pytest.mark.parametrize("query", [
    "CREATE (n:Work {id: 'evil'}) RETURN n",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n:Work) SET n.hacked = true",
    "CREATE INDEX evil FOR (n:Work) ON (n.year)",
])
def test_read_cypher_refuses_writes(neo4j_store: Neo4jStore, query: str) -> None:
    neo4j_store.write(small_batch())
    with pytest.raises(QueryError):
        neo4j_store.run_read_cypher(query, {}, timeout_s=5, max_rows=5)
    assert neo4j_store.counts().total_nodes == 3
    assert neo4j_store.find_node("evil") is None
    assert "hacked" not in neo4j_store.get_node("work:1").props


def test_read_cypher_bad_syntax_is_a_query_error(neo4j_store: Neo4jStore) -> None:
    with pytest.raises(QueryError):
        neo4j_store.run_read_cypher("MATCH (n RETURN", {}, timeout_s=5, max_rows=5)


def test_read_cypher_times_out(neo4j_store: Neo4jStore) -> None:
    slow = "UNWIND range(1, 1000000000) AS x WITH x WHERE x < 0 RETURN count(*) AS c"
    with pytest.raises(QueryTimeoutError):
        neo4j_store.run_read_cypher(slow, {}, timeout_s=0.5, max_rows=1)


def test_unreachable_server_is_store_unavailable() -> None:
    driver = neo4j.GraphDatabase.driver("bolt://127.0.0.1:9", auth=None,
                                        connection_timeout=2, max_transaction_retry_time=0.5)
    store = Neo4jStore(driver)
    try:
        assert store.ping() is False
        with pytest.raises(StoreUnavailableError):
            store.find_node("work:1")
        with pytest.raises(StoreUnavailableError):
            store.write(small_batch())
    finally:
        driver.close()


@pytest.mark.parametrize("uri", ["http://127.0.0.1:7474", "127.0.0.1:7687", "ftp://x"])
def test_bad_settings_are_a_config_error(monkeypatch: pytest.MonkeyPatch, uri: str) -> None:
    with pytest.raises(ConfigError, match="NEO4J_URI"):
        Neo4jStore.from_settings(neo4j_settings(monkeypatch, uri))


def test_outage_and_recovery(neo4j_server: Any, neo4j_driver: neo4j.Driver) -> None:
    """Stop the server under a live store: typed errors, then the same data once back."""
    store = Neo4jStore(neo4j_driver)
    store.clear()
    store.write(small_batch())
    neo4j_server.stop()
    try:
        assert store.ping() is False
        try:
            store.counts()
        except StoreUnavailableError:
            pass
        else:
            pytest.fail("counts() answered with the server stopped")
        # On a shared machine another session's server may take the freed port: say so.
        assert _listener(neo4j_server.port) == "", "port taken: " + _listener(neo4j_server.port)
    finally:
        neo4j_server.start()
    assert store.ping()
    # A freshly started JVM plans and runs its first queries slowly (on a busy machine, past
    # the read timeout): wait for it, as a client would.
    deadline = time.monotonic() + 120
    while True:
        try:
            counts = store.counts()
            break
        except QueryTimeoutError:
            assert time.monotonic() < deadline, "no answer two minutes after the restart"
    assert counts.relationships == {"CITES": 2}


def _listener(port: int) -> str:
    """What listens on 127.0.0.1:port (empty when nothing does)."""
    with socket.socket() as probe:
        probe.settimeout(0.5)
        if probe.connect_ex(("127.0.0.1", port)) != 0:
            return ""
    ss = subprocess.run(["ss", "-ltnp", f"sport = :{port}"], capture_output=True, text=True,
                        check=False)
    return ss.stdout.strip() or "unknown process"
