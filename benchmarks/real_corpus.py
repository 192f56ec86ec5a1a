"""The real inputs of ``../shared/corpus/real``, listed from its ``MANIFEST.tsv``.

The corpus keeps file names short, so a name may have lost its suffix; the manifest's
``path`` column is the file's name where it came from, and so its real kind.

Examples
--------
>>> entry = CorpusFile(Path("bib/x/a.bib"), "test/a.bib")
>>> entry.suffix
'.bib'
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CITEGRAPH_SHARED", REPO.parent / "shared"))
REAL = SHARED / "corpus" / "real"


@dataclass(frozen=True, slots=True)
class CorpusFile:
    """One real input: where it lies under ``REAL`` and its original path."""

    relative: Path
    original: str

    @property
    def path(self) -> Path:
        return REAL / self.relative

    @property
    def suffix(self) -> str:
        """The original suffix, lower-cased; ``.csl.json`` counts as ``.json``."""
        return Path(self.original).suffix.lower()

    @property
    def name(self) -> str:
        return str(self.relative)


def corpus_files(folder: str, suffixes: tuple[str, ...] = ()) -> list[CorpusFile]:
    """Files under ``REAL/folder`` whose original suffix is one of ``suffixes`` (all if
    empty), in manifest order; empty when the corpus is absent."""
    manifest = REAL / "MANIFEST.tsv"
    if not manifest.is_file():
        return []
    with manifest.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.reader(handle, delimiter="\t") if r and not r[0].startswith("#")]
    found = [CorpusFile(Path(r[0]), r[3]) for r in rows if len(r) > 3
             and r[0].startswith(folder.rstrip("/") + "/")]
    return [f for f in found if not suffixes or f.suffix in suffixes]
