"""Cypher for the Neo4j store, built by pure functions returning ``(query, params)``.

Labels and relationship types are interpolated into query text only from the model's
:class:`~citegraph.model.NodeType` and :class:`~citegraph.model.RelType` enums (the fixed
allow-list); everything that comes from input (ids, property values, search text, filter
keys) travels as a parameter. Each function is tested as a string in ``tests/test_cypher.py``.

How a graph is stored: a node carries exactly one label (its :class:`NodeType`) and the
properties ``id``, ``label`` and its other properties; a relationship carries ``key``, the
provenance fields (``document``, ``locator``, ``span``, ``quote``, ``method``,
``confidence``) and its other properties, exactly as :meth:`Relationship.to_dict` flattens
them minus ``source``, ``target`` and ``type``.

Examples
--------
>>> query, params = find_node_query("work:a")
>>> "MATCH (n:Work {id: $id})" in query, params
(True, {'id': 'work:a'})
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from citegraph.model import NodeType, PropValue, RelType
from citegraph.stores.base import SEARCHED_KEYS, Direction
from citegraph.text import HAN

Statement = tuple[str, dict[str, Any]]

#: Name of the full-text index over each node's search text.
FULLTEXT_INDEX = "citegraph_search_text"
#: Lucene analyzer of that index: lower-cases, drops English possessives and stop words,
#: stems; CJK ideographs become one token each.
FULLTEXT_ANALYZER = "english"
#: The one stored property the full-text index covers: the node's
#: :func:`~citegraph.stores.base.searchable_text` joined (names, aliases, "Article N"...).
#: It is written with the node and never read back as one of its properties.
SEARCH_TEXT_PROPERTY = "search_text"
SEARCH_PROPERTIES = (SEARCH_TEXT_PROPERTY,)

#: Label of the one bookkeeping node (not a NodeType: never listed, counted or exported).
META_LABEL = "CitegraphMeta"

NODE_LABELS: tuple[NodeType, ...] = tuple(NodeType)
REL_TYPES: tuple[RelType, ...] = tuple(RelType)

_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')
_CJK = HAN


# -- allow-list ------------------------------------------------------------------------------
def label(node_type: NodeType) -> str:
    """The label text of a node type; refuses anything that is not a :class:`NodeType`.

    >>> label(NodeType.ARTICLE)
    'Article'
    """
    if not isinstance(node_type, NodeType):
        raise TypeError(f"not a NodeType: {node_type!r}")
    return node_type.value


def rel_type(rtype: RelType) -> str:
    """The type text of a relationship type; refuses anything that is not a :class:`RelType`."""
    if not isinstance(rtype, RelType):
        raise TypeError(f"not a RelType: {rtype!r}")
    return rtype.value


def type_alternation(rel_types: Collection[RelType] | None) -> str:
    """``:A|B`` for a relationship pattern, empty for any type.

    >>> type_alternation([RelType.CITES, RelType.AMENDS])
    ':AMENDS|CITES'
    """
    if rel_types is None:
        return ""
    names = sorted({rel_type(t) for t in rel_types})
    return ":" + "|".join(names)


def _arrow(direction: Direction) -> tuple[str, str]:
    if direction == Direction.OUT:
        return "-", "->"
    if direction == Direction.IN:
        return "<-", "-"
    return "-", "-"


def _union_by_label(branch: str, labels: Sequence[NodeType] = NODE_LABELS) -> str:
    """``CALL { branch(L1) UNION ALL branch(L2) ... }``; ``branch`` has a ``{label}`` slot."""
    parts = [branch.format(label=label(t)) for t in labels]
    return "CALL () {\n  " + "\n  UNION ALL\n  ".join(parts) + "\n}"


def bind_node(param: str = "id", var: str = "n") -> str:
    """A ``CALL`` block binding ``var`` to the node whose id is ``$param``, whatever its label.

    One index seek per label (the uniqueness constraints' indexes) instead of an
    unlabelled scan.
    """
    return _union_by_label(f"MATCH ({var}:{{label}} {{{{id: ${param}}}}}) RETURN {var}")


# -- schema ----------------------------------------------------------------------------------
def schema_statements() -> list[str]:
    """Constraints and indexes the store creates on first use (idempotent).

    A uniqueness constraint on ``id`` per label, a range index on ``document`` per label and
    per relationship type (``delete_document`` and ``replace``), and one full-text index.
    """
    out = []
    for t in NODE_LABELS:
        name = label(t)
        out.append(f"CREATE CONSTRAINT citegraph_{name.lower()}_id IF NOT EXISTS "
                   f"FOR (n:{name}) REQUIRE n.id IS UNIQUE")
        out.append(f"CREATE INDEX citegraph_{name.lower()}_document IF NOT EXISTS "
                   f"FOR (n:{name}) ON (n.document)")
    for r in REL_TYPES:
        name = rel_type(r)
        out.append(f"CREATE INDEX citegraph_rel_{name.lower()}_document IF NOT EXISTS "
                   f"FOR ()-[r:{name}]-() ON (r.document)")
    out.append(f"CREATE CONSTRAINT citegraph_meta_id IF NOT EXISTS "
               f"FOR (n:{META_LABEL}) REQUIRE n.id IS UNIQUE")
    out.append(fulltext_index_statement())
    return out


def bump_version_query() -> Statement:
    """Count one more write on the version node; run inside every write transaction.

    The version is ``epoch:count``: the epoch is drawn when the node is created, so a
    database emptied by other means never repeats a version a cache has seen.
    """
    query = (f"MERGE (v:{META_LABEL} {{id: 'version'}})\n"
             "ON CREATE SET v.epoch = randomUUID(), v.count = 0\n"
             "SET v.count = v.count + 1\n"
             "RETURN v.epoch + ':' + toString(v.count) AS version")
    return query, {}


def version_query() -> Statement:
    """The current version (``'none'`` before the first write)."""
    query = (f"OPTIONAL MATCH (v:{META_LABEL} {{id: 'version'}})\n"
             "RETURN coalesce(v.epoch + ':' + toString(v.count), 'none') AS version")
    return query, {}


def fulltext_index_statement() -> str:
    labels = "|".join(label(t) for t in NODE_LABELS)
    props = ", ".join(f"n.{p}" for p in SEARCH_PROPERTIES)
    return (f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS FOR (n:{labels}) "
            f"ON EACH [{props}] OPTIONS {{indexConfig: {{`fulltext.analyzer`: "
            f"'{FULLTEXT_ANALYZER}', `fulltext.eventually_consistent`: false}}}}")


# -- writing ---------------------------------------------------------------------------------
def lookup_types_query(ids: Sequence[str],
                       node_types: Sequence[NodeType] = NODE_LABELS) -> Statement:
    """``(id, type, eid)`` of the existing nodes among ``ids`` with one of ``node_types``
    (``eid`` is the elementId)."""
    query = _union_by_label("MATCH (n:{label}) WHERE n.id IN $ids "
                            "RETURN n.id AS id, '{label}' AS type, elementId(n) AS eid",
                            node_types)
    return f"{query}\nRETURN id, type, eid", {"ids": list(ids)}


def type_hint(node_id: str) -> NodeType | None:
    """The type an id's prefix names by convention (``work:…`` → Work), if any.

    >>> type_hint("article:/akn/un/treaty/1989-11-20/crc#art_34"), type_hint("x")
    (<NodeType.ARTICLE: 'Article'>, None)
    """
    prefix = node_id.split(":", 1)[0]
    return _PREFIXES.get(prefix)


_PREFIXES = {t.value.lower(): t for t in NodeType}


def search_text_expression(node_type: NodeType) -> str:
    """Cypher computing a node's search text from its merged properties.

    It mirrors :func:`~citegraph.stores.base.searchable_text` (texts joined by newlines), so
    both stores search the same strings whatever order the writes came in.
    """
    parts = ["coalesce(n.label, '')"]
    for key in SEARCHED_KEYS:
        parts.append(f"CASE WHEN n.{key} IS NULL THEN '' WHEN n.{key} IS :: LIST<ANY> "
                     f"THEN reduce(s = '', x IN n.{key} | s + '\\n' + toString(x)) "
                     f"ELSE '\\n' + toString(n.{key}) END")
    if node_type is NodeType.ARTICLE:
        parts.append("CASE WHEN n.number IS :: STRING AND n.number <> '' THEN "
                     "'\\nArticle ' + n.number + '\\nArt. ' + n.number + '\\n' + n.number "
                     "ELSE '' END")
    return " + ".join(parts)


def merge_nodes_query(node_type: NodeType, rows: Sequence[Mapping[str, Any]]) -> Statement:
    """Upsert nodes of one label; rows are ``{id, label, props, stub}``.

    Same semantics as the embedded store: a new node is created with its label and
    properties; an existing node is left alone by a stub, and a full node merges its
    properties in (later values win), takes the new label unless it is empty, and drops the
    ``stub`` flag unless it sets one itself. Rows apply in order. Returns each row's id and
    the node's ``elementId``.
    """
    name = label(node_type)
    query = (
        "UNWIND $rows AS row\n"
        f"MERGE (n:{name} {{id: row.id}})\n"
        "ON CREATE SET n.label = row.label, n += row.props\n"
        "ON MATCH SET n.stub = CASE WHEN row.stub THEN n.stub ELSE row.props.stub END,\n"
        "  n.label = CASE WHEN row.stub OR row.label = '' THEN n.label ELSE row.label END,\n"
        "  n += CASE WHEN row.stub THEN {} ELSE row.props END\n"
        f"SET n.{SEARCH_TEXT_PROPERTY} = {search_text_expression(node_type)}\n"
        "RETURN row.id AS id, elementId(n) AS eid"
    )
    return query, {"rows": list(rows)}


def create_nodes_query(node_type: NodeType, rows: Sequence[Mapping[str, Any]]) -> Statement:
    """Create nodes known to be new (absent before this transaction, once in the batch);
    rows as for :func:`merge_nodes_query`, whose ``ON CREATE`` branch this is.

    No ``MERGE`` lock-and-look-up per row; the uniqueness constraint still refuses a
    duplicate.
    """
    name = label(node_type)
    query = (
        "UNWIND $rows AS row\n"
        f"CREATE (n:{name} {{id: row.id}})\n"
        "SET n.label = row.label, n += row.props\n"
        f"SET n.{SEARCH_TEXT_PROPERTY} = {search_text_expression(node_type)}\n"
        "RETURN row.id AS id, elementId(n) AS eid"
    )
    return query, {"rows": list(rows)}


def create_relationships_query(rtype: RelType, rows: Sequence[Mapping[str, Any]]) -> Statement:
    """Create relationships known to be new (an endpoint was created in this transaction;
    one row per identity); rows as for :func:`merge_relationships_query`.

    ``CREATE`` needs no ``Expand(Into)`` to look for an existing edge, nor the eager
    barrier ``MERGE`` plans.
    """
    query = (
        "UNWIND $rows AS row\n"
        "MATCH (a) WHERE elementId(a) = row.a\n"
        "MATCH (b) WHERE elementId(b) = row.b\n"
        f"CREATE (a)-[r:{rel_type(rtype)}]->(b)\n"
        "SET r = row.props\n"
        "RETURN count(*) AS written"
    )
    return query, {"rows": list(rows)}


def merge_relationships_query(rtype: RelType, rows: Sequence[Mapping[str, Any]]) -> Statement:
    """Upsert relationships of one type; rows are ``{a, b, key, props}``.

    ``a`` and ``b`` are the endpoints' ``elementId`` (looked up or returned by the node
    merge in the same transaction), so each endpoint is one direct seek and the query text
    depends on the type only. A relationship is identified by its endpoints, type and
    ``key``; its properties are replaced by ``props``. ``written`` smaller than the number
    of rows means an endpoint is missing.
    """
    query = (
        "UNWIND $rows AS row\n"
        "MATCH (a) WHERE elementId(a) = row.a\n"
        "MATCH (b) WHERE elementId(b) = row.b\n"
        f"MERGE (a)-[r:{rel_type(rtype)} {{key: row.key}}]->(b)\n"
        "SET r = row.props\n"
        "RETURN count(*) AS written"
    )
    return query, {"rows": list(rows)}


def document_nodes_query(document: str) -> Statement:
    """Ids of the nodes whose ``document`` property is ``document``."""
    query = _union_by_label("MATCH (n:{label}) WHERE n.document = $document "
                            "RETURN n.id AS id")
    return f"{query}\nRETURN id", {"document": document}


def delete_document_relationships_query(document: str) -> Statement:
    """Delete the relationships whose provenance document is ``document``."""
    parts = [f"MATCH ()-[r:{rel_type(t)}]->() WHERE r.document = $document RETURN r"
             for t in REL_TYPES]
    query = ("CALL () {\n  " + "\n  UNION ALL\n  ".join(parts) + "\n}\n"
             "DELETE r\nRETURN count(r) AS deleted")
    return query, {"document": document}


def delete_document_nodes_query(document: str) -> Statement:
    """Delete the nodes whose ``document`` is ``document`` with every relationship touching
    them; returns how many of each went."""
    query = _union_by_label("MATCH (n:{label}) WHERE n.document = $document RETURN n")
    query += ("\nWITH collect(n) AS doomed\n"
              "CALL (doomed) {\n"
              "  UNWIND doomed AS n MATCH (n)-[r]-() WITH DISTINCT r DELETE r\n"
              "  RETURN count(r) AS rels\n"
              "}\n"
              "CALL (doomed) { UNWIND doomed AS n DELETE n RETURN count(n) AS nodes }\n"
              "RETURN rels, nodes")
    return query, {"document": document}


def clear_queries(batch_size: int = 5_000) -> list[Statement]:
    """Delete everything: relationships, then nodes, ``batch_size`` per inner transaction
    (auto-commit queries; small transactions keep within the server's memory limit)."""
    size = int(batch_size)
    return [(f"MATCH ()-[r]->() CALL (r) {{ DELETE r }} IN TRANSACTIONS OF {size} ROWS", {}),
            (f"MATCH (n) WHERE NOT n:{META_LABEL} "
             f"CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF {size} ROWS", {})]


# -- reading ---------------------------------------------------------------------------------
_NODE_RETURN = "labels({v})[0] AS type, properties({v}) AS props"
_REL_RETURN = ("startNode({v}).id AS source, type({v}) AS type, endNode({v}).id AS target, "
               "properties({v}) AS props")


def node_columns(var: str = "n") -> str:
    """Return columns ``type, props`` for a node variable."""
    return _NODE_RETURN.format(v=var)


def rel_columns(var: str = "r") -> str:
    """Return columns ``source, type, target, props`` for a relationship variable."""
    return _REL_RETURN.format(v=var)


def find_node_query(node_id: str) -> Statement:
    return f"{bind_node()}\nRETURN {node_columns()}", {"id": node_id}


def find_nodes_query(ids: Sequence[str]) -> Statement:
    """The existing nodes among ``ids`` (unknown ids are ignored)."""
    query = _union_by_label("MATCH (n:{label}) WHERE n.id IN $ids RETURN n")
    return f"{query}\nRETURN {node_columns()}", {"ids": list(ids)}


def relationships_query(node_id: str, direction: Direction,
                        rel_types: Collection[RelType] | None, limit: int) -> Statement:
    """Relationships touching a node, plus a ``found`` row telling whether the node exists."""
    left, right = _arrow(direction)
    query = (f"{bind_node()}\n"
             f"OPTIONAL MATCH (n){left}[r{type_alternation(rel_types)}]{right}()\n"
             "WITH n, r ORDER BY startNode(r).id, type(r), endNode(r).id, r.key\n"
             "LIMIT $limit\n"
             f"RETURN n.id AS found, {rel_columns()}")
    return query, {"id": node_id, "limit": limit}


def find_relationship_query(source: str, rtype: RelType, target: str,
                            key: str | None) -> Statement:
    query = (f"{bind_node('source', 'a')}\n"
             f"MATCH (a)-[r:{rel_type(rtype)}]->(b)\n"
             "WHERE b.id = $target AND ($key IS NULL OR r.key = $key)\n"
             f"RETURN {rel_columns()}")
    return query, {"source": source, "target": target, "key": key}


def node_element_id_query(node_id: str) -> Statement:
    """``elementId`` of the node with this id (no row when it does not exist)."""
    return f"{bind_node()}\nRETURN elementId(n) AS eid", {"id": node_id}


def expand_query(frontier: Sequence[str], direction: Direction,
                 rel_types: Collection[RelType] | None, max_rows: int) -> Statement:
    """One breadth-first step from nodes given by ``elementId``: structure only.

    Returns per relationship its endpoint ids and element ids, type and key, in traversal
    order (frontier position, then relationship identity), at most ``max_rows`` of them:
    the server sorts and cuts, so a hub's thousands of relationships never cross the wire.
    Properties are fetched afterwards for what the traversal keeps.
    """
    left, right = _arrow(direction)
    query = ("UNWIND range(0, size($frontier) - 1) AS i\n"
             "MATCH (a) WHERE elementId(a) = $frontier[i]\n"
             f"MATCH (a){left}[r{type_alternation(rel_types)}]{right}(b)\n"
             "WITH i, a, b, r, startNode(r).id AS source, type(r) AS type, "
             "endNode(r).id AS target, r.key AS key\n"
             "ORDER BY i, source, type, target, key\n"
             "LIMIT $max_rows\n"
             "RETURN a.id AS here, elementId(b) AS other_eid, b.id AS other, "
             "elementId(r) AS rid, source, type, target, key")
    return query, {"frontier": list(frontier), "max_rows": max_rows}


def nodes_by_element_id_query(eids: Sequence[str]) -> Statement:
    query = ("UNWIND $eids AS eid MATCH (n) WHERE elementId(n) = eid\n"
             f"RETURN {node_columns()}")
    return query, {"eids": list(eids)}


def rels_by_element_id_query(eids: Sequence[str]) -> Statement:
    query = ("UNWIND $eids AS eid MATCH ()-[r]->() WHERE elementId(r) = eid\n"
             f"RETURN {rel_columns()}")
    return query, {"eids": list(eids)}


def shortest_paths_query(source: str, target: str, rel_types: Collection[RelType] | None,
                         directed: bool, max_length: int, max_rows: int) -> Statement:
    """All shortest paths as lists of node ids and relationship descriptions.

    ``max_length`` must be at least 1 (a zero-length path is the caller's business).
    """
    right = "->" if directed else "-"
    query = (f"{bind_node('source', 'a')}\n"
             f"{bind_node('target', 'b')}\n"
             f"MATCH p = allShortestPaths((a)-[{type_alternation(rel_types)}*..{int(max_length)}]"
             f"{right}(b))\n"
             "RETURN [x IN nodes(p) | x.id] AS ids,\n"
             "  [r IN relationships(p) | [elementId(r), startNode(r).id, type(r), "
             "endNode(r).id, r.key]] AS rels\n"
             "LIMIT $max_rows")
    return query, {"source": source, "target": target, "max_rows": max_rows}


def lucene_escape(text: str) -> str:
    """Escape Lucene query syntax so that ``text`` is matched as words, never parsed.

    Lower-cased, which also defuses the ``AND``/``OR``/``NOT`` operators (the analyzer
    lower-cases anyway).

    >>> lucene_escape('a+b OR "c"')
    'a\\\\+b or \\\\"c\\\\"'
    """
    return _LUCENE_SPECIAL.sub(r"\\\1", text.lower())


def lucene_query(text: str) -> str:
    """A Lucene query requiring every word of ``text`` (each CJK character is a word).

    A word matches as analysed text or as a prefix of an indexed token (``art`` finds
    ``art34``, ``children`` finds ``children's``). Built to match at least what the
    embedded store's text index matches; the store then keeps exactly the hits the
    embedded index would return.

    >>> lucene_query("rights child")
    '+(rights rights*) +(child child*)'
    >>> lucene_query("刑法 Art:34")
    '+刑 +法 +(art\\\\:34 art*)'
    """
    clauses: list[str] = []
    for chunk in unicodedata.normalize("NFKC", text).split():
        clauses.extend(f"+{c}" for c in _CJK.findall(chunk))
        for piece in _CJK.split(chunk):
            if re.search(r"\w", piece):
                clauses.append(_word_clause(piece))
    return " ".join(dict.fromkeys(clauses))


def _word_clause(piece: str) -> str:
    exact = lucene_escape(piece)
    stem = _WORD_START.match(piece.lower())
    if stem is None or stem.group() in LUCENE_STOP_WORDS:
        # A stop word is analysed away (the clause vanishes); as a prefix it would find
        # nothing, since stop words are not indexed.
        return f"+{exact}"
    return f"+({exact} {lucene_escape(stem.group())}*)"


_WORD_START = re.compile(r"[^\W_]+")
#: The stop words of Lucene's English analyzer (not indexed, dropped from queries).
LUCENE_STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is",
    "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there",
    "these", "they", "this", "to", "was", "will", "with"})


