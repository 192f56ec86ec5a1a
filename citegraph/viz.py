r"""Visualisation: a :class:`~citegraph.model.Subgraph` as vis-network data and as HTML.

Everything here is pure: a subgraph goes in, JSON-ready data or an HTML string comes out.

* :func:`to_vis_data` styles nodes by type and edges by relationship type, sizes nodes by
  degree (or a given score such as PageRank), merges parallel edges of one type, caps what is
  drawn (saying how much was left out) and computes positions on the server with
  :func:`radial_layout`, so a large view is drawn at once with physics off.
* :func:`render_html` is the static export: one self-contained document with vis-network's
  script and style inlined and a Content-Security-Policy that admits only those exact inline
  blocks (by hash), so nothing is fetched and nothing injected can run.
* :func:`render_page` is the same view served by the app, with scripts loaded from its own
  static route.

Every label, property, quote and title comes from ingested documents and is treated as text:
the HTML parts are escaped with :func:`html.escape`, the data travels as JSON escaped for an
HTML ``<script type="application/json">`` block (:func:`json_for_html`), and the browser
script builds every element with ``textContent``.

Examples
--------
>>> from citegraph.model import Node, NodeType, Subgraph
>>> sg = Subgraph(nodes=(Node("concept:x", NodeType.CONCEPT, "<b>x</b>"),))
>>> data = to_vis_data(sg)
>>> data["nodes"][0]["label"], data["meta"]["nodes_drawn"]
('<b>x</b>', 1)
>>> page = render_html(sg, title="t")
>>> "<b>x</b>" in page, "\\u003cb\\u003ex" in page
(False, True)
"""

from __future__ import annotations

import base64
import hashlib
import html
import math
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any

import orjson

from citegraph.analytics import own_year
from citegraph.model import Node, NodeType, Relationship, RelType, Subgraph
from citegraph.vizlayout import (
    collapsed_layout,
    jurisdiction_of,
    outline_layout,
    parent_map,
    radial_layout,
)

__all__ = [
    "EDGE_STYLES",
    "NODE_STYLES",
    "EdgeGroup",
    "EdgeStyle",
    "NodeStyle",
    "ViewOptions",
    "asset_bytes",
    "asset_text",
    "degree_scores",
    "group_edges",
    "json_for_html",
    "radial_layout",
    "render_html",
    "render_page",
    "select_nodes",
    "to_vis_data",
]


# -- styles ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class NodeStyle:
    """How a node type is drawn: a fill colour and a vis-network shape with the label below."""

    color: str
    shape: str


@dataclass(frozen=True, slots=True)
class EdgeStyle:
    """How a relationship type is drawn."""

    color: str
    width: float = 1.0
    dashes: bool = False


NODE_STYLES: Mapping[NodeType, NodeStyle] = {
    NodeType.WORK: NodeStyle("#4e79a7", "dot"),
    NodeType.SECTION: NodeStyle("#a0cbe8", "square"),
    NodeType.INSTRUMENT: NodeStyle("#f28e2b", "diamond"),
    NodeType.ARTICLE: NodeStyle("#ffbe7d", "triangle"),
    NodeType.CONCEPT: NodeStyle("#59a14f", "star"),
    NodeType.JURISDICTION: NodeStyle("#e15759", "hexagon"),
}

#: Fill of an instrument that names nothing known (``status: "unresolved"``); drawn dashed.
UNRESOLVED_COLOR = "#bab0ac"

_STRUCTURE = EdgeStyle("#9e9e9e", 1.0)
_BETWEEN_INSTRUMENTS = 2.5
EDGE_STYLES: Mapping[RelType, EdgeStyle] = {
    RelType.HAS_SECTION: _STRUCTURE,
    RelType.HAS_ARTICLE: _STRUCTURE,
    RelType.PART_OF: _STRUCTURE,
    RelType.CITES: EdgeStyle("#4e79a7", 1.5),
    RelType.MENTIONS: EdgeStyle("#76b7b2", 1.0, dashes=True),
    RelType.REFERS_TO: EdgeStyle("#b07aa1", 1.5),
    RelType.SUPPLEMENTS: EdgeStyle("#f28e2b", _BETWEEN_INSTRUMENTS),
    RelType.AMENDS: EdgeStyle("#d37295", _BETWEEN_INSTRUMENTS),
    RelType.IMPLEMENTS: EdgeStyle("#e15759", _BETWEEN_INSTRUMENTS),
    RelType.INTERPRETS: EdgeStyle("#edc948", _BETWEEN_INSTRUMENTS),
    RelType.SUPERSEDES: EdgeStyle("#79706e", _BETWEEN_INSTRUMENTS, dashes=True),
    RelType.RATIFIED: EdgeStyle("#ff9da7", 1.5, dashes=True),
    RelType.SIGNED: EdgeStyle("#ff9da7", 1.0, dashes=True),
    RelType.ENACTED: EdgeStyle("#ff9da7", 1.5),
    RelType.DEFINES: EdgeStyle("#59a14f", 2.0),
    RelType.ADDRESSES: EdgeStyle("#8cd17d", 1.5),
}


