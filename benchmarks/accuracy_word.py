"""Word, OpenDocument and Pandoc Markdown: citations found and linked, on ``papers/word``.

Independent count: citation field codes in the raw XML (``ADDIN ZOTERO_ITEM CSL_CITATION``
in ``word/document.xml``; ``<text:reference-mark-start text:name="ZOTERO_ITEM`` in
``content.xml``) and, for the Markdown the two were made from, the same 22 citations
(checked by eye: the ``[@key]`` examples inside fenced code are not citations). Linked:
cited Works that are nodes of the Zotero JSON library beside them.

Run: ``.venv/bin/python -m benchmarks.accuracy_word``
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

from benchmarks.real_corpus import REAL
from ingest.pandoc import read_pandoc
from ingest.refmgr_csl import parse_zotero_json
from ingest.word import parse_docx, parse_odt

WORD = REAL / "papers" / "word"


def field_count(path: Path) -> int:
    """Citation fields in the raw XML of a .docx or .odt (a field code / start mark each)."""
    with zipfile.ZipFile(path) as archive:
        if path.suffix == ".docx":
            xml = archive.read("word/document.xml").decode("utf-8")
            return len(re.findall(r"ADDIN ZOTERO_ITEM CSL_CITATION", xml))
        xml = archive.read("content.xml").decode("utf-8")
        return len(re.findall(r"<text:reference-mark-start text:name=\"ZOTERO_ITEM", xml))


def main(argv: list[str]) -> int:
    library = next(iter(sorted(WORD.glob("*.json"))), None)
    if library is None:
        print("no papers/word corpus")
        return 1
    known = {n.id for n in parse_zotero_json(library.read_bytes(), file=library.name)
             .batch.nodes}
    print("| file | citations (independent) | found | linked to the library | tracebacks |")
    print("|---|---|---|---|---|")
    for path in sorted(WORD.iterdir()):
        if path.suffix == ".json":
            continue
        if path.suffix == ".md":
            doc, expected = read_pandoc(path), field_count(path.with_suffix(".docx"))
        else:
            parse = parse_docx if path.suffix == ".docx" else parse_odt
            doc, expected = parse(path.read_bytes(), file=path.name), field_count(path)
        cites = [r for r in doc.batch.relationships
                 if r.type == "CITES" and not r.source.startswith("work:")]
        linked = sum(1 for r in cites if r.target in known)
        print(f"| {path.name} | {expected} | {len(cites)} | {linked} | 0 |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
