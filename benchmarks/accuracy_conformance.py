"""Reader conformance over every real file: each reader, every file the registry gives it.

For each file of ``../shared/corpus/real/`` (and the seed corpus beside it) the registry
(:mod:`ingest.formats`) picks the format, and the pipeline's :func:`parse_document` reads
it twice. A file passes when

- no exception escapes but the project's own (:class:`~citegraph.errors.CitegraphError`);
  a format that is not read is refused with :class:`UnsupportedFormatError` naming the file
  and the format;
- every sentence is the decoded text at its offsets and every provenance span lies in it;
- the two runs give the same batch (ids are deterministic);
- no provenance quote carries LaTeX commands or HTML tags;
- a file that gives nothing (no node but its own, no edge) says so with a problem.

Run: ``.venv/bin/python -m benchmarks.accuracy_conformance [--details]`` (prints the table
per format; ``--details`` lists every violation and typed error).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from citegraph.errors import CitegraphError, UnsupportedFormatError
from citegraph.settings import Settings
from ingest import formats
from ingest.base import ParsedDocument

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
REAL = CORPUS / "real"
_NOT_INPUTS = {"README.md", "MANIFEST.tsv"}
LATEX_COMMAND = re.compile(r"\\[A-Za-z]+")
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")


@dataclass
class Result:
    """What one file gave: its format, its status and any broken invariant."""

    file: str
    format: str
    status: str  # read | refused | typed-error | traceback
    detail: str = ""
    violations: list[str] = field(default_factory=list)
    warnings: int = 0
    nodes: int = 0
    relationships: int = 0
    seconds: float = 0.0


def corpus_files(root: Path = CORPUS) -> list[Path]:
    """Every input file under ``root`` (the corpus README and manifest are not inputs)."""
    return sorted(p for p in root.rglob("*") if p.is_file() and not (
        p.name in _NOT_INPUTS and p.parent in (root, root / "real")))


def folder_of(path: Path, root: Path = CORPUS) -> str:
    """``real/<folder>`` (``real/papers/<sub>``) or the seed corpus's own folder."""
    parts = path.relative_to(root).parts
    if parts[0] != "real":
        return "seed"
    return "/".join(parts[:3] if parts[1] == "papers" else parts[:2])


def check_file(path: Path, settings: Settings | None = None, *, twice: bool = True) -> Result:
    """Read one file through the pipeline (twice, to compare the ids) and check the
    invariants."""
    from ingest.pipeline import parse_document

    settings = settings or Settings()
    data = path.read_bytes()
    source = formats.Source(str(path), data, path=path)
    fmt = formats.identify(source).format
    result = Result(str(path), fmt.name, "read")
    started = time.perf_counter()
    try:
        first, _ = parse_document(str(path), data, settings=settings, kind=None, path=path)
        second = first
        if twice:
            second, _ = parse_document(str(path), data, settings=settings, kind=None,
                                       path=path)
    except UnsupportedFormatError as exc:
        return _refusal(result, fmt, exc)
    except CitegraphError as exc:
        result.status, result.detail = "typed-error", str(exc)
        return result
    except Exception:  # the very thing this loop is here to catch
        result.status, result.detail = "traceback", traceback.format_exc(limit=-3)
        return result
    finally:
        result.seconds = time.perf_counter() - started
    result.nodes, result.relationships = len(first.batch.nodes), len(first.batch.relationships)
    result.warnings = len(first.problems)
    if first.batch != second.batch:
        result.violations.append("two runs gave different batches (ids not deterministic)")
    result.violations.extend(_span_violations(first, fmt, source))
    result.violations.extend(_quote_violations(first, fmt.name))
    if fmt.reader is None:
        result.violations.append(f"format {fmt.name} has no reader yet was loaded")
    if not _gave_something(first) and not first.problems:
        result.violations.append("gave nothing and said nothing")
    return result


