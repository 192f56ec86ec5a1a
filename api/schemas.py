"""Response models of the HTTP API (they make ``/openapi.json`` exact), and fast encoders.

Routes declare these models as their ``response_model``, and return :class:`JSONBytes`
built by the ``*_json`` functions below, which produce exactly the models' shape with
orjson, skipping a validation pass per response. The API tests validate every response
against the declared model (and schemathesis checks it against the OpenAPI schema).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

import orjson
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from citegraph.model import Node, NodeType, Path, Relationship, RelType, Subgraph
from citegraph.stores.base import SearchHit

PropValue = str | int | float | bool | list[str] | list[int] | list[float]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


# -- errors ----------------------------------------------------------------------------------
class ErrorBody(_Model):
    code: str = Field(description="Stable machine-readable error code")
    message: str = Field(description="One human-readable line")
    detail: Any = Field(default=None, description="Extra structured information, if any")


class ErrorResponse(_Model):
    error: ErrorBody


# -- graph values ----------------------------------------------------------------------------
class NodeOut(_Model):
    id: str
    type: NodeType
    label: str
    props: dict[str, PropValue] = Field(default_factory=dict)


class ProvenanceOut(_Model):
    document: str = Field(description="Id of the source document")
    locator: str = Field(description="Section number, article eId or entry key")
    span: list[int] | None = Field(default=None, description="[start, end] character offsets")
    quote: str = Field(description="The supporting sentence")
    method: str
    confidence: float


class RelationshipOut(_Model):
    source: str
    target: str
    type: RelType
    key: str
    provenance: ProvenanceOut
    props: dict[str, PropValue] = Field(default_factory=dict)



class SubgraphOut(_Model):
    nodes: list[NodeOut]
    relationships: list[RelationshipOut]
    truncated: bool = Field(description="True when a cap cut the result")


class RelGroupOut(_Model):
    type: RelType
    direction: Literal["out", "in"] = Field(description="out: the node is the source")
    count: int = Field(description="How many relationships of this type and direction")
    capped: bool = Field(description="True when the count stopped at the server's cap")


class NodeDetail(_Model):
    node: NodeOut
    summary: list[RelGroupOut] = Field(
        description="Every type and direction of relationship touching the node, counted "
                    "(whatever the filters)")
    relationships: list[RelationshipOut] = Field(
        description="One page of the relationships matching the filters, with their "
                    "provenance, taken in turn from each type and direction so that "
                    "every kind appears on the first page")
    truncated: bool = Field(description="True when matching relationships are left out of "
                                        "this page (see next_cursor)")
    next_cursor: str | None = Field(default=None,
                                    description="Pass as ?cursor= for the next page")


class NodePage(_Model):
    items: list[NodeOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page")


class PathOut(_Model):
    length: int
    nodes: list[NodeOut]
    relationships: list[RelationshipOut]


class PathsOut(_Model):
    source: str
    target: str
    paths: list[PathOut]


class SearchHitOut(_Model):
    node: NodeOut
    score: float


class SearchPage(_Model):
    query: str
    items: list[SearchHitOut]
    next_cursor: str | None


class ProvenancePage(_Model):
    items: list[RelationshipOut] = Field(description="The matching edges with provenance")
    documents: dict[str, str] = Field(
        description="Label of each source document that is a node of the graph")


# -- service ---------------------------------------------------------------------------------
class HealthOut(_Model):
    status: Literal["ok", "unavailable"]
    store: str


class StatsOut(_Model):
    store: str
    nodes: dict[str, int]
    relationships: dict[str, int]
    total_nodes: int
    total_relationships: int


# -- analytics -------------------------------------------------------------------------------
class TraceEntryOut(_Model):
    node: NodeOut
    hop: int
    year: int | None
    via: RelType | None = Field(description="Type of the edge that reached this node")
    parent: str | None = Field(description="The node it was reached from")


class TimelineYear(_Model):
    year: int | None = Field(description="None gathers the undated nodes")
    nodes: list[str]


class InfluenceOut(_Model):
    root: str
    max_hops: int
    entries: list[TraceEntryOut]
    hops: dict[str, list[str]] = Field(description="Node ids by hop (keys are hop numbers)")
    timeline: list[TimelineYear]
    relationships: list[RelationshipOut]
    truncated: bool = Field(description="True when `limit` cut the trace")
    omitted_parts: int = Field(
        default=0, description="Articles of reached instruments (the root's own included) "
        "with nothing downstream through them: followed, counted here, not listed")


class RankedOut(_Model):
    node: NodeOut
    score: float = Field(description="The sort key: PageRank over citation and mention "
                         "edges, or the in-degree when by=in_degree")
    in_degree: int
    pagerank: float = Field(description="PageRank over citation and mention edges")


class RankingPage(_Model):
    by: Literal["pagerank", "in_degree"]
    items: list[RankedOut]
    next_cursor: str | None


class PairOut(_Model):
    a: NodeOut
    b: NodeOut
    weight: int
    evidence: list[str] = Field(description="Ids of the sections, works or references shared")


class PairPage(_Model):
    measure: Literal["co-citation", "coupling", "co-mention"]
    items: list[PairOut]
    next_cursor: str | None


class MatrixCellOut(_Model):
    jurisdiction: str
    concept: str
    instruments: list[str]
    evidence: list[str] = Field(description="Articles (or instruments) addressing the concept")


class MatrixOut(_Model):
    jurisdictions: list[NodeOut]
    concepts: list[NodeOut]
    cells: list[MatrixCellOut] = Field(
        description="Concepts addressed by instruments binding the jurisdiction: ratified, "
                    "enacted, or its own (a signature alone does not bind)")
    signed_only: list[MatrixCellOut] = Field(
        default_factory=list,
        description="Concepts addressed by instruments the jurisdiction signed without "
                    "ratifying (listed apart, not in cells)")


# -- writes and Cypher -----------------------------------------------------------------------
class FileReportOut(_Model):
    model_config = ConfigDict(frozen=True, extra="allow")

    file: str
    kind: str
    decision: str
    status: str
    document: str
    nodes: int
    relationships: int
    problems: list[str]
    error: str | None


class IngestReportOut(_Model):
    model_config = ConfigDict(frozen=True, extra="allow")

    loaded: int
    failed: int
    skipped_entries: int
    catalog: dict[str, int]
    files: list[FileReportOut]


class CypherRequest(_Model):
    query: str = Field(min_length=1, max_length=10_000)
    params: dict[str, Any] = Field(default_factory=dict)


class CypherOut(_Model):
    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool


# -- encoders --------------------------------------------------------------------------------
class JSONBytes(Response):
    """A JSON response rendered by orjson."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def node_json(node: Node) -> dict[str, Any]:
    """The :class:`NodeOut` shape of a node."""
    return {"id": node.id, "type": node.type.value, "label": node.label, "props": node.props}