def search_query(text: str, node_types: Collection[NodeType] | None, skip: int,
                 limit: int) -> Statement:
    """A page of full-text candidates for ``text`` (Lucene order)."""
    types = None if node_types is None else sorted(label(t) for t in node_types)
    query = (f"CALL db.index.fulltext.queryNodes('{FULLTEXT_INDEX}', $lucene, "
             "{skip: $skip, limit: $limit}) YIELD node, score\n"
             "WITH node AS n, score, labels(node)[0] AS type\n"
             "WHERE $types IS NULL OR type IN $types\n"
             f"RETURN {node_columns()}, score")
    return query, {"lucene": lucene_query(text), "types": types, "skip": skip, "limit": limit}


def _filter_predicates(filters: Mapping[str, PropValue] | None,
                       params: dict[str, Any]) -> list[str]:
    out = []
    for i, (key, wanted) in enumerate(sorted((filters or {}).items())):
        params[f"fk{i}"] = key
        params[f"fv{i}"] = wanted
        if isinstance(wanted, list):
            out.append(f"n[$fk{i}] = $fv{i}")
        else:
            out.append(f"(CASE WHEN n[$fk{i}] IS :: LIST<ANY> THEN $fv{i} IN n[$fk{i}] "
                       f"ELSE n[$fk{i}] = $fv{i} END)")
    return out


