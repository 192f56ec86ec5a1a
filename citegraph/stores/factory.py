"""Open the configured store: Neo4j when ``NEO4J_URI`` is set, else the embedded file."""

from __future__ import annotations

from pathlib import Path

from citegraph.settings import Settings
from citegraph.stores.base import GraphStore


def open_store(settings: Settings, store_path: Path | None = None) -> GraphStore:
    """Return a ready store for ``settings`` (``store_path`` overrides the embedded path)."""
    if settings.uses_neo4j:
        from citegraph.stores.neo4j_store import Neo4jStore

        return Neo4jStore.from_settings(settings)
    from citegraph.stores.embedded import EmbeddedStore

    return EmbeddedStore(store_path or settings.store)
