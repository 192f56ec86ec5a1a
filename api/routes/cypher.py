"""Read-only Cypher (Neo4j store only, off unless ``CITEGRAPH_ENABLE_CYPHER`` is set).

Writes, schema commands, ``LOAD CSV`` and admin procedures are refused (400) before
anything is sent; the store also runs the query in READ access mode with a timeout and a
row cap, which is the real guard.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, HTTPException
from fastapi.concurrency import run_in_threadpool
from starlette.responses import Response

from api.deps import SettingsDep, StoreDep
from api.errors import error_responses
from api.schemas import CypherOut, CypherRequest
from citegraph.queries import check_read_only_cypher

router = APIRouter(tags=["cypher"])


@router.post("/cypher", response_model=CypherOut,
             responses=error_responses(400, 403, 422, 503, 504))
async def cypher(body: CypherRequest, store: StoreDep, settings: SettingsDep) -> Response:
    """Run a read-only Cypher query with a timeout and a row cap."""
    if not settings.enable_cypher:
        raise HTTPException(403, "read-only Cypher is disabled on this server "
                                 "(set CITEGRAPH_ENABLE_CYPHER=true with the Neo4j store)")
    run = getattr(store, "run_read_cypher", None)
    if run is None:
        raise HTTPException(403, f"read-only Cypher needs the Neo4j store, not {store.name}")
    check_read_only_cypher(body.query)
    cap = settings.max_results
    rows: list[dict[str, Any]] = await run_in_threadpool(
        run, body.query, dict(body.params), timeout_s=settings.query_timeout_s,
        max_rows=cap + 1)
    columns = list(rows[0]) if rows else []
    content = {"columns": columns, "rows": rows[:cap], "truncated": len(rows) > cap}
    return Response(orjson.dumps(content, default=str, option=orjson.OPT_NON_STR_KEYS),
                    media_type="application/json")
