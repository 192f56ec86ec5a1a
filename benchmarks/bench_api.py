"""API benchmark: requests/s and p99 of the 2-hop endpoint against a bare FastAPI endpoint.

Two servers, each one uvicorn process with one worker, run one after the other in the same
run: the citegraph API (``api.app.create_app``) over an embedded store holding the
synthetic graph, and a bare FastAPI app whose one route returns a constant JSON body of the
mean size of the 2-hop answers. The citegraph server is loaded twice: cycling through
more start nodes than its response cache holds (every answer computed), then through a
few hundred (answers served from the cache after the first round); start nodes are seeded,
of every type. The load comes from a second process: ``wrk`` (Debian's package), or,
without wrk, an asyncio ``httpx`` client in a subprocess. The bare server is measured twice
after the citegraph one and the ratio uses their mean. The server's own CPU time per request is
read from ``/proc`` too: on a loaded shared machine, requests per server CPU-second is the
steadier comparison.

Run: ``.venv/bin/python -m benchmarks.bench_api [--sizes 100000] [--quick] [--duration 10]
[--connections 16]``
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from benchmarks.common import (
    REPO,
    Result,
    parser,
    percentiles,
    process_tree_cpu,
    report,
    sizes_of,
)
from benchmarks.synth import spec_for

TARGET_RATIO = 0.6
HOPS = 2
LIMIT = 500


# -- servers (run in the child process) --------------------------------------------------------
def citegraph_app(size: int, seed: int) -> Any:
    """The citegraph API over an in-memory embedded store holding the synthetic graph."""
    from api.app import create_app
    from benchmarks.bench_query import load
    from citegraph.settings import Settings
    from citegraph.stores.embedded import EmbeddedStore

    store = EmbeddedStore()
    load(store, spec_for(size, seed=seed))
    return create_app(Settings(), store)


def bare_app(body_bytes: int) -> Any:
    """A bare FastAPI app: one route, a constant JSON body of ``body_bytes`` bytes."""
    from fastapi import FastAPI, Response

    filler = max(0, body_bytes - len('{"nodes":[],"pad":""}'))
    body = json.dumps({"nodes": [], "pad": "x" * filler}, separators=(",", ":")).encode()
    app = FastAPI()

    @app.get("/neighbours")
    async def neighbours() -> Response:
        return Response(content=body, media_type="application/json")

    return app


def serve(args: argparse.Namespace) -> None:
    import uvicorn

    app = citegraph_app(args.size, args.seed) if args.serve == "citegraph" else bare_app(
        args.body_bytes)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


# -- driving (the parent process) -----------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def paths_for(size: int, seed: int, count: int) -> list[str]:
    """``/neighbours?id=...&depth=2`` for seeded start nodes of every type."""
    from benchmarks.bench_query import start_nodes

    spec = spec_for(size, seed=seed)
    return [f"/neighbours?id={urllib.parse.quote(n, safe='')}&depth={HOPS}&limit={LIMIT}"
            for n in start_nodes(spec, count, seed)]


@contextmanager
def server(kind: str, size: int, seed: int, body_bytes: int = 0,
           probe: str = "/neighbours") -> Iterator[tuple[str, int]]:
    """A server subprocess; yields its base URL and pid once ``probe`` answers 200."""
    port = free_port()
    command = [sys.executable, "-m", "benchmarks.bench_api", "--serve", kind, "--port",
               str(port), "--size", str(size), "--seed", str(seed), "--body-bytes",
               str(body_bytes)]
    process = subprocess.Popen(command, cwd=REPO)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{kind} server exited with {process.returncode}")
            try:
                with urllib.request.urlopen(base + probe, timeout=5) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{kind} server did not start")
            time.sleep(0.25)
        yield base, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def mean_body_bytes(base: str, paths: Sequence[str]) -> int:
    sizes = []
    for path in paths:
        with urllib.request.urlopen(base + path, timeout=30) as resp:
            sizes.append(len(resp.read()))
    return round(sum(sizes) / len(sizes))


_WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if match is None:
        raise ValueError(f"unexpected wrk latency {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def run_wrk(base: str, paths: Sequence[str], duration: float,
            connections: int) -> tuple[float, float, int]:
    """(requests/s, p99 ms, non-2xx responses) from ``wrk`` with one thread."""
    script = _WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(script)
    try:
        out = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(duration))}s", "--latency",
             "-s", fh.name, base], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(fh.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, p99, int(bad.group(1)) if bad else 0


_CLIENT = """
import asyncio, json, sys, time
import httpx

async def main(base, paths, duration, connections):
    lat, bad = [], 0
    async with httpx.AsyncClient(base_url=base, timeout=60,
                                 limits=httpx.Limits(max_connections=connections)) as client:
        stop = time.perf_counter() + duration
        async def worker(k):
            nonlocal bad
            i = k
            while time.perf_counter() < stop:
                t = time.perf_counter()
                r = await client.get(paths[i % len(paths)])
                lat.append((time.perf_counter() - t) * 1000)
                bad += r.status_code != 200
                i += connections
        start = time.perf_counter()
        await asyncio.gather(*(worker(k) for k in range(connections)))
        elapsed = time.perf_counter() - start
    print(json.dumps({"n": len(lat), "elapsed": elapsed, "lat": lat, "bad": bad}))

