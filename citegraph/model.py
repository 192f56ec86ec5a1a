"""The graph model: node and relationship types, provenance, and the batch a reader produces.

Everything here is an immutable value. Property values are restricted to what both stores
can hold (strings, numbers, booleans and lists of those), so a graph round-trips through
Neo4j and the embedded store unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from citegraph.errors import ModelError

Scalar = str | int | float | bool
PropValue = Scalar | list[str] | list[int] | list[float]
Props = Mapping[str, PropValue]

#: Property names a node or relationship may not set itself (they are owned by the model).
RESERVED_NODE_KEYS = frozenset({"id", "type", "label"})
RESERVED_REL_KEYS = frozenset(
    {"source", "target", "type", "key", "document", "locator", "span", "quote", "method",
     "confidence"}
)


class NodeType(StrEnum):
    """The one label each node carries."""

    WORK = "Work"
    SECTION = "Section"
    INSTRUMENT = "Instrument"
    ARTICLE = "Article"
    CONCEPT = "Concept"
    JURISDICTION = "Jurisdiction"


class RelType(StrEnum):
    """The relationship types of the model; the fixed allow-list for every store."""

    HAS_SECTION = "HAS_SECTION"
    HAS_ARTICLE = "HAS_ARTICLE"
    PART_OF = "PART_OF"
    CITES = "CITES"
    MENTIONS = "MENTIONS"
    REFERS_TO = "REFERS_TO"
    SUPPLEMENTS = "SUPPLEMENTS"
    AMENDS = "AMENDS"
    IMPLEMENTS = "IMPLEMENTS"
    INTERPRETS = "INTERPRETS"
    SUPERSEDES = "SUPERSEDES"
    RATIFIED = "RATIFIED"
    SIGNED = "SIGNED"
    ENACTED = "ENACTED"
    DEFINES = "DEFINES"
    ADDRESSES = "ADDRESSES"


#: Relationship types that carry influence downstream from an instrument or article.
INFLUENCE_TYPES = frozenset(
    {RelType.SUPPLEMENTS, RelType.IMPLEMENTS, RelType.INTERPRETS, RelType.REFERS_TO,
     RelType.AMENDS, RelType.MENTIONS, RelType.CITES}
)


#: The one shared mapping of every node or relationship without properties (most
#: relationships): never mutated, it saves a dict per edge.
_NO_PROPS: dict[str, PropValue] = {}


def _check_props(props: Props, reserved: frozenset[str], owner: str) -> dict[str, PropValue]:
    if not props:
        return _NO_PROPS
    clean: dict[str, PropValue] = {}
    for key, value in props.items():
        if key in reserved:
            raise ModelError(f"property {key!r} is reserved", place=owner)
        if value is None:
            continue
        if isinstance(value, float) and not math.isfinite(value):
            raise ModelError(f"property {key!r} is not a finite number", place=owner)
        if isinstance(value, list | tuple):
            items = list(value)
            if not all(isinstance(v, str | int | float) and not isinstance(v, bool)
                       for v in items):
                raise ModelError(f"property {key!r} must be a list of scalars", place=owner)
            if len({type(v) for v in items}) > 1:
                raise ModelError(f"property {key!r} mixes types in a list", place=owner)
            clean[key] = items  # type: ignore[assignment]
        elif isinstance(value, str | int | float | bool):
            clean[key] = value
        else:
            raise ModelError(f"property {key!r} has unsupported type "
                             f"{type(value).__name__}", place=owner)
    return clean


@dataclass(frozen=True, slots=True)
class Node:
    """A node: its id, its one type, a display label and its other properties."""

    id: str
    type: NodeType
    label: str
    props: Props = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.id or len(self.id) > 2048 or any(ord(c) < 32 for c in self.id):
            raise ModelError("node id must be 1-2048 printable characters", place=repr(self.id))
        object.__setattr__(self, "type", NodeType(self.type))
        object.__setattr__(self, "props", _check_props(self.props, RESERVED_NODE_KEYS, self.id))

    @property
    def is_stub(self) -> bool:
        """A stub (``props["stub"] is True``) only creates a missing node, never updates one.

        Readers emit stubs for nodes that another source owns (an instrument named in a
        text, an article cited before its instrument is loaded), so load order never
        changes the result: the full node replaces the stub's label and drops the flag.
        """
        return self.props.get("stub") is True

    def to_dict(self) -> dict[str, PropValue]:
        """Flatten to one mapping: ``id``, ``type``, ``label`` and the properties."""
        return {"id": self.id, "type": self.type.value, "label": self.label, **self.props}

    @classmethod
    def from_dict(cls, data: Mapping[str, PropValue]) -> Node:
        """Inverse of :meth:`to_dict`."""
        rest = {k: v for k, v in data.items() if k not in RESERVED_NODE_KEYS}
        return cls(id=str(data["id"]), type=NodeType(str(data["type"])),
                   label=str(data.get("label", "")), props=rest)


#: The window a reader keeps around what it found (:func:`quote_around`). A "sentence" the
#: splitter could not cut (a paragraph without sentence ends, a hostile run of mentions)
#: would otherwise be copied whole onto every edge found in it: 36 KB of text with 529
#: mentions made a 19 MB store.
MAX_QUOTE_CHARS = 300
#: The hard cap on any stored quote (its head is kept): no producer can exceed it.
MAX_STORED_QUOTE_CHARS = 1000


def quote_around(text: str, start: int, end: int, width: int = MAX_QUOTE_CHARS) -> str:
    """At most ``width`` characters of ``text`` around ``text[start:end]``, cut at word
    boundaries where it can be, with ``…`` where text was left out.

    >>> quote_around("A short sentence.", 2, 7)
    'A short sentence.'
    >>> quote_around("word " * 100 + "GDPR" + " word" * 100, 500, 504, width=30)
    '… word word GDPR word word …'
    """
    if len(text) <= width:
        return text
    room = max(0, width - (end - start)) // 2
    left, right = max(0, start - room), min(len(text), end + room)
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space >= 0 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space >= 0 else right
    core = text[left:right].strip()
    return ("… " if left > 0 else "") + core[:width] + (" …" if right < len(text) else "")


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where an edge comes from: the document, the place in it, and the supporting text.

    Examples
    --------
    >>> Provenance("work:seed-paper", "3.1", (10, 52), "A sentence.", "marker").span
    (10, 52)
    """

    document: str
    locator: str = ""
    span: tuple[int, int] | None = None
    quote: str = ""
    method: str = "catalog"
    confidence: float = 1.0

    def __post_init__(self) -> None:
        if len(self.quote) > MAX_STORED_QUOTE_CHARS:
            object.__setattr__(self, "quote",
                               self.quote[:MAX_STORED_QUOTE_CHARS - 2].rstrip() + " …")
        if self.span is not None:
            start, end = self.span
            if start < 0 or end < start:
                raise ModelError(f"bad span {self.span}", place=self.document)
            if not (type(self.span) is tuple and type(start) is int and type(end) is int):
                object.__setattr__(self, "span", (int(start), int(end)))
        if not 0.0 <= self.confidence <= 1.0:
            raise ModelError(f"confidence {self.confidence} outside [0, 1]",
                             place=self.document)

    def to_dict(self) -> dict[str, PropValue]:
        data: dict[str, PropValue] = {
            "document": self.document, "locator": self.locator, "quote": self.quote,
            "method": self.method, "confidence": self.confidence,
        }
        if self.span is not None:
            data["span"] = [self.span[0], self.span[1]]
        return data