@dataclass(frozen=True, slots=True)
class ViewOptions:
    """Caps and thresholds for one view.

    ``max_nodes``/``max_edges`` cap what is drawn (the rest is counted, not drawn);
    above ``physics_max_nodes`` nodes the browser runs no physics and uses the server's
    positions as they are; below it the positions are only a starting point.
    """

    max_nodes: int = 5000
    max_edges: int = 20000
    physics_max_nodes: int = 300
    label_chars: int = 48
    fact_chars: int = 400
    max_facts: int = 24
    #: above ``physics_max_nodes``: shorter facts, so a 5,000-node page stays a few MB
    large_fact_chars: int = 160
    large_max_facts: int = 10
    quotes_per_edge: int = 3
    #: above ``physics_max_nodes``: one quote per edge (a 5,000-node view stays ~2 MB)
    large_quotes_per_edge: int = 1
    spacing: float = 60.0


# -- sizing and capping ----------------------------------------------------------------------
def degree_scores(subgraph: Subgraph) -> dict[str, float]:
    """Degree of each node within the subgraph (edges whose two ends are both present).

    >>> from citegraph.model import Node, NodeType, Provenance, Relationship, Subgraph
    >>> a, b = (Node(i, NodeType.CONCEPT, i) for i in "ab")
    >>> r = Relationship("a", "b", "REFERS_TO", Provenance("d"))
    >>> degree_scores(Subgraph((a, b), (r,)))
    {'a': 1.0, 'b': 1.0}
    """
    scores = {node.id: 0.0 for node in subgraph.nodes}
    for rel in subgraph.relationships:
        if rel.source in scores and rel.target in scores:
            scores[rel.source] += 1.0
            scores[rel.target] += 1.0
    return scores


def select_nodes(nodes: Sequence[Node], scores: Mapping[str, float], max_nodes: int,
                 keep: Collection[str] = ()) -> list[Node]:
    """The ``max_nodes`` nodes to draw: those in ``keep`` first, then by score, then by id.

    >>> from citegraph.model import Node, NodeType
    >>> ns = [Node(i, NodeType.CONCEPT, i) for i in "abc"]
    >>> [n.id for n in select_nodes(ns, {"a": 1, "b": 5, "c": 3}, 2, keep={"a"})]
    ['a', 'b']
    """
    if len(nodes) <= max_nodes:
        return list(nodes)
    ranked = sorted(nodes, key=lambda n: (n.id not in keep, -scores.get(n.id, 0.0), n.id))
    return ranked[:max(0, max_nodes)]


@dataclass(frozen=True, slots=True)
class EdgeGroup:
    """Parallel relationships of one type between two nodes, drawn as one edge."""

    source: str
    target: str
    type: RelType
    relationships: tuple[Relationship, ...] = field(default=())

    @property
    def id(self) -> str:
        return f"{self.source}\x1f{self.type.value}\x1f{self.target}"


def group_edges(relationships: Iterable[Relationship],
                node_ids: Collection[str]) -> list[EdgeGroup]:
    """Group relationships between drawn nodes by (source, type, target), in a stable order."""
    groups: dict[tuple[str, str, str], list[Relationship]] = defaultdict(list)
    for rel in relationships:
        if rel.source in node_ids and rel.target in node_ids:
            groups[(rel.source, rel.type.value, rel.target)].append(rel)
    return [EdgeGroup(s, t, RelType(ty), tuple(sorted(rels, key=lambda r: r.identity)))
            for (s, ty, t), rels in sorted(groups.items())]


# -- facts shown in tooltips and panels ------------------------------------------------------
def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"


def _fact_value(value: object, limit: int) -> str:
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return _clip(str(value), limit)


def node_facts(node: Node, degree: float, options: ViewOptions) -> list[list[str]]:
    """``[name, value]`` pairs describing a node (strings, clipped): type, id, label, degree
    (in this view), then its properties."""
    facts = [["type", node.type.value], ["id", node.id], ["label", _clip(node.label, 400)],
             ["degree", f"{degree:g}"]]
    for key in sorted(node.props)[: options.max_facts]:
        facts.append([key, _fact_value(node.props[key], options.fact_chars)])
    return facts


