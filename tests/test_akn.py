"""Akoma Ntoso: FRBR work IRI, provisions with nested eIds, and refusal of XML attacks."""

from __future__ import annotations

import doctest

import pytest
from legal_corpus import LEGAL

import ingest.akn
from citegraph.errors import InputTooLargeError, LegalTextError, UnsafeXmlError
from citegraph.model import NodeType, RelType
from ingest.akn import parse_akoma_ntoso, read_akoma_ntoso
from ingest.base import DocumentKind

SAMPLE = LEGAL / "akn-sample-eids-basic.xml"
HEAD = (b'<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"><act><meta>'
        b'<identification><FRBRWork><FRBRthis value="/akn/xx/act/2020/1/!main"/>'
        b'<FRBRalias name="title" value="Example Act"/></FRBRWork></identification></meta>'
        b'<body>')
TAIL = b"</body></act></akomaNtoso>"


def test_doctests() -> None:
    assert doctest.testmod(ingest.akn).failed == 0


def test_sample_work_iri_and_nested_eids() -> None:
    doc = read_akoma_ntoso(SAMPLE)
    assert doc.kind is DocumentKind.LEGAL
    assert doc.batch.document == "instrument:/akn/za/act/2009/10"
    own = [n for n in doc.batch.nodes if n.type == NodeType.ARTICLE and not n.is_stub]
    eids = [str(n.props["eid"]) for n in own]
    # every provision with an eId, nested eIds kept exactly, in document order
    raw = SAMPLE.read_text(encoding="utf-8")
    expected = ["dvs_A", "dvs_A__para_1", "dvs_A__para_4", "dvs_A__para_4__list_1__item_a",
                "dvs_A__para_4__list_1__item_b", "dvs_B", "dvs_B__para_13", "dvs_B__para_14"]
    assert eids == expected
    assert all(f'eId="{e}"' in raw for e in eids)
    by_eid = {str(n.props["eid"]): n for n in own}
    assert by_eid["dvs_A__para_4"].props["parent"] == "dvs_A"
    assert by_eid["dvs_A__para_4"].props["number"] == "4"
    assert by_eid["dvs_A__para_1"].props["number"] == "1"
    assert "heading" in by_eid["dvs_B"].props
    has = [r for r in doc.batch.relationships if r.type == RelType.HAS_ARTICLE]
    assert len(has) == len(own)
    refs = [r for r in doc.batch.relationships if r.type == RelType.REFERS_TO]
    assert [r.source.rsplit("#", 1)[1] for r in refs] == ["dvs_A__para_4"]
    node_ids = {n.id for n in doc.batch.nodes}
    assert all(r.target in node_ids for r in doc.batch.relationships)


def test_articles_sections_and_component_suffix() -> None:
    xml = HEAD + (b'<article eId="art_1"><num>Article 1</num><paragraph eId="art_1__para_1">'
                  b'<num>1.</num><content><p>See <ref href="/akn/xx/act/2020/1/~art_2">art 2'
                  b'</ref></p></content></paragraph></article><article eId="art_2"><num>2'
                  b'</num></article>') + TAIL
    doc = parse_akoma_ntoso(xml, file="x.xml")
    assert doc.batch.document == "instrument:/akn/xx/act/2020/1"
    titles = [n.label for n in doc.batch.nodes if n.type == NodeType.INSTRUMENT]
    assert titles == ["Example Act"]
    refs = [r for r in doc.batch.relationships if r.type == RelType.REFERS_TO]
    assert [(r.source.split("#")[1], r.target.split("#")[1]) for r in refs] == [
        ("art_1__para_1", "art_2")]
    art2 = next(n for n in doc.batch.nodes if n.id.endswith("#art_2"))
    assert not art2.is_stub


