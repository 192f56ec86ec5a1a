"""citegraph.viz: escaping, caps, layout and the self-contained export (no browser)."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re

import pytest

from citegraph.model import Node, NodeType, Provenance, Relationship, RelType, Subgraph
from citegraph.viz import (
    EDGE_STYLES,
    NODE_STYLES,
    ViewOptions,
    degree_scores,
    json_for_html,
    radial_layout,
    render_html,
    render_page,
    summary_text,
    to_vis_data,
)

HOSTILE = [
    '<img src=x onerror="window.__pwned=1">',
    "</script><script>window.__pwned=2</script>",
    "\"'><svg onload=window.__pwned=3>",
    "line\u2028separator\u2029paragraph & <!-- comment",
]


def hostile_graph() -> Subgraph:
    nodes = [Node(f"concept:h{i}", NodeType.CONCEPT, label, {"note": label})
             for i, label in enumerate(HOSTILE)]
    nodes.append(Node("work:w", NodeType.WORK, "A work", {"year": 2020}))
    rels = [Relationship("work:w", n.id, RelType.MENTIONS,
                         Provenance("work:w", "1", (0, 4), HOSTILE[i % len(HOSTILE)], "pattern"))
            for i, n in enumerate(nodes[:-1])]
    return Subgraph(tuple(nodes), tuple(rels))


def chain(n: int, extra: int = 0) -> Subgraph:
    """``n`` concepts in a path, plus ``extra`` leaves on the first one."""
    nodes = [Node(f"concept:{i}", NodeType.CONCEPT, f"c{i}") for i in range(n + extra)]
    rels = [Relationship(f"concept:{i}", f"concept:{i + 1}", RelType.REFERS_TO,
                         Provenance("d", str(i))) for i in range(n - 1)]
    rels += [Relationship("concept:0", f"concept:{n + k}", RelType.REFERS_TO,
                          Provenance("d", f"x{k}")) for k in range(extra)]
    return Subgraph(tuple(nodes), tuple(rels))


def data_block(page: str) -> str:
    match = re.search(r'<script type="application/json" id="cg-data">(.*?)</script>', page,
                      re.S)
    assert match is not None
    return match.group(1)


# -- escaping --------------------------------------------------------------------------------
def test_json_for_html_escapes_markup_and_line_separators() -> None:
    text = json_for_html({"s": "</script><b>&\u2028\u2029"})
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in text
    assert json.loads(text) == {"s": "</script><b>&\u2028\u2029"}


def test_export_never_contains_a_hostile_label_as_markup() -> None:
    page = render_html(hostile_graph(), title=HOSTILE[0], highlight="work:w")
    for label in HOSTILE:
        assert label not in page
    block = data_block(page)
    assert "<" not in block and "\u2028" not in block
    labels = {n["id"]: n["label"] for n in json.loads(block)["nodes"]}
    assert labels["concept:h1"] == HOSTILE[1]
    # the title is escaped in <title> and <h1>
    assert "<title>&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;</title>" in page


def test_export_loads_nothing_from_elsewhere_and_pins_inline_code_by_hash() -> None:
    page = render_html(hostile_graph(), title="t")
    tags = re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", page)
    for tag in tags:
        assert not re.search(r"(src|href)=\"(?!data:)", tag), tag
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    policy = csp.group(1).replace("&#x27;", "'")
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy
    inline = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(inline) == 2  # vis-network and graphview.js; the data block is not code
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    for body in re.findall(r"<style>(.*?)</style>", page, re.S):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_served_page_links_local_assets_and_escapes_links() -> None:
    data = to_vis_data(hostile_graph(), title=HOSTILE[1])
    page = render_page(data, title=HOSTILE[1], static_url="/viz/static",
                       links=[(HOSTILE[2], "/x?a=1&b=\"2\"")])
    assert '<script src="/viz/static/vis-network.min.js"></script>' in page
    assert HOSTILE[1] not in page and HOSTILE[2] not in page
    assert 'href="/x?a=1&amp;b=&quot;2&quot;"' in page
    assert "Content-Security-Policy" not in page  # sent as a header by the server


# -- styles, sizes, edges --------------------------------------------------------------------
def test_every_type_has_a_style_and_node_types_are_distinct() -> None:
    assert set(NODE_STYLES) == set(NodeType)
    assert set(EDGE_STYLES) == set(RelType)
    assert len({(s.color, s.shape) for s in NODE_STYLES.values()}) == len(NodeType)


def test_size_follows_degree_or_given_scores() -> None:
    sg = chain(3, extra=3)  # concept:0 has degree 4
    by_degree = {n["id"]: n["size"] for n in to_vis_data(sg)["nodes"]}
    assert by_degree["concept:0"] > by_degree["concept:2"]
    scores = {"concept:2": 1.0}
    by_score = {n["id"]: n["size"] for n in to_vis_data(sg, scores=scores)["nodes"]}
    assert by_score["concept:2"] > by_score["concept:0"]
    assert to_vis_data(sg, scores=scores)["meta"]["sized_by"] == "score"


def test_parallel_edges_merge_with_their_quotes() -> None:
    a = Node("work:a", NodeType.WORK, "a")
    b = Node("work:b", NodeType.WORK, "b")
    rels = tuple(Relationship("work:a", "work:b", RelType.CITES,
                              Provenance("work:a", f"s{i}", (i, i + 1), f"quote {i}", "marker"))
                 for i in range(5))
    data = to_vis_data(Subgraph((a, b), rels), options=ViewOptions(quotes_per_edge=2))
    (edge,) = data["edges"]
    assert edge["count"] == 5 and len(edge["quotes"]) == 2
    assert edge["quotes"][0]["quote"] == "quote 0"
    assert data["meta"]["edges_drawn"] == 5


def test_unresolved_instrument_is_flagged_and_in_the_legend() -> None:
    n = Node("instrument:x", NodeType.INSTRUMENT, "Unknown Act", {"status": "unresolved"})
    data = to_vis_data(Subgraph((n,)))
    assert data["nodes"][0]["unresolved"] is True
    assert data["legend"]["nodes"] == [["unresolved", 1]]


def test_long_labels_are_clipped_on_the_canvas_but_whole_in_the_facts() -> None:
    label = "x" * 300
    data = to_vis_data(Subgraph((Node("concept:x", NodeType.CONCEPT, label),)))
    node = data["nodes"][0]
    assert len(node["label"]) <= ViewOptions().label_chars
    assert ["label", label] in node["facts"]


# -- caps ------------------------------------------------------------------------------------
def test_caps_say_what_was_left_out_and_keep_the_highlight() -> None:
    sg = chain(50)
    data = to_vis_data(sg, highlight="concept:49", options=ViewOptions(max_nodes=10))
    meta = data["meta"]
    assert meta["nodes_total"] == 50 and meta["nodes_drawn"] == 10
    assert meta["nodes_omitted"] == 40
    assert meta["edges_total"] == 49
    assert meta["edges_drawn"] + meta["edges_omitted"] == 49
    assert meta["edges_omitted"] > 0
    ids = {n["id"] for n in data["nodes"]}
    assert "concept:49" in ids and data["highlight"] == "concept:49"
    drawn = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in drawn and e["to"] in drawn for e in data["edges"])
    assert "40 nodes" in summary_text(meta) and "left out" in summary_text(meta)


def test_edge_cap() -> None:
    data = to_vis_data(chain(30), options=ViewOptions(max_edges=5))
    assert len(data["edges"]) == 5
    assert data["meta"]["edges_omitted"] == 29 - 5


def test_store_truncation_is_reported() -> None:
    sg = Subgraph(chain(3).nodes, chain(3).relationships, truncated=True)
    meta = to_vis_data(sg)["meta"]
    assert meta["store_truncated"] is True
    assert "result limit" in summary_text(meta)


# -- layout ----------------------------------------------------------------------------------
def test_large_views_get_positions_and_no_physics() -> None:
    sg = chain(400)
    data = to_vis_data(sg, options=ViewOptions(physics_max_nodes=300))
    assert data["meta"]["physics"] is False
    for node in data["nodes"]:
        assert math.isfinite(node["x"]) and math.isfinite(node["y"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == 400
    assert to_vis_data(chain(10))["meta"]["physics"] is True


def test_radial_layout_is_deterministic_and_separates_nodes() -> None:
    sg = chain(20, extra=30)
    ids = [n.id for n in sg.nodes]
    edges = [(r.source, r.target) for r in sg.relationships]
    pos = radial_layout(ids, edges, root="concept:0", spacing=60.0)
    assert pos == radial_layout(ids, edges, root="concept:0", spacing=60.0)
    assert set(pos) == set(ids)
    closest = min(math.dist(pos[a], pos[b]) for i, a in enumerate(ids) for b in ids[i + 1:])
    assert closest > 10.0


def test_radial_layout_packs_components_apart() -> None:
    ids = ["a", "b", "c", "d"]
    pos = radial_layout(ids, [("a", "b"), ("c", "d")], spacing=50.0)
    assert math.dist(pos["a"], pos["c"]) >= 50.0
    assert radial_layout([], []) == {}


def test_degree_ignores_edges_to_absent_nodes() -> None:
    a = Node("concept:a", NodeType.CONCEPT, "a")
    rel = Relationship("concept:a", "concept:zz", RelType.REFERS_TO, Provenance("d"))
    assert degree_scores(Subgraph((a,), (rel,))) == {"concept:a": 0.0}


@pytest.mark.parametrize("n", [0, 1])
def test_tiny_views(n: int) -> None:
    page = render_html(chain(n), title="tiny")
    assert json.loads(data_block(page))["meta"]["nodes_drawn"] == n


def test_large_views_carry_shorter_facts() -> None:
    long = "y" * 1000
    nodes = tuple(Node(f"concept:{i}", NodeType.CONCEPT, f"c{i}", {"text": long})
                  for i in range(12))
    small = to_vis_data(Subgraph(nodes), options=ViewOptions(physics_max_nodes=20))
    large = to_vis_data(Subgraph(nodes), options=ViewOptions(physics_max_nodes=5))
    text_of = {k: v for k, v in small["nodes"][0]["facts"]}["text"]
    assert len(text_of) == ViewOptions().fact_chars
    text_of = {k: v for k, v in large["nodes"][0]["facts"]}["text"]
    assert len(text_of) == ViewOptions().large_fact_chars
