"""Positions for the explorer's views, computed on the server (pure functions).

* :func:`radial_layout` lays out each component as a radial tree (linear time);
* :func:`collapsed_layout` lays out the graph with each instrument's articles and each
  paper's sections folded into their parent, then places the parts around it (a sunflower),
  so a view opens with its instruments and papers spread out, not buried in their parts;
* :func:`outline_layout` draws a paper as its table of contents: sections top to bottom,
  indented by level, and what they cite or mention in a column beside them.

Examples
--------
>>> from citegraph.model import Node, NodeType
>>> jurisdiction_of(Node("article:/akn/cn/act/1997-03-14/criminal-law#art_1", "Article", "1"))
'CN'
"""

from __future__ import annotations

import math
import re
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from citegraph.model import Node, NodeType, RelType

__all__ = ["collapsed_layout", "jurisdiction_of", "outline_layout", "parent_map",
           "radial_layout"]

Position = tuple[float, float]
_AKN_COUNTRY = re.compile(r"/akn/([a-z]{2,})/")
#: Akoma Ntoso "country" parts that name an organisation (the catalog's ``org/...`` codes).
_ORGANISATIONS = frozenset({"un", "eu", "coe", "ilo", "interpol", "who", "wto", "oecd", "oas"})
_STRUCTURE = {RelType.HAS_ARTICLE, RelType.HAS_SECTION}


class Edge(Protocol):
    """What a layout needs of a drawn edge."""

    @property
    def source(self) -> str: ...
    @property
    def target(self) -> str: ...
    @property
    def type(self) -> RelType: ...


def jurisdiction_of(node: Node) -> str | None:
    """A node's jurisdiction: its ``jurisdiction`` property, the country of its Akoma
    Ntoso IRI (``org/xx`` for an organisation), or a jurisdiction's own code."""
    value = node.props.get("jurisdiction")
    if isinstance(value, str) and value:
        return value
    if node.type is NodeType.JURISDICTION:
        return node.id.removeprefix("jurisdiction:")
    if node.type in (NodeType.INSTRUMENT, NodeType.ARTICLE):
        match = _AKN_COUNTRY.search(node.id)
        if match:
            code = match.group(1)
            return f"org/{code}" if code in _ORGANISATIONS or len(code) != 2 else code.upper()
    return None


def parent_map(nodes: Sequence[Node], edges: Iterable[Edge]) -> dict[str, str]:
    """Each drawn article's instrument and each drawn section's paper, when drawn too
    (from HAS_ARTICLE / HAS_SECTION edges, else from the node's ``work_iri``/``document``)."""
    present = {n.id for n in nodes}
    parents: dict[str, str] = {}
    for edge in edges:
        if edge.type in _STRUCTURE and edge.source in present:
            parents.setdefault(edge.target, edge.source)
    for node in nodes:
        if node.id in parents:
            continue
        if node.type is NodeType.ARTICLE:
            iri = node.props.get("work_iri")
            owner = f"instrument:{iri}" if isinstance(iri, str) else None
        elif node.type is NodeType.SECTION:
            doc = node.props.get("document")
            owner = doc if isinstance(doc, str) else None
        else:
            owner = None
        if owner is not None and owner in present and owner != node.id:
            parents[node.id] = owner
    return parents


def _sunflower(center: Position, count: int, spacing: float) -> list[Position]:
    """``count`` points around ``center``, evenly filling a disc (Vogel's spiral)."""
    golden = math.pi * (3 - math.sqrt(5))
    step = spacing * 0.45
    return [(round(center[0] + step * math.sqrt(i + 1.5) * math.cos(i * golden), 1),
             round(center[1] + step * math.sqrt(i + 1.5) * math.sin(i * golden), 1))
            for i in range(count)]


def collapsed_layout(node_ids: Sequence[str], edges: Sequence[Edge],
                     parents: Mapping[str, str], *, root: str | None = None,
                     spacing: float = 60.0) -> dict[str, Position]:
    """Lay out the graph with parts folded into their parents, then the parts around them."""
    def rep(node: str) -> str:
        return parents.get(node, node)

    tops = [n for n in node_ids if n not in parents]
    children: dict[str, list[str]] = defaultdict(list)
    for node in node_ids:
        if node in parents:
            children[parents[node]].append(node)
    # a parent with many parts needs room: its disc grows with the square root of their count
    pos = radial_layout(tops, ((rep(e.source), rep(e.target)) for e in edges),
                        root=rep(root) if root else None, spacing=spacing)
    for parent, kids in children.items():
        for kid, at in zip(kids, _sunflower(pos[parent], len(kids), spacing), strict=True):
            pos[kid] = at
    return pos


def _section_key(node: Node) -> tuple[object, ...]:
    order = node.props.get("order")
    number = str(node.props.get("number", ""))
    parts = tuple(int(p) if p.isdigit() else 0 for p in re.split(r"\D+", number) if p)
    return (order if isinstance(order, int) else 10**9, parts, node.id)


