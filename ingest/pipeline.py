"""The ingest pipeline: files in, one atomic batch per file written to a store.

The unit of atomicity is one input file. Its whole batch (the document's nodes, its
relationships, the mentions found in it) is written in one transaction (Neo4j) or one
locked load-apply-save (embedded store), or not at all. A file that fails is reported with
the place of the error and the rest of the run goes on; ``strict`` turns any failure or
skipped entry into a non-zero exit in the CLI, never into a half-written graph.
"""

from __future__ import annotations

import hashlib
import os
import traceback
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from citegraph.errors import CatalogError, CitegraphError, InputError, ReaderFailedError
from citegraph.model import GraphBatch, Node, NodeType
from citegraph.settings import Settings
from citegraph.stores.base import GraphStore
from ingest import formats
from ingest.base import DocumentKind, ParsedDocument, Problem
from ingest.textio import read_bytes

#: Suffixes a folder walk picks up: those of formats that are read, or planned.
SUPPORTED_SUFFIXES = formats.suffixes(readable_only=True)
CATALOG_DOCUMENT = "catalog"


@dataclass(frozen=True, slots=True)
class FileReport:
    """What happened to one input."""

    file: str
    kind: str
    decision: str
    status: str  # "loaded" | "failed"
    document: str = ""
    nodes: int = 0
    relationships: int = 0
    problems: tuple[Problem, ...] = ()
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file, "kind": self.kind, "decision": self.decision,
            "status": self.status, "document": self.document, "nodes": self.nodes,
            "relationships": self.relationships,
            "problems": [str(p) for p in self.problems], "error": self.error,
        }


@dataclass(frozen=True, slots=True)
class IngestReport:
    """The summary of one ingest run."""

    files: tuple[FileReport, ...] = ()
    catalog: dict[str, int] = field(default_factory=dict)

    @property
    def loaded(self) -> int:
        return sum(f.status == "loaded" for f in self.files)

    @property
    def failed(self) -> int:
        return sum(f.status == "failed" for f in self.files)

    @property
    def skipped_entries(self) -> int:
        return sum(p.skipped for f in self.files for p in f.problems)

    def to_dict(self) -> dict[str, Any]:
        return {"loaded": self.loaded, "failed": self.failed,
                "skipped_entries": self.skipped_entries, "catalog": self.catalog,
                "files": [f.to_dict() for f in self.files]}


# -- catalog ---------------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _catalog(directory: str) -> Any:
    from citegraph.catalog import load_catalog

    return load_catalog(Path(directory))


def load_project_catalog(settings: Settings) -> Any:
    """The curated catalog of ``settings.catalog_dir`` (cached).

    A missing catalog is an error, never a silent loss of linking.
    """
    directory = settings.catalog_dir
    if not directory.is_dir():
        raise CatalogError(
            f"catalog directory {directory} not found (set CITEGRAPH_CATALOG_DIR to the "
            "catalog, or reinstall citegraph: its wheel ships data/catalog)")
    return _catalog(str(directory))


#: Stores that already hold the catalog of a directory, written by this process.
_CATALOG_WRITTEN: weakref.WeakKeyDictionary[GraphStore, set[str]] = (
    weakref.WeakKeyDictionary())


def write_catalog(store: GraphStore, settings: Settings, *, force: bool = True
                  ) -> dict[str, int]:
    """Write the catalog batch (idempotent); return its size.

    With ``force=False`` a store this process already gave the catalog is skipped (the
    upload path: rewriting the whole catalog on every upload is wasted work).
    """
    catalog = load_project_catalog(settings)
    from citegraph.catalog import catalog_batch

    batch = catalog_batch(catalog)
    written = _CATALOG_WRITTEN.setdefault(store, set())
    if force or str(settings.catalog_dir) not in written:
        store.write(batch)
        written.add(str(settings.catalog_dir))
    return {"nodes": len(batch.nodes), "relationships": len(batch.relationships)}


def _resolver(settings: Settings) -> Callable[[str], str | None]:
    catalog = load_project_catalog(settings)
    resolve: Callable[[str], str | None] = catalog.resolve_name
    return resolve


# -- parsing: every file goes through the format registry ------------------------------------
def detect(text: str, name: str) -> tuple[DocumentKind, str]:
    """Decide what a decoded file is, with a one-line reason (the registry decides)."""
    from ingest.detect import detect_kind

    return detect_kind(text, name)


