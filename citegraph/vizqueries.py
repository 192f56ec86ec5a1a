"""The subgraphs the explorer draws, fetched through the :class:`GraphStore` contract.

Each function returns a :class:`GraphView`: a title, the subgraph, the node to highlight
and, when asked, PageRank scores to size the nodes. They work on any store (embedded or
Neo4j) and raise :class:`~citegraph.errors.NodeNotFoundError` for an unknown node. Titles
are built from node labels, which come from ingested documents: escape them when rendering
(:mod:`citegraph.viz` does).

Examples
--------
>>> from citegraph.model import GraphBatch, Node, NodeType
>>> from citegraph.stores.embedded import EmbeddedStore
>>> store = EmbeddedStore()
>>> _ = store.write(GraphBatch.of("d", [Node("concept:a", NodeType.CONCEPT, "A")], []))
>>> view = ego_view(store, "concept:a")
>>> view.title, [n.id for n in view.subgraph.nodes]
('Neighbourhood of A (depth 1)', ['concept:a'])
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace

from citegraph import analytics
from citegraph.citesearch import citation_search
from citegraph.errors import NodeNotFoundError
from citegraph.model import Node, NodeType, Relationship, RelType, Subgraph
from citegraph.stores.base import MAX_DEPTH, MAX_RESULT_NODES, Direction, GraphStore, SearchHit

#: How many nodes a view asks the store for at most.
VIEW_LIMIT = MAX_RESULT_NODES
#: How many neighbours of each search hit a search view adds.
NEIGHBOURS_PER_HIT = 40
#: How many nodes a filtered listing (search without words) shows.
LISTING_LIMIT = 300
#: A year-filtered listing reads the store in pages of this size, this many pages at most.
SCAN_PAGE = 500
MAX_SCAN_PAGES = 20


@dataclass(frozen=True, slots=True)
class GraphView:
    """What a view shows: a title, a subgraph, a node to highlight, optional sizes."""

    title: str
    subgraph: Subgraph
    highlight: str | None = None
    scores: Mapping[str, float] | None = None
    #: search hits, best first (the result list shows them before the other nodes)
    hits: tuple[str, ...] = ()
    #: "radial", or "outline" for a paper drawn as its sections
    layout: str = "radial"


def _name(node: Node) -> str:
    return node.label or node.id


def _with_relationships(store: GraphStore, node_ids: Iterable[str], truncated: bool) -> Subgraph:
    """The nodes and every relationship among them (the store's ``subgraph``)."""
    sg = store.subgraph(list(dict.fromkeys(node_ids)))
    return Subgraph(sg.nodes, sg.relationships, truncated or sg.truncated)


def with_pagerank(store: GraphStore, view: GraphView) -> GraphView:
    """The same view, its nodes sized by PageRank over citations and mentions."""
    ranks = analytics.pagerank(analytics.projection_of(store))
    scores = {n.id: ranks.get(n.id, 0.0) for n in view.subgraph.nodes}
    return replace(view, scores=scores)


def ego_view(store: GraphStore, node_id: str, depth: int = 1, *,
             node_types: Collection[NodeType] | None = None,
             limit: int = VIEW_LIMIT) -> GraphView:
    """The node and everything within ``depth`` (1-3) hops, in either direction."""
    depth = max(1, min(depth, MAX_DEPTH))
    start = store.get_node(node_id)
    hood = store.neighbours(node_id, depth=depth, direction=Direction.BOTH,
                            node_types=node_types, limit=limit)
    sg = _with_relationships(store, [n.id for n in hood.nodes], hood.truncated)
    return GraphView(f"Neighbourhood of {_name(start)} (depth {depth})", sg, node_id)


def path_view(store: GraphStore, source: str, target: str, *, max_length: int = 6,
              limit: int = 10) -> GraphView:
    """The shortest paths (up to ``limit``) between two nodes, ignoring direction."""
    a, b = store.get_node(source), store.get_node(target)
    paths = store.shortest_paths(source, target, max_length=max_length, limit=limit)
    nodes: dict[str, Node] = {a.id: a, b.id: b}
    rels: dict[tuple[str, str, str, str], Relationship] = {}
    for path in paths:
        nodes.update((n.id, n) for n in path.nodes)
        rels.update((r.identity, r) for r in path.relationships)
    found = f"{len(paths)} shortest path(s)" if paths else "no path"
    title = f"{found} from {_name(a)} to {_name(b)}"
    sg = Subgraph(tuple(nodes.values()), tuple(rels[k] for k in sorted(rels)),
                  truncated=len(paths) >= limit)
    return GraphView(title, sg, source)


def influence_view(store: GraphStore, node_id: str, max_hops: int = 3, *,
                   limit: int = 2000) -> GraphView:
    """Everything downstream of an instrument or article (see ``analytics.influence_trace``).

    The trace follows every article of a reached instrument as part of that instrument;
    the view draws only the articles something downstream goes through (the title says
    how many others were left out), and every relationship among the drawn nodes.
    """
    start = store.get_node(node_id)
    graph = analytics.projection_of(store)
    trace = analytics.influence_trace(graph, node_id, max_hops=max_hops, limit=limit)
    kept = on_trace_paths(trace)
    sg = _with_relationships(store, [e.id for e in trace.entries if e.id in kept],
                             trace.truncated)
    idle = trace.omitted_parts + len(trace.entries) - len(kept)
    note = f"; {idle} articles with nothing downstream not drawn" if idle else ""
    return GraphView(f"Influence of {_name(start)} ({max_hops} hops{note})", sg, node_id)


def on_trace_paths(trace: analytics.InfluenceTrace) -> set[str]:
    """The root, every node reached through an influence edge, and their ancestors.

    Articles reached only as parts of an instrument (via HAS_ARTICLE) stay out unless
    something downstream was reached through them.
    """
    parent = {e.id: e.parent for e in trace.entries}
    kept = {trace.root}
    for entry in trace.entries:
        if entry.via is not None and entry.via is not RelType.HAS_ARTICLE:
            current: str | None = entry.id
            while current is not None and current not in kept:
                kept.add(current)
                current = parent.get(current)
    return kept


def paper_view(store: GraphStore, work_id: str, *, limit: int = VIEW_LIMIT) -> GraphView:
    """A paper: its sections and what they cite and mention (two hops outwards)."""
    work = store.get_node(work_id)
    hood = store.neighbours(work_id, depth=2, direction=Direction.OUT, limit=limit)
    sg = _with_relationships(store, [n.id for n in hood.nodes], hood.truncated)
    return GraphView(f"Paper: {_name(work)}", sg, work_id, layout="outline")


def in_years(node: Node, year_min: int | None, year_max: int | None) -> bool:
    """False only for a node dated outside the range; undated nodes stay.

    >>> n = Node("instrument:/akn/un/treaty/1989-11-20/crc", NodeType.INSTRUMENT, "CRC")
    >>> in_years(n, 1990, None), in_years(n, 1980, 1989)
    (False, True)
    """
    year = analytics.own_year(node)
    if year is None:
        return True
    return (year_min is None or year >= year_min) and (year_max is None or year <= year_max)


def search_view(store: GraphStore, text: str, *,
                node_types: Collection[NodeType] | None = None,
                year_min: int | None = None, year_max: int | None = None,
                limit: int = 20, neighbours_per_hit: int = NEIGHBOURS_PER_HIT) -> GraphView:
    """Search hits and their direct neighbours, or, without words, a filtered listing.

    ``node_types`` and the year range filter every node shown (a node with no known year
    is kept). The first hit is highlighted.
    """
    words = text.strip()
    types = set(node_types) if node_types else None
    if not words:
        return _listing_view(store, types, year_min, year_max)
    found = search_hits_in_years(store, words, types, year_min, year_max, limit)
    hits = [h.node for h in found]
    ids: list[str] = [h.id for h in hits]
    truncated = False
    linked: dict[str, int] = {}
    for hit in hits:
        try:
            hood = store.neighbours(hit.id, depth=1, node_types=types, limit=neighbours_per_hit)
        except NodeNotFoundError:  # deleted meanwhile
            continue
        truncated = truncated or hood.truncated
        linked[hit.id] = len(hood.nodes)
        ids.extend(n.id for n in hood.nodes if in_years(n, year_min, year_max))
    sg = _with_relationships(store, ids, truncated)
    title = f"Search: {words} ({len(hits)} hit{'s' if len(hits) != 1 else ''})"
    ranked = _break_ties(found, linked)
    return GraphView(title, sg, ranked[0] if ranked else None, hits=tuple(ranked))


def _break_ties(hits: list[SearchHit], linked: Mapping[str, int]) -> list[str]:
    """Hit ids in rank order; hits scored alike go better connected first ("Article 34":
    the convention's article that papers discuss before a statute's namesake)."""
    order = {h.node.id: i for i, h in enumerate(hits)}
    score = {h.node.id: h.score for h in hits}
    return sorted(order, key=lambda i: (-score[i], -linked.get(i, 0), order[i]))


#: How many neighbours a suggestion's tie-break counts at most.
TIE_NEIGHBOURS = 40


def suggestions(store: GraphStore, words: str, types: Collection[NodeType] | None,
                limit: int) -> list[Node]:
    """The best ``limit`` names for what was typed, ties broken as the search view does
    (better connected first)."""
    hits = citation_search(store, words, node_types=types, limit=limit)
    tied = {h.score for h in hits}
    linked: dict[str, int] = {}
    if len(tied) < len(hits):  # only count neighbours when some scores tie
        for hit in hits:
            try:
                linked[hit.node.id] = len(store.neighbours(hit.node.id, depth=1,
                                                           limit=TIE_NEIGHBOURS).nodes)
            except NodeNotFoundError:
                continue
    by_id = {h.node.id: h.node for h in hits}
    return [by_id[i] for i in _break_ties(hits, linked)]


def search_in_years(store: GraphStore, words: str, types: Collection[NodeType] | None,
                    year_min: int | None, year_max: int | None, limit: int) -> list[Node]:
    """The best ``limit`` search hits in the year range (undated hits stay)."""
    return [h.node for h in search_hits_in_years(store, words, types, year_min, year_max,
                                                 limit)]


def search_hits_in_years(store: GraphStore, words: str, types: Collection[NodeType] | None,
                         year_min: int | None, year_max: int | None,
                         limit: int) -> list[SearchHit]:
    """:func:`search_in_years` with the scores.

    The range is applied before the cut: the store is asked for more hits (four times
    as many each round, up to its cap) until ``limit`` of them are in range or the
    results end.
    """
    asked = min(limit, MAX_RESULT_NODES)
    while True:
        found = citation_search(store, words, node_types=types, limit=asked)
        kept = [h for h in found if in_years(h.node, year_min, year_max)]
        if (len(kept) >= limit or len(found) < asked or asked >= MAX_RESULT_NODES
                or (year_min is None and year_max is None)):
            return kept[:limit]
        asked = min(asked * 4, MAX_RESULT_NODES)


def list_in_years(store: GraphStore, node_type: NodeType, year_min: int | None,
                  year_max: int | None, limit: int) -> tuple[list[Node], bool]:
    """The first ``limit`` nodes of a type (by id) in the year range, and whether more are.

    Pages through the store (at most :data:`MAX_SCAN_PAGES` pages), so that the range is
    applied before the cut.
    """
    kept: list[Node] = []
    after: str | None = None
    for _ in range(MAX_SCAN_PAGES):
        page = store.list_nodes(node_type=node_type, after=after, limit=SCAN_PAGE)
        for node in page:
            if in_years(node, year_min, year_max):
                if len(kept) == limit:
                    return kept, True
                kept.append(node)
        if len(page) < SCAN_PAGE:
            return kept, False
        after = page[-1].id
    return kept, True


def _listing_view(store: GraphStore, types: set[NodeType] | None, year_min: int | None,
                  year_max: int | None) -> GraphView:
    wanted = sorted(types) if types else list(NodeType)
    per_type = max(1, LISTING_LIMIT // len(wanted))
    ids: list[str] = []
    truncated = False
    for node_type in wanted:
        page, more = list_in_years(store, node_type, year_min, year_max, per_type)
        truncated = truncated or more
        ids.extend(n.id for n in page)
    sg = _with_relationships(store, ids, truncated)
    label = ", ".join(t.value for t in wanted) if types else "all types"
    return GraphView(f"Nodes: {label}", sg, None)


#: The first screen's caps: named things, then the parts that fold into them.
OVERVIEW_NAMED = 400
OVERVIEW_PARTS = 3000
OVERVIEW_PAPERS = 50


def overview_view(store: GraphStore) -> GraphView:
    """The first screen: every instrument, concept and jurisdiction, the ingested papers,
    and the articles and sections that fold into them (so links between articles show as
    links between instruments). Reference-list entries are left out: they are reached
    from the papers that cite them."""
    ids: list[str] = []
    truncated = False
    for node_type in (NodeType.INSTRUMENT, NodeType.CONCEPT, NodeType.JURISDICTION):
        page = store.list_nodes(node_type=node_type, limit=OVERVIEW_NAMED + 1)
        truncated = truncated or len(page) > OVERVIEW_NAMED
        ids.extend(n.id for n in page[:OVERVIEW_NAMED])
    papers = store.list_nodes(node_type=NodeType.WORK, filters={"kind": "paper"},
                              limit=OVERVIEW_PAPERS)
    ids.extend(p.id for p in papers)
    for part in (NodeType.ARTICLE, NodeType.SECTION):
        page = store.list_nodes(node_type=part, limit=OVERVIEW_PARTS + 1)
        truncated = truncated or len(page) > OVERVIEW_PARTS
        ids.extend(n.id for n in page[:OVERVIEW_PARTS])
        # the papers these sections belong to, whatever their kind says
        ids.extend(str(n.props["document"]) for n in page[:OVERVIEW_PARTS]
                   if part is NodeType.SECTION and isinstance(n.props.get("document"), str))
    sg = _with_relationships(store, ids, truncated)
    return GraphView("Overview: instruments, papers, concepts and jurisdictions", sg, None)