def list_nodes_query(node_types: Sequence[NodeType], filters: Mapping[str, PropValue] | None,
                     after: str | None, limit: int) -> Statement:
    """Nodes of the given labels sorted by id after the cursor, matching ``filters``.

    Filter keys are parameters (``n[$fk0]``), never query text; a ``type`` filter is the
    caller's business (it selects ``node_types``).
    """
    params: dict[str, Any] = {"after": after, "limit": limit}
    where = " AND ".join(["($after IS NULL OR n.id > $after)",
                          *_filter_predicates(filters, params)])
    branch = (f"MATCH (n:{{label}}) WHERE {where} "
              "RETURN n ORDER BY n.id LIMIT $limit")
    # The union braces belong to the CALL block; literal braces of `branch` are escaped.
    query = _union_by_label(branch.replace("{", "{{").replace("}", "}}")
                            .replace("{{label}}", "{label}"), node_types)
    return f"{query}\nRETURN {node_columns()} ORDER BY n.id LIMIT $limit", params


def counts_query() -> Statement:
    node_parts = [f"MATCH (n:{label(t)}) RETURN 'node' AS kind, '{label(t)}' AS name, "
                  "count(n) AS count" for t in NODE_LABELS]
    rel_parts = [f"MATCH ()-[r:{rel_type(t)}]->() RETURN 'rel' AS kind, '{rel_type(t)}' AS "
                 "name, count(r) AS count" for t in REL_TYPES]
    query = ("CALL () {\n  " + "\n  UNION ALL\n  ".join(node_parts + rel_parts) + "\n}\n"
             "RETURN kind, name, count")
    return query, {}