def parse_document(name: str, data: bytes, *, settings: Settings, kind: DocumentKind | None,
                   bib: Sequence[Node] = (), path: Path | None = None
                   ) -> tuple[ParsedDocument, str]:
    """Bytes of one file → its parsed document and the reason for the format chosen. Pure.

    Raises :class:`~citegraph.errors.UnsupportedFormatError` for a format that is not read.
    Every failure is a :class:`CitegraphError` naming the file: one without a file gets
    ``name``; anything untyped a reader or a library raises (``ValueError``,
    ``RecursionError``, ``MemoryError``, ``KeyError``...) becomes a
    :class:`ReaderFailedError` naming the file and the code that failed, so the rest of
    the batch still loads and the API answers 422, not 500.
    """
    try:
        return _parse_document(name, data, settings=settings, kind=kind, bib=bib, path=path)
    except CitegraphError as exc:
        if exc.file is None:
            exc.file = name
        raise
    except Exception as exc:  # the one place untyped reader errors become typed
        raise ReaderFailedError(f"the reader failed on this input: {type(exc).__name__}: "
                                f"{str(exc)[:200]}", file=name, place=_failed_at(exc)) from exc


def _failed_at(exc: BaseException) -> str:
    """``ingest/paper.py:123 in find_markers``: the last frame of the project's code."""
    root = Path(__file__).resolve().parents[1]
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if Path(f.filename).resolve().is_relative_to(root)]
    frame = (ours or frames)[-1]
    where = Path(frame.filename).resolve()
    shown = where.relative_to(root) if where.is_relative_to(root) else where.name
    return f"{shown}:{frame.lineno} in {frame.name}"


def _parse_document(name: str, data: bytes, *, settings: Settings, kind: DocumentKind | None,
                    bib: Sequence[Node], path: Path | None) -> tuple[ParsedDocument, str]:
    source = formats.Source(name, data, path=path, bib=tuple(bib), resolve=_resolver(settings))
    parsed, match = formats.read(source, kind)
    if match.format.mentions:
        parsed = _with_mentions(parsed, settings)
    return _said_if_empty(parsed, name, match), match.reason


def _said_if_empty(parsed: ParsedDocument, name: str, match: formats.Match) -> ParsedDocument:
    """A file that gave nothing but its own node says so: silence is never success."""
    own = [n for n in parsed.batch.nodes if n.id != parsed.batch.document]
    if own or parsed.batch.relationships or parsed.problems:
        return parsed
    problem = Problem(name, f"nothing found in it (read as {match.format.description})",
                      skipped=False)
    return ParsedDocument(parsed.kind, parsed.batch, (problem,), parsed.sentences,
                          parsed.summary)


def _with_mentions(parsed: ParsedDocument, settings: Settings) -> ParsedDocument:
    catalog = load_project_catalog(settings)
    if not parsed.sentences:
        return parsed
    from ingest.mentions import extract_mentions

    nodes, rels = extract_mentions(parsed.sentences, catalog, document=parsed.batch.document)
    batch = parsed.batch.merged(GraphBatch.of(parsed.batch.document, nodes, rels))
    summary = {**parsed.summary, "mentions": len(rels)}
    return ParsedDocument(parsed.kind, batch, parsed.problems, parsed.sentences, summary)


# -- running ---------------------------------------------------------------------------------
def ingest_bytes(store: GraphStore, name: str, data: bytes, *, settings: Settings,
                 kind: DocumentKind | None = None, replace: bool = False,
                 bib: Sequence[Node] = (), with_catalog: bool = True) -> IngestReport:
    """Parse and write one file given as bytes (the HTTP upload path)."""
    catalog = write_catalog(store, settings, force=False) if with_catalog else {}
    report = _ingest_one(store, name, data, settings=settings, kind=kind, replace=replace,
                         bib=bib)
    return IngestReport((report,), catalog)


def _ingest_one(store: GraphStore, name: str, data: bytes, *, settings: Settings,
                kind: DocumentKind | None, replace: bool,
                bib: Sequence[Node], path: Path | None = None) -> FileReport:
    try:
        parsed, reason = parse_document(name, data, settings=settings, kind=kind, bib=bib,
                                        path=path)
        parsed = _portable(parsed, name, hashlib.sha256(data).hexdigest())
        if not replace:
            _refuse_a_different_version(store, parsed, name)
        store.write(parsed.batch, replace=replace)
    except CitegraphError as exc:
        return FileReport(name, (kind or "unknown").__str__(), "", "failed", error=str(exc))
    return FileReport(name, parsed.kind.value, reason, "loaded", parsed.batch.document,
                      len(parsed.batch.nodes), len(parsed.batch.relationships),
                      parsed.problems)


