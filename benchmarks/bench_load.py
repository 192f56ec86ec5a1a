"""Load benchmark: relationships per second and memory per relationship.

Embedded store (``EmbeddedStore.write``, one batch per paper, provenance on every edge)
against plain networkx ``MultiDiGraph.add_edge`` with the six provenance attributes, on the
same synthetic data in the same run; also the same writes with the cyclic GC paused
(a diagnostic), the time to open the saved store file, and the memory retained per
relationship (``tracemalloc``) at the largest size. Neo4j: the store's batched loader
(batches coalesced to ``--bulk`` relationships, and one batch per paper) against one
``MERGE`` query per relationship, same data, same server, same run (the per-row side runs
on a sample of the relationships and its rate is extrapolated; the script says so). Then
the offline importer on the same corpus (``neo4j-admin database import full`` from the CSV
``citegraph.stores.neo4j_import`` writes, into a fresh home; a server is started on it and
the counts checked), its rate reported beside (``--no-import`` skips it).

Run: ``.venv/bin/python -m benchmarks.bench_load [--sizes 100000,300000,1000000] [--quick]
[--no-neo4j | --neo4j-only] [--neo4j-size N] [--per-row-sample 3000] [--bulk 20000]
[--no-memory] [--no-import]``
"""

from __future__ import annotations

import gc
import re
import sys
import tempfile
import tracemalloc
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from benchmarks.common import (
    REPO,
    Neo4jHandle,
    Result,
    Stopwatch,
    cpu,
    gc_paused,
    neo4j_server,
    now,
    parser,
    report,
    scaling_results,
    sizes_of,
)
from benchmarks.synth import SynthSpec, graph_batches, spec_for
from citegraph.errors import StoreError
from citegraph.model import GraphBatch, Node, Relationship
from citegraph.stores.base import GraphStore
from citegraph.stores.embedded import EmbeddedStore

EMBEDDED_RATE = 200_000
EMBEDDED_BYTES = 1024
NEO4J_RATE = 50_000
NEO4J_RATIO = 100


def rel_count(batches: Iterable[GraphBatch]) -> int:
    return sum(len(b.relationships) for b in batches)


# -- embedded and networkx -------------------------------------------------------------------
def load_embedded(batches: Sequence[GraphBatch]) -> tuple[Stopwatch, EmbeddedStore]:
    """Time to write every batch into a fresh in-memory embedded store."""
    store = EmbeddedStore()
    with Stopwatch() as sw:
        for batch in batches:
            store.write(batch)
    return sw, store


def _edge_args(rel: Relationship) -> tuple[str, str, str, dict[str, Any]]:
    p = rel.provenance
    return (rel.source, rel.target, f"{rel.type.value}|{rel.key}",
            {"document": p.document, "locator": p.locator, "span": p.span, "quote": p.quote,
             "method": p.method, "confidence": p.confidence})


