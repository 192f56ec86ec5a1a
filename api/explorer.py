"""The explorer page at ``/`` and the graph views, as HTML and as the JSON they draw.

Routes (left out of the OpenAPI schema: they are the user interface, not the API):

* ``GET /`` the explorer: search box, type filters, year range, the graph, a side panel;
* ``GET /viz/{ego,path,influence,search,paper}`` one view as a page (e.g.
  ``/viz/ego?id=...&depth=2``) and ``GET /viz/data/{...}`` the same view as JSON (what the
  page draws, from :func:`citegraph.viz.to_vis_data`);
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

import orjson
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from starlette.responses import HTMLResponse, Response

from api.deps import SettingsDep, StoreDep, call, call_with_timeout
from api.errors import status_of
from citegraph import viz, vizqueries
from citegraph.errors import CitegraphError
from citegraph.model import Node, NodeType, Relationship
from citegraph.queries import node_relationships
from citegraph.stores.base import MAX_DEPTH, MAX_PATH_LENGTH, GraphStore

router = APIRouter(include_in_schema=False)

STATIC_URL = "/viz/static"

#: Sent with every explorer page and view.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}

#: Relationships listed in the side panel at most.
PANEL_RELATIONSHIPS = 200

_OWN_STATIC = {"explorer.js": "explorer.js", "explorer.css": "explorer.css"}
_MEDIA = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}

NodeId = Annotated[str, Query(min_length=1, max_length=2048, description="Node id")]
NodeTypes = Annotated[list[NodeType] | None, Query(description="Keep only these node types")]
Size = Annotated[Literal["degree", "pagerank"], Query(description="What sizes the nodes")]
Year = Annotated[int | None, Query(ge=0, le=9999)]

Builder = Callable[[GraphStore], vizqueries.GraphView]


# -- the views' parameters: each dependency returns a function of the store ---------------
def ego_params(id: NodeId, depth: Annotated[int, Query(ge=1, le=MAX_DEPTH)] = 1,
               types: NodeTypes = None) -> Builder:
    return lambda store: vizqueries.ego_view(store, id, depth, node_types=types)


def path_params(source: NodeId, target: NodeId,
                max_length: Annotated[int, Query(ge=1, le=MAX_PATH_LENGTH)] = 6) -> Builder:
    return lambda store: vizqueries.path_view(store, source, target, max_length=max_length)


def influence_params(id: NodeId, hops: Annotated[int, Query(ge=1, le=5)] = 3) -> Builder:
    return lambda store: vizqueries.influence_view(store, id, hops)


def search_params(q: Annotated[str, Query(max_length=500)] = "", types: NodeTypes = None,
                  year_min: Year = None, year_max: Year = None,
                  limit: Annotated[int, Query(ge=1, le=100)] = 20) -> Builder:
    return lambda store: vizqueries.search_view(store, q, node_types=types, year_min=year_min,
                                                year_max=year_max, limit=limit)


def paper_params(id: NodeId) -> Builder:
    return lambda store: vizqueries.paper_view(store, id)


def _build(store: GraphStore, builder: Builder, size: str) -> dict[str, Any]:
    view = builder(store)
    if size == "pagerank":
        view = vizqueries.with_pagerank(store, view)
    return viz.to_vis_data(view.subgraph, title=view.title, highlight=view.highlight,
                           scores=view.scores)


async def _data(store: GraphStore, settings: Any, builder: Builder, size: str) -> Response:
    data = await call_with_timeout(settings, _build, store, builder, size)
    return Response(orjson.dumps(data), media_type="application/json")


async def _page(request: Request, store: GraphStore, settings: Any, builder: Builder,
                size: str) -> Response:
    try:
        data = await call_with_timeout(settings, _build, store, builder, size)
    except CitegraphError as exc:
        return error_page(status_of(exc), str(exc))
    query = request.url.query
    json_href = request.url.path.replace("/viz/", "/viz/data/", 1) + (f"?{query}" if query
                                                                       else "")
    body = viz.render_page(data, title=data["title"], static_url=STATIC_URL,
                           links=[("Explorer", "/"), ("Open as JSON", json_href)])
    return HTMLResponse(body, headers=SECURITY_HEADERS)


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


@router.get("/viz/ego", response_class=HTMLResponse)
async def ego_page(request: Request, store: StoreDep, settings: SettingsDep,
                   builder: Annotated[Builder, Depends(ego_params)],
                   size: Size = "degree") -> Response:
    return await _page(request, store, settings, builder, size)


@router.get("/viz/path", response_class=HTMLResponse)
async def path_page(request: Request, store: StoreDep, settings: SettingsDep,
                    builder: Annotated[Builder, Depends(path_params)],
                    size: Size = "degree") -> Response:
    return await _page(request, store, settings, builder, size)


@router.get("/viz/influence", response_class=HTMLResponse)
async def influence_page(request: Request, store: StoreDep, settings: SettingsDep,
                         builder: Annotated[Builder, Depends(influence_params)],
                         size: Size = "degree") -> Response:
    return await _page(request, store, settings, builder, size)


@router.get("/viz/search", response_class=HTMLResponse)
async def search_page(request: Request, store: StoreDep, settings: SettingsDep,
                      builder: Annotated[Builder, Depends(search_params)],
                      size: Size = "degree") -> Response:
    return await _page(request, store, settings, builder, size)


@router.get("/viz/paper", response_class=HTMLResponse)
async def paper_page(request: Request, store: StoreDep, settings: SettingsDep,
                     builder: Annotated[Builder, Depends(paper_params)],
                     size: Size = "degree") -> Response:
    return await _page(request, store, settings, builder, size)


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


@router.get("/viz/data/paper")
async def paper_data(store: StoreDep, settings: SettingsDep,
                     builder: Annotated[Builder, Depends(paper_params)],
                     size: Size = "degree") -> Response:
    return await _data(store, settings, builder, size)


@router.get("/viz/data/node")
async def node_data(store: StoreDep, id: NodeId) -> Response:
    """The side panel's content: properties, relationships, provenance, other ends' labels."""
    detail = await call(store, node_detail, store, id)
    return Response(orjson.dumps(detail), media_type="application/json")


def node_detail(store: GraphStore, node_id: str) -> dict[str, Any]:
    """The side panel's data: the node, every kind of relationship counted (``summary``)
    and the first :data:`PANEL_RELATIONSHIPS` relationships taken in turn from each type
    and direction, so a statute's articles do not hide who mentions or interprets it."""
    node = store.get_node(node_id)
    touching = node_relationships(store, node_id)
    shown = touching.relationships[:PANEL_RELATIONSHIPS]
    others = {r.target if r.source == node_id else r.source for r in shown}
    labels: dict[str, Node] = {}
    for other in sorted(others):
        found = store.find_node(other)
        if found is not None:
            labels[other] = found
    return {"node": {"id": node.id, "type": node.type.value, "label": node.label,
                     "props": dict(node.props)},
            "summary": [{"type": g.type.value, "direction": g.direction.value,
                         "count": g.count, "capped": g.capped} for g in touching.groups],
            "relationships": [_panel_rel(r, node_id, labels) for r in shown],
            "truncated": (len(touching.relationships) > PANEL_RELATIONSHIPS
                          or not touching.complete)}