def _portable(parsed: ParsedDocument, name: str, digest: str) -> ParsedDocument:
    """Keep only the file's base name in the graph (exports must not depend on where the
    file lay), and stamp the document's own node with the input's SHA-256."""
    base = Path(name).name
    nodes = []
    for node in parsed.batch.nodes:
        props = dict(node.props)
        if props.get("file") == name:
            props["file"] = base
        if node.id == parsed.batch.document and not node.is_stub:
            props["sha256"] = digest
        nodes.append(node if props == node.props else
                     Node(node.id, node.type, node.label, props))
    batch = GraphBatch(parsed.batch.document, tuple(nodes), parsed.batch.relationships)
    return ParsedDocument(parsed.kind, batch, parsed.problems, parsed.sentences, parsed.summary)


def _refuse_a_different_version(store: GraphStore, parsed: ParsedDocument, name: str) -> None:
    """Two different inputs must not merge into one document silently (two papers that
    share a file name, or a new version loaded without ``replace``)."""
    existing = store.find_node(parsed.batch.document)
    if existing is None:
        return
    old = existing.props.get("sha256")
    new = next((n.props.get("sha256") for n in parsed.batch.nodes
                if n.id == parsed.batch.document), None)
    if old and new and old != new:
        raise InputError(
            f"a different document is already loaded as {parsed.batch.document} (from "
            f"{existing.props.get('file', 'another file')}); use --replace (HTTP: replace=true)"
            " to replace it, or rename this file", file=name)


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files named, and supported files under directories named, in a stable order."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*")
                              if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                              and not p.name.startswith(".")))
        else:
            out.append(path)  # a missing file is reported by itself; the others still load
    return list(dict.fromkeys(out))


def _load_order(path: Path) -> int:
    """Bibliographies first (papers link to them), then everything else."""
    return 0 if formats.kind_of_suffix(path.suffix) is DocumentKind.BIBTEX else 1


def ingest_paths(store: GraphStore, paths: Iterable[str | os.PathLike[str]], *,
                 settings: Settings, kind: DocumentKind | None = None,
                 bib: str | os.PathLike[str] | None = None, replace: bool = False,
                 on_file: Callable[[FileReport], None] | None = None) -> IngestReport:
    """Ingest files and directories; one atomic batch per file.

    A ``.bib`` beside a paper with the same stem (or ``bib``) supplies the paper's numbered
    references: marker ``[n]`` links to the n-th entry.
    """
    catalog = write_catalog(store, settings)
    named = [*paths, *([bib] if bib is not None else [])]
    files = sorted(expand_paths(named), key=lambda p: (_load_order(p), str(p)))
    bib_nodes: dict[Path, tuple[Node, ...]] = {}
    reports: list[FileReport] = []
    for path in files:
        report = _ingest_path(store, path, settings=settings, kind=kind, replace=replace,
                              bib=_bib_for(path, bib, bib_nodes, settings))
        reports.append(report)
        if on_file is not None:
            on_file(report)
    return IngestReport(tuple(reports), catalog)


def _ingest_path(store: GraphStore, path: Path, *, settings: Settings,
                 kind: DocumentKind | None, replace: bool,
                 bib: Sequence[Node]) -> FileReport:
    try:
        data = read_bytes(path, settings.max_input_bytes)
    except CitegraphError as exc:
        return FileReport(str(path), "unknown", "", "failed", error=str(exc))
    except OSError as exc:
        return FileReport(str(path), "unknown", "", "failed", error=f"{path}: {exc.strerror}")
    return _ingest_one(store, str(path), data, settings=settings, kind=kind, replace=replace,
                       bib=bib, path=path)


def _bib_for(path: Path, explicit: str | os.PathLike[str] | None,
             cache: dict[Path, tuple[Node, ...]], settings: Settings) -> tuple[Node, ...]:
    if formats.kind_of_suffix(path.suffix) is not DocumentKind.PAPER:
        return ()
    candidate = Path(explicit) if explicit is not None else path.with_suffix(".bib")
    if not candidate.is_file():
        return ()
    if candidate not in cache:
        from ingest.bibtex import parse_bibtex_bytes

        try:
            parsed = parse_bibtex_bytes(read_bytes(candidate, settings.max_input_bytes),
                                        file=str(candidate))
        except CitegraphError:
            # The .bib is ingested (and its error reported) as a file of its own.
            parsed = None
        cache[candidate] = () if parsed is None else tuple(
            n for n in parsed.batch.nodes if n.type is NodeType.WORK)
    return cache[candidate]
