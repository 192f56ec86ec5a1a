"""Time until a large graph view is drawn in headless Chromium: citegraph's view vs pyvis.

For each size, a random graph (``n`` nodes, ``2n`` edges, seeded) is rendered

* by :func:`citegraph.viz.render_html` (server-side layout, physics off above the threshold),
  measuring the Python render time and the time from navigation start to vis-network's first
  ``afterDrawing`` event, then how long a click on a node takes to select it;
* by pyvis 0.3.2 with its defaults (``Network(cdn_resources="in_line")``, ``from_nx``,
  ``generate_html``), measuring generation time and the time until vis-network's
  ``stabilizationIterationsDone`` (pyvis shows its loading bar until then), capped at
  ``--pyvis-timeout`` seconds. pyvis's page also asks a CDN for bootstrap; those requests are
  aborted and counted.

Usage::

    .venv/bin/python benchmarks/render.py                 # sizes 2000,5000
    .venv/bin/python benchmarks/render.py --sizes 50,200 --pyvis-timeout 20   # smoke run
    .venv/bin/python benchmarks/render.py --no-pyvis --json out.json

Needs Debian's chromium at /usr/bin/chromium (or ``--chromium PATH``) and Python Playwright.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from citegraph.model import Node, NodeType, Provenance, Relationship, RelType, Subgraph
from citegraph.viz import render_html

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]

_TYPES = list(NodeType)
_RELS = [RelType.CITES, RelType.MENTIONS, RelType.REFERS_TO, RelType.IMPLEMENTS]


def random_subgraph(n: int, edges_per_node: int = 2, seed: int = 7) -> Subgraph:
    """``n`` nodes of mixed types, each the source of ``edges_per_node`` random edges."""
    rng = random.Random(seed)
    nodes = tuple(Node(f"n:{i}", _TYPES[i % len(_TYPES)], f"node {i}") for i in range(n))
    rels = []
    for i in range(n):
        for k in range(edges_per_node):
            j = rng.randrange(n - 1)
            j = j + 1 if j >= i else j
            rels.append(Relationship(f"n:{i}", f"n:{j}", rng.choice(_RELS),
                                     Provenance("bench", str(k), None, f"sentence {i}.{k}")))
    return Subgraph(nodes, tuple(rels))


@dataclass
class Result:
    tool: str
    nodes: int
    edges: int
    generate_s: float
    ready_s: float | None  # None: not ready within the timeout
    timeout_s: float
    click_ms: float | None = None
    html_bytes: int = 0
    blocked_requests: int = 0
    #: browser-side milliseconds: JSON parse, DataSet build, vis.Network construction
    phases: dict[str, float] | None = None

    def ready_text(self) -> str:
        return f"{self.ready_s:.2f} s" if self.ready_s is not None else f"> {self.timeout_s:g} s"


@contextmanager
def browser_page(chromium: str) -> Iterator[tuple[Any, list[str]]]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            blocked: list[str] = []

            def guard(route: Any) -> None:
                if route.request.url.startswith("file://"):
                    route.continue_()
                else:
                    blocked.append(route.request.url)
                    route.abort()

            page.route("**/*", guard)
            yield page, blocked
        finally:
            browser.close()


def measure_citegraph(sg: Subgraph, chromium: str, timeout_s: float, tmp: Path,
                      repeat: int = 1) -> Result:
    """The median of ``repeat`` runs (render in Python, load and draw in a fresh browser)."""
    runs = sorted((_citegraph_once(sg, chromium, timeout_s, tmp) for _ in range(repeat)),
                  key=lambda r: (r.ready_s is None, r.generate_s + (r.ready_s or 0.0)))
    return runs[len(runs) // 2]


def _citegraph_once(sg: Subgraph, chromium: str, timeout_s: float, tmp: Path) -> Result:
    start = time.perf_counter()
    doc = render_html(sg, title=f"random graph of {len(sg.nodes)} nodes")
    generate_s = time.perf_counter() - start
    path = tmp / f"citegraph-{len(sg.nodes)}.html"
    path.write_text(doc, encoding="utf-8")
    with browser_page(chromium) as (page, blocked):
        page.goto(path.as_uri(), wait_until="commit")
        ready_s: float | None
        try:
            page.wait_for_function("() => window.__cgReady !== undefined",
                                   timeout=timeout_s * 1000, polling=20)
            ready_s = page.evaluate("() => window.__cgReady.at") / 1000.0
        except PlaywrightTimeout:  # a timeout is a result here
            ready_s = None
        phases = page.evaluate("() => window.cgView ? window.cgView.timings : null") \
            if ready_s is not None else None
        click_ms = _click_latency(page) if ready_s is not None else None
        return Result("citegraph", len(sg.nodes), len(sg.relationships), generate_s, ready_s,
                      timeout_s, click_ms, len(doc), len(blocked), phases)


def _click_latency(page: Any) -> float | None:
    """Milliseconds from a mouse click on a node until the view reports it selected."""
    pos = page.evaluate("() => cgView.pagePosition('n:0')")
    if not pos:
        return None
    start = time.perf_counter()
    page.mouse.click(pos["x"], pos["y"])
    page.wait_for_function("() => cgView.selected === 'n:0'", timeout=30000, polling=10)
    return (time.perf_counter() - start) * 1000.0


_PYVIS_HOOK = """<script>
window.__pv = {};
network.once('afterDrawing', function () { window.__pv.drawn = performance.now(); });
network.once('stabilizationIterationsDone', function () {
  window.__pv.stable = performance.now(); });
