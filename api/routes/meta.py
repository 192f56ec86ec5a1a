"""Service state: health and counts."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from starlette.responses import Response

from api.deps import StoreDep, StoreHolder
from api.errors import RETRY_AFTER_S, error_responses
from api.schemas import HealthOut, JSONBytes, StatsOut
from citegraph.stores.gateway import AsyncStore

router = APIRouter(tags=["service"])


@router.get("/health", response_model=HealthOut,
            responses={503: {"model": HealthOut, "description": "The store is unreachable",
                             "headers": {"Retry-After": {"schema": {"type": "integer"}}}}})
async def health(request: Request) -> Response:
    """200 when the store answers, 503 (with ``Retry-After``) when it does not."""
    holder: StoreHolder = request.app.state.store_holder
    name = "neo4j" if holder.settings.uses_neo4j else "embedded"
    try:
        store = holder.current
        if store is None:
            store = await run_in_threadpool(holder.get)
        name = store.name
        ok = await AsyncStore(store, timeout_s=holder.settings.query_timeout_s).ping()
    except Exception:  # any failure to reach the store means unhealthy
        ok = False
    if ok:
        return JSONBytes({"status": "ok", "store": name})
    return JSONBytes({"status": "unavailable", "store": name}, status_code=503,
                     headers={"Retry-After": str(RETRY_AFTER_S)})


@router.get("/stats", response_model=StatsOut, responses=error_responses(503))
async def stats(store: StoreDep) -> Response:
    """Node counts by type and relationship counts by type."""
    counts = await store.counts()
    return JSONBytes({"store": store.name, "nodes": dict(counts.nodes),
                      "relationships": dict(counts.relationships),
                      "total_nodes": counts.total_nodes,
                      "total_relationships": counts.total_relationships})