def edge_facts(group: EdgeGroup, options: ViewOptions) -> dict[str, Any]:
    """The edge's type, count and the provenance of its first few relationships."""
    quotes = []
    for rel in group.relationships[: options.quotes_per_edge]:
        p = rel.provenance
        quotes.append({"document": p.document, "locator": p.locator,
                       "quote": _clip(plain_quote(p.quote[: 2 * options.fact_chars]),
                                      options.fact_chars),
                       "method": p.method,
                       "confidence": f"{p.confidence:g}"})
    return {"count": len(group.relationships), "quotes": quotes}


_MARKUP = re.compile(r"[\[*`\\]")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)\s]*\)?")
_MD_MARK = re.compile(r"(\*\*|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|`|\\(?=[\[\]()*_`#\\]))")


def plain_quote(text: str) -> str:
    r"""A quote as plain text: Markdown links become their text, emphasis marks and
    backslash escapes go.

    >>> plain_quote("See **[Article 3](https://example.org/a3)** and \\[1\\].")
    'See Article 3 and [1].'
    """
    if not _MARKUP.search(text):  # most sentences: nothing to take out
        return text
    return _MD_MARK.sub("", _MD_LINK.sub(r"\1", text))


#: Relationships that only say what a thing is made of (drawn thin, folded in the panel).
STRUCTURE_TYPES = frozenset({RelType.HAS_SECTION, RelType.HAS_ARTICLE, RelType.PART_OF})


def list_entry(node: Node) -> dict[str, Any]:
    """What a result list or a suggestion shows of a node: id, label, type, year,
    jurisdiction, and whether it is an unresolved mention.

    >>> entry = list_entry(Node("instrument:/akn/un/treaty/1989-11-20/crc", "Instrument", "CRC"))
    >>> entry["year"], entry["jurisdiction"], entry["unresolved"]
    (1989, 'org/un', False)
    """
    return {"id": node.id, "label": node.label or node.id, "type": node.type.value,
            "year": own_year(node), "jurisdiction": jurisdiction_of(node),
            "unresolved": is_unresolved(node)}


def is_unresolved(node: Node) -> bool:
    return node.type is NodeType.INSTRUMENT and node.props.get("status") == "unresolved"


# -- the data a browser draws ----------------------------------------------------------------
def to_vis_data(subgraph: Subgraph, *, title: str = "", highlight: str | None = None,
                scores: Mapping[str, float] | None = None,
                options: ViewOptions | None = None, layout: str = "radial",
                hits: Sequence[str] = ()) -> dict[str, Any]:
    """JSON-ready data for ``graphview.js``: nodes, edges, styles, legend and counts.

    ``scores`` (e.g. PageRank) sizes the nodes instead of their degree. The result's
    ``meta`` says how many nodes and edges the subgraph had, how many are drawn and
    whether the store had already cut the result (``store_truncated``).
    """
    opts = options or ViewOptions()
    nodes = _unique_nodes(subgraph.nodes)
    degree = degree_scores(Subgraph(tuple(nodes), subgraph.relationships))
    size_by = dict(scores) if scores is not None else degree
    keep = set(hits) | ({highlight} if highlight else set())
    drawn = select_nodes(nodes, size_by, opts.max_nodes, keep)
    drawn_ids = {n.id for n in drawn}
    all_groups = group_edges(subgraph.relationships, {n.id for n in nodes})
    groups = [g for g in all_groups if g.source in drawn_ids and g.target in drawn_ids]
    if len(groups) > opts.max_edges:
        groups.sort(key=lambda g: (-(size_by.get(g.source, 0.0) + size_by.get(g.target, 0.0)),
                                   g.id))
        groups = sorted(groups[: opts.max_edges], key=lambda g: g.id)
    if len(drawn) > opts.physics_max_nodes:
        opts = replace(opts, fact_chars=opts.large_fact_chars, max_facts=opts.large_max_facts,
                       quotes_per_edge=opts.large_quotes_per_edge)
    root = highlight if highlight in drawn_ids else None
    parents = parent_map(drawn, groups)
    if layout == "outline" and root is not None:
        positions = outline_layout(drawn, groups, root)
    else:
        positions = collapsed_layout([n.id for n in drawn], groups, parents, root=root,
                                     spacing=opts.spacing)
    top = max((size_by.get(n.id, 0.0) for n in drawn), default=0.0)
    vis_nodes = [_vis_node(n, positions[n.id], size_by.get(n.id, 0.0), top,
                           degree.get(n.id, 0.0), n.id == highlight, scores is not None, opts)
                 for n in drawn]
    for vn in vis_nodes:
        if vn["id"] in parents:
            vn["parent"] = parents[vn["id"]]
    vis_edges = [_vis_edge(g, opts) for g in groups]
    physics = len(drawn) <= opts.physics_max_nodes
    return {
        "title": title,
        "highlight": highlight if highlight in drawn_ids else None,
        "hits": [h for h in hits if h in drawn_ids],
        "nodes": vis_nodes,
        "edges": vis_edges,
        "styles": _styles(),
        "legend": _legend(drawn, groups),
        "meta": {
            "nodes_total": len(nodes),
            "edges_total": sum(len(g.relationships) for g in all_groups),
            "nodes_drawn": len(vis_nodes),
            "edges_drawn": sum(len(g.relationships) for g in groups),
            "edge_lines": len(vis_edges),
            "nodes_omitted": len(nodes) - len(vis_nodes),
            "edges_omitted": sum(len(g.relationships) for g in all_groups)
            - sum(len(g.relationships) for g in groups),
            "store_truncated": subgraph.truncated,
            "physics": physics,
            "sized_by": "score" if scores is not None else "degree",
            "layout": "outline" if layout == "outline" and root is not None else "radial",
        },
    }


