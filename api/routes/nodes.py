"""Nodes: one node with its relationships, filtered lists, neighbourhoods.

Node ids contain ``/``, ``:`` and ``#``, so they travel as the query parameter ``id``
(URL-encoded) or as the rest of the path in ``/nodes/{node_id}`` (``#`` encoded as ``%23``).
"""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import StringConstraints
from starlette.responses import Response

from api.deps import SettingsDep, StoreDep, cached
from api.errors import error_responses
from api.pagination import (
    decode_key_cursor,
    decode_offset_cursor,
    encode_key_cursor,
    encode_offset_cursor,
    scope_of,
)
from api.schemas import (
    JSONBytes,
    NodeDetail,
    NodePage,
    SubgraphOut,
    node_json,
    rels_json,
    subgraph_bytes,
)
from citegraph.analytics import own_year
from citegraph.model import Node, NodeType, RelType
from citegraph.queries import RelGroup, node_relationships
from citegraph.settings import Settings
from citegraph.stores.base import MAX_DEPTH, MAX_RESULT_NODES, Direction
from citegraph.stores.gateway import AsyncStore

router = APIRouter(tags=["nodes"])

#: How many store pages a year-range listing scans before returning a partial page.
MAX_SCAN_PAGES = 50
SCAN_PAGE = 500

NodeId = Annotated[str, Query(min_length=1, max_length=2048, description="Node id")]
Limit = Annotated[int, Query(ge=1, le=MAX_RESULT_NODES,
                             description="Page size (capped by the server's max_results)")]
PropFilter = Annotated[str, StringConstraints(pattern=r"^[^:]+:", max_length=500)]
CursorParam = Annotated[str | None, Query(max_length=4200, pattern=r"^[A-Za-z0-9_-]+$",
                                          description="`next_cursor` of the previous page")]
NodeTypes = Annotated[list[NodeType] | None, Query(description="Keep only these node types")]
RelTypes = Annotated[list[RelType] | None,
                     Query(description="Follow only these relationship types")]


def invalid(field: str, message: str) -> RequestValidationError:
    """A 422 naming a query field."""
    return RequestValidationError([{"loc": ("query", field), "msg": message,
                                    "type": "value_error"}])


def group_json(group: RelGroup) -> dict[str, object]:
    """The :class:`RelGroupOut` shape of a group."""
    return {"type": group.type.value, "direction": group.direction.value,
            "count": group.count, "capped": group.capped}


async def _detail(request: Request, store: AsyncStore, settings: Settings, node_id: str,
                  direction: Direction, rel_types: list[RelType] | None, cursor: str | None,
                  limit: int) -> Response:
    scope = scope_of(request)
    offset = decode_offset_cursor(cursor, scope)
    limit = min(limit, settings.max_results)

    async def compute() -> bytes:
        node = await store.get_node(node_id)
        found = await store.quick(lambda s: node_relationships(
            s, node_id, direction=direction, rel_types=rel_types))
        shown = found.relationships[offset:offset + limit]
        more = len(found.relationships) > offset + limit
        return orjson.dumps({
            "node": node_json(node), "summary": [group_json(g) for g in found.groups],
            "relationships": rels_json(shown),
            "truncated": more or not found.complete,
            "next_cursor": encode_offset_cursor(offset + limit, scope) if more else None})

    return await cached(request, store, compute)


RelDirection = Annotated[Direction, Query(
    description="Relationships starting at the node (out), ending at it (in), or both")]
RelLimit = Annotated[int, Query(ge=1, le=MAX_RESULT_NODES,
                                description="Relationships per page (capped by the "
                                            "server's max_results)")]


@router.get("/node", response_model=NodeDetail, responses=error_responses(404, 422, 503))
async def get_node(request: Request, store: StoreDep, settings: SettingsDep,
                   id: NodeId, rel_type: RelTypes = None,
                   direction: RelDirection = Direction.BOTH, cursor: CursorParam = None,
                   limit: RelLimit = 100) -> Response:
    """One node, its properties, and the relationships touching it with their provenance.

    ``summary`` counts every type and direction of relationship; ``relationships`` is
    one page of those matching ``rel_type`` and ``direction``, taken in turn from each
    type and direction (the first page shows every kind, however many articles a statute
    has); filter by type and direction to page through one kind.
    """
    return await _detail(request, store, settings, id, direction, rel_type, cursor, limit)


@router.get("/nodes/{node_id:path}", response_model=NodeDetail,
            responses=error_responses(404, 422, 503))
