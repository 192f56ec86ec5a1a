"""BibTeX accuracy over every real ``.bib`` of ``../shared/corpus/real/bib``.

For each file: the entries ``bibtexparser.parse_file`` gives on its own (the independent
count; a file it cannot decode counts 0), the entries citegraph loads, the entries it
reports as skipped, and whether anything but a typed error escaped (a traceback).

Run: ``.venv/bin/python -m benchmarks.accuracy_bibtex [--all]`` (``--all`` prints every file,
not only those where the counts differ).
"""

from __future__ import annotations

import logging
import sys
import traceback
from dataclasses import dataclass

import bibtexparser

from benchmarks.real_corpus import CorpusFile, corpus_files
from citegraph.errors import CitegraphError
from ingest.bibtex import read_bibtex


@dataclass(frozen=True, slots=True)
class BibRow:
    """The figures of one file."""

    file: str
    independent: int
    loaded: int
    skipped: int
    works: int
    encoding: str
    error: str = ""
    traceback: str = ""


def bibtexparser_count(entry: CorpusFile) -> int:
    """Entries bibtexparser 2 finds alone (UTF-8); 0 when it cannot decode the file."""
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    try:
        return len(bibtexparser.parse_file(str(entry.path)).entries)
    except UnicodeDecodeError:
        return 0


def measure(entry: CorpusFile) -> BibRow:
    independent = bibtexparser_count(entry)
    try:
        doc = read_bibtex(entry.path)
    except CitegraphError as exc:
        return BibRow(entry.name, independent, 0, 0, 0, "", error=str(exc))
    except Exception:  # what this script exists to find
        return BibRow(entry.name, independent, 0, 0, 0, "", traceback=traceback.format_exc())
    encoding = next((p.reason.rsplit("as ", 1)[-1].split()[0] for p in doc.problems
                     if p.reason.startswith("not UTF-8")), "utf-8")
    return BibRow(entry.name, independent, doc.summary["entries"], doc.summary["skipped"],
                  doc.summary["works"], encoding)


def bib_files() -> list[CorpusFile]:
    return corpus_files("bib", (".bib",))


def main(argv: list[str]) -> int:
    rows = [measure(f) for f in bib_files()]
    show_all = "--all" in argv
    print("| file | bibtexparser | loaded | skipped | works | encoding | error |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        if show_all or r.loaded != r.independent or r.error or r.traceback:
            note = (r.error or r.traceback.strip().splitlines()[-1] if r.traceback or r.error
                    else "")
            print(f"| {r.file[:70]} | {r.independent} | {r.loaded} | {r.skipped} | {r.works} | "
                  f"{r.encoding} | {note[:90]} |")
    below = [r for r in rows if r.loaded < r.independent]
    print(f"\nfiles read: {len(rows)}")
    print(f"tracebacks: {sum(1 for r in rows if r.traceback)}")
    print(f"typed errors (file gives no entry): {sum(1 for r in rows if r.error)}")
    print(f"entries: bibtexparser {sum(r.independent for r in rows)}, citegraph loaded "
          f"{sum(r.loaded for r in rows)}, reported skipped {sum(r.skipped for r in rows)}, "
          f"Works {sum(r.works for r in rows)}")
    print(f"files where citegraph loads fewer entries than bibtexparser: {len(below)}")
    legacy = [f"{r.file} ({r.encoding})" for r in rows if r.encoding not in ("utf-8", "")]
    print(f"files not UTF-8: {', '.join(legacy) or 'none'}")
    return 1 if below or any(r.traceback for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
