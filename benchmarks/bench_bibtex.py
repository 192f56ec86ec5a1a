"""BibTeX benchmark: entries per second, decoded and mapped to Works.

In one run, on the same generated ``.bib`` text (several authors per entry, LaTeX accents,
braces, ``\\&``):

* citegraph's ``ingest.bibtex.parse_bibtex`` (LaTeX decoding, name splitting, Work nodes);
* bibtexparser 2 with its ``LatexDecodingMiddleware`` + ``SeparateCoAuthors`` +
  ``SplitNameParts`` (what the issue calls "decoded");
* bibtexparser 2 plain (no middleware), for reference;

and the same three on the real ``../shared/corpus/bib`` file and on the largest real ``.bib``
of ``../shared/corpus/real/bib`` (a 7,000-entry AI bibliography) when they are there.

Run: ``.venv/bin/python -m benchmarks.bench_bibtex [--sizes 1000,5000,20000] [--quick]``
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts

from benchmarks.common import (
    REPO,
    Result,
    Stopwatch,
    parser,
    report,
    scaling_results,
    sizes_of,
)
from benchmarks.synth import bibtex_text

TARGET = 5000


def shared_bibs() -> list[Path]:
    """The real BibTeX file of the shared corpus and the largest real .bib, if present."""
    from benchmarks.real_corpus import corpus_files

    root = Path(os.environ.get("CITEGRAPH_SHARED", REPO.parent / "shared"))
    found = sorted((root / "corpus" / "bib").glob("*.bib"))[:1]
    real = [f.path for f in corpus_files("bib", (".bib",))]
    return found + sorted(real, key=lambda p: p.stat().st_size)[-1:]


def bibtexparser_decoded(text: str) -> int:
    library = parse_string(
        text, append_middleware=[LatexDecodingMiddleware(), SeparateCoAuthors(),
                                 SplitNameParts()])
    return len(library.entries)


def bibtexparser_plain(text: str) -> int:
    return len(parse_string(text).entries)


def citegraph_works(text: str) -> int:
    """Entries citegraph turned into Work nodes."""
    from ingest.bibtex import parse_bibtex

    parsed = parse_bibtex(text, file="bench.bib")
    return sum(1 for n in parsed.batch.nodes if n.type == "Work")


def best_rate(fn: Callable[[str], int], text: str, repeats: int) -> tuple[float, float, int]:
    """(entries/s wall-clock, entries/s on CPU time, entries returned): the fastest of
    ``repeats`` runs."""
    best = best_cpu = float("inf")
    count = 0
    for _ in range(repeats):
        with Stopwatch() as sw:
            count = fn(text)
        best, best_cpu = min(best, sw.wall), min(best_cpu, sw.cpu)
    return count / best, count / max(best_cpu, 1e-9), count


def compare(text: str, entries: int, label: str, repeats: int) -> list[Result]:
    ours, ours_cpu, works = best_rate(citegraph_works, text, repeats)
    decoded, decoded_cpu, _ = best_rate(bibtexparser_decoded, text, repeats)
    plain, plain_cpu, _ = best_rate(bibtexparser_plain, text, repeats)
    return [
        Result("BibTeX", f"citegraph parse_bibtex, decoded + Works ({label})", ours,
               "entries/s", f">= {TARGET:,}", ours >= TARGET, entries,
               f"{works:,} Works from {entries:,} entries", cpu=ours_cpu),
        Result("BibTeX", f"bibtexparser + LatexDecoding/SeparateCoAuthors/SplitNameParts "
               f"({label})", decoded, "entries/s", "baseline", None, entries, cpu=decoded_cpu),
        Result("BibTeX", f"bibtexparser plain, no middleware ({label})", plain, "entries/s",
               "reference", None, entries, cpu=plain_cpu),
        Result("BibTeX", f"ratio citegraph / bibtexparser decoded ({label})", ours / decoded,
               "x", "report", None, entries, cpu=ours_cpu / decoded_cpu),
    ]


def main(argv: Sequence[str] | None = None) -> list[Result]:
    p = parser(__doc__ or "", [1_000, 5_000, 20_000], [50, 100, 200])
    args = p.parse_args(argv)
    sizes = sizes_of(args)
    repeats = 1 if args.quick else 3
    results: list[Result] = []
    seconds = []
    for size in sizes:
        text = bibtex_text(size, seed=args.seed)
        rows = compare(text, size, "generated", repeats)
        results += rows
        seconds.append(size / (rows[0].cpu or rows[0].figure))
        print(f"bibtex {size:,}: {rows[0].figure:,.0f} entries/s", file=sys.stderr)
    results.append(scaling_results("BibTeX", "citegraph parse CPU time", sizes, seconds))
    for real in shared_bibs():
        text = real.read_text(encoding="utf-8", errors="replace")
        entries = bibtexparser_plain(text)
        results += compare(text, entries, real.name[:40], repeats)
    report("bench_bibtex", results, save=not args.no_save)
    return results


if __name__ == "__main__":
    main()
