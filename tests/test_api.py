"""The HTTP API over the fixture graph, on every store (the conformance loop).

Each response body is validated against the route's declared response model, so the
OpenAPI schema describes what is really sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from graph_fixture import (
    AGE,
    CL,
    CL_17_1,
    CL_363,
    CL_364,
    CN,
    CRC,
    CRC_34,
    CSAM,
    DOI,
    INTERP,
    INTERP_1,
    NODES,
    OPSC,
    OTHER,
    PAPER,
    RELATIONSHIPS,
    S1,
    S2,
    S21,
    SMITH,
    UNRESOLVED,
    fixture_batch,
)
from pydantic import BaseModel

from api import schemas
from api.app import create_app
from api.pagination import encode_offset_cursor
from citegraph.settings import Settings
from citegraph.stores.base import GraphStore

M = TypeVar("M", bound=BaseModel)


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    return Settings(_env_file=None, store=tmp_path / "unused.json",  # type: ignore[call-arg]
                    **overrides)


@pytest.fixture
def loaded(store: GraphStore) -> GraphStore:
    store.write(fixture_batch())
    return store


@pytest.fixture
def client(loaded: GraphStore, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(tmp_path), loaded)) as test_client:
        yield test_client


def ok(client: TestClient, url: str, model: type[M], **params: Any) -> M:
    """GET, expect 200, validate the body against the declared model."""
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return model.model_validate_json(response.content)


def error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """Assert the one error shape and status; return the error body."""
    assert response.status_code == status, response.text
    body = schemas.ErrorResponse.model_validate_json(response.content)
    if code is not None:
        assert body.error.code == code
    result: dict[str, Any] = response.json()["error"]
    return result


# -- service ---------------------------------------------------------------------------------
def test_health_and_stats(client: TestClient, loaded: GraphStore) -> None:
    health = ok(client, "/health", schemas.HealthOut)
    assert health.status == "ok" and health.store == loaded.name
    stats = ok(client, "/stats", schemas.StatsOut)
    assert stats.total_nodes == len(NODES)
    assert stats.total_relationships == len(RELATIONSHIPS)
    assert stats.nodes["Instrument"] == sum(n.type.value == "Instrument" for n in NODES)
    assert stats.relationships["MENTIONS"] == sum(r.type.value == "MENTIONS"
                                                  for r in RELATIONSHIPS)


# -- nodes -----------------------------------------------------------------------------------
def test_node_by_query_and_by_path_with_slash_colon_hash(client: TestClient) -> None:
    detail = ok(client, "/node", schemas.NodeDetail, id=CL_363)
    assert detail.node.id == CL_363 and detail.node.type.value == "Article"
    by_path = ok(client, "/nodes/" + quote(CL_363, safe="/:"), schemas.NodeDetail)
    assert by_path == detail
    kinds = {(r.source, r.type.value, r.target) for r in detail.relationships}
    assert (INTERP_1, "INTERPRETS", CL_363) in kinds
    assert (CL, "HAS_ARTICLE", CL_363) in kinds
    mention = next(r for r in detail.relationships if r.source == S21)
    assert mention.provenance.document == PAPER
    assert mention.provenance.locator == "2.1"
    assert mention.provenance.span == [600, 630]
    assert "art_363" in mention.provenance.quote


def test_node_detail_shows_every_kind_of_relationship_under_the_cap(
        loaded: GraphStore, tmp_path: Path) -> None:
    # The statute has 3 HAS_ARTICLE edges out and one ENACTED in; a cap of 2 used to show
    # two HAS_ARTICLE edges (sorted by identity) and hide who enacted it.
    with TestClient(create_app(make_settings(tmp_path, max_results=2), loaded)) as small:
        detail = ok(small, "/node", schemas.NodeDetail, id=CL)
        assert {(g.type.value, g.direction, g.count) for g in detail.summary} == {
            ("HAS_ARTICLE", "out", 3), ("ENACTED", "in", 1)}
        assert {r.type.value for r in detail.relationships} == {"HAS_ARTICLE", "ENACTED"}
        assert detail.truncated and detail.next_cursor is not None
        seen = [r.target for r in detail.relationships if r.type.value == "HAS_ARTICLE"]
        rest = ok(small, "/node", schemas.NodeDetail, id=CL, cursor=detail.next_cursor)
        seen += [r.target for r in rest.relationships]
        assert rest.next_cursor is None and not rest.truncated
        assert sorted(seen) == sorted([CL_17_1, CL_363, CL_364])
        enacted = ok(small, "/node", schemas.NodeDetail, id=CL, rel_type="ENACTED",
                     direction="in")
        assert [(r.source, r.type.value) for r in enacted.relationships] == [(CN, "ENACTED")]
        assert not enacted.truncated and len(enacted.summary) == 2  # summary unfiltered
        outgoing = ok(small, "/nodes/" + quote(CL, safe="/:"), schemas.NodeDetail,
                      direction="out", limit=5)
        assert {r.type.value for r in outgoing.relationships} == {"HAS_ARTICLE"}


def test_unknown_node_is_404_in_error_shape(client: TestClient) -> None:
    body = error(client.get("/node", params={"id": "article:/akn/xx#art_1"}), 404, "not_found")
    assert "article:/akn/xx#art_1" in body["message"]
    error(client.get("/nodes/" + quote("concept:nope#x", safe="")), 404, "not_found")


def test_list_nodes_filters(client: TestClient) -> None:
    treaties = ok(client, "/nodes", schemas.NodePage, type="Instrument", kind="treaty")
    assert [n.id for n in treaties.items] == sorted([CRC, OPSC])
    chinese = ok(client, "/nodes", schemas.NodePage, type="Instrument", jurisdiction="CN")
    assert {n.id for n in chinese.items} == {CL, INTERP}
    unresolved = ok(client, "/nodes", schemas.NodePage, status="unresolved")
    assert [n.id for n in unresolved.items] == [UNRESOLVED]
    nineties = ok(client, "/nodes", schemas.NodePage, type="Instrument", year_min=1990,
                  year_max=2005)
    assert [n.id for n in nineties.items] == [CL, OPSC]
    by_prop = ok(client, "/nodes", schemas.NodePage, type="Article", prop="number:363")
    assert [n.id for n in by_prop.items] == [CL_363]
    works = ok(client, "/nodes", schemas.NodePage, type="Work", year_max=1999)
    assert [n.id for n in works.items] == [SMITH]


@pytest.mark.parametrize("year_filter", [{}, {"year_min": 1000}])
def test_list_nodes_cursor_walks_everything_once(client: TestClient,
                                                 year_filter: dict[str, int]) -> None:
    seen: list[str] = []
    cursor = None
    for _ in range(100):
        params: dict[str, Any] = {"limit": 3, **year_filter}
        if cursor:
            params["cursor"] = cursor
        page = ok(client, "/nodes", schemas.NodePage, **params)
        assert len(page.items) <= 3
        seen += [n.id for n in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    if year_filter:
        from citegraph.analytics import own_year
        expected = sorted(n.id for n in NODES if own_year(n) is not None)
    else:
        expected = sorted(n.id for n in NODES)
    assert seen == expected


def test_list_nodes_bad_parameters_name_the_field(client: TestClient) -> None:
    body = error(client.get("/nodes", params={"cursor": "%%%"}), 422, "invalid_parameter")
    assert body["detail"][0]["field"] == "cursor"
    body = error(client.get("/nodes", params={"type": "Planet"}), 422)
    assert body["detail"][0]["field"] == "type" and "type" in body["message"]
    body = error(client.get("/nodes", params={"limit": 0}), 422)
    assert body["detail"][0]["field"] == "limit"
    body = error(client.get("/nodes", params={"year_min": 2000, "year_max": 1990}), 422)
    assert body["detail"][0]["field"] == "year_min"
    body = error(client.get("/nodes", params={"prop": "novalue"}), 422)
    assert body["detail"][0]["field"] == "prop.0"  # the first value of the list ``prop``
    body = error(client.get("/nodes", params={"cursor": encode_offset_cursor(3)}), 422)
    assert body["detail"][0]["field"] == "cursor"


def test_neighbours_depth_direction_and_filters(client: TestClient) -> None:
    one = ok(client, "/neighbours", schemas.SubgraphOut, id=CL_363)
    ids1 = {n.id for n in one.nodes}
    assert {CL_363, CL, CL_364, INTERP_1, S2, S21, CSAM} == ids1
    two = ok(client, "/neighbours", schemas.SubgraphOut, id=CL_363, depth=2)
    ids2 = {n.id for n in two.nodes}
    assert ids1 < ids2 and {INTERP, PAPER, CN} <= ids2
    incoming = ok(client, "/neighbours", schemas.SubgraphOut, id=CL_363, direction="in")
    assert CSAM not in {n.id for n in incoming.nodes}
    assert all(r.target == CL_363 for r in incoming.relationships)
    typed = ok(client, "/neighbours", schemas.SubgraphOut, id=CL_363,
               rel_type=["INTERPRETS", "REFERS_TO"])
    assert {n.id for n in typed.nodes} == {CL_363, INTERP_1, CL_364}
    articles = ok(client, "/neighbours", schemas.SubgraphOut, id=CL_363, depth=2,
                  node_type="Article")
    assert {n.type.value for n in articles.nodes} == {"Article"}
    capped = ok(client, "/neighbours", schemas.SubgraphOut, id=CL_363, depth=3, limit=3)
    assert capped.truncated and len(capped.nodes) <= 3


def test_neighbours_errors(client: TestClient, tmp_path: Path, loaded: GraphStore) -> None:
    body = error(client.get("/neighbours", params={"id": CL_363, "depth": 4}), 422)
    assert body["detail"][0]["field"] == "depth"
    error(client.get("/neighbours", params={"id": CL_363, "direction": "up"}), 422)
    error(client.get("/neighbours", params={"id": "concept:none"}), 404, "not_found")
    error(client.get("/neighbours"), 422)
    with TestClient(create_app(make_settings(tmp_path, max_depth=1), loaded)) as capped:
        body = error(capped.get("/neighbours", params={"id": CL_363, "depth": 2}), 422)
        assert body["detail"][0]["field"] == "depth"


# -- paths, search, provenance ---------------------------------------------------------------
def test_paths(client: TestClient) -> None:
    found = ok(client, "/paths", schemas.PathsOut, source=S1, target=CRC_34)
    assert found.paths and all(p.length == found.paths[0].length for p in found.paths)
    first = found.paths[0]
    assert first.nodes[0].id == S1 and first.nodes[-1].id == CRC_34
    assert len(first.relationships) == first.length == len(first.nodes) - 1
    only_mentions = ok(client, "/paths", schemas.PathsOut, source=S1, target=CL_363,
                       rel_type="MENTIONS")
    for path in only_mentions.paths:
        assert {r.type.value for r in path.relationships} == {"MENTIONS"}
    directed = ok(client, "/paths", schemas.PathsOut, source=CRC, target=OPSC, directed=True)
    assert directed.paths == []
    error(client.get("/paths", params={"source": S1, "target": "work:none"}), 404)
    error(client.get("/paths", params={"source": S1, "target": CRC, "max_length": 99}), 422)


def test_search_ranked_and_paginated(client: TestClient) -> None:
    result = ok(client, "/search", schemas.SearchPage, q="Convention Rights Child")
    assert result.items[0].node.id == CRC
    alias = ok(client, "/search", schemas.SearchPage, q="CNSA")
    assert [h.node.id for h in alias.items] == [UNRESOLVED]
    chinese = ok(client, "/search", schemas.SearchPage, q="刑法")
    assert [h.node.id for h in chinese.items] == [CL]
    everything = ok(client, "/search", schemas.SearchPage, q="article", limit=100)
    assert len(everything.items) >= 5
    scores = [h.score for h in everything.items]
    assert scores == sorted(scores, reverse=True)
    first = ok(client, "/search", schemas.SearchPage, q="article", limit=2)
    assert first.next_cursor is not None
    second = ok(client, "/search", schemas.SearchPage, q="article", limit=2,
                cursor=first.next_cursor)
    assert [h.node.id for h in first.items + second.items] == [
        h.node.id for h in everything.items[:4]]
    typed = ok(client, "/search", schemas.SearchPage, q="article", node_type="Instrument")
    assert all(h.node.type.value == "Instrument" for h in typed.items)
    body = error(client.get("/search", params={"q": ""}), 422)
    assert body["detail"][0]["field"] == "q"


def test_search_refuses_queries_without_words(client: TestClient) -> None:
    for blank in ("  ", "*", "?!", "\u3000"):
        body = error(client.get("/search", params={"q": blank}), 422, "invalid_parameter")
        assert body["detail"][0]["field"] == "q", blank
    assert ok(client, "/search", schemas.SearchPage, q="*CNSA*").items


def test_cursors_are_bound_to_their_endpoint_and_query(client: TestClient) -> None:
    ranking = ok(client, "/analytics/ranking", schemas.RankingPage, limit=1)
    searched = ok(client, "/search", schemas.SearchPage, q="article", limit=1)
    assert ranking.next_cursor is not None and searched.next_cursor is not None
    refused = [
        ("/search", {"q": "article", "cursor": ranking.next_cursor}),
        ("/search", {"q": "convention", "cursor": searched.next_cursor}),
        ("/search", {"q": "article", "node_type": "Article", "cursor": searched.next_cursor}),
        ("/analytics/ranking", {"by": "in_degree", "cursor": ranking.next_cursor}),
        ("/analytics/co-citation", {"cursor": ranking.next_cursor}),
        ("/search", {"q": "article", "cursor": encode_offset_cursor(1)}),
    ]
    for url, params in refused:
        body = error(client.get(url, params=params), 422, "invalid_parameter")
        assert body["detail"][0]["field"] == "cursor", (url, params)
    # The page size may change between pages; the parameters' order does not matter.
    ok(client, "/search", schemas.SearchPage, q="article", limit=3,
       cursor=searched.next_cursor)
    typed = ok(client, "/search", schemas.SearchPage, q="article", node_type=["Article", "Work"],
               limit=1)
    assert typed.next_cursor is not None
    response = client.get("/search", params=[("node_type", "Work"), ("q", "article"),
                                             ("node_type", "Article"),
                                             ("cursor", typed.next_cursor)])
    assert response.status_code == 200, response.text


def test_provenance_of_an_edge(client: TestClient) -> None:
    found = ok(client, "/provenance", schemas.ProvenancePage, source=INTERP_1,
               type="INTERPRETS", target=CL_363)
    assert len(found.items) == 1
    edge = found.items[0]
    assert edge.provenance.document == INTERP
    assert edge.provenance.locator == "art_1" and edge.provenance.method == "pattern"
    assert "363" in edge.provenance.quote
    assert found.documents[INTERP].startswith("Interpretation")
    keyed = ok(client, "/provenance", schemas.ProvenancePage, source=INTERP_1,
               type="INTERPRETS", target=CL_363, key=edge.key)
    assert keyed.items == found.items
    error(client.get("/provenance", params={"source": INTERP_1, "type": "INTERPRETS",
                                            "target": CL_363, "key": "nope"}), 404)
    error(client.get("/provenance", params={"source": CL_363, "type": "INTERPRETS",
                                            "target": INTERP_1}), 404)
    body = error(client.get("/provenance", params={"source": INTERP_1, "type": "LIKES",
                                                   "target": CL_363}), 422)
    assert body["detail"][0]["field"] == "type"


# -- influence and analytics -----------------------------------------------------------------
def test_influence_trace_of_a_treaty(client: TestClient) -> None:
    trace = ok(client, "/influence", schemas.InfluenceOut, id=CRC)
    by_id = {e.node.id: e for e in trace.entries}
    assert by_id[CRC].hop == 0 and by_id[CRC].via is None
    assert by_id[CRC_34].hop == 0 and by_id[CRC_34].via.value == "HAS_ARTICLE"  # type: ignore[union-attr]
    assert by_id[OPSC].hop == 1 and by_id[OPSC].via.value == "SUPPLEMENTS"  # type: ignore[union-attr]
    assert by_id[S1].hop == 1 and by_id[S21].hop == 1
    assert CL not in by_id and SMITH not in by_id
    assert set(trace.hops["0"]) == {CRC, CRC_34}
    years = [t.year for t in trace.timeline]
    dated = [y for y in years if y is not None]
    assert dated == sorted(dated) and dated[0] == 1989
    assert {e.year for e in trace.entries if e.node.id == S1} == {2021}
    edge_types = {r.type.value for r in trace.relationships}
    assert {"SUPPLEMENTS", "MENTIONS"} <= edge_types


def test_influence_trace_of_an_article_and_errors(client: TestClient) -> None:
    trace = ok(client, "/influence", schemas.InfluenceOut, id=CL_363, max_hops=1)
    by_id = {e.node.id: e for e in trace.entries}
    assert by_id[INTERP_1].via.value == "INTERPRETS"  # type: ignore[union-attr]
    assert by_id[CL_364].via.value == "REFERS_TO"  # type: ignore[union-attr]
    assert max(e.hop for e in trace.entries) == 1
    deeper = ok(client, "/influence", schemas.InfluenceOut, id=CL_363, max_hops=3)
    assert len(deeper.entries) >= len(trace.entries)
    error(client.get("/influence", params={"id": "instrument:/none"}), 404)
    body = error(client.get("/influence", params={"id": CRC, "max_hops": 0}), 422)
    assert body["detail"][0]["field"] == "max_hops"


def test_influence_of_a_statute_lists_downstream_not_only_its_articles(
        client: TestClient) -> None:
    trace = ok(client, "/influence", schemas.InfluenceOut, id=CL, limit=3)
    by_id = {e.node.id: e for e in trace.entries}
    assert set(trace.hops["0"]) == {CL, CL_363}  # the idle articles are only counted
    assert trace.omitted_parts == 2
    assert len(trace.hops["1"]) == 2 and trace.truncated
    full = ok(client, "/influence", schemas.InfluenceOut, id=CL)
    by_id = {e.node.id: e for e in full.entries}
    assert by_id[INTERP_1].via.value == "INTERPRETS" and by_id[INTERP_1].hop == 1  # type: ignore[union-attr]
    assert by_id[S2].via.value == "MENTIONS" and by_id[PAPER].hop == 1  # type: ignore[union-attr]
    assert not full.truncated and {t.year for t in full.timeline} >= {1997, 2010}


def test_ranking(client: TestClient) -> None:
    ranked = ok(client, "/analytics/ranking", schemas.RankingPage, limit=100)
    scores = [r.score for r in ranked.items]
    assert scores == sorted(scores, reverse=True)
    assert {ranked.items[0].node.id, ranked.items[1].node.id} == {SMITH, DOI}
    assert abs(sum(scores) - 1.0) < 1e-6
    by_degree = ok(client, "/analytics/ranking", schemas.RankingPage, by="in_degree",
                   limit=100)
    degrees = [r.in_degree for r in by_degree.items]
    assert degrees == sorted(degrees, reverse=True) and degrees[0] == 3
    works = ok(client, "/analytics/ranking", schemas.RankingPage, node_type="Work")
    assert {r.node.type.value for r in works.items} == {"Work"}
    page1 = ok(client, "/analytics/ranking", schemas.RankingPage, limit=2)
    page2 = ok(client, "/analytics/ranking", schemas.RankingPage, limit=2,
               cursor=page1.next_cursor)
    assert [r.node.id for r in page1.items + page2.items] == [
        r.node.id for r in ranked.items[:4]]
    error(client.get("/analytics/ranking", params={"by": "fame"}), 422)


def test_pairs(client: TestClient) -> None:
    cocited = ok(client, "/analytics/co-citation", schemas.PairPage)
    top = cocited.items[0]
    assert (top.a.id, top.b.id, top.weight) == (SMITH, DOI, 2)
    assert set(top.evidence) == {PAPER, OTHER}  # section 1 counts for its paper
    coupled = ok(client, "/analytics/coupling", schemas.PairPage)
    assert [(p.a.id, p.b.id, p.weight) for p in coupled.items] == [(OTHER, PAPER, 2)]
    assert set(coupled.items[0].evidence) == {SMITH, DOI}
    comention = ok(client, "/analytics/co-mention", schemas.PairPage)
    pairs = {(p.a.id, p.b.id): p for p in comention.items}
    assert pairs[(CRC, OPSC)].evidence == [S1]
    assert (CL, CRC) in pairs  # via Article 363 and Article 34 in section 2.1
    articles = ok(client, "/analytics/co-mention", schemas.PairPage, node_type="Article",
                  roll_up_articles=False)
    assert [(p.a.id, p.b.id) for p in articles.items] == [(CL_363, CRC_34)]
    strong = ok(client, "/analytics/co-citation", schemas.PairPage, min_weight=2)
    assert [p.weight for p in strong.items] == [2]
    error(client.get("/analytics/co-citation", params={"min_weight": 0}), 422)


def test_jurisdiction_concept_matrix(client: TestClient) -> None:
    matrix = ok(client, "/analytics/jurisdiction-concept", schemas.MatrixOut)
    cells = {(c.jurisdiction, c.concept): c for c in matrix.cells}
    assert CL_363 in cells[(CN, CSAM)].evidence
    assert CL in cells[(CN, CSAM)].instruments
    assert cells[(CN, AGE)].evidence == [CL_17_1]
    assert {j.id for j in matrix.jurisdictions} >= {CN}
    assert {c.id for c in matrix.concepts} == {AGE, CSAM, "concept:possession"}
    assert matrix.signed_only == []


def test_jurisdiction_concept_matrix_keeps_signatures_apart(client: TestClient,
                                                           loaded: GraphStore) -> None:
    from citegraph.model import GraphBatch, Node, NodeType, Provenance, Relationship, RelType

    us = "jurisdiction:US"
    loaded.write(GraphBatch.of("catalog", [Node(us, NodeType.JURISDICTION, "United States")],
                               [Relationship(us, CRC, RelType.SIGNED, Provenance("catalog"))]))
    matrix = ok(client, "/analytics/jurisdiction-concept", schemas.MatrixOut)
    assert us not in {c.jurisdiction for c in matrix.cells}
    assert [(c.jurisdiction, c.concept, c.instruments) for c in matrix.signed_only] == [
        (us, CSAM, [CRC])]
    assert us in {j.id for j in matrix.jurisdictions}


# -- export ----------------------------------------------------------------------------------
def test_export_json_whole_and_deterministic(client: TestClient) -> None:
    first = client.get("/export")
    assert first.status_code == 200 and "attachment" in first.headers["content-disposition"]
    assert first.content == client.get("/export", params={"format": "json"}).content
    data = first.json()
    assert len(data["nodes"]) == len(NODES) and len(data["edges"]) == len(RELATIONSHIPS)
    assert [n["id"] for n in data["nodes"]] == sorted(n.id for n in NODES)


def test_export_subgraphs_and_formats(client: TestClient) -> None:
    import io

    import networkx as nx

    by_ids = client.get("/export", params={"ids": [CL, CL_363]}).json()
    assert {n["id"] for n in by_ids["nodes"]} == {CL, CL_363}
    assert [(e["source"], e["type"]) for e in by_ids["edges"]] == [(CL, "HAS_ARTICLE")]
    ego = client.get("/export", params={"ego": CL_363, "depth": 1,
                                        "rel_type": "INTERPRETS"}).json()
    assert {n["id"] for n in ego["nodes"]} == {CL_363, INTERP_1}
    graphml = client.get("/export", params={"format": "graphml"})
    assert graphml.headers["content-type"].startswith("application/graphml+xml")
    graph = nx.read_graphml(io.BytesIO(graphml.content))
    assert graph.number_of_nodes() == len(NODES)
    assert graph.number_of_edges() == len(RELATIONSHIPS)
    gexf = client.get("/export", params={"format": "gexf", "ego": CRC})
    assert gexf.headers["content-type"].startswith("application/gexf+xml")
    assert nx.read_gexf(io.BytesIO(gexf.content)).number_of_nodes() >= 2
    error(client.get("/export", params={"format": "csv"}), 422)
    error(client.get("/export", params={"ego": "concept:missing"}), 404)
    body = error(client.get("/export", params={"ego": CRC, "ids": [CRC]}), 422)
    assert body["detail"][0]["field"] == "ego"


def test_export_names_unknown_ids(client: TestClient) -> None:
    body = error(client.get("/export", params={"ids": [CL, "concept:missing", "nope:x"]}),
                 404, "not_found")
    assert "concept:missing" in body["message"] and "nope:x" in body["message"]
    assert CL not in body["message"]


def test_export_says_when_the_cap_cut_an_ego_network(loaded: GraphStore,
                                                     tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(tmp_path, max_results=2), loaded)) as small:
        cut = small.get("/export", params={"format": "graphml", "ego": CL, "depth": 1})
        assert cut.status_code == 200
        assert cut.headers["X-Citegraph-Truncated"] == "true"
        assert cut.headers["X-Citegraph-Omitted-Nodes"] == "3"  # of 3 articles and CN
        whole = small.get("/export", params={"ego": INTERP_1, "depth": 1,
                                             "rel_type": "INTERPRETS"})
        assert whole.headers["X-Citegraph-Truncated"] == "false"
        assert "X-Citegraph-Omitted-Nodes" not in whole.headers
    spec = small.get("/openapi.json").json()
    assert "X-Citegraph-Truncated" in spec["paths"]["/export"]["get"]["responses"]["200"][
        "headers"]


# -- cursor, OpenAPI -------------------------------------------------------------------------
def test_openapi_documents_every_route_and_the_error_shape(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/health", "/stats", "/node", "/nodes", "/nodes/{node_id}", "/neighbours",
            "/paths", "/search", "/provenance", "/influence", "/analytics/ranking",
            "/analytics/co-citation", "/analytics/coupling", "/analytics/co-mention",
            "/analytics/jurisdiction-concept", "/export", "/ingest", "/cypher"} <= paths
    neighbours = spec["paths"]["/neighbours"]["get"]
    assert neighbours["responses"]["422"]["content"]["application/json"]["schema"][
        "$ref"].endswith("/ErrorResponse")
    assert "token" in spec["components"]["securitySchemes"]


# -- caching ---------------------------------------------------------------------------------
def test_answers_follow_writes(client: TestClient, loaded: GraphStore) -> None:
    from citegraph.model import GraphBatch, Node, NodeType, Provenance, Relationship, RelType

    before = ok(client, "/neighbours", schemas.SubgraphOut, id=CL_363)
    assert ok(client, "/neighbours", schemas.SubgraphOut, id=CL_363) == before
    new = Node("concept:dissemination", NodeType.CONCEPT, "dissemination")
    loaded.write(GraphBatch.of("later", [new], [
        Relationship(CL_363, new.id, RelType.ADDRESSES, Provenance("later", "art_363"))]))
    after = ok(client, "/neighbours", schemas.SubgraphOut, id=CL_363)
    assert {n.id for n in after.nodes} == {n.id for n in before.nodes} | {new.id}
    detail = ok(client, "/node", schemas.NodeDetail, id=new.id)
    assert detail.relationships[0].source == CL_363


def test_response_cache_is_bounded() -> None:
    from api.deps import ResponseCache

    cache = ResponseCache(max_entries=2, max_bytes=800)
    cache.put(b"a", 1, b"x" * 10)
    cache.put(b"b", 1, b"y" * 10)
    assert cache.get(b"a", 1) == b"x" * 10
    cache.put(b"c", 1, b"z" * 10)  # evicts b, the least recently used
    assert cache.get(b"b", 1) is None and cache.get(b"a", 1) is not None
    assert cache.get(b"a", 2) is None  # another version is never served
    cache.put(b"d", 1, b"w" * 500)  # larger than an eighth of the budget: not kept
    assert cache.get(b"d", 1) is None
