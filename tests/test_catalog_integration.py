"""The catalog, the legal texts and the seed paper's mentions meet in one graph.

Checks the paths issue 9 asks for, with the catalog loaded before and after the legal texts
(stubs never overwrite full nodes, so load order must not matter).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from citegraph import ids
from citegraph.catalog import Catalog, catalog_batch, default_catalog_dir, load_catalog
from citegraph.model import GraphBatch, NodeType, RelType
from citegraph.stores.embedded import EmbeddedStore

SHARED = Path(os.environ.get("CITEGRAPH_SHARED")
              or Path(__file__).resolve().parents[1].parent / "shared")
CORPUS = SHARED / "corpus"

pytestmark = pytest.mark.skipif(not (CORPUS / "seed-paper.txt").is_file(),
                                reason="shared corpus not available")

CRC = ids.instrument_id("/akn/un/treaty/1989-11-20/crc")
OPSC = ids.instrument_id("/akn/un/treaty/2000-05-25/opsc")
CRIMINAL_LAW = "/akn/cn/act/1997-03-14/criminal-law"
INTERP_2004 = ids.instrument_id("/akn/cn/interpretation/2004-09-03/obscene-electronic-information")


def _legal_batches(catalog: Catalog) -> list[GraphBatch]:
    legal = pytest.importorskip("ingest.legal")
    return [legal.read_legal_text(path, resolve=catalog.resolve_name).batch
            for path in sorted((CORPUS / "legal").glob("*.md"))]


def _paper_batch(catalog: Catalog) -> GraphBatch:
    paper = pytest.importorskip("ingest.paper")
    from ingest.mentions import extract_mentions

    text = (CORPUS / "seed-paper.txt").read_text(encoding="utf-8")
    parsed = paper.parse_paper(text, file="seed-paper.txt", slug="seed-paper")
    nodes, rels = extract_mentions(parsed.sentences, catalog,
                                   document=str(parsed.batch.document))
    batch: GraphBatch = parsed.batch
    return batch.merged(GraphBatch.of(batch.document, nodes, rels))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(default_catalog_dir())


@pytest.fixture(scope="module", params=["catalog-first", "catalog-last"])
def store(request: pytest.FixtureRequest, catalog: Catalog) -> EmbeddedStore:
    batches = [*_legal_batches(catalog), _paper_batch(catalog)]
    order = ([catalog_batch(catalog), *batches] if request.param == "catalog-first"
             else [*batches, catalog_batch(catalog)])
    graph = EmbeddedStore()
    for batch in order:
        graph.write(batch)
    return graph


def test_section_mentions_protocol_which_supplements_convention(store: EmbeddedStore) -> None:
    mentions = [r for r in store.relationships(OPSC, rel_types=[RelType.MENTIONS])
                if r.target == OPSC]
    assert any(r.source == ids.section_id("seed-paper", "3.1.1") for r in mentions)
    assert store.find_relationship(OPSC, RelType.SUPPLEMENTS, CRC)


def test_china_ratified_both(store: EmbeddedStore) -> None:
    for target in (CRC, OPSC):
        rels = store.find_relationship("jurisdiction:CN", RelType.RATIFIED, target)
        assert rels and rels[0].props["date"]


def test_interpretation_interprets_article_363_with_its_text(store: EmbeddedStore) -> None:
    article = ids.article_id(CRIMINAL_LAW, ids.article_eid("363"))
    assert store.find_relationship(INTERP_2004, RelType.INTERPRETS, article)
    node = store.get_node(article)
    assert not node.is_stub and node.props.get("number") == "363"


def test_catalog_instrument_nodes_win_over_reader_stubs(store: EmbeddedStore) -> None:
    law = store.get_node(ids.instrument_id(CRIMINAL_LAW))
    assert not law.is_stub and law.props["kind"] == "statute"
    cnsa = [n for n in store.iter_nodes() if "CNSA" in n.label]
    assert len(cnsa) == 1 and cnsa[0].props["status"] == "unresolved"


def test_every_catalog_article_exists_in_the_loaded_texts(catalog: Catalog) -> None:
    """Articles the catalog names (INTERPRETS targets, DEFINES/ADDRESSES sources) are real."""
    loaded: set[str] = set()
    texts: set[str] = set()
    for batch in _legal_batches(catalog):
        texts.add(batch.document)
        loaded.update(n.id for n in batch.nodes if n.type.value == "Article")
    stubs = [n for n in catalog_batch(catalog).nodes if n.is_stub]
    checked = [n for n in stubs if ids.instrument_id(str(n.props["work_iri"])) in texts]
    assert len(checked) >= 20
    missing = [n.id for n in checked if n.id not in loaded]
    assert missing == []


def test_no_unresolved_instrument_is_one_the_catalog_has(catalog: Catalog) -> None:
    """Every unresolved Instrument the corpus produces is one the catalog does not know."""
    batches = [*_legal_batches(catalog), _paper_batch(catalog)]
    unresolved = {n.id: str(n.props.get("name") or n.label) for b in batches for n in b.nodes
                  if n.type is NodeType.INSTRUMENT and n.props.get("status") == "unresolved"}
    assert unresolved, "the corpus names instruments the catalog does not have"
    assert {name: catalog.resolve_name(name) for name in unresolved.values()
            if catalog.resolve_name(name) is not None} == {}
    assert not any("182" in name for name in unresolved.values())
    assert any("Hague" in name for name in unresolved.values())
    assert any("CNSA" in name for name in unresolved.values())
    opsc = next(b for b in batches if b.document == OPSC)
    c182 = ids.instrument_id("/akn/ilo/treaty/1999-06-17/c182")
    assert any(r.target == c182 and r.type is RelType.REFERS_TO for r in opsc.relationships)
