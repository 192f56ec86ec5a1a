"""Graph stores: one contract (:class:`GraphStore`), two implementations."""

from citegraph.stores.base import Direction, GraphStore, SearchHit, WriteResult

__all__ = ["Direction", "GraphStore", "SearchHit", "WriteResult"]
