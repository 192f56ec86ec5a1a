"""The Neo4j store's Cypher builders, tested as strings (no server needed).

What matters: labels and relationship types come only from the model's enums, everything
from input travels as a parameter, writes are batched ``UNWIND`` statements, and search
text is escaped Lucene.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from citegraph.model import Node, NodeType, Provenance, Relationship, RelType
from citegraph.stores import cypher
from citegraph.stores.base import Direction, searchable_text
from citegraph.stores.neo4j_store import node_row, rel_row

HOSTILE = "x'}) MATCH (m) DETACH DELETE m // `Work` $id {id}"
ALLOWED_WORDS = {t.value for t in NodeType} | {t.value for t in RelType}


def labels_in(query: str) -> set[str]:
    """Every ``:Name`` used as a label or type in a pattern."""
    return set(re.findall(r"[(\[]\w*:(\w+)", query)) | set(re.findall(r"\|(\w+)", query))


def assert_params_only(statement: tuple[str, dict[str, Any]], *values: str) -> None:
    query, params = statement
    for value in values:
        assert value not in query
    assert labels_in(query) <= ALLOWED_WORDS, labels_in(query) - ALLOWED_WORDS
    flat = repr(params)
    for value in values:
        assert value in flat or repr(value)[1:-1] in flat


def test_schema_covers_every_label_and_type() -> None:
    statements = cypher.schema_statements()
    text = "\n".join(statements)
    for node_type in NodeType:
        assert f"FOR (n:{node_type.value}) REQUIRE n.id IS UNIQUE" in text
        assert f"FOR (n:{node_type.value}) ON (n.document)" in text
    for rel_type in RelType:
        assert f"FOR ()-[r:{rel_type.value}]-() ON (r.document)" in text
    assert all("IF NOT EXISTS" in s for s in statements)
    fulltext = cypher.fulltext_index_statement()
    assert fulltext.startswith(f"CREATE FULLTEXT INDEX {cypher.FULLTEXT_INDEX}")
    assert "|".join(t.value for t in NodeType) in fulltext
    assert "`fulltext.eventually_consistent`: false" in fulltext


def test_search_text_is_written_with_each_full_node_and_indexed() -> None:
    query, _ = cypher.merge_nodes_query(NodeType.ARTICLE, [])
    assert "SET n.search_text = coalesce(n.label, '')" in query
    assert "'\\nArticle ' + n.number" in query
    for key in ("aliases", "short_name", "name_zh", "title", "authors"):
        assert f"n.{key}" in query
    assert cypher.fulltext_index_statement().count("n.search_text") == 1
    node = Node("article:x#art_3", NodeType.ARTICLE, "第三条", {"number": "3"})
    assert "Article 3" in searchable_text(node)


def test_labels_and_types_are_refused_unless_enums() -> None:
    with pytest.raises(TypeError):
        cypher.label("Work")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        cypher.rel_type("CITES")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        cypher.merge_nodes_query("Work) DETACH DELETE (n", [])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        cypher.type_alternation(["CITES]->() DELETE r //"])  # type: ignore[list-item]
    assert cypher.label(NodeType.WORK) == "Work"


def test_merge_nodes_is_one_unwind_with_stub_semantics() -> None:
    rows = [node_row(Node(HOSTILE, NodeType.INSTRUMENT, HOSTILE, {"note": HOSTILE}))]
    query, params = cypher.merge_nodes_query(NodeType.INSTRUMENT, rows)
    assert query.startswith("UNWIND $rows AS row\nMERGE (n:Instrument {id: row.id})")
    assert "ON CREATE SET n.label = row.label, n += row.props" in query
    assert "CASE WHEN row.stub THEN {} ELSE row.props END" in query
    assert params == {"rows": rows}
    assert_params_only((query, params), HOSTILE)


def test_node_row_carries_the_stub_flag() -> None:
    stub = Node("a:1", NodeType.ARTICLE, "A", {"stub": True})
    assert node_row(stub) == {"id": "a:1", "label": "A", "props": {"stub": True}, "stub": True}
    assert node_row(Node("a:1", NodeType.ARTICLE, "A"))["stub"] is False


def test_merge_relationships_matches_endpoints_and_merges_on_key() -> None:
    rel = Relationship(HOSTILE, "b", RelType.IMPLEMENTS,
                       Provenance(HOSTILE, "art_1", (3, 9), HOSTILE, "catalog", 0.5), {"w": 1})
    row = {**rel_row(rel), "a": "4:x:1", "b": "4:x:2"}
    query, params = cypher.merge_relationships_query(RelType.IMPLEMENTS, [row])
    assert "MATCH (a) WHERE elementId(a) = row.a" in query
    assert "MERGE (a)-[r:IMPLEMENTS {key: row.key}]->(b)\nSET r = row.props" in query
    assert query.endswith("RETURN count(*) AS written")
    assert_params_only((query, params), HOSTILE)


def test_rel_row_flattens_like_to_dict_without_endpoints() -> None:
    rel = Relationship("a", "b", RelType.CITES,
                       Provenance("doc", "1.2", (3, 9), "q", "marker", 0.5), {"page": 4})
    row = rel_row(rel)
    assert row["key"] == rel.key == "doc|1.2|3"
    assert row["props"] == {"key": "doc|1.2|3", "document": "doc", "locator": "1.2",
                            "span": [3, 9], "quote": "q", "method": "marker",
                            "confidence": 0.5, "page": 4}


def test_node_lookups_seek_each_label_index() -> None:
    query, params = cypher.find_node_query(HOSTILE)
    for node_type in NodeType:
        assert f"MATCH (n:{node_type.value} {{id: $id}}) RETURN n" in query
    assert query.count("UNION ALL") == len(NodeType) - 1
    assert params == {"id": HOSTILE}
    assert_params_only(cypher.lookup_types_query([HOSTILE]), HOSTILE)
    assert_params_only(cypher.find_nodes_query([HOSTILE]), HOSTILE)
    assert_params_only(cypher.subgraph_relationships_query([HOSTILE]), HOSTILE)


def test_document_deletion_uses_the_document_indexes() -> None:
    query, params = cypher.delete_document_relationships_query(HOSTILE)
    for rel_type in RelType:
        assert f"MATCH ()-[r:{rel_type.value}]->() WHERE r.document = $document" in query
    assert params == {"document": HOSTILE}
    query, params = cypher.delete_document_nodes_query(HOSTILE)
    assert "MATCH (n:Work) WHERE n.document = $document" in query
    assert "DELETE n" in query and params == {"document": HOSTILE}


@pytest.mark.parametrize("direction,pattern", [(Direction.OUT, "(n)-[r:CITES]->()"),
                                                (Direction.IN, "(n)<-[r:CITES]-()"),
                                                (Direction.BOTH, "(n)-[r:CITES]-()")])
def test_relationship_patterns_follow_direction(direction: Direction, pattern: str) -> None:
    query, params = cypher.relationships_query(HOSTILE, direction, [RelType.CITES], 10)
    assert pattern in query
    assert params == {"id": HOSTILE, "limit": 10}


def test_type_alternation() -> None:
    assert cypher.type_alternation(None) == ""
    assert cypher.type_alternation([RelType.MENTIONS, RelType.CITES]) == ":CITES|MENTIONS"
    query, params = cypher.expand_query(["4:x:1"], Direction.OUT,
                                        [RelType.CITES, RelType.AMENDS], 50)
    assert "(a)-[r:AMENDS|CITES]->(b)" in query
    assert "ORDER BY i, source, type, target, key\nLIMIT $max_rows" in query
    assert params == {"frontier": ["4:x:1"], "max_rows": 50}


def test_shortest_paths_query() -> None:
    query, params = cypher.shortest_paths_query(HOSTILE, "b", [RelType.CITES], True, 4, 100)
    assert "allShortestPaths((a)-[:CITES*..4]->(b))" in query
    assert params == {"source": HOSTILE, "target": "b", "max_rows": 100}
    query, _ = cypher.shortest_paths_query("a", "b", None, False, 6, 100)
    assert "allShortestPaths((a)-[*..6]-(b))" in query


@pytest.mark.parametrize("text", ['"', "\\", "a:b", "(x)", "[1 TO 2]", "x~2", "a*", "?",
                                  "+a -b", "a && b || !c", "{x}", "^3", "/re/", "OR", "AND",
                                  "NOT x"])
def test_lucene_query_escapes_every_special_character(text: str) -> None:
    query = cypher.lucene_query(text)
    # Each clause is required: "+term" or "+(term prefix*)".
    clauses = re.findall(r"\+\((?:\\.|[^)\\])*\)|\+\S+", query)
    assert " ".join(clauses) == query
    for clause in clauses:
        body = clause[2:-1] if clause.startswith("+(") else clause[1:]
        # Every special character is escaped; the only bare one is a trailing prefix "*".
        unescaped = re.sub(r"\\.", "", body)
        unescaped = re.sub(r"\*$", "", unescaped)
        assert not re.search(r'[+\-&|!(){}\[\]^"~*?:\\/]', unescaped), clause
        assert body == body.lower()


def test_lucene_query_requires_each_word_and_cjk_character() -> None:
    assert cypher.lucene_query("Rights of the Child") == (
        "+(rights rights*) +of +the +(child child*)")
    assert cypher.lucene_query("刑法第363条") == "+刑 +法 +第 +条 +(363 363*)"
    assert cypher.lucene_query("  ") == ""
    assert cypher.lucene_query("CRC CRC") == "+(crc crc*)"
    assert cypher.lucene_query("children's") == "+(children's children*)"
    assert cypher.lucene_query("?! ()") == ""  # no word at all: nothing to ask Lucene
    assert cypher.lucene_query("b:c") == "+(b\\:c b*)"
    assert cypher.lucene_query("a:b") == "+a\\:b"  # "a" is a stop word: no prefix


def test_search_query_keeps_text_and_types_in_params() -> None:
    query, params = cypher.search_query(HOSTILE, [NodeType.WORK], 0, 50)
    assert f"db.index.fulltext.queryNodes('{cypher.FULLTEXT_INDEX}', $lucene" in query
    assert HOSTILE not in query
    assert params["types"] == ["Work"]
    assert params["lucene"] == cypher.lucene_query(HOSTILE)


def test_list_nodes_filters_are_parameters() -> None:
    query, params = cypher.list_nodes_query([NodeType.WORK, NodeType.ARTICLE],
                                            {HOSTILE: HOSTILE, "tags": ["a"]}, "a", 10)
    assert HOSTILE not in query
    assert "n[$fk0] = $fv0" in query  # "tags" sorts first: list equality
    assert "CASE WHEN n[$fk1] IS :: LIST<ANY> THEN $fv1 IN n[$fk1]" in query
    assert params["fk1"] == HOSTILE and params["fv1"] == HOSTILE
    assert "MATCH (n:Work)" in query and "MATCH (n:Article)" in query
    assert "MATCH (n:Concept)" not in query
    assert query.rstrip().endswith("ORDER BY n.id LIMIT $limit")


def test_counts_and_paging_queries_cover_every_label() -> None:
    query, _ = cypher.counts_query()
    for t in NodeType:
        assert f"MATCH (n:{t.value})" in query
    for r in RelType:
        assert f"MATCH ()-[r:{r.value}]->()" in query
    query, params = cypher.page_nodes_query(NodeType.CONCEPT, HOSTILE, 7)
    assert "MATCH (n:Concept) WHERE $after IS NULL OR n.id > $after" in query
    assert params == {"after": HOSTILE, "limit": 7}
    assert_params_only(cypher.page_outgoing_query(NodeType.WORK, HOSTILE, 7), HOSTILE)
