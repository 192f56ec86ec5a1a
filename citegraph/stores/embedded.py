"""The embedded default store: a networkx multigraph persisted to one JSON file.

The file is replaced atomically (write a temporary file, fsync, rename), so a crash during a
save leaves the previous store intact. Writers take an exclusive ``flock`` on ``PATH.lock``
and reload the file first when another process changed it, so concurrent ingests merge
instead of overwriting each other. Readers notice a changed file and reload it.
"""

from __future__ import annotations

import bisect
import contextlib
import fcntl
import gc
import itertools
import os
import uuid
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path as FsPath
from typing import TypeVar

import networkx as nx
import orjson

from citegraph.errors import (
    CitegraphError,
    CorruptStoreError,
    ModelError,
    NodeNotFoundError,
    StoreError,
)
from citegraph.model import (
    Counts,
    GraphBatch,
    Node,
    NodeType,
    Path,
    PropValue,
    Relationship,
    RelType,
    Subgraph,
)
from citegraph.pathsearch import all_shortest_paths
from citegraph.stores.base import (
    MAX_DEPTH,
    MAX_PATH_LENGTH,
    MAX_PATHS,
    MAX_RESULT_NODES,
    Direction,
    GraphStore,
    SearchHit,
    WriteResult,
    matches_filters,
    search_weight,
    searchable_text,
)
from citegraph.stores.policy import Capabilities, LockedPolicy, ReadWriteLock, check_deadline
from citegraph.textindex import TextIndex

FORMAT = "citegraph-store"
#: Key in the live graph's ``graph`` dict: a number that changes with every change, for
#: caches of things derived from the projection (networkx's edge count is O(n)).
GRAPH_VERSION = "citegraph_version"
VERSION = 1

