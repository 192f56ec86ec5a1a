"""Extraction benchmark: MB/s of paper text through the reader and every extractor, one core.

Each generated paper (``benchmarks.synth.paper_text``: numbered headings, wrapped lines,
``[n]`` markers, mentions of the catalog's instruments with article numbers, a numbered
reference list) goes through ``ingest.pipeline.parse_document`` as the ingest command
runs it: decoding, sections, sentences, markers, the reference list matched to the paper's
BibTeX Works (parsed beforehand, not timed), and the mention extractor over every
sentence. The same run also times each part on its own, two reference passes (an
Aho-Corasick scan over 2,000 aliases, the marker regular expression), and the real seed
paper of ``../shared/corpus`` when it is there.

Run: ``.venv/bin/python -m benchmarks.bench_extract [--sizes 50,200,800] [--quick]``
(sizes are numbers of papers, about 30 KB each).
"""

from __future__ import annotations

import os
import random
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import ahocorasick

from benchmarks.common import (
    REPO,
    Result,
    Stopwatch,
    parser,
    report,
    scaling_results,
    sizes_of,
)
from benchmarks.synth import WORDS, SynthSpec, paper_text
from citegraph.model import Node, NodeType
from citegraph.settings import Settings
from ingest.base import DocumentKind

TARGET_MB_S = 10.0
MB = 1_000_000


def catalog_names(settings: Settings) -> list[str]:
    """English names and aliases of the project's catalogued instruments."""
    from ingest.pipeline import load_project_catalog

    catalog = load_project_catalog(settings)
    if catalog is None:
        return []
    names: list[str] = []
    for entry in catalog.iter_instruments():
        names.extend(n for n in entry.names() if n.isascii())
    return names


def make_papers(count: int, seed: int, names: Sequence[str]) -> list[tuple[bytes, list[Node]]]:
    """``count`` papers as bytes, each with the Works of its own ``.bib``."""
    from ingest.bibtex import parse_bibtex

    spec = SynthSpec(papers=count, seed=seed, sections=10, subsections=2)
    out = []
    for i in range(count):
        text, bib = paper_text(spec, i, names)
        works = [n for n in parse_bibtex(bib, file=f"paper-{i}.bib").batch.nodes
                 if n.type is NodeType.WORK]
        out.append((text.encode("utf-8"), works))
    return out


def rate(fn: Callable[[], object], size: int, repeats: int = 1) -> tuple[float, float]:
    """(MB/s wall-clock, MB/s on CPU time), the best of ``repeats``."""
    wall = on_cpu = float("inf")
    for _ in range(repeats):
        with Stopwatch() as sw:
            fn()
        wall, on_cpu = min(wall, sw.wall), min(on_cpu, sw.cpu)
    return size / MB / wall, size / MB / max(on_cpu, 1e-9)


def full_pipeline(papers: Sequence[tuple[bytes, list[Node]]], settings: Settings) -> int:
    from ingest.pipeline import parse_document

    rels = 0
    for i, (data, works) in enumerate(papers):
        parsed, _ = parse_document(f"paper-{i:06d}.txt", data, settings=settings,
                                   kind=DocumentKind.PAPER, bib=works)
        rels += len(parsed.batch.relationships)
    return rels


def parts(papers: Sequence[tuple[bytes, list[Node]]],
          settings: Settings) -> dict[str, Callable[[], object]]:
    """Each stage alone, on inputs prepared by the stages before it (untimed)."""
    from ingest.mentions import extract_mentions
    from ingest.paper import parse_paper
    from ingest.pipeline import load_project_catalog
    from ingest.textio import decode_text

    texts = [decode_text(data, f"p{i}.txt") for i, (data, _) in enumerate(papers)]
    parsed = [parse_paper(t, file=f"p{i}.txt", slug=f"p{i}", bib=w or None)
              for i, (t, (_, w)) in enumerate(zip(texts, papers, strict=True))]
    catalog = load_project_catalog(settings)

    def decode() -> None:
        for i, (data, _) in enumerate(papers):
            decode_text(data, f"p{i}.txt")

    def paper() -> None:
        for i, (t, (_, w)) in enumerate(zip(texts, papers, strict=True)):
            parse_paper(t, file=f"p{i}.txt", slug=f"p{i}", bib=w or None)

    def mentions() -> None:
        for doc in parsed:
            extract_mentions(doc.sentences, catalog, document=doc.batch.document)

    out: dict[str, Callable[[], object]] = {"decode_text": decode, "parse_paper": paper}
    if catalog is not None:
        out["extract_mentions (over the sentences)"] = mentions
    return out