def _unique_nodes(nodes: Iterable[Node]) -> list[Node]:
    seen: dict[str, Node] = {}
    for node in nodes:
        seen.setdefault(node.id, node)
    return list(seen.values())


def _vis_node(node: Node, pos: tuple[float, float], score: float, top: float,
              degree: float, highlighted: bool, scored: bool,
              opts: ViewOptions) -> dict[str, Any]:
    size = 10.0 + (22.0 * math.sqrt(score / top) if top > 0 else 0.0)
    data: dict[str, Any] = {
        "id": node.id, "label": _clip(node.label or node.id, opts.label_chars),
        "type": node.type.value, "size": round(size, 1), "x": pos[0], "y": pos[1],
        "facts": node_facts(node, degree, opts),
    }
    year = own_year(node)
    if year is not None:
        data["year"] = year
    place = jurisdiction_of(node)
    if place:
        data["jurisdiction"] = place
    if scored:
        data["facts"].insert(4, ["score", f"{score:.4g}"])
    if is_unresolved(node):
        data["unresolved"] = True
    if highlighted:
        data["highlight"] = True
    return data


def _vis_edge(group: EdgeGroup, opts: ViewOptions) -> dict[str, Any]:
    facts = edge_facts(group, opts)
    data = {"id": group.id, "from": group.source, "to": group.target,
            "type": group.type.value, "count": facts["count"], "quotes": facts["quotes"]}
    dates = sorted(str(r.props["date"]) for r in group.relationships if r.props.get("date"))
    if dates:
        data["date"] = dates[0]
    return data


def _styles() -> dict[str, Any]:
    return {
        "nodes": {t.value: {"color": s.color, "shape": s.shape} for t, s in NODE_STYLES.items()},
        "edges": {t.value: {"color": s.color, "width": s.width, "dashes": s.dashes}
                  for t, s in EDGE_STYLES.items()},
        "unresolved": UNRESOLVED_COLOR,
    }


def _legend(nodes: Sequence[Node], groups: Sequence[EdgeGroup]) -> dict[str, Any]:
    node_counts: dict[str, int] = defaultdict(int)
    for node in nodes:
        node_counts["unresolved" if is_unresolved(node) else node.type.value] += 1
    edge_counts: dict[str, int] = defaultdict(int)
    for group in groups:
        edge_counts[group.type.value] += len(group.relationships)
    order = [t.value for t in NodeType] + ["unresolved"]
    return {"nodes": [[t, node_counts[t]] for t in order if node_counts[t]],
            "edges": [[t.value, edge_counts[t.value]] for t in RelType if edge_counts[t.value]]}


def summary_text(meta: Mapping[str, Any]) -> str:
    """One line saying what is drawn and what was left out.

    >>> summary_text({"nodes_drawn": 2, "edges_drawn": 1, "nodes_omitted": 3,
    ...               "edges_omitted": 0, "store_truncated": False})
    '2 nodes and 1 edges drawn; 3 nodes and 0 edges left out (cap)'
    """
    text = f"{meta['nodes_drawn']} nodes and {meta['edges_drawn']} edges drawn"
    if meta["nodes_omitted"] or meta["edges_omitted"]:
        text += (f"; {meta['nodes_omitted']} nodes and {meta['edges_omitted']} edges "
                 "left out (cap)")
    if meta["store_truncated"]:
        text += "; the query hit its result limit, so more may exist"
    return text