</script>
</body>"""


def measure_pyvis(sg: Subgraph, chromium: str, timeout_s: float, tmp: Path) -> Result:
    import networkx as nx
    from pyvis.network import Network

    graph = nx.MultiDiGraph()
    for node in sg.nodes:
        graph.add_node(node.id, label=node.label, title=node.label)
    for rel in sg.relationships:
        graph.add_edge(rel.source, rel.target, title=rel.type.value)
    start = time.perf_counter()
    net = Network(cdn_resources="in_line", directed=True)
    net.from_nx(graph)
    doc = net.generate_html()
    generate_s = time.perf_counter() - start
    doc = doc.replace("</body>", _PYVIS_HOOK, 1)
    path = tmp / f"pyvis-{len(sg.nodes)}.html"
    path.write_text(doc, encoding="utf-8")
    with browser_page(chromium) as (page, blocked):
        page.goto(path.as_uri(), wait_until="commit")
        ready_s: float | None
        try:
            page.wait_for_function("() => window.__pv && window.__pv.stable !== undefined",
                                   timeout=timeout_s * 1000, polling=100)
            ready_s = page.evaluate("() => window.__pv.stable") / 1000.0
        except PlaywrightTimeout:  # a timeout is a result here
            ready_s = None
        return Result("pyvis-0.3.2-defaults", len(sg.nodes), len(sg.relationships),
                      generate_s, ready_s, timeout_s, None, len(doc), len(blocked))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,5000",
                        help="comma-separated node counts (default 2000,5000)")
    parser.add_argument("--pyvis-timeout", type=float, default=60.0,
                        help="seconds to wait for pyvis to stabilise (default 60)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds to wait for the citegraph view (default 60)")
    parser.add_argument("--no-pyvis", action="store_true", help="skip the pyvis comparison")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3,
                        help="citegraph runs per size; the median is reported (default 3)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    if not Path(args.chromium).exists():
        print(f"no browser at {args.chromium}: apt-get install -y chromium", file=sys.stderr)
        return 2
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="citegraph-render-") as tmpdir:
        tmp = Path(tmpdir)
        for n in sizes:
            sg = random_subgraph(n, seed=args.seed)
            ours = measure_citegraph(sg, args.chromium, args.timeout, tmp, args.repeat)
            results.append(ours)
            line = (f"{n:>6} nodes {len(sg.relationships):>6} edges | citegraph: render "
                    f"{ours.generate_s:.2f} s, drawn after {ours.ready_text()}, click "
                    f"{'-' if ours.click_ms is None else f'{ours.click_ms:.0f} ms'} "
                    f"(html {ours.html_bytes / 1e6:.1f} MB)")
            if not args.no_pyvis:
                theirs = measure_pyvis(sg, args.chromium, args.pyvis_timeout, tmp)
                results.append(theirs)
                line += (f" | pyvis: generate {theirs.generate_s:.2f} s, stable after "
                         f"{theirs.ready_text()} ({theirs.blocked_requests} CDN requests "
                         f"blocked) | ratio {_ratio(ours, theirs)}")
            print(line, flush=True)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2))
    return 0


def _ratio(ours: Result, theirs: Result) -> str:
    if ours.ready_s is None:
        return "n/a"
    mine = ours.generate_s + ours.ready_s
    if theirs.ready_s is None:
        return f"> {(theirs.generate_s + theirs.timeout_s) / mine:.0f}x"
    return f"{(theirs.generate_s + theirs.ready_s) / mine:.1f}x"


if __name__ == "__main__":
    sys.exit(main())
