"""Ingest over HTTP (token, size limit, report), read-only Cypher, and a store that is down."""

from __future__ import annotations

import dataclasses
import socket
import time
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from graph_fixture import CL_363, CRC, fixture_batch
from pydantic import SecretStr
from test_api import error, make_settings

from api import schemas
from api.app import create_app
from api.deps import StoreDep
from citegraph.errors import StoreUnavailableError
from citegraph.model import Node
from citegraph.stores.base import GraphStore
from citegraph.stores.embedded import EmbeddedStore

TOKEN = "s3cret-token"
BIB = (b"@article{doe2020test,\n  title = {A Test Article on Platform Duties},\n"
       b"  author = {Doe, Jane},\n  year = {2020},\n  journal = {Test Journal}\n}\n")


def writer_client(store: GraphStore, tmp_path: Path, **overrides: Any) -> TestClient:
    settings = make_settings(tmp_path, token=SecretStr(TOKEN), **overrides)
    return TestClient(create_app(settings, store))


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# -- ingest ----------------------------------------------------------------------------------
def test_ingest_upload_writes_and_reports(store: GraphStore, tmp_path: Path) -> None:
    with writer_client(store, tmp_path) as client:
        response = client.post("/ingest", headers=auth(),
                               files={"file": ("refs.bib", BIB, "application/x-bibtex")})
        assert response.status_code == 200, response.text
        report = schemas.IngestReportOut.model_validate_json(response.content)
        assert report.loaded == 1 and report.failed == 0
        assert report.files[0].kind == "bibtex" and report.files[0].nodes >= 1
        node = client.get("/node", params={"id": "work:bib:doe2020test"})
        assert node.status_code == 200
        assert node.json()["node"]["props"]["year"] == 2020
        found = client.get("/search", params={"q": "platform duties"}).json()
        assert "work:bib:doe2020test" in [h["node"]["id"] for h in found["items"]]


def test_ingest_with_kind_and_replace_fields(store: GraphStore, tmp_path: Path) -> None:
    with writer_client(store, tmp_path) as client:
        for _ in range(2):
            response = client.post("/ingest", headers=auth(),
                                   files={"file": ("refs.txt", BIB, "text/plain")},
                                   data={"kind": "bibtex", "replace": "true"})
            assert response.status_code == 200, response.text
        assert client.get("/node", params={"id": "work:bib:doe2020test"}).status_code == 200
        body = error(client.post("/ingest", headers=auth(), files={"file": ("a.bib", BIB)},
                                 data={"kind": "novel"}), 422)
        assert body["detail"][0]["field"] == "kind"
        assert body["detail"][0]["location"] == "body"  # a form field, not the query
        body = error(client.post("/ingest", headers=auth(), files={"file": ("a.bib", BIB)},
                                 data={"replace": "maybe"}), 422)
        assert (body["detail"][0]["field"], body["detail"][0]["location"]) == (
            "replace", "body")


def test_ingest_refuses_without_valid_token(tmp_path: Path) -> None:
    store = EmbeddedStore(None)
    files = {"file": ("refs.bib", BIB)}
    with TestClient(create_app(make_settings(tmp_path), store)) as no_token:
        body = error(no_token.post("/ingest", headers=auth(), files=files), 403, "forbidden")
        assert "writes disabled" in body["message"]
    with writer_client(store, tmp_path) as client:
        missing = client.post("/ingest", files=files)
        error(missing, 401, "unauthorized")
        assert missing.headers["www-authenticate"] == "Bearer"
        error(client.post("/ingest", headers=auth("wrong"), files=files), 401)
        error(client.post("/ingest", headers={"Authorization": f"Basic {TOKEN}"},
                          files=files), 401)
    assert store.counts().total_nodes == 0