def page_nodes_query(node_type: NodeType, after: str | None, limit: int) -> Statement:
    """One keyset page of the nodes of a label (for iteration)."""
    query = (f"MATCH (n:{label(node_type)}) WHERE $after IS NULL OR n.id > $after\n"
             f"WITH n ORDER BY n.id LIMIT $limit\nRETURN {node_columns()}")
    return query, {"after": after, "limit": limit}


def page_outgoing_query(node_type: NodeType, after: str | None, limit: int) -> Statement:
    """The outgoing relationships of one keyset page of a label's nodes, and the page's
    last id (for iteration)."""
    query = (f"MATCH (a:{label(node_type)}) WHERE $after IS NULL OR a.id > $after\n"
             "WITH a ORDER BY a.id LIMIT $limit\n"
             "WITH collect(a) AS page\n"
             "WITH page, page[-1].id AS last\n"
             "UNWIND page AS a\n"
             "OPTIONAL MATCH (a)-[r]->()\n"
             f"RETURN last, {rel_columns()}")
    return query, {"after": after, "limit": limit}


def subgraph_relationships_query(ids: Sequence[str]) -> Statement:
    """The relationships among the existing nodes of ``ids``."""
    query = _union_by_label("MATCH (n:{label}) WHERE n.id IN $ids RETURN n")
    query += ("\nWITH collect(n) AS nodes\n"
              "UNWIND nodes AS a MATCH (a)-[r]->(b) WHERE b IN nodes\n"
              f"RETURN {rel_columns()}")
    return query, {"ids": list(ids)}
