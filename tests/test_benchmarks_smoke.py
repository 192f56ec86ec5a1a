"""The benchmarks keep working: the synthetic corpus is deterministic and well formed, and
each benchmark script runs end to end at a tiny size (no timing is asserted).

The Neo4j halves run against the session's test server (``neo4j_uri``) and carry the
``neo4j`` marker.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.common import fit_exponent, percentiles  # noqa: E402
from benchmarks.synth import (  # noqa: E402
    SynthSpec,
    bibtex_text,
    count_relationships,
    graph_batches,
    paper_text,
    spec_for,
)
from citegraph.model import NodeType, RelType  # noqa: E402
from citegraph.stores.embedded import EmbeddedStore  # noqa: E402


def _run(module: str, *args: str, env: dict[str, str] | None = None,
         timeout: float = 240) -> str:
    result = subprocess.run([sys.executable, "-m", f"benchmarks.{module}", "--no-save", *args],
                            cwd=REPO, capture_output=True, text=True, timeout=timeout,
                            env={**os.environ, **(env or {})})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "| stage | measure |" in result.stdout
    return result.stdout


# -- the corpus --------------------------------------------------------------------------------
def test_graph_is_deterministic_and_loads_completely() -> None:
    spec = SynthSpec(papers=6, instruments=3, articles=5, seed=3)
    first = [b.relationships[:5] for b in graph_batches(spec)]
    again = [b.relationships[:5] for b in graph_batches(spec)]
    assert first == again
    other = [b.relationships[:5] for b in graph_batches(SynthSpec(papers=6, instruments=3,
                                                                  articles=5, seed=4))]
    assert other != first
    store = EmbeddedStore()
    for batch in graph_batches(spec):
        store.write(batch)
    assert store.counts().total_relationships == count_relationships(spec)
    assert set(store.counts().relationships) >= {"CITES", "MENTIONS", "HAS_SECTION",
                                                 "HAS_ARTICLE", "REFERS_TO"}


def test_papers_share_cited_works() -> None:
    spec = SynthSpec(papers=30, seed=8)
    citing: Counter[str] = Counter()
    for batch in graph_batches(spec):
        works = {r.target for r in batch.relationships
                 if r.type is RelType.CITES and r.source == batch.document}
        citing.update(works)
    assert max(citing.values()) >= 3, "no co-citation"


@pytest.mark.parametrize("wanted", [2_000, 50_000])
def test_spec_for_hits_the_wanted_size(wanted: int) -> None:
    got = count_relationships(spec_for(wanted))
    assert abs(got - wanted) <= 0.1 * wanted


def test_paper_text_parses_into_sections_citations_and_works() -> None:
    from ingest.bibtex import parse_bibtex
    from ingest.paper import parse_paper

    spec = SynthSpec(papers=2, sections=4, subsections=1, refs=12)
    text, bib = paper_text(spec, 1)
    works = [n for n in parse_bibtex(bib, file="p.bib").batch.nodes if n.type is NodeType.WORK]
    assert len(works) == 12
    doc = parse_paper(text, file="p.txt", slug="p", bib=works)
    sections = [n for n in doc.batch.nodes if n.type is NodeType.SECTION]
    assert len(sections) >= 8
    cites = [r for r in doc.batch.relationships if r.type is RelType.CITES]
    assert any(r.target.startswith("work:bib:") for r in cites)


def test_bibtex_text_has_latex_and_coauthors() -> None:
    text = bibtex_text(40, seed=1)
    assert text.count("@") == 40 and "\\" in text and " and " in text


def test_statistics_helpers() -> None:
    assert percentiles([float(x) for x in range(1, 101)], (50, 99))[50] == pytest.approx(50.5)
    assert fit_exponent([10, 100, 1000], [1, 100, 10000]) == pytest.approx(2.0)


# -- the scripts -------------------------------------------------------------------------------
def test_bench_load_smoke() -> None:
    out = _run("bench_load", "--sizes", "1500,3000", "--no-neo4j")
    assert "networkx add_edge" in out and "B/rel" in out and "scaling exponent" in out


def test_bench_query_smoke() -> None:
    out = _run("bench_query", "--sizes", "2000", "--queries", "10", "--no-neo4j")
    for name in ("2-hop neighbourhood", "shortest paths", "search", "influence trace"):
        assert name in out


def test_bench_bibtex_smoke() -> None:
    out = _run("bench_bibtex", "--sizes", "20,40", "--quick")
    assert "bibtexparser + LatexDecoding" in out and "ratio citegraph" in out


def test_bench_extract_smoke() -> None:
    out = _run("bench_extract", "--sizes", "1,2", "--quick")
    assert "paper reader + all extractors" in out


def test_bench_api_smoke() -> None:
    out = _run("bench_api", "--sizes", "1000", "--duration", "1", "--starts", "5",
               "--cold-starts", "10", "--connections", "4")
    assert "2-hop /neighbours requests/s" in out and "ratio citegraph / bare" in out


@pytest.mark.neo4j
def test_bench_load_neo4j_smoke(neo4j_uri: str) -> None:
    out = _run("bench_load", "--sizes", "2000", "--no-memory", "--no-import",
               "--per-row-sample", "100", "--bulk", "500", env={"NEO4J_URI": neo4j_uri})
    assert "one MERGE query per row" in out and "skipped" not in out


@pytest.mark.neo4j
def test_bench_query_neo4j_smoke(neo4j_uri: str) -> None:
    out = _run("bench_query", "--sizes", "2000", "--queries", "10",
               env={"NEO4J_URI": neo4j_uri})
    assert "query neo4j" in out and "skipped" not in out
