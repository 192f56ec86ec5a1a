"""Cross-references inside legal texts: patterns, and the edges built from the corpus."""

from __future__ import annotations

import doctest

import pytest
from legal_corpus import CRC_IRI, CRIMINAL_LAW_IRI, LEGAL, resolve

import ingest.crossrefs
from citegraph import ids
from citegraph.model import NodeType, RelType
from ingest.crossrefs import (
    find_chinese_references,
    find_english_references,
    markdown_links,
    mask_markdown_links,
    name_from_url,
)
from ingest.legal import parse_legal_text, read_legal_text


def test_doctests() -> None:
    assert doctest.testmod(ingest.crossrefs).failed == 0


def test_chinese_reference_with_paragraph_and_list() -> None:
    text = "依照刑法第三百六十三条第一款、第三百六十四条第一款的规定"
    refs = find_chinese_references(text, offset=100)
    assert [(r.instrument, r.article, r.para) for r in refs] == [
        ("刑法", "363", 1), ("刑法", "364", 1)]
    assert text[refs[0].start - 100:refs[0].end - 100] == "第三百六十三条第一款"


def test_chinese_reference_prefers_the_resolvers_longest_name() -> None:
    refs = find_chinese_references("依照中华人民共和国刑法第十条",
                                   known=lambda n: n in {"刑法", "中华人民共和国刑法"})
    assert refs[0].instrument == "中华人民共和国刑法"


def test_chinese_self_references_and_titles() -> None:
    refs = find_chinese_references("本法第二条之一和《某某条例》第五条第二款第（三）项")
    assert [(r.instrument, r.article, r.para, r.item, r.same) for r in refs] == [
        (None, "2-1", None, None, True), ("某某条例", "5", 2, "3", False)]
    assert refs[1].raw.startswith("《")


def test_chinese_paragraph_only_is_not_an_article_reference() -> None:
    assert find_chinese_references("实施第一款规定的行为，依照前款处罚") == []


def test_english_lists_ranges_and_tails() -> None:
    refs = find_english_references("articles 1, 11 and 36 of the present Convention")
    assert [(r.article, r.same) for r in refs] == [("1", True), ("11", True), ("36", True)]
    refs = find_english_references("articles 3 to 5")
    assert [r.article for r in refs] == ["3", "4", "5"]
    refs = find_english_references("article 34 of the Convention on the Rights of the Child.")
    assert refs[0].instrument == "the Convention on the Rights of the Child"


def test_the_arts_is_not_an_article() -> None:
    assert find_english_references("cultural life and the arts.\n2. States Parties") == []


def test_markdown_numbers_take_the_instrument_of_their_url() -> None:
    text = ("especially articles [1](../verdrag/convention/on/things/B1/README.md)"
            " and [2](y/B2/README.md)")
    refs = find_english_references(mask_markdown_links(text), links=markdown_links(text))
    assert [(r.article, r.instrument) for r in refs] == [("1", "Convention on Things"),
                                                         ("2", None)]


@pytest.mark.parametrize(("url", "name"), [
    ("../../verdrag/charter/of/the/united/nations/BWBV0004143/README.md",
     "Charter of the United Nations"),
    ("README.md", None),
])
def test_name_from_url(url: str, name: str | None) -> None:
    assert name_from_url(url) == name


def test_2004_interpretation_interprets_criminal_law_363_para_1() -> None:
    doc = read_legal_text(LEGAL / "cn-interpretation-obscene-electronic-info-2004.md",
                          resolve=resolve)
    art363 = ids.article_id(CRIMINAL_LAW_IRI, "art_363")
    interprets = [r for r in doc.batch.relationships
                  if r.type == RelType.INTERPRETS and r.target == art363]
    from_articles = [r for r in interprets if r.source.startswith("article:")]
    assert from_articles, "no article-level INTERPRETS edge to art. 363"
    first = from_articles[0]
    assert first.props["target_eid"] == "art_363__para_1"
    assert first.provenance.locator == "art_1"
    assert first.provenance.document == doc.batch.document
    assert first.provenance.method == "pattern"
    assert "第三百六十三条" in first.provenance.quote
    text = (LEGAL / "cn-interpretation-obscene-electronic-info-2004.md").read_text("utf-8")
    start, end = first.provenance.span or (0, 0)
    assert text[start:end] == "第三百六十三条第一款"
    # the instrument itself points at the article too (one edge per target)
    assert [r.source for r in interprets if r.source == doc.batch.document] == [
        doc.batch.document]
    stub = next(n for n in doc.batch.nodes if n.id == art363)
    assert stub.is_stub and stub.props["number"] == "363"
    assert stub.type == NodeType.ARTICLE
    # references between the interpretation's own articles stay REFERS_TO
    own = [r for r in doc.batch.relationships if r.type == RelType.REFERS_TO
           and r.target.startswith(doc.batch.document.replace("instrument:", "article:"))]
    assert any(r.target.endswith("#art_1") for r in own)


