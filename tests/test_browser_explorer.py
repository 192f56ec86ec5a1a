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
    CRIM,
    CRIM_363,
    EVIL_INSTRUMENT,
    IMG_LABEL,
    SCRIPT_LABEL,
    SCRIPT_QUOTE,
    SEC_1,
    SEC_2,
    SPC,
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
def goto(tab: Any, url: str) -> None:
    tab.goto(url)
    wait_stable(tab)


def wait_title(tab: Any, prefix: str) -> None:
    tab.wait_for_function(
        "p => document.getElementById('cg-title').textContent.startsWith(p)", arg=prefix,
        timeout=WAIT_MS)


def drawn_ids(tab: Any) -> set[str]:
    return set(tab.evaluate("() => window.cgView.nodes.getIds()"))


def list_ids(tab: Any) -> list[str]:
    return tab.evaluate(
        "() => [...document.querySelectorAll('#cg-list tr[data-id]')].map(r => r.dataset.id)")


def test_first_screen_folds_articles_into_instruments(page: tuple[Any, Watch],
                                                      server: str) -> None:
    tab, watch = page
    goto(tab, server + "/")
    wait_title(tab, "Overview")
    drawn = drawn_ids(tab)
    assert {CRC, WORK, "jurisdiction:CN"} <= drawn
    assert CRC_34 not in drawn and SEC_1 not in drawn  # folded into the CRC and the paper
    assert EVIL_INSTRUMENT not in drawn  # unresolved mentions are hidden until asked for
    # labels are drawn by the page and none overlaps another
    boxes = tab.evaluate("() => window.cgView.placedLabels.map(l => l.box)")
    assert boxes
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    # double-click unfolds the CRC's articles
    pos = tab.evaluate("id => window.cgView.pagePosition(id)", CRC)
    tab.mouse.dblclick(pos["x"], pos["y"])
    tab.wait_for_function("id => window.cgView.nodes.get(id) !== null", arg=CRC_34,
                          timeout=WAIT_MS)
    screenshot(tab, "explorer-overview.png")
    assert_nothing_ran_or_left(tab, watch, origin=server)


def test_citation_search_list_hover_and_panel(page: tuple[Any, Watch], server: str) -> None:
    tab, watch = page
    goto(tab, server + "/")
    tab.fill("#cg-q", "CRC art 34")
    tab.press("#cg-q", "Enter")
    wait_title(tab, "Search: CRC art 34")
    wait_stable(tab)
    assert list_ids(tab)[:2] == [CRC_34, CRC]  # the named article first, then its instrument
    assert "view=search" in tab.url and "q=CRC+art+34" in tab.url
    panel_heading(tab, "CRC art. 34")  # the first hit is selected
    panel = tab.locator("#cg-panel")
    assert SCRIPT_LABEL in panel.locator(".cg-other").all_text_contents()
    assert SCRIPT_QUOTE in panel.locator("blockquote").all_text_contents()
    assert panel.locator("script, img, svg, iframe").count() == 0
    headings = panel.locator("h3").all_text_contents()
    assert headings and headings[0].startswith(("Defines", "Mentioned in"))
    sources = panel.locator(".cg-quote-source").all_text_contents()
    assert any(s.startswith("Seed paper \u00a7 1") and s.endswith("sentence:") for s in sources)
    assert panel.locator("details.cg-structure summary").all_text_contents()  # folded
    # hovering a row lights its node
    tab.hover(f"#cg-list tr[data-id='{CRC}']")
    assert tab.evaluate("() => window.cgView.lit") == CRC
    screenshot(tab, "explorer-search.png")
    assert_nothing_ran_or_left(tab, watch, origin=server)


def test_autocomplete_names_for_search_and_path(page: tuple[Any, Watch], server: str) -> None:
    tab, watch = page
    goto(tab, server + "/")
    tab.click("#cg-path-source")
    tab.keyboard.type("China")
    tab.wait_for_selector("#cg-path .cg-suggestion", timeout=WAIT_MS)
    tab.keyboard.press("ArrowDown")
    tab.keyboard.press("Enter")
    assert tab.get_attribute("#cg-path-source", "data-id") == "jurisdiction:CN"
    tab.click("#cg-path-target")
    tab.keyboard.type("Criminal Law art. 363")
    tab.wait_for_selector("#cg-path-target + .cg-suggest .cg-suggestion", timeout=WAIT_MS)
    first = tab.locator("#cg-path-target + .cg-suggest .cg-s-label").first.text_content()
    assert first == "Criminal Law art. 363"
    tab.keyboard.press("ArrowDown")
    tab.keyboard.press("Enter")
    tab.click("#cg-path button[type=submit]")
    wait_title(tab, "1 shortest path")
    assert "view=path" in tab.url and "source=jurisdiction%3ACN" in tab.url
    wait_stable(tab)
    assert {"jurisdiction:CN", CRC, CRIM_363} <= set(
        tab.evaluate("() => Object.keys(window.cgView.nodeData)"))
    # Back returns to the overview, Forward to the path
    tab.go_back()
    wait_title(tab, "Overview")
    tab.go_forward()
    wait_title(tab, "1 shortest path")
    assert_nothing_ran_or_left(tab, watch, origin=server)


