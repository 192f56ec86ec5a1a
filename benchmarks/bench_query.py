"""Query benchmark: p50/p95/p99 latency of the four interactive queries, both stores.

On a synthetic graph of about 1,000,000 relationships (``--sizes``), for seeded random
start points of every node type:

* 2-hop neighbourhood, both directions, capped at 500 nodes (``store.neighbours``);
* shortest paths between two papers, undirected, at most 6 hops (``store.shortest_paths``);
* text search of one or two words (``store.search``; the first call, which builds the
  embedded store's index, is reported on its own);
* influence trace of an instrument, 3 hops, 500 nodes (``analytics.influence_trace`` on
  the store's projection, as the API's ``/influence`` does).

Each kind runs ``--queries`` times or until ``--budget`` seconds are spent (at least 10
samples); a query that raises (a Neo4j time-out) is reported as failed, not measured.
Latencies are wall-clock; for the embedded store the thread's CPU time is reported too.

Run: ``.venv/bin/python -m benchmarks.bench_query [--sizes 100000,300000,1000000] [--quick]
[--no-neo4j | --neo4j-only] [--neo4j-size N] [--queries 200] [--budget 90]``
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable, Sequence
from typing import Any

from benchmarks.common import (
    Result,
    neo4j_server,
    now,
    parser,
    percentiles,
    report,
    sample_latencies,
    scaling_results,
    sizes_of,
)
from benchmarks.synth import (
    WORDS,
    SynthSpec,
    article_node_id,
    graph_batches,
    instrument_iri,
    paper_document,
    pool_work_id,
    spec_for,
)
from citegraph import analytics, ids
from citegraph.errors import CitegraphError
from citegraph.stores.base import GraphStore
from citegraph.stores.embedded import EmbeddedStore

TARGET_MS = {"embedded": 20.0, "neo4j": 50.0}


def start_nodes(spec: SynthSpec, count: int, seed: int) -> list[str]:
    """Seeded start points, a fifth each of papers, sections, cited works, articles and
    instruments (so hubs such as popular works and instruments are included)."""
    rng = random.Random(f"{seed}:starts")
    out = []
    for n in range(count):
        kind = n % 5
        if kind == 0:
            out.append(paper_document(rng.randrange(spec.papers)))
        elif kind == 1:
            slug = paper_document(rng.randrange(spec.papers)).removeprefix("work:")
            out.append(ids.section_id(slug, str(rng.randint(1, spec.sections))))
        elif kind == 2:
            out.append(pool_work_id(rng.randrange(min(spec.pool_size, 2000))))
        elif kind == 3:
            out.append(article_node_id(spec, rng.randrange(spec.instruments),
                                       rng.randrange(spec.articles)))
        else:
            out.append(ids.instrument_id(instrument_iri(spec, rng.randrange(spec.instruments))))
    return out


def path_pairs(spec: SynthSpec, count: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(f"{seed}:pairs")
    return [(paper_document(rng.randrange(spec.papers)), paper_document(rng.randrange(spec.papers)))
            for _ in range(count)]


def search_terms(store: GraphStore, spec: SynthSpec, count: int, seed: int) -> list[str]:
    """What a user types: one or two consecutive words of an existing node's label
    (papers, sections, works, instruments, and ``article N``, which matches thousands)."""
    rng = random.Random(f"{seed}:search")
    terms = []
    for node_id in start_nodes(spec, count, seed + 1):
        node = store.find_node(node_id)
        words = node.label.split() if node is not None else []
        if not words or words[0][0].isdigit():
            words = words[1:] or [rng.choice(WORDS)]
        first = rng.randrange(len(words))
        terms.append(" ".join(words[first:first + rng.choice((1, 2))]))
    return terms


def trace_roots(spec: SynthSpec, count: int, seed: int) -> list[str]:
    rng = random.Random(f"{seed}:roots")
    return [ids.instrument_id(instrument_iri(spec, rng.randrange(spec.instruments)))
            for _ in range(count)]


def influence(store: GraphStore) -> Callable[[str], object]:
    """The influence trace as the API runs it: on the store's (cached) projection."""
    def run(root: str) -> object:
        return analytics.influence_trace(analytics.projection_of(store), root, max_hops=3,
                                         limit=500)
    return run


def failed(label: str, name: str, exc: Exception, seconds: float, size: int,
           target: float | None = None) -> Result:
    """A query that raised (a time-out, say): no figure, the target not met."""
    print(f"{label} {size:,} {name}: {type(exc).__name__} after {seconds:.1f} s",
          file=sys.stderr)
    return Result(f"query {label}", name, float("nan"), "ms",
                  "report" if target is None else f"<= {target:g} ms",
                  None if target is None else False, size,
                  f"failed after {seconds:.1f} s: {type(exc).__name__}: {str(exc)[:80]}")


