"""The async face of a store: typed methods, each run under the store's call policy.

Routes hold an :class:`AsyncStore` and await its methods; where a call runs, what it
holds and how long it may take are the store's business (:mod:`citegraph.stores.policy`).
Quick single-method reads may run inline (when the store declares them cheap); composite
computations go through :meth:`AsyncStore.compute`, always in a thread and time-limited.

Examples
--------
>>> import asyncio
>>> from citegraph.stores.embedded import EmbeddedStore
>>> db = AsyncStore(EmbeddedStore(None), timeout_s=5.0)
>>> asyncio.run(db.counts()).total_nodes
0
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

from citegraph.model import Counts, Node, NodeType, Path, PropValue, Relationship, RelType, Subgraph
from citegraph.stores.base import Direction, GraphStore, SearchHit
from citegraph.stores.policy import Capabilities

T = TypeVar("T")


class AsyncStore:
    """Awaitable, time-limited access to ``store`` (``timeout_s`` per call)."""

    def __init__(self, store: GraphStore, *, timeout_s: float) -> None:
        self.store = store
        self.timeout_s = timeout_s

    @property
    def name(self) -> str:
        return self.store.name

    @property
    def capabilities(self) -> Capabilities:
        return self.store.capabilities

    async def _quick(self, fn: Callable[[], T]) -> T:
        return await self.store.policy.read(fn, timeout_s=self.timeout_s, quick=True)

    async def compute(self, fn: Callable[[GraphStore], T]) -> T:
        """Run a composite read ``fn(store)`` in a thread under the time limit.

        On time-out it raises ``QueryTimeoutError``; the call is stopped and releases what
        it held (see :class:`~citegraph.stores.policy.CallPolicy`).
        """
        store = self.store
        return await store.policy.read(lambda: fn(store), timeout_s=self.timeout_s)

    async def quick(self, fn: Callable[[GraphStore], T]) -> T:
        """A short composite read (a few store calls): inline when the store allows."""
        store = self.store
        return await self._quick(lambda: fn(store))

    async def write(self, fn: Callable[[GraphStore], T]) -> T:
        """Run ``fn(store)`` (parsing, then store writes) in a thread.

        No lock is taken here: each write method of the store takes what it needs, so
        parsing never runs while readers are held back.
        """
        store = self.store
        return await store.policy.write(lambda: fn(store))

    # -- typed reads -----------------------------------------------------------------------
    async def version(self) -> str:
        return await self._quick(self.store.version)

    async def ping(self) -> bool:
        return await self._quick(self.store.ping)

    async def counts(self) -> Counts:
        return await self._quick(self.store.counts)

    async def get_node(self, node_id: str) -> Node:
        return await self._quick(lambda: self.store.get_node(node_id))

    async def find_node(self, node_id: str) -> Node | None:
        return await self._quick(lambda: self.store.find_node(node_id))

    async def find_relationship(self, source: str, rel_type: RelType, target: str,
                                key: str | None = None) -> list[Relationship]:
        return await self._quick(
            lambda: self.store.find_relationship(source, rel_type, target, key))

    async def list_nodes(self, *, node_type: NodeType | None = None,
                         filters: Mapping[str, PropValue] | None = None,
                         after: str | None = None, limit: int = 100) -> list[Node]:
        return await self._quick(lambda: self.store.list_nodes(
            node_type=node_type, filters=filters, after=after, limit=limit))

    async def neighbours(self, node_id: str, *, depth: int = 1,
                         direction: Direction = Direction.BOTH,
                         node_types: Collection[NodeType] | None = None,
                         rel_types: Collection[RelType] | None = None,
                         limit: int = 500) -> Subgraph:
        return await self._quick(lambda: self.store.neighbours(
            node_id, depth=depth, direction=direction, node_types=node_types,
            rel_types=rel_types, limit=limit))

    async def shortest_paths(self, source: str, target: str, *,
                             rel_types: Collection[RelType] | None = None,
                             directed: bool = False, max_length: int = 6,
                             limit: int = 10) -> list[Path]:
        return await self._quick(lambda: self.store.shortest_paths(
            source, target, rel_types=rel_types, directed=directed, max_length=max_length,
            limit=limit))

    async def search(self, text: str, *, node_types: Collection[NodeType] | None = None,
                     limit: int = 20) -> list[SearchHit]:
        return await self._quick(
            lambda: self.store.search(text, node_types=node_types, limit=limit))

    async def run_read_cypher(self, query: str, params: Mapping[str, Any] | None, *,
                              max_rows: int) -> list[dict[str, Any]]:
        timeout = self.timeout_s
        return await self.compute(lambda s: s.run_read_cypher(query, params, timeout_s=timeout,
                                                              max_rows=max_rows))
