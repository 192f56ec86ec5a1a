"""A first load of a large corpus into an *empty, stopped* Neo4j with the offline importer.

``neo4j-admin database import full`` builds the store files directly from CSV, far faster
than transactions. It ships in the Maven Central artifact ``org.neo4j:neo4j-import-tool``
(command ``org.neo4j.importer.ImportCommand``), run by ``org.neo4j.cli.AdminTool`` from
``org.neo4j:neo4j-command-line``; both come with ``org.neo4j:neo4j`` (``neo4j/pom.xml``),
so ``java -cp '.cache/neo4j/lib/*' org.neo4j.cli.AdminTool database import full ...``
runs it (:func:`import_command`).

:func:`write_import_csv` writes the files. The batches are first merged exactly as a store
merges them (an in-memory :class:`EmbeddedStore` does it: stubs, later values win, one edge
per identity), so the import holds the same graph as writing the batches through the
driver. CSV columns are typed per file, so nodes and relationships are grouped by their
property signature (names and types); values CSV cannot carry exactly (an empty or mixed
list, a string holding the array delimiter) go into :attr:`ImportFiles.leftover`, a batch
to write through the store once the server runs. Constraints, indexes and the version node
are created by the store on first use, as for any database.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from citegraph.errors import StoreError
from citegraph.model import GraphBatch, Node, NodeType, PropValue, Relationship
from citegraph.stores.base import SEARCHED_KEYS
from citegraph.stores.cypher import SEARCH_TEXT_PROPERTY

#: Separates array elements in a CSV field (a control character no text should hold).
ARRAY_DELIMITER = "\x1f"
#: The main class running ``neo4j-admin`` commands.
ADMIN_MAIN = "org.neo4j.cli.AdminTool"

Signature = tuple[tuple[str, str], ...]


@dataclass
class ImportFiles:
    """The CSV files written, by label or type, and what must go through the driver."""

    nodes: list[tuple[str, Path]] = field(default_factory=list)
    relationships: list[tuple[str, Path]] = field(default_factory=list)
    node_count: int = 0
    relationship_count: int = 0
    leftover: GraphBatch = field(default_factory=lambda: GraphBatch.of("import", [], []))


def csv_type(value: PropValue) -> str | None:
    """The importer's column type for a value, or None when CSV cannot carry it exactly.

    >>> csv_type("x"), csv_type(3), csv_type(True), csv_type([1.5]), csv_type([])
    ('string', 'long', 'boolean', 'double[]', None)
    """
    if isinstance(value, list):
        kinds = {csv_type(v) for v in value}
        if len(kinds) != 1 or None in kinds:
            return None
        return f"{kinds.pop()}[]"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double" if value == value and abs(value) != float("inf") else None
    if isinstance(value, str):
        return None if ARRAY_DELIMITER in value else "string"
    return None


def csv_value(value: PropValue) -> str:
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(csv_value(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _cypher_text(value: PropValue) -> str:
    """``toString`` as Cypher renders it (booleans lower-case)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def search_text(node: Node) -> str:
    """The stored search text, as :func:`cypher.search_text_expression` computes it.

    >>> search_text(Node("article:x#art_3", NodeType.ARTICLE, "Art 3", {"number": "3"}))
    'Art 3\\nArticle 3\\nArt. 3\\n3'
    """
    parts = [node.label]
    for key in SEARCHED_KEYS:
        value = node.props.get(key)
        if isinstance(value, list):
            parts.extend("\n" + _cypher_text(v) for v in value)
        elif value is not None:
            parts.append("\n" + _cypher_text(value))
    number = node.props.get("number")
    if node.type is NodeType.ARTICLE and isinstance(number, str) and number:
        parts.append(f"\nArticle {number}\nArt. {number}\n{number}")
    return "".join(parts)


def _stored(props: Mapping[str, PropValue | None]) -> dict[str, PropValue]:
    """The properties Neo4j keeps (it stores no nulls)."""
    return {k: v for k, v in props.items() if v is not None}


def _signature(props: dict[str, PropValue]) -> Signature | None:
    sig = []
    for key, value in sorted(props.items()):
        kind = csv_type(value)
        if kind is None:
            return None
        sig.append((key, kind))
    return tuple(sig)


