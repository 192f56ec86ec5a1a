"""A small legal graph with hostile labels, shared by the explorer and browser tests.

The quotes are invented for the tests (not taken from the corpus). Several labels and
quotes are script injections that set ``window.__pwned``: a test asserts it stays undefined.
"""

from __future__ import annotations

from citegraph.model import GraphBatch, Node, NodeType, Provenance, Relationship, RelType

CRC = "instrument:/akn/un/treaty/1989-11-20/crc"
CRC_34 = "article:/akn/un/treaty/1989-11-20/crc#art_34"
CRIM = "instrument:/akn/cn/act/1997-03-14/criminal-law"
CRIM_363 = "article:/akn/cn/act/1997-03-14/criminal-law#art_363"
SPC = "instrument:/akn/cn/judgment/2010-02-02/spc-interpretation"
CN = "jurisdiction:CN"
WORK = "work:seed-paper"
SEC_1 = "section:seed-paper/1"
SEC_2 = "section:seed-paper/2"
POSSESSION = "concept:possession"
EVIL_INSTRUMENT = "instrument:unresolved/evil"
EVIL_CONCEPT = "concept:evil"
EVIL_WORK = "work:evil"

IMG_LABEL = '<img src=x onerror="window.__pwned=1;alert(1)">'
SCRIPT_LABEL = "</script><script>window.__pwned=2;alert(2)</script>"
SVG_LABEL = "\"'><svg onload=\"window.__pwned=3\">\u2028x"
SCRIPT_QUOTE = "A test sentence <script>window.__pwned=4</script> citing art. 34."


def _p(document: str, locator: str, quote: str = "", start: int = 0,
       method: str = "pattern") -> Provenance:
    return Provenance(document, locator, (start, start + max(1, len(quote))), quote, method, 0.9)


def legal_batch() -> GraphBatch:
    nodes = [
        Node(CRC, NodeType.INSTRUMENT, "Convention on the Rights of the Child",
             {"kind": "treaty", "year": 1989, "short_name": "CRC"}),
        Node(CRC_34, NodeType.ARTICLE, "CRC art. 34", {"number": "34"}),
        Node(CRIM, NodeType.INSTRUMENT, "Criminal Law of the PRC",
             {"kind": "statute", "year": 1997, "name_zh": "中华人民共和国刑法",
              "aliases": ["刑法"], "work_iri": "/akn/cn/act/1997-03-14/criminal-law"}),
        Node(CRIM_363, NodeType.ARTICLE, "Criminal Law art. 363", {"number": "363"}),
        Node(SPC, NodeType.INSTRUMENT, "SPC/SPP interpretation (2010)",
             {"kind": "judicial_interpretation", "year": 2010}),
        Node(CN, NodeType.JURISDICTION, "China"),
        Node(WORK, NodeType.WORK, "Seed paper", {"year": 2021}),
        Node(SEC_1, NodeType.SECTION, "1 Introduction", {"number": "1", "document": WORK}),
        Node(SEC_2, NodeType.SECTION, "2 Comparison", {"number": "2", "document": WORK}),
        Node(POSSESSION, NodeType.CONCEPT, "possession"),
        Node(EVIL_INSTRUMENT, NodeType.INSTRUMENT, IMG_LABEL, {"status": "unresolved",
                                                               "note": SCRIPT_LABEL}),
        Node(EVIL_CONCEPT, NodeType.CONCEPT, SCRIPT_LABEL),
        Node(EVIL_WORK, NodeType.WORK, SVG_LABEL, {"year": 2019}),
    ]
    rels = [
        Relationship(CRC, CRC_34, RelType.HAS_ARTICLE, _p(CRC, "art_34", method="catalog")),
        Relationship(CRIM, CRIM_363, RelType.HAS_ARTICLE, _p(CRIM, "art_363", method="catalog")),
        Relationship(CN, CRC, RelType.RATIFIED, _p("catalog", "CN", method="catalog"),
                     {"date": "1992-01-31"}),
        Relationship(SPC, CRIM_363, RelType.INTERPRETS, _p(SPC, "art_1", "Test: interprets.")),
        Relationship(CRC_34, EVIL_CONCEPT, RelType.DEFINES, _p(CRC, "art_34", SCRIPT_QUOTE)),
        Relationship(CRIM_363, POSSESSION, RelType.ADDRESSES, _p(CRIM, "art_363", "Test.")),
        Relationship(WORK, SEC_1, RelType.HAS_SECTION, _p(WORK, "1", method="structure")),
        Relationship(WORK, SEC_2, RelType.HAS_SECTION, _p(WORK, "2", method="structure")),
        Relationship(SEC_1, CRC_34, RelType.MENTIONS, _p(WORK, "1", SCRIPT_QUOTE, 10)),
        Relationship(SEC_1, CRC, RelType.MENTIONS, _p(WORK, "1", "The test names the CRC.", 50)),
        Relationship(SEC_2, CRIM_363, RelType.MENTIONS, _p(WORK, "2", "Test on art. 363.", 90)),
        Relationship(SEC_2, EVIL_INSTRUMENT, RelType.MENTIONS, _p(WORK, "2", IMG_LABEL, 120)),
        Relationship(SEC_2, EVIL_WORK, RelType.CITES, _p(WORK, "2", SVG_LABEL, 160, "marker")),
    ]
    return GraphBatch.of(WORK, nodes, rels)
