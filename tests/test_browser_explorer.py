"""The explorer and the static export in a real headless Chromium (Debian's ``chromium``).

The app runs with uvicorn on a free localhost port over a small graph with hostile labels.
Every test records each request the page makes (none may leave 127.0.0.1 or the file), every
dialog, page error and Content-Security-Policy violation, and checks that no script from a
label ran (``window.__pwned`` stays undefined). Screenshots go to ``artifacts/``.

Without ``/usr/bin/chromium`` (or ``CITEGRAPH_CHROMIUM``) these tests skip, loudly; with
``CI=true`` they fail instead. Playwright drives the system browser: never
``playwright install``.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import uvicorn
from viz_graph import (
    CRC,
    CRC_34,
    EVIL_CONCEPT,
    EVIL_INSTRUMENT,
    IMG_LABEL,
    SCRIPT_LABEL,
    SCRIPT_QUOTE,
    SEC_1,
    WORK,
    legal_batch,
)

from api.app import create_app
from citegraph.model import GraphBatch
from citegraph.settings import Settings
from citegraph.stores.embedded import EmbeddedStore
from citegraph.viz import render_html
from citegraph.vizqueries import paper_view

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("CITEGRAPH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
WAIT_MS = 30_000

#: Injected before any page script: collects CSP violations (init scripts bypass the CSP).
WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def require_browser(path: Path) -> Path:
    """``path`` when it exists; else fail under CI, skip loudly elsewhere."""
    if path.exists():
        return path
    message = f"no Chromium at {path} (apt-get install -y chromium, or set CITEGRAPH_CHROMIUM)"
    if _in_ci():
        pytest.fail(f"{message}; CI=true: the browser tests must run", pytrace=False)
    pytest.skip(f"SKIPPING BROWSER TESTS -- {message}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = require_browser(CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The whole app (API and explorer) on a free 127.0.0.1 port; yields its base URL."""
    store = EmbeddedStore()
    store.write(legal_batch())
    settings = Settings(store=tmp_path_factory.mktemp("store") / "unused.json")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(settings, store), log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(10)
        sock.close()


@dataclass
class Watch:
    """What a page did besides drawing: requests, dialogs, errors."""

    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def page(browser: Any) -> Iterator[tuple[Any, Watch]]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    watch = Watch()
    tab.on("request", lambda r: watch.requests.append(r.url))
    tab.on("pageerror", lambda e: watch.errors.append(str(e)))

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    tab.add_init_script(WATCH_CSP)
    try:
        yield tab, watch
    finally:
        context.close()


def assert_nothing_ran_or_left(tab: Any, watch: Watch, *, origin: str | None) -> None:
    """No injected script ran, no dialog, no error, no CSP violation, no outside request."""
    assert tab.evaluate("() => typeof window.__pwned") == "undefined"
    assert watch.dialogs == []
    assert watch.errors == []
    assert tab.evaluate("() => window.__csp") == []
    assert watch.requests, "the recorder saw no request at all"
    for url in watch.requests:
        parts = urlparse(url)
        if origin is None:
            assert parts.scheme in {"file", "data"}, url
        else:
            assert parts.scheme == "data" or (parts.hostname == "127.0.0.1"
                                              and url.startswith(origin)), url


def wait_stable(tab: Any) -> None:
    tab.wait_for_function("() => window.cgView && window.cgView.ready && window.cgView.stable",
                          timeout=WAIT_MS)


def click_node(tab: Any, node_id: str) -> None:
    """Click a node on the canvas at its DOM position (vis-network's canvasToDOM)."""
    pos = tab.evaluate("id => window.cgView.pagePosition(id)", node_id)
    assert pos is not None, f"{node_id} is not drawn"
    tab.mouse.click(pos["x"], pos["y"])


def panel_heading(tab: Any, text: str) -> None:
    tab.wait_for_function(
        "t => { const h = document.querySelector('#cg-panel h2');"
        " return h && h.textContent === t; }",
        arg=text, timeout=WAIT_MS)


def screenshot(tab: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / name))


