"""A small, realistic graph for the API, export and analytics tests.

A paper with sections citing works and mentioning instruments; two treaties (the optional
protocol supplements the convention) and a statute with a judicial interpretation, their
articles, adoption by jurisdictions, concepts the articles address, and an unresolved
instrument. The quotes are written for these tests.
"""

from __future__ import annotations

from citegraph.model import GraphBatch, Node, NodeType, Provenance, Relationship, RelType

PAPER = "work:seed-paper"
OTHER = "work:bib:other2020"
SMITH = "work:bib:smith1984first"
DOI = "work:doi:10.1000/xyz"
LEE = "work:bib:lee2019"
S1, S2, S21, S3 = (f"section:seed-paper/{n}" for n in ("1", "2", "2.1", "3"))

CRC = "instrument:/akn/un/treaty/1989-11-20/crc"
OPSC = "instrument:/akn/un/treaty/2000-05-25/opsc"
CL = "instrument:/akn/cn/act/1997-03-14/criminal-law"
INTERP = "instrument:/akn/cn/judicial-interpretation/2010-02-02/obscene-info"
UNRESOLVED = "instrument:/unresolved/childrens-internet-safety-act"

CRC_34 = "article:/akn/un/treaty/1989-11-20/crc#art_34"
OPSC_2 = "article:/akn/un/treaty/2000-05-25/opsc#art_2"
OPSC_3 = "article:/akn/un/treaty/2000-05-25/opsc#art_3__para_1__item_c"
CL_363 = "article:/akn/cn/act/1997-03-14/criminal-law#art_363"
CL_364 = "article:/akn/cn/act/1997-03-14/criminal-law#art_364"
CL_17_1 = "article:/akn/cn/act/1997-03-14/criminal-law#art_17-1"
INTERP_1 = "article:/akn/cn/judicial-interpretation/2010-02-02/obscene-info#art_1"

CN, UN, GB = "jurisdiction:CN", "jurisdiction:org/un", "jurisdiction:GB"
POSSESSION, CSAM, AGE = "concept:possession", "concept:child-pornography", "concept:age-threshold"

NODES = (
    Node(PAPER, NodeType.WORK, "Combating online exploitation material", {
        "year": 2021, "authors": ["A. Author"], "document": "work:seed-paper"}),
    Node(OTHER, NodeType.WORK, "Another study of platform liability", {"year": 2020}),
    Node(SMITH, NodeType.WORK, "First principles of criminal law", {"year": 1984}),
    Node(DOI, NodeType.WORK, "Possession offences online", {"year": 2015}),
    Node(LEE, NodeType.WORK, "Platform duties in comparative law", {"year": 2019}),
    Node(S1, NodeType.SECTION, "1 Introduction", {"number": "1"}),
    Node(S2, NodeType.SECTION, "2 Chinese criminal law", {"number": "2"}),
    Node(S21, NodeType.SECTION, "2.1 Dissemination offences", {"number": "2.1"}),
    Node(S3, NodeType.SECTION, "3 Comparative view", {"number": "3"}),
    Node(CRC, NodeType.INSTRUMENT, "Convention on the Rights of the Child", {
        "kind": "treaty", "jurisdiction": "org/un", "aliases": ["CRC"], "date": "1989-11-20"}),
    Node(OPSC, NodeType.INSTRUMENT, "Optional Protocol on the sale of children", {
        "kind": "treaty", "jurisdiction": "org/un", "aliases": ["OPSC"], "date": "2000-05-25"}),
    Node(CL, NodeType.INSTRUMENT, "Criminal Law of the PRC", {
        "kind": "statute", "jurisdiction": "CN", "name_zh": "中华人民共和国刑法"}),
    Node(INTERP, NodeType.INSTRUMENT, "Interpretation on obscene electronic information", {
        "kind": "judicial_interpretation", "jurisdiction": "CN"}),
    Node(UNRESOLVED, NodeType.INSTRUMENT, "Children's Internet Safety Act", {
        "status": "unresolved", "aliases": ["CNSA"]}),
    Node(CRC_34, NodeType.ARTICLE, "CRC Article 34", {"number": "34"}),
    Node(OPSC_2, NodeType.ARTICLE, "OPSC Article 2", {"number": "2"}),
    Node(OPSC_3, NodeType.ARTICLE, "OPSC Article 3(1)(c)", {"number": "3"}),
    Node(CL_363, NodeType.ARTICLE, "Criminal Law Article 363", {"number": "363"}),
    Node(CL_364, NodeType.ARTICLE, "Criminal Law Article 364", {"number": "364"}),
    Node(CL_17_1, NodeType.ARTICLE, "Criminal Law Article 17-1", {"number": "17-1"}),
    Node(INTERP_1, NodeType.ARTICLE, "Interpretation Article 1", {"number": "1"}),
    Node(CN, NodeType.JURISDICTION, "China"),
    Node(UN, NodeType.JURISDICTION, "United Nations"),
    Node(GB, NodeType.JURISDICTION, "United Kingdom"),
    Node(POSSESSION, NodeType.CONCEPT, "possession"),
    Node(CSAM, NodeType.CONCEPT, "child pornography"),
    Node(AGE, NodeType.CONCEPT, "age threshold"),
)


