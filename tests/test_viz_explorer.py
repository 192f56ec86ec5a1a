"""The explorer's views (on both stores) and its routes (HTML, JSON, static, headers)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from viz_graph import (
    CN,
    CRC,
    CRC_34,
    CRIM,
    CRIM_363,
    EVIL_CONCEPT,
    EVIL_INSTRUMENT,
    EVIL_WORK,
    SCRIPT_LABEL,
    SEC_1,
    SEC_2,
    SPC,
    WORK,
    legal_batch,
)

from api.app import create_app
from citegraph import vizqueries
from citegraph.errors import NodeNotFoundError
from citegraph.model import GraphBatch, Node, NodeType, Provenance, Relationship, RelType
from citegraph.settings import Settings
from citegraph.stores.base import GraphStore
from citegraph.stores.embedded import EmbeddedStore


def ids(view: vizqueries.GraphView) -> set[str]:
    return {n.id for n in view.subgraph.nodes}


# -- views on both stores --------------------------------------------------------------------
@pytest.fixture
def loaded(store: GraphStore) -> GraphStore:
    store.write(legal_batch())
    return store


def test_ego_view_depths(loaded: GraphStore) -> None:
    one = vizqueries.ego_view(loaded, CRC, 1)
    assert ids(one) == {CRC, CRC_34, CN, SEC_1}
    assert one.highlight == CRC
    two = vizqueries.ego_view(loaded, CRC, 2)
    assert {EVIL_CONCEPT, WORK} <= ids(two)
    # every relationship among the shown nodes, not only the traversed ones
    pairs = {(r.source, r.target) for r in two.subgraph.relationships}
    assert (SEC_1, CRC_34) in pairs and (SEC_1, CRC) in pairs
    assert vizqueries.ego_view(loaded, CRC, 9).title.endswith("(depth 3)")


def test_ego_view_type_filter_and_unknown_node(loaded: GraphStore) -> None:
    only = vizqueries.ego_view(loaded, CRC, 2, node_types=[NodeType.ARTICLE])
    assert ids(only) == {CRC, CRC_34}
    with pytest.raises(NodeNotFoundError):
        vizqueries.ego_view(loaded, "concept:nope")


def test_path_view(loaded: GraphStore) -> None:
    view = vizqueries.path_view(loaded, CN, SPC)
    assert {CN, CRC, SEC_1, WORK, SEC_2, CRIM_363, SPC} == ids(view)
    assert view.title.startswith("1 shortest path(s)")
    none = vizqueries.path_view(loaded, CN, CRIM, max_length=2)
    assert none.title.startswith("no path") and ids(none) == {CN, CRIM}


def test_influence_view_goes_downstream(loaded: GraphStore) -> None:
    view = vizqueries.influence_view(loaded, CRIM_363, 2)
    assert {CRIM_363, SPC, SEC_2} <= ids(view)
    assert CRC not in ids(view) and CN not in ids(view)  # upstream, not downstream


def test_paper_view(loaded: GraphStore) -> None:
    view = vizqueries.paper_view(loaded, WORK)
    assert {WORK, SEC_1, SEC_2, CRC, CRC_34, CRIM_363, EVIL_INSTRUMENT} <= ids(view)
    assert SPC not in ids(view)


def test_search_view_filters_types_and_years(loaded: GraphStore) -> None:
    view = vizqueries.search_view(loaded, "Rights of the Child")
    assert view.highlight == CRC and {CRC, CRC_34, SEC_1} <= ids(view)
    typed = vizqueries.search_view(loaded, "Rights of the Child",
                                   node_types=[NodeType.INSTRUMENT, NodeType.ARTICLE])
    assert {n.type for n in typed.subgraph.nodes} <= {NodeType.INSTRUMENT, NodeType.ARTICLE}
    assert vizqueries.search_view(loaded, "Rights of the Child", year_min=1990).highlight is None
    listing = vizqueries.search_view(loaded, "", node_types=[NodeType.INSTRUMENT],
                                     year_max=2000)
    assert ids(listing) == {CRC, CRIM, EVIL_INSTRUMENT}  # undated (unresolved) stays


def test_pagerank_sizes(loaded: GraphStore) -> None:
    view = vizqueries.with_pagerank(loaded, vizqueries.ego_view(loaded, CRC, 1))
    assert view.scores is not None and set(view.scores) == ids(view)
    assert view.scores[CRC] > 0


# -- routes ----------------------------------------------------------------------------------
@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    store = EmbeddedStore()
    store.write(legal_batch())
    settings = Settings(store=tmp_path / "unused.json")
    with TestClient(create_app(settings, store)) as test_client:
        yield test_client


def test_explorer_page_has_no_inline_code_and_a_strict_policy(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe" not in csp and "default-src 'none'" in csp
    page = response.text
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts and all('src="/viz/static/' in s for s in scripts)
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    for node_type in NodeType:
        assert f'value="{node_type.value}"' in page


def test_static_files_are_allow_listed(client: TestClient) -> None:
    for name in ("vis-network.min.js", "vis-network.min.css", "graphview.js", "explorer.js",
                 "explorer.css"):
        response = client.get(f"/viz/static/{name}")
        assert response.status_code == 200 and len(response.content) > 100, name
        assert response.headers["x-content-type-options"] == "nosniff"
    assert client.get("/viz/static/vis-network.min.js").headers["content-type"].startswith(
        "text/javascript")
    for name in ("viz.py", "..%2Fexplorer.py", "LICENSE"):
        assert client.get(f"/viz/static/{name}").status_code == 404


def test_old_view_pages_open_the_explorer_in_that_state(client: TestClient) -> None:
    response = client.get("/viz/ego", params={"id": EVIL_CONCEPT, "depth": 2},
                          follow_redirects=False)
    assert response.status_code == 303
    assert "content-security-policy" in response.headers
    target = response.headers["location"]
    assert target.startswith("/?view=ego&id=concept%3Aevil&depth=2")
    assert client.get("/viz/nope", follow_redirects=False).status_code == 404
    data = client.get("/viz/data/ego", params={"id": EVIL_CONCEPT, "depth": 2}).json()
    assert {n["id"] for n in data["nodes"]} >= {EVIL_CONCEPT, CRC_34, CRC, SEC_1}


@pytest.mark.parametrize("path,params", [
    ("ego", {"id": CRC, "depth": 3}),
    ("path", {"source": CN, "target": SPC}),
    ("influence", {"id": CRC, "hops": 2}),
    ("search", {"q": "Criminal Law", "types": ["Instrument", "Article"]}),
    ("search", {"types": "Concept", "year_min": 1900}),
    ("paper", {"id": WORK}),
    ("ego", {"id": CRC, "size": "pagerank"}),
])
def test_every_view_as_page_and_json(client: TestClient, path: str,
                                     params: dict[str, object]) -> None:
    page = client.get(f"/viz/{path}", params=params)
    assert page.status_code == 200 and "cg-explorer" in page.text, page.text
    data = client.get(f"/viz/data/{path}", params=params).json()
    assert data["nodes"], data
    assert data["meta"]["nodes_drawn"] == len(data["nodes"])
    assert all("x" in n and "y" in n for n in data["nodes"])


def test_errors(client: TestClient) -> None:
    missing = client.get("/viz/<b>nope")
    assert missing.status_code == 404 and "<b>nope" not in missing.text
    assert "text/html" in missing.headers["content-type"]
    data_missing = client.get("/viz/data/ego", params={"id": "concept:nope"})
    assert data_missing.status_code == 404
    assert data_missing.json()["error"]["code"] == "not_found"
    assert client.get("/viz/data/ego", params={"id": CRC, "depth": 4}).status_code == 422
    assert client.get("/viz/data/search", params={"types": "Nope"}).status_code == 422


def test_node_detail_for_the_panel(client: TestClient) -> None:
    detail = client.get("/viz/data/node", params={"id": CRC_34}).json()
    assert detail["node"]["label"] == "CRC art. 34"
    rels = {(r["type"], r["direction"], r["other"]["id"]): r for r in detail["relationships"]}
    defines = rels[("DEFINES", "out", EVIL_CONCEPT)]
    assert defines["other"]["label"] == SCRIPT_LABEL
    assert defines["locator"] == "art_34" and "<script>" in defines["quote"]
    assert ("MENTIONS", "in", SEC_1) in rels and ("HAS_ARTICLE", "in", CRC) in rels
    assert detail["truncated"] is False
    assert client.get("/viz/data/node", params={"id": SEC_2}).status_code == 200


def test_panel_shows_every_kind_of_relationship_of_a_large_statute(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from api import explorer

    store = EmbeddedStore()
    statute = "instrument:/akn/xx/act/2000-01-01/big"
    arts = [Node(f"article:/akn/xx/act/2000-01-01/big#art_{n}", NodeType.ARTICLE, str(n))
            for n in range(12)]
    prov = Provenance(statute)
    rels = [Relationship(statute, a.id, RelType.HAS_ARTICLE, prov) for a in arts]
    rels.append(Relationship("section:p/1", statute, RelType.MENTIONS, prov))
    store.write(GraphBatch.of("d", [Node(statute, NodeType.INSTRUMENT, "Big"),
                                    Node("section:p/1", NodeType.SECTION, "1"), *arts], rels))
    monkeypatch.setattr(explorer, "PANEL_RELATIONSHIPS", 5)
    detail = explorer.node_detail(store, statute)
    shown = {(r["type"], r["direction"]) for r in detail["relationships"]}
    assert ("MENTIONS", "in") in shown and len(detail["relationships"]) == 5
    assert detail["truncated"] is True
    assert {(g["type"], g["count"]) for g in detail["summary"]} == {
        ("HAS_ARTICLE", 12), ("MENTIONS", 1)}


def _many_dated_instruments() -> EmbeddedStore:
    """Thirty child-related instruments of 1990 and one of 2001, whose id sorts last."""
    store = EmbeddedStore()
    nodes = [Node(f"instrument:/akn/xx/act/1990-01-01/child-act-{n:02d}", NodeType.INSTRUMENT,
                  f"Child act {n}") for n in range(30)]
    nodes.append(Node("instrument:/akn/zz/act/2001-01-01/late", NodeType.INSTRUMENT,
                      "Late protocol on the sale of children and child welfare"))
    store.write(GraphBatch.of("d", nodes, []))
    return store


def test_year_range_is_applied_before_the_search_cut() -> None:
    store = _many_dated_instruments()
    view = vizqueries.search_view(store, "child", year_min=2000, year_max=2005, limit=5)
    assert ids(view) == {"instrument:/akn/zz/act/2001-01-01/late"}
    assert view.title.endswith("(1 hit)")
    undated = vizqueries.search_view(store, "child", limit=5)
    assert len(ids(undated)) == 5


def test_year_range_is_applied_before_the_listing_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    store = _many_dated_instruments()
    monkeypatch.setattr(vizqueries, "LISTING_LIMIT", 3)
    monkeypatch.setattr(vizqueries, "SCAN_PAGE", 7)
    view = vizqueries.search_view(store, "", node_types=[NodeType.INSTRUMENT],
                                  year_min=2000, year_max=2005)
    assert ids(view) == {"instrument:/akn/zz/act/2001-01-01/late"}
    assert not view.subgraph.truncated
    early = vizqueries.search_view(store, "", node_types=[NodeType.INSTRUMENT], year_max=1995)
    assert len(ids(early)) == 3 and early.subgraph.truncated


def test_explorer_is_not_in_the_api_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p == "/" or p.startswith("/viz")]


def test_influence_view_leaves_out_idle_articles() -> None:
    from citegraph.analytics import InfluenceTrace, TraceEntry
    from citegraph.model import RelType

    entries = (
        TraceEntry("instrument:i", 0, None, None, None),
        TraceEntry("article:i#a1", 0, None, RelType.HAS_ARTICLE, "instrument:i"),
        TraceEntry("article:i#a2", 0, None, RelType.HAS_ARTICLE, "instrument:i"),
        TraceEntry("section:s", 1, None, RelType.MENTIONS, "article:i#a1"),
    )
    trace = InfluenceTrace("instrument:i", entries, (), False)
    assert vizqueries.on_trace_paths(trace) == {"instrument:i", "article:i#a1", "section:s"}


# -- the one-page explorer's data ----------------------------------------------------------------
def test_views_carry_what_the_list_and_filters_need(client: TestClient) -> None:
    data = client.get("/viz/data/overview").json()
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id[CRC]["year"] == 1989 and by_id[CRC]["jurisdiction"] == "org/un"
    assert by_id[CRC_34]["parent"] == CRC  # folded into its instrument by the page
    assert by_id[SEC_1]["parent"] == WORK
    assert by_id[EVIL_INSTRUMENT].get("unresolved") is True
    assert EVIL_WORK not in by_id  # a bare reference entry is not on the first screen
    search = client.get("/viz/data/search", params={"q": "CRC art 34"}).json()
    assert search["hits"][:2] == [CRC_34, CRC] and search["highlight"] == CRC_34


def test_paper_is_drawn_as_its_outline(client: TestClient) -> None:
    data = client.get("/viz/data/paper", params={"id": WORK}).json()
    assert data["meta"]["layout"] == "outline"
    pos = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    assert pos[WORK][1] < pos[SEC_1][1] < pos[SEC_2][1]  # reading order, top to bottom
    assert pos[CRC_34][0] > pos[SEC_1][0]  # what a section mentions stands beside it


def test_suggest_is_citation_aware(client: TestClient) -> None:
    for q in ("CRC art 34", "Art. 34 CRC", "Article 34 of the CRC"):
        first = client.get("/viz/data/suggest", params={"q": q}).json()[0]
        assert first["id"] == CRC_34, q
        assert first["type"] == "Article" and first["label"] == "CRC art. 34"
    assert client.get("/viz/data/suggest", params={"q": "  !! "}).json() == []
    hits = client.get("/search", params={"q": "Criminal Law art. 363"}).json()["items"]
    assert hits[0]["node"]["id"] == CRIM_363


def test_panel_puts_substance_first_and_names_the_document(client: TestClient) -> None:
    detail = client.get("/viz/data/node", params={"id": CRC_34}).json()
    kinds = [r["structure"] for r in detail["relationships"]]
    assert kinds == sorted(kinds) and kinds[-1] is True  # HAS_ARTICLE comes last
    mention = next(r for r in detail["relationships"] if r["type"] == "MENTIONS")
    assert mention["document_label"] == "Seed paper" and mention["locator"] == "1"


def test_ranking_by_in_degree_reports_the_in_degree(client: TestClient) -> None:
    rows = client.get("/analytics/ranking", params={"by": "in_degree"}).json()["items"]
    assert rows and all(r["score"] == r["in_degree"] for r in rows)
    assert any(r["pagerank"] != r["score"] for r in rows)
    kept = client.get("/analytics/ranking", params={"unresolved": "false", "limit": 500})
    assert EVIL_INSTRUMENT not in {r["node"]["id"] for r in kept.json()["items"]}
