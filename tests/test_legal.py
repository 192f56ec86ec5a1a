"""Legal texts: structure of the real corpus files and of small synthetic texts."""

from __future__ import annotations

import doctest
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from legal_corpus import CRC_IRI, CRIMINAL_LAW_IRI, LEGAL, OPSC_IRI, resolve

import ingest.legal
import ingest.legal_structure
from citegraph import ids
from citegraph.errors import LegalTextError
from citegraph.model import NodeType, RelType
from ingest.base import DocumentKind, ParsedDocument
from ingest.legal import parse_legal_text, read_legal_text


def _articles(doc: ParsedDocument) -> list[dict[str, object]]:
    return [dict(n.props) for n in doc.batch.nodes
            if n.type == NodeType.ARTICLE and not n.is_stub]


def _numbers(doc: ParsedDocument) -> list[str]:
    return [str(a["number"]) for a in _articles(doc)]


def test_doctests() -> None:
    assert doctest.testmod(ingest.legal).failed == 0
    assert doctest.testmod(ingest.legal_structure).failed == 0


@pytest.mark.parametrize(("name", "count", "inserted"), [
    ("cn-criminal-law.md", 505, 53),
    ("cn-interpretation-obscene-electronic-info-2004.md", 9, 0),
    ("cn-interpretation-obscene-electronic-info-2010.md", 13, 0),
    ("cn-minors-protection-law-2020.md", 132, 0),
    ("un-crc-1989.md", 54, 0),
    ("un-opsc-2000.md", 17, 0),
])
def test_corpus_article_counts(name: str, count: int, inserted: int) -> None:
    doc = read_legal_text(LEGAL / name)
    numbers = _numbers(doc)
    assert len(numbers) == count == doc.summary["articles"]
    assert sum("-" in n for n in numbers) == inserted == doc.summary["inserted_articles"]
    assert len(set(numbers)) == len(numbers)
    plain = [int(n) for n in numbers if "-" not in n]
    assert plain == list(range(1, len(plain) + 1))  # numbering runs in sequence
    assert doc.kind is DocumentKind.LEGAL


def test_criminal_law_articles_and_inserted_numbers() -> None:
    doc = read_legal_text(LEGAL / "cn-criminal-law.md", resolve=resolve)
    assert doc.batch.document == ids.instrument_id(CRIMINAL_LAW_IRI)
    by_number = {str(a["number"]): a for a in _articles(doc)}
    art = by_number["363"]
    assert art["number_raw"] == "第三百六十三条"
    assert by_number["286-1"]["number_raw"] == "第二百八十六条之一"
    assert by_number["120-3"]["number_raw"] == "第一百二十条之三"
    span = art["span"]
    assert isinstance(span, list)
    start, end = int(span[0]), int(span[1])
    text = (LEGAL / "cn-criminal-law.md").read_text(encoding="utf-8")
    assert text[start:end].startswith("第三百六十三条")
    assert "淫秽" in str(art["text"])
    assert ids.article_id(CRIMINAL_LAW_IRI, "art_286-1") in {n.id for n in doc.batch.nodes}
    # the last article stops before the annexes
    assert "## 附件" not in str(by_number["452"]["text"])
    orders = [int(str(a["order"])) for a in _articles(doc)]
    assert orders == sorted(orders)


def test_instrument_keeps_its_text_with_has_article_edges() -> None:
    doc = read_legal_text(LEGAL / "cn-minors-protection-law-2020.md")
    instrument = [n for n in doc.batch.nodes if n.id == doc.batch.document]
    assert len(instrument) == 1 and not instrument[0].is_stub
    props = instrument[0].props
    assert str(props["source_file"]).endswith("cn-minors-protection-law-2020.md")
    assert len(str(props["sha256"])) == 64
    assert instrument[0].type == NodeType.INSTRUMENT
    has = [r for r in doc.batch.relationships if r.type == RelType.HAS_ARTICLE]
    assert len(has) == 132
    assert {r.source for r in has} == {doc.batch.document}
    assert all(r.provenance.method == "structure" for r in has)


def test_identity_from_the_title_identifier_else_derived() -> None:
    # a Chinese title is an identifier: the id a mention of 《未成年人保护法》 resolves to
    doc = read_legal_text(LEGAL / "cn-minors-protection-law-2020.md")
    assert doc.batch.document == "instrument:/akn/cn/act/title/未成年人保护法@2020-10-17"
    doc = read_legal_text(LEGAL / "cn-interpretation-obscene-electronic-info-2004.md")
    assert doc.batch.document.startswith("instrument:/akn/cn/act/title/最高人民法院")
    # a title without an identifier: country, doctype, metadata date and the title's slug
    doc = read_legal_text(LEGAL / "un-crc-1989.md")
    assert doc.batch.document.startswith("instrument:/akn/un/treaty/nd/convention-on-the-")