def test_opsc_preamble_cites_crc_articles_through_links() -> None:
    doc = read_legal_text(LEGAL / "un-opsc-2000.md", resolve=resolve)
    preamble = [r for r in doc.batch.relationships
                if r.provenance.locator == "preamble" and r.type == RelType.REFERS_TO
                and r.target.startswith("article:")]
    targets = [r.target.rsplit("#art_", 1)[1] for r in preamble
               if r.target.startswith(ids.article_id(CRC_IRI, ""))]
    assert targets == ["1", "11", "21", "32", "33", "34", "35", "36"]
    assert all(r.source == doc.batch.document for r in preamble)
    crc = [n for n in doc.batch.nodes if n.id == ids.instrument_id(CRC_IRI)]
    assert crc and crc[0].is_stub


def test_unknown_names_become_unresolved_stubs_titles_are_identified() -> None:
    text = ("# Protocol on Examples\n\n### Article 1\n\nAs in article 5 of the Convention on "
            "Imaginary Matters and article 3 of Regulation (EU) 2016/679.\n")
    doc = parse_legal_text(text, file="p.md")
    unresolved = [n for n in doc.batch.nodes if n.props.get("status") == "unresolved"]
    assert [n.props["name"] for n in unresolved] == ["the Convention on Imaginary Matters"]
    assert all(n.is_stub for n in unresolved)
    assert doc.summary["unresolved_references"] >= len(unresolved)
    # a name with an identifier is no guess: its deterministic work
    assert "article:/akn/eu/act/regulation/2016/679#art_3" in {
        r.target for r in doc.batch.relationships}
    # 《…法》 is identified by its title without a catalog
    doc = read_legal_text(LEGAL / "cn-interpretation-obscene-electronic-info-2004.md")
    assert "instrument:/akn/cn/act/title/刑法" in {n.id for n in doc.batch.nodes}


def test_paragraph_of_article() -> None:
    refs = find_english_references("under paragraph 2 (b) of article 9 of the Convention on X")
    assert [(r.article, r.para, r.item, r.instrument) for r in refs] == [
        ("9", 2, "b", "the Convention on X")]
    assert find_english_references("paragraph 1 of the present article") == []


def test_a_law_named_without_brackets_is_another_law_and_basic_law_is_not_this_one() -> None:
    from ingest.crossrefs import find_chinese_references as find

    assert [(r.instrument, r.article, r.same) for r in find("当事人依照婚姻法第三条的规定")] \
        == [("婚姻法", "3", False)]
    assert [(r.instrument, r.same) for r in find("依照基本法第十八条")] == [("基本法", False)]
    assert [r.same for r in find("违反本法第五条")] == [True]
    assert [r.same for r in find("附本办法第十三条规定的资料")] == [True]
    assert [(r.instrument, r.article) for r in find("依照刑法有关规定追究刑事责任")] == [
        ("刑法", None)]


def test_forms_in_brackets_are_no_instruments() -> None:
    from ingest.crossrefs import find_chinese_references as find

    refs = find("填写《继续盘问审批表》，依照《中华人民共和国药品管理法》处理")
    assert [r.instrument for r in refs] == ["中华人民共和国药品管理法"]


def test_ranges_cover_inserted_articles_and_previous_article_resolves() -> None:
    from ingest.crossrefs import find_chinese_references as find

    numbers = ("140", "141", "142", "142-1", "143", "148")
    refs = find("第一百四十一条至第一百四十三条", numbers=numbers)
    assert [r.article for r in refs] == ["141", "142", "142-1", "143"]
    assert [r.article for r in find("违反前条规定", numbers=numbers, current="142-1")] == ["142"]
    assert [r.article for r in find("前两条", numbers=numbers, current="143")] == ["142", "142-1"]


def test_the_hand_checked_sample_is_read_at_precision_and_recall_095() -> None:
    from benchmarks.accuracy_crossrefs import REAL, score

    if not REAL.is_dir():
        pytest.skip("no real corpus")
    for right, read, found, expected in score(details=False).values():
        assert right >= 0.95 * read and found >= 0.85 * expected