def _write_group(path: Path, head: Sequence[str], sig: Signature,
                 rows: Iterable[tuple[Sequence[str], dict[str, PropValue]]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, quoting=csv.QUOTE_ALL)
        out.writerow([*head, *(f"{k}:{t}" for k, t in sig)])
        for fixed, props in rows:
            out.writerow([*fixed, *(csv_value(props[k]) for k, _ in sig)])


def write_import_csv(batches: Iterable[GraphBatch], folder: Path) -> ImportFiles:
    """Merge ``batches`` as a store would and write the importer's CSV files to ``folder``."""
    from citegraph.stores.embedded import EmbeddedStore

    merged = EmbeddedStore(None)
    merged.write_many(batches)
    folder.mkdir(parents=True, exist_ok=True)
    files = ImportFiles()
    left_nodes, skipped = _write_nodes(merged.iter_nodes(), folder, files)
    left_rels = _write_relationships(merged.iter_relationships(), skipped, folder, files)
    files.leftover = GraphBatch.of("import", left_nodes, left_rels)
    return files


def _write_nodes(nodes: Iterable[Node], folder: Path,
                 files: ImportFiles) -> tuple[list[Node], set[str]]:
    groups: dict[tuple[NodeType, Signature], list[Node]] = defaultdict(list)
    left: list[Node] = []
    for node in nodes:
        sig = _signature(_stored(node.props))
        if sig is None or csv_type(node.label) is None:
            left.append(node)
        else:
            groups[(node.type, sig)].append(node)
    head = ("id:ID", "label", SEARCH_TEXT_PROPERTY)
    for i, ((node_type, sig), members) in enumerate(sorted(groups.items())):
        path = folder / f"nodes-{node_type.value}-{i}.csv"
        _write_group(path, head, sig, (((n.id, n.label, search_text(n)), _stored(n.props))
                                       for n in members))
        files.nodes.append((node_type.value, path))
        files.node_count += len(members)
    return left, {n.id for n in left}


def _write_relationships(rels: Iterable[Relationship], skipped: set[str], folder: Path,
                         files: ImportFiles) -> list[Relationship]:
    groups: dict[tuple[str, Signature], list[tuple[Relationship, dict[str, PropValue]]]] = (
        defaultdict(list))
    left: list[Relationship] = []
    for rel in rels:
        props = rel.to_dict()
        for key in ("source", "target", "type"):
            del props[key]
        props = _stored(props)
        sig = _signature(props)
        if sig is None or rel.source in skipped or rel.target in skipped:
            left.append(rel)
        else:
            groups[(rel.type.value, sig)].append((rel, props))
    for i, ((rtype, sig), members) in enumerate(sorted(groups.items())):
        path = folder / f"rels-{rtype}-{i}.csv"
        _write_group(path, (":START_ID", ":END_ID"), sig,
                     (((r.source, r.target), props) for r, props in members))
        files.relationships.append((rtype, path))
        files.relationship_count += len(members)
    return left


def import_command(java: str, classpath: str, files: ImportFiles,
                   database: str = "neo4j") -> list[str]:
    """The ``neo4j-admin database import full`` command line (run it with ``NEO4J_HOME``
    set to the server's home directory, the server stopped).

    The database name comes right after ``full``: at the end, picocli reads it as one more
    file of the last ``--relationships`` option (arity 1..*), resolved against the working
    directory, and the import fails with "Error importing csv file" (from the repository
    root, whose ``neo4j/`` folder made it "Is a directory").
    """
    args = [java, "-Xmx2g", "-cp", classpath, ADMIN_MAIN, "database", "import", "full",
            database, "--verbose",
            "--overwrite-destination=true", f"--array-delimiter={ARRAY_DELIMITER}",
            "--multiline-fields=true", "--skip-bad-relationships=false",
            "--skip-duplicate-nodes=false"]
    args += [f"--nodes={label}={path}" for label, path in files.nodes]
    args += [f"--relationships={rtype}={path}" for rtype, path in files.relationships]
    return args


def run_import(files: ImportFiles, home: Path, classpath: str, *, java: str | None = None,
               database: str = "neo4j", timeout_s: float = 3600.0) -> str:
    """Run the importer into ``home`` (a stopped server's home directory); return its
    output. Raises ``StoreError`` with the importer's last lines when it fails."""
    java = java or os.environ.get("NEO4J_JAVA") or shutil.which("java") or "java"
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "NEO4J_HOME": str(home)}
    done = subprocess.run(import_command(java, classpath, files, database), env=env,
                          capture_output=True, text=True, timeout=timeout_s, check=False)
    output = done.stdout + done.stderr
    if done.returncode != 0 or "IMPORT DONE" not in output:
        tail = "\n".join(output.strip().splitlines()[-8:])
        raise StoreError(f"neo4j-admin database import failed ({done.returncode}): {tail}")
    return output
