"""Analytics on a networkx projection of the graph.

A *projection* is an ``nx.MultiDiGraph`` whose nodes carry the :class:`~citegraph.model.Node`
under the attribute ``n`` and whose edges carry the :class:`~citegraph.model.Relationship`
under ``r`` (the embedded store's own graph has exactly this shape). Every function here is
pure: it reads a projection and returns frozen values, sorted deterministically.

Edges point from the influenced to the influencer (``OPSC -SUPPLEMENTS-> CRC``,
``Section -MENTIONS-> Article``), so what lies *downstream* of a node is found by following
edges into it backwards.

Examples
--------
>>> from citegraph.model import Node, Relationship, Provenance
>>> nodes = [Node("work:a", "Work", "A"), Node("work:b", "Work", "B"),
...          Node("work:c", "Work", "C")]
>>> p = Provenance("work:a")
>>> rels = [Relationship("work:a", "work:b", "CITES", p),
...         Relationship("work:a", "work:c", "CITES", p)]
>>> g = build_projection(nodes, rels)
>>> [(x.a, x.b, x.weight) for x in co_citation(g)]
[('work:b', 'work:c', 1)]
>>> ranking(g)[0].id in {"work:b", "work:c"}
True
"""

from __future__ import annotations

import re
import weakref
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, Any

import networkx as nx

from citegraph.errors import NodeNotFoundError
from citegraph.model import Node, NodeType, Relationship, RelType
from citegraph.stores.policy import check_deadline

if TYPE_CHECKING:
    from citegraph.stores.base import GraphStore

#: Edges that PageRank and in-degree count: citations and mentions.
RANK_TYPES = frozenset({RelType.CITES, RelType.MENTIONS})
#: Edges an influence trace follows backwards (from the influencer to the influenced).
TRACE_TYPES = frozenset(
    {RelType.SUPPLEMENTS, RelType.IMPLEMENTS, RelType.INTERPRETS, RelType.REFERS_TO,
     RelType.AMENDS, RelType.MENTIONS, RelType.CITES}
)
#: Adoption edges that bind a jurisdiction to an instrument (a signature alone does not).
BINDING_TYPES = frozenset({RelType.RATIFIED, RelType.ENACTED})
ADOPTION_TYPES = frozenset({*BINDING_TYPES, RelType.SIGNED})
CONCEPT_TYPES = frozenset({RelType.DEFINES, RelType.ADDRESSES})
#: How many evidence ids a pair or a cell lists at most.
MAX_EVIDENCE = 50

_AKN_DATE = re.compile(r"/akn/[^/]+/[^/]+/(\d{4})-\d{2}-\d{2}/")
_YEAR = re.compile(r"^\s*(\d{4})(?:\b|-)")
_YEAR_KEYS = ("year", "date", "date_adopted", "adopted", "enacted", "published", "issued")


# -- projection ------------------------------------------------------------------------------
def build_projection(nodes: Iterable[Node], rels: Iterable[Relationship]) -> nx.MultiDiGraph:
    """A projection (``n`` on nodes, ``r`` on edges) of the given nodes and relationships.

    Relationships whose endpoints are missing are skipped.
    """
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    for i, node in enumerate(nodes):
        if not i % 4096:
            check_deadline()
        graph.add_node(node.id, n=node)
    for i, rel in enumerate(rels):
        if not i % 4096:
            check_deadline()
        if rel.source in graph and rel.target in graph:
            graph.add_edge(rel.source, rel.target, key=rel.graph_key, r=rel)
    return graph


_CACHE: weakref.WeakKeyDictionary[Any, tuple[str, nx.MultiDiGraph]] = (
    weakref.WeakKeyDictionary()
)


def projection_of(store: GraphStore) -> nx.MultiDiGraph:
    """The store's projection: its own graph, or one built and cached on its version."""
    return store.projection()


def cached_projection(store: GraphStore) -> nx.MultiDiGraph:
    """A projection built from the store's nodes and relationships, cached per store.

    The cache is keyed on :meth:`GraphStore.version` read *before* building, so any
    write (a ``--replace`` that keeps the counts included) invalidates it, and a build
    that overlapped a write is tagged with the older version and never served after it.
    """
    version = store.version()
    cached = _CACHE.get(store)
    if cached is not None and cached[0] == version:
        return cached[1]
    graph = build_projection(store.iter_nodes(), store.iter_relationships())
    _CACHE[store] = (version, graph)
    return graph