def _panel_rel(rel: Relationship, node_id: str, nodes: dict[str, Node]) -> dict[str, Any]:
    outgoing = rel.source == node_id
    other_id = rel.target if outgoing else rel.source
    other = nodes.get(other_id)
    p = rel.provenance
    return {"type": rel.type.value, "direction": "out" if outgoing else "in",
            "other": {"id": other_id, "label": other.label if other else other_id,
                      "type": other.type.value if other else None},
            "document": p.document, "locator": p.locator, "quote": p.quote,
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
    """The explorer page: no data in it, only the form, the containers and the scripts."""
    boxes = "".join(
        f'<label class="cg-type"><input type="checkbox" name="types" value="{t.value}">'
        f"{t.value}</label>" for t in NodeType)
    css = "".join(f'<link rel="stylesheet" href="{STATIC_URL}/{n}">\n'
                  for n in ("vis-network.min.css", "graphview.css", "explorer.css"))
    js = "".join(f'<script src="{STATIC_URL}/{n}"></script>\n'
                 for n in ("vis-network.min.js", "graphview.js", "explorer.js"))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>citegraph explorer</title>
<link rel="icon" href="data:,">
{css}</head>
<body class="cg-explorer">
<header class="cg-header">
<form id="cg-search" class="cg-search" role="search" action="/" method="get">
<input id="cg-q" name="q" type="search" placeholder="Search instruments, articles, works, concepts"
 aria-label="Search" autocomplete="off">
<fieldset class="cg-types"><legend>Types</legend>{boxes}</fieldset>
<label title="Nodes dated outside the range are hidden; undated nodes stay">Years
<input id="cg-year-min" name="year_min" type="number" min="0" max="9999"
 placeholder="from" aria-label="Earliest year"></label>
<label>– <input id="cg-year-max" name="year_max" type="number" min="0" max="9999"
 placeholder="to" aria-label="Latest year"></label>
<label>Size <select id="cg-size" name="size"><option value="degree">degree</option>
<option value="pagerank">PageRank</option></select></label>
<button type="submit">Search</button>
</form>
<form id="cg-path" class="cg-search">
<input id="cg-path-source" name="source" placeholder="path from (node id)" aria-label="Path from">
<input id="cg-path-target" name="target" placeholder="to (node id)" aria-label="Path to">
<button type="submit">Path</button>
</form>
<h1 id="cg-title">citegraph explorer</h1>
<p id="cg-meta"></p>
<p id="cg-status" role="status"></p>
<nav class="cg-links"><a id="cg-json-link" href="/viz/data/search">This view as JSON</a>
<a id="cg-page-link" href="/viz/search">This view as a page</a></nav>
</header>
<main class="cg-main"><div id="cg-graph" class="cg-graph" data-manual="true"></div>
<aside id="cg-panel" class="cg-panel"><p class="cg-hint">Search, then select a node to see its
properties and provenance.</p></aside></main>
<footer id="cg-legend" class="cg-legend"></footer>
{js}</body>
</html>
"""