def test_ingest_limits_and_bad_uploads(tmp_path: Path) -> None:
    store = EmbeddedStore(None)
    with writer_client(store, tmp_path, max_upload_bytes=1000) as client:
        body = error(client.post("/ingest", headers=auth(),
                                 files={"file": ("big.bib", BIB * 40)}), 413)
        assert "1000" in body["message"]
        error(client.post("/ingest", headers=auth(), content=b"x" * 200_000), 413)
        body = error(client.post("/ingest", headers=auth(), data={"kind": "bibtex"}), 422)
        assert (body["detail"][0]["field"], body["detail"][0]["location"]) == ("file", "body")
        error(client.post("/ingest", headers=auth(), json={"file": "x"}), 422)
        broken = client.post("/ingest", headers=auth(),
                             files={"file": ("refs.bib", b"@article{x,\n title={A")})
        body = error(broken, 422, "ingest_failed")
        assert "refs.bib" in body["message"]
        assert body["detail"]["failed"] == 1
    assert store.find_node("work:bib:x") is None


# -- read-only Cypher ------------------------------------------------------------------------
class CypherCapable(EmbeddedStore):
    """An embedded store pretending to run Cypher: records what reached it."""

    capabilities = dataclasses.replace(EmbeddedStore.capabilities, read_cypher=True)

    def __init__(self) -> None:
        super().__init__(None)
        self.received: list[str] = []

    def run_read_cypher(self, query: str, params: Mapping[str, Any] | None = None, *,
                        timeout_s: float, max_rows: int) -> list[dict[str, Any]]:
        self.received.append(query)
        return [{"n": i, "params": dict(params or {})} for i in range(min(max_rows, 7))]


def test_cypher_disabled_or_unsupported(tmp_path: Path) -> None:
    query = {"query": "MATCH (n) RETURN n LIMIT 1"}
    with writer_client(CypherCapable(), tmp_path) as off:
        body = error(off.post("/cypher", json=query, headers=auth()), 403)
        assert "disabled" in body["message"]
    with writer_client(EmbeddedStore(None), tmp_path, enable_cypher=True) as embedded:
        error(embedded.post("/cypher", json=query), 401)
        body = error(embedded.post("/cypher", json=query, headers=auth()), 403)
        assert "Neo4j" in body["message"]


def test_cypher_reads_with_row_cap(tmp_path: Path) -> None:
    store = CypherCapable()
    with writer_client(store, tmp_path, enable_cypher=True, max_results=5) as client:
        response = client.post("/cypher", headers=auth(), json={
            "query": "MATCH (n) WHERE n.note = 'CREATE is fine in a string' RETURN n",
            "params": {"k": 1}})
        assert response.status_code == 200, response.text
        body = schemas.CypherOut.model_validate_json(response.content)
        assert len(body.rows) == 5 and body.truncated and body.columns == ["n", "params"]
        assert body.rows[0]["params"] == {"k": 1}
        error(client.post("/cypher", json={"query": ""}, headers=auth()), 422)
        error(client.post("/cypher", json={"query": "  "}, headers=auth()), 400)
    assert len(store.received) == 1


@pytest.mark.neo4j
def test_cypher_on_neo4j(neo4j_driver: Any, tmp_path: Path) -> None:
    from conftest import make_neo4j_store

    store = make_neo4j_store(neo4j_driver)
    store.write(fixture_batch())
    with writer_client(store, tmp_path, enable_cypher=True) as client:
        response = client.post("/cypher", headers=auth(), json={
            "query": "MATCH (a:Article {id: $id})<-[:INTERPRETS]-(b) RETURN b.id AS id",
            "params": {"id": CL_363}})
        assert response.status_code == 200, response.text
        assert [r["id"] for r in response.json()["rows"]] == [
            "article:/akn/cn/judicial-interpretation/2010-02-02/obscene-info#art_1"]
        error(client.post("/cypher", headers=auth(),
                          json={"query": "MATCH (n) DETACH DELETE n"}), 400)
    assert store.counts().total_nodes > 0


