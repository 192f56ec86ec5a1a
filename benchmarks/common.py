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


def cpu() -> float:
    """CPU seconds of this process (all threads): the cost on one core, whatever the load
    of a shared machine does to wall-clock time."""
    return time.process_time()


@dataclass(slots=True)
class Stopwatch:
    """Wall-clock and process CPU seconds of a ``with`` block.

    >>> with Stopwatch() as sw:
    ...     _ = sum(range(1000))
    >>> sw.wall >= 0 and sw.cpu >= 0
    True
    """

    wall: float = 0.0
    cpu: float = 0.0
    _wall0: float = 0.0
    _cpu0: float = 0.0

    def __enter__(self) -> Stopwatch:
        self._wall0, self._cpu0 = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self._wall0
        self.cpu = time.process_time() - self._cpu0


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of ``fn`` takes (garbage collection left on, as in real use)."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def sample_latencies(fn: Callable[[Any], object], args: Sequence[Any], warmup: int = 3,
                     budget_s: float = float("inf")) -> tuple[list[float], list[float]]:
    """(wall, thread CPU) milliseconds of ``fn(arg)`` for each of ``args``, after
    ``warmup`` untimed calls; stops early (keeping at least 10 samples) once ``budget_s``
    seconds have been spent."""
    for arg in args[:warmup]:
        fn(arg)
    wall: list[float] = []
    cpu_ms: list[float] = []
    deadline = time.perf_counter() + budget_s
    for arg in args:
        if len(wall) >= 10 and time.perf_counter() > deadline:
            break
        start, start_cpu = time.perf_counter(), time.thread_time()
        fn(arg)
        wall.append((time.perf_counter() - start) * 1000.0)
        cpu_ms.append((time.thread_time() - start_cpu) * 1000.0)
    return wall, cpu_ms


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
    cpu: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def cells(self) -> list[object]:
        met = "" if self.met is None else ("yes" if self.met else "NO")
        size = "" if self.size is None else f"{self.size:,}"
        on_cpu = "" if self.cpu is None else f"{fmt(self.cpu)} {self.unit}"
        return [self.stage, self.measure, size, f"{fmt(self.figure)} {self.unit}", on_cpu,
                self.target, met, self.note]


#: ``figure`` is wall-clock; ``on CPU time`` is the same measure computed from the CPU
#: time of the measuring process, which a loaded shared machine inflates far less.
HEADERS = ["stage", "measure", "size", "figure", "on CPU time", "target", "met?", "note"]


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
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return {"nproc": str(os.cpu_count()), "memory_gib": f"{mem / 2**30:.1f}",
            "cpu": model, "python": platform.python_version(), "load": f"{load:.1f}",
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}


def command(name: str) -> str:
    """How this run was started, as a command to paste (``name`` when not run as a script)."""
    module = Path(sys.argv[0]).stem if sys.argv and sys.argv[0].endswith(".py") else name
    return " ".join([".venv/bin/python", "-m", f"benchmarks.{module}", *sys.argv[1:]])


def report(name: str, results: Sequence[Result], *, save: bool = True) -> None:
    """Print the results as a table and save them to ``benchmarks/results/{name}.json``."""
    info = machine()
    print(f"\n## {name} — {info['nproc']} cores, {info['memory_gib']} GiB, {info['cpu']}, "
          f"Python {info['python']}, load average {info['load']}, {info['date']}")
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
@dataclass(frozen=True, slots=True)
class Neo4jHandle:
    """A driver, the database name, and the server's process id when we started it."""

    driver: Any
    database: str
    pid: int | None = None

    def server_cpu(self) -> float | None:
        """CPU seconds the server process has used so far (None when it is not ours)."""
        return None if self.pid is None else process_tree_cpu(self.pid)


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its live descendants, from ``/proc``."""
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        times[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    total, stack = 0.0, [pid]
    while stack:
        current = stack.pop()
        total += times.get(current, 0.0)
        stack.extend(children.get(current, []))
    return total


@contextlib.contextmanager
def neo4j_server() -> Iterator[Neo4jHandle | None]:
    """A Neo4j server for the Neo4j parts, or None when none can be had.

    Uses ``NEO4J_URI`` (with ``NEO4J_USER``/``NEO4J_PASSWORD``/``NEO4J_DATABASE``) when set,
    else starts the test server of ``tests/neo4j_server.py`` (with a 4 GiB heap and a
    2 GiB page cache, for 1M relationships) and deletes it afterwards.
    """
    from neo4j import GraphDatabase

    uri = os.environ.get("NEO4J_URI")
    if uri:
        password = os.environ.get("NEO4J_PASSWORD", "")
        auth = (os.environ.get("NEO4J_USER", "neo4j"), password) if password else None
        driver = GraphDatabase.driver(uri, auth=auth, notifications_min_severity="OFF")
        try:
            yield Neo4jHandle(driver, os.environ.get("NEO4J_DATABASE", "neo4j"))
        finally:
            driver.close()
        return
    server = _start_test_server()
    if server is None:
        yield None
        return
    try:
        driver = GraphDatabase.driver(server.uri, auth=None, notifications_min_severity="OFF")
        try:
            yield Neo4jHandle(driver, "neo4j", server.pid)
        finally:
            driver.close()
    finally:
        server.close()


def _start_test_server() -> Any:
    """Start ``tests/neo4j_server.py``'s server; None (with the reason printed) if it can't."""
    sys.path.insert(0, str(REPO / "tests"))
    try:
        import neo4j_server as launcher
    except ImportError as exc:
        print(f"Neo4j: tests/neo4j_server.py not available ({exc})", file=sys.stderr)
        return None
    # A 1M-relationship graph needs more than the test defaults (1 GiB heap, 64 MB cache).
    os.environ.setdefault("NEO4J_JAVA_OPTS", "-Xms2g -Xmx4g")
    os.environ.setdefault("NEO4J_TEST_PAGECACHE_MB", "2048")
    os.environ.setdefault("NEO4J_TEST_TX_MAX_MB", "2048")
    missing = launcher.missing_prerequisites()
    if missing:
        print(f"Neo4j: cannot run the test server here: {missing}", file=sys.stderr)
        return None
    server = launcher.Neo4jServer()
    try:
        server.start()
    except Exception as exc:  # any failure means "no Neo4j here"
        print(f"Neo4j: could not start the test server: {exc}", file=sys.stderr)
        server.close()
        return None
    return server
