"""Load benchmark: relationships per second and memory per relationship.

Embedded store (``EmbeddedStore.write``, one batch per paper, provenance on every edge)
against plain networkx ``MultiDiGraph.add_edge`` with the six provenance attributes, on the
same synthetic data in the same run. Neo4j: the store's batched loader against one ``MERGE``
query per relationship, same data, same server, same run (the per-row side runs on a
sample of the relationships and its rate is extrapolated; the script says so).

Run: ``.venv/bin/python -m benchmarks.bench_load [--sizes 100000,300000,1000000] [--quick]
[--no-neo4j] [--per-row-sample 3000]``
"""

from __future__ import annotations

import gc
import sys
import tracemalloc
from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx

from benchmarks.common import (
    Result,
    neo4j_driver,
    now,
    parser,
    report,
    scaling_results,
    sizes_of,
)
from benchmarks.synth import SynthSpec, graph_batches, spec_for
from citegraph.model import GraphBatch, Relationship
from citegraph.stores.embedded import EmbeddedStore

EMBEDDED_RATE = 200_000
EMBEDDED_BYTES = 1024
NEO4J_RATE = 50_000
NEO4J_RATIO = 100


def rel_count(batches: Iterable[GraphBatch]) -> int:
    return sum(len(b.relationships) for b in batches)


# -- embedded and networkx -------------------------------------------------------------------
def load_embedded(batches: Sequence[GraphBatch]) -> tuple[float, EmbeddedStore]:
    """Seconds to write every batch into a fresh in-memory embedded store."""
    store = EmbeddedStore()
    start = now()
    for batch in batches:
        store.write(batch)
    return now() - start, store


def _edge_args(rel: Relationship) -> tuple[str, str, str, dict[str, Any]]:
    p = rel.provenance
    return (rel.source, rel.target, f"{rel.type.value}|{rel.key}",
            {"document": p.document, "locator": p.locator, "span": p.span, "quote": p.quote,
             "method": p.method, "confidence": p.confidence})


def networkx_rows(batches: Iterable[GraphBatch]) -> list[tuple[str, str, str, dict[str, Any]]]:
    """The (source, target, key, six attributes) rows the networkx baseline adds."""
    return [_edge_args(r) for b in batches for r in b.relationships]


def load_networkx(rows: Sequence[tuple[str, str, str, dict[str, Any]]]) -> float:
    """Seconds for plain ``MultiDiGraph.add_edge(u, v, key, **six attributes)`` per row."""
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    add = graph.add_edge
    start = now()
    for u, v, key, attrs in rows:
        add(u, v, key, document=attrs["document"], locator=attrs["locator"],
            span=attrs["span"], quote=attrs["quote"], method=attrs["method"],
            confidence=attrs["confidence"])
    return now() - start


