"""The Neo4j store: the :class:`GraphStore` contract over Bolt.

The library receives a driver (:class:`Neo4jStore`) or builds one from settings
(:meth:`Neo4jStore.from_settings`, ``bolt://`` and routing ``neo4j://`` URIs alike). Every
query text comes from :mod:`citegraph.stores.cypher`.

- Writes: one managed write transaction per :class:`GraphBatch` (the unit of atomicity),
  batched ``UNWIND $rows ... MERGE`` per label and per (label, type, label) triple.
  Endpoints and node types are looked up first, inside the same transaction, so that a
  type conflict or a dangling endpoint raises ``ModelError`` and rolls back the batch.
- Reads: managed read transactions (READ access mode) with a transaction timeout and
  result caps; they retry for half a second at most, so an outage is reported promptly.
- Driver errors become typed errors: :class:`StoreUnavailableError` when the server cannot
  be reached, :class:`QueryTimeoutError` when a query ran past its timeout,
  :class:`StoreError` otherwise.

Search runs on a Lucene full-text index, then keeps exactly the hits the embedded store's
text index would return (every query word present), so both stores find the same nodes;
ranking is Lucene's score plus the same bonus for an exact name match.
"""

from __future__ import annotations

import contextlib
import itertools
import weakref
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import neo4j
from neo4j import exceptions as neo4j_errors