def reference_passes(text: str, names: Sequence[str]) -> dict[str, Callable[[], object]]:
    """Ceilings seen in the issue: one Aho-Corasick pass, one marker regex pass."""
    from ingest.paper import find_markers

    rng = random.Random(2000)
    aliases = list(dict.fromkeys([*(n.casefold() for n in names),
                                  *(" ".join(rng.sample(WORDS, 2)) for _ in range(2000))]))[:2000]
    automaton: Any = ahocorasick.Automaton()
    for n, alias in enumerate(aliases):
        automaton.add_word(alias, n)
    automaton.make_automaton()
    folded = text.casefold()
    return {"Aho-Corasick pass, 2,000 aliases (reference)":
            lambda: sum(1 for _ in automaton.iter(folded)),
            "find_markers: marker regex + Marker objects (reference)":
            lambda: find_markers(text)}


def shared_paper() -> Path | None:
    root = Path(os.environ.get("CITEGRAPH_SHARED", REPO.parent / "shared"))
    path = root / "corpus" / "seed-paper.txt"
    return path if path.is_file() else None


def main(argv: Sequence[str] | None = None) -> list[Result]:
    p = parser(__doc__ or "", [50, 200, 800], [2, 4, 8])
    args = p.parse_args(argv)
    sizes = sizes_of(args)
    repeats = 1 if args.quick else 3
    settings = Settings()
    names = catalog_names(settings)
    results: list[Result] = []
    seconds = []
    for size in sizes:
        papers = make_papers(size, args.seed, names)
        total = sum(len(d) for d, _ in papers)
        full_pipeline(papers[:1], settings)  # warm the catalog and its automaton
        rels = 0

        def run(papers: list[tuple[bytes, list[Node]]] = papers) -> None:
            nonlocal rels
            rels = full_pipeline(papers, settings)

        wall, on_cpu = rate(run, total, repeats)
        seconds.append(total / MB / on_cpu)
        results.append(Result("extraction", "paper reader + all extractors (parse_document)",
                              wall, "MB/s", f">= {TARGET_MB_S:g} MB/s", wall >= TARGET_MB_S,
                              size, f"{total / MB:.2f} MB, {rels:,} relationships",
                              cpu=on_cpu))
        print(f"extract {size} papers: {wall:.2f} MB/s (CPU {on_cpu:.2f})", file=sys.stderr)
        if size == max(sizes):
            for name, fn in parts(papers, settings).items():
                w, c = rate(fn, total, repeats)
                results.append(Result("extraction", name, w, "MB/s", "part", None, size,
                                      cpu=c))
            text = "\n".join(d.decode("utf-8") for d, _ in papers)
            for name, fn in reference_passes(text, names).items():
                w, c = rate(fn, total, repeats)
                results.append(Result("extraction", name, w, "MB/s", "reference", None, size,
                                      cpu=c))
    results.append(scaling_results("extraction", "CPU time", sizes, seconds))
    seed = shared_paper()
    if seed is not None:
        data = seed.read_bytes()
        copies: list[tuple[bytes, list[Node]]] = [(data, [])] * (5 if args.quick else 40)
        wall, on_cpu = rate(lambda: full_pipeline(copies, settings), len(data) * len(copies))
        results.append(Result("extraction", f"{seed.name} through parse_document", wall,
                              "MB/s", f">= {TARGET_MB_S:g} MB/s", wall >= TARGET_MB_S,
                              len(copies), f"{len(data):,} bytes x {len(copies)}", cpu=on_cpu))
    report("bench_extract", results, save=not args.no_save)
    return results


if __name__ == "__main__":
    main()