# -- HTML ------------------------------------------------------------------------------------
_JSON_HTML_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                                    "\u2028": "\\u2028", "\u2029": "\\u2029"})


def json_for_html(data: Any) -> str:
    """JSON safe to place inside an HTML ``<script>`` block (no ``<``, ``>``, ``&``, U+2028/9).

    >>> json_for_html({"x": "</script><b>&"})
    '{"x":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    return orjson.dumps(data).decode("utf-8").translate(_JSON_HTML_ESCAPES)


#: Files under ``citegraph/assets`` that a page may load.
ASSETS: Mapping[str, str] = {
    "vis-network.min.js": "vis-network-9.1.2/vis-network.min.js",
    "vis-network.min.css": "vis-network-9.1.2/vis-network.min.css",
    "graphview.js": "graphview.js",
    "graphview.css": "graphview.css",
}


@cache
def asset_bytes(name: str) -> bytes:
    """The bytes of one of :data:`ASSETS` (a ``KeyError`` for any other name)."""
    return resources.files("citegraph").joinpath("assets", ASSETS[name]).read_bytes()


def asset_text(name: str) -> str:
    """The text of one of :data:`ASSETS`, newlines normalised as an HTML parser would.

    Inline blocks are hashed for the Content-Security-Policy, and the browser hashes what it
    parsed, after turning CR LF and CR into LF.
    """
    return asset_bytes(name).decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def render_html(subgraph: Subgraph, *, title: str, highlight: str | None = None,
                scores: Mapping[str, float] | None = None,
                options: ViewOptions | None = None) -> str:
    """A complete, self-contained HTML document drawing ``subgraph`` (the static export).

    vis-network and the view script are inlined; a Content-Security-Policy meta tag allows
    exactly those inline scripts and styles (by SHA-256) and no network access at all.
    """
    data = to_vis_data(subgraph, title=title, highlight=highlight, scores=scores,
                       options=options)
    scripts = [asset_text("vis-network.min.js"), asset_text("graphview.js")]
    styles = [asset_text("vis-network.min.css"), asset_text("graphview.css")]
    csp = ("default-src 'none'; img-src data:; base-uri 'none'; form-action 'none'; "
           f"script-src {' '.join(_csp_hash(s) for s in scripts)}; "
           f"style-src {' '.join(_csp_hash(s) for s in styles)}")
    head = "".join(f"<style>{s}</style>\n" for s in styles)
    tail = "".join(f"<script>{s}</script>\n" for s in scripts)
    return _document(data, title=title, csp=csp, head=head, tail=tail, links=())


def render_page(data: Mapping[str, Any], *, title: str, static_url: str,
                links: Sequence[tuple[str, str]] = ()) -> str:
    """A served view page for ``data`` (from :func:`to_vis_data`): assets from ``static_url``.

    ``links`` are ``(text, href)`` pairs shown in the header (e.g. "open as JSON"); the
    server sends the Content-Security-Policy as a header.
    """
    base = html.escape(static_url.rstrip("/"), quote=True)
    head = "".join(f'<link rel="stylesheet" href="{base}/{n}">\n'
                   for n in ("vis-network.min.css", "graphview.css"))
    tail = "".join(f'<script src="{base}/{n}"></script>\n'
                   for n in ("vis-network.min.js", "graphview.js"))
    return _document(data, title=title, csp=None, head=head, tail=tail, links=links)


def _document(data: Mapping[str, Any], *, title: str, csp: str | None, head: str, tail: str,
              links: Sequence[tuple[str, str]]) -> str:
    esc = html.escape
    csp_meta = (f'<meta http-equiv="Content-Security-Policy" content="{esc(csp, quote=True)}">\n'
                if csp else "")
    nav = "".join(f'<a href="{esc(href, quote=True)}">{esc(text)}</a> '
                  for text, href in links)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"{csp_meta}"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<link rel=\"icon\" href=\"data:,\">\n{head}</head>\n"
        '<body class="cg-view">\n'
        f'<header class="cg-header"><h1 id="cg-title">{esc(title)}</h1>'
        f'<p id="cg-meta">{esc(summary_text(data["meta"]))}</p>'
        f'<nav class="cg-links">{nav}</nav></header>\n'
        '<main class="cg-main"><div id="cg-graph" class="cg-graph"></div>'
        '<aside id="cg-panel" class="cg-panel"><p class="cg-hint">Select a node or an edge '
        "to see its facts and provenance.</p></aside></main>\n"
        '<footer id="cg-legend" class="cg-legend"></footer>\n'
        f'<script type="application/json" id="cg-data">{json_for_html(data)}</script>\n'
        f"{tail}</body>\n</html>\n"
    )