@pytest.mark.parametrize(("name", "payload"), [
    ("external entity", b'<?xml version="1.0"?>\n<!DOCTYPE a [\n<!ENTITY x SYSTEM '
                        b'"file:///etc/passwd">]>\n<a>&x;</a>'),
    ("external DTD", b'<?xml version="1.0"?>\n<!DOCTYPE akomaNtoso SYSTEM '
                     b'"http://example.org/akn.dtd">\n<akomaNtoso/>'),
    ("billion laughs", b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
                       b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
                       b']>\n<lolz>&lol2;</lolz>'),
    ("quadratic blowup", b'<?xml version="1.0"?>\n<!DOCTYPE q [<!ENTITY a "'
                         + b"x" * 50_000 + b'">]>\n<q>' + b"&a;" * 1000 + b"</q>"),
    ("parameter entity", b'<!DOCTYPE a [<!ENTITY % p SYSTEM "http://e.org/p.dtd"> %p;]><a/>'),
])
def test_attacks_are_refused_with_file_and_line(name: str, payload: bytes) -> None:
    with pytest.raises(UnsafeXmlError) as info:
        parse_akoma_ntoso(payload, file="evil.xml")
    assert info.value.file == "evil.xml"
    assert info.value.line is not None and info.value.line >= 1


def test_utf16_doctype_is_refused() -> None:
    payload = '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE a []><a/>'.encode("utf-16")
    with pytest.raises(UnsafeXmlError) as info:
        parse_akoma_ntoso(payload, file="u16.xml")
    assert info.value.line == 2


def test_broken_xml_names_file_and_line() -> None:
    with pytest.raises(LegalTextError) as info:
        parse_akoma_ntoso(HEAD + b"\n\n<article eId='a'>" + TAIL, file="broken.xml")
    assert info.value.file == "broken.xml"
    assert info.value.line == 3


@pytest.mark.parametrize("payload", [b"<akomaNtoso/>", b"<a><FRBRWork><FRBRthis value="
                                     b"'no slash'/></FRBRWork></a>", b"&undefined;", b""])
def test_missing_iri_or_junk_is_a_legal_text_error(payload: bytes) -> None:
    with pytest.raises(LegalTextError) as info:
        parse_akoma_ntoso(payload, file="j.xml")
    assert info.value.file == "j.xml"


def test_oversize_is_refused() -> None:
    with pytest.raises(InputTooLargeError):
        parse_akoma_ntoso(HEAD + b" " * 2000 + TAIL, file="big.xml", max_bytes=1000)


def test_oversize_file_is_refused_before_reading() -> None:
    with pytest.raises(InputTooLargeError):
        read_akoma_ntoso(SAMPLE, max_bytes=100)


def test_duplicate_eids_are_problems_not_nodes() -> None:
    xml = HEAD + b'<section eId="sec_1"/><section eId="sec_1"/>' + TAIL
    doc = parse_akoma_ntoso(xml, file="d.xml")
    assert sum(1 for n in doc.batch.nodes if n.type == NodeType.ARTICLE) == 1
    assert any("duplicate" in p.reason for p in doc.problems)


def test_utf8_spelling_no_eid_attachments_and_quoted_structures() -> None:
    xml = (b'<?xml version="1.0" encoding="utf8"?><akomaNtoso><act><meta><identification>'
           b'<FRBRWork><FRBRthis value="/akn/za/act/2009/10/!main"/></FRBRWork>'
           b'</identification></meta><body>'
           b'<section eId="sec_1"><num>1.</num><content><p>Own</p></content>'
           b'<mod><quotedStructure><section eId="sec_9"><num>9.</num></section>'
           b'</quotedStructure></mod></section>'
           b'<section><num>2.</num><content><p>No eId</p></content></section>'
           b'</body><attachments><attachment><doc><mainBody>'
           b'<article eId="att_1__art_1"><num>1</num></article></mainBody></doc></attachment>'
           b'</attachments></act></akomaNtoso>')
    doc = parse_akoma_ntoso(xml, file="a.xml")
    eids = [n.id.split("#")[1] for n in doc.batch.nodes if n.type == "Article"]
    assert eids == ["sec_1"]
    reasons = " | ".join(p.reason for p in doc.problems)
    assert "1 provision(s) without an eId (section)" in reasons
    assert "2 provision(s) of attachments or quoted structures" in reasons