# -- store down ------------------------------------------------------------------------------
class FlakyStore(EmbeddedStore):
    """An embedded store that can be switched off."""

    def __init__(self) -> None:
        super().__init__(None)
        self.down = False

    def ping(self) -> bool:
        return not self.down

    def _check(self) -> None:
        if self.down:
            raise StoreUnavailableError("connection refused")

    def find_node(self, node_id: str) -> Node | None:
        self._check()
        return super().find_node(node_id)

    def neighbours(self, node_id: str, **kwargs: Any) -> Any:
        self._check()
        return super().neighbours(node_id, **kwargs)

    def counts(self) -> Any:
        self._check()
        return super().counts()

    def list_nodes(self, **kwargs: Any) -> list[Node]:
        self._check()
        return super().list_nodes(**kwargs)

    def search(self, text: str, *, node_types: Collection[Any] | None = None,
               limit: int = 20) -> Any:
        self._check()
        return super().search(text, node_types=node_types, limit=limit)


def test_store_down_gives_503_with_retry_after_and_recovers(tmp_path: Path) -> None:
    store = FlakyStore()
    store.write(fixture_batch())
    with TestClient(create_app(make_settings(tmp_path), store)) as client:
        store.down = True
        health = client.get("/health")
        assert health.status_code == 503 and health.json()["status"] == "unavailable"
        assert int(health.headers["retry-after"]) > 0
        for url, params in (("/node", {"id": CRC}), ("/neighbours", {"id": CRC}),
                            ("/stats", {}), ("/nodes", {}), ("/search", {"q": "crc"})):
            response = client.get(url, params=params)
            error(response, 503, "store_unavailable")
            assert int(response.headers["retry-after"]) > 0
        store.down = False
        assert client.get("/health").json()["status"] == "ok"
        assert client.get("/node", params={"id": CRC}).status_code == 200


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_unreachable_neo4j_at_startup_gives_503(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, neo4j_uri=f"bolt://127.0.0.1:{_free_port()}",
                             query_timeout_s=2.0)
    with TestClient(create_app(settings)) as client:
        health = client.get("/health")
        assert health.status_code == 503 and "retry-after" in health.headers
        error(client.get("/stats"), 503)


@pytest.fixture
def outage_client(neo4j_server: Any, neo4j_driver: Any, tmp_path: Path) -> Iterator[
        tuple[TestClient, Any]]:
    from conftest import make_neo4j_store

    store = make_neo4j_store(neo4j_driver)
    store.write(fixture_batch())
    with TestClient(create_app(make_settings(tmp_path), store)) as client:
        yield client, neo4j_server
    if not neo4j_server.is_running():
        neo4j_server.start()


@pytest.mark.neo4j
@pytest.mark.slow
def test_neo4j_outage_and_recovery(outage_client: tuple[TestClient, Any]) -> None:
    client, server = outage_client
    assert client.get("/node", params={"id": CRC}).status_code == 200
    server.stop()
    try:
        response = client.get("/node", params={"id": CRC})
        error(response, 503)
        assert "retry-after" in response.headers
        assert client.get("/health").status_code == 503
    finally:
        server.start()
    # The first queries after a cold start may time out (504) or still fail (503): the
    # API must come back without a restart of its own.
    deadline = time.monotonic() + 120
    status = 0
    while time.monotonic() < deadline and status != 200:
        status = client.get("/node", params={"id": CRC}).status_code
        assert status in (200, 503, 504)
    assert status == 200
    assert client.get("/health").status_code == 200


def test_too_many_concurrent_uploads_get_429(tmp_path: Path) -> None:
    import asyncio

    app = create_app(make_settings(tmp_path, token=SecretStr(TOKEN)), EmbeddedStore(None))
    app.state.upload_slots = asyncio.Semaphore(0)  # every slot taken
    with TestClient(app) as client:
        response = client.post("/ingest", headers=auth(), files={"file": ("refs.bib", BIB)})
        error(response, 429)
        assert int(response.headers["retry-after"]) > 0


