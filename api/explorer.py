"""The explorer page at ``/`` and the graph views, as HTML and as the JSON they draw.

Routes (left out of the OpenAPI schema: they are the user interface, not the API):

* ``GET /`` the explorer, one page whose state (view, selection, filters, path) lives in
  its URL: ``/?view=ego&id=...&depth=2&sel=...``;
* ``GET /viz/{ego,path,influence,search,paper}`` the old one-view pages: a redirect to the
  explorer in that state;
* ``GET /viz/data/{overview,ego,path,influence,search,paper}`` a view as JSON (what the
  page draws, from :func:`citegraph.viz.to_vis_data`);
* ``GET /viz/data/suggest?q=`` autocomplete: the best few names for what was typed
  (citation-aware: "CRC art 34" suggests the article);
* ``GET /viz/data/node?id=`` a node's properties and relationships with provenance, with
  the labels of the other ends, for the side panel;
* ``GET /viz/static/{name}`` the scripts and styles: vis-network vendored in the package,
  nothing from a CDN.

Every page carries a strict Content-Security-Policy (scripts, styles and requests only from
this server, no inline script), so even a label that slipped through escaping could not run.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

import orjson
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from api.deps import SettingsDep, StoreDep
from api.routes.nodes import invalid
from citegraph import viz, vizqueries
from citegraph.model import Node, NodeType, Relationship
from citegraph.queries import node_relationships
from citegraph.stores.base import MAX_DEPTH, MAX_PATH_LENGTH, GraphStore
from citegraph.stores.gateway import AsyncStore

router = APIRouter(include_in_schema=False)

STATIC_URL = "/viz/static"

#: Sent with every explorer page and view.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}

#: Relationships listed in the side panel at most.
PANEL_RELATIONSHIPS = 200

#: The explorer's own scripts, in the order the page loads them (after graphview.js).
_OWN_SCRIPTS = ("panel.js", "suggest.js", "tables.js", "export.js", "explorer.js")
_OWN_STATIC = {name: name for name in (*_OWN_SCRIPTS, "explorer.css")}
_MEDIA = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}

NodeId = Annotated[str, Query(min_length=1, max_length=2048, description="Node id")]
NodeTypes = Annotated[list[NodeType] | None, Query(description="Keep only these node types")]
Size = Annotated[Literal["degree", "pagerank"], Query(description="What sizes the nodes")]
Year = Annotated[int | None, Query(ge=0, le=9999)]

Builder = Callable[[GraphStore], vizqueries.GraphView]

#: The views the explorer draws (``view=`` in its URL).
VIEW_KINDS = ("overview", "ego", "path", "influence", "search", "paper")


# -- the views' parameters: each dependency returns a function of the store ---------------
def ego_params(settings: SettingsDep, id: NodeId,
               depth: Annotated[int, Query(ge=1, le=MAX_DEPTH)] = 1,
               types: NodeTypes = None) -> Builder:
    if depth > settings.max_depth:
        raise invalid("depth", f"depth is capped at {settings.max_depth}")
    cap = settings.max_results
    return lambda store: vizqueries.ego_view(store, id, depth, node_types=types, limit=cap)


def path_params(source: NodeId, target: NodeId,
                max_length: Annotated[int, Query(ge=1, le=MAX_PATH_LENGTH)] = 6) -> Builder:
    return lambda store: vizqueries.path_view(store, source, target, max_length=max_length)


def influence_params(settings: SettingsDep, id: NodeId,
                     hops: Annotated[int, Query(ge=1, le=5)] = 3) -> Builder:
    cap = settings.max_results
    return lambda store: vizqueries.influence_view(store, id, hops, limit=cap)


def search_params(settings: SettingsDep, q: Annotated[str, Query(max_length=500)] = "",
                  types: NodeTypes = None, year_min: Year = None, year_max: Year = None,
                  limit: Annotated[int, Query(ge=1, le=100)] = 20) -> Builder:
    limit = min(limit, settings.max_results)
    return lambda store: vizqueries.search_view(store, q, node_types=types, year_min=year_min,
                                                year_max=year_max, limit=limit)


def paper_params(settings: SettingsDep, id: NodeId) -> Builder:
    cap = settings.max_results
    return lambda store: vizqueries.paper_view(store, id, limit=cap)


def overview_params() -> Builder:
    return vizqueries.overview_view


def _build(store: GraphStore, builder: Builder, size: str) -> dict[str, Any]:
    view = builder(store)
    if size == "pagerank":
        view = vizqueries.with_pagerank(store, view)
    return viz.to_vis_data(view.subgraph, title=view.title, highlight=view.highlight,
                           scores=view.scores, layout=view.layout, hits=view.hits)


async def _data(store: AsyncStore, settings: Any, builder: Builder, size: str) -> Response:
    data = await store.compute(lambda s: _build(s, builder, size))
    return Response(orjson.dumps(data), media_type="application/json")


def error_page(status: int, message: str) -> HTMLResponse:
    """A small HTML page for a view that cannot be shown (message escaped)."""
    text = html.escape(message)
    body = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>Error {status}</title><link rel=\"icon\" href=\"data:,\"></head>"
            f"<body><h1>Error {status}</h1>"
            f"<p>{text}</p><p><a href=\"/\">Explorer</a></p></body></html>\n")
    return HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)


# -- pages -----------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse)
async def explorer_page() -> HTMLResponse:
    """The explorer."""
    return HTMLResponse(explorer_html(), headers=SECURITY_HEADERS)


@router.get("/viz/{kind}", response_class=HTMLResponse)
async def view_page(request: Request, kind: str) -> Response:
    """The explorer opened on one view (the old one-view pages' addresses keep working)."""
    if kind not in VIEW_KINDS:
        return error_page(404, f"no view {kind!r}")
    query = urlencode([("view", kind), *request.query_params.multi_items()])
    return RedirectResponse(f"/?{query}", status_code=303, headers=SECURITY_HEADERS)


# -- the same views as JSON ------------------------------------------------------------------
@router.get("/viz/data/ego")
async def ego_data(store: StoreDep, settings: SettingsDep,
                   builder: Annotated[Builder, Depends(ego_params)],
                   size: Size = "degree") -> Response:
    return await _data(store, settings, builder, size)


@router.get("/viz/data/path")
async def path_data(store: StoreDep, settings: SettingsDep,
                    builder: Annotated[Builder, Depends(path_params)],
                    size: Size = "degree") -> Response:
    return await _data(store, settings, builder, size)


@router.get("/viz/data/influence")
async def influence_data(store: StoreDep, settings: SettingsDep,
                         builder: Annotated[Builder, Depends(influence_params)],
                         size: Size = "degree") -> Response:
    return await _data(store, settings, builder, size)


@router.get("/viz/data/search")
async def search_data(store: StoreDep, settings: SettingsDep,
                      builder: Annotated[Builder, Depends(search_params)],
                      size: Size = "degree") -> Response:
    return await _data(store, settings, builder, size)


@router.get("/viz/data/overview")
async def overview_data(store: StoreDep, settings: SettingsDep,
                        builder: Annotated[Builder, Depends(overview_params)],
                        size: Size = "degree") -> Response:
    return await _data(store, settings, builder, size)


@router.get("/viz/data/suggest")
async def suggest_data(store: StoreDep,
                       q: Annotated[str, Query(max_length=500)] = "",
                       types: NodeTypes = None,
                       limit: Annotated[int, Query(ge=1, le=30)] = 8) -> Response:
    """Autocomplete: the best names for what was typed, with type, year, jurisdiction."""
    words = q.strip()
    if not any(ch.isalnum() for ch in words):
        return Response(b"[]", media_type="application/json")
    found = await store.compute(lambda s: vizqueries.suggestions(s, words, types, limit))
    return Response(orjson.dumps([viz.list_entry(n) for n in found]),
                    media_type="application/json")


@router.get("/viz/data/paper")
async def paper_data(store: StoreDep, settings: SettingsDep,
                     builder: Annotated[Builder, Depends(paper_params)],
                     size: Size = "degree") -> Response:
    return await _data(store, settings, builder, size)


@router.get("/viz/data/node")
async def node_data(store: StoreDep, id: NodeId) -> Response:
    """The side panel's content: properties, relationships, provenance, other ends' labels."""
    detail = await store.quick(lambda s: node_detail(s, id))
    return Response(orjson.dumps(detail), media_type="application/json")


def node_detail(store: GraphStore, node_id: str) -> dict[str, Any]:
    """The side panel's data: the node, every kind of relationship counted (``summary``)
    and the first :data:`PANEL_RELATIONSHIPS` relationships taken in turn from each type
    and direction, so a statute's articles do not hide who mentions or interprets it.

    Substantive relationships come first, structure ones (an instrument's articles, a
    paper's sections) last and flagged, so the panel can fold them; each names the
    document it was read from by its label, and quotes are plain text."""
    node = store.get_node(node_id)
    touching = node_relationships(store, node_id)
    shown = sorted(touching.relationships[:PANEL_RELATIONSHIPS],
                   key=lambda r: r.type in viz.STRUCTURE_TYPES)
    others = {r.target if r.source == node_id else r.source for r in shown}
    others |= {r.provenance.document for r in shown if r.provenance.document}
    labels: dict[str, Node] = {}
    for other in sorted(others):
        found = store.find_node(other)
        if found is not None:
            labels[other] = found
    return {"node": {"id": node.id, "type": node.type.value, "label": node.label,
                     "props": dict(node.props), **viz.list_entry(node)},
            "summary": [{"type": g.type.value, "direction": g.direction.value,
                         "count": g.count, "capped": g.capped,
                         "structure": g.type in viz.STRUCTURE_TYPES} for g in touching.groups],
            "relationships": [_panel_rel(r, node_id, labels) for r in shown],
            "truncated": (len(touching.relationships) > PANEL_RELATIONSHIPS
                          or not touching.complete)}


def _panel_rel(rel: Relationship, node_id: str, nodes: dict[str, Node]) -> dict[str, Any]:
    outgoing = rel.source == node_id
    other_id = rel.target if outgoing else rel.source
    other = nodes.get(other_id)
    p = rel.provenance
    doc = nodes.get(p.document)
    return {"type": rel.type.value, "direction": "out" if outgoing else "in",
            "structure": rel.type in viz.STRUCTURE_TYPES,
            "other": {"id": other_id, "label": other.label if other else other_id,
                      "type": other.type.value if other else None,
                      "unresolved": bool(other and viz.is_unresolved(other))},
            "document": p.document, "document_label": doc.label if doc else p.document,
            "locator": p.locator, "quote": viz.plain_quote(p.quote),
            "method": p.method, "confidence": p.confidence,
            "span": list(p.span) if p.span is not None else None}


# -- static files ----------------------------------------------------------------------------
@router.get(STATIC_URL + "/{name}")
async def static_file(name: str) -> Response:
    """One allow-listed script or style (404 for anything else)."""
    try:
        body = viz.asset_bytes(name) if name in viz.ASSETS else _own_static(name)
    except KeyError:
        raise HTTPException(404, f"no static file {name!r}") from None
    suffix = name[name.rfind("."):]
    return Response(body, media_type=_MEDIA.get(suffix, "application/octet-stream"),
                    headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})


