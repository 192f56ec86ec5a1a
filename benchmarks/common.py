"""Shared helpers for the benchmark scripts: timing, percentiles, tables, scaling fits,
the machine description, command-line options and a Neo4j server for the Neo4j parts.

Examples
--------
>>> percentiles([1.0, 2.0, 3.0, 4.0], (50,))
{50: 2.5}
>>> round(fit_exponent([1000, 10000, 100000], [1.0, 10.0, 100.0]), 3)
1.0
>>> print(format_table(["a", "b"], [["x", 1.5]]))
| a | b |
|---|---|
| x | 1.5 |
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"


# -- timing ----------------------------------------------------------------------------------
def now() -> float:
    return time.perf_counter()


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of ``fn`` takes (garbage collection left on, as in real use)."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def sample_latencies(fn: Callable[[Any], object], args: Sequence[Any],
                     warmup: int = 3) -> list[float]:
    """Milliseconds of ``fn(arg)`` for each of ``args``, after ``warmup`` untimed calls."""
    for arg in args[:warmup]:
        fn(arg)
    out = []
    for arg in args:
        start = time.perf_counter()
        fn(arg)
        out.append((time.perf_counter() - start) * 1000.0)
    return out


def percentiles(samples: Sequence[float],
                points: Sequence[int] = (50, 95, 99)) -> dict[int, float]:
    """Percentiles by linear interpolation (``statistics.quantiles``, inclusive method)."""
    if len(samples) == 1:
        return {p: float(samples[0]) for p in points}
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {p: cuts[p - 1] for p in points}


def fit_exponent(sizes: Sequence[float], costs: Sequence[float]) -> float:
    """Least-squares slope of log(cost) on log(size): 1.0 is linear, 2.0 quadratic."""
    xs = [math.log(s) for s in sizes]
    ys = [math.log(max(c, 1e-12)) for c in costs]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    if den == 0:
        return float("nan")
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Collect, then keep the cyclic collector off (for memory snapshots)."""
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def rss_bytes() -> int:
    """Resident set size of this process now (Linux ``/proc/self/statm``)."""
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


# -- reporting -------------------------------------------------------------------------------
@dataclass(slots=True)
class Result:
    """One measured figure, as a row of ``BENCHMARKS.md``."""

    stage: str
    measure: str
    figure: float
    unit: str
    target: str = ""
    met: bool | None = None
    size: int | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def cells(self) -> list[object]:
        met = "" if self.met is None else ("yes" if self.met else "NO")
        size = "" if self.size is None else f"{self.size:,}"
        return [self.stage, self.measure, size, f"{fmt(self.figure)} {self.unit}",
                self.target, met, self.note]


HEADERS = ["stage", "measure", "size", "figure", "target", "met?", "note"]


def fmt(value: float) -> str:
    """Three significant figures, thousands separated."""
    if value != value:  # NaN
        return "n/a"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> dict[str, str]:
    """nproc, memory, CPU model, Python and the date: the context of every figure."""
    model = "unknown"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem = 0
    with contextlib.suppress(OSError), open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024
    return {"nproc": str(os.cpu_count()), "memory_gib": f"{mem / 2**30:.1f}",
            "cpu": model, "python": platform.python_version(),
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}


def command(name: str) -> str:
    """How this run was started, as a command to paste."""
    return " ".join([".venv/bin/python", "-m", f"benchmarks.{name}", *sys.argv[1:]])


def report(name: str, results: Sequence[Result], *, save: bool = True) -> None:
    """Print the results as a table and save them to ``benchmarks/results/{name}.json``."""
    info = machine()
    print(f"\n## {name} — {info['nproc']} cores, {info['memory_gib']} GiB, {info['cpu']}, "
          f"Python {info['python']}, {info['date']}")
    print(f"command: {command(name)}")
    print(format_table(HEADERS, [r.cells() for r in results]))
    if save:
        RESULTS.mkdir(parents=True, exist_ok=True)
        payload = {"machine": info, "command": command(name),
                   "results": [asdict(r) for r in results]}
        (RESULTS / f"{name}.json").write_text(json.dumps(payload, indent=1) + "\n")