def test_filters_apply_to_graph_and_list_and_live_in_the_url(page: tuple[Any, Watch],
                                                             server: str) -> None:
    tab, watch = page
    goto(tab, server + "/?year_min=1990&undated=0")
    assert tab.input_value("#cg-year-min") == "1990"
    assert not tab.is_checked("#cg-undated")
    rows = set(list_ids(tab))
    assert CRC not in rows and "jurisdiction:CN" not in rows  # 1989; undated
    assert CRC not in drawn_ids(tab)
    tab.check("#cg-undated")
    tab.wait_for_function("() => !location.search.includes('undated=0')", timeout=WAIT_MS)
    assert "jurisdiction:CN" in set(list_ids(tab))
    tab.check("#cg-unresolved")
    tab.wait_for_function("id => window.cgView.nodes.get(id) !== null", arg=EVIL_INSTRUMENT,
                          timeout=WAIT_MS)
    assert "unresolved=1" in tab.url
    tab.select_option("#cg-colour", "year")
    assert "colour=year" in tab.url
    # the address reproduces the view in a fresh tab
    url = tab.url
    goto(tab, url)
    assert tab.is_checked("#cg-unresolved") and tab.input_value("#cg-colour") == "year"
    assert EVIL_INSTRUMENT in drawn_ids(tab)
    assert_nothing_ran_or_left(tab, watch, origin=server)


def test_selection_is_in_the_url_and_back_walks_it(page: tuple[Any, Watch], server: str) -> None:
    tab, watch = page
    goto(tab, server + "/")
    tab.click(f"#cg-list tr[data-id='{CRC}']")
    panel_heading(tab, "Convention on the Rights of the Child")
    assert "sel=instrument%3A" in tab.url
    tab.locator("#cg-panel button", has_text="Ego network").click()
    wait_title(tab, "Neighbourhood of Convention")
    assert "view=ego" in tab.url
    tab.go_back()
    wait_title(tab, "Overview")
    panel_heading(tab, "Convention on the Rights of the Child")
    assert_nothing_ran_or_left(tab, watch, origin=server)


@pytest.mark.parametrize("query,message", [
    ("view=ego&id=concept%3Anope", "no node with id"),
    ("view=nonsense", "unknown view"),
    ("view=ego", "needs \"id\""),
    ("year_min=abc", "is not a year"),
])
def test_bad_addresses_say_why(page: tuple[Any, Watch], server: str, query: str,
                               message: str) -> None:
    tab, watch = page
    tab.goto(f"{server}/?{query}")
    tab.wait_for_function(
        "() => document.getElementById('cg-status').classList.contains('cg-error')",
        timeout=WAIT_MS)
    assert message in tab.inner_text("#cg-status")
    assert tab.evaluate("() => window.cgView") is None  # nothing that looks like an answer
    assert_nothing_ran_or_left(tab, watch, origin=server)


def test_paper_outline_with_hostile_labels(page: tuple[Any, Watch], server: str) -> None:
    tab, watch = page
    goto(tab, f"{server}/?view=paper&id={WORK}&unresolved=1")
    assert tab.inner_text("#cg-title") == "Paper: Seed paper"
    assert {SEC_1, SEC_2, EVIL_INSTRUMENT} <= drawn_ids(tab)
    click_node(tab, EVIL_INSTRUMENT)
    panel_heading(tab, IMG_LABEL)
    assert tab.locator("#cg-panel img, #cg-panel script").count() == 0
    assert "unresolved instrument (1)" in tab.inner_text("#cg-legend")
    screenshot(tab, "explorer-paper.png")
    assert_nothing_ran_or_left(tab, watch, origin=server)