def _refusal(result: Result, fmt: formats.Format, exc: UnsupportedFormatError) -> Result:
    result.status, result.detail = "refused", str(exc)
    if fmt.reader is not None:
        result.violations.append(f"readable format {fmt.name} refused: {exc}")
    if exc.file != result.file or exc.format != fmt.name or "\n" in str(exc):
        result.violations.append(f"refusal does not name the file and format: {exc}")
    return result


def _gave_something(parsed: ParsedDocument) -> bool:
    own = [n for n in parsed.batch.nodes if n.id != parsed.batch.document]
    return bool(own or parsed.batch.relationships)


def _span_violations(parsed: ParsedDocument, fmt: formats.Format,
                     source: formats.Source) -> Iterable[str]:
    spans = [r.provenance.span for r in parsed.batch.relationships
             if r.provenance is not None and r.provenance.span is not None]
    if not parsed.sentences and not spans:
        return
    text = fmt.decoded_text(source)
    for sentence in parsed.sentences:
        if text[sentence.start:sentence.end] != sentence.text:
            yield f"sentence at {sentence.start}:{sentence.end} is not the text there"
            return
    for start, end in spans:
        if not 0 <= start <= end <= len(text):
            yield f"provenance span {start}:{end} outside the text ({len(text)} chars)"
            return


#: Formats whose text is what was printed: a backslash word there is the author's text.
PRINTED = frozenset({"pdf"})


def _quote_violations(parsed: ParsedDocument, fmt: str) -> Iterable[str]:
    latex = None if fmt in PRINTED else LATEX_COMMAND
    for rel in parsed.batch.relationships:
        quote = rel.provenance.quote if rel.provenance is not None else ""
        markup = (latex.search(quote) if latex else None) or HTML_TAG.search(quote)
        if markup:
            yield f"quote of {rel.type} {rel.source}->{rel.target} has markup {markup[0]!r}"
            return


def check_all(files: Iterable[Path], *, workers: int = 2,
              twice: Callable[[Path], bool] = lambda path: True) -> list[Result]:
    """:func:`check_file` over ``files`` in ``workers`` processes, in the files' order."""
    paths = list(files)
    flags = [twice(p) for p in paths]
    if workers <= 1:
        return [check_file(p, twice=t) for p, t in zip(paths, flags, strict=True)]
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(_check_one, paths, flags, chunksize=4))


def _check_one(path: Path, twice: bool) -> Result:
    return check_file(path, twice=twice)


def table(results: list[Result]) -> str:
    """A Markdown table: per format, files, read, typed refusals, typed errors, tracebacks."""
    rows: dict[str, Counter[str]] = defaultdict(Counter)
    for r in results:
        rows[r.format][r.status] += 1
        rows[r.format]["violations"] += bool(r.violations)
    lines = ["| format | files | read | typed refusals | typed errors | tracebacks | "
             "files with a violation |", "|---|---:|---:|---:|---:|---:|---:|"]
    total: Counter[str] = Counter()
    for name in sorted(rows):
        c = rows[name]
        files = sum(c[s] for s in ("read", "refused", "typed-error", "traceback"))
        total.update({**c, "files": files})
        lines.append(f"| {name} | {files} | {c['read']} | {c['refused']} | {c['typed-error']} "
                     f"| {c['traceback']} | {c['violations']} |")
    lines.append(f"| **all** | {total['files']} | {total['read']} | {total['refused']} | "
                 f"{total['typed-error']} | {total['traceback']} | {total['violations']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="list violations and errors")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    results = check_all(corpus_files(), workers=args.workers)
    print(table(results))
    print(f"\n{len(results)} files in {time.perf_counter() - started:.0f} s "
          f"({args.workers} processes; every file read twice)")
    if args.details:
        for r in results:
            if r.violations or r.status in ("typed-error", "traceback", "refused"):
                print(f"- {r.file} [{r.format}] {r.status} ({r.seconds:.1f} s): "
                      f"{r.detail.strip()[:300]}"
                      + "".join(f"\n    * {v}" for v in r.violations))
    return 1 if any(r.status == "traceback" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
