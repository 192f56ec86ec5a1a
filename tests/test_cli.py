"""The command line: errors are one clear line; exports are deterministic."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from corpus import SEED

from citegraph.model import GraphBatch, Node, NodeType, Provenance, Relationship, RelType
from citegraph.stores.embedded import EmbeddedStore

REPO = Path(__file__).resolve().parents[1]


def run_cli(*args: str, store: Path, env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "CITEGRAPH_STORE": str(store), **(env or {})}
    full_env.pop("NEO4J_URI", None)
    return subprocess.run([sys.executable, "-m", "citegraph.cli", *args], cwd=REPO,
                          capture_output=True, text=True, env=full_env, timeout=300)


@pytest.fixture()
def small_store(tmp_path: Path) -> Path:
    path = tmp_path / "g.json"
    nodes = [Node("work:b", NodeType.WORK, "B <b>", {"year": 2001, "authors": ["X, Y"]}),
             Node("work:a", NodeType.WORK, "A", {"year": 2000})]
    rels = [Relationship("work:b", "work:a", RelType.CITES,
                         Provenance("work:b", "1", (0, 4), "B cites A.", "marker"))]
    EmbeddedStore(path).write(GraphBatch.of("work:b", nodes, rels))
    return path


def test_missing_input_is_one_line_naming_the_file(tmp_path: Path) -> None:
    result = run_cli("ingest", str(tmp_path / "nope.txt"), store=tmp_path / "g.json")
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "nope.txt" in lines[0]
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    store = tmp_path / "g.json"
    store.write_text("{broken", encoding="utf-8")
    result = run_cli("--debug", "stats", store=store)
    assert result.returncode != 0
    assert "Traceback" in result.stderr
    assert "CorruptStoreError" in result.stderr


def test_corrupt_store_is_reported_with_its_path(tmp_path: Path) -> None:
    store = tmp_path / "g.json"
    store.write_text("{broken", encoding="utf-8")
    result = run_cli("stats", store=store)
    assert result.returncode != 0
    assert str(store) in result.stderr
    assert "Traceback" not in result.stderr


def test_stats_prints_counts(small_store: Path) -> None:
    result = run_cli("stats", store=small_store)
    assert result.returncode == 0, result.stderr
    assert "nodes: 2" in result.stdout
    assert "CITES: 1" in result.stdout


def test_json_export_is_byte_identical_and_sorted(small_store: Path, tmp_path: Path) -> None:
    one = run_cli("export", "--format", "json", store=small_store)
    two = run_cli("export", "--format", "json", store=small_store)
    assert one.returncode == 0, one.stderr
    assert one.stdout == two.stdout
    import json

    data = json.loads(one.stdout)
    assert [n["id"] for n in data["nodes"]] == ["work:a", "work:b"]
    edge = data["edges"][0]
    assert (edge["source"], edge["target"], edge["type"]) == ("work:b", "work:a", "CITES")
    assert edge["quote"] == "B cites A."


@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graph_exports_open_in_networkx(small_store: Path, tmp_path: Path, fmt: str,
                                        reader: object) -> None:
    out = tmp_path / f"g.{fmt}"
    result = run_cli("export", "--format", fmt, "-o", str(out), store=small_store)
    assert result.returncode == 0, result.stderr
    graph = reader(out)  # type: ignore[operator]
    assert graph.number_of_nodes() == 2
    assert graph.number_of_edges() == 1


def test_ingest_the_seed_corpus_reports_every_file(tmp_path: Path) -> None:
    if not SEED:
        pytest.skip("no shared corpus")
    result = run_cli("ingest", *map(str, SEED), store=tmp_path / "g.json")
    assert result.returncode == 0, result.stderr
    reported = result.stdout + result.stderr
    for root in SEED:
        for path in sorted([root] if root.is_file() else root.rglob("*")):
            if path.is_file():
                assert path.name in reported, path.name
    again = run_cli("stats", store=tmp_path / "g.json")
    first_stats = again.stdout
    run_cli("ingest", *map(str, SEED), store=tmp_path / "g.json")
    assert run_cli("stats", store=tmp_path / "g.json").stdout == first_stats


def test_viz_writes_a_self_contained_html_file(small_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "view.html"
    result = run_cli("viz", "work:b", "-o", str(out), store=small_store)
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "<html" in html.lower()
    assert "B <b>" not in html  # the label is escaped, never raw markup
    import re

    assert not re.search(r"<(script|link|img|iframe)[^>]*(src|href)=[\"']?(https?:)?//", html)


def test_viz_of_an_unknown_node_is_one_clear_line(small_store: Path, tmp_path: Path) -> None:
    result = run_cli("viz", "work:nope", "-o", str(tmp_path / "v.html"), store=small_store)
    assert result.returncode != 0
    assert "work:nope" in result.stderr
    assert "Traceback" not in result.stderr


PAPER_A = "A Study\n\n1. Introduction\n\nThe Convention matters [1].\n\n2. Method\n\nWe read it.\n"
PAPER_B = "Another Study\n\n1. Background\n\nA different text entirely [2].\n"


def test_a_missing_file_does_not_stop_the_others(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(PAPER_A, encoding="utf-8")
    store = tmp_path / "g.json"
    result = run_cli("ingest", "--no-progress", str(tmp_path / "missing.txt"), str(good),
                     store=store)
    assert result.returncode == 0, result.stderr
    assert "missing.txt" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Section: 2" in run_cli("stats", store=store).stdout


def test_nothing_to_ingest_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("ingest", store=tmp_path / "g.json")
    assert result.returncode == 2
    assert "nothing to ingest" in result.stderr


def test_two_different_papers_with_one_name_are_not_merged(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "paper.txt").write_text(PAPER_A, encoding="utf-8")
    (tmp_path / "b" / "paper.txt").write_text(PAPER_B, encoding="utf-8")
    store = tmp_path / "g.json"
    assert run_cli("ingest", str(tmp_path / "a" / "paper.txt"), store=store).returncode == 0
    second = run_cli("ingest", str(tmp_path / "b" / "paper.txt"), store=store)
    assert second.returncode != 0
    assert "already loaded as work:paper" in second.stderr
    assert "--replace" in second.stderr
    graph = EmbeddedStore(store)
    assert graph.find_node("section:paper/2") is not None  # the first paper is intact
    replaced = run_cli("ingest", "--replace", str(tmp_path / "b" / "paper.txt"), store=store)
    assert replaced.returncode == 0, replaced.stderr
    graph = EmbeddedStore(store)
    assert graph.find_node("section:paper/2") is None
    assert graph.get_node("work:paper").props["file"] == "paper.txt"  # no local path


def test_unwritable_output_and_closed_pipes_are_one_line(small_store: Path,
                                                         tmp_path: Path) -> None:
    result = run_cli("export", "-o", str(tmp_path / "no" / "dir" / "x.json"), store=small_store)
    assert result.returncode != 0
    assert "x.json" in result.stderr
    assert "Traceback" not in result.stderr
    piped = subprocess.run(
        f"{sys.executable} -m citegraph.cli stats | head -c 1", shell=True, cwd=REPO,
        capture_output=True, text=True,
        env={**os.environ, "CITEGRAPH_STORE": str(small_store)}, timeout=120)
    assert "Traceback" not in piped.stderr
