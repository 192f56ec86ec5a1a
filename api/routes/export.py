"""Export the whole graph or a subgraph as node-link JSON, GraphML or GEXF (streamed)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from api.deps import SettingsDep, StoreDep
from api.errors import error_responses
from api.routes.nodes import RelTypes, invalid
from citegraph import export
from citegraph.errors import NodeNotFoundError
from citegraph.model import Node, Relationship
from citegraph.stores.base import MAX_DEPTH, MAX_RESULT_NODES, Direction, GraphStore

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


#: Response headers that say whether an ego export was cut by the server's cap.
TRUNCATED_HEADER = "X-Citegraph-Truncated"
OMITTED_HEADER = "X-Citegraph-Omitted-Nodes"
#: How many unknown ids a 404 names at most.
MAX_NAMED_IDS = 10


@dataclass(frozen=True, slots=True)
class Selection:
    """What an export holds, and how many nodes the cap left out (0 when complete)."""

    nodes: list[Node]
    relationships: list[Relationship]
    omitted: int = 0


def _missing(ids: list[str], found: set[str]) -> None:
    """Raise a 404 naming the requested ids that are not in the graph."""
    unknown = [i for i in dict.fromkeys(ids) if i not in found]
    if unknown:
        named = ", ".join(repr(i) for i in unknown[:MAX_NAMED_IDS])
        more = f" and {len(unknown) - MAX_NAMED_IDS} more" if len(unknown) > MAX_NAMED_IDS else ""
        raise NodeNotFoundError(f"no node with id {named}{more}")


def _select(store: GraphStore, ids: list[str] | None, ego: str | None, depth: int,
            direction: Direction, rel_types: Any, max_nodes: int) -> Selection:
    """The nodes and relationships to export.

    Unknown ``ids`` are a :class:`NodeNotFoundError` naming them. An ego network cut by
    ``max_nodes`` reports how many nodes were left out: counted with a second walk up to
    the store's hard cap (so a lower bound beyond it).
    """
    if ids:
        sub = store.subgraph(ids)
        _missing(ids, {n.id for n in sub.nodes})
        return Selection(list(sub.nodes), list(sub.relationships))
    if ego is not None:
        sub = store.neighbours(ego, depth=depth, direction=direction, rel_types=rel_types,
                               limit=max_nodes)
        omitted = 0
        if sub.truncated:
            wider = store.neighbours(ego, depth=depth, direction=direction,
                                     rel_types=rel_types, limit=MAX_RESULT_NODES)
            omitted = max(1, len(wider.nodes) - len(sub.nodes))
        return Selection(list(sub.nodes), list(sub.relationships), omitted)
    return Selection(list(store.iter_nodes()), list(store.iter_relationships()))


def _prepare(store: GraphStore, fmt: str, ids: list[str] | None, ego: str | None, depth: int,
             direction: Direction, rel_types: Any,
             max_nodes: int) -> tuple[Iterator[bytes], int]:
    """Select and render up front (errors surface before the response starts).

    JSON is streamed item by item from sorted lists; the XML writers build the whole
    document, which is then sent in chunks. Returns the chunks and the omitted count.
    """
    chosen = _select(store, ids, ego, depth, direction, rel_types, max_nodes)
    nodes, rels = chosen.nodes, chosen.relationships
    if fmt == "graphml":
        return iter(list(_rechunk(export.iter_graphml(nodes, rels)))), chosen.omitted
    if fmt == "gexf":
        return iter(list(_rechunk(export.iter_gexf(nodes, rels)))), chosen.omitted
    return _rechunk(export.iter_export_json(nodes, rels)), chosen.omitted


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
                     "description": "The graph in the requested format",
                     "headers": {
                         TRUNCATED_HEADER: {
                             "description": "`true` when the server's max_results cut an "
                                            "ego export (the others are never cut)",
                             "schema": {"type": "string", "enum": ["true", "false"]}},
                         OMITTED_HEADER: {
                             "description": "How many nodes a cut ego export left out (a "
                                            "lower bound past the server's hard cap); only "
                                            "sent when truncated",
                             "schema": {"type": "integer", "minimum": 1}}}},
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
    """The whole graph, the nodes ``ids`` and the edges among them, or the ego network.

    An unknown id in ``ids`` (or an unknown ``ego``) is a 404 naming it. An ego network
    larger than the server's ``max_results`` is cut: the response then carries
    ``X-Citegraph-Truncated: true`` and ``X-Citegraph-Omitted-Nodes`` (how many nodes
    were left out); otherwise ``X-Citegraph-Truncated: false``.
    """
    if ids and ego is not None:
        raise invalid("ego", "give either ids or ego, not both")
    if depth > settings.max_depth:
        raise invalid("depth", f"depth is capped at {settings.max_depth}")
    cap = settings.max_results
    chunks, omitted = await store.compute(
        lambda s: _prepare(s, format, ids, ego, depth, direction, rel_type, cap))
    name = f"citegraph.{SUFFIXES[format]}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"',
               TRUNCATED_HEADER: "true" if omitted else "false"}
    if omitted:
        headers[OMITTED_HEADER] = str(omitted)
    return StreamingResponse(chunks, media_type=MEDIA_TYPES[format], headers=headers)
