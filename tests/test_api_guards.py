"""The API stays up against hostile clients: Host allow-list, body caps and deadlines, docs CSP,
and a real ``citegraph serve`` that drops half-sent requests (slowloris, bounded, 127.0.0.1).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from test_api import error, make_settings

from api.app import create_app
from api.deps import ResponseCache
from citegraph.model import GraphBatch, Node, NodeType, Provenance, Relationship, RelType
from citegraph.stores.embedded import EmbeddedStore

HALF_SENT = 200


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = make_settings(tmp_path, max_body_bytes=64 * 1024)
    with TestClient(create_app(settings, EmbeddedStore(None))) as test_client:
        yield test_client


def test_host_header_off_the_allow_list_is_refused(client: TestClient) -> None:
    """DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own Host."""
    error(client.get("/health", headers={"host": "evil.example"}), 400, "bad_host")
    error(client.get("/stats", headers={"host": "localhost.evil.example:8000"}), 400)
    assert client.get("/health", headers={"host": "localhost:8000"}).status_code == 200
    assert client.get("/health", headers={"host": "[::1]:8000"}).status_code == 200


def test_every_route_caps_the_body_before_parsing(client: TestClient) -> None:
    big = b'{"query": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    for path in ("/cypher", "/health", "/search"):
        error(client.post(path, content=big, headers={"content-type": "application/json"}),
              413, "payload_too_large")

    def chunks() -> Iterator[bytes]:  # no Content-Length: the streamed bytes are counted
        yield b'{"query": "'
        for _ in range(40):
            yield b"x" * 4096
        yield b'"}'

    error(client.post("/cypher", content=chunks(),
                      headers={"content-type": "application/json"}), 413)


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_pages_have_a_strict_csp_and_only_local_assets(client: TestClient,
                                                            path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "img-src 'self' data:" in policy
    assert "http" not in policy and "*" not in policy
    if path == "/docs":
        assert "'sha256-" in policy  # Swagger UI's inline start-up script, by hash
    assert "https://" not in response.text and "http://" not in response.text
    assert client.get("/static-offline-docs/redoc.standalone.js").status_code == 200


def _hub_store(cited: int, extra: int = 0) -> EmbeddedStore:
    """One paper citing ``cited`` works, and ``extra`` more works with alike titles."""
    works = [Node(f"work:w{i}", NodeType.WORK, f"Platform duty of care regulation {i}")
             for i in range(cited + extra)]
    hub = Node("work:hub", NodeType.WORK, "The hub paper", {"kind": "paper"})
    rels = [Relationship(hub.id, w.id, RelType.CITES, Provenance("work:hub", "q", (0, 1),
                                                                 "p. 1", "marker"))
            for w in works[:cited]]
    store = EmbeddedStore(None)
    store.write(GraphBatch.of("work:hub", [hub, *works], rels))
    return store


def test_viz_views_honour_max_depth_and_max_results(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, max_depth=1, max_results=5)
    with TestClient(create_app(settings, _hub_store(12))) as viz:
        error(viz.get("/viz/data/ego", params={"id": "work:hub", "depth": 2}), 422)
        ego = viz.get("/viz/data/ego", params={"id": "work:hub", "depth": 1})
        assert ego.status_code == 200 and len(ego.json()["nodes"]) <= 5
        paper = viz.get("/viz/data/paper", params={"id": "work:hub"})
        assert paper.status_code == 200 and len(paper.json()["nodes"]) <= 5


def test_junk_parameters_do_not_defeat_the_search_cache(tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(tmp_path), _hub_store(3))) as api:
        for junk in ("", "&junk=1", "&x=2&junk=3", "&zz=%00&junk=4"):
            assert api.get("/search?q=platform+duty" + junk).status_code == 200
        cache: ResponseCache = api.app.state.response_cache  # type: ignore[attr-defined]
        assert len(cache._entries) == 1
        assert api.get("/search?q=platform").status_code == 200
        assert len(cache._entries) == 2


def test_search_runs_off_the_loop_under_the_query_timeout(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, query_timeout_s=0.01)
    with TestClient(create_app(settings, _hub_store(0, extra=20_000))) as api:
        error(api.get("/search", params={"q": "regulation care"}), 504)
        assert api.get("/health").status_code == 200


# -- a real server ---------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "CITEGRAPH_STORE": str(tmp_path / "g.json"),
           "CITEGRAPH_HEADER_TIMEOUT_S": "1.5", "CITEGRAPH_BODY_TIMEOUT_S": "1.5",
           "CITEGRAPH_ENABLE_CYPHER": "false"}
    env.pop("NEO4J_URI", None)
    proc = subprocess.Popen([sys.executable, "-m", "citegraph.cli", "serve", "--host",
                             "127.0.0.1", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail("citegraph serve did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _half_sent(port: int, count: int, tail: bytes) -> list[socket.socket]:
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(tail)
        sockets.append(sock)
    return sockets


def _closed_by_server(sock: socket.socket, wait_s: float) -> bool:
    sock.settimeout(wait_s)
    try:
        while True:
            data = sock.recv(4096)
            if not data:
                return True
    except (TimeoutError, ConnectionResetError) as exc:
        return isinstance(exc, ConnectionResetError)


def test_half_sent_requests_are_dropped_and_health_answers(server: str) -> None:
    port = int(server.rsplit(":", 1)[1])
    heads = _half_sent(port, HALF_SENT, b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a")
    bodies = _half_sent(port, 20, b"POST /cypher HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                  b"Content-Type: application/json\r\nContent-Length: 1000\r\n"
                                  b"\r\n{\"query\": ")
    try:
        started = time.monotonic()
        assert httpx.get(server + "/health", timeout=5).status_code == 200
        assert time.monotonic() - started < 2.0
        # Within the header deadline (1.5 s) plus slack, every half-sent request is dropped.
        assert all(_closed_by_server(s, 6.0) for s in heads[:20])
        assert all(_closed_by_server(s, 1.0) for s in heads[20:])
        answer = bodies[0].recv(4096)
        assert b" 408 " in answer.split(b"\r\n", 1)[0], answer[:200]
        assert httpx.get(server + "/health", timeout=5).status_code == 200
    finally:
        for sock in heads + bodies:
            sock.close()


def _until_healthy(api: TestClient) -> None:
    deadline = time.monotonic() + 90
    while api.get("/health").status_code != 200:
        assert time.monotonic() < deadline, "Neo4j not healthy"
        time.sleep(0.5)


@pytest.mark.neo4j
def test_a_frozen_neo4j_is_reported_quickly(neo4j_server: Any) -> None:
    """SIGSTOP (frozen, not stopped: the port still accepts connections) gives a prompt 503."""
    from citegraph.settings import Settings
    from citegraph.stores.neo4j_store import Neo4jStore

    settings = Settings(_env_file=None, neo4j_uri=neo4j_server.uri, corpus=None)  # type: ignore[call-arg]
    store = Neo4jStore.from_settings(settings)
    try:
        with TestClient(create_app(settings, store)) as api:
            _until_healthy(api)
            os.kill(neo4j_server.pid, signal.SIGSTOP)
            try:
                started = time.monotonic()
                response = api.get("/health")
                elapsed = time.monotonic() - started
            finally:
                os.kill(neo4j_server.pid, signal.SIGCONT)
            assert response.status_code == 503, response.text
            # The connection timeout (2.5 s) bounds it; it was 5 s.
            assert elapsed < 4.0, f"a frozen Neo4j took {elapsed:.2f} s to be reported"
            _until_healthy(api)
    finally:
        store.close()
