"""Pure helpers for user-supplied queries: refusing writes in read-only Cypher.

The store runs user Cypher in READ access mode, which is the real guard; this check refuses
obvious writes, schema commands, ``LOAD CSV`` and admin procedures before anything is sent,
so the caller gets a clear message instead of a driver error.

Examples
--------
>>> check_read_only_cypher("MATCH (n:Instrument) RETURN n.id LIMIT 5")
>>> check_read_only_cypher("MATCH (n) DETACH DELETE n")
Traceback (most recent call last):
...
citegraph.errors.QueryError: write clause DETACH is not allowed in read-only Cypher
>>> check_read_only_cypher("RETURN 'CREATE is only text here'")
"""

from __future__ import annotations

import re

from citegraph.errors import QueryError

MAX_QUERY_CHARS = 10_000

_WRITE_WORDS = ("CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "FOREACH")
#: A clause keyword, not a property (``n.set``), a parameter (``$set``) or part of a name.
_WRITE_CLAUSE = re.compile(r"(?<![.$\w])(" + "|".join(_WRITE_WORDS) + r")\b", re.IGNORECASE)
_LOAD_CSV = re.compile(r"\bLOAD\s+CSV\b", re.IGNORECASE)
_IN_TRANSACTIONS = re.compile(r"\bIN\s+(?:\d+\s+)?(?:CONCURRENT\s+)?TRANSACTIONS\b",
                              re.IGNORECASE)
_ADMIN = re.compile(r"^\s*(SHOW|USE|ALTER|GRANT|DENY|REVOKE|RENAME|START|STOP|TERMINATE|"
                    r"ENABLE|DEALLOCATE|REALLOCATE)\b", re.IGNORECASE)
_CALL = re.compile(r"\bCALL\s+([A-Za-z_][\w.]*)", re.IGNORECASE)
#: Procedures that may be called: read-only catalog look-ups.
_ALLOWED_PROCEDURES = re.compile(
    r"^(db\.(labels|relationshipTypes|propertyKeys|schema\.visualization|schema\.nodeTypeProperties"
    r"|schema\.relTypeProperties|index\.fulltext\.queryNodes|index\.fulltext\.queryRelationships)"
    r"|apoc\.(path\.(expand|expandConfig|subgraphNodes|subgraphAll|spanningTree)"
    r"|meta\.(schema|stats|data)|coll\.\w+|text\.\w+|convert\.\w+|map\.\w+))$",
    re.IGNORECASE,
)
_STRING_OR_COMMENT = re.compile(
    r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`(?:[^`]|``)*`|//[^\n]*|/\*.*?\*/", re.DOTALL)


def strip_literals(query: str) -> str:
    """The query with string literals, quoted names and comments blanked out.

    >>> "CREATE" in strip_literals("RETURN 'CREATE' // CREATE")
    False
    """
    return _STRING_OR_COMMENT.sub(" ", query)


def check_read_only_cypher(query: str) -> None:
    """Raise :class:`QueryError` unless ``query`` looks like a read-only query."""
    if not query.strip():
        raise QueryError("the query is empty")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is longer than {MAX_QUERY_CHARS} characters")
    code = strip_literals(query)
    if _LOAD_CSV.search(code):
        raise QueryError("LOAD CSV is not allowed in read-only Cypher")
    if _IN_TRANSACTIONS.search(code):
        raise QueryError("CALL ... IN TRANSACTIONS is not allowed in read-only Cypher")
    admin = _ADMIN.search(code)
    if admin:
        raise QueryError(f"administration command {admin.group(1).upper()} is not allowed")
    match = _WRITE_CLAUSE.search(code)
    if match:
        raise QueryError(f"write clause {match.group(1).upper()} is not allowed "
                         "in read-only Cypher")
    for procedure in _CALL.findall(code):
        if not _ALLOWED_PROCEDURES.match(procedure):
            raise QueryError(f"procedure {procedure} is not allowed in read-only Cypher")