def retained_bytes(spec: SynthSpec, *, networkx_only: bool) -> tuple[int, int, int]:
    """(retained, peak, relationships): traced bytes of a graph built by streaming the
    corpus batch by batch into the embedded store, or into plain networkx with the six
    attributes. What remains after the load is what the graph holds, provenance included."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    rels = 0
    holder: object
    if networkx_only:
        graph: nx.MultiDiGraph = nx.MultiDiGraph()
        for batch in graph_batches(spec):
            for u, v, key, attrs in map(_edge_args, batch.relationships):
                graph.add_edge(u, v, key, **attrs)
            rels += len(batch.relationships)
        holder = graph
    else:
        store = EmbeddedStore()
        for batch in graph_batches(spec):
            store.write(batch)
            rels += len(batch.relationships)
        holder = store
    gc.collect()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del holder
    return current - base, peak - base, rels


def embedded_results(size: int, seed: int, *, memory: bool) -> tuple[list[Result], float]:
    spec = spec_for(size, seed=seed)
    batches = list(graph_batches(spec))
    rels = rel_count(batches)
    seconds, store = load_embedded(batches)
    assert store.counts().total_relationships == rels, "embedded store lost relationships"
    del store
    gc.collect()
    rows = networkx_rows(batches)
    del batches
    nx_seconds = load_networkx(rows)
    del rows
    gc.collect()
    rate, nx_rate = rels / seconds, rels / nx_seconds
    out = [
        Result("load embedded", "relationships/s (write, one batch per paper)", rate, "rel/s",
               f">= {EMBEDDED_RATE:,}", rate >= EMBEDDED_RATE, rels),
        Result("load embedded", "networkx add_edge, six attributes, same data", nx_rate,
               "rel/s", "baseline", None, rels),
        Result("load embedded", "rate ratio embedded / networkx", rate / nx_rate, "x",
               "report", None, rels),
    ]
    if memory:
        kept, peak, n = retained_bytes(spec, networkx_only=False)
        nx_kept, nx_peak, _ = retained_bytes(spec, networkx_only=True)
        out += [
            Result("load embedded", "retained memory per relationship (tracemalloc, nodes "
                   "and provenance included)", kept / n, "B/rel", f"<= {EMBEDDED_BYTES}",
                   kept / n <= EMBEDDED_BYTES, n, f"peak {peak / n:.0f} B/rel"),
            Result("load embedded", "networkx retained memory per edge, same data",
                   nx_kept / n, "B/rel", "baseline", None, n, f"peak {nx_peak / n:.0f} B/rel"),
        ]
    return out, seconds


# -- Neo4j -----------------------------------------------------------------------------------
PER_ROW_MERGE = (
    "MERGE (a {id: $source}) MERGE (b {id: $target}) "
    "MERGE (a)-[r:`%s` {key: $key}]->(b) "
    "SET r.document = $document, r.locator = $locator, r.span = $span, r.quote = $quote, "
    "r.method = $method, r.confidence = $confidence"
)


def _neo4j_store(driver: Any, database: str) -> Any:
    from citegraph.stores.neo4j_store import Neo4jStore

    return Neo4jStore(driver, database)


def load_neo4j_batched(store: Any, batches: Sequence[GraphBatch]) -> float:
    store.clear()
    start = now()
    for batch in batches:
        store.write(batch)
    return now() - start


def load_neo4j_per_row(driver: Any, database: str, rels: Sequence[Relationship]) -> float:
    """One auto-commit ``MERGE`` query per relationship (endpoints matched by id)."""
    start = now()
    with driver.session(database=database) as session:
        for rel in rels:
            p = rel.provenance
            session.run(PER_ROW_MERGE % rel.type.value,  # type: ignore[arg-type]
                        source=rel.source, target=rel.target, key=rel.key,
                        document=p.document, locator=p.locator,
                        span=list(p.span) if p.span else None, quote=p.quote,
                        method=p.method, confidence=p.confidence).consume()
    return now() - start


def neo4j_results(size: int, seed: int, sample: int) -> list[Result]:
    with neo4j_driver() as handle:
        if handle is None:
            return [Result("load Neo4j", "skipped: no Neo4j server", float("nan"), "", "")]
        driver, database = handle
        store = _neo4j_store(driver, database)
        batches = list(graph_batches(spec_for(size, seed=seed)))
        rels = rel_count(batches)
        seconds = load_neo4j_batched(store, batches)
        rate = rels / seconds
        # Per-row: the last relationships of the corpus (endpoints exist, so the MERGE
        # matches nodes by id as the batched loader does), after deleting them.
        tail = [r for b in batches[-max(1, sample // 100):] for r in b.relationships][-sample:]
        with driver.session(database=database) as session:
            session.run("MATCH ()-[r]->() WHERE r.document IN $docs DELETE r",
                        docs=list({r.provenance.document for r in tail})).consume()
        row_seconds = load_neo4j_per_row(driver, database, tail)
        row_rate = len(tail) / row_seconds
        return [
            Result("load Neo4j", "relationships/s, batched loader", rate, "rel/s",
                   f">= {NEO4J_RATE:,}", rate >= NEO4J_RATE, rels),
            Result("load Neo4j", "relationships/s, one MERGE per row", row_rate, "rel/s",
                   "baseline", None, len(tail),
                   f"sample of {len(tail):,} rels, rate extrapolated"),
            Result("load Neo4j", "ratio batched / per-row", rate / row_rate, "x",
                   f">= {NEO4J_RATIO}", rate / row_rate >= NEO4J_RATIO, rels),
        ]


def main(argv: Sequence[str] | None = None) -> list[Result]:
    p = parser(__doc__ or "", [100_000, 300_000, 1_000_000], [2_000, 5_000, 10_000])
    p.add_argument("--no-neo4j", action="store_true")
    p.add_argument("--no-memory", action="store_true")
    p.add_argument("--per-row-sample", type=int, default=3000)
    p.add_argument("--neo4j-size", type=int, default=None,
                   help="size of the Neo4j comparison (default: the largest size)")
    args = p.parse_args(argv)
    sizes = sizes_of(args)
    results: list[Result] = []
    seconds = []
    for size in sizes:
        rows, secs = embedded_results(size, args.seed,
                                      memory=size == max(sizes) and not args.no_memory)
        results += rows
        seconds.append(secs)
        print(f"embedded {size:,}: {secs:.2f} s", file=sys.stderr)
    results.append(scaling_results("load embedded", "write time", sizes, seconds))
    if not args.no_neo4j:
        results += neo4j_results(args.neo4j_size or max(sizes), args.seed,
                                 min(args.per_row_sample, max(sizes)))
    report("bench_load", results, save=not args.no_save)
    return results


if __name__ == "__main__":
    main()
