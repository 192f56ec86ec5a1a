"""Collect ``benchmarks/results/*.json`` (written by each script) into one Markdown table.

Run: ``.venv/bin/python -m benchmarks.summary`` (prints the tables that ``BENCHMARKS.md``
holds: per script, its machine, date and command, then its rows).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

from benchmarks.common import HEADERS, RESULTS, Result, format_table

ORDER = ("bench_extract", "bench_bibtex", "bench_load", "bench_load_neo4j", "bench_query",
         "bench_query_before_35ef31e",
         "bench_query_neo4j", "bench_query_neo4j_300k", "bench_api")


def load_results(path: Path) -> tuple[dict[str, str], str, list[Result]]:
    data = json.loads(path.read_text())
    rows = [Result(**r) for r in data["results"]]
    return data["machine"], data["command"], rows


def markdown(directory: Path = RESULTS) -> str:
    files = sorted(directory.glob("*.json"),
                   key=lambda p: (ORDER.index(p.stem) if p.stem in ORDER else 99, p.stem))
    parts = []
    for path in files:
        try:
            machine, command, rows = load_results(path)
        except (KeyError, TypeError, ValueError):
            continue
        parts.append(f"### {path.stem}\n\n`{command}` — {machine['nproc']} cores, "
                     f"{machine['memory_gib']} GiB, {machine['cpu']}, Python "
                     f"{machine['python']}, load average {machine.get('load', '?')}, "
                     f"{machine['date']}\n\n" + format_table(HEADERS, [r.cells() for r in rows]))
    return "\n\n".join(parts)


def main(argv: Sequence[str] | None = None) -> None:
    directory = Path(argv[0]) if argv else RESULTS
    print(markdown(directory))


if __name__ == "__main__":
    main(sys.argv[1:])
