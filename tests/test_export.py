"""Canonical node-link JSON, GraphML and GEXF exports of the fixture graph."""

from __future__ import annotations

import io
import json
import random

import networkx as nx
import orjson
from graph_fixture import CL, CL_363, NODES, PAPER, RELATIONSHIPS, S21, fixture_batch
from hypothesis import given, settings
from hypothesis import strategies as st

from citegraph import export
from citegraph.model import GraphBatch, Node, NodeType
from citegraph.stores.embedded import EmbeddedStore


def _store(order_seed: int | None = None) -> EmbeddedStore:
    nodes, rels = list(NODES), list(RELATIONSHIPS)
    if order_seed is not None:
        rng = random.Random(order_seed)
        rng.shuffle(nodes)
        rng.shuffle(rels)
    store = EmbeddedStore(None)
    store.write(GraphBatch.of("fixture", nodes, rels))
    return store


@settings(max_examples=10, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_json_is_byte_identical_whatever_the_load_order(seed: int) -> None:
    assert export.export_json(_store(seed)) == export.export_json(_store())


def test_json_is_canonical_and_reads_back() -> None:
    data = export.export_json(_store())
    assert data == b"".join(export.iter_export_json(NODES, RELATIONSHIPS))
    parsed = orjson.loads(data)
    ids = [n["id"] for n in parsed["nodes"]]
    assert ids == sorted(ids) and len(ids) == len(NODES)
    keys = [(e["source"], e["type"], e["target"], e["key"]) for e in parsed["edges"]]
    assert keys == sorted(keys) and len(keys) == len(RELATIONSHIPS)
    first = parsed["nodes"][0]
    assert list(first) == sorted(first)
    graph = export.node_link_graph(data)
    assert graph.number_of_nodes() == len(NODES)
    assert graph.number_of_edges() == len(RELATIONSHIPS)
    assert graph.nodes[PAPER]["authors"] == ["A. Author"]
    assert json.loads(data) == parsed  # plain JSON, nothing orjson-specific


def test_empty_graph_exports() -> None:
    empty = orjson.loads(export.export_json(EmbeddedStore(None)))
    assert empty["nodes"] == [] and empty["edges"] == []


def test_graphml_reads_back_with_the_same_counts_and_values() -> None:
    buffer = io.BytesIO()
    export.export_graphml(_store(), buffer)
    graph = nx.read_graphml(io.BytesIO(buffer.getvalue()))
    assert graph.number_of_nodes() == len(NODES)
    assert graph.number_of_edges() == len(RELATIONSHIPS)
    assert json.loads(graph.nodes[PAPER]["authors"]) == ["A. Author"]
    assert graph.nodes[PAPER]["year"] == 2021
    mention = next(d for u, v, d in graph.edges(data=True) if u == S21 and v == CL_363)
    assert mention["type"] == "MENTIONS" and json.loads(mention["span"]) == [600, 630]
    assert mention["document"] == PAPER


def test_graphml_with_a_property_of_mixed_types() -> None:
    nodes = [Node("work:a", NodeType.WORK, "A", {"year": 2001}),
             Node("work:b", NodeType.WORK, "B", {"year": "2002?"})]
    text = b"".join(export.iter_graphml(nodes, []))
    graph = nx.read_graphml(io.BytesIO(text))
    assert {graph.nodes["work:a"]["year"], graph.nodes["work:b"]["year"]} == {"2001", "2002?"}


def test_gexf_reads_back_with_relationship_types_as_labels() -> None:
    buffer = io.BytesIO()
    export.export_gexf(_store(), buffer)
    graph = nx.read_gexf(io.BytesIO(buffer.getvalue()))
    assert graph.number_of_nodes() == len(NODES)
    assert graph.number_of_edges() == len(RELATIONSHIPS)
    labels = {d["label"] for _, _, d in graph.edges(data=True)}
    assert {"MENTIONS", "HAS_ARTICLE", "INTERPRETS"} <= labels
    assert graph.nodes[CL]["label"] == "Criminal Law of the PRC"


def test_to_networkx_is_flat_and_keyed() -> None:
    store = EmbeddedStore(None)
    store.write(fixture_batch())
    graph = export.to_networkx(store.iter_nodes(), store.iter_relationships())
    for _, data in graph.nodes(data=True):
        assert all(isinstance(v, str | int | float | bool) for v in data.values())
    for _, _, key, data in graph.edges(keys=True, data=True):
        assert key.startswith(data["type"] + "|")