@dataclass(frozen=True, slots=True)
class Relationship:
    """A typed, directed edge with its provenance.

    Two relationships are the same edge when source, type, target and :attr:`key` agree;
    the key defaults to the provenance's document, locator and span start, so the same
    citation found twice is stored once, and two sentences citing the same work stay two edges.
    """

    source: str
    target: str
    type: RelType
    provenance: Provenance
    props: Props = field(default_factory=dict)
    key: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", RelType(self.type))
        owner = f"{self.source}-[{self.type}]->{self.target}"
        object.__setattr__(self, "props", _check_props(self.props, RESERVED_REL_KEYS, owner))
        if not self.key:
            p = self.provenance
            start = "" if p.span is None else str(p.span[0])
            object.__setattr__(self, "key", f"{p.document}|{p.locator}|{start}")

    @property
    def graph_key(self) -> tuple[RelType, str]:
        """The key among parallel edges of a multigraph: type and key, two objects the
        relationship already holds (no new string per edge)."""
        return (self.type, self.key)

    @property
    def identity(self) -> tuple[str, str, str, str]:
        # The StrEnum member is a str: no attribute lookup per call (hot in traversals).
        return (self.source, self.type, self.target, self.key)

    def to_dict(self) -> dict[str, PropValue]:
        """Flatten: endpoints, type, key, provenance fields and the other properties."""
        return {"source": self.source, "target": self.target, "type": self.type.value,
                "key": self.key, **self.provenance.to_dict(), **self.props}

    @classmethod
    def from_dict(cls, data: Mapping[str, PropValue]) -> Relationship:
        """Inverse of :meth:`to_dict`."""
        span = data.get("span")
        prov = Provenance(
            document=str(data.get("document", "")), locator=str(data.get("locator", "")),
            span=(int(span[0]), int(span[1])) if isinstance(span, list) and len(span) == 2
            else None,
            quote=str(data.get("quote", "")), method=str(data.get("method", "")),
            confidence=float(data.get("confidence", 1.0)),  # type: ignore[arg-type]
        )
        rest = {k: v for k, v in data.items() if k not in RESERVED_REL_KEYS}
        return cls(source=str(data["source"]), target=str(data["target"]),
                   type=RelType(str(data["type"])), provenance=prov, props=rest,
                   key=str(data.get("key", "")))


@dataclass(frozen=True, slots=True)
class GraphBatch:
    """What one reader made of one input: the unit a store writes atomically.

    ``document`` is the id of the source document; ``replace`` asks the store to delete
    what earlier loads of that document added before writing this batch.
    """

    document: str
    nodes: tuple[Node, ...] = ()
    relationships: tuple[Relationship, ...] = ()

    @classmethod
    def of(cls, document: str, nodes: Iterable[Node],
           relationships: Iterable[Relationship]) -> GraphBatch:
        return cls(document, tuple(nodes), tuple(relationships))

    def merged(self, other: GraphBatch) -> GraphBatch:
        return GraphBatch(self.document, self.nodes + other.nodes,
                          self.relationships + other.relationships)


@dataclass(frozen=True, slots=True)
class Subgraph:
    """A set of nodes and the relationships among them (a query result)."""

    nodes: tuple[Node, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class Path:
    """A path as alternating node ids and the relationships between them."""

    nodes: tuple[Node, ...]
    relationships: tuple[Relationship, ...]

    @property
    def length(self) -> int:
        return len(self.relationships)


@dataclass(frozen=True, slots=True)
class Counts:
    """Node counts by type and relationship counts by type."""

    nodes: Mapping[str, int]
    relationships: Mapping[str, int]

    @property
    def total_nodes(self) -> int:
        return sum(self.nodes.values())

    @property
    def total_relationships(self) -> int:
        return sum(self.relationships.values())