# -- the explorer ----------------------------------------------------------------------------
def test_explorer_search_click_panel_expand(page: tuple[Any, Watch], server: str) -> None:
    tab, watch = page
    tab.goto(server + "/")
    wait_stable(tab)
    tab.fill("#cg-q", "Rights of the Child")
    tab.check("#cg-search input[value=Instrument]")
    tab.check("#cg-search input[value=Article]")
    tab.check("#cg-search input[value=Section]")
    tab.click("#cg-search button[type=submit]")
    tab.wait_for_function(
        "() => document.getElementById('cg-title').textContent.startsWith('Search: Rights')",
        timeout=WAIT_MS)
    wait_stable(tab)
    drawn = set(tab.evaluate("() => Object.keys(window.cgView.nodeData)"))
    assert {CRC, CRC_34, SEC_1} <= drawn
    assert "jurisdiction:CN" not in drawn  # filtered out by type
    panel_heading(tab, "Convention on the Rights of the Child")  # the first hit is selected

    click_node(tab, CRC_34)
    panel_heading(tab, "CRC art. 34")
    panel = tab.locator("#cg-panel")
    others = panel.locator(".cg-other").all_text_contents()
    assert SCRIPT_LABEL in others  # the hostile label is shown as text
    quotes = panel.locator("blockquote").all_text_contents()
    assert SCRIPT_QUOTE in quotes
    assert panel.locator("script, img, svg, iframe").count() == 0
    # every kind of relationship is counted, so none hides behind a long list of another
    summary = panel.locator("h3", has_text="Relationships by type")
    assert summary.count() == 1
    assert any("MENTIONS" in row for row in
               panel.locator(".cg-facts th").all_text_contents())
    assert "/viz/ego?" in (panel.locator("a", has_text="Ego network").get_attribute("href")
                           or "")
    json_href = panel.get_by_role("link", name="as JSON", exact=True).get_attribute("href") or ""
    assert json_href.startswith("/viz/data/ego?")

    # hover shows a tooltip built from text
    pos = tab.evaluate("id => window.cgView.pagePosition(id)", CRC)
    tab.mouse.move(pos["x"] + 1, pos["y"] + 1)
    tab.wait_for_selector(".cg-tooltip:not([hidden])", timeout=WAIT_MS)
    assert "Convention on the Rights of the Child" in tab.inner_text(".cg-tooltip")

    # follow the panel's link to the section, then expand its neighbourhood
    panel.locator(".cg-other", has_text="1 Introduction").click()
    panel_heading(tab, "1 Introduction")
    before = tab.evaluate("() => window.cgView.nodes.length")
    panel.locator("button", has_text="Expand neighbourhood").click()
    tab.wait_for_function(f"() => window.cgView.nodes.length > {before}", timeout=WAIT_MS)
    assert WORK in tab.evaluate("() => window.cgView.nodes.getIds()")
    assert "Work (1)" in tab.inner_text("#cg-legend")  # the legend follows the expansion
    wait_stable(tab)
    tab.mouse.move(5, 5)
    screenshot(tab, "explorer.png")
    assert_nothing_ran_or_left(tab, watch, origin=server)


def test_explorer_year_filter_and_path_form(page: tuple[Any, Watch], server: str) -> None:
    tab, watch = page
    tab.goto(server + "/?q=Rights+of+the+Child&year_min=1990")
    tab.wait_for_function(
        "() => document.getElementById('cg-status').textContent === 'Nothing found.'",
        timeout=WAIT_MS)
    assert tab.input_value("#cg-year-min") == "1990"  # the form follows the URL
    tab.fill("#cg-year-min", "1980")
    tab.click("#cg-search button[type=submit]")
    tab.wait_for_function("id => window.cgView && window.cgView.nodes.get(id) !== null",
                          arg=CRC, timeout=WAIT_MS)
    assert "year_min=1980" in tab.url
    tab.fill("#cg-path-source", "jurisdiction:CN")
    tab.fill("#cg-path-target", CRC_34)
    tab.click("#cg-path button[type=submit]")
    tab.wait_for_function(
        "() => document.getElementById('cg-title').textContent.startsWith('1 shortest path')",
        timeout=WAIT_MS)
    wait_stable(tab)
    assert sorted(tab.evaluate("() => window.cgView.nodes.getIds()")) == sorted(
        ["jurisdiction:CN", CRC, CRC_34])
    href = tab.get_attribute("#cg-json-link", "href") or ""
    assert href.startswith("/viz/data/path?")
    assert_nothing_ran_or_left(tab, watch, origin=server)


def test_view_page_shows_hostile_labels_as_text(page: tuple[Any, Watch], server: str) -> None:
    tab, watch = page
    tab.goto(f"{server}/viz/paper?id={WORK}")
    wait_stable(tab)
    assert tab.inner_text("#cg-title") == "Paper: Seed paper"
    assert EVIL_INSTRUMENT in tab.evaluate("() => window.cgView.nodes.getIds()")
    click_node(tab, EVIL_INSTRUMENT)
    panel_heading(tab, IMG_LABEL)
    facts = tab.locator("#cg-panel .cg-facts td").all_text_contents()
    assert SCRIPT_LABEL in facts  # the hostile "note" property
    assert tab.locator("#cg-panel img, #cg-panel script").count() == 0
    legend = tab.inner_text("#cg-legend")
    assert "unresolved instrument (1)" in legend and "MENTIONS" in legend
    screenshot(tab, "paper-view.png")
    assert_nothing_ran_or_left(tab, watch, origin=server)


