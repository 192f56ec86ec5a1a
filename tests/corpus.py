"""Where the shared corpus lives (read at test time, never copied).

``SEED`` is the seed corpus: the seed paper, its legal texts and its BibTeX, without the
corpus README and the 757 files of ``real/`` (the reader conformance loop and the accuracy
scripts cover those).
"""

from __future__ import annotations

import os
from pathlib import Path

SHARED = Path(os.environ.get("CITEGRAPH_SHARED")
              or Path(__file__).resolve().parents[1].parent / "shared")
CORPUS = SHARED / "corpus"
REAL = CORPUS / "real"
SEED: tuple[Path, ...] = tuple(sorted(
    p for p in CORPUS.iterdir() if p != REAL and p.name != "README.md") if CORPUS.is_dir() else ())
