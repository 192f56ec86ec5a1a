"""Every endpoint over the ingested seed corpus, on each store.

The corpus is read from ``../shared`` at test time. Expected values are derived from the
store or the corpus files themselves, never written down here.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from corpus import CORPUS, SEED
from fastapi.testclient import TestClient
from pydantic import SecretStr
from test_api import error, make_settings, ok

from api import schemas
from citegraph.model import NodeType, RelType
from citegraph.stores.base import GraphStore

CRC = "instrument:/akn/un/treaty/1989-11-20/crc"
OPSC = "instrument:/akn/un/treaty/2000-05-25/opsc"
PAPER = "work:seed-paper"

pytestmark = pytest.mark.skipif(not (CORPUS / "seed-paper.txt").is_file(),
                                reason=f"shared corpus not found at {CORPUS}")


@pytest.fixture
def corpus_client(store: GraphStore, tmp_path: Path) -> TestClient:
    from api.app import create_app
    from ingest.pipeline import ingest_paths

    settings = make_settings(tmp_path, token=SecretStr("t"))
    report = ingest_paths(store, SEED, settings=settings)
    assert report.failed == 0, report.to_dict()
    return TestClient(create_app(settings, store))


def _walk(client: TestClient, url: str, **params: Any) -> list[str]:
    ids: list[str] = []
    cursor = None
    while True:
        page = ok(client, url, schemas.NodePage, **params,
                  **({"cursor": cursor} if cursor else {}))
        ids += [n.id for n in page.items]
        cursor = page.next_cursor
        if cursor is None:
            return ids


def test_every_endpoint_on_the_seed_corpus(corpus_client: TestClient,
                                           store: GraphStore) -> None:
    client = corpus_client
    counts = store.counts()
    stats = ok(client, "/stats", schemas.StatsOut)
    assert stats.total_nodes == counts.total_nodes > 0
    assert ok(client, "/health", schemas.HealthOut).status == "ok"

    # Lists: a filtered walk equals the store's own filtered list.
    chinese = _walk(client, "/nodes", type="Instrument", jurisdiction="CN", limit=7)
    expected = [n.id for n in store.list_nodes(node_type=NodeType.INSTRUMENT,
                                               filters={"jurisdiction": "CN"}, limit=10_000)]
    assert chinese == expected and chinese
    assert len(_walk(client, "/nodes", type="Article", limit=500)) == counts.nodes["Article"]

    # One node with provenance; neighbours; paths.
    detail = ok(client, "/node", schemas.NodeDetail, id=CRC)
    assert any(r.source == OPSC and r.type is RelType.SUPPLEMENTS
               for r in detail.relationships)
    around = ok(client, "/neighbours", schemas.SubgraphOut, id=CRC, depth=2, direction="in")
    assert OPSC in {n.id for n in around.nodes}
    found = ok(client, "/paths", schemas.PathsOut, source=PAPER, target=CRC)
    assert found.paths and found.paths[0].nodes[-1].id == CRC

    # Search: the Chinese short name of the Criminal Law finds it first.
    hits = ok(client, "/search", schemas.SearchPage, q="刑法", node_type="Instrument")
    assert hits.items and "criminal-law" in hits.items[0].node.id

    # Provenance: a paper's mention quotes a sentence of the paper itself.
    mention = next(r for r in store.iter_relationships()
                   if r.type is RelType.MENTIONS and r.provenance.quote)
    prov = ok(client, "/provenance", schemas.ProvenancePage, source=mention.source,
              type="MENTIONS", target=mention.target, key=mention.key)
    quote = prov.items[0].provenance.quote
    text = (CORPUS / "seed-paper.txt").read_text(encoding="utf-8")
    assert quote and " ".join(quote.split()) in " ".join(text.split())

    # Influence, analytics.
    trace = ok(client, "/influence", schemas.InfluenceOut, id=CRC, max_hops=2)
    assert OPSC in trace.hops["1"]
    years = [t.year for t in trace.timeline if t.year is not None]
    assert years == sorted(years) and years[0] == 1989
    ranking = ok(client, "/analytics/ranking", schemas.RankingPage, limit=20)
    assert [r.score for r in ranking.items] == sorted((r.score for r in ranking.items),
                                                      reverse=True)
    comention = ok(client, "/analytics/co-mention", schemas.PairPage)
    assert comention.items and all(p.a.id < p.b.id for p in comention.items)
    assert all(p.weight >= len(p.evidence) > 0 for p in comention.items)
    matrix = ok(client, "/analytics/jurisdiction-concept", schemas.MatrixOut)
    assert "jurisdiction:CN" in {j.id for j in matrix.jurisdictions}
    for name in ("co-citation", "coupling"):
        ok(client, f"/analytics/{name}", schemas.PairPage)

    # Export: the whole graph, in JSON and GraphML, with the store's counts.
    exported = client.get("/export").json()
    assert len(exported["nodes"]) == counts.total_nodes
    assert len(exported["edges"]) == counts.total_relationships
    graphml = nx.read_graphml(io.BytesIO(client.get("/export?format=graphml").content))
    assert graphml.number_of_nodes() == counts.total_nodes

    # Upload a legal text again over HTTP: same ids, nothing new.
    data = (CORPUS / "legal" / "un-opsc-2000.md").read_bytes()
    upload = client.post("/ingest", headers={"Authorization": "Bearer t"},
                         files={"file": ("un-opsc-2000.md", data)}, data={"replace": "true"})
    assert upload.status_code == 200, upload.text
    assert schemas.IngestReportOut.model_validate_json(upload.content).loaded == 1
    assert store.counts().total_nodes == counts.total_nodes
    error(client.get("/node", params={"id": CRC + "#art_9999"}), 404)
