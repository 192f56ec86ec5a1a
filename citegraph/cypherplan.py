"""Is a user's Cypher read-only? Decided on Neo4j's own ``EXPLAIN`` plan, not on keywords.

Keyword filters lose to the parser's corners (comments ending at ``\\r``, backtick-quoted
procedure names, ``CYPHER runtime=...`` prefixes, unicode spaces); the plan is what the
server would run, with every subquery, ``COLLECT {}``, ``EXISTS {}`` and ``UNION`` branch as
an operator and every procedure under its canonical name. A plan is refused when any
operator loads CSV, writes, runs an administration command (``SHOW``, ``TERMINATE``,
anything planned on the system database), runs ``IN TRANSACTIONS``, or calls a procedure
off :data:`ALLOWED_PROCEDURES`.

>>> leaf = {"operatorType": "ProcedureCall@neo4j",
...         "args": {"Details": "dbms.killConnections($autolist_0) :: (connectionId :: STRING)"}}
>>> plan_refusal({"operatorType": "ProduceResults@neo4j", "children": [leaf]})
'procedure dbms.killConnections is not allowed in read-only Cypher'
>>> plan_refusal({"operatorType": "AllNodesScan@neo4j", "args": {"Details": "n"}}) is None
True
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from citegraph.errors import QueryError

MAX_QUERY_CHARS = 10_000

#: Read-only catalog look-ups and the full-text index; nothing else may be called.
ALLOWED_PROCEDURES = frozenset({
    "db.labels", "db.relationshipTypes", "db.propertyKeys", "db.schema.visualization",
    "db.schema.nodeTypeProperties", "db.schema.relTypeProperties",
    "db.index.fulltext.queryNodes", "db.index.fulltext.queryRelationships",
})

#: Operators (the name before ``@database``) that load, write or administer.
_REFUSED_OPERATOR = re.compile(
    r"LoadCSV|Foreach|Transaction\w*|Create\w*|Merge\w*|LockingMerge|Set\w*|Remove\w*"
    r"|Delete\w*|DetachDelete\w*|Show\w*|Terminate\w*|\w*Command\w*|\w*Admin\w*")
_PROCEDURE_NAME = re.compile(r"\s*([^(\s]+)\s*\(")


def operators(plan: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Every operator of a driver plan (``ResultSummary.plan``), depth first."""
    stack = [plan]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.get("children") or ())


def _procedure(operator: Mapping[str, Any]) -> str:
    details = str((operator.get("args") or {}).get("Details") or "")
    match = _PROCEDURE_NAME.match(details)
    return match.group(1).replace("`", "") if match else details or "<unnamed>"


def _operator_refusal(operator: Mapping[str, Any]) -> str | None:
    name, _, database = str(operator.get("operatorType", "")).partition("@")
    if database == "system":
        return "administration commands are not allowed in read-only Cypher"
    if name == "ProcedureCall" or "Procedure" in name:
        procedure = _procedure(operator)
        if name != "ProcedureCall" or procedure not in ALLOWED_PROCEDURES:
            return f"procedure {procedure} is not allowed in read-only Cypher"
        return None
    if _REFUSED_OPERATOR.fullmatch(name):
        return f"operator {name} (a load, write or administration step) is not allowed " \
               "in read-only Cypher"
    return None


def plan_refusal(plan: Mapping[str, Any]) -> str | None:
    """Why ``plan`` is not a read-only query, or None when every operator is allowed."""
    for operator in operators(plan):
        why = _operator_refusal(operator)
        if why:
            return why
    return None


def check_plan(plan: Mapping[str, Any] | None) -> None:
    """Raise :class:`QueryError` unless ``plan`` (from ``EXPLAIN``) only reads."""
    if plan is None:
        raise QueryError("the server gave no plan for the query: refused")
    why = plan_refusal(plan)
    if why:
        raise QueryError(why)


def check_query_text(query: str) -> None:
    """The cheap checks before anything is sent: not empty, not too long.

    >>> check_query_text("   ")
    Traceback (most recent call last):
    ...
    citegraph.errors.QueryError: the query is empty
    """
    if not query.strip():
        raise QueryError("the query is empty")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is longer than {MAX_QUERY_CHARS} characters")
