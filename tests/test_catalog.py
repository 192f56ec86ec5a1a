"""The curated catalog: schema, cross-references, graph batch, name resolution, coverage."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from citegraph import ids
from citegraph.catalog import (
    Catalog,
    catalog_batch,
    catalog_json_schema,
    default_catalog_dir,
    load_catalog,
)
from citegraph.errors import CatalogError
from citegraph.model import NodeType, RelType

CRC = "/akn/un/treaty/1989-11-20/crc"
OPSC = "/akn/un/treaty/2000-05-25/opsc"
CRIMINAL_LAW = "/akn/cn/act/1997-03-14/criminal-law"
INTERP_2004 = "/akn/cn/interpretation/2004-09-03/obscene-electronic-information"
INTERP_2010 = "/akn/cn/interpretation/2010-02-02/obscene-electronic-information-ii"
MINORS_LAW = "/akn/cn/act/2020-10-17/minors-protection-law"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(default_catalog_dir())


def test_catalog_validates_against_its_json_schema(catalog: Catalog) -> None:
    schema = catalog_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(catalog.model_dump(mode="json"), schema)


def test_every_instrument_id_is_well_formed(catalog: Catalog) -> None:
    iri = re.compile(r"^/akn/[a-z][a-z0-9-]*/[a-z-]+/\d{4}-\d{2}-\d{2}/[a-z0-9-]+$")
    for entry in catalog.iter_instruments():
        assert iri.match(entry.iri), entry.key
        assert entry.node_id == ids.instrument_id(entry.iri)
        assert ids.work_iri_of(entry.node_id) == entry.iri


def test_relations_point_at_known_instruments(catalog: Catalog) -> None:
    for rel in catalog.relations.values():
        assert rel.source in catalog.instruments and rel.target in catalog.instruments


def test_batch_has_no_dangling_endpoints_and_catalog_provenance(catalog: Catalog) -> None:
    batch = catalog_batch(catalog)
    node_ids = {n.id for n in batch.nodes}
    assert len(node_ids) == len(batch.nodes)
    for rel in batch.relationships:
        assert rel.source in node_ids and rel.target in node_ids, rel.identity
        assert rel.provenance.document == "catalog" and rel.provenance.method == "catalog"
        assert rel.provenance.locator
    assert batch.document == "catalog"


def _edges(catalog: Catalog) -> set[tuple[str, str, str]]:
    return {(r.source, r.type.value, r.target) for r in catalog_batch(catalog).relationships}


def test_required_paths_exist(catalog: Catalog) -> None:
    edges = _edges(catalog)
    inst = ids.instrument_id
    assert (inst(OPSC), "SUPPLEMENTS", inst(CRC)) in edges
    assert ("jurisdiction:CN", "RATIFIED", inst(CRC)) in edges
    assert ("jurisdiction:CN", "RATIFIED", inst(OPSC)) in edges
    assert ("jurisdiction:CN", "SIGNED", inst(CRC)) in edges
    art363 = ids.article_id(CRIMINAL_LAW, ids.article_eid("363"))
    art364 = ids.article_id(CRIMINAL_LAW, ids.article_eid("364"))
    assert (inst(INTERP_2004), "INTERPRETS", art363) in edges
    assert (inst(INTERP_2004), "INTERPRETS", art364) in edges
    assert (inst(INTERP_2004), "INTERPRETS", inst(CRIMINAL_LAW)) in edges
    assert (inst(INTERP_2010), "INTERPRETS", inst(CRIMINAL_LAW)) in edges


def test_china_dates_follow_the_record(catalog: Catalog) -> None:
    batch = catalog_batch(catalog)
    dates = {(r.type.value, r.target): r.props["date"] for r in batch.relationships
             if r.source == "jurisdiction:CN" and r.type in (RelType.RATIFIED, RelType.SIGNED)}
    assert dates[("SIGNED", ids.instrument_id(CRC))] == "1990-08-29"
    assert dates[("RATIFIED", ids.instrument_id(CRC))] == "1992-03-02"
    assert dates[("SIGNED", ids.instrument_id(OPSC))] == "2000-09-06"
    assert dates[("RATIFIED", ids.instrument_id(OPSC))] == "2002-12-03"


def test_instrument_node_props(catalog: Catalog) -> None:
    nodes = {n.id: n for n in catalog_batch(catalog).nodes}
    law = nodes[ids.instrument_id(CRIMINAL_LAW)]
    assert law.type is NodeType.INSTRUMENT
    assert law.props["kind"] == "statute" and law.props["year"] == 1997
    assert law.props["adopted"] == "1997-03-14" and law.props["jurisdiction"] == "CN"
    aliases = law.props["aliases"]
    assert isinstance(aliases, list) and "刑法" in aliases
    assert law.props["name_zh"] == "中华人民共和国刑法"
    stub = nodes[ids.article_id(CRIMINAL_LAW, "art_363")]
    assert stub.is_stub and stub.type is NodeType.ARTICLE
    crc = catalog.instrument(CRC)
    assert crc.adopted.isoformat() == "1989-11-20"
    assert catalog.instrument(OPSC).adopted.isoformat() == "2000-05-25"
    with pytest.raises(KeyError):
        catalog.instrument("/akn/xx/act/2000-01-01/nothing")


@pytest.mark.parametrize(("name", "iri"), [
    ("刑法", CRIMINAL_LAW),
    ("中华人民共和国刑法", CRIMINAL_LAW),
    ("《中华人民共和国刑法》", CRIMINAL_LAW),
    ("the criminal law of 1997", CRIMINAL_LAW),
    ("UNCRC", CRC),
    ("United  Nations\nConvention on the Rights of the Child", CRC),
    ("ＯＰＳＣ", OPSC),
    ("未成年人保护法", MINORS_LAW),
    ("Law of the People's Republic of China on Protection of Minors", MINORS_LAW),
    ("Children’s Internet Protection Act",
     "/akn/us/act/2000-12-21/childrens-internet-protection-act"),
    ("2011/93/EU", "/akn/eu/directive/2011-12-13/2011-93-eu"),
    ("Lanzarote Convention", "/akn/coe/treaty/2007-10-25/cets-201"),
    ("Budapest Convention", "/akn/coe/treaty/2001-11-23/ets-185"),
])
def test_resolve_name(catalog: Catalog, name: str, iri: str) -> None:
    assert catalog.resolve_name(name) == iri


def test_the_two_interpretations_resolve_by_their_chinese_titles(catalog: Catalog) -> None:
    title_2004 = catalog.instrument(INTERP_2004).name_zh
    assert title_2004 is not None
    assert catalog.resolve_name(title_2004) == INTERP_2004
    assert catalog.resolve_name(title_2004 + "（二）") == INTERP_2010


@pytest.mark.parametrize("name", ["Children's Internet Safety Act", "CNSA", "Child Protection Act",
                                  "Charter of the United Nations Children's Fund", ""])
def test_unknown_names_do_not_resolve(catalog: Catalog, name: str) -> None:
    assert catalog.resolve_name(name) is None


# The seed paper (../shared/corpus/seed-paper.txt), read by the author of the catalog:
# every instrument, jurisdiction, organisation and concept it discusses, by catalog id.
SEED_PAPER_INSTRUMENTS = [
    CRC,  # 3.1.1, 5.1, Table 1
    OPSC,  # 3.1.1
    "/akn/ilo/treaty/1999-06-17/c182",  # 3.1.1 "Convention on the Worst Forms of Child Labor"
    CRIMINAL_LAW,  # 3.1.2 "Criminal Law of 1997", Table 1
    INTERP_2004,  # 3.1.2 "two judicial interpretations", 3.2.1
    INTERP_2010,
    MINORS_LAW,  # Table 1
    "/akn/eu/recommendation/1998-09-24/98-560-ec",  # 4.1
    "/akn/eu/decision/2003-12-22/2004-68-jha",  # 4.1
    "/akn/us/act/2000-12-21/childrens-internet-protection-act",  # 4.1
    "/akn/us/act/1998-10-21/child-online-protection-act",  # Table 1 (COPA)
    "/akn/au/act/2001-10-01/cybercrime-act",  # Table 1
    "/akn/interpol/treaty/1956-06-13/constitution",  # Table 1 (as "Charter")
]
SEED_PAPER_JURISDICTIONS = ["CN", "US", "GB", "AU", "CA", "JP", "org/un", "org/eu",
                            "org/unodc", "org/interpol", "org/unicef", "org/ilo"]
SEED_PAPER_CONCEPTS = ["child-sexual-abuse-material", "age-threshold", "profit-purpose",
                       "possession", "platform-liability", "obscenity-standard",
                       "obscene-electronic-information", "aggravating-circumstance",
                       "sexual-exploitation-of-children", "cybercrime",
                       "international-cooperation", "industry-self-regulation"]


def test_seed_paper_coverage(catalog: Catalog) -> None:
    for iri in SEED_PAPER_INSTRUMENTS:
        assert catalog.has_instrument(iri), iri
    for code in SEED_PAPER_JURISDICTIONS:
        assert code in catalog.jurisdictions, code
    for slug in SEED_PAPER_CONCEPTS:
        assert slug in catalog.concepts, slug


def test_terminology_bridge_is_one_concept(catalog: Catalog) -> None:
    concept = catalog.concepts["child-sexual-abuse-material"]
    names = {a.casefold() for a in concept.aliases}
    assert {"child pornography", "child sexual abuse material"} <= names
    assert concept.instrument_term == "child pornography"


# --- broken catalogs -----------------------------------------------------------------------


@pytest.fixture()
def copy_dir(tmp_path: Path) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(default_catalog_dir(), target)
    return target


def _edit(path: Path, key: str, change: dict[str, object]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data[key] = {**data[key], **change}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(("file", "key", "change", "message"), [
    ("instruments.yaml", "crc", {"iri": "crc"}, "Akoma Ntoso"),
    ("instruments.yaml", "opsc", {"kind": "poem"}, "kind"),
    ("instruments.yaml", "opsc", {"adopted": "2001-01-01"}, "IRI date"),
    ("instruments.yaml", "opsc", {"jurisdiction": "XX"}, "unknown jurisdiction"),
    ("instruments.yaml", "opsc", {"colour": "red"}, "colour"),
    ("instruments.yaml", "opsc", {"aliases": ["刑法"]}, "also used by"),
    ("relations.yaml", "opsc-supplements-crc", {"target": "nope"}, "unknown instrument"),
    ("relations.yaml", "opsc-supplements-crc", {"type": "LIKES"}, "type"),
    ("adoptions.yaml", "cn-ratifies-crc", {"date": "1980-01-01"}, "precedes"),
    ("concepts.yaml", "possession", {"defined_in": [{"instrument": "opsc", "article": "x"}]},
     "article number"),
])
def test_broken_entry_names_file_and_entry(copy_dir: Path, file: str, key: str,
                                           change: dict[str, object], message: str) -> None:
    _edit(copy_dir / file, key, change)
    with pytest.raises(CatalogError) as info:
        load_catalog(copy_dir)
    err = info.value
    assert err.file is not None and err.file.endswith(file)
    assert err.place == key
    assert message in str(err)


def test_invalid_yaml_names_the_line(copy_dir: Path) -> None:
    path = copy_dir / "relations.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nbroken: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(copy_dir)
    assert info.value.file is not None and info.value.file.endswith("relations.yaml")
    assert info.value.line is not None


def test_missing_file_and_missing_dir(copy_dir: Path, tmp_path: Path) -> None:
    (copy_dir / "concepts.yaml").unlink()
    with pytest.raises(CatalogError, match="missing"):
        load_catalog(copy_dir)
    with pytest.raises(CatalogError):
        load_catalog(tmp_path / "nowhere")


C182 = "/akn/ilo/treaty/1999-06-17/c182"
INTERPOL = "/akn/interpol/treaty/1956-06-13/constitution"


@pytest.mark.parametrize(("name", "iri", "method"), [
    ("ILO Convention No. 182", C182, "exact"),
    # a numbered designator at the start, with or without the organisation in front
    ("Convention No. 182 on Banning the Worst Kinds of Work by Children", C182, "variant"),
    ("the ILO Convention No. 182 concerning child labour", C182, "variant"),
    ("Convention 182", C182, "variant"),
    ("International Labour Organization Convention No. 182", C182, "variant"),
    # an organisation's name in front of a listed name
    ("ILO Worst Forms of Child Labour Convention", C182, "variant"),
    # cut short by a line break: a run of whole words inside one listed name
    ("Charter of the International", INTERPOL, "contained"),
])
def test_match_name_variants(catalog: Catalog, name: str, iri: str, method: str) -> None:
    match = catalog.match_name(name)
    assert match is not None and (match.iri, match.method) == (iri, method)
    assert catalog.resolve_name(name) == iri
    assert 0 < match.confidence <= 1 and (match.confidence == 1) == (method == "exact")


@pytest.mark.parametrize("name", [
    "Hague Convention on the Civil Aspects of International Child Abduction",
    "International Covenant on Civil and Political Rights",
    "Universal Declaration of Human Rights",
    "Charter of the United Nations Children's Fund",  # holds a listed name: not that name
    "Convention on the Rights",  # inside the names of three instruments: not guessed
    "Recommendation 98 on Something",  # "98" of 98/560/EC is no designator
    "Convention No. 999",
    "Rights of the Child",  # no kind of instrument in it
    "Kingdom Safety Act",
])
def test_match_name_does_not_guess(catalog: Catalog, name: str) -> None:
    assert catalog.match_name(name) is None and catalog.resolve_name(name) is None
