"""Concurrent uploads to a Neo4j-backed API: every one lands (deadlocks are retried).

Thirty uploads at once, each a .bib sharing most of its entries, authors and journal with
the others in a different order, make the server's transactions take node locks in crossing
orders: Neo4j ends one of two deadlocked transactions with ``DeadlockDetected`` (a
``TransientError``) and the write must be retried, not answered 422.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from test_api import make_settings

from api.app import create_app
from citegraph.stores.neo4j_store import Neo4jStore

pytestmark = pytest.mark.neo4j
UPLOADS = 30
SHARED = 6  # entries per upload, each shared with the next uploads
TOKEN = "deadlock-token"


def _entry(n: int) -> str:
    return (f"@article{{dl{n:03d},\n  title = {{Platform Duties Part {n}}},\n"
            f"  author = {{Doe, Jane and Roe, Richard and Poe, Anna}},\n"
            f"  year = {{2020}},\n  journal = {{Journal of Shared Locks}}\n}}\n")


def _bib(upload: int) -> bytes:
    entries = [(upload + k) % UPLOADS for k in range(SHARED)]
    if upload % 2:
        entries.reverse()  # crossing lock orders
    return "".join(_entry(n) for n in entries).encode()


def test_thirty_concurrent_uploads_all_land(neo4j_store: Neo4jStore, tmp_path: Path,
                                            neo4j_uri: str,
                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="neo4j")
    settings = make_settings(tmp_path, token=SecretStr(TOKEN), max_uploads=UPLOADS,
                             neo4j_uri=neo4j_uri)
    store = Neo4jStore.from_settings(settings)  # the served API's driver and retry budget
    try:
        with TestClient(create_app(settings, store)) as client:
            def upload(i: int) -> tuple[int, str]:
                response = client.post(
                    "/ingest", headers={"Authorization": f"Bearer {TOKEN}"},
                    files={"file": (f"part{i}.bib", _bib(i), "application/x-bibtex")})
                return response.status_code, response.text[:300]

            with ThreadPoolExecutor(UPLOADS) as pool:
                answers = list(pool.map(upload, range(UPLOADS)))
            assert [a for a in answers if a[0] != 200] == []
            ids = [f"work:bib:dl{n:03d}" for n in range(UPLOADS)]
            assert all(client.get("/node", params={"id": i}).status_code == 200 for i in ids)
    finally:
        store.close()
    retried = [r.getMessage() for r in caplog.records if "will be retried" in r.getMessage()]
    print(f"{len(retried)} retried:", {m.split("code: ")[-1][:60] for m in retried})