from citegraph import settings as settings_module
from citegraph.cypherplan import check_plan
from citegraph.errors import (
    ConfigError,
    ModelError,
    NodeNotFoundError,
    QueryError,
    QueryTimeoutError,
    StoreError,
    StoreUnavailableError,
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
from citegraph.stores import cypher
from citegraph.stores.base import (
    MAX_DEPTH,
    MAX_PATH_LENGTH,
    MAX_PATHS,
    MAX_RESULT_NODES,
    Direction,
    GraphStore,
    SearchHit,
    WriteResult,
    search_weight,
    searchable_text,
)
from citegraph.stores.policy import Capabilities, check_deadline, remaining_time
from citegraph.textindex import fold, score_texts, tokens

T = TypeVar("T")

#: Rows per ``UNWIND`` statement when writing.
CHUNK_ROWS = 10_000
#: Rows per page when iterating over the whole graph.
PAGE_ROWS = 5_000
#: Most shortest-path rows read before choosing paths.
MAX_PATH_ROWS = 2_000
#: URI schemes of direct (``bolt``) and routing (``neo4j``) connections, plain or TLS.
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
#: Connection timeout and managed-transaction retry budget of drivers the store creates.
#: The timeout is also the read deadline of a connectivity check: a frozen (SIGSTOP) server
#: is reported after it (5 s made /health take 5.0 s; a loaded 2-core machine needed > 1.5 s).
CONNECT_TIMEOUT_S = 2.5
RETRY_TIME_S = 5.0
#: Retry budget and first delay of read transactions (seconds), whatever the driver's.
READ_RETRY_S = 0.5
READ_RETRY_DELAY_S = 0.2
#: Databases whose schema was created, per driver (so each new store skips the round trips).
_SCHEMA_DONE: weakref.WeakKeyDictionary[neo4j.Driver, set[str | None]] = \
    weakref.WeakKeyDictionary()


def _chunks(rows: Sequence[T], size: int = CHUNK_ROWS) -> Iterator[Sequence[T]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


#: Rows fetched per node of room left in a neighbourhood (see :meth:`Neo4jStore.neighbours`).
EXPAND_ROWS_PER_NODE = 20


def node_from_record(node_type: str, props: Mapping[str, Any]) -> Node:
    """A :class:`Node` from a label and the stored properties."""
    data = {k: v for k, v in props.items() if k != cypher.SEARCH_TEXT_PROPERTY}
    return Node.from_dict({**data, "type": node_type})


def rel_from_record(source: str, rtype: str, target: str,
                    props: Mapping[str, Any]) -> Relationship:
    """A :class:`Relationship` from its endpoints, type and stored properties."""
    return Relationship.from_dict({**props, "source": source, "target": target, "type": rtype})


def node_row(node: Node) -> dict[str, Any]:
    """``{id, label, props, stub}``: one row of :func:`cypher.merge_nodes_query`."""
    return {"id": node.id, "label": node.label, "props": dict(node.props), "stub": node.is_stub}


def rel_row(rel: Relationship) -> dict[str, Any]:
    """``{key, props}``: the stored properties (endpoints and type are not properties)."""
    props = rel.to_dict()
    for key in ("source", "target", "type"):
        del props[key]
    return {"key": rel.key, "props": props}


def _is_timeout(exc: neo4j_errors.Neo4jError) -> bool:
    code = exc.code or ""
    return "TransactionTimedOut" in code or ("Transaction.Terminated" in code and \
        "timeout" in (exc.message or "").lower())


def _is_constraint_race(exc: BaseException | None) -> bool:
    """A uniqueness constraint refused a CREATE: another writer made the node first."""
    return isinstance(exc, neo4j_errors.ClientError) and \
        exc.code == "Neo.ClientError.Schema.ConstraintValidationFailed"


def _is_refused_query(exc: neo4j_errors.Neo4jError) -> bool:
    """The query's own fault: a bad statement or procedure call, or past the memory cap."""
    code = exc.code or ""
    return "OutOfMemory" in code or (isinstance(exc, neo4j_errors.ClientError) and (
        ".Statement." in code or ".Procedure." in code))


class Neo4jStore(GraphStore):
    """A :class:`GraphStore` on a Neo4j database reached through ``driver``.

    Parameters
    ----------
    driver
        An open driver; the store does not close it (unless it made it, see
        :meth:`from_settings`).
    database
        The database name, or None for the server's default.
    timeout_s
        Transaction timeout of reads, in seconds.
    """

    name = "neo4j"
    capabilities = Capabilities(read_cypher=True, server_timeouts=True)

    def __init__(self, driver: neo4j.Driver, database: str | None = None, *,
                 timeout_s: float = 5.0) -> None:
        self.driver = driver
        self.database = database
        self.timeout_s = timeout_s
        self._owns_driver = False
        self._schema_ready = False

    @classmethod
    def from_settings(cls, settings: settings_module.Settings | None = None) -> Neo4jStore:
        """A store with its own driver, from ``NEO4J_URI``, ``NEO4J_USER``,
        ``NEO4J_PASSWORD`` and ``NEO4J_DATABASE``."""
        settings = settings or settings_module.get_settings()
        if not settings.neo4j_uri:
            raise ConfigError("NEO4J_URI is not set", place="NEO4J_URI")
        scheme = settings.neo4j_uri.split("://", 1)[0].lower()
        if scheme not in BOLT_SCHEMES:
            raise ConfigError(f"NEO4J_URI must be a Bolt URI ({', '.join(BOLT_SCHEMES)}), "
                              f"not {scheme}://", place="NEO4J_URI")
        password = settings.neo4j_password.get_secret_value()
        auth = (settings.neo4j_user, password) if password else None
        try:
            driver = neo4j.GraphDatabase.driver(
                settings.neo4j_uri, auth=auth,
                notifications_min_severity=neo4j.NotificationMinimumSeverity.OFF,
                # Fail fast when the server is down (the API answers 503) instead of
                # retrying for the driver's default 30 s.
                connection_timeout=CONNECT_TIMEOUT_S,
                connection_acquisition_timeout=CONNECT_TIMEOUT_S,
                max_transaction_retry_time=RETRY_TIME_S)
        except (neo4j_errors.ConfigurationError, ValueError) as exc:
            raise ConfigError(f"bad Neo4j settings: {exc}", place="NEO4J_URI") from exc
        store = cls(driver, settings.neo4j_database, timeout_s=settings.query_timeout_s)
        store._owns_driver = True
        return store

    # -- plumbing ------------------------------------------------------------------------
    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        """Translate driver errors into citegraph's typed errors."""
        try:
            yield
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired,
                neo4j_errors.DatabaseUnavailable,
                neo4j_errors.ConnectionAcquisitionTimeoutError) as exc:
            raise StoreUnavailableError(f"Neo4j is unavailable: {exc}") from exc
        except neo4j_errors.Neo4jError as exc:
            if _is_timeout(exc):
                raise QueryTimeoutError(f"query ran past its time limit: {exc.message}") \
                    from exc
            if isinstance(exc, neo4j_errors.ClientError) and (
                    "AccessMode" in (exc.code or "") or isinstance(exc, neo4j_errors.Forbidden)):
                raise QueryError(f"query refused: {exc.message}") from exc
            if isinstance(exc, neo4j_errors.CypherSyntaxError | neo4j_errors.CypherTypeError):
                raise QueryError(f"invalid query: {exc.message}") from exc
            if _is_refused_query(exc):
                raise QueryError(f"query refused: {exc.message}") from exc
            raise StoreError(f"Neo4j error {exc.code}: {exc.message}") from exc
        except neo4j_errors.DriverError as exc:
            raise StoreError(f"Neo4j driver error: {exc}") from exc

    def _session(self, access_mode: str) -> neo4j.Session:
        if access_mode == neo4j.READ_ACCESS:
            # A read retries briefly (a cluster member going away), then fails, so that an
            # outage becomes a prompt 503 rather than a request hanging for the driver's
            # whole retry budget (30 s by default). Writes keep the driver's budget.
            return self.driver.session(database=self.database, default_access_mode=access_mode,
                                       max_transaction_retry_time=READ_RETRY_S,
                                       initial_retry_delay=READ_RETRY_DELAY_S)
        return self.driver.session(database=self.database, default_access_mode=access_mode)

    def _read(self, work: Callable[[neo4j.ManagedTransaction], T],
              timeout_s: float | None = None) -> T:
        """Run ``work`` in a READ transaction, stopped by the server at the time limit
        (the store's, or what is left of the running call's, whichever comes first)."""
        check_deadline()
        self._ensure_schema()
        timed = neo4j.unit_of_work(timeout=remaining_time(timeout_s or self.timeout_s))(work)
        with self._errors(), self._session(neo4j.READ_ACCESS) as session:
            return session.execute_read(timed)

    def _write(self, work: Callable[[neo4j.ManagedTransaction], T]) -> T:
        """Run ``work`` in a WRITE transaction that also bumps the version (same commit)."""
        self._ensure_schema()

        def versioned(tx: neo4j.ManagedTransaction) -> T:
            result = work(tx)
            query, params = cypher.bump_version_query()
            tx.run(query, params).consume()
            return result

        with self._errors(), self._session(neo4j.WRITE_ACCESS) as session:
            return session.execute_write(versioned)

    def version(self) -> str:
        """``epoch:count`` from the version node every write transaction bumps."""
        records = self._run_read(cypher.version_query())
        return str(records[0]["version"])

    def _run_read(self, statement: cypher.Statement) -> list[neo4j.Record]:
        query, params = statement
        return self._read(lambda tx: list(tx.run(query, params)))

    def _ensure_schema(self) -> None:
        if self._schema_ready:
            return
        done = _SCHEMA_DONE.setdefault(self.driver, set())
        if self.database in done:
            self._schema_ready = True
            return
        with self._errors(), self._session(neo4j.WRITE_ACCESS) as session:
            for statement in cypher.schema_statements():
                session.run(statement).consume()
            session.run("CALL db.awaitIndexes(300)").consume()
        done.add(self.database)
        self._schema_ready = True

    # -- writing -------------------------------------------------------------------------
    def write(self, batch: GraphBatch, *, replace: bool = False) -> WriteResult:
        """Write ``batch`` in one transaction.

        Nodes absent at the look-up are CREATEd; if a concurrent writer made one of them
        first, the constraint refuses the commit, nothing is written, and the batch is
        written again with MERGE only.
        """
        try:
            return self._write(lambda tx: self._write_batch(tx, batch, replace))
        except StoreError as exc:
            if not _is_constraint_race(exc.__cause__):
                raise
        return self._write(lambda tx: self._write_batch(tx, batch, replace, create=False))

    def _write_batch(self, tx: neo4j.ManagedTransaction, batch: GraphBatch,
                     replace: bool, *, create: bool = True) -> WriteResult:
        doomed: set[str] = set()
        if replace:
            query, params = cypher.document_nodes_query(batch.document)
            doomed = {rec["id"] for rec in tx.run(query, params)}
        existing = self._validate(tx, batch, doomed)
        deleted = (self._delete_document(tx, batch.document) if replace
                   else WriteResult(0, 0))
        eids = {node_id: eid for node_id, (_, eid) in existing.items()
                if node_id not in doomed}
        fresh = self._fresh_nodes(batch, set(eids)) if create else set()
        eids.update(self._write_nodes(tx, batch.nodes, fresh))
        self._write_relationships(tx, batch, eids, fresh)
        return WriteResult(len(batch.nodes), len(batch.relationships),
                           deleted.deleted_relationships, deleted.deleted_nodes)

    @staticmethod
    def _fresh_nodes(batch: GraphBatch, present: set[str]) -> set[str]:
        """Ids of the batch's nodes absent before the batch and named once in it: they
        are CREATEd, and so is every relationship touching one of them."""
        seen: set[str] = set()
        repeated: set[str] = set()
        for node in batch.nodes:
            (repeated if node.id in seen else seen).add(node.id)
        return seen - repeated - present

    def _validate(self, tx: neo4j.ManagedTransaction, batch: GraphBatch,
                  doomed: set[str]) -> dict[str, tuple[NodeType, str]]:
        """Check types and endpoints as the embedded store does.

        Returns the type and elementId of every existing node the batch names.
        """
        wanted = {n.id for n in batch.nodes}
        for rel in batch.relationships:
            wanted.update((rel.source, rel.target))
        existing = self._lookup(tx, wanted)
        incoming: dict[str, NodeType] = {}
        for node in batch.nodes:
            known = incoming.get(node.id) or existing.get(node.id, (None, ""))[0]
            if known is not None and known != node.type and node.id not in doomed:
                raise ModelError(f"node {node.id!r} is a {known}, not a {node.type}",
                                 place=batch.document)
            incoming[node.id] = node.type
        for rel in batch.relationships:
            for end in (rel.source, rel.target):
                if end not in incoming and (end in doomed or end not in existing):
                    raise ModelError(f"relationship {rel.type} refers to unknown node {end!r}",
                                     place=batch.document)
        return existing

    @staticmethod
    def _lookup(tx: neo4j.ManagedTransaction,
                ids: Collection[str]) -> dict[str, tuple[NodeType, str]]:
        """Type and elementId of the existing nodes among ``ids``.

        Ids following the ``type:`` prefix convention are first sought under that one label
        (one index seek each); the rest, and those not found there, under every label.
        """
        by_hint: dict[NodeType | None, list[str]] = defaultdict(list)
        for node_id in sorted(ids):
            by_hint[cypher.type_hint(node_id)].append(node_id)
        found: dict[str, tuple[NodeType, str]] = {}

        def seek(chunk: Sequence[str], types: Sequence[NodeType]) -> None:
            query, params = cypher.lookup_types_query(chunk, types)
            for rec in tx.run(query, params):
                found[rec["id"]] = (NodeType(rec["type"]), rec["eid"])

        for hint, group in by_hint.items():
            if hint is not None:
                for chunk in _chunks(group):
                    seek(chunk, [hint])
        rest = [i for i in sorted(ids) if i not in found]
        for chunk in _chunks(rest):
            seek(chunk, [t for t in cypher.NODE_LABELS])
        return found

    @staticmethod
    def _write_nodes(tx: neo4j.ManagedTransaction, nodes: Sequence[Node],
                     fresh: set[str]) -> dict[str, str]:
        """Create the fresh nodes and upsert the rest, grouped by label; return each
        node's elementId."""
        groups: dict[tuple[bool, NodeType], list[dict[str, Any]]] = defaultdict(list)
        for node in nodes:
            groups[(node.id in fresh, node.type)].append(node_row(node))
        eids: dict[str, str] = {}
        for (new, node_type), rows in groups.items():
            build = cypher.create_nodes_query if new else cypher.merge_nodes_query
            for chunk in _chunks(rows):
                query, params = build(node_type, chunk)
                eids.update((rec["id"], rec["eid"]) for rec in tx.run(query, params))
        return eids

    @staticmethod
    def _write_relationships(tx: neo4j.ManagedTransaction, batch: GraphBatch,
                             eids: Mapping[str, str], fresh: set[str]) -> None:
        """CREATE the relationships touching a fresh node (once per identity, the last
        one winning as with MERGE), MERGE the others."""
        last: dict[tuple[str, str, str, str], Relationship] = {}
        for rel in batch.relationships:
            last[rel.identity] = rel
        groups: dict[tuple[bool, RelType], list[dict[str, Any]]] = defaultdict(list)
        for rel in batch.relationships:
            new = rel.source in fresh or rel.target in fresh
            if new and last[rel.identity] is not rel:
                continue
            row = rel_row(rel)
            row["a"], row["b"] = eids[rel.source], eids[rel.target]
            groups[(new, rel.type)].append(row)
        for (new, rtype), rows in groups.items():
            build = cypher.create_relationships_query if new else cypher.merge_relationships_query
            for chunk in _chunks(rows):
                query, params = build(rtype, chunk)
                written = tx.run(query, params).single(strict=True)["written"]
                if written < len(chunk):
                    raise ModelError(f"{len(chunk) - written} {rtype} relationships refer to "
                                     "unknown nodes", place=batch.document)

    @staticmethod
    def _delete_document(tx: neo4j.ManagedTransaction, document: str) -> WriteResult:
        query, params = cypher.delete_document_relationships_query(document)
        rels = tx.run(query, params).single(strict=True)["deleted"]
        query, params = cypher.delete_document_nodes_query(document)
        rec = tx.run(query, params).single(strict=True)
        return WriteResult(0, 0, rels + rec["rels"], rec["nodes"])

    def delete_document(self, document: str) -> WriteResult:
        return self._write(lambda tx: self._delete_document(tx, document))

    def clear(self) -> None:
        # Deleting takes many transactions: the version moves before (answers cached from
        # now on are from during the clear) and after (none of those is served again).
        self._write(lambda tx: None)
        with self._errors(), self._session(neo4j.WRITE_ACCESS) as session:
            for query, params in cypher.clear_queries():
                session.run(query, params).consume()
        self._write(lambda tx: None)

    # -- reading -------------------------------------------------------------------------
    def find_node(self, node_id: str) -> Node | None:
        records = self._run_read(cypher.find_node_query(node_id))
        return node_from_record(records[0]["type"], records[0]["props"]) if records else None

    def relationships(self, node_id: str, *, direction: Direction = Direction.BOTH,
                      rel_types: Collection[RelType] | None = None,
                      limit: int = MAX_RESULT_NODES) -> list[Relationship]:
        limit = max(0, min(limit, MAX_RESULT_NODES))
        if limit == 0:
            self.get_node(node_id)
            return []
        records = self._run_read(cypher.relationships_query(node_id, Direction(direction),
                                                            rel_types, limit))
        if not records:
            raise NodeNotFoundError(f"no node with id {node_id!r}")
        rels = {}
        for rec in records:
            if rec["type"] is not None:
                rel = rel_from_record(rec["source"], rec["type"], rec["target"], rec["props"])
                rels[rel.identity] = rel
        return [rels[k] for k in sorted(rels)][:limit]

    def find_relationship(self, source: str, rel_type: RelType, target: str,
                          key: str | None = None) -> list[Relationship]:
        records = self._run_read(cypher.find_relationship_query(source, RelType(rel_type),
                                                                target, key))
        rels = [rel_from_record(r["source"], r["type"], r["target"], r["props"])
                for r in records]
        return sorted(rels, key=lambda r: r.identity)

    def neighbours(self, node_id: str, *, depth: int = 1,
                   direction: Direction = Direction.BOTH,
                   node_types: Collection[NodeType] | None = None,
                   rel_types: Collection[RelType] | None = None,
                   limit: int = 500) -> Subgraph:
        depth = max(0, min(depth, MAX_DEPTH))
        limit = max(1, min(limit, MAX_RESULT_NODES))
        direction = Direction(direction)
        return self._read(lambda tx: self._neighbours(tx, node_id, depth, direction,
                                                      node_types, rel_types, limit))

    def _neighbours(self, tx: neo4j.ManagedTransaction, node_id: str, depth: int,
                    direction: Direction, node_types: Collection[NodeType] | None,
                    rel_types: Collection[RelType] | None, limit: int) -> Subgraph:
        query, params = cypher.node_element_id_query(node_id)
        start = tx.run(query, params).single()
        if start is None:
            raise NodeNotFoundError(f"no node with id {node_id!r}")
        seen: dict[str, str] = {node_id: start["eid"]}
        rels: dict[tuple[str, str, str, str], str] = {}
        frontier = [node_id]
        truncated = False
        for _ in range(depth):
            if not frontier:
                break
            # Enough rows to fill the remaining room many times over; a cut page means the
            # neighbourhood may go on, so it counts as truncated.
            max_rows = EXPAND_ROWS_PER_NODE * (limit - len(seen) + 1)
            query, params = cypher.expand_query([seen[n] for n in frontier], direction,
                                                rel_types, max_rows)
            steps = [(r["other"], r["source"], r["type"], r["target"], r["key"],
                      r["other_eid"], r["rid"]) for r in tx.run(query, params)]
            truncated = len(steps) >= max_rows
            nxt: list[str] = []
            for other, source, rtype, target, key, other_eid, rid in steps:
                if other not in seen:
                    if len(seen) >= limit:
                        truncated = True
                        break  # full: stop walking, as the embedded store does
                    seen[other] = other_eid
                    nxt.append(other)
                rels[(source, rtype, target, key)] = rid
            if truncated:
                break
            frontier = nxt
        query, params = cypher.nodes_by_element_id_query(list(seen.values()))
        nodes = {n.id: n for n in (node_from_record(r["type"], r["props"])
                                   for r in tx.run(query, params))}
        keep = {n for n, node in nodes.items()
                if n == node_id or node_types is None or node.type in node_types}
        kept_rids = [rid for (source, _, target, _), rid in rels.items()
                     if source in keep and target in keep]
        query, params = cypher.rels_by_element_id_query(kept_rids)
        kept = sorted((rel_from_record(r["source"], r["type"], r["target"], r["props"])
                       for r in tx.run(query, params)),
                      key=lambda r: r.identity)
        return Subgraph(tuple(nodes[n] for n in sorted(keep)), tuple(kept), truncated)

    def shortest_paths(self, source: str, target: str, *,
                       rel_types: Collection[RelType] | None = None, directed: bool = False,
                       max_length: int = 6, limit: int = 10) -> list[Path]:
        max_length = max(0, min(max_length, MAX_PATH_LENGTH))
        limit = max(1, min(limit, MAX_PATHS))
        return self._read(lambda tx: self._shortest_paths(tx, source, target, rel_types,
                                                          directed, max_length, limit))

    def _shortest_paths(self, tx: neo4j.ManagedTransaction, source: str, target: str,
                        rel_types: Collection[RelType] | None, directed: bool,
                        max_length: int, limit: int) -> list[Path]:
        query, params = cypher.find_nodes_query([source, target])
        ends = {n.id: n for n in (node_from_record(r["type"], r["props"])
                                  for r in tx.run(query, params))}
        for end in (source, target):
            if end not in ends:
                raise NodeNotFoundError(f"no node with id {end!r}")
        if source == target:
            return [Path((ends[source],), ())]
        if max_length < 1:
            return []
        query, params = cypher.shortest_paths_query(source, target, rel_types, directed,
                                                    max_length, MAX_PATH_ROWS)
        # For each hop between two consecutive nodes, the relationship with the smallest
        # identity (as the embedded store picks it).
        best: dict[tuple[str, str], tuple[tuple[str, str, str, str], str]] = {}
        chains: set[tuple[str, ...]] = set()
        for rec in tx.run(query, params):
            ids = tuple(rec["ids"])
            chains.add(ids)
            for (a, b), (rid, src, rtype, tgt, key) in zip(itertools.pairwise(ids),
                                                           rec["rels"], strict=True):
                identity = (src, rtype, tgt, key)
                if (a, b) not in best or identity < best[(a, b)][0]:
                    best[(a, b)] = (identity, rid)
        # The embedded store keeps the first ``limit`` chains in order of their reversed
        # node sequence (depth-first from the target), then sorts them.
        chosen = sorted(sorted(chains, key=lambda c: c[::-1])[:limit])
        node_ids = sorted({n for chain in chosen for n in chain})
        rids = sorted({best[(a, b)][1] for chain in chosen
                       for a, b in itertools.pairwise(chain)})
        query, params = cypher.find_nodes_query(node_ids)
        nodes = {n.id: n for n in (node_from_record(r["type"], r["props"])
                                   for r in tx.run(query, params))}
        query, params = cypher.rels_by_element_id_query(rids)
        by_identity = {r.identity: r for r in (
            rel_from_record(x["source"], x["type"], x["target"], x["props"])
            for x in tx.run(query, params))}
        return [Path(tuple(nodes[n] for n in chain),
                     tuple(by_identity[best[(a, b)][0]]
                           for a, b in itertools.pairwise(chain)))
                for chain in chosen]

    def search(self, text: str, *, node_types: Collection[NodeType] | None = None,
               limit: int = 20) -> list[SearchHit]:
        limit = max(1, min(limit, MAX_RESULT_NODES))
        terms = set(tokens(text))
        if not terms or not cypher.lucene_query(text):
            return []
        exact = fold(text).strip()
        return self._read(lambda tx: self._search(tx, text, terms, exact, node_types, limit))

    @staticmethod
    def _search(tx: neo4j.ManagedTransaction, text: str, terms: set[str], exact: str,
                node_types: Collection[NodeType] | None, limit: int) -> list[SearchHit]:
        hits: list[SearchHit] = []
        page = max(4 * limit, 100)
        skip = 0
        while len(hits) < limit and skip < 20 * MAX_RESULT_NODES:
            query, params = cypher.search_query(text, node_types, skip, page)
            records = list(tx.run(query, params))
            for rec in records:
                node = node_from_record(rec["type"], rec["props"])
                texts = searchable_text(node)
                if not terms <= {t for s in texts for t in tokens(s)}:
                    continue
                # Rank as the embedded store does (Lucene only finds the candidates).
                is_exact = exact in {fold(s).strip() for s in texts}
                score = score_texts(terms, texts, search_weight(node), is_exact)
                hits.append(SearchHit(node, score))
            if len(records) < page:
                break
            skip += page
            page *= 2
        hits.sort(key=lambda h: (-h.score, h.node.id))
        return hits[:limit]

    def subgraph(self, node_ids: Collection[str]) -> Subgraph:
        ids = sorted(set(node_ids))
        return self._read(lambda tx: self._subgraph(tx, ids))

    @staticmethod
    def _subgraph(tx: neo4j.ManagedTransaction, ids: Sequence[str]) -> Subgraph:
        query, params = cypher.find_nodes_query(ids)
        nodes = sorted((node_from_record(r["type"], r["props"]) for r in tx.run(query, params)),
                       key=lambda n: n.id)
        query, params = cypher.subgraph_relationships_query(ids)
        rels = sorted((rel_from_record(r["source"], r["type"], r["target"], r["props"])
                       for r in tx.run(query, params)), key=lambda r: r.identity)
        return Subgraph(tuple(nodes), tuple(rels))

    def list_nodes(self, *, node_type: NodeType | None = None,
                   filters: Mapping[str, PropValue] | None = None, after: str | None = None,
                   limit: int = 100) -> list[Node]:
        limit = max(0, min(limit, MAX_RESULT_NODES))
        filters = dict(filters or {})
        types: list[NodeType] = list(cypher.NODE_LABELS if node_type is None
                                     else [NodeType(node_type)])
        if "type" in filters:
            wanted = filters.pop("type")
            types = [t for t in types if t.value == wanted]
        if not types or limit == 0:
            return []
        records = self._run_read(cypher.list_nodes_query(types, filters, after, limit))
        return [node_from_record(r["type"], r["props"]) for r in records]

    def counts(self) -> Counts:
        records = self._run_read(cypher.counts_query())
        nodes = {r["name"]: r["count"] for r in records if r["kind"] == "node" and r["count"]}
        rels = {r["name"]: r["count"] for r in records if r["kind"] == "rel" and r["count"]}
        return Counts(dict(sorted(nodes.items())), dict(sorted(rels.items())))

    def iter_nodes(self) -> Iterator[Node]:
        for node_type in cypher.NODE_LABELS:
            after: str | None = None
            while True:
                records = self._run_read(cypher.page_nodes_query(node_type, after, PAGE_ROWS))
                for rec in records:
                    yield node_from_record(rec["type"], rec["props"])
                if len(records) < PAGE_ROWS:
                    break
                after = records[-1]["props"]["id"]

    def iter_relationships(self) -> Iterator[Relationship]:
        for node_type in cypher.NODE_LABELS:
            after: str | None = None
            while True:
                records = self._run_read(cypher.page_outgoing_query(node_type, after,
                                                                    PAGE_ROWS))
                if not records or records[0]["last"] is None:
                    break
                for rec in records:
                    if rec["type"] is not None:
                        yield rel_from_record(rec["source"], rec["type"], rec["target"],
                                              rec["props"])
                after = records[0]["last"]

    # -- raw read-only Cypher ------------------------------------------------------------
    def run_read_cypher(self, query: str, params: Mapping[str, Any] | None = None, *,
                        timeout_s: float, max_rows: int) -> list[dict[str, Any]]:
        """Run a user's Cypher in a READ transaction, with a timeout and at most
        ``max_rows`` rows; values are plain Python (nodes and relationships as their
        property maps plus ``_labels`` / ``_type``).

        Its ``EXPLAIN`` plan is checked first, in the same transaction
        (:func:`citegraph.cypherplan.check_plan`): loads, writes, administration commands
        and procedures off the allow-list never run. Never retried: a query refused or
        past the memory cap would only fail again.
        """
        self._ensure_schema()
        values = dict(params or {})
        with self._errors(), self._session(neo4j.READ_ACCESS) as session, \
                session.begin_transaction(timeout=timeout_s) as tx:
            check_plan(tx.run("EXPLAIN " + query, values).consume().plan)
            rows: list[dict[str, Any]] = []
            for record in tx.run(query, values):
                if len(rows) >= max_rows:
                    break
                rows.append({k: _plain(v) for k, v in zip(record.keys(), record.values(),
                                                           strict=True)})
            return rows

    # -- lifecycle -----------------------------------------------------------------------
    def ping(self) -> bool:
        try:
            with self._errors():
                self.driver.verify_connectivity()
        except StoreError:
            return False
        return True

    def close(self) -> None:
        super().close()
        if self._owns_driver:
            self.driver.close()


def _plain(value: Any) -> Any:
    """Driver values as JSON-friendly Python."""
    from neo4j.graph import Node as GraphNode
    from neo4j.graph import Path as GraphPath
    from neo4j.graph import Relationship as GraphRel

    if isinstance(value, GraphNode):
        return {"_labels": sorted(value.labels), **dict(value)}
    if isinstance(value, GraphRel):
        return {"_type": value.type, "_source": value.start_node["id"] if value.start_node
                else None, "_target": value.end_node["id"] if value.end_node else None,
                **dict(value)}
    if isinstance(value, GraphPath):
        return {"nodes": [_plain(n) for n in value.nodes],
                "relationships": [_plain(r) for r in value.relationships]}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value