def test_timeline_matrix_and_rankings(page: tuple[Any, Watch], server: str) -> None:
    tab, watch = page
    goto(tab, server + "/")
    tab.click(".cg-tab[data-view=timeline]")
    wait_title(tab, "Timeline")
    wait_stable(tab)
    ys = tab.evaluate("ids => ids.map(i => window.cgView.network.getPositions([i])[i].y)",
                      [CRC, CRIM, SPC])
    assert ys[0] < ys[1] < ys[2]  # 1989, 1997, 2010 down the page
    assert any(i.startswith("event:") for i in drawn_ids(tab))  # the ratification
    screenshot(tab, "explorer-timeline.png")
    tab.click(".cg-tab[data-view=matrix]")
    wait_title(tab, "Jurisdictions")
    tab.click(".cg-tab[data-view=rankings]")
    wait_title(tab, "Rankings")
    names = tab.locator("#cg-table .cg-other").all_text_contents()
    assert names and IMG_LABEL not in names  # unresolved placeholders left out
    screenshot(tab, "explorer-rankings.png")
    tab.go_back()
    wait_title(tab, "Jurisdictions")
    assert_nothing_ran_or_left(tab, watch, origin=server)


def test_saved_views_reopen_their_address(page: tuple[Any, Watch], server: str) -> None:
    tab, watch = page
    goto(tab, f"{server}/?view=ego&id={CRC}&depth=2&colour=jurisdiction")
    tab.fill("#cg-save-name", "CRC, two hops")
    tab.click("#cg-save button[type=submit]")
    assert tab.locator("#cg-saved option", has_text="CRC, two hops").count() == 1
    goto(tab, server + "/")
    wait_title(tab, "Overview")
    tab.select_option("#cg-saved", "CRC, two hops")
    wait_title(tab, "Neighbourhood of Convention")
    assert "depth=2" in tab.url and tab.input_value("#cg-colour") == "jurisdiction"
    assert_nothing_ran_or_left(tab, watch, origin=server)


def test_exports_of_the_drawn_view(page: tuple[Any, Watch], server: str,
                                   tmp_path: Path) -> None:
    tab, watch = page
    goto(tab, server + "/?unresolved=1")
    files = {}
    for kind in ("png", "svg", "csv", "graphml"):
        with tab.expect_download() as info:
            tab.select_option("#cg-export", kind)
        path = tmp_path / f"view.{kind}"
        info.value.save_as(path)
        files[kind] = path.read_bytes()
    assert files["png"].startswith(b"\x89PNG")
    svg = files["svg"].decode()
    assert svg.count("<circle") == tab.evaluate("() => window.cgView.nodes.length")
    assert "<img" not in svg and "&lt;img" in svg  # the hostile label is text
    csv = files["csv"].decode()
    assert CRC in csv and CRC_34 not in csv  # what is drawn: the article is folded
    graphml = files["graphml"].decode()
    assert f'<node id="{CRC}">' in graphml
    (ARTIFACTS).mkdir(exist_ok=True)
    (ARTIFACTS / "export.png").write_bytes(files["png"])
    assert_nothing_ran_or_left(tab, watch, origin=server)


def test_chinese_labels_render_with_a_cjk_font(page: tuple[Any, Watch], server: str) -> None:
    """A CJK character is drawn with a real glyph: its width differs from an unassigned
    code point's (drawn as the fallback box) in the page's font stack."""
    tab, watch = page
    goto(tab, server + "/")
    widths = tab.evaluate("""() => {
      const c = document.createElement('canvas').getContext('2d');
      c.font = '40px ' + window.CitegraphView.FONT;
      const w = s => c.measureText(s).width;
      return { cjk: [w('\u5211'), w('\u6cd5'), w('\u513f')], missing: w('\u0378'),
               latin: w('a') };
    }""")
    assert all(abs(w - widths["missing"]) > 0.5 for w in widths["cjk"]), widths
    assert all(w > widths["latin"] for w in widths["cjk"]), widths  # full-width glyphs
    goto(tab, server + "/?q=%E5%88%91%E6%B3%95%E7%AC%AC363%E6%9D%A1")
    wait_title(tab, "Search: 刑法第363条")
    assert list_ids(tab)[0] == CRIM_363
    screenshot(tab, "explorer-chinese.png")
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
    assert CRC_34 not in tab.evaluate("() => window.cgView.nodes.getIds()")  # folded
    pos = tab.evaluate("id => window.cgView.pagePosition(id)", CRC)
    tab.mouse.dblclick(pos["x"], pos["y"])
    wait_stable(tab)
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


@pytest.mark.slow
def test_explorer_benchmark_smoke(browser: Any) -> None:
    """``benchmarks/bench_explorer.py`` at a tiny size: every figure is measured."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_explorer", "--sizes", "3000", "--queries",
         "4", "--repeat", "1", "--no-save", "--chromium", str(CHROMIUM)],
        capture_output=True, text=True, timeout=300, cwd=root)
    assert result.returncode == 0, result.stderr[-2000:]
    for row in ("navigation to first frame, ~500 nodes", "pointer-down to node click",
                "submit to result list p95"):
        line = next(x for x in result.stdout.splitlines() if row in x)
        assert "n/a" not in line, line