def test_module_level_app_is_built_lazily(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    from citegraph.settings import get_settings

    monkeypatch.setenv("CITEGRAPH_STORE", str(tmp_path / "lazy.json"))
    get_settings.cache_clear()
    try:
        module = importlib.import_module("api.app")
        module.__dict__.pop("app", None)  # built on first access, from the settings now
        with TestClient(module.app) as client:
            assert client.get("/stats").json()["total_nodes"] == 0
        assert module.app.state.settings.store == tmp_path / "lazy.json"
    finally:
        get_settings.cache_clear()


def test_reads_wait_for_an_in_process_write(tmp_path: Path) -> None:
    import threading

    from citegraph.stores.policy import ReadWriteLock

    lock = ReadWriteLock()
    lock.acquire_write()
    assert lock.try_read() is None
    got: list[str] = []

    def read() -> None:
        lock.acquire_read()
        got.append("read")

    reader = threading.Thread(target=read)
    reader.start()
    reader.join(0.2)
    assert got == []  # held back while the write runs
    lock.release_write()
    reader.join(5)
    assert got == ["read"] and lock.try_read() is not None  # readers share the lock
    # Through the API: a read during a write is answered once the write is done.
    store = EmbeddedStore(None)
    store.write(fixture_batch())
    with TestClient(create_app(make_settings(tmp_path), store)) as client:
        store.rwlock.acquire_write()
        timer = threading.Timer(0.3, store.rwlock.release_write)
        timer.start()
        assert client.get("/node", params={"id": CRC}).status_code == 200
        timer.join()


def _slow_read(seconds: float, cooperative: bool) -> Any:
    """A read that takes ``seconds``, checking its deadline between steps or not at all."""
    import time

    from citegraph.stores.policy import check_deadline

    def read(store: Any) -> None:
        ends = time.monotonic() + seconds
        while time.monotonic() < ends:
            if cooperative:
                check_deadline()
            time.sleep(0.01)

    return read


@pytest.mark.parametrize("cooperative", [True, False])
def test_a_timed_out_read_releases_the_lock_and_says_so(cooperative: bool) -> None:
    """After a 504 nothing holds the embedded store's read lock: a write goes ahead at
    once, even when the stopped call never looks at its deadline."""
    import asyncio
    import time

    from citegraph.errors import QueryTimeoutError
    from citegraph.stores.gateway import AsyncStore

    store = EmbeddedStore(None)
    db = AsyncStore(store, timeout_s=0.2)

    async def scenario() -> float:
        with pytest.raises(QueryTimeoutError, match="stopped"):
            await db.compute(_slow_read(3.0, cooperative))
        assert store.rwlock.readers == 0
        began = time.monotonic()
        await db.write(lambda s: s.write(fixture_batch()))
        return time.monotonic() - began

    assert asyncio.run(scenario()) < 1.0
    assert store.counts().total_nodes == len(fixture_batch().nodes)
    store.close()


def test_a_504_over_http_leaves_uploads_free(tmp_path: Path) -> None:
    """A client-facing time-out (504) on a slow analysis, then an upload answers at once."""
    import time

    store = EmbeddedStore(None)
    settings = make_settings(tmp_path, token=SecretStr(TOKEN), query_timeout_s=0.3)
    app = create_app(settings, store)

    @app.get("/slow-for-test")
    async def slow(db: StoreDep) -> dict[str, str]:
        await db.compute(_slow_read(5.0, cooperative=False))
        return {}

    with TestClient(app) as client:
        error(client.get("/slow-for-test"), 504)
        began = time.monotonic()
        response = client.post("/ingest", headers=auth(), files={"file": ("refs.bib", BIB)})
        assert response.status_code == 200 and time.monotonic() - began < 3.0


def test_docs_pages_load_their_assets_from_the_app() -> None:
    """/docs and /redoc work offline: every script and stylesheet is served locally."""
    import re

    from fastapi.testclient import TestClient

    from api.app import create_app
    from citegraph.settings import Settings
    from citegraph.stores.embedded import EmbeddedStore

    client = TestClient(create_app(Settings(corpus=None), store=EmbeddedStore(None)))
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        sources = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
        sources += re.findall(r"""url: ?['"]([^'"]+)['"]""", html)
        assert sources, page
        for source in sources:
            assert not source.startswith(("http:", "https:", "//")), (page, source)
            if source.endswith((".js", ".css")):
                assert client.get(source).status_code == 200, source
