"""Request dependencies: settings, the store, the write token, and the response cache.

The app keeps one store in ``app.state``. When none was given, it is opened on first use;
a store that cannot be opened answers 503 and is tried again on the next request, so the
API recovers when the database comes back. Routes receive it as an
:class:`~citegraph.stores.gateway.AsyncStore`: how each call runs (inline or in a thread,
under which lock, for how long) is the store's own policy, not the route's.
"""

from __future__ import annotations

import hmac
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.dependencies.utils import get_flat_params
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.responses import Response

from citegraph.errors import CitegraphError, StoreUnavailableError
from citegraph.settings import Settings
from citegraph.stores.base import GraphStore
from citegraph.stores.gateway import AsyncStore

bearer = HTTPBearer(auto_error=False, scheme_name="token",
                    description="The CITEGRAPH_TOKEN configured on the server")


class StoreHolder:
    """Owns the app's store: opens it lazily (thread-safe) and closes what it opened."""

    def __init__(self, settings: Settings, store: GraphStore | None) -> None:
        self.settings = settings
        self._store = store
        self._owned = store is None
        self._lock = threading.Lock()

    @property
    def current(self) -> GraphStore | None:
        return self._store

    def get(self) -> GraphStore:
        store = self._store
        if store is not None:
            return store
        with self._lock:
            if self._store is None:
                from citegraph.stores.factory import open_store

                try:
                    self._store = open_store(self.settings)
                except CitegraphError:
                    raise
                except Exception as exc:  # driver errors while connecting
                    raise StoreUnavailableError(f"cannot open the store: {exc}") from exc
            return self._store

    def close(self) -> None:
        if self._owned and self._store is not None:
            self._store.close()
            self._store = None


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_store(request: Request) -> AsyncStore:
    holder: StoreHolder = request.app.state.store_holder
    store = holder.current
    if store is None:
        store = await run_in_threadpool(holder.get)
    return AsyncStore(store, timeout_s=holder.settings.query_timeout_s)


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[AsyncStore, Depends(get_store)]


async def require_token(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """Writes need the configured bearer token; with none configured they are disabled.

    No credentials: 401 (with ``WWW-Authenticate``); credentials while writes are disabled:
    403; a wrong token: 401. The comparison takes constant time.
    """
    expected = settings.token.get_secret_value() if settings.token is not None else ""
    if credentials is None:
        why = "" if expected else " (and writes are disabled: no CITEGRAPH_TOKEN is configured)"
        raise HTTPException(401, "a bearer token is required" + why,
                            headers={"WWW-Authenticate": "Bearer"})
    if not expected:
        raise HTTPException(403, "writes disabled: no CITEGRAPH_TOKEN is configured")
    if not hmac.compare_digest(credentials.credentials.encode(), expected.encode()):
        raise HTTPException(401, "wrong bearer token", headers={"WWW-Authenticate": "Bearer"})


TokenDep = Depends(require_token)


# -- response cache --------------------------------------------------------------------------
class ResponseCache:
    """Encoded GET answers, keyed on the request's path and query and the store's version.

    Every store bumps its version on every write (:meth:`GraphStore.version`), so an
    answer computed for an older version is never served. Bounded by entries and bytes,
    least recently used first out.
    """

    def __init__(self, max_entries: int = 4096, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[bytes, tuple[object, bytes]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: bytes, version: object) -> bytes | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != version:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: bytes, version: object, body: bytes) -> None:
        if len(body) > self.max_bytes // 8:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1])
            self._entries[key] = (version, body)
            self._bytes += len(body)
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= len(dropped)


def cache_key(request: Request) -> bytes:
    """The path and the query parameters the route declares, sorted: junk parameters
    (``?q=a&junk=1``, ``&x=<random>``) cannot force a fresh computation."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    path: bytes = request.scope["path"].encode()
    if dependant is None:
        return path + b"?" + bytes(request.scope["query_string"])
    names: frozenset[str] | None = getattr(route, "citegraph_param_names", None)
    if names is None:
        names = frozenset(p.alias for p in get_flat_params(dependant))
        route.citegraph_param_names = names  # type: ignore[union-attr]
    kept = sorted((k, v) for k, v in request.query_params.multi_items() if k in names)
    return path + b"?" + urlencode(kept).encode()


async def cached(request: Request, store: AsyncStore,
                 compute: Callable[[], Awaitable[bytes]]) -> Response:
    """Answer from the app's response cache, or compute the JSON body and remember it.

    The version is read before computing: an answer computed while a write landed is
    filed under the older version, so it is never served once the write is visible.
    """
    cache: ResponseCache = request.app.state.response_cache
    version = await store.version()
    key = cache_key(request)
    body = cache.get(key, version)
    if body is None:
        body = await compute()
        cache.put(key, version, body)
    return Response(body, media_type="application/json")