def measure(store: GraphStore, spec: SynthSpec, label: str, queries: int, seed: int,
            size: int, budget_s: float = 90.0) -> list[Result]:
    """Latency rows for one loaded store."""
    target = TARGET_MS[label]
    out: list[Result] = []
    terms = search_terms(store, spec, queries, seed)
    for name, warm in (("first search (builds the text index)",
                        lambda: store.search(terms[0])),
                       ("first projection for analytics (whole graph)",
                        lambda: analytics.projection_of(store))):
        first = now()
        try:
            warm()
            out.append(Result(f"query {label}", name, (now() - first) * 1000, "ms", "report",
                              None, size))
        except CitegraphError as exc:
            out.append(failed(label, name, exc, now() - first, size))
    suite: list[tuple[str, Callable[[Any], object], Sequence[Any]]] = [
        ("2-hop neighbourhood (cap 500)",
         lambda n: store.neighbours(n, depth=2, limit=500), start_nodes(spec, queries, seed)),
        ("shortest paths (<= 6 hops)",
         lambda ab: store.shortest_paths(ab[0], ab[1], max_length=6),
         path_pairs(spec, max(10, queries // 2), seed)),
        ("search", lambda t: store.search(t, limit=20), terms),
        ("influence trace (3 hops, 500)", influence(store),
         trace_roots(spec, max(10, queries // 4), seed)),
    ]
    for name, fn, args in suite:
        start = now()
        try:
            ms, cpu_ms = sample_latencies(fn, args, warmup=1, budget_s=budget_s)
        except CitegraphError as exc:
            out.append(failed(label, f"{name} p95", exc, now() - start, size, target))
            continue
        pct, cpu_pct = percentiles(ms), percentiles(cpu_ms)
        # Neo4j works in another process: only wall-clock time means anything there.
        on_cpu = cpu_pct[95] if label == "embedded" else None
        out.append(Result(f"query {label}", f"{name} p95", pct[95], "ms", f"<= {target:g} ms",
                          pct[95] <= target, size,
                          f"p50 {pct[50]:.2f}, p99 {pct[99]:.2f}, max {max(ms):.1f} ms, "
                          f"n={len(ms)}" + (f"; CPU p50 {cpu_pct[50]:.2f}, p99 "
                                            f"{cpu_pct[99]:.2f}" if on_cpu is not None else ""),
                          cpu=on_cpu))
        print(f"{label} {size:,} {name}: p50 {pct[50]:.2f} p95 {pct[95]:.2f} "
              f"p99 {pct[99]:.2f} ms", file=sys.stderr)
    return out


def load(store: GraphStore, spec: SynthSpec) -> int:
    rels = 0
    for batch in graph_batches(spec):
        store.write(batch)
        rels += len(batch.relationships)
    return rels


def neo4j_part(spec: SynthSpec, queries: int, seed: int, size: int,
               budget_s: float) -> list[Result]:
    with neo4j_server() as handle:
        if handle is None:
            return [Result("query neo4j", "skipped: no Neo4j server", float("nan"), "", "")]
        from citegraph.stores.neo4j_store import Neo4jStore

        store = Neo4jStore(handle.driver, handle.database)
        store.clear()
        start = now()
        rels = load(store, spec)
        seconds = now() - start
        print(f"neo4j: loaded {rels:,} rels in {seconds:.1f} s", file=sys.stderr)
        loaded = Result("query neo4j", "load before the queries: store.write, one batch per "
                        "paper (rel/s)", rels / seconds, "rel/s", "report", None, rels)
        return [loaded, *measure(store, spec, "neo4j", queries, seed, rels, budget_s)]


def main(argv: Sequence[str] | None = None) -> list[Result]:
    p = parser(__doc__ or "", [100_000, 300_000, 1_000_000], [2_000, 5_000, 10_000])
    p.add_argument("--queries", type=int, default=200)
    p.add_argument("--budget", type=float, default=90.0,
                   help="seconds per query kind and store before sampling stops (n >= 10)")
    p.add_argument("--no-neo4j", action="store_true")
    p.add_argument("--neo4j-only", action="store_true",
                   help="only the Neo4j part (results saved as bench_query_neo4j)")
    p.add_argument("--neo4j-size", type=int, default=None,
                   help="graph size for the Neo4j part (default: the largest size)")
    args = p.parse_args(argv)
    sizes = sizes_of(args)
    queries = 20 if args.quick else args.queries
    results: list[Result] = []
    totals = []
    for size in [] if args.neo4j_only else sizes:
        spec = spec_for(size, seed=args.seed)
        store = EmbeddedStore()
        rels = load(store, spec)
        rows = measure(store, spec, "embedded", queries, args.seed, rels, args.budget)
        del store
        results += rows
        totals.append(sum(r.figure for r in rows if r.measure.endswith("p95")))
    if len(totals) > 1:
        results.append(scaling_results("query embedded", "summed p95 latency", sizes, totals,
                                       "ms"))
    if not args.no_neo4j:
        big = args.neo4j_size or max(sizes)
        results += neo4j_part(spec_for(big, seed=args.seed), queries, args.seed, big,
                              args.budget)
    report("bench_query_neo4j" if args.neo4j_only else "bench_query", results,
           save=not args.no_save)
    return results


if __name__ == "__main__":
    main()