@cache
def _own_static(name: str) -> bytes:
    return resources.files("api").joinpath("static", _OWN_STATIC[name]).read_bytes()


@cache
def explorer_html() -> str:
    """The explorer page: no data in it, only the forms, the containers and the scripts."""
    boxes = "".join(
        f'<label class="cg-type"><input type="checkbox" name="types" value="{t.value}">'
        f"{t.value}</label>" for t in NodeType)
    css = "".join(f'<link rel="stylesheet" href="{STATIC_URL}/{n}">\n'
                  for n in ("vis-network.min.css", "graphview.css", "explorer.css"))
    js = "".join(f'<script src="{STATIC_URL}/{n}"></script>\n'
                 for n in ("vis-network.min.js", "graphview.js", *_OWN_SCRIPTS))
    return EXPLORER_TEMPLATE.format(css=css, js=js, boxes=boxes)


EXPLORER_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>citegraph explorer</title>
<link rel="icon" href="data:,">
{css}</head>
<body class="cg-explorer">
<header class="cg-header">
<div class="cg-bar">
<a class="cg-home" href="/">citegraph</a>
<form id="cg-search" class="cg-search" role="search" action="/" method="get">
<span class="cg-combo"><input id="cg-q" name="q" type="search"
 placeholder="Search: CRC art 34, \u5211\u6cd5\u7b2c363\u6761, possession, a title"
 aria-label="Search"></span>
