"""Nothing lost: idempotence, SIGKILL during ingest, concurrent ingests, a Neo4j outage.

The unit of atomicity is one input file (see ingest/pipeline.py): after a crash each
document's relationships are either all there or none of them, and a re-run completes the
load with no duplicates.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import pytest
from corpus import CORPUS, SEED

from citegraph.export import export_json
from citegraph.model import Relationship
from citegraph.settings import Settings
from citegraph.stores.base import GraphStore
from citegraph.stores.embedded import EmbeddedStore
from citegraph.stores.neo4j_store import Neo4jStore
from ingest.pipeline import ingest_paths

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")


def _settings() -> Settings:
    return Settings(corpus=None)


def _by_document(rels: Iterator[Relationship]) -> dict[str, set[tuple[str, str, str, str]]]:
    groups: dict[str, set[tuple[str, str, str, str]]] = defaultdict(set)
    for rel in rels:
        groups[rel.provenance.document].add(rel.identity)
    return dict(groups)


@pytest.fixture(scope="module")
def reference() -> tuple[bytes, dict[str, set[tuple[str, str, str, str]]]]:
    """The export and per-document relationships of one clean ingest of the corpus."""
    store = EmbeddedStore(None)
    ingest_paths(store, SEED, settings=_settings())
    return export_json(store), _by_document(store.iter_relationships())


def test_ingesting_the_corpus_three_times_changes_nothing(
        store: GraphStore, reference: tuple[bytes, Any]) -> None:
    exports, counts = [], []
    for _ in range(3):
        report = ingest_paths(store, SEED, settings=_settings())
        assert report.failed == 0, report.to_dict()
        exports.append(export_json(store))
        counts.append(store.counts())
    assert counts[0] == counts[1] == counts[2]
    assert exports[0] == exports[1] == exports[2]
    # Both stores hold exactly the same graph (same nodes, relationships, properties).
    assert exports[0] == reference[0]


def _cli_env(store_path: Path | None, neo4j_uri: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["PYTHONPATH"] = str(REPO)
    if store_path is not None:
        env["CITEGRAPH_STORE"] = str(store_path)
    if neo4j_uri is not None:
        env["NEO4J_URI"] = neo4j_uri
    return env


def _ingest_cmd(*paths: Path) -> list[str]:
    return [sys.executable, "-m", "citegraph.cli", "ingest", "--no-progress",
            *map(str, paths)]


def _assert_whole_documents(store: GraphStore,
                            expected: dict[str, set[tuple[str, str, str, str]]]) -> int:
    """Every document is absent or complete; return how many were complete."""
    found = _by_document(store.iter_relationships())
    for document, identities in found.items():
        assert identities == expected[document], f"{document} is half-written"
    return len(found)


def _kill_trials(make_store: Any, env: dict[str, str], reference: Any, trials: int,
                 seed: int) -> list[int]:
    rng = random.Random(seed)
    complete = []
    started = time.monotonic()
    subprocess.run(_ingest_cmd(*SEED), env=env, check=True, capture_output=True)
    full = time.monotonic() - started
    for _ in range(trials):
        store = make_store(clear=True)
        proc = subprocess.Popen(_ingest_cmd(*SEED), env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.1, full))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        complete.append(_assert_whole_documents(make_store(), reference[1]))
        subprocess.run(_ingest_cmd(*SEED), env=env, check=True, capture_output=True)
        assert export_json(make_store()) == reference[0], "re-run did not complete the load"
        del store
    print(f"SIGKILL trials: documents complete at the kill: {complete} "
          f"of {len(reference[1])}; full ingest {full:.1f} s")
    return complete


def test_sigkill_during_embedded_ingest_loses_nothing(tmp_path: Path, reference: Any) -> None:
    path = tmp_path / "g.json"

    def make_store(clear: bool = False) -> EmbeddedStore:
        if clear:
            path.unlink(missing_ok=True)
        return EmbeddedStore(path)

    _kill_trials(make_store, _cli_env(path, None), reference, trials=4, seed=11)


@pytest.mark.neo4j
def test_sigkill_during_neo4j_ingest_loses_nothing(neo4j_driver: neo4j.Driver,
                                                   neo4j_uri: str, reference: Any) -> None:
    def make_store(clear: bool = False) -> Neo4jStore:
        store = Neo4jStore(neo4j_driver)
        if clear:
            store.clear()
        return store

    _kill_trials(make_store, _cli_env(None, neo4j_uri), reference, trials=3, seed=12)


def _overlapping_runs(env: dict[str, str]) -> list[list[str]]:
    legal = CORPUS / "legal"
    return [_ingest_cmd(CORPUS / "bib", legal, CORPUS / "seed-paper.txt"),
            _ingest_cmd(legal, CORPUS / "seed-paper.txt")]


def _concurrent_equals_sequential(env: dict[str, str], make_store: Any) -> None:
    runs = _overlapping_runs(env)
    make_store(clear=True)
    for cmd in runs:
        subprocess.run(cmd, env=env, check=True, capture_output=True)
    sequential = export_json(make_store())
    make_store(clear=True)
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE) for cmd in runs]
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
    assert export_json(make_store()) == sequential


def test_concurrent_embedded_ingests_equal_sequential(tmp_path: Path) -> None:
    path = tmp_path / "g.json"

    def make_store(clear: bool = False) -> EmbeddedStore:
        if clear:
            path.unlink(missing_ok=True)
        return EmbeddedStore(path)

    _concurrent_equals_sequential(_cli_env(path, None), make_store)


@pytest.mark.neo4j
def test_concurrent_neo4j_ingests_equal_sequential(neo4j_driver: neo4j.Driver,
                                                   neo4j_uri: str) -> None:
    def make_store(clear: bool = False) -> Neo4jStore:
        store = Neo4jStore(neo4j_driver)
        if clear:
            store.clear()
        return store

    _concurrent_equals_sequential(_cli_env(None, neo4j_uri), make_store)


@pytest.mark.neo4j
def test_neo4j_outage_gives_503_then_recovers(neo4j_server: Any) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    settings = Settings(neo4j_uri=neo4j_server.uri, corpus=None)
    store = Neo4jStore.from_settings(settings)
    client = TestClient(create_app(settings, store=store))
    try:
        assert client.get("/stats").status_code == 200
        neo4j_server.stop()
        started = time.monotonic()
        response = client.get("/stats")
        elapsed = time.monotonic() - started
        assert response.status_code == 503, response.text
        assert "Retry-After" in response.headers
        assert response.json()["error"]["code"] == "store_unavailable"
        assert elapsed < 2.0, f"503 took {elapsed:.2f} s"
        assert client.get("/health").status_code == 503
    finally:
        if not neo4j_server.is_running():
            neo4j_server.start()
    deadline = time.monotonic() + 120
    while client.get("/stats").status_code != 200:
        assert time.monotonic() < deadline, "API did not recover after Neo4j came back"
        time.sleep(0.5)
    print(f"outage: 503 answered in {elapsed:.2f} s; recovered without restarting the API")
    store.close()
