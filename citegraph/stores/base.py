"""The contract every graph store implements, and the conformance suite tests.

A store is the only place that talks to a database. It receives immutable model values and
returns them; it never sees raw input text. A :class:`~citegraph.model.GraphBatch` is the
unit of atomicity: it is written completely or not at all.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import TracebackType
from typing import TYPE_CHECKING, Any

from citegraph.errors import NodeNotFoundError, QueryError
from citegraph.model import (
    Counts,
    GraphBatch,
    Node,
    NodeType,
    Path,
    PropValue,
    Relationship,
    RelType,
    Subgraph,
)
from citegraph.stores.policy import CallPolicy, Capabilities

if TYPE_CHECKING:
    import networkx as nx

#: Hard caps that protect a store from a runaway query, whatever the caller asks.
MAX_DEPTH = 3
MAX_RESULT_NODES = 5000
MAX_PATH_LENGTH = 8
MAX_PATHS = 50


class Direction(StrEnum):
    OUT = "out"
    IN = "in"
    BOTH = "both"


@dataclass(frozen=True, slots=True)
class SearchHit:
    node: Node
    score: float


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What a write did: rows written (merged, so re-writes count again) and deletions."""

    nodes: int
    relationships: int
    deleted_relationships: int = 0
    deleted_nodes: int = 0


class GraphStore(ABC):
    """Upsert, query and export a property graph of the citegraph model."""

    name: str = "store"
    #: What the store can do; callers read this instead of probing for methods.
    capabilities: Capabilities = Capabilities()

    @property
    def policy(self) -> CallPolicy:
        """How this store's calls run (threads, locks, time limits); made on first use."""
        policy: CallPolicy | None = self.__dict__.get("_policy")
        if policy is None:
            policy = self.__dict__.setdefault("_policy", self.make_policy())
        return policy

    def make_policy(self) -> CallPolicy:
        """The policy of a store safe to read from many threads at once."""
        return CallPolicy(self.capabilities)

    @abstractmethod
    def version(self) -> str:
        """A token that changes with every write (by this process or another one).

        Every cache of something computed from the store is keyed on it: an answer
        computed at one version is never served at another. Read it *before* computing.
        """

    # -- writing -------------------------------------------------------------------------
    @abstractmethod
    def write(self, batch: GraphBatch, *, replace: bool = False) -> WriteResult:
        """Upsert a batch atomically.

        Nodes merge on ``id`` (properties are merged, later values win; a stub node, see
        :attr:`Node.is_stub`, is only created when missing and a full node drops the ``stub``
        flag); relationships merge
        on ``(source, type, target, key)``. With ``replace`` the batch's document is first
        deleted (see :meth:`delete_document`) in the same atomic unit. A relationship whose
        endpoint is neither in the batch nor in the store raises ``ModelError`` and nothing
        of the batch is written.
        """

    def write_many(self, batches: Iterable[GraphBatch]) -> WriteResult:
        """Write several batches, each atomically; return the summed result."""
        n = r = 0
        for batch in batches:
            res = self.write(batch)
            n += res.nodes
            r += res.relationships
        return WriteResult(n, r)

    def upsert_nodes(self, nodes: Iterable[Node], document: str = "") -> WriteResult:
        return self.write(GraphBatch.of(document, nodes, ()))

    def upsert_relationships(self, rels: Iterable[Relationship],
                             document: str = "") -> WriteResult:
        return self.write(GraphBatch.of(document, (), rels))

    @abstractmethod
    def delete_document(self, document: str) -> WriteResult:
        """Delete every relationship whose provenance document is ``document`` and every node
        whose ``document`` property is ``document``."""

    @abstractmethod
    def clear(self) -> None:
        """Delete everything."""

    # -- reading -------------------------------------------------------------------------
    @abstractmethod
    def find_node(self, node_id: str) -> Node | None:
        """The node with this id, or None."""

    def get_node(self, node_id: str) -> Node:
        node = self.find_node(node_id)
        if node is None:
            raise NodeNotFoundError(f"no node with id {node_id!r}")
        return node

    @abstractmethod
    def relationships(
        self,
        node_id: str,
        *,
        direction: Direction = Direction.BOTH,
        rel_types: Collection[RelType] | None = None,
        limit: int = MAX_RESULT_NODES,
    ) -> list[Relationship]:
        """Relationships touching ``node_id``, sorted by identity."""

    @abstractmethod
    def find_relationship(self, source: str, rel_type: RelType, target: str,
                          key: str | None = None) -> list[Relationship]:
        """Relationships between two nodes of one type (one, when ``key`` is given)."""

    @abstractmethod
    def neighbours(
        self,
        node_id: str,
        *,
        depth: int = 1,
        direction: Direction = Direction.BOTH,
        node_types: Collection[NodeType] | None = None,
        rel_types: Collection[RelType] | None = None,
        limit: int = 500,
    ) -> Subgraph:
        """The node and everything within ``depth`` hops along allowed relationships.

        ``node_types`` filters which nodes are returned (traversal passes through any node);
        the start node is always included. The result holds the relationships among the
        returned nodes that were traversed; ``truncated`` says whether ``limit`` cut it.
        Raises ``NodeNotFoundError`` for an unknown start.
        """

    @abstractmethod
    def shortest_paths(
        self,
        source: str,
        target: str,
        *,
        rel_types: Collection[RelType] | None = None,
        directed: bool = False,
        max_length: int = 6,
        limit: int = 10,
    ) -> list[Path]:
        """All shortest paths (up to ``limit``) of at most ``max_length`` hops."""

    @abstractmethod
    def search(self, text: str, *, node_types: Collection[NodeType] | None = None,
               limit: int = 20) -> list[SearchHit]:
        """Rank nodes whose label, aliases or names match the words of ``text``."""

    @abstractmethod
    def subgraph(self, node_ids: Collection[str]) -> Subgraph:
        """The given nodes (unknown ids are ignored) and all relationships among them."""

    @abstractmethod
    def list_nodes(
        self,
        *,
        node_type: NodeType | None = None,
        filters: Mapping[str, PropValue] | None = None,
        after: str | None = None,
        limit: int = 100,
    ) -> list[Node]:
        """Nodes sorted by id, strictly after the cursor ``after``, matching the type and
        property equalities in ``filters`` (a list property matches when it contains
        the value)."""

    @abstractmethod
    def counts(self) -> Counts:
        """Node counts by type, relationship counts by type."""

    @abstractmethod
    def iter_nodes(self) -> Iterator[Node]:
        """Every node (any order)."""

    @abstractmethod
    def iter_relationships(self) -> Iterator[Relationship]:
        """Every relationship (any order)."""

    def projection(self) -> nx.MultiDiGraph:
        """The graph as a networkx projection (see :mod:`citegraph.analytics`).

        Stores without a graph of their own build one, cached on :meth:`version`.
        """
        from citegraph.analytics import cached_projection

        return cached_projection(self)

    def run_read_cypher(self, query: str, params: Mapping[str, Any] | None = None, *,
                        timeout_s: float, max_rows: int) -> list[dict[str, Any]]:
        """Run a user's read-only Cypher (when ``capabilities.read_cypher``)."""
        raise QueryError(f"read-only Cypher needs the Neo4j store, not {self.name}")

    # -- lifecycle -----------------------------------------------------------------------
    def ping(self) -> bool:
        """True when the store can serve requests."""
        return True

    def close(self) -> None:
        """Release connections, threads or locks."""
        policy: CallPolicy | None = self.__dict__.pop("_policy", None)
        if policy is not None:
            policy.close()

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def matches_filters(node: Node, filters: Mapping[str, PropValue] | None) -> bool:
    """True when every filter equals the node's property (or is contained in a list one)."""
    if not filters:
        return True
    data = node.to_dict()
    for key, wanted in filters.items():
        value = data.get(key)
        if isinstance(value, list) and not isinstance(wanted, list):
            if wanted not in value:
                return False
        elif value != wanted:
            return False
    return True


