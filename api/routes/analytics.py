"""Analytics on a networkx projection: rankings, co-citation, coupling, co-mention, matrix."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

import networkx as nx
import orjson
from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api.deps import SettingsDep, StoreDep, cached
from api.errors import error_responses
from api.pagination import decode_offset_cursor, page, scope_of
from api.routes.nodes import CursorParam, NodeTypes
from api.schemas import MatrixOut, PairPage, RankingPage, node_json
from citegraph import analytics
from citegraph.model import NodeType
from citegraph.settings import Settings
from citegraph.stores.base import MAX_RESULT_NODES, GraphStore
from citegraph.stores.gateway import AsyncStore

router = APIRouter(prefix="/analytics", tags=["analytics"])

Cursor = CursorParam
Limit = Annotated[int, Query(ge=1, le=MAX_RESULT_NODES)]
MinWeight = Annotated[int, Query(ge=1, le=1_000_000, description="Smallest weight kept")]
ERRORS = error_responses(422, 503, 504)
Unresolved = Annotated[bool, Query(
    description="Keep unresolved placeholders (mentions that name nothing known)")]


def _node(graph: nx.MultiDiGraph, node_id: str) -> dict[str, Any]:
    return node_json(graph.nodes[node_id]["n"])


def _placeholder(graph: nx.MultiDiGraph, node_id: str) -> bool:
    return bool(graph.nodes[node_id]["n"].props.get("status") == "unresolved")


def _ranking(store: GraphStore, by: str, node_types: list[NodeType] | None, offset: int,
             limit: int, scope: str, unresolved: bool = True) -> dict[str, Any]:
    graph = analytics.projection_of(store)
    ranked = analytics.ranking(graph, node_types=node_types, by=by)
    if not unresolved:
        ranked = [r for r in ranked if not _placeholder(graph, r.id)]
    rows, next_cursor = page(ranked, offset, limit, scope)
    return {"by": by, "next_cursor": next_cursor,
            "items": [{"node": _node(graph, r.id),
                       "score": float(r.in_degree) if by == "in_degree" else r.score,
                       "in_degree": r.in_degree, "pagerank": r.score}
                      for r in rows]}


@router.get("/ranking", response_model=RankingPage, responses=ERRORS)
async def ranking(
    request: Request, store: StoreDep, settings: SettingsDep,
    by: Annotated[Literal["pagerank", "in_degree"], Query(description="Sort key")] = "pagerank",
    node_type: NodeTypes = None,
    cursor: Cursor = None,
    limit: Limit = 50,
    unresolved: Unresolved = True,
) -> Response:
    """PageRank and in-degree over citation and mention edges, best first; ``score`` is
    the sort key (``by``)."""
    scope = scope_of(request)
    offset = decode_offset_cursor(cursor, scope)

    cap = min(limit, settings.max_results)

    async def compute() -> bytes:
        return orjson.dumps(await store.compute(
            lambda s: _ranking(s, by, node_type, offset, cap, scope, unresolved)))

    return await cached(request, store, compute)


def _pairs(store: GraphStore, measure: str,
           compute: Callable[[nx.MultiDiGraph], list[analytics.Pair]], offset: int,
           limit: int, scope: str, unresolved: bool = True) -> dict[str, Any]:
    graph = analytics.projection_of(store)
    pairs = compute(graph)
    if not unresolved:
        pairs = [p for p in pairs if not (_placeholder(graph, p.a) or _placeholder(graph, p.b))]
    rows, next_cursor = page(pairs, offset, limit, scope)
    return {"measure": measure, "next_cursor": next_cursor,
            "items": [{"a": _node(graph, p.a), "b": _node(graph, p.b), "weight": p.weight,
                       "evidence": list(p.evidence)} for p in rows]}


@router.get("/co-citation", response_model=PairPage, responses=ERRORS)
async def co_citation(request: Request, store: StoreDep, settings: SettingsDep,
                      min_weight: MinWeight = 1, cursor: Cursor = None,
                      limit: Limit = 50, unresolved: Unresolved = True) -> Response:
    """Pairs of works cited by the same work (its sections count for it); evidence: the
    citing works."""
    return await _pair_page(request, store, settings, "co-citation", cursor, limit, unresolved,
                            lambda g: analytics.co_citation(g, min_weight=min_weight))


@router.get("/coupling", response_model=PairPage, responses=ERRORS)
async def coupling(request: Request, store: StoreDep, settings: SettingsDep,
                   min_weight: MinWeight = 1, cursor: Cursor = None,
                   limit: Limit = 50, unresolved: Unresolved = True) -> Response:
    """Bibliographic coupling: pairs of works citing the same works; evidence: shared ones."""
    return await _pair_page(request, store, settings, "coupling", cursor, limit, unresolved,
                            lambda g: analytics.bibliographic_coupling(g, min_weight=min_weight))


@router.get("/co-mention", response_model=PairPage, responses=ERRORS)
async def co_mention(
    request: Request, store: StoreDep, settings: SettingsDep,
    node_type: NodeTypes = None,
    roll_up_articles: Annotated[bool, Query(
        description="Count a mention of an article for its instrument")] = True,
    min_weight: MinWeight = 1, cursor: Cursor = None, limit: Limit = 50,
    unresolved: Unresolved = True,
) -> Response:
    """Pairs of instruments (or other types) mentioned in the same section."""
    types = tuple(node_type) if node_type else (NodeType.INSTRUMENT,)
    return await _pair_page(
        request, store, settings, "co-mention", cursor, limit, unresolved,
        lambda g: analytics.co_mention(g, node_types=types, roll_up_articles=roll_up_articles,
                                       min_weight=min_weight))


async def _pair_page(request: Request, store: AsyncStore, settings: Settings, name: str,
                     cursor: str | None, limit: int, unresolved: bool,
                     pairs_of: Callable[[nx.MultiDiGraph], list[analytics.Pair]]) -> Response:
    """One cached, time-limited page of a pair analysis (co-citation, coupling, co-mention)."""
    scope = scope_of(request)
    offset = decode_offset_cursor(cursor, scope)

    cap = min(limit, settings.max_results)

    async def compute() -> bytes:
        return orjson.dumps(await store.compute(
            lambda s: _pairs(s, name, pairs_of, offset, cap, scope, unresolved)))

    return await cached(request, store, compute)


def _matrix(store: GraphStore) -> dict[str, Any]:
    graph = analytics.projection_of(store)
    matrix = analytics.jurisdiction_concept_matrix(graph)
    return {"jurisdictions": [_node(graph, j) for j in matrix.jurisdictions],
            "concepts": [_node(graph, c) for c in matrix.concepts],
            "cells": [_cell(c) for c in matrix.cells],
            "signed_only": [_cell(c) for c in matrix.signed_only]}


def _cell(cell: analytics.MatrixCell) -> dict[str, Any]:
    return {"jurisdiction": cell.jurisdiction, "concept": cell.concept,
            "instruments": list(cell.instruments), "evidence": list(cell.evidence)}


@router.get("/jurisdiction-concept", response_model=MatrixOut, responses=ERRORS)
async def jurisdiction_concept(request: Request, store: StoreDep,
                               settings: SettingsDep) -> Response:
    """Which jurisdiction's instruments address which concept, with the articles as evidence.

    ``cells`` count only instruments that bind the jurisdiction (RATIFIED, ENACTED, or
    its own); instruments it only SIGNED are listed apart in ``signed_only``.
    """

    async def compute() -> bytes:
        return orjson.dumps(await store.compute(_matrix))

    return await cached(request, store, compute)
