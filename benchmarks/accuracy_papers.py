"""Accuracy of the footnote readers (law-review PDF and web page) against the web page's record.

For each law review in ``../shared/corpus/real/law-reviews/`` (a PDF and its journal web
page), the record of its footnotes is read from the page by
:mod:`benchmarks.lawreview_record` (markup families, another method than the reader's).
For the PDF reader (``ingest.pdf`` + ``ingest.pdflayout``) and the HTML reader
(``ingest.html``) it prints, per file and in total:

- ``found``: record footnotes whose number the reader found;
- ``text``: record footnotes whose number the reader found *with the same text* (the first
  300 letters and digits, case-folded, compared with difflib: ratio >= 0.9);
- ``any``: record footnotes whose text the reader found under any number within 15 (a web
  page may renumber: one moves the PDF's first note to the end);
- ``called``: footnotes the reader found whose call is in the body text;
- citations parsed from the reader's footnotes (``ingest.footcites``) and the share of
  short forms (Id., supra, short case names) resolved to a full citation.

A web page that prints fewer notes than the PDF (an excerpt) limits the record to those.

Run: ``.venv/bin/python -m benchmarks.accuracy_papers [--details] [--no-cites]``
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LAW_REVIEWS = REPO.parent / "shared" / "corpus" / "real" / "law-reviews"
MATCH = 0.9


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())[:300]


def same_text(a: str, b: str) -> bool:
    ka, kb = _key(a), _key(b)
    if not ka or not kb:
        return ka == kb
    return ka == kb or difflib.SequenceMatcher(None, ka, kb, autojunk=False).ratio() >= MATCH


@dataclass
class Score:
    record: int = 0
    found: int = 0
    text: int = 0
    anywhere: int = 0
    notes: int = 0
    called: int = 0
    citations: int = 0
    short: int = 0
    resolved: int = 0
    seconds: float = 0.0
    misses: list[int] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("record", "found", "text", "anywhere", "notes", "called", "citations", "short",
                     "resolved", "seconds"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def row(self, name: str) -> str:
        def ratio(a: int, b: int) -> str:
            return f"{a / b:.3f}" if b else "  -  "
        return (f"{name[:46]:46} record {self.record:4}  found {ratio(self.found, self.record)}"
                f"  text {ratio(self.text, self.record)}  any {ratio(self.anywhere, self.record)}"
                f"  called {ratio(self.called, self.notes)}"
                f"  cites {self.citations:5}  short resolved {ratio(self.resolved, self.short)}"
                f"  {self.seconds:5.2f}s")


def _score(record: dict[int, str], found: dict[int, str], called: set[str], text: str,
           cites: bool) -> Score:
    score = Score(record=len(record), notes=len(found))
    for number, expected in record.items():
        if number in found:
            score.found += 1
            if same_text(found[number], expected):
                score.text += 1
                score.anywhere += 1
                continue
        score.misses.append(number)
        nearby = (found.get(n, "") for n in range(number - 15, number + 16))
        score.anywhere += any(same_text(t, expected) for t in nearby if t)
    score.called = sum(1 for n in found if str(n) in called)
    if cites:
        _count_citations(text, score)
    return score


def _count_citations(text: str, score: Score) -> None:
    from ingest.footcites import parse_footnote, resolve_footnotes
    from ingest.footnotes import find_footnotes

    _, notes = find_footnotes(text)
    parsed = resolve_footnotes([(n.number or 0, parse_footnote(n.text)) for n in notes])
    for _, citations in parsed:
        for cite in citations:
            score.citations += 1
            if cite.short:
                score.short += 1
                score.resolved += cite.resolved


def _reader_notes(text: str) -> tuple[dict[int, str], set[str]]:
    from ingest.footnotes import find_footnotes

    calls, notes = find_footnotes(text)
    return ({n.number: n.text for n in notes if n.number is not None},
            {c.label for c in calls})


def _pdf_text(path: Path) -> str:
    from ingest.pdf import extract_pdf_text

    return extract_pdf_text(path.read_bytes(), file=str(path))


def _html_text(path: Path) -> str:
    from ingest.html import html_paper_text

    return html_paper_text(path.read_bytes(), file=str(path))


def run(pages: Iterable[Path], details: bool, cites: bool) -> dict[str, Score]:
    from benchmarks.lawreview_record import record_footnotes

    totals = {"pdf": Score(), "html": Score()}
    for page in pages:
        _, record = record_footnotes(page)
        for kind, reader, path in (("pdf", _pdf_text, page.with_suffix(".pdf")),
                                   ("html", _html_text, page)):
            start = time.perf_counter()
            text = reader(path)
            found, called = _reader_notes(text)
            score = _score(record, found, called, text, cites)
            score.seconds = time.perf_counter() - start
            totals[kind].add(score)
            print(score.row(f"{kind:4} {page.stem}"))
            if details and score.misses:
                print(f"     not matched: {score.misses[:25]}")
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--details", action="store_true", help="list unmatched notes")
    parser.add_argument("--no-cites", action="store_true", help="skip citation parsing")
    args = parser.parse_args(argv)
    pages = sorted(LAW_REVIEWS.glob("*.html"))
    if not pages:
        print(f"no law reviews under {LAW_REVIEWS}", file=sys.stderr)
        return 1
    totals = run(pages, args.details, not args.no_cites)
    print(f"\n{len(pages)} law reviews (PDF + web page each)")
    for kind, score in totals.items():
        print(score.row(f"TOTAL {kind}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
