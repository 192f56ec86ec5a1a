"""The graph model: values, validation and round trips."""

from __future__ import annotations

import pytest

from citegraph import ids
from citegraph.errors import CitegraphError, ModelError
from citegraph.model import GraphBatch, Node, NodeType, Provenance, Relationship, RelType


def test_node_round_trips_through_dict() -> None:
    node = Node("work:a", NodeType.WORK, "A", {"year": 2020, "authors": ["X, Y"]})
    assert Node.from_dict(node.to_dict()) == node


def test_relationship_round_trips_and_keys_by_provenance() -> None:
    prov = Provenance("work:p", "3.1", (5, 9), "q", "marker", 0.5)
    rel = Relationship("section:p/3.1", "work:r", RelType.CITES, prov)
    assert rel.key == "work:p|3.1|5"
    assert Relationship.from_dict(rel.to_dict()) == rel


@pytest.mark.parametrize("props", [{"id": "x"}, {"bad": {"nested": 1}}, {"f": float("nan")},
                                   {"mixed": [1, "a"]}])
def test_invalid_node_props_raise_model_error(props: dict[str, object]) -> None:
    with pytest.raises(ModelError):
        Node("work:a", NodeType.WORK, "A", props)  # type: ignore[arg-type]


def test_none_props_are_dropped() -> None:
    assert Node("work:a", NodeType.WORK, "A", {"doi": None}).props == {}  # type: ignore[dict-item]


@pytest.mark.parametrize("bad_id", ["", "a\nb", "x" * 3000])
def test_bad_node_ids_are_refused(bad_id: str) -> None:
    with pytest.raises(ModelError):
        Node(bad_id, NodeType.WORK, "A")


def test_bad_span_and_confidence_are_refused() -> None:
    with pytest.raises(ModelError):
        Provenance("d", span=(5, 2))
    with pytest.raises(ModelError):
        Provenance("d", confidence=1.5)


def test_unknown_relationship_type_is_refused() -> None:
    with pytest.raises(ValueError):
        Relationship("a", "b", "DROPS_DATABASE", Provenance("d"))  # type: ignore[arg-type]


def test_stub_flag() -> None:
    assert Node("a", NodeType.ARTICLE, "x", {"stub": True}).is_stub
    assert not Node("a", NodeType.ARTICLE, "x").is_stub


def test_batch_merge_keeps_document() -> None:
    a = GraphBatch.of("d", [Node("a", NodeType.WORK, "A")], [])
    b = GraphBatch.of("other", [Node("b", NodeType.WORK, "B")], [])
    assert a.merged(b).document == "d"
    assert [n.id for n in a.merged(b).nodes] == ["a", "b"]


def test_errors_name_file_and_place() -> None:
    err = CitegraphError("broken", file="x.bib", line=3, place="smith2020")
    assert str(err) == "x.bib:3 (smith2020): broken"


def test_ids_are_deterministic_and_well_formed() -> None:
    iri = ids.akn_work_iri("cn", "act", "1997-03-14", "criminal-law")
    assert ids.instrument_id(iri) == "instrument:/akn/cn/act/1997-03-14/criminal-law"
    assert ids.article_id(iri, ids.article_eid("286-1")).endswith("#art_286-1")
    assert ids.work_id_from_doi("doi:10.1000/ABC.") == "work:doi:10.1000/abc"
    assert ids.work_id_from_title_year("The  Title!", 1999) == \
        ids.work_id_from_title_year("the title", "1999")
    assert ids.jurisdiction_id("cn") == "jurisdiction:CN"
    assert ids.jurisdiction_id("org/UN") == "jurisdiction:org/un"
    assert ids.section_id("Seed Paper", "3.1.2") == "section:seed-paper/3.1.2"
    with pytest.raises(ModelError):
        ids.akn_work_iri("cn", "act", "1997", "two words")
