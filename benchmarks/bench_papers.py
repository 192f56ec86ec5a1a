"""Paper ingest speed: law-review PDFs and web pages, from bytes to a parsed document.

For each file: the median of ``--repeat`` runs, in one warm process (eyecite's import and
its first regexes are paid once, before timing, and reported), of
``ingest.pipeline.parse_document`` (text with its layout, footnotes, citations, sections,
sentences, mentions), split into extraction (``extract_pdf_text`` / ``html_paper_text``)
and the rest, with the CPU time of the whole (what it costs on one core whatever else
runs on a shared machine). The issue's target: a 60-page law-review PDF in under 5 s.

Run: ``.venv/bin/python -m benchmarks.bench_papers [--repeat 3] [FILE ...]``
(default: the law-review PDFs of 55 pages or more, and their web pages).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LAW_REVIEWS = REPO.parent / "shared" / "corpus" / "real" / "law-reviews"


def _pages(path: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


def _default_files() -> list[Path]:
    pdfs = [p for p in sorted(LAW_REVIEWS.glob("*.pdf")) if 55 <= _pages(p) <= 70]
    return [*pdfs, *(p.with_suffix(".html") for p in pdfs if p.with_suffix(".html").exists())]


def _time(path: Path, repeat: int) -> tuple[float, float, float]:
    from citegraph.settings import Settings
    from ingest.html import html_paper_text
    from ingest.pdf import extract_pdf_text
    from ingest.pipeline import parse_document

    data = path.read_bytes()
    extract = extract_pdf_text if path.suffix == ".pdf" else html_paper_text
    totals, extracts, cpus = [], [], []
    for _ in range(repeat):
        start = time.perf_counter()
        extract(data, file=path.name)
        extracts.append(time.perf_counter() - start)
        start, cpu = time.perf_counter(), time.process_time()
        parse_document(path.name, data, settings=Settings(), kind=None)
        totals.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(totals), statistics.median(extracts), statistics.median(cpus)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    from ingest.footcites import parse_footnote

    parse_footnote("See Roe v. Wade, 410 U.S. 113 (1973).")
    print(f"warm-up (imports, eyecite's first call): {time.perf_counter() - start:.2f} s")
    for path in args.files or _default_files():
        total, extract, cpu = _time(path, args.repeat)
        pages = f"{_pages(path):3} pages" if path.suffix == ".pdf" else "web page "
        print(f"{path.name[:60]:60} {pages}  parse_document {total:5.2f} s "
              f"(text {extract:4.2f} s, the rest {total - extract:4.2f} s; on CPU {cpu:5.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