def test_work_iri_argument_wins() -> None:
    doc = read_legal_text(LEGAL / "un-crc-1989.md", work_iri="/akn/un/treaty/1989/x")
    assert doc.batch.document == "instrument:/akn/un/treaty/1989/x"


def test_crc_reads_english_only_and_reports_the_dutch_copy() -> None:
    doc = read_legal_text(LEGAL / "un-crc-1989.md", resolve=resolve)
    assert doc.batch.document == ids.instrument_id(CRC_IRI)
    texts = " ".join(str(a["text"]) for a in _articles(doc))
    assert "Verdrag" not in texts and "Staten" not in texts
    assert doc.summary["ignored_lines"] > 300
    assert any("another language version" in p.reason for p in doc.problems)


def test_sentences_belong_to_articles() -> None:
    doc = read_legal_text(LEGAL / "un-opsc-2000.md", resolve=resolve)
    text = (LEGAL / "un-opsc-2000.md").read_text(encoding="utf-8")
    article_ids = {n.id for n in doc.batch.nodes if n.type == NodeType.ARTICLE}
    in_articles = [s for s in doc.sentences if s.node_id in article_ids]
    assert len(in_articles) > 17
    for s in doc.sentences:
        assert text[s.start:s.end] == s.text
    assert {s.locator for s in in_articles} == {f"art_{n}" for n in range(1, 18)}
    assert any(s.locator == "preamble" for s in doc.sentences)


def test_english_headings_and_paragraph_layout() -> None:
    text = ("Treaty on Examples\n\nArticle 1 - Scope\n\n1. This Treaty applies.\n"
            "2. It also applies.\n\nArt. 2\n\n(a) one;\n(b) two.\n\n"
            "### Article  3\n\nSee article 1, paragraph 2.\n")
    doc = parse_legal_text(text, file="t.md")
    arts = _articles(doc)
    assert [a["number"] for a in arts] == ["1", "2", "3"]
    assert arts[0]["heading"] == "Scope"
    assert "heading" not in arts[1]
    refers = [r for r in doc.batch.relationships if r.type == RelType.REFERS_TO]
    assert [r.props["target_eid"] for r in refers] == ["art_1__para_2"]
    assert refers[0].provenance.locator == "art_3"
    assert refers[0].provenance.quote == "See article 1, paragraph 2."


def test_pdf_debris_is_not_an_article() -> None:
    text = ("Article 1\n\nThe parties agree, as set out in\nArticle 49\nof the annex, that.\n\n"
            "Article 2\n\nText.\n\nArticle 7\n\nA footnote marker line.\n\n"
            "Article 3\n\nMore text.\n\nANNEX\n\nArticle 4\n\nAnnex text.\n")
    doc = parse_legal_text(text, file="pdf.txt")
    assert _numbers(doc) == ["1", "2", "3"]
    skipped = [p for p in doc.problems if "numbering" in p.reason]
    assert {p.line for p in skipped} == {4, 11}
    assert "Annex text" not in str(_articles(doc)[-1]["text"])


def test_chinese_headings_items_and_structure_lines() -> None:
    text = ("# 示例法\n\n2020年1月2日 通过\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n"
            "第一条 目的。\n\n第二条　下列行为：\n\n（一）甲；\n\n（二）乙。\n\n"
            "#### 第一节 细则\n\n第二条之一 插入的条文。\n\n第三条 依照本法第二条之一处理。\n")
    doc = parse_legal_text(text, file="cn.md")
    assert _numbers(doc) == ["1", "2", "2-1", "3"]
    assert doc.batch.document == "instrument:/akn/cn/act/title/示例法"  # the title line
    art2 = _articles(doc)[1]
    assert "（二）乙" in str(art2["text"]) and "第一节" not in str(art2["text"])
    refers = [r for r in doc.batch.relationships if r.type == RelType.REFERS_TO]
    assert [r.target.rsplit("#", 1)[1] for r in refers] == ["art_2-1"]


@pytest.mark.parametrize("text", ["", "Just a paper.\n\n1. Introduction\n", "# 标题\n\n正文。\n"])
def test_no_articles_is_an_error_naming_the_file(text: str) -> None:
    with pytest.raises(LegalTextError) as info:
        parse_legal_text(text, file="empty.md")
    assert info.value.file == "empty.md"


