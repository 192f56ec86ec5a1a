"""Reference-manager exports: items loaded against an independent count, on every real
export of ``../shared/corpus/real`` (``refmgr/``: CSL-JSON, RIS, EndNote tagged and XML,
MODS; ``bib/`` and ``papers/word/``: Better BibTeX's Zotero JSON).

The independent count does not use the readers: a pattern per format (``ER  -`` lines of
RIS, ``<record>`` of EndNote XML, ``<mods>`` elements, ``%``-tagged paragraphs of
EndNote tagged text) or the standard library's JSON parser (list items of CSL-JSON; Zotero
items that are not notes or attachments). The per-file figures were checked by eye on the
refmgr/ files (tests/test_refmgr.py holds those counts).

Run: ``.venv/bin/python -m benchmarks.accuracy_refmgr``
"""

from __future__ import annotations

import json
import re
import sys
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from benchmarks.real_corpus import CorpusFile, corpus_files
from citegraph.errors import CitegraphError
from ingest.base import ParsedDocument
from ingest.refmgr_csl import parse_csl_json, parse_zotero_json
from ingest.refmgr_endnote import parse_endnote_xml, parse_enw
from ingest.refmgr_mods import parse_mods
from ingest.refmgr_ris import parse_ris

PARSERS: dict[str, Callable[..., ParsedDocument]] = {
    "csl-json": parse_csl_json, "zotero-json": parse_zotero_json, "ris": parse_ris,
    "endnote": parse_enw, "endnote-xml": parse_endnote_xml, "mods": parse_mods}


def format_of(entry: CorpusFile) -> str:
    """The export format of a real file, from its original suffix and its content."""
    data = entry.path.read_bytes()
    if entry.suffix == ".ris":
        return "ris"
    if entry.suffix == ".enw":
        return "endnote"
    if entry.suffix == ".xml":
        return "mods" if re.search(rb"<(?:\w+:)?mods[\s>]", data) else "endnote-xml"
    return "zotero-json" if data.lstrip()[:1] == b"{" else "csl-json"


def independent_count(entry: CorpusFile, fmt: str) -> int:
    """Items counted without the readers."""
    text = entry.path.read_text(encoding="utf-8-sig")
    if fmt == "ris":
        return len(re.findall(r"(?m)^ER  -", text))
    if fmt == "endnote":
        return sum(1 for block in re.split(r"\n\s*\n", text)
                   if re.search(r"(?m)^%[0-9A-Z@]", block))
    if fmt == "endnote-xml":
        return len(re.findall(r"<record>", text))
    if fmt == "mods":
        return len(re.findall(r"<(?:\w+:)?mods[\s>]", text))
    value = json.loads(text)
    if fmt == "csl-json":
        return len(value) if isinstance(value, list) else 1
    return sum(1 for item in value.get("items", [])
               if item.get("itemType") not in ("note", "attachment", "annotation"))


@dataclass(frozen=True, slots=True)
class ExportRow:
    file: str
    fmt: str
    independent: int
    loaded: int
    works: int
    error: str = ""
    traceback: str = ""


def measure(entry: CorpusFile) -> ExportRow:
    fmt = format_of(entry)
    expected = independent_count(entry, fmt)
    try:
        doc = PARSERS[fmt](entry.path.read_bytes(), file=entry.name)
    except CitegraphError as exc:
        return ExportRow(entry.name, fmt, expected, 0, 0, error=str(exc))
    except Exception:  # what this script exists to find
        return ExportRow(entry.name, fmt, expected, 0, 0, traceback=traceback.format_exc())
    loaded = doc.summary["entries"]
    return ExportRow(entry.name, fmt, expected, loaded, doc.summary["works"])


def export_files() -> list[CorpusFile]:
    return [*corpus_files("refmgr"), *corpus_files("bib", (".json",)),
            *corpus_files("papers/word", (".json",))]


def main(argv: list[str]) -> int:
    rows = [measure(f) for f in export_files()]
    by_format: Counter[str] = Counter()
    print("| format | files | tracebacks | items (independent) | items loaded | Works | files "
          "with the right count |")
    print("|---|---|---|---|---|---|---|")
    for fmt in sorted({r.fmt for r in rows}):
        mine = [r for r in rows if r.fmt == fmt]
        by_format[fmt] = len(mine)
        right = sum(1 for r in mine if r.loaded == r.independent)
        print(f"| {fmt} | {len(mine)} | {sum(1 for r in mine if r.traceback)} | "
              f"{sum(r.independent for r in mine)} | {sum(r.loaded for r in mine)} | "
              f"{sum(r.works for r in mine)} | {right} |")
    wrong = [r for r in rows if r.loaded != r.independent or r.traceback]
    for r in wrong:
        note = r.error or (r.traceback.strip().splitlines()[-1] if r.traceback else "")
        print(f"- {r.file}: independent {r.independent}, loaded {r.loaded} {note[:100]}")
    print(f"\nfiles read: {len(rows)}; tracebacks: {sum(1 for r in rows if r.traceback)}; "
          f"files with a wrong count: {len(wrong)}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
