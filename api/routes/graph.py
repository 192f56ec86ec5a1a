"""Graph queries: shortest paths, ranked search, edge provenance, influence traces."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api.deps import SettingsDep, StoreDep, cached
from api.errors import error_responses
from api.pagination import decode_offset_cursor, encode_offset_cursor, scope_of
from api.routes.nodes import CursorParam, NodeId, NodeTypes, RelTypes, invalid
from api.schemas import (
    InfluenceOut,
    JSONBytes,
    PathsOut,
    ProvenancePage,
    SearchPage,
    hit_json,
    node_json,
    path_json,
    rels_json,
)
from citegraph import analytics
from citegraph.citesearch import citation_search
from citegraph.errors import NodeNotFoundError
from citegraph.model import RelType
from citegraph.stores.base import MAX_PATH_LENGTH, MAX_PATHS, MAX_RESULT_NODES, GraphStore

router = APIRouter(tags=["graph"])

#: Hops an influence trace may follow at most.
MAX_TRACE_HOPS = 6


@router.get("/paths", response_model=PathsOut, responses=error_responses(404, 422, 503))
async def paths(
    request: Request, store: StoreDep,
    source: Annotated[str, Query(min_length=1, max_length=2048, description="Start node id")],
    target: Annotated[str, Query(min_length=1, max_length=2048, description="End node id")],
    rel_type: RelTypes = None,
    directed: Annotated[bool, Query(description="Follow edges only in their direction")] = False,
    max_length: Annotated[int, Query(ge=1, le=MAX_PATH_LENGTH)] = 6,
    limit: Annotated[int, Query(ge=1, le=MAX_PATHS, description="How many paths")] = 10,
) -> Response:
    """All shortest paths (up to ``limit``) between two nodes, optionally along some types."""
    async def compute() -> bytes:
        found = await store.shortest_paths(source, target, rel_types=rel_type,
                                           directed=directed, max_length=max_length,
                                           limit=limit)
        return orjson.dumps({"source": source, "target": target,
                             "paths": [path_json(p) for p in found]})

    return await cached(request, store, compute)


@router.get("/search", response_model=SearchPage, responses=error_responses(422, 503))
async def search(
    request: Request, store: StoreDep, settings: SettingsDep,
    q: Annotated[str, Query(min_length=1, max_length=500,
                            description="Words to look for (at least one letter or digit)")],
    node_type: NodeTypes = None,
    cursor: CursorParam = None,
    limit: Annotated[int, Query(ge=1, le=MAX_RESULT_NODES)] = 20,
) -> Response:
    """Nodes whose label, names or aliases contain every word of ``q``, best first.

    ``q`` must hold a letter or a digit (blank or punctuation-only queries are a 422).
    ``next_cursor`` continues this query only.
    """
    if not any(ch.isalnum() for ch in q):
        raise invalid("q", "the query has no letter or digit to search for")
    scope = scope_of(request)
    offset = decode_offset_cursor(cursor, scope)
    limit = min(limit, settings.max_results)

    async def compute() -> bytes:
        # In a thread and under the query timeout (a 200k-node search takes seconds).
        hits = await store.compute(lambda s: citation_search(
            s, q, node_types=node_type, limit=min(offset + limit + 1, MAX_RESULT_NODES)))
        more = len(hits) > offset + limit
        return orjson.dumps({
            "query": q, "items": [hit_json(h) for h in hits[offset:offset + limit]],
            "next_cursor": encode_offset_cursor(offset + limit, scope) if more else None})

    return await cached(request, store, compute)


def _documents(store: GraphStore, document_ids: set[str]) -> dict[str, str]:
    out = {}
    for doc in sorted(document_ids):
        node = store.find_node(doc) if doc else None
        if node is not None:
            out[doc] = node.label
    return out


@router.get("/provenance", response_model=ProvenancePage,
            responses=error_responses(404, 422, 503))
async def provenance(
    store: StoreDep,
    source: Annotated[str, Query(min_length=1, max_length=2048)],
    type: Annotated[RelType, Query(description="Relationship type")],
    target: Annotated[str, Query(min_length=1, max_length=2048)],
    key: Annotated[str | None, Query(max_length=4096, description="One edge of several")] = None,
) -> Response:
    """Where an edge comes from: its source document, locator, quoted sentence and span."""
    rels = await store.find_relationship(source, type, target, key)
    if not rels:
        raise NodeNotFoundError(f"no {type.value} relationship from {source!r} to {target!r}"
                                + (f" with key {key!r}" if key is not None else ""))
    documents = {r.provenance.document for r in rels}
    docs = await store.quick(lambda s: _documents(s, documents))
    return JSONBytes({"items": rels_json(rels), "documents": docs})


def _trace(store: GraphStore, root: str, max_hops: int, limit: int) -> dict[str, Any]:
    graph = analytics.projection_of(store)
    trace = analytics.influence_trace(graph, root, max_hops=max_hops, limit=limit)
    hops: dict[str, list[str]] = {}
    entries = []
    for entry in trace.entries:
        hops.setdefault(str(entry.hop), []).append(entry.id)
        entries.append({"node": node_json(graph.nodes[entry.id]["n"]), "hop": entry.hop,
                        "year": entry.year,
                        "via": entry.via.value if entry.via is not None else None,
                        "parent": entry.parent})
    return {"root": root, "max_hops": max_hops, "entries": entries, "hops": hops,
            "timeline": [{"year": y, "nodes": list(ids)} for y, ids in trace.timeline()],
            "relationships": rels_json(trace.relationships), "truncated": trace.truncated,
            "omitted_parts": trace.omitted_parts}


@router.get("/influence", response_model=InfluenceOut, responses=error_responses(404, 422, 503,
                                                                                 504))
async def influence(
    request: Request, store: StoreDep, settings: SettingsDep, id: NodeId,
    max_hops: Annotated[int, Query(ge=1, le=MAX_TRACE_HOPS)] = 3,
    limit: Annotated[int, Query(
        ge=1, le=MAX_RESULT_NODES,
        description="Nodes reached at most, the root included (capped by the server's "
                    "max_results); the articles they were reached through are added")] = 500,
) -> Response:
    """Everything downstream of an instrument or article, by hops, with a timeline.

    Follows SUPPLEMENTS, IMPLEMENTS, INTERPRETS, REFERS_TO, AMENDS, and the sections and
    works that MENTION or CITE, backwards into the node. An instrument's articles are
    part of it: what points into them is downstream of the instrument. They do not count
    against ``limit``; those something was reached through are listed (hop of their
    instrument, via HAS_ARTICLE), the others are only counted in ``omitted_parts``.
    """
    async def compute() -> bytes:
        cap = min(limit, settings.max_results)
        data = await store.compute(lambda s: _trace(s, id, max_hops, cap))
        return orjson.dumps(data)

    return await cached(request, store, compute)
