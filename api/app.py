"""The FastAPI application: ``create_app`` wires settings, the store, errors and routers.

Run it with ``uvicorn --factory api.app:create_app`` (``citegraph serve`` does), or use the
module-level ``app`` (built on first access with the environment's settings).
"""

from __future__ import annotations

import asyncio
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
        yield
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