def rel_json(rel: Relationship) -> dict[str, Any]:
    """The :class:`RelationshipOut` shape of a relationship."""
    p = rel.provenance
    return {"source": rel.source, "target": rel.target, "type": rel.type.value, "key": rel.key,
            "provenance": {"document": p.document, "locator": p.locator,
                           "span": None if p.span is None else [p.span[0], p.span[1]],
                           "quote": p.quote, "method": p.method, "confidence": p.confidence},
            "props": rel.props}


def nodes_json(nodes: Iterable[Node]) -> list[dict[str, Any]]:
    return [node_json(n) for n in nodes]


def rels_json(rels: Iterable[Relationship]) -> list[dict[str, Any]]:
    return [rel_json(r) for r in rels]


def subgraph_json(sub: Subgraph) -> dict[str, Any]:
    """The :class:`SubgraphOut` shape of a subgraph."""
    return {"nodes": nodes_json(sub.nodes), "relationships": rels_json(sub.relationships),
            "truncated": sub.truncated}


def path_json(path: Path) -> dict[str, Any]:
    """The :class:`PathOut` shape of a path."""
    return {"length": path.length, "nodes": nodes_json(path.nodes),
            "relationships": rels_json(path.relationships)}


# -- pre-encoded fragments -------------------------------------------------------------------
#: Encoded JSON of nodes and relationships, by object identity. Store values are immutable,
#: and the embedded store hands out the same objects until they change, so a repeated
#: neighbourhood is joined from cached bytes instead of being encoded again. The entry
#: keeps its object alive, so an ``id`` is never reused while cached.
_FRAGMENTS: dict[int, tuple[object, bytes]] = {}
MAX_FRAGMENTS = 500_000


def _fragment(obj: Node | Relationship) -> bytes:
    hit = _FRAGMENTS.get(id(obj))
    if hit is not None and hit[0] is obj:
        return hit[1]
    data = orjson.dumps(node_json(obj) if isinstance(obj, Node) else rel_json(obj))
    if len(_FRAGMENTS) >= MAX_FRAGMENTS:
        _FRAGMENTS.clear()
    _FRAGMENTS[id(obj)] = (obj, data)
    return data


def subgraph_bytes(sub: Subgraph, *, cache: bool) -> bytes:
    """The :class:`SubgraphOut` JSON of a subgraph, from cached fragments when ``cache``.

    Use the cache only with a store that returns the same objects for unchanged data
    (the embedded store); other stores build new objects per query.
    """
    if not cache:
        return orjson.dumps(subgraph_json(sub))
    return b"".join((
        b'{"nodes":[', b",".join([_fragment(n) for n in sub.nodes]),
        b'],"relationships":[', b",".join([_fragment(r) for r in sub.relationships]),
        b'],"truncated":', b"true" if sub.truncated else b"false", b"}",
    ))


def hit_json(hit: SearchHit) -> dict[str, Any]:
    return {"node": node_json(hit.node), "score": hit.score}