def _node(graph: nx.MultiDiGraph, node_id: str) -> Node:
    node: Node = graph.nodes[node_id]["n"]
    return node


def _out(graph: nx.MultiDiGraph, node_id: str,
         types: Collection[RelType]) -> Iterator[tuple[str, Relationship]]:
    for _, target, rel in graph.out_edges(node_id, data="r"):
        if rel.type in types:
            yield target, rel


def _in(graph: nx.MultiDiGraph, node_id: str,
        types: Collection[RelType]) -> Iterator[tuple[str, Relationship]]:
    for source, _, rel in graph.in_edges(node_id, data="r"):
        if rel.type in types:
            yield source, rel


# -- years -----------------------------------------------------------------------------------
def _year_of_value(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10000:
        return value
    if isinstance(value, str):
        match = _YEAR.match(value)
        if match:
            return int(match.group(1))
    return None


def own_year(node: Node) -> int | None:
    """The year a node states itself: a ``year`` or date property, or its Akoma Ntoso IRI.

    >>> own_year(Node("instrument:/akn/un/treaty/1989-11-20/crc", "Instrument", "CRC"))
    1989
    """
    for key in _YEAR_KEYS:
        year = _year_of_value(node.props.get(key))
        if year is not None:
            return year
    match = _AKN_DATE.search(node.id)
    return int(match.group(1)) if match else None


def node_year(graph: nx.MultiDiGraph, node_id: str) -> int | None:
    """The year of a node where known.

    From its ``year`` or a date property, else from the date in its Akoma Ntoso IRI
    (instruments and their articles), else, for a section, from the work it belongs to.
    """
    node = _node(graph, node_id)
    year = own_year(node)
    if year is not None:
        return year
    if node.type is NodeType.SECTION:
        owner = owning_work(graph, node_id)
        if owner is not None and owner != node_id:
            return node_year(graph, owner)
    return None


# -- structure helpers -----------------------------------------------------------------------
def owning_work(graph: nx.MultiDiGraph, section_id: str) -> str | None:
    """The Work a Section belongs to (through HAS_SECTION, climbing PART_OF)."""
    current, seen = section_id, set()
    while current not in seen:
        seen.add(current)
        for source, _ in _in(graph, current, (RelType.HAS_SECTION,)):
            if _node(graph, source).type is NodeType.WORK:
                return source
        parents = [t for t, _ in _out(graph, current, (RelType.PART_OF,))]
        if not parents:
            break
        current = min(parents)
    if section_id.startswith("section:"):
        guess = "work:" + section_id.removeprefix("section:").split("/", 1)[0]
        if guess in graph:
            return guess
    return None


def owning_instrument(graph: nx.MultiDiGraph, article_id: str) -> str | None:
    """The Instrument an Article belongs to (HAS_ARTICLE, else the id's work IRI)."""
    for source, _ in _in(graph, article_id, (RelType.HAS_ARTICLE,)):
        if _node(graph, source).type is NodeType.INSTRUMENT:
            return source
    if article_id.startswith("article:"):
        guess = "instrument:" + article_id.removeprefix("article:").split("#", 1)[0]
        if guess in graph:
            return guess
    return None


def articles_of(graph: nx.MultiDiGraph, instrument_id: str) -> list[str]:
    """The articles of an instrument (through HAS_ARTICLE), sorted."""
    return sorted({t for t, _ in _out(graph, instrument_id, (RelType.HAS_ARTICLE,))
                   if _node(graph, t).type is NodeType.ARTICLE})


_ARTICLES_CACHE: weakref.WeakKeyDictionary[nx.MultiDiGraph,
                                           tuple[object, dict[str, list[str]]]] = (
    weakref.WeakKeyDictionary())


def articles_index(graph: nx.MultiDiGraph) -> dict[str, list[str]]:
    """Instrument → its articles, through HAS_ARTICLE or, lacking that, the article ids.

    One pass over the graph, cached per graph: a live projection (the embedded store's)
    carries a version in ``graph.graph["citegraph_version"]``, a built one never changes;
    articles created before their instrument's text
    was loaded (catalog stubs) have no HAS_ARTICLE edge but their id names the instrument.
    """
    version = graph.graph.get("citegraph_version")
    cached = _ARTICLES_CACHE.get(graph)
    if cached is not None and cached[0] == version:
        return cached[1]
    index = _build_articles_index(graph)
    _ARTICLES_CACHE[graph] = (version, index)
    return index


def _build_articles_index(graph: nx.MultiDiGraph) -> dict[str, list[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for node_id, node in graph.nodes(data="n"):
        if node.type is NodeType.ARTICLE:
            owner = owning_instrument(graph, node_id)
            if owner is not None:
                index[owner].add(node_id)
    return {k: sorted(v) for k, v in index.items()}


# -- ranking ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Ranked:
    id: str
    score: float
    in_degree: int


def _weighted_out(graph: nx.MultiDiGraph,
                  rel_types: Collection[RelType]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for source, target, rel in graph.edges(data="r"):
        if rel.type in rel_types and source != target:
            out[source][target] += 1
    return out


def pagerank(graph: nx.MultiDiGraph, *, rel_types: Collection[RelType] = RANK_TYPES,
             alpha: float = 0.85, tol: float = 1.0e-10, max_iter: int = 200) -> dict[str, float]:
    """PageRank over the nodes touched by ``rel_types`` (parallel edges add weight).

    A plain power iteration (no SciPy needed), deterministic for a given graph.
    """
    out = _weighted_out(graph, rel_types)
    nodes = sorted({n for n in out} | {t for targets in out.values() for t in targets})
    if not nodes:
        return {}
    size = len(nodes)
    rank = dict.fromkeys(nodes, 1.0 / size)
    totals = {u: sum(targets.values()) for u, targets in out.items()}
    for _ in range(max_iter):
        check_deadline()
        dangling = alpha * sum(rank[u] for u in nodes if u not in out) / size
        new = dict.fromkeys(nodes, (1.0 - alpha) / size + dangling)
        for u, targets in out.items():
            share = alpha * rank[u] / totals[u]
            for v, weight in targets.items():
                new[v] += share * weight
        error = sum(abs(new[v] - rank[v]) for v in nodes)
        rank = new
        if error < size * tol:
            break
    return rank


def in_degrees(graph: nx.MultiDiGraph, *,
               rel_types: Collection[RelType] = RANK_TYPES) -> dict[str, int]:
    """Incoming ``rel_types`` edges per node (nodes with none are absent)."""
    counts: dict[str, int] = defaultdict(int)
    for source, target, rel in graph.edges(data="r"):
        if rel.type in rel_types and source != target:
            counts[target] += 1
    return dict(counts)


def ranking(graph: nx.MultiDiGraph, *, node_types: Collection[NodeType] | None = None,
            rel_types: Collection[RelType] = RANK_TYPES,
            by: str = "pagerank") -> list[Ranked]:
    """Nodes by PageRank (``by="pagerank"``) or in-degree (``by="in_degree"``), best first."""
    scores = pagerank(graph, rel_types=rel_types)
    degrees = in_degrees(graph, rel_types=rel_types)
    rows = [Ranked(node_id, round(score, 10), degrees.get(node_id, 0))
            for node_id, score in scores.items()
            if node_types is None or _node(graph, node_id).type in node_types]
    if by == "in_degree":
        rows.sort(key=lambda r: (-r.in_degree, -r.score, r.id))
    else:
        rows.sort(key=lambda r: (-r.score, -r.in_degree, r.id))
    return rows


# -- pairs -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Pair:
    """Two nodes (``a < b``), how strongly they go together, and the evidence ids."""

    a: str
    b: str
    weight: int
    evidence: tuple[str, ...]


def _pairs(groups: dict[str, set[str]], min_weight: int) -> list[Pair]:
    """Pairs of members that share groups; the evidence is the shared group ids."""
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for group in sorted(groups):
        check_deadline()
        for a, b in combinations(sorted(groups[group]), 2):
            shared[(a, b)].append(group)
    pairs = [Pair(a, b, len(ev), tuple(ev[:MAX_EVIDENCE]))
             for (a, b), ev in shared.items() if len(ev) >= min_weight]
    pairs.sort(key=lambda p: (-p.weight, p.a, p.b))
    return pairs


def _cited_works(graph: nx.MultiDiGraph, node_id: str) -> set[str]:
    return {t for t, _ in _out(graph, node_id, (RelType.CITES,))
            if _node(graph, t).type is NodeType.WORK}


def references_by_work(graph: nx.MultiDiGraph) -> dict[str, set[str]]:
    """Each citing work and the works it cites, its sections' citations rolled up to it.

    A work citing a reference both in its reference list (Work→Work) and in a section
    (Section→Work) cites it once; a section whose work is unknown is left out.
    """
    references: dict[str, set[str]] = defaultdict(set)
    for node_id in graph.nodes:
        cited = _cited_works(graph, node_id)
        if not cited:
            continue
        node = _node(graph, node_id)
        owner = node_id if node.type is NodeType.WORK else (
            owning_work(graph, node_id) if node.type is NodeType.SECTION else None)
        if owner is not None:
            references[owner] |= cited - {owner}
    return references


def co_citation(graph: nx.MultiDiGraph, *, min_weight: int = 1) -> list[Pair]:
    """Works cited together: weight = number of citing works citing both.

    A section's citations count for the work it belongs to, so a paper that cites a
    pair in a section and in its reference list counts once; the evidence lists the
    citing works.
    """
    groups = {work: refs for work, refs in references_by_work(graph).items()
              if len(refs) > 1}
    return _pairs(groups, min_weight)


def bibliographic_coupling(graph: nx.MultiDiGraph, *, min_weight: int = 1) -> list[Pair]:
    """Works citing the same works: weight = number of shared references.

    A section's citations count for the work it belongs to.
    """
    # Invert: a shared reference is the "group" both citing works belong to.
    groups: dict[str, set[str]] = defaultdict(set)
    for work, refs in references_by_work(graph).items():
        for ref in refs:
            groups[ref].add(work)
    return _pairs({ref: works for ref, works in groups.items() if len(works) > 1}, min_weight)


def co_mention(graph: nx.MultiDiGraph, *, node_types: Collection[NodeType] = (
        NodeType.INSTRUMENT,), roll_up_articles: bool = True,
        min_weight: int = 1) -> list[Pair]:
    """Nodes mentioned in the same section: weight = number of such sections.

    With ``roll_up_articles`` a mention of an article counts for its instrument.
    """
    groups: dict[str, set[str]] = {}
    for node_id in graph.nodes:
        if _node(graph, node_id).type is not NodeType.SECTION:
            continue
        mentioned: set[str] = set()
        for target, _ in _out(graph, node_id, (RelType.MENTIONS,)):
            kind = _node(graph, target).type
            if roll_up_articles and kind is NodeType.ARTICLE:
                owner = owning_instrument(graph, target)
                if owner is not None:
                    target, kind = owner, NodeType.INSTRUMENT
            if kind in node_types:
                mentioned.add(target)
        if len(mentioned) > 1:
            groups[node_id] = mentioned
    return _pairs(groups, min_weight)


# -- jurisdiction x concept ------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class MatrixCell:
    jurisdiction: str
    concept: str
    instruments: tuple[str, ...]
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Matrix:
    """Cells where a jurisdiction is bound; ``signed_only`` where it only signed.

    ``jurisdictions`` and ``concepts`` list every id either kind of cell names.
    """

    jurisdictions: tuple[str, ...]
    concepts: tuple[str, ...]
    cells: tuple[MatrixCell, ...]
    signed_only: tuple[MatrixCell, ...] = ()


def _instrument_jurisdictions(graph: nx.MultiDiGraph, instrument: str) -> set[str]:
    """Jurisdictions bound by an instrument: that ratified or enacted it, or its property."""
    out = {source for source, _ in _in(graph, instrument, BINDING_TYPES)
           if _node(graph, source).type is NodeType.JURISDICTION}
    value = _node(graph, instrument).props.get("jurisdiction")
    if isinstance(value, str) and value:
        jid = value if value.startswith("jurisdiction:") else f"jurisdiction:{value}"
        if jid in graph:
            out.add(jid)
    return out


def _signatories(graph: nx.MultiDiGraph, instrument: str) -> set[str]:
    """Jurisdictions that signed an instrument (bound or not)."""
    return {source for source, _ in _in(graph, instrument, (RelType.SIGNED,))
            if _node(graph, source).type is NodeType.JURISDICTION}


_Cells = dict[tuple[str, str], tuple[set[str], set[str]]]


def _cells(found: _Cells) -> tuple[MatrixCell, ...]:
    return tuple(MatrixCell(j, c, tuple(sorted(i)), tuple(sorted(e)[:MAX_EVIDENCE]))
                 for (j, c), (i, e) in sorted(found.items()))


def jurisdiction_concept_matrix(graph: nx.MultiDiGraph) -> Matrix:
    """Which jurisdiction's instruments address which concept, with the articles as evidence.

    An instrument addresses a concept when it or one of its articles DEFINES or ADDRESSES
    it; the evidence lists those articles (or the instrument itself). An instrument
    binds the jurisdictions that ratified or enacted it and the one its ``jurisdiction``
    property names: those make the ``cells``. A jurisdiction that only signed an
    instrument is not bound by it; such pairs are listed apart, in ``signed_only`` (a
    pair appears there only for the instruments the jurisdiction signed without being
    bound).
    """
    bound: _Cells = {}
    signed: _Cells = {}
    owners: dict[str, tuple[set[str], set[str]]] = {}
    for holder, concept, rel in graph.edges(data="r"):
        if rel.type not in CONCEPT_TYPES or _node(graph, concept).type is not NodeType.CONCEPT:
            continue
        kind = _node(graph, holder).type
        instrument = holder if kind is NodeType.INSTRUMENT else (
            owning_instrument(graph, holder) if kind is NodeType.ARTICLE else None)
        if instrument is None:
            continue
        if instrument not in owners:
            binding = _instrument_jurisdictions(graph, instrument)
            owners[instrument] = (binding, _signatories(graph, instrument) - binding)
        for table, jurisdictions in zip((bound, signed), owners[instrument], strict=True):
            for jurisdiction in jurisdictions:
                cell = table.setdefault((jurisdiction, concept), (set(), set()))
                cell[0].add(instrument)
                cell[1].add(holder)
    cells, signed_only = _cells(bound), _cells(signed)
    both = (*cells, *signed_only)
    return Matrix(tuple(sorted({c.jurisdiction for c in both})),
                  tuple(sorted({c.concept for c in both})), cells, signed_only)


# -- influence trace -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TraceEntry:
    """A node reached by a trace: hops from the root, its year, and how it was reached."""

    id: str
    hop: int
    year: int | None
    via: RelType | None
    parent: str | None


@dataclass(frozen=True, slots=True)
class InfluenceTrace:
    """What a trace reached.

    ``entries`` lists the root, every node reached downstream (at most ``limit`` of them,
    ``truncated`` says when the limit cut the trace) and the articles through which
    something was reached; ``omitted_parts`` counts the articles of reached instruments
    (the root's own included) that nothing downstream goes through: they were followed
    but are not listed.
    """

    root: str
    entries: tuple[TraceEntry, ...]
    relationships: tuple[Relationship, ...]
    truncated: bool
    omitted_parts: int = 0

    def timeline(self) -> list[tuple[int | None, tuple[str, ...]]]:
        """Entries grouped by year, oldest first; undated nodes last (year None)."""
        years: dict[int | None, list[str]] = defaultdict(list)
        for entry in self.entries:
            years[entry.year].append(entry.id)
        order = sorted(y for y in years if y is not None)
        keys: list[int | None] = [*order, *([None] if None in years else [])]
        return [(y, tuple(sorted(years[y]))) for y in keys]


def influence_trace(graph: nx.MultiDiGraph, root: str, *, max_hops: int = 3,
                    rel_types: Collection[RelType] = TRACE_TYPES,
                    limit: int = 500) -> InfluenceTrace:
    """Everything downstream of ``root`` within ``max_hops``, by hops.

    Follows ``rel_types`` edges into each reached node backwards (what supplements,
    implements, interprets, refers to, amends, mentions or cites it). The articles of a
    reached instrument are *parts* of it (same hop, via HAS_ARTICLE): what points into
    them is downstream of the instrument, so a section that mentions one article of the
    CRC is downstream of the CRC. Parts do not count against ``limit`` and are listed
    only when something downstream was reached through them (the others are counted in
    ``omitted_parts``), so a statute with hundreds of articles still shows what
    interprets and mentions it. A reached section brings in its work (same hop, via
    HAS_SECTION), whose citers come next; ``limit`` caps the nodes reached, the root
    included. Raises :class:`NodeNotFoundError` for an unknown root.

    >>> from citegraph.model import Provenance
    >>> p = Provenance("d")
    >>> g = build_projection(
    ...     [Node("instrument:i", "Instrument", "I"), Node("article:i#a1", "Article", "1"),
    ...      Node("article:i#a2", "Article", "2"), Node("section:s", "Section", "S")],
    ...     [Relationship("instrument:i", "article:i#a1", "HAS_ARTICLE", p),
    ...      Relationship("instrument:i", "article:i#a2", "HAS_ARTICLE", p),
    ...      Relationship("section:s", "article:i#a2", "MENTIONS", p)])
    >>> trace = influence_trace(g, "instrument:i", limit=2)
    >>> [(e.id, e.hop) for e in trace.entries], trace.omitted_parts, trace.truncated
    ([('instrument:i', 0), ('article:i#a2', 0), ('section:s', 1)], 1, False)
    """
    if root not in graph:
        raise NodeNotFoundError(f"no node with id {root!r}")
    entries: dict[str, TraceEntry] = {}
    parts: dict[str, TraceEntry] = {}
    rels: dict[tuple[str, str, str, str], Relationship] = {}
    truncated = False

    def reach(node_id: str, hop: int, via: RelType | None, parent: str | None) -> bool:
        nonlocal truncated
        if node_id in entries or node_id in parts:
            return False
        if len(entries) >= limit:
            truncated = True
            return False
        entries[node_id] = TraceEntry(node_id, hop, node_year(graph, node_id), via, parent)
        return True

    articles = articles_index(graph)

    def with_parts(node_id: str, hop: int) -> list[str]:
        reached = [node_id]
        kind = _node(graph, node_id).type
        if kind is NodeType.INSTRUMENT:
            for article in articles.get(node_id, ()):
                if article not in entries and article not in parts:
                    parts[article] = TraceEntry(article, hop, node_year(graph, article),
                                                RelType.HAS_ARTICLE, node_id)
                    reached.append(article)
        elif kind is NodeType.SECTION:
            owner = owning_work(graph, node_id)
            if owner is not None and reach(owner, hop, RelType.HAS_SECTION, node_id):
                reached.append(owner)
        return reached

    reach(root, 0, None, None)
    frontier = with_parts(root, 0)
    for hop in range(1, max(0, max_hops) + 1):
        nxt: list[str] = []
        for current in sorted(frontier):
            check_deadline()
            for source, rel in sorted(_in(graph, current, rel_types),
                                      key=lambda pair: pair[1].identity):
                if source == current:
                    continue
                if reach(source, hop, rel.type, current):
                    nxt.extend(with_parts(source, hop))
                if source in entries or source in parts:
                    rels[rel.identity] = rel
        frontier = nxt
        if not frontier:
            break
    used = _parts_leading_somewhere(entries, parts)
    entries.update((part, parts[part]) for part in used)
    kept = tuple(rels[k] for k in sorted(rels)
                 if rels[k].source in entries and rels[k].target in entries)
    ordered = tuple(sorted(entries.values(), key=lambda e: (e.hop, e.id != root, e.id)))
    return InfluenceTrace(root, ordered, kept, truncated, len(parts) - len(used))


def _parts_leading_somewhere(entries: dict[str, TraceEntry],
                             parts: dict[str, TraceEntry]) -> set[str]:
    """The parts that are the parent of a listed entry (or of another such part)."""
    used: set[str] = set()
    for entry in entries.values():
        current = entry.parent
        while current is not None and current in parts and current not in used:
            used.add(current)
            current = parts[current].parent
    return used