def scaling_results(stage: str, measure: str, sizes: Sequence[int],
                    seconds: Sequence[float], unit: str = "s") -> Result:
    """The fitted exponent of cost against size, as a result row."""
    exponent = fit_exponent(sizes, seconds) if len(sizes) >= 2 else float("nan")
    detail = ", ".join(f"{s:,}: {fmt(t)} {unit}" for s, t in zip(sizes, seconds, strict=True))
    return Result(stage, f"scaling exponent of {measure}", exponent, "", "report (1.0 = linear)",
                  None, None, detail)


# -- options ---------------------------------------------------------------------------------
def parser(description: str, default_sizes: Sequence[int],
           quick_sizes: Sequence[int]) -> argparse.ArgumentParser:
    """Options every script takes: ``--sizes``, ``--quick``, ``--no-save``, ``--seed``."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--sizes", type=lambda s: [int(float(x)) for x in s.split(",")],
                   default=None, help=f"comma-separated sizes (default "
                   f"{','.join(map(str, default_sizes))})")
    p.add_argument("--quick", action="store_true",
                   help=f"small sizes ({','.join(map(str, quick_sizes))}), fewer repeats")
    p.add_argument("--no-save", action="store_true", help="do not write benchmarks/results")
    p.add_argument("--seed", type=int, default=8)
    p.set_defaults(default_sizes=list(default_sizes), quick_sizes=list(quick_sizes))
    return p


def sizes_of(args: argparse.Namespace) -> list[int]:
    if args.sizes:
        return list(args.sizes)
    return list(args.quick_sizes if args.quick else args.default_sizes)


# -- Neo4j -----------------------------------------------------------------------------------
@contextlib.contextmanager
def neo4j_driver() -> Iterator[tuple[Any, str] | None]:
    """A driver and database name for the Neo4j parts, or None when no server can be had.

    Uses ``NEO4J_URI`` (with ``NEO4J_USER``/``NEO4J_PASSWORD``/``NEO4J_DATABASE``) when set,
    else starts the test server of ``tests/neo4j_server.py`` and stops it afterwards.
    """
    uri = os.environ.get("NEO4J_URI")
    if uri:
        from neo4j import GraphDatabase

        auth = (os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
        driver = GraphDatabase.driver(uri, auth=auth)
        try:
            yield driver, os.environ.get("NEO4J_DATABASE", "neo4j")
        finally:
            driver.close()
        return
    server = _start_test_server()
    if server is None:
        yield None
        return
    from neo4j import GraphDatabase

    try:
        driver = GraphDatabase.driver(server.uri, auth=None)
        try:
            yield driver, "neo4j"
        finally:
            driver.close()
    finally:
        server.close()


def _start_test_server() -> Any:
    """Start ``tests/neo4j_server.py``'s server; None (with the reason printed) if it can't."""
    sys.path.insert(0, str(REPO / "tests"))
    try:
        import neo4j_server
    except ImportError as exc:
        print(f"Neo4j: tests/neo4j_server.py not available ({exc})", file=sys.stderr)
        return None
    # A 1M-relationship graph needs more than the test defaults (1 GiB heap, 64 MB cache).
    os.environ.setdefault("NEO4J_JAVA_OPTS", "-Xms2g -Xmx4g")
    os.environ.setdefault("NEO4J_TEST_PAGECACHE_MB", "2048")
    os.environ.setdefault("NEO4J_TEST_TX_MAX_MB", "2048")
    missing = neo4j_server.missing_prerequisites()
    if missing:
        print(f"Neo4j: cannot run the test server here: {missing}", file=sys.stderr)
        return None
    server = neo4j_server.Neo4jServer()
    try:
        server.start()
    except Exception as exc:  # any failure means "no Neo4j here"
        print(f"Neo4j: could not start the test server: {exc}", file=sys.stderr)
        server.close()
        return None
    return server
