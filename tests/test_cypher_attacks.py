"""Hostile read-only Cypher against the real Neo4j: every attack of issue 14 is refused.

The guard is the query's ``EXPLAIN`` plan (``citegraph.cypherplan``) and the server's own
settings (``neo4j/Server.java``), not keywords; so the tests try what beats a keyword filter:
comments ending at ``\\r``, backtick-quoted procedure names, ``CYPHER`` prefixes, unicode
spaces, subquery expressions and ``UNION`` branches.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import pytest
from fastapi.testclient import TestClient
from graph_fixture import fixture_batch
from pydantic import SecretStr
from test_api import error, make_settings

from api.app import create_app
from citegraph.errors import QueryError
from citegraph.stores.neo4j_store import Neo4jStore

pytestmark = pytest.mark.neo4j

TOKEN = "cypher-token"
FILE_URL = "file:///etc/hostname"

ATTACKS = [
    # file and URL loading
    f"LOAD CSV FROM '{FILE_URL}' AS row RETURN row",
    f"WITH 1 AS a // x\rLOAD CSV FROM '{FILE_URL}' AS row RETURN row",
    f"WITH '{FILE_URL}' AS u LOAD CSV FROM u AS row RETURN row",
    "LOAD CSV FROM 'http://127.0.0.1:9/x.csv' AS row RETURN row",
    "/* LOAD */ LOAD\u00a0CSV FROM 'http://127.0.0.1:9/x.csv' AS row RETURN row",
    # administration commands
    "CYPHER runtime=slotted SHOW TRANSACTIONS",
    "CYPHER runtime=slotted TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "CYPHER runtime=slotted SHOW PROCEDURES YIELD name RETURN name",
    "SHOW DATABASES",
    # procedures off the allow-list
    "CALL `dbms`.`killConnections`([])",
    "CALL `dbms`.listConfig() YIELD name RETURN name",
    "CALL dbms . listConnections()",
    "CALL/**/dbms.queryJmx('java.lang:type=Runtime')",
    "CALL db.clearQueryCaches()",
    "RETURN COLLECT { CALL dbms.listConnections() YIELD connectionId RETURN connectionId } AS c",
    "RETURN 1 AS x UNION CALL `dbms`.`listConfig`() YIELD name RETURN name AS x",
    "CALL () { CALL dbms.listConfig() YIELD name RETURN name } RETURN name",
    # writes (also refused by READ access mode; the plan refuses them first)
    "MATCH (n) DETACH DELETE n",
    "FOREACH (x IN [1] | CREATE (:Work {id: 'x'}))",
    "MATCH (n) SET n.x = 1",
    "CYPHER runtime=slotted MERGE (n:Concept {id: 'c'})",
]

READS = [
    "MATCH (a)-[r:CITES]->(b) RETURN a.id, b.id, r.offset LIMIT 3",
    "MATCH (n) WHERE n.reset = $set RETURN n.id AS id LIMIT 2",
    "CALL db.labels() YIELD label RETURN label",
    "CYPHER runtime=slotted MATCH (n) RETURN count(n) AS c",
    "RETURN 'LOAD CSV FROM file:///etc/passwd; CALL dbms.killConnections([])' AS text",
    "MATCH (n:Instrument) // a comment\rRETURN n.created AS created LIMIT 1",
]


@pytest.fixture
def cypher_client(neo4j_driver: neo4j.Driver, tmp_path: Path) -> Iterator[TestClient]:
    from conftest import make_neo4j_store

    store = make_neo4j_store(neo4j_driver)
    store.write(fixture_batch())
    settings = make_settings(tmp_path, enable_cypher=True, token=SecretStr(TOKEN))
    with TestClient(create_app(settings, store)) as client:
        yield client


def post(client: TestClient, query: str, **params: Any) -> Any:
    return client.post("/cypher", json={"query": query, "params": params},
                       headers={"Authorization": f"Bearer {TOKEN}"})


def test_cypher_needs_the_token(cypher_client: TestClient) -> None:
    query = {"query": "MATCH (n) RETURN n.id LIMIT 1"}
    error(cypher_client.post("/cypher", json=query), 401)
    error(cypher_client.post("/cypher", json=query,
                             headers={"Authorization": "Bearer wrong"}), 401)
    assert post(cypher_client, query["query"]).status_code == 200


@pytest.mark.parametrize("query", ATTACKS)
def test_hostile_cypher_is_refused_on_its_plan(cypher_client: TestClient, query: str) -> None:
    before = post(cypher_client, "MATCH (n) RETURN count(n) AS c").json()["rows"]
    body = error(post(cypher_client, query), 400)
    assert "not allowed" in body["message"] or "refused" in body["message"], body
    assert post(cypher_client, "MATCH (n) RETURN count(n) AS c").json()["rows"] == before


@pytest.mark.parametrize("query", READS)
def test_reads_pass_the_plan_check(cypher_client: TestClient, query: str) -> None:
    response = post(cypher_client, query, set=None)
    assert response.status_code == 200, response.text


def test_the_server_itself_refuses_file_urls_and_unlisted_procedures(
        neo4j_driver: neo4j.Driver) -> None:
    """Straight to Neo4j, past the API's plan check: the server's settings hold alone."""
    with neo4j_driver.session(default_access_mode=neo4j.READ_ACCESS) as session:
        with pytest.raises(neo4j.exceptions.ClientError, match="allow_csv_import_from_file"):
            session.run(f"LOAD CSV FROM '{FILE_URL}' AS row RETURN row").consume()
        with pytest.raises(neo4j.exceptions.Neo4jError, match=r"memory\.transaction\.max"):
            session.run("UNWIND range(1, 6000000) AS i WITH collect(i) AS c "
                        "RETURN size(c)").consume()


def test_store_refuses_before_running(neo4j_driver: neo4j.Driver) -> None:
    store = Neo4jStore(neo4j_driver)
    with pytest.raises(QueryError, match=r"dbms\.killConnections"):
        store.run_read_cypher("CALL `dbms`.`killConnections`([])", timeout_s=2, max_rows=5)
    rows = store.run_read_cypher("RETURN 1 AS one", timeout_s=2, max_rows=5)
    assert rows == [{"one": 1}]
