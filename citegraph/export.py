"""Export a graph (or a subgraph) as node-link JSON, GraphML or GEXF.

The JSON form is canonical: nodes sorted by id, edges by ``(source, type, target, key)``,
keys sorted, so the same graph always gives the same bytes. It reads back with
``networkx.node_link_graph(data, edges="edges")``. GraphML and GEXF go through networkx;
list properties (which neither format holds) are JSON-encoded strings.

Examples
--------
>>> from citegraph.model import Node
>>> export_nodes_json([Node("concept:a", "Concept", "A")], [])[:34]
b'{"directed":true,"multigraph":true'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

import networkx as nx
import orjson
from networkx.readwrite.graphml import GraphMLWriter

from citegraph.model import Node, PropValue, Relationship
from citegraph.stores.base import GraphStore

_OPTS = orjson.OPT_SORT_KEYS
_CHUNK = 256
#: Node attributes the GEXF writer interprets itself; node properties so named are renamed.
_GEXF_NODE_RESERVED = frozenset({"id", "label", "pid", "start", "end", "viz", "parents",
                                 "slices", "spells"})
_GEXF_EDGE_RESERVED = frozenset({"id", "label", "weight", "type", "start", "end", "slices",
                                 "spells", "networkx_key"})


def _sorted(nodes: Iterable[Node],
            rels: Iterable[Relationship]) -> tuple[list[Node], list[Relationship]]:
    return (sorted(nodes, key=lambda n: n.id), sorted(rels, key=lambda r: r.identity))


def _chunks(items: Iterable[bytes]) -> Iterator[bytes]:
    batch: list[bytes] = []
    for item in items:
        batch.append(item)
        if len(batch) >= _CHUNK:
            yield b",".join(batch)
            batch = []
    if batch:
        yield b",".join(batch)


def iter_export_json(nodes: Iterable[Node], rels: Iterable[Relationship]) -> Iterator[bytes]:
    """The canonical node-link JSON in chunks (join them for :func:`export_nodes_json`)."""
    ns, rs = _sorted(nodes, rels)
    yield b'{"directed":true,"multigraph":true,"graph":{},"nodes":['
    first = True
    for chunk in _chunks(orjson.dumps(n.to_dict(), option=_OPTS) for n in ns):
        yield chunk if first else b"," + chunk
        first = False
    yield b'],"edges":['
    first = True
    for chunk in _chunks(orjson.dumps(r.to_dict(), option=_OPTS) for r in rs):
        yield chunk if first else b"," + chunk
        first = False
    yield b"]}\n"


def export_nodes_json(nodes: Iterable[Node], rels: Iterable[Relationship]) -> bytes:
    """The canonical node-link JSON of these nodes and relationships."""
    return b"".join(iter_export_json(nodes, rels))


def export_json(store: GraphStore) -> bytes:
    """The whole graph of ``store`` as canonical node-link JSON bytes."""
    return export_nodes_json(store.iter_nodes(), store.iter_relationships())


# -- networkx --------------------------------------------------------------------------------
def _flat(value: PropValue) -> str | int | float | bool:
    if isinstance(value, list):
        return orjson.dumps(value).decode()
    return value


def to_networkx(nodes: Iterable[Node], rels: Iterable[Relationship]) -> nx.MultiDiGraph:
    """A flat-attribute MultiDiGraph (for GraphML/GEXF), nodes and edges in canonical order.

    Node attributes: ``type``, ``label`` and the properties; edge attributes: ``type``,
    ``key`` and the provenance fields; list values (and ``span``) are JSON strings. Edge keys
    are ``TYPE|key``.
    """
    ns, rs = _sorted(nodes, rels)
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    for node in ns:
        data = {k: _flat(v) for k, v in node.to_dict().items() if k != "id"}
        graph.add_node(node.id, **data)
    for rel in rs:
        if rel.source not in graph or rel.target not in graph:
            continue
        data = {k: _flat(v) for k, v in rel.to_dict().items() if k not in ("source", "target")}
        graph.add_edges_from([(rel.source, rel.target, f"{rel.type.value}|{rel.key}", data)])
    return graph


def _gexf_ready(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Rename attributes the GEXF writer would interpret; the relationship type is the label."""
    out: nx.MultiDiGraph = nx.MultiDiGraph()
    for node_id, data in graph.nodes(data=True):
        renamed = {(f"prop_{k}" if k in _GEXF_NODE_RESERVED else k): v for k, v in data.items()
                   if k != "label"}
        out.add_node(node_id, label=data.get("label", node_id), **renamed)
    for source, target, key, data in graph.edges(keys=True, data=True):
        renamed = {(f"rel_{k}" if k in _GEXF_EDGE_RESERVED else k): v for k, v in data.items()}
        out.add_edges_from([(source, target, key, {"label": data.get("type", ""), **renamed})])
    return out


def iter_graphml(nodes: Iterable[Node], rels: Iterable[Relationship]) -> Iterator[bytes]:
    """GraphML in chunks (lines)."""
    writer = GraphMLWriter(graph=to_networkx(nodes, rels), infer_numeric_types=True)
    yield from (line + b"\n" for line in str(writer).encode().splitlines())


def iter_gexf(nodes: Iterable[Node], rels: Iterable[Relationship]) -> Iterator[bytes]:
    """GEXF 1.2 in chunks (lines)."""
    graph = _gexf_ready(to_networkx(nodes, rels))
    for line in nx.generate_gexf(graph):
        yield (line + "\n").encode()


def _write(fh: BinaryIO, chunks: Iterable[bytes]) -> None:
    for chunk in chunks:
        fh.write(chunk)


def export_graphml(store: GraphStore, fh: BinaryIO) -> None:
    """Write the whole graph as GraphML to a binary file object."""
    _write(fh, iter_graphml(store.iter_nodes(), store.iter_relationships()))


def export_gexf(store: GraphStore, fh: BinaryIO) -> None:
    """Write the whole graph as GEXF to a binary file object."""
    _write(fh, iter_gexf(store.iter_nodes(), store.iter_relationships()))


def node_link_graph(data: bytes | dict[str, Any]) -> nx.MultiDiGraph:
    """Read canonical node-link JSON back into a networkx MultiDiGraph (flat attributes)."""
    parsed = orjson.loads(data) if isinstance(data, bytes) else data
    graph: nx.MultiDiGraph = nx.node_link_graph(parsed, directed=True, multigraph=True,
                                                edges="edges")
    return graph