def open_saved(store: EmbeddedStore) -> tuple[Stopwatch, int]:
    """Time to open (parse and index) the store's persisted file; and its size."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store.json"
        path.write_bytes(store.snapshot_bytes())
        with Stopwatch() as sw:
            reopened = EmbeddedStore(path)
        assert reopened.counts() == store.counts(), "the saved store differs"
        return sw, path.stat().st_size


def networkx_rows(batches: Iterable[GraphBatch]) -> list[tuple[str, str, str, dict[str, Any]]]:
    """The (source, target, key, six attributes) rows the networkx baseline adds."""
    return [_edge_args(r) for b in batches for r in b.relationships]


def load_networkx(rows: Sequence[tuple[str, str, str, dict[str, Any]]]) -> Stopwatch:
    """Time of plain ``MultiDiGraph.add_edge(u, v, key, **six attributes)`` per row."""
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    add = graph.add_edge
    with Stopwatch() as sw:
        for u, v, key, attrs in rows:
            add(u, v, key, document=attrs["document"], locator=attrs["locator"],
                span=attrs["span"], quote=attrs["quote"], method=attrs["method"],
                confidence=attrs["confidence"])
    return sw


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
    sw, store = load_embedded(batches)
    assert store.counts().total_relationships == rels, "embedded store lost relationships"
    file_sw, file_bytes = open_saved(store)
    del store
    gc.collect()
    with gc_paused():
        paused_sw, store = load_embedded(batches)
    del store
    gc.collect()
    rows = networkx_rows(batches)
    del batches
    nx_sw = load_networkx(rows)
    del rows
    gc.collect()
    rate, nx_rate = rels / sw.wall, rels / nx_sw.wall
    out = [
        Result("load embedded", "relationships/s (write, one batch per paper)", rate, "rel/s",
               f">= {EMBEDDED_RATE:,}", rate >= EMBEDDED_RATE, rels, cpu=rels / sw.cpu),
        Result("load embedded", "networkx add_edge, six attributes, same data", nx_rate,
               "rel/s", "baseline", None, rels, cpu=rels / nx_sw.cpu),
        Result("load embedded", "rate ratio embedded / networkx", rate / nx_rate, "x",
               "report", None, rels, cpu=nx_sw.cpu / sw.cpu),
        Result("load embedded", "relationships/s, same writes with the cyclic GC paused "
               "(diagnostic)", rels / paused_sw.wall, "rel/s", "report", None, rels,
               cpu=rels / paused_sw.cpu),
        Result("load embedded", "relationships/s opening the saved store file", rels /
               file_sw.wall, "rel/s", "report", None, rels, f"{file_bytes / 1e6:.0f} MB file",
               cpu=rels / file_sw.cpu),
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
    return out, sw.cpu


# -- Neo4j -----------------------------------------------------------------------------------
_LABEL_OF_PREFIX = {"work": "Work", "section": "Section", "instrument": "Instrument",
                    "article": "Article", "concept": "Concept", "jurisdiction": "Jurisdiction"}

#: The straightforward way: one auto-commit query per relationship, endpoints found through
#: the same labelled uniqueness indexes the batched loader uses.
PER_ROW_MERGE = (
    "MATCH (a:`{source}` {{id: $source}}) MATCH (b:`{target}` {{id: $target}}) "
    "MERGE (a)-[r:`{type}` {{key: $key}}]->(b) SET r = $props"
)


def _label_of(node_id: str) -> str:
    return _LABEL_OF_PREFIX[node_id.split(":", 1)[0]]


def coalesce(batches: Iterable[GraphBatch], rels_per_batch: int) -> list[GraphBatch]:
    """Consecutive batches merged until each holds about ``rels_per_batch`` relationships
    (every relationship keeps its own provenance document)."""
    out: list[GraphBatch] = []
    nodes: list[Node] = []
    rels: list[Relationship] = []
    for batch in batches:
        nodes.extend(batch.nodes)
        rels.extend(batch.relationships)
        if len(rels) >= rels_per_batch:
            out.append(GraphBatch.of(f"bulk-{len(out)}", nodes, rels))
            nodes, rels = [], []
    if nodes or rels:
        out.append(GraphBatch.of(f"bulk-{len(out)}", nodes, rels))
    return out


def write_all(store: GraphStore, batches: Sequence[GraphBatch],
              handle: Neo4jHandle) -> tuple[float, float | None]:
    """(wall-clock seconds, CPU seconds of client and server together, when known)."""
    server0, client0, start = handle.server_cpu(), cpu(), now()
    for batch in batches:
        store.write(batch)
    wall, server1 = now() - start, handle.server_cpu()
    if server0 is None or server1 is None:
        return wall, None
    return wall, server1 - server0 + cpu() - client0


def load_neo4j_per_row(handle: Neo4jHandle,
                       rels: Sequence[Relationship]) -> tuple[float, float | None]:
    """(wall, client + server CPU) seconds for one auto-commit ``MERGE`` per relationship."""
    from citegraph.stores.neo4j_store import rel_row

    server0, client0, start = handle.server_cpu(), cpu(), now()
    with handle.driver.session(database=handle.database) as session:
        for rel in rels:
            query = PER_ROW_MERGE.format(source=_label_of(rel.source),
                                         target=_label_of(rel.target), type=rel.type.value)
            row = rel_row(rel)
            session.run(query, source=rel.source, target=rel.target, key=rel.key,
                        props=row["props"]).consume()
    wall, server1 = now() - start, handle.server_cpu()
    if server0 is None or server1 is None:
        return wall, None
    return wall, server1 - server0 + cpu() - client0


def _delete_documents(handle: Neo4jHandle, documents: Collection[str]) -> None:
    with handle.driver.session(database=handle.database) as session:
        session.run("MATCH ()-[r]->() WHERE r.document IN $docs DELETE r",
                    docs=sorted(documents)).consume()


def _per_s(count: int, seconds: float | None) -> float | None:
    return None if seconds is None else count / seconds


def neo4j_results(size: int, seed: int, sample: int, bulk: int) -> list[Result]:
    """Batched loads (coalesced batches, and one batch per paper) and one MERGE per row."""
    with neo4j_server() as handle:
        if handle is None:
            return [Result("load Neo4j", "skipped: no Neo4j server", float("nan"), "", "")]
        from citegraph.stores.neo4j_store import Neo4jStore

        # Counting after a load on a busy, cold server can take seconds: a long limit.
        store = Neo4jStore(handle.driver, handle.database, timeout_s=120.0)
        store.clear()
        batches = list(graph_batches(spec_for(size, seed=seed)))
        rels = rel_count(batches)
        wall, on_cpu = write_all(store, coalesce(batches, bulk), handle)
        print(f"neo4j batched: {rels:,} rels in {wall:.1f} s", file=sys.stderr)
        assert store.counts().total_relationships == rels, "Neo4j lost relationships"
        rate, rate_cpu = rels / wall, _per_s(rels, on_cpu)
        # The last papers: delete their relationships, write them back one query per
        # relationship, delete again, write them back one store batch per paper.
        tail: list[GraphBatch] = []
        while sum(len(b.relationships) for b in tail) < sample:
            tail.insert(0, batches[-1 - len(tail)])
        tail_rels = [r for b in tail for r in b.relationships]
        documents = {b.document for b in tail}
        _delete_documents(handle, documents)
        row_wall, row_cpu = load_neo4j_per_row(handle, tail_rels)
        row_rate, row_rate_cpu = len(tail_rels) / row_wall, _per_s(len(tail_rels), row_cpu)
        _delete_documents(handle, documents)
        paper_wall, paper_cpu = write_all(store, tail, handle)
        paper_rate = len(tail_rels) / paper_wall
        assert store.counts().total_relationships == rels, "Neo4j lost relationships"
        cpu_note = "; CPU time is client + server process CPU"
        return [
            Result("load Neo4j", f"relationships/s, batched loader ({bulk:,}-rel batches)",
                   rate, "rel/s", f">= {NEO4J_RATE:,}", rate >= NEO4J_RATE, rels,
                   cpu_note.lstrip("; "), cpu=rate_cpu),
            Result("load Neo4j", "relationships/s, batched loader, one batch per paper",
                   paper_rate, "rel/s", "report", None, len(tail_rels),
                   f"last {len(tail)} papers re-written", cpu=_per_s(len(tail_rels),
                                                                    paper_cpu)),
            Result("load Neo4j", "relationships/s, one MERGE query per row", row_rate,
                   "rel/s", "baseline", None, len(tail_rels),
                   f"sample of the last {len(tail_rels):,} rels; rate extrapolated",
                   cpu=row_rate_cpu),
            Result("load Neo4j", "ratio batched / per-row", rate / row_rate, "x",
                   f">= {NEO4J_RATIO}", rate / row_rate >= NEO4J_RATIO, rels,
                   cpu=None if rate_cpu is None or row_rate_cpu is None
                   else rate_cpu / row_rate_cpu),
            Result("load Neo4j", "ratio one batch per paper / per-row", paper_rate / row_rate,
                   "x", "report", None, len(tail_rels)),
        ]


def _importer_seconds(output: str) -> float | None:
    """The importer's own "IMPORT DONE in 1m 2s 345ms" figure, in seconds."""
    match = re.search(r"IMPORT DONE in (?:(\d+)m )?(?:(\d+)s )?(\d+)ms", output)
    if match is None:
        return None
    minutes, seconds, millis = (int(g or 0) for g in match.groups())
    return minutes * 60 + seconds + millis / 1000


