"""Export the whole graph or a subgraph as node-link JSON, GraphML or GEXF (streamed)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from api.deps import SettingsDep, StoreDep, call_with_timeout
from api.errors import error_responses
from api.routes.nodes import RelTypes, invalid
from citegraph import export
from citegraph.model import Node, Relationship
from citegraph.stores.base import MAX_DEPTH, Direction, GraphStore

router = APIRouter(tags=["export"])

Format = Literal["json", "graphml", "gexf"]
MEDIA_TYPES = {"json": "application/json", "graphml": "application/graphml+xml",
               "gexf": "application/gexf+xml"}
CHUNK_BYTES = 256 * 1024
SUFFIXES = {"json": "json", "graphml": "graphml", "gexf": "gexf"}


class ExportGraph(BaseModel):
    """Canonical node-link JSON: nodes sorted by id, edges by (source, type, target, key).

    Each node is flat (``id``, ``type``, ``label`` and its properties); each edge is flat
    (``source``, ``target``, ``type``, ``key``, provenance fields and properties).
    """

    directed: bool
    multigraph: bool
    graph: dict[str, Any]
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]


def _select(store: GraphStore, ids: list[str] | None, ego: str | None, depth: int,
            direction: Direction, rel_types: Any,
            max_nodes: int) -> tuple[list[Node], list[Relationship]]:
    """The nodes and relationships to export."""
    if ids:
        sub = store.subgraph(ids)
        return list(sub.nodes), list(sub.relationships)
    if ego is not None:
        sub = store.neighbours(ego, depth=depth, direction=direction, rel_types=rel_types,
                               limit=max_nodes)
        return list(sub.nodes), list(sub.relationships)
    return list(store.iter_nodes()), list(store.iter_relationships())


def _prepare(store: GraphStore, fmt: str, ids: list[str] | None, ego: str | None, depth: int,
             direction: Direction, rel_types: Any, max_nodes: int) -> Iterator[bytes]:
    """Select and render up front (errors surface before the response starts).

    JSON is streamed item by item from sorted lists; the XML writers build the whole
    document, which is then sent in chunks.
    """
    nodes, rels = _select(store, ids, ego, depth, direction, rel_types, max_nodes)
    if fmt == "graphml":
        return iter(list(_rechunk(export.iter_graphml(nodes, rels))))
    if fmt == "gexf":
        return iter(list(_rechunk(export.iter_gexf(nodes, rels))))
    return _rechunk(export.iter_export_json(nodes, rels))


def _rechunk(pieces: Iterable[bytes], size: int = CHUNK_BYTES) -> Iterator[bytes]:
    """Regroup small pieces into chunks of about ``size`` bytes.

    The server iterates a sync body in a worker thread, one hop per item: thousands of
    XML lines as separate items would cost seconds.
    """
    buffer: list[bytes] = []
    filled = 0
    for piece in pieces:
        buffer.append(piece)
        filled += len(piece)
        if filled >= size:
            yield b"".join(buffer)
            buffer, filled = [], 0
    if buffer:
        yield b"".join(buffer)


@router.get(
    "/export",
    response_model=ExportGraph,
    responses={200: {"content": {"application/graphml+xml": {"schema": {"type": "string"}},
                                 "application/gexf+xml": {"schema": {"type": "string"}}},
                     "description": "The graph in the requested format"},
               **error_responses(404, 422, 503, 504)},
)
async def export_graph(
    store: StoreDep, settings: SettingsDep,
    format: Annotated[Format, Query(description="json (node-link), graphml or gexf")] = "json",
    ids: Annotated[list[str] | None, Query(max_length=5000,
                                           description="Export only these nodes")] = None,
    ego: Annotated[str | None, Query(min_length=1, max_length=2048,
                                     description="Export the neighbourhood of this node")] = None,
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="Hops around `ego`")] = 1,
    direction: Direction = Direction.BOTH,
    rel_type: RelTypes = None,
) -> StreamingResponse:
    """The whole graph, the nodes ``ids`` and the edges among them, or the ego network."""
    if ids and ego is not None:
        raise invalid("ego", "give either ids or ego, not both")
    if depth > settings.max_depth:
        raise invalid("depth", f"depth is capped at {settings.max_depth}")
    chunks = await call_with_timeout(settings, _prepare, store, format, ids, ego, depth,
                                     direction, rel_type, settings.max_results)
    name = f"citegraph.{SUFFIXES[format]}"
    return StreamingResponse(chunks, media_type=MEDIA_TYPES[format],
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})