def outline_layout(nodes: Sequence[Node], edges: Sequence[Edge], root: str, *,
                   row: float = 46.0, indent: float = 40.0,
                   column: float = 520.0) -> dict[str, Position]:
    """A paper as its outline: sections in reading order down the page (indented by
    level), everything else they point to in a column to the right, each at the height
    of the sections that point to it (pushed apart so no two share a row)."""
    sections = sorted((n for n in nodes if n.type is NodeType.SECTION), key=_section_key)
    pos: dict[str, Position] = {root: (0.0, 0.0)}
    for i, sec in enumerate(sections):
        level = sec.props.get("level")
        depth = level if isinstance(level, int) else str(sec.props.get("number", "")).count(".") + 1
        pos[sec.id] = (indent * depth, row * (i + 1))
    heights: dict[str, list[float]] = defaultdict(list)
    for edge in edges:
        for a, b in ((edge.source, edge.target), (edge.target, edge.source)):
            if a in pos and b not in pos:
                heights[b].append(pos[a][1])
    others = [n.id for n in nodes if n.id not in pos]
    wanted = {n: (sum(heights[n]) / len(heights[n]) if heights[n] else math.inf) for n in others}
    y = -math.inf
    for i, node in enumerate(sorted(others, key=lambda n: (wanted[n], n))):
        target = wanted[node] if wanted[node] != math.inf else y + row
        y = max(target, y + row * 0.6)
        pos[node] = (column + (i % 2) * column * 0.45, round(y, 1))
    return pos

def _adjacency(node_ids: Sequence[str],
               edges: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    present = set(node_ids)
    adj: dict[str, set[str]] = {n: set() for n in node_ids}
    for a, b in edges:
        if a != b and a in present and b in present:
            adj[a].add(b)
            adj[b].add(a)
    return {n: sorted(adj[n], key=lambda m: (-len(adj[m]), m)) for n in node_ids}


def _bfs_tree(root: str, adj: Mapping[str, list[str]]
              ) -> tuple[list[str], dict[str, list[str]], dict[str, int]]:
    order = [root]
    children: dict[str, list[str]] = {root: []}
    depth = {root: 0}
    queue = deque([root])
    while queue:
        node = queue.popleft()
        for nxt in adj[node]:
            if nxt not in depth:
                depth[nxt] = depth[node] + 1
                children[node].append(nxt)
                children[nxt] = []
                order.append(nxt)
                queue.append(nxt)
    return order, children, depth


def _radial_component(root: str, adj: Mapping[str, list[str]], spacing: float
                      ) -> tuple[dict[str, tuple[float, float]], float]:
    """Radial tree layout of one component: wedges proportional to leaf counts."""
    order, children, depth = _bfs_tree(root, adj)
    leaves: dict[str, int] = {}
    for node in reversed(order):
        leaves[node] = max(1, sum(leaves[c] for c in children[node]))
    per_ring: dict[int, int] = defaultdict(int)
    for d in depth.values():
        per_ring[d] += 1
    radius = [0.0]
    for d in range(1, max(per_ring) + 1):
        # a ring must be long enough to hold its nodes `spacing` apart
        radius.append(max(radius[-1] + spacing, per_ring[d] * spacing / (2 * math.pi)))
    pos = {root: (0.0, 0.0)}
    wedge = {root: (0.0, 2 * math.pi)}
    for node in order:
        start, span = wedge[node]
        for child in children[node]:
            share = span * leaves[child] / leaves[node]
            wedge[child] = (start, share)
            angle = start + share / 2
            r = radius[depth[child]]
            pos[child] = (r * math.cos(angle), r * math.sin(angle))
            start += share
    return pos, radius[-1] + spacing / 2


def radial_layout(node_ids: Sequence[str], edges: Iterable[tuple[str, str]], *,
                  root: str | None = None, spacing: float = 60.0
                  ) -> dict[str, tuple[float, float]]:
    """Positions for every node, in time linear in nodes and edges.

    Each connected component is laid out as a radial tree around its best-connected node
    (``root`` for its own component), and components are packed in rows, largest first.
    Deterministic: the same graph gives the same positions.

    >>> pos = radial_layout(["a", "b", "c", "z"], [("a", "b"), ("a", "c")])
    >>> pos["a"] != pos["b"] and len(pos) == 4
    True
    """
    adj = _adjacency(node_ids, edges)
    ranked = sorted(node_ids, key=lambda n: (n != root, -len(adj[n]), n))
    placed: set[str] = set()
    components: list[tuple[dict[str, tuple[float, float]], float]] = []
    for start in ranked:
        if start in placed:
            continue
        comp, extent = _radial_component(start, adj, spacing)
        placed.update(comp)
        components.append((comp, extent))
    return _pack(components)


def _pack(components: Sequence[tuple[dict[str, tuple[float, float]], float]]
          ) -> dict[str, tuple[float, float]]:
    """Shelf-pack components (each a disc of radius ``extent``), largest first."""
    if not components:
        return {}
    total_area = sum((2 * extent) ** 2 for _, extent in components)
    row_width = max(2 * components[0][1], math.sqrt(total_area) * 1.2)
    positions: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for comp, extent in sorted(components, key=lambda c: -c[1]):
        size = 2 * extent
        if x > 0 and x + size > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        cx, cy = x + extent, y + extent
        for node, (px, py) in comp.items():
            positions[node] = (round(cx + px, 1), round(cy + py, 1))
        x += size
        row_height = max(row_height, size)
    mid_x = row_width / 2
    mid_y = (y + row_height) / 2
    return {n: (round(px - mid_x, 1), round(py - mid_y, 1)) for n, (px, py) in positions.items()}