def import_results(size: int, seed: int) -> list[Result]:
    """The offline importer on the same corpus: CSV writing, then ``neo4j-admin database
    import full`` into a fresh home, then a server on it (counts checked)."""
    sys.path.insert(0, str(REPO / "tests"))
    import neo4j_server as launcher
    from neo4j import GraphDatabase

    from citegraph.stores.neo4j_import import run_import, write_import_csv
    from citegraph.stores.neo4j_store import Neo4jStore

    batches = list(graph_batches(spec_for(size, seed=seed)))
    rels = rel_count(batches)
    with tempfile.TemporaryDirectory(prefix="citegraph-import-") as tmp:
        with Stopwatch() as csv_sw:
            files = write_import_csv(batches, Path(tmp) / "csv")
        home = Path(tmp) / "home"
        with Stopwatch() as import_sw:
            output = run_import(files, home, str(REPO / ".cache/neo4j/lib/*"))
        own = _importer_seconds(output)
        with launcher.Neo4jServer(data_dir=home) as server:
            driver = GraphDatabase.driver(server.uri, auth=None)
            try:
                store = Neo4jStore(driver)
                store.write(files.leftover)
                total = store.counts().total_relationships
            finally:
                driver.close()
    assert files.relationship_count + len(files.leftover.relationships) == total, \
        "the import lost relationships"
    out = [Result("load Neo4j", "offline import: neo4j-admin database import full, whole "
                  "command (JVM start included)", rels / import_sw.wall, "rel/s", "report",
                  None, rels, f"{len(files.leftover.relationships)} rels left to the driver")]
    if own is not None:
        out.append(Result("load Neo4j", "offline import: the importer's own time",
                          rels / own, "rel/s", "report", None, rels))
    out.append(Result("load Neo4j", "offline import: writing the CSV (merge + files)",
                      rels / csv_sw.wall, "rel/s", "report", None, rels, cpu=rels / csv_sw.cpu))
    return out