_Stamp = tuple[int, int, int]
T = TypeVar("T")


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects at once: the
    model's values hold no reference cycles, and a collection pass per few hundred
    allocations would otherwise dominate bulk loads."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class EmbeddedStore(GraphStore):
    """In-memory graph, optionally backed by a file (``path``)."""

    name = "embedded"
    capabilities = Capabilities(inline_reads=True, live_projection=True, stable_values=True)

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = FsPath(path) if path is not None else None
        self._graph: nx.MultiDiGraph = nx.MultiDiGraph()
        self._stamp: _Stamp | None = None
        # Derived data, each tagged with the version it was computed at (see _cached).
        self._index: tuple[int, TextIndex] | None = None
        self._sorted_ids: tuple[int, list[str]] | None = None
        self._counts: tuple[int, Counts] | None = None
        self._lock_fd: int | None = None
        self._version = 0
        self._epoch = uuid.uuid4().hex[:12]  # versions of two store objects never collide
        #: Readers in this process share it; writes (which change the graph in place)
        #: take it alone. The API's policy holds it around each read.
        self.rwlock = ReadWriteLock()
        if self.path is not None and self.path.exists():
            self._load()
        if self.path is not None and self.path.parent.is_dir():
            with self._locked(wait=False) as held:
                if held:
                    self._remove_orphans()

    # -- persistence ---------------------------------------------------------------------
    def _file_stamp(self) -> _Stamp | None:
        assert self.path is not None
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _load(self) -> None:
        assert self.path is not None
        stamp = self._file_stamp()
        try:
            data = orjson.loads(self.path.read_bytes())
        except (OSError, orjson.JSONDecodeError) as exc:
            raise CorruptStoreError(f"cannot read store: {exc}", file=str(self.path)) from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise CorruptStoreError("not a citegraph store file", file=str(self.path))
        graph: nx.MultiDiGraph = nx.MultiDiGraph()
        try:
            with _gc_paused():
                for row in data["nodes"]:
                    node = Node.from_dict(row)
                    graph.add_node(node.id, n=node)
                for row in data["relationships"]:
                    rel = Relationship.from_dict(row)
                    graph.add_edge(rel.source, rel.target, key=rel.graph_key, r=rel)
        except (KeyError, TypeError, ValueError, ModelError) as exc:
            raise CorruptStoreError(f"invalid store content: {exc}",
                                    file=str(self.path)) from exc
        self._graph = graph
        self._stamp = stamp
        self._invalidate()
        # The loaded graph lives as long as the store: keep the cyclic GC from rescanning it.
        gc.freeze()

    def snapshot_bytes(self) -> bytes:
        """The persisted form of the whole graph."""
        return orjson.dumps({
            "format": FORMAT,
            "version": VERSION,
            "nodes": [n.to_dict() for n in self.iter_nodes()],
            "relationships": [r.to_dict() for r in self.iter_relationships()],
        })

    def save(self) -> None:
        """Write the store file atomically: temporary file, fsync, rename, fsync directory."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            with open(tmp, "wb") as fh:
                fh.write(self.snapshot_bytes())
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except OSError as exc:
            raise StoreError(f"cannot save store: {exc}", file=str(self.path)) from exc
        finally:  # also on MemoryError while encoding: never leave the temporary file
            if tmp.is_file():
                with contextlib.suppress(OSError):
                    tmp.unlink()
        dir_fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        self._stamp = self._file_stamp()

    def refresh(self) -> None:
        """Reload when another process replaced the file since we last read or wrote it."""
        if self.path is not None and self._file_stamp() not in (None, self._stamp):
            self._load()

    def make_policy(self) -> LockedPolicy:
        return LockedPolicy(self.capabilities, self.rwlock)

    @contextlib.contextmanager
    def _locked(self, *, wait: bool = True) -> Iterator[bool]:
        """The store file's write lock (one writing process at a time); without ``wait``
        it yields False instead of waiting for another holder."""
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(f"{self.path}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _remove_orphans(self) -> None:
        """Temporary files of killed saves (only a lock holder saves, so under the lock
        every one is an orphan)."""
        assert self.path is not None
        for tmp in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            if tmp.is_file():
                with contextlib.suppress(OSError):
                    tmp.unlink()

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """Hold this process's readers back, and other processes' writers (``flock``)."""
        self.rwlock.acquire_write()
        try:
            with self._file_locked():
                yield
        finally:
            self.rwlock.release_write()

    @contextlib.contextmanager
    def _file_locked(self) -> Iterator[None]:
        if self.path is None:
            yield
            return
        with self._locked():
            self.refresh()
            self._remove_orphans()
            before = self._version
            try:
                yield
                self.save()
            except BaseException:
                # The live graph must not serve what the file does not hold.
                if self._version != before:
                    self._roll_back()
                raise

    def _roll_back(self) -> None:
        assert self.path is not None
        if self.path.exists():
            self._load()
        else:
            self._graph = nx.MultiDiGraph()
            self._invalidate()

    # -- writing -------------------------------------------------------------------------
    def _invalidate(self) -> None:
        self._index = None
        self._sorted_ids = None
        self._counts = None
        self._version += 1
        self._graph.graph[GRAPH_VERSION] = self._version

    def version(self) -> str:
        """Changes whenever the graph does, here or by a reload of another process's write."""
        self.refresh()
        return f"{self._epoch}:{self._version}"

    def write(self, batch: GraphBatch, *, replace: bool = False) -> WriteResult:
        with self._writing():
            doomed_rels, doomed_nodes = (self._document_members(batch.document) if replace
                                         else ([], []))
            self._validate(batch, set(doomed_nodes))
            deleted = self._delete(doomed_rels, doomed_nodes)
            self._apply(batch)
        return WriteResult(len(batch.nodes), len(batch.relationships),
                           deleted.deleted_relationships, deleted.deleted_nodes)

    def write_many(self, batches: Iterable[GraphBatch]) -> WriteResult:
        """Write batches under one lock and one save; each batch is still all-or-nothing
        (a failing batch raises after the earlier ones are saved)."""
        nodes = rels = 0
        with self._writing():
            try:
                for batch in batches:
                    self._validate(batch, set())
                    self._apply(batch)
                    nodes += len(batch.nodes)
                    rels += len(batch.relationships)
            except CitegraphError:
                self.save()
                raise
        return WriteResult(nodes, rels)

    def _validate(self, batch: GraphBatch, doomed: set[str]) -> None:
        incoming: dict[str, NodeType] = {}
        for node in batch.nodes:
            known = incoming.get(node.id) or self._type_of(node.id)
            if known is not None and known != node.type and node.id not in doomed:
                raise ModelError(f"node {node.id!r} is a {known}, not a {node.type}",
                                 place=batch.document)
            incoming[node.id] = node.type
        for rel in batch.relationships:
            for end in (rel.source, rel.target):
                if end not in incoming and (end in doomed or end not in self._graph):
                    raise ModelError(f"relationship {rel.type} refers to unknown node {end!r}",
                                     place=batch.document)

    def _type_of(self, node_id: str) -> NodeType | None:
        data = self._graph.nodes.get(node_id)
        return data["n"].type if data else None

    def _apply(self, batch: GraphBatch) -> None:
        with _gc_paused():
            self._apply_unpaused(batch)
            # What the store now holds lives as long as the store and has no reference
            # cycles: move it out of the collector's sight, so later collections do not
            # rescan an ever-growing graph (gc.freeze is O(1)).
            gc.freeze()

    def _apply_unpaused(self, batch: GraphBatch) -> None:
        graph = self._graph
        index = self._cached(self._index)
        self._index = None  # until the batch is applied
        for node in batch.nodes:
            data = graph.nodes.get(node.id)
            if data is not None:
                if node.is_stub:
                    continue
                old: Node = data["n"]
                kept = {k: v for k, v in old.props.items() if k != "stub"}
                node = Node(node.id, node.type, node.label or old.label,
                            {**kept, **node.props})
                data["n"] = node
            else:
                graph.add_node(node.id, n=node)
            if index is not None:
                index.add(node.id, searchable_text(node), search_weight(node))
        for rel in batch.relationships:
            graph.add_edge(rel.source, rel.target, key=rel.graph_key, r=rel)
        self._sorted_ids = None
        self._counts = None
        self._version += 1
        self._graph.graph[GRAPH_VERSION] = self._version
        # The index was kept up to date: it belongs to the new version.
        self._index = (self._version, index) if index is not None else None

    def _document_members(self, document: str) -> tuple[list[Relationship], list[str]]:
        rels = [r for r in self.iter_relationships() if r.provenance.document == document]
        nodes = [n.id for n in self.iter_nodes() if n.props.get("document") == document]
        return rels, nodes

    def _delete(self, rels: list[Relationship], nodes: list[str]) -> WriteResult:
        removed_rels = 0
        for rel in rels:
            if self._graph.has_edge(rel.source, rel.target, rel.graph_key):
                self._graph.remove_edge(rel.source, rel.target, rel.graph_key)
                removed_rels += 1
        for node_id in nodes:
            removed_rels += self._graph.degree(node_id)
            self._graph.remove_node(node_id)
        if rels or nodes:
            self._invalidate()
        return WriteResult(0, 0, removed_rels, len(nodes))

    def delete_document(self, document: str) -> WriteResult:
        with self._writing():
            return self._delete(*self._document_members(document))

    def clear(self) -> None:
        with self._writing():
            self._graph = nx.MultiDiGraph()
            self._invalidate()

    # -- reading -------------------------------------------------------------------------
    def find_node(self, node_id: str) -> Node | None:
        self.refresh()
        data = self._graph.nodes.get(node_id)
        return data["n"] if data else None

    def _require(self, node_id: str) -> None:
        if node_id not in self._graph:
            raise NodeNotFoundError(f"no node with id {node_id!r}")

    def _edges(self, node_id: str, direction: Direction,
               rel_types: Collection[RelType] | None) -> Iterator[tuple[str, Relationship]]:
        """(neighbour id, relationship) pairs around a node."""
        adjacencies = []
        if direction in (Direction.OUT, Direction.BOTH):
            adjacencies.append(self._graph._succ[node_id])
        if direction in (Direction.IN, Direction.BOTH):
            adjacencies.append(self._graph._pred[node_id])
        for adjacency in adjacencies:
            for other, keyed in adjacency.items():
                for data in keyed.values():
                    rel: Relationship = data["r"]
                    if rel_types is None or rel.type in rel_types:
                        yield other, rel

    def relationships(self, node_id: str, *, direction: Direction = Direction.BOTH,
                      rel_types: Collection[RelType] | None = None,
                      limit: int = MAX_RESULT_NODES) -> list[Relationship]:
        self.refresh()
        self._require(node_id)
        rels = {r.identity: r for _, r in self._edges(node_id, direction, rel_types)}
        return [rels[k] for k in sorted(rels)][:limit]

    def find_relationship(self, source: str, rel_type: RelType, target: str,
                          key: str | None = None) -> list[Relationship]:
        self.refresh()
        keyed = self._graph._succ.get(source, {}).get(target, {})
        rels = [d["r"] for d in keyed.values() if d["r"].type == rel_type
                and (key is None or d["r"].key == key)]
        return sorted(rels, key=lambda r: r.identity)

    def neighbours(self, node_id: str, *, depth: int = 1,
                   direction: Direction = Direction.BOTH,
                   node_types: Collection[NodeType] | None = None,
                   rel_types: Collection[RelType] | None = None,
                   limit: int = 500) -> Subgraph:
        self.refresh()
        self._require(node_id)
        depth = max(0, min(depth, MAX_DEPTH))
        limit = max(1, min(limit, MAX_RESULT_NODES))
        seen: dict[str, None] = {node_id: None}
        rels: dict[tuple[str, str, str, str], Relationship] = {}
        frontier = [node_id]
        truncated = False
        for _ in range(depth):
            nxt: list[str] = []
            for current in frontier:
                for other, rel in self._edges(current, direction, rel_types):
                    if other not in seen:
                        if len(seen) >= limit:
                            # Full: stop walking (a hub would otherwise be read to its end).
                            truncated = True
                            break
                        seen[other] = None
                        nxt.append(other)
                    rels[rel.identity] = rel
                if truncated:
                    break
            if truncated:
                break
            frontier = nxt
        keep = {n for n in seen if n == node_id or node_types is None
                or self._graph.nodes[n]["n"].type in node_types}
        nodes = tuple(self._graph.nodes[n]["n"] for n in sorted(keep))
        kept = tuple(rels[k] for k in sorted(rels)
                     if rels[k].source in keep and rels[k].target in keep)
        return Subgraph(nodes, kept, truncated)

    def shortest_paths(self, source: str, target: str, *,
                       rel_types: Collection[RelType] | None = None, directed: bool = False,
                       max_length: int = 6, limit: int = 10) -> list[Path]:
        self.refresh()
        self._require(source)
        self._require(target)
        max_length = max(0, min(max_length, MAX_PATH_LENGTH))
        limit = max(1, min(limit, MAX_PATHS))
        direction = Direction.OUT if directed else Direction.BOTH
        backward = Direction.IN if directed else Direction.BOTH

        def step(node: str, forward: bool) -> Iterator[str]:
            return (other for other, _ in
                    self._edges(node, direction if forward else backward, rel_types))

        succ, pred = self._graph._succ, self._graph._pred

        def degree(node: str, forward: bool) -> int:
            if not directed:
                return len(succ[node]) + len(pred[node])
            return len(succ[node]) if forward else len(pred[node])

        paths: list[Path] = []
        for chain in all_shortest_paths(source, target, step, max_length=max_length,
                                        limit=limit, degree=degree):
            nodes = tuple(self._graph.nodes[n]["n"] for n in chain)
            steps = tuple(self._step(a, b, direction, rel_types)
                          for a, b in itertools.pairwise(chain))
            paths.append(Path(nodes, steps))
        return paths

    def _step(self, a: str, b: str, direction: Direction,
              rel_types: Collection[RelType] | None) -> Relationship:
        adjacencies = []
        if direction in (Direction.OUT, Direction.BOTH):
            adjacencies.append(self._graph._succ[a].get(b, {}))
        if direction in (Direction.IN, Direction.BOTH):
            adjacencies.append(self._graph._pred[a].get(b, {}))
        options: list[Relationship] = [d["r"] for keyed in adjacencies for d in keyed.values()
                                       if rel_types is None or d["r"].type in rel_types]
        return min(options, key=lambda r: r.identity)

    def _cached(self, entry: tuple[int, T] | None) -> T | None:
        """A derived value if it was computed at the current version.

        Values are tagged with the version read *before* computing them, so a reader
        stopped mid-way (see :mod:`citegraph.stores.policy`) that stores a value after a
        write changed the graph only leaves an entry that is never served.
        """
        if entry is None or entry[0] != self._version:
            return None
        return entry[1]

    def _text_index(self) -> TextIndex:
        index = self._cached(self._index)
        if index is None:
            version = self._version
            index = TextIndex()
            for i, node in enumerate(self.iter_nodes()):
                if not i % 4096:
                    check_deadline()
                index.add(node.id, searchable_text(node), search_weight(node))
            self._index = (version, index)
        return index

    def search(self, text: str, *, node_types: Collection[NodeType] | None = None,
               limit: int = 20) -> list[SearchHit]:
        self.refresh()
        limit = max(1, min(limit, MAX_RESULT_NODES))
        hits = []
        for node_id, score in self._text_index().search(text, limit=len(self._graph)):
            node: Node = self._graph.nodes[node_id]["n"]
            if node_types is None or node.type in node_types:
                hits.append(SearchHit(node, score))
                if len(hits) >= limit:
                    break
        return hits

    def subgraph(self, node_ids: Collection[str]) -> Subgraph:
        self.refresh()
        keep = {n for n in node_ids if n in self._graph}
        nodes = tuple(self._graph.nodes[n]["n"] for n in sorted(keep))
        rels = sorted((d for _, _, d in self._graph.subgraph(keep).edges(data="r")),
                      key=lambda r: r.identity)
        return Subgraph(nodes, tuple(rels))

    def list_nodes(self, *, node_type: NodeType | None = None,
                   filters: Mapping[str, PropValue] | None = None, after: str | None = None,
                   limit: int = 100) -> list[Node]:
        self.refresh()
        ids = self._cached(self._sorted_ids)
        if ids is None:
            version = self._version
            ids = sorted(self._graph.nodes)
            self._sorted_ids = (version, ids)
        start = bisect.bisect_right(ids, after) if after is not None else 0
        out: list[Node] = []
        for node_id in ids[start:]:
            node: Node = self._graph.nodes[node_id]["n"]
            if (node_type is None or node.type == node_type) and matches_filters(node, filters):
                out.append(node)
                if len(out) >= limit:
                    break
        return out

    def counts(self) -> Counts:
        self.refresh()
        counts = self._cached(self._counts)
        if counts is None:
            version = self._version
            nodes = Counter(d.type.value for _, d in self._graph.nodes(data="n"))
            rels = Counter(d.type.value for _, _, d in self._graph.edges(data="r"))
            counts = Counts(dict(sorted(nodes.items())), dict(sorted(rels.items())))
            self._counts = (version, counts)
        return counts

    def iter_nodes(self) -> Iterator[Node]:
        for _, node in self._graph.nodes(data="n"):
            yield node

    def iter_relationships(self) -> Iterator[Relationship]:
        for _, _, rel in self._graph.edges(data="r"):
            yield rel

    def projection(self) -> nx.MultiDiGraph:
        """The live networkx graph (read it, do not change it)."""
        self.refresh()
        return self._graph