def test_ego_page_with_hostile_title(page: tuple[Any, Watch], server: str) -> None:
    tab, watch = page
    tab.goto(f"{server}/viz/ego?id={EVIL_CONCEPT.replace(':', '%3A')}&depth=2")
    wait_stable(tab)
    assert tab.inner_text("#cg-title") == f"Neighbourhood of {SCRIPT_LABEL} (depth 2)"
    assert tab.title() == f"Neighbourhood of {SCRIPT_LABEL} (depth 2)"
    assert_nothing_ran_or_left(tab, watch, origin=server)


# -- the static export -----------------------------------------------------------------------
def _export(tmp_path: Path, title: str) -> Path:
    store = EmbeddedStore()
    store.write(legal_batch())
    view = paper_view(store, WORK)
    path = tmp_path / "view.html"
    path.write_text(render_html(view.subgraph, title=title, highlight=view.highlight),
                    encoding="utf-8")
    return path


def test_static_export_offline_and_safe(page: tuple[Any, Watch], tmp_path: Path) -> None:
    tab, watch = page
    tab.goto(_export(tmp_path, SCRIPT_LABEL).as_uri())
    wait_stable(tab)
    assert tab.title() == SCRIPT_LABEL
    assert tab.inner_text("#cg-title") == SCRIPT_LABEL
    click_node(tab, EVIL_INSTRUMENT)
    panel_heading(tab, IMG_LABEL)
    click_node(tab, CRC_34)
    panel_heading(tab, "CRC art. 34")
    assert SCRIPT_QUOTE in tab.locator("#cg-panel blockquote").all_text_contents()
    screenshot(tab, "static-export.png")
    assert_nothing_ran_or_left(tab, watch, origin=None)
    assert len(watch.requests) == 1  # the file itself; everything else is inline


def test_large_export_is_drawn_with_server_positions(page: tuple[Any, Watch],
                                                     tmp_path: Path) -> None:
    from citegraph.model import Node, NodeType, Provenance, Relationship, RelType

    n = 1000
    nodes = [Node(f"concept:{i}", NodeType.CONCEPT, f"c{i}") for i in range(n)]
    rels = [Relationship(f"concept:{i}", f"concept:{(i * 7 + k) % n}", RelType.REFERS_TO,
                         Provenance("d", f"{i}.{k}")) for i in range(n) for k in (1, 2)]
    batch = GraphBatch.of("d", nodes, rels)
    from citegraph.model import Subgraph

    path = tmp_path / "large.html"
    path.write_text(render_html(Subgraph(batch.nodes, batch.relationships), title="large"),
                    encoding="utf-8")
    tab, watch = page
    tab.goto(path.as_uri())
    wait_stable(tab)
    assert tab.evaluate("() => window.cgView.nodes.length") == n
    assert tab.evaluate("() => window.cgView.network.physics.options.enabled") is False
    click_node(tab, "concept:0")
    panel_heading(tab, "c0")
    assert_nothing_ran_or_left(tab, watch, origin=None)



# -- the missing-browser rule ----------------------------------------------------------------
def test_missing_browser_fails_under_ci_and_skips_loudly_elsewhere(
        monkeypatch: pytest.MonkeyPatch) -> None:
    missing = Path("/nonexistent/chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true: the browser tests must run"):
        require_browser(missing)
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception, match="SKIPPING BROWSER TESTS"):
        require_browser(missing)
    assert require_browser(Path(__file__)) == Path(__file__)


@pytest.mark.slow
def test_render_benchmark_smoke(browser: Any, tmp_path: Path) -> None:
    """``benchmarks/render.py`` with tiny sizes: both tools measured, results written."""
    import json
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "render.json"
    result = subprocess.run(
        [sys.executable, str(root / "benchmarks" / "render.py"), "--sizes", "20",
         "--repeat", "1", "--pyvis-timeout", "20", "--chromium", str(CHROMIUM),
         "--json", str(out)],
        capture_output=True, text=True, timeout=180, cwd=root)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "20 nodes" in result.stdout and "ratio" in result.stdout
    rows = {r["tool"]: r for r in json.loads(out.read_text())}
    assert rows["citegraph"]["ready_s"] is not None and rows["citegraph"]["nodes"] == 20
    assert rows["citegraph"]["blocked_requests"] == 0
    assert rows["pyvis-0.3.2-defaults"]["blocked_requests"] > 0  # its CDN links