async def get_node_by_path(
    request: Request, store: StoreDep, settings: SettingsDep,
    node_id: Annotated[str, Path(min_length=1, max_length=2048,
                                 description="Node id; encode '#' as %23")],
    rel_type: RelTypes = None, direction: RelDirection = Direction.BOTH,
    cursor: CursorParam = None, limit: RelLimit = 100,
) -> Response:
    """Same as ``GET /node?id=``, with the id as the rest of the path."""
    return await _detail(request, store, settings, node_id, direction, rel_type, cursor,
                         limit)


def _year_ok(node: Node, year_min: int | None, year_max: int | None) -> bool:
    if year_min is None and year_max is None:
        return True
    year = own_year(node)
    return year is not None and (year_min is None or year >= year_min) and (
        year_max is None or year <= year_max)


@router.get("/nodes", response_model=NodePage, responses=error_responses(422, 503))
async def list_nodes(
    store: StoreDep, settings: SettingsDep,
    type: Annotated[NodeType | None, Query(description="Node type")] = None,
    kind: Annotated[str | None, Query(max_length=200,
                                      description="`kind` property, e.g. treaty")] = None,
    jurisdiction: Annotated[str | None, Query(max_length=200,
                                              description="`jurisdiction` property")] = None,
    status: Annotated[str | None, Query(max_length=200,
                                        description="`status`, e.g. unresolved")] = None,
    year_min: Annotated[int | None, Query(ge=0, le=9999, description="Earliest year")] = None,
    year_max: Annotated[int | None, Query(ge=0, le=9999, description="Latest year")] = None,
    prop: Annotated[list[PropFilter] | None, Query(
        max_length=20, description="More equality filters as `name:value` (string values)",
    )] = None,
    cursor: CursorParam = None,
    limit: Limit = 100,
) -> Response:
    """Nodes sorted by id, filtered by type and properties, one page at a time."""
    if year_min is not None and year_max is not None and year_min > year_max:
        raise invalid("year_min", "year_min is after year_max")
    filters: dict[str, str] = {}
    for name, value in (("kind", kind), ("jurisdiction", jurisdiction), ("status", status)):
        if value is not None:
            filters[name] = value
    for item in prop or []:
        name, sep, value = item.partition(":")
        if not sep or not name:
            raise invalid("prop", f"expected name:value, got {item!r}")
        filters[name] = value
    limit = min(limit, settings.max_results)
    after = decode_key_cursor(cursor)
    if year_min is None and year_max is None:
        nodes = await store.list_nodes(node_type=type, filters=filters or None,
                                       after=after, limit=limit + 1)
        resume = nodes[limit - 1].id if len(nodes) > limit else None
        nodes = nodes[:limit]
    else:
        nodes, resume = await _scan_years(store, type, filters, after, limit, year_min,
                                          year_max)
    next_cursor = encode_key_cursor(resume) if resume is not None else None
    return JSONBytes({"items": [node_json(n) for n in nodes], "next_cursor": next_cursor})


async def _scan_years(store: AsyncStore, node_type: NodeType | None, filters: dict[str, str],
                      after: str | None, limit: int, year_min: int | None,
                      year_max: int | None) -> tuple[list[Node], str | None]:
    """Scan store pages keeping nodes in the year range; return them and where to resume.

    Bounded: after :data:`MAX_SCAN_PAGES` pages it returns a short (even empty) page whose
    cursor resumes after the last node scanned.
    """
    found: list[Node] = []
    for _ in range(MAX_SCAN_PAGES):
        batch = await store.list_nodes(node_type=node_type, filters=filters or None,
                                       after=after, limit=SCAN_PAGE)
        for node in batch:
            if _year_ok(node, year_min, year_max):
                if len(found) == limit:
                    return found, found[-1].id
                found.append(node)
        if len(batch) < SCAN_PAGE:
            return found, None
        after = batch[-1].id
    return found, after


@router.get("/neighbours", response_model=SubgraphOut, responses=error_responses(404, 422, 503))
async def neighbours(
    request: Request, store: StoreDep, settings: SettingsDep, id: NodeId,
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="Hops, 1 to 3")] = 1,
    direction: Annotated[Direction, Query(description="Follow edges out, in or both")] = (
        Direction.BOTH),
    node_type: NodeTypes = None,
    rel_type: RelTypes = None,
    limit: Limit = 500,
) -> Response:
    """The node and everything within ``depth`` hops, filtered by node and relationship type."""
    if depth > settings.max_depth:
        raise invalid("depth", f"depth is capped at {settings.max_depth}")

    async def compute() -> bytes:
        sub = await store.neighbours(id, depth=depth, direction=direction,
                                     node_types=node_type, rel_types=rel_type,
                                     limit=min(limit, settings.max_results))
        return subgraph_bytes(sub, cache=store.capabilities.stable_values)

    return await cached(request, store, compute)
