"""Shared fixtures: a real Neo4j test server and the ``store`` every conformance test uses.

Fixtures
--------
``store``
    Function-scoped, parametrised ``["embedded", "neo4j"]``: a clean, empty
    :class:`~citegraph.stores.base.GraphStore`. ``embedded`` is an ``EmbeddedStore`` on
    ``tmp_path / "g.json"``; ``neo4j`` is a ``Neo4jStore`` on the session's test server,
    emptied before the test. The ``neo4j`` parameter carries the ``neo4j`` marker, so
    ``pytest -m "not neo4j"`` runs the embedded half only. A test that takes ``store`` runs
    once per store: write a test once, get the conformance loop for free.
``neo4j_server``
    Session-scoped :class:`tests.neo4j_server.Neo4jServer`, started once (on first use) from
    the Maven Central jars and stopped at the end of the session. It can be ``stop()``-ed
    and ``start()``-ed again in place (same port and data) for outage tests. With
    ``NEO4J_TEST_URI`` set, no server is started and this fixture skips (use
    ``neo4j_uri``).
``neo4j_uri``
    Session-scoped Bolt URI of the test database: ``NEO4J_TEST_URI`` when set (an external
    server with no auth, or ``NEO4J_TEST_USER``/``NEO4J_TEST_PASSWORD``), else the
    ``neo4j_server``'s.
``neo4j_driver``
    Session-scoped ``neo4j.Driver`` on ``neo4j_uri`` (notifications silenced; connection
    timeout and transaction retry budget 5 s, so outage tests fail fast).
``neo4j_store``
    Function-scoped clean ``Neo4jStore`` (Neo4j only; mark such tests ``neo4j``).

When Neo4j cannot run: with ``CI=true`` the run FAILS; elsewhere the Neo4j tests skip with
a reason naming what is missing (java, mvn, network / Maven Central, start-up failure).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import pytest

from citegraph.stores.base import GraphStore
from citegraph.stores.embedded import EmbeddedStore
from citegraph.stores.neo4j_store import Neo4jStore

# Starlette's TestClient sends ``Host: testserver``; the API allows only configured names.
os.environ.setdefault("CITEGRAPH_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
# Tests check answers, not speed: a query limit of 5 s fails them on a loaded 2-core machine.
# Tests of the limit itself set their own (much smaller) timeouts.
os.environ.setdefault("CITEGRAPH_QUERY_TIMEOUT_S", "60")

STORE_KINDS = ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _cannot_run_neo4j(reason: str) -> None:
    """Fail under CI, skip loudly elsewhere."""
    message = f"Neo4j test server unavailable: {reason}"
    if _in_ci():
        pytest.fail(f"{message} (CI=true: Neo4j tests must run)", pytrace=False)
    pytest.skip(f"SKIPPING NEO4J TESTS -- {message}")


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[Any]:
    if os.environ.get("NEO4J_TEST_URI"):
        pytest.skip("NEO4J_TEST_URI is set: using an external server, none is started")
    from neo4j_server import Neo4jServer, Neo4jServerError, missing_prerequisites

    missing = missing_prerequisites()
    if missing:
        _cannot_run_neo4j(f"{missing} (Neo4j 5.26 needs a JDK 17/21 and Maven reaching "
                          "Maven Central)")
    server = Neo4jServer()
    try:
        server.start()
    except Neo4jServerError as exc:
        server.close()
        _cannot_run_neo4j(f"start-up failed (network to Maven Central? JDK?): {exc}")
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def neo4j_uri(request: pytest.FixtureRequest) -> str:
    external = os.environ.get("NEO4J_TEST_URI")
    if external:
        return external
    server = request.getfixturevalue("neo4j_server")
    return str(server.uri)


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_uri: str) -> Iterator[neo4j.Driver]:
    user, password = os.environ.get("NEO4J_TEST_USER"), os.environ.get("NEO4J_TEST_PASSWORD")
    auth = (user or "neo4j", password) if password else None
    driver = neo4j.GraphDatabase.driver(
        neo4j_uri, auth=auth, notifications_min_severity=neo4j.NotificationMinimumSeverity.OFF,
        connection_timeout=5.0, max_transaction_retry_time=5.0)
    try:
        driver.verify_connectivity()
    except neo4j.exceptions.DriverError as exc:
        driver.close()
        _cannot_run_neo4j(f"cannot connect to {neo4j_uri}: {exc}")
    yield driver
    driver.close()


def make_neo4j_store(driver: neo4j.Driver) -> Neo4jStore:
    """A store on the test database, emptied (the schema is created once per driver)."""
    store = Neo4jStore(driver)
    store.clear()
    return store


@pytest.fixture
def neo4j_store(neo4j_driver: neo4j.Driver) -> Iterator[Neo4jStore]:
    """A clean ``Neo4jStore`` only (for Neo4j-specific tests); marks nothing by itself."""
    store = make_neo4j_store(neo4j_driver)
    yield store
    store.close()


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    if request.param == "embedded":
        embedded = EmbeddedStore(tmp_path / "g.json")
        yield embedded
        embedded.close()
        return
    neo = make_neo4j_store(request.getfixturevalue("neo4j_driver"))
    yield neo
    neo.close()