def test_parsing_twice_gives_the_same_batch() -> None:
    text = (LEGAL / "cn-interpretation-obscene-electronic-info-2010.md").read_text("utf-8")
    first = parse_legal_text(text, file="a", resolve=resolve)
    second = parse_legal_text(text, file="a", resolve=resolve)
    assert first.batch == second.batch


def test_no_dangling_endpoints_in_corpus_batches() -> None:
    for path in sorted(LEGAL.glob("*.md")):
        doc = read_legal_text(path, resolve=resolve)
        node_ids = {n.id for n in doc.batch.nodes}
        for rel in doc.batch.relationships:
            assert rel.source in node_ids and rel.target in node_ids, (path.name, rel)
        counts = Counter(n.id for n in doc.batch.nodes)
        assert max(counts.values()) == 1


def test_opsc_resolves_its_own_title() -> None:
    doc = read_legal_text(LEGAL / "un-opsc-2000.md", resolve=resolve)
    assert doc.batch.document == ids.instrument_id(OPSC_IRI)


def test_roman_numbers_and_footnote_markers() -> None:
    text = ("Treaty\n\nArticle I\n\nText.\n\nArticle II 3\n\nMore.\n\n"
            "### Article III¹\n\nLast.\n")
    doc = parse_legal_text(text, file="t.txt")
    arts = _articles(doc)
    assert [a["number"] for a in arts] == ["1", "2", "3"]
    assert [a["number_raw"] for a in arts] == ["Article I", "Article II", "Article III"]
    assert all("heading" not in a for a in arts)


def test_chinese_without_space_after_the_article_number() -> None:
    text = "# 法\n\n第一条为了保护。\n\n第二条本法第一条规定的。\n\n第一条第二款另行处理。\n"
    doc = parse_legal_text(text, file="c.md")
    assert _numbers(doc) == ["1", "2"]
    assert "第二款另行处理" in str(_articles(doc)[1]["text"])


def test_a_lesser_heading_inside_the_body_does_not_end_it() -> None:
    text = ("####Title of the Treaty\n\n### Article 1\n\nOne.\n\n### Final clauses\n\n"
            "### Article 2\n\nTwo.\n")
    doc = parse_legal_text(text, file="t.md")
    assert _numbers(doc) == ["1", "2"]
    assert doc.summary["ignored_lines"] == 0


def test_bad_iris_from_caller_or_resolver() -> None:
    text = ("Some Treaty\n\nArticle 1\n\nSee article 2 of the Optional Protocol.\n\n"
            "Article 2\n\nx.\n")
    with pytest.raises(LegalTextError) as info:
        parse_legal_text(text, file="t.txt", work_iri="no slash")
    assert info.value.file == "t.txt"
    doc = parse_legal_text(text, file="t.txt", resolve=lambda name: "bad iri with spaces")
    assert doc.batch.document.startswith("instrument:/akn/int/treaty/nd/some-treaty")
    # "the Optional Protocol" names no instrument by itself: counted, not guessed
    assert doc.summary["unresolved_references"] == 1
    assert not [n for n in doc.batch.nodes if n.props.get("status") == "unresolved"]