def _rel(source: str, rel_type: RelType, target: str, document: str = PAPER,
         locator: str = "", quote: str = "", span: tuple[int, int] | None = None,
         method: str = "catalog") -> Relationship:
    return Relationship(source, target, rel_type,
                        Provenance(document, locator, span, quote, method, 0.9))


def _structure() -> list[Relationship]:
    rels = [_rel(PAPER, RelType.HAS_SECTION, s, locator=s.rsplit("/", 1)[1])
            for s in (S1, S2, S21, S3)]
    rels.append(_rel(S21, RelType.PART_OF, S2, locator="2.1"))
    for instrument, articles in ((CRC, [CRC_34]), (OPSC, [OPSC_2, OPSC_3]),
                                 (CL, [CL_363, CL_364, CL_17_1]), (INTERP, [INTERP_1])):
        rels += [_rel(instrument, RelType.HAS_ARTICLE, a, document=instrument,
                      locator=a.split("#")[1]) for a in articles]
    return rels


def _citations() -> list[Relationship]:
    cites = [(S1, SMITH, 120), (S1, DOI, 180), (S2, SMITH, 400), (S2, LEE, 450),
             (S3, DOI, 900)]
    rels = [_rel(s, RelType.CITES, w, locator=s.rsplit("/", 1)[1], span=(start, start + 40),
                 quote=f"A sentence citing work {w.rsplit(':', 1)[1]}.", method="marker")
            for s, w, start in cites]
    rels += [_rel(OTHER, RelType.CITES, w, document=OTHER, locator="refs", method="bibtex")
             for w in (SMITH, DOI)]
    return rels


def _mentions() -> list[Relationship]:
    mentions = [(S1, CRC, 100), (S1, OPSC, 140), (S2, CL_363, 410), (S2, INTERP, 460),
                (S21, CL_363, 600), (S21, CRC_34, 640), (S3, UNRESOLVED, 910),
                (S3, POSSESSION, 950), (S3, GB, 980)]
    return [_rel(s, RelType.MENTIONS, t, locator=s.rsplit("/", 1)[1], span=(start, start + 30),
                 quote=f"This sentence names {t.rsplit('/', 1)[-1]}.", method="gazetteer")
            for s, t, start in mentions]


def _legal() -> list[Relationship]:
    return [
        _rel(OPSC, RelType.SUPPLEMENTS, CRC, document=OPSC, locator="preamble",
             quote="The protocol supplements the convention."),
        _rel(INTERP_1, RelType.INTERPRETS, CL_363, document=INTERP, locator="art_1",
             quote="Article 1 construes Article 363.", method="pattern"),
        _rel(CL_364, RelType.REFERS_TO, CL_363, document=CL, locator="art_364",
             method="pattern"),
        _rel(OPSC_3, RelType.REFERS_TO, OPSC_2, document=OPSC, locator="art_3"),
        _rel(CN, RelType.RATIFIED, CRC, document="catalog", locator="CN"),
        _rel(CN, RelType.RATIFIED, OPSC, document="catalog", locator="CN"),
        _rel(CN, RelType.ENACTED, CL, document="catalog", locator="CN"),
        _rel(CN, RelType.ENACTED, INTERP, document="catalog", locator="CN"),
        _rel(GB, RelType.RATIFIED, CRC, document="catalog", locator="GB"),
        _rel(OPSC_2, RelType.DEFINES, CSAM, document=OPSC, locator="art_2"),
        _rel(CRC_34, RelType.ADDRESSES, CSAM, document=CRC, locator="art_34"),
        _rel(CL_363, RelType.ADDRESSES, CSAM, document=CL, locator="art_363"),
        _rel(INTERP_1, RelType.ADDRESSES, POSSESSION, document=INTERP, locator="art_1"),
        _rel(CL_17_1, RelType.DEFINES, AGE, document=CL, locator="art_17-1"),
    ]


RELATIONSHIPS = (*_structure(), *_citations(), *_mentions(), *_legal())


def fixture_batch() -> GraphBatch:
    """The whole fixture graph as one batch."""
    return GraphBatch.of("fixture", NODES, RELATIONSHIPS)