base, duration, connections = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
asyncio.run(main(base, json.load(sys.stdin), duration, connections))
"""


def run_httpx(base: str, paths: Sequence[str], duration: float,
              connections: int) -> tuple[float, float, int]:
    """(requests/s, p99 ms, non-200 responses) from an asyncio httpx client subprocess."""
    out = subprocess.run([sys.executable, "-c", _CLIENT, base, str(duration), str(connections)],
                         input=json.dumps(list(paths)), capture_output=True, text=True,
                         check=True).stdout
    data = json.loads(out)
    return data["n"] / data["elapsed"], percentiles(data["lat"])[99], data["bad"]


def load_test(base: str, paths: Sequence[str], duration: float,
              connections: int) -> tuple[float, float, int]:
    if shutil.which("wrk"):
        return run_wrk(base, paths, duration, connections)
    return run_httpx(base, paths, duration, connections)


def measured(base: str, pid: int, paths: Sequence[str], duration: float,
             connections: int) -> tuple[float, float, int, float]:
    """A warm-up, then a load test: (requests/s, p99 ms, errors, server CPU ms/request)."""
    load_test(base, paths, min(2.0, duration), connections)
    before = process_tree_cpu(pid)
    rps, p99, bad = load_test(base, paths, duration, connections)
    cpu_ms = (process_tree_cpu(pid) - before) * 1000 / max(1.0, rps * duration)
    return rps, p99, bad, cpu_ms


def measure(size: int, seed: int, duration: float, connections: int, starts: int,
            cold_starts: int) -> list[Result]:
    """Two regimes on one citegraph server: ``cold_starts`` start nodes cycled (more than
    the API's response cache holds, so every answer is computed), then ``starts`` start
    nodes cycled (answers come from the cache after the first round); then the bare server."""
    warm_paths = paths_for(size, seed, starts)
    cold_paths = paths_for(size, seed + 1, cold_starts)
    tool = "wrk" if shutil.which("wrk") else "httpx (asyncio, subprocess)"
    with server("citegraph", size, seed, probe=warm_paths[0]) as (base, pid):
        body = mean_body_bytes(base, warm_paths)
        cold = measured(base, pid, cold_paths, duration, connections)
        warm = measured(base, pid, warm_paths, duration, connections)
    bare_runs = []
    for _ in range(2):
        with server("bare", size, seed, body_bytes=body) as (base, pid):
            bare_runs.append(measured(base, pid, warm_paths, duration, connections))
    bare_rps = sum(r[0] for r in bare_runs) / len(bare_runs)
    bare_p99 = sum(r[1] for r in bare_runs) / len(bare_runs)
    bare_cpu = sum(r[3] for r in bare_runs) / len(bare_runs)
    note = f"{tool}, {connections} connections, {duration:g} s, mean body {body:,} B"
    out: list[Result] = []
    for label, (rps, p99, bad, cpu_ms), count in (
            ("distinct start nodes, computed", cold, len(cold_paths)),
            ("repeated start nodes, response cache", warm, len(warm_paths))):
        ratio = rps / bare_rps
        out += [
            Result("API", f"2-hop /neighbours requests/s ({label})", rps, "req/s", "report",
                   None, size, f"{count:,} start nodes cycled; {note}"
                   + (f"; {bad} errors" if bad else ""), cpu=1000 / cpu_ms),
            Result("API", f"2-hop /neighbours p99 ({label})", p99, "ms", "report", None, size),
            Result("API", f"ratio citegraph / bare requests/s ({label})", ratio, "x",
                   f">= {TARGET_RATIO}", ratio >= TARGET_RATIO, size,
                   "on CPU time: requests per server CPU-second, citegraph / bare",
                   cpu=bare_cpu / cpu_ms),
        ]
    out += [
        Result("API", "bare FastAPI constant of the same size, requests/s", bare_rps, "req/s",
               "baseline", None, size, "mean of two runs after the citegraph ones: "
               + ", ".join(f"{r[0]:,.0f}" for r in bare_runs), cpu=1000 / bare_cpu),
        Result("API", "bare FastAPI p99", bare_p99, "ms", "baseline", None, size),
    ]
    return out


def main(argv: Sequence[str] | None = None) -> list[Result]:
    p = parser(__doc__ or "", [100_000], [2_000])
    p.add_argument("--duration", type=float, default=None, help="seconds per load test")
    p.add_argument("--connections", type=int, default=16)
    p.add_argument("--starts", type=int, default=200,
                   help="start nodes of the repeated (cached) regime")
    p.add_argument("--cold-starts", type=int, default=3000,
                   help="start nodes of the computed regime (more than the cache holds)")
    p.add_argument("--serve", choices=["citegraph", "bare"], help=argparse.SUPPRESS)
    p.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument("--size", type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument("--body-bytes", type=int, default=0, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.serve:
        serve(args)
        return []
    duration = args.duration or (2.0 if args.quick else 10.0)
    results: list[Result] = []
    for size in sizes_of(args):
        results += measure(size, args.seed, duration, args.connections,
                           20 if args.quick else args.starts,
                           200 if args.quick else args.cold_starts)
    report("bench_api", results, save=not args.no_save)
    return results


if __name__ == "__main__":
    main()