<button type="submit">Search</button>
</form>
<form id="cg-path" class="cg-search">
<span class="cg-combo"><input id="cg-path-source" name="source" placeholder="path from (name)"
 aria-label="Path from"></span>
<span class="cg-combo"><input id="cg-path-target" name="target" placeholder="to (name)"
 aria-label="Path to"></span>
<button type="submit">Path</button>
</form>
<nav class="cg-tabs" aria-label="Views">
<button type="button" class="cg-tab" data-view="graph">Graph</button>
<button type="button" class="cg-tab" data-view="timeline">Timeline</button>
<button type="button" class="cg-tab" data-view="matrix">Jurisdiction \u00d7 concept</button>
<button type="button" class="cg-tab" data-view="rankings">Rankings</button>
</nav>
<label>Export <select id="cg-export" aria-label="Export the drawn view">
<option value="">\u2026</option><option value="png">PNG picture</option>
<option value="svg">SVG picture</option><option value="csv">CSV data</option>
<option value="graphml">GraphML data</option></select></label>
</div>
<div id="cg-filters" class="cg-filters">
<fieldset class="cg-types"><legend>Types</legend>{boxes}</fieldset>
<label>Years <input id="cg-year-min" type="number" min="0" max="9999" placeholder="from"
 aria-label="Earliest year"></label>