def main(argv: Sequence[str] | None = None) -> list[Result]:
    p = parser(__doc__ or "", [100_000, 300_000, 1_000_000], [2_000, 5_000, 10_000])
    p.add_argument("--no-neo4j", action="store_true")
    p.add_argument("--neo4j-only", action="store_true",
                   help="only the Neo4j part (results saved as bench_load_neo4j)")
    p.add_argument("--no-memory", action="store_true")
    p.add_argument("--no-import", action="store_true",
                   help="skip the offline importer (neo4j-admin database import)")
    p.add_argument("--per-row-sample", type=int, default=3000)
    p.add_argument("--bulk", type=int, default=20_000,
                   help="relationships per coalesced Neo4j batch")
    p.add_argument("--neo4j-size", type=int, default=None,
                   help="size of the Neo4j comparison (default: the largest size)")
    args = p.parse_args(argv)
    sizes = sizes_of(args)
    results: list[Result] = []
    seconds = []
    for size in [] if args.neo4j_only else sizes:
        rows, secs = embedded_results(size, args.seed,
                                      memory=size == max(sizes) and not args.no_memory)
        results += rows
        seconds.append(secs)
        print(f"embedded {size:,}: {secs:.2f} s", file=sys.stderr)
    if seconds:
        results.append(scaling_results("load embedded", "write CPU time", sizes, seconds))
    if not args.no_neo4j:
        # --neo4j-only measures every size (a scaling run); otherwise the largest only.
        neo_sizes = sizes if args.neo4j_only else [args.neo4j_size or max(sizes)]
        walls = []
        for size in neo_sizes:
            rows = neo4j_results(size, args.seed, min(args.per_row_sample, size // 2),
                                 args.bulk)
            results += rows
            if rows[0].figure == rows[0].figure:  # not NaN: the server was there
                walls.append((rows[0].size or size) / rows[0].figure)
        if not args.no_import:
            try:
                results += import_results(max(neo_sizes), args.seed)
            except StoreError as exc:  # report what the driver side measured anyway
                print(f"offline import failed: {exc}", file=sys.stderr)
        if len(walls) == len(neo_sizes) > 1:
            results.append(scaling_results("load Neo4j", "batched load wall time",
                                           neo_sizes, walls))
    report("bench_load_neo4j" if args.neo4j_only else "bench_load", results,
           save=not args.no_save)
    return results


if __name__ == "__main__":
    main()
