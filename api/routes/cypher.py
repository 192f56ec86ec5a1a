"""Read-only Cypher (Neo4j store only, off unless ``CITEGRAPH_ENABLE_CYPHER`` is set).

It reads the whole graph, so it needs the bearer token, like writes. The store checks the
query's ``EXPLAIN`` plan (no loads, writes, administration commands or procedures off the
allow-list) and runs it in READ access mode with a timeout and a row cap; the server itself
refuses file URLs, does not load other procedures and caps each transaction's memory.
At most ``CYPHER_SLOTS`` queries run at once (429 above), so that a few expensive ones
cannot take the database's heap between them.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from fastapi import APIRouter, HTTPException, Request
from starlette.responses import Response

from api.deps import SettingsDep, StoreDep, TokenDep
from api.errors import error_responses
from api.schemas import CypherOut, CypherRequest
from citegraph.cypherplan import check_query_text

router = APIRouter(tags=["cypher"])

CYPHER_SLOTS = 2


def _slots(request: Request) -> asyncio.Semaphore:
    state = request.app.state
    if not hasattr(state, "cypher_slots"):
        state.cypher_slots = asyncio.Semaphore(CYPHER_SLOTS)
    slots: asyncio.Semaphore = state.cypher_slots
    return slots


@router.post("/cypher", response_model=CypherOut, dependencies=[TokenDep],
             responses=error_responses(400, 401, 403, 422, 429, 503, 504))
async def cypher(body: CypherRequest, request: Request, store: StoreDep,
                 settings: SettingsDep) -> Response:
    """Run a read-only Cypher query with a timeout and a row cap (bearer token required)."""
    if not settings.enable_cypher:
        raise HTTPException(403, "read-only Cypher is disabled on this server "
                                 "(set CITEGRAPH_ENABLE_CYPHER=true with the Neo4j store)")
    if not store.capabilities.read_cypher:
        raise HTTPException(403, f"read-only Cypher needs the Neo4j store, not {store.name}")
    check_query_text(body.query)
    slots = _slots(request)
    if slots.locked():
        raise HTTPException(429, "too many Cypher queries running", headers={"Retry-After": "1"})
    cap = settings.max_results
    async with slots:
        rows: list[dict[str, Any]] = await store.run_read_cypher(
            body.query, dict(body.params), max_rows=cap + 1)
    columns = list(rows[0]) if rows else []
    content = {"columns": columns, "rows": rows[:cap], "truncated": len(rows) > cap}
    return Response(orjson.dumps(content, default=str, option=orjson.OPT_NON_STR_KEYS),
                    media_type="application/json")