_EN_BODY = st.text(alphabet="abcdefghij ,.;\n", min_size=1, max_size=80)
_CN_BODY = st.text(alphabet="法人条款项之的。，\n", min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(st.lists(_EN_BODY, min_size=1, max_size=12), st.booleans())
def test_english_statutes_round_trip(bodies: list[str], markdown: bool) -> None:
    prefix = "### " if markdown else ""
    text = "Title\n\n" + "".join(f"{prefix}Article {i}\n\n{body}\n\n"
                                 for i, body in enumerate(bodies, start=1))
    doc = parse_legal_text(text, file="p.md")
    arts = _articles(doc)
    assert [a["number"] for a in arts] == [str(i) for i in range(1, len(bodies) + 1)]
    for art, body in zip(arts, bodies, strict=True):
        assert str(art["text"]) == body.strip()
    for s in doc.sentences:
        assert text[s.start:s.end] == s.text


@settings(max_examples=60, deadline=None)
@given(st.lists(_CN_BODY, min_size=1, max_size=12))
def test_chinese_statutes_round_trip(bodies: list[str]) -> None:
    from ingest.numerals import chinese_to_int

    digits = "零一二三四五六七八九十"
    names = [digits[i] if i <= 10 else "十" + digits[i - 10] for i in range(1, 13)]
    assert [chinese_to_int(n) for n in names] == list(range(1, 13))
    text = "# 某法\n\n" + "".join(f"第{names[i]}条 {body}\n\n" for i, body in enumerate(bodies))
    doc = parse_legal_text(text, file="p.md")
    arts = _articles(doc)
    assert [a["number"] for a in arts] == [str(i) for i in range(1, len(bodies) + 1)]
    for art, body in zip(arts, bodies, strict=True):
        assert str(art["text"]) == body.strip()


def test_link_text_resolves_through_the_catalogs_looser_readings() -> None:
    from citegraph.catalog import default_catalog_dir, load_catalog

    catalog = load_catalog(default_catalog_dir())
    text = ("# Protocol on Examples\n\nThe Parties, noting [Convention No. 182 on Ending the "
            "Worst Kinds of Child Work](../c182/README.md) and the [Convention on Imaginary "
            "Matters](../x/README.md),\n\nHave agreed as follows:\n\n### Article 1\n\nText.\n")
    doc = parse_legal_text(text, file="p.md", resolve=catalog.resolve_name)
    targets = {r.target for r in doc.batch.relationships if r.type == RelType.REFERS_TO}
    assert ids.instrument_id("/akn/ilo/treaty/1999-06-17/c182") in targets
    unresolved = [str(n.props["name"]) for n in doc.batch.nodes
                  if n.props.get("status") == "unresolved"]
    assert unresolved == ["Convention on Imaginary Matters"]


def test_link_text_designator_is_tried_with_a_plain_resolver() -> None:
    text = ("# Protocol on Examples\n\nNoting [Convention No. 7 on Things](../t/README.md),\n\n"
            "### Article 1\n\nText.\n")
    doc = parse_legal_text(text, file="p.md", resolve={"Convention No. 7": OPSC_IRI}.get)
    assert ids.instrument_id(OPSC_IRI) in {r.target for r in doc.batch.relationships
                                           if r.type == RelType.REFERS_TO}


def test_two_different_texts_under_one_id_are_refused_naming_both(tmp_path: Path) -> None:
    from citegraph.settings import Settings
    from citegraph.stores.embedded import EmbeddedStore
    from ingest.pipeline import ingest_paths

    first, second = tmp_path / "a" / "law.md", tmp_path / "b" / "law-copy.md"
    for path, text in ((first, "一"), (second, "二")):
        path.parent.mkdir()
        path.write_text(f"# 中华人民共和国示例法\n\n第一条 条文{text}。\n\n第二条 另一条。\n",
                        encoding="utf-8")
    store = EmbeddedStore(None)
    report = ingest_paths(store, [first, second], settings=Settings(corpus=None))
    assert [f.status for f in report.files] == ["loaded", "failed"]
    error = report.files[1].error or ""
    assert "law.md" in error and "law-copy.md" in error
    node = store.find_node("instrument:/akn/cn/act/title/示例法")
    assert node is not None and node.props["file"] == "law.md"
    assert len(str(node.props["sha256"])) == 64


def test_a_folder_walk_keeps_readme_md(tmp_path: Path) -> None:
    from ingest.pipeline import expand_paths

    (tmp_path / "BWBV0001").mkdir()
    (tmp_path / "BWBV0001" / "README.md").write_text("### Article 1\n\nText.\n", "utf-8")
    assert [p.name for p in expand_paths([tmp_path])] == ["README.md"]


def test_amendment_history_and_amending_clauses_give_dated_amends_edges() -> None:
    doc = read_legal_text(LEGAL / "cn-criminal-law.md", resolve=resolve)
    history = {r.source: r.props["date"] for r in doc.batch.relationships
               if r.type == RelType.AMENDS and r.target == doc.batch.document}
    assert len(history) == 14  # the 1998 decision, amendments I-XII, the 2009 decision
    assert history["instrument:/akn/cn/act/title/刑法修正案-九"] == "2015-08-29"
    amendment = LEGAL.parent / "real" / "zh" / "063-刑法修正案（九）.md"
    if not amendment.is_file():
        return
    doc9 = read_legal_text(amendment, resolve=resolve)
    assert doc9.batch.document == "instrument:/akn/cn/act/title/刑法修正案-九"
    amends = {(r.source.split("#")[-1], r.target) for r in doc9.batch.relationships
              if r.type == RelType.AMENDS}
    art = ids.article_id(CRIMINAL_LAW_IRI, "art_50")
    assert ("art_2", art) in amends  # 将刑法第五十条第一款修改为
    assert (doc9.batch.document, ids.instrument_id(CRIMINAL_LAW_IRI)) in amends
    # a reference inside the quoted new wording is no amendment
    quoted = [r for r in doc9.batch.relationships if r.type == RelType.REFERS_TO
              and r.target == ids.article_id(CRIMINAL_LAW_IRI, "art_313")]
    assert quoted