#: Search ranks named things above their parts when both match equally well.
SEARCH_WEIGHTS = {NodeType.INSTRUMENT: 1.0, NodeType.CONCEPT: 1.0, NodeType.JURISDICTION: 1.0,
                  NodeType.WORK: 0.95, NodeType.SECTION: 0.9, NodeType.ARTICLE: 0.85}


def search_weight(node: Node) -> float:
    return SEARCH_WEIGHTS.get(node.type, 1.0)


#: Node properties a text search reads after the label (strings or lists of strings).
SEARCHED_KEYS = ("aliases", "short_name", "official_name", "name_zh", "name_en", "title",
                 "abbreviation", "heading", "authors")


def searchable_text(node: Node) -> list[str]:
    """The strings a text search looks at: label, names and aliases.

    An article is also found by its number, alone or as "Article N" / "Art. N".

    >>> searchable_text(Node("a", NodeType.ARTICLE, "第三条", {"number": "3"}))
    ['第三条', 'Article 3', 'Art. 3', '3']
    """
    texts = [node.label]
    for key in SEARCHED_KEYS:
        value = node.props.get(key)
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, list):
            texts.extend(str(v) for v in value)
    number = node.props.get("number")
    if node.type is NodeType.ARTICLE and isinstance(number, str) and number:
        texts.extend([f"Article {number}", f"Art. {number}", number])
    return [t for t in texts if t]
