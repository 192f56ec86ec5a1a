"""The FastAPI application: ``create_app`` wires settings, the store, errors and routers.

Run it with ``uvicorn --factory api.app:create_app`` (``citegraph serve`` does), or use the
module-level ``app`` (built on first access with the environment's settings).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from api.deps import ResponseCache, StoreHolder
from api.errors import install_error_handlers
from api.guards import Guard
from api.routes import analytics, cypher, export, graph, ingest, meta, nodes
from citegraph.settings import Settings, get_settings
from citegraph.stores.base import GraphStore
from citegraph.stores.gateway import AsyncStore

DESCRIPTION = """Query the citegraph: papers, sections, citations, instruments and their
articles, concepts and jurisdictions, every edge with its provenance.

Node ids contain `/`, `:` and `#`: pass them URL-encoded as query parameters (`?id=`).
Errors share one shape: `{"error": {"code", "message", "detail"}}`. Lists are paginated with
an opaque `next_cursor`. Writes (`POST /ingest`) need the bearer token `CITEGRAPH_TOKEN`.
"""


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Build the API for ``settings`` (default: the environment) over ``store``.

    When ``store`` is None the configured store is opened on first use and closed at
    shutdown; a given store stays the caller's to close.
    """
    settings = settings or get_settings()
    holder = StoreHolder(settings, store)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        warm = asyncio.create_task(warm_search(holder, settings)) if store is None else None
        yield
        if warm is not None:
            warm.cancel()
        holder.close()

    # The docs pages serve Swagger UI and ReDoc from the package, not a CDN: users run offline.
    app = FastAPIOffline(title="citegraph", version="0.1.0", description=DESCRIPTION,
                         lifespan=lifespan)
    app.state.settings = settings
    app.state.store_holder = holder
    app.state.response_cache = ResponseCache()
    app.state.upload_slots = asyncio.Semaphore(max(1, settings.max_uploads))
    install_error_handlers(app)
    app.add_middleware(Guard, settings=settings)
    for module in (meta, nodes, graph, analytics, export, ingest, cypher):
        app.include_router(module.router)
    import api.explorer

    app.include_router(api.explorer.router)
    return app


def __getattr__(name: str) -> Any:
    """``api.app.app``: an app built lazily from the environment (for plain ``uvicorn``)."""
    if name == "app":
        built = create_app()
        globals()["app"] = built
        return built
    raise AttributeError(name)


async def warm_search(holder: StoreHolder, settings: Settings) -> bool:
    """Open the store and build its search index before the first user waits for it.

    On a large embedded store the index takes longer than one query may; built here, in a
    thread under a generous limit, the first search answers at once. A failure only means
    the first search builds the index itself. Returns whether the warm-up finished.
    """
    try:
        store = await asyncio.to_thread(holder.get)
        db = AsyncStore(store, timeout_s=max(120.0, 20 * settings.query_timeout_s))
        await db.compute(lambda s: s.search("citegraph", limit=1))
    except Exception as exc:
        logging.getLogger("citegraph.api").info("search warm-up skipped: %s", exc)
        return False
    return True
