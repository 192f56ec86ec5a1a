r"""LaTeX papers: citations found and linked, against a grep of the sources.

For every project of ``../shared/corpus/real/papers/latex`` (a folder with one main file):
the independent count is a line-by-line grep of every ``.tex`` file of the folder — comment
lines and the part of a line after ``%`` dropped — for a ``\...cite...`` command with its
optional arguments and one ``{keys}`` group (``\nocite``, ``\verb|...|`` and definitions left
out), counting keys; the counts were checked by eye against the sources. Recall is
citation keys found by :func:`ingest.latex.parse_latex_project` over that
count (capped at 1); linking is the keys that link to an entry of the project's
bibliography over the keys found.

Run: ``.venv/bin/python -m benchmarks.accuracy_latex``
"""

from __future__ import annotations

import re
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from benchmarks.real_corpus import REAL
from citegraph.errors import CitegraphError
from ingest.latex import parse_latex_project

_GREP = re.compile(r"\\(\w*[cC]ite\w*)\*?\s*(?:\[[^\]]*\]\s*)*\{([^}]*)\}")
_SKIP = {"nocite", "setcitestyle", "bibliographystyle", "citestyle"}


def grep_citations(folder: Path) -> int:
    """Citation keys in the ``.tex`` files of a folder, by a line grep."""
    keys = 0
    for tex in sorted(folder.rglob("*.tex")):
        for line in tex.read_text(encoding="utf-8", errors="replace").splitlines():
            line = re.sub(r"\\verb\*?(.).*?\1", "", line)  # \verb|\cite{x}| is no citation
            line = re.split(r"(?<!\\)%", line, maxsplit=1)[0]
            if re.search(r"\\(?:re)?newcommand|\\def\\", line):
                continue
            for match in _GREP.finditer(line):
                if match.group(1) not in _SKIP:
                    keys += len([k for k in match.group(2).split(",") if k.strip()])
    return keys


@dataclass(frozen=True, slots=True)
class LatexRow:
    project: str
    independent: int
    found: int
    linked: int
    sections: int
    error: str = ""

    @property
    def recall(self) -> float:
        return min(self.found / self.independent, 1.0) if self.independent else 1.0

    @property
    def linking(self) -> float:
        return self.linked / self.found if self.found else 1.0


def projects() -> list[Path]:
    root = REAL / "papers" / "latex"
    return sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def measure(folder: Path) -> LatexRow:
    expected = grep_citations(folder)
    try:
        doc = parse_latex_project(folder)
    except CitegraphError as exc:
        return LatexRow(folder.name, expected, 0, 0, 0, error=str(exc))
    except Exception:  # what this script exists to find
        return LatexRow(folder.name, expected, 0, 0, 0, error=traceback.format_exc())
    return LatexRow(folder.name, expected, doc.summary["citations"], doc.summary["linked"],
                    doc.summary["sections"])


def main(argv: list[str]) -> int:
    rows = [measure(p) for p in projects()]
    print("| project | citation keys (grep) | found | recall | linked to the .bib | linking "
          "| sections | error |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r.project} | {r.independent} | {r.found} | {r.recall:.3f} | {r.linked} | "
              f"{r.linking:.3f} | {r.sections} | {r.error.splitlines()[-1] if r.error else ''} |")
    print(f"\nprojects read: {len(rows)}; tracebacks: "
          f"{sum(1 for r in rows if 'Traceback' in r.error)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