<label>\u2013 <input id="cg-year-max" type="number" min="0" max="9999" placeholder="to"
 aria-label="Latest year"></label>
<label title="Keep nodes with no known year when a year range is set">
<input id="cg-undated" type="checkbox" checked> include undated</label>
<label>Jurisdiction <select id="cg-jur"><option value="">any</option></select></label>
<label><input id="cg-unresolved" type="checkbox"> show unresolved mentions</label>
<label>Colour by <select id="cg-colour"><option value="type">type</option>
<option value="year">year</option><option value="jurisdiction">jurisdiction</option>
<option value="cluster">cluster</option></select></label>
</div>
<form id="cg-save" class="cg-search cg-save"
 title="Saved in this browser; copy the address to share">
<input id="cg-save-name" placeholder="name this view" aria-label="Name of the view to save">
<button type="submit">Save view</button>
<select id="cg-saved" aria-label="Saved views"></select>
</form>

<h1 id="cg-title">citegraph explorer</h1>
<p id="cg-meta"></p>
<p id="cg-status" role="status"></p>
</header>
<main class="cg-main">
<aside id="cg-list" class="cg-list" aria-label="Results"></aside>
<div id="cg-graph" class="cg-graph" data-manual="true"></div>
<section id="cg-table" class="cg-table" hidden></section>
<aside id="cg-panel" class="cg-panel"><p class="cg-hint">Select a node (in the list or the
graph) to read what it is and where each relationship was found. Double-click an instrument
or a paper to show or fold its articles or sections.</p></aside>
</main>
<footer class="cg-legend"><div id="cg-legend"></div><div id="cg-colour-key"
 class="cg-colour-key"></div></footer>
{js}</body>
</html>
"""
