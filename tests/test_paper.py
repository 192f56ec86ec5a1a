"""Paper reader: sections, markers, sentences and CITES on the seed paper and synthetic papers."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citegraph import ids
from citegraph.errors import EncodingError, InputTooLargeError
from citegraph.model import Node, NodeType, RelType
from ingest.base import DocumentKind, ParsedDocument
from ingest.paper import find_headings, find_markers, parse_paper, read_paper, split_sentences
from ingest.textio import decode_text

SHARED = Path(os.environ.get("CITEGRAPH_SHARED",
                             Path(__file__).resolve().parents[1].parent / "shared"))
SEED = SHARED / "corpus" / "seed-paper.txt"

SEED_SECTIONS = ["abstract", "1", "2", "2.1", "2.2", "2.3", "3", "3.1", "3.1.1", "3.1.2", "3.2",
                 "3.2.1", "3.2.2", "4", "4.1", "4.2", "5", "5.1", "5.2", "5.3", "5.4", "6"]
#: Section of each marker [1]..[10] of the seed paper.
SEED_MARKER_SECTIONS = ["1", "2.1", "2.1", "2.2", "2.3", "2.3", "3.1.2", "4.1", "4.1", "4.2"]


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"shared corpus not found at {SEED}")
    return decode_text(SEED.read_bytes(), str(SEED))


@pytest.fixture(scope="module")
def seed(seed_text: str) -> ParsedDocument:
    return parse_paper(seed_text, file="seed-paper.txt", slug="seed-paper")


def _sections(doc: ParsedDocument) -> list[Node]:
    return sorted((n for n in doc.batch.nodes if n.type == NodeType.SECTION),
                  key=lambda n: int(n.props["order"]))  # type: ignore[arg-type]


def _span(node: Node) -> tuple[int, int]:
    span = node.props["span"]
    assert isinstance(span, list) and len(span) == 2
    return int(span[0]), int(span[1])


def _section_cites(doc: ParsedDocument) -> list:  # type: ignore[type-arg]
    return [r for r in doc.batch.relationships
            if r.type == RelType.CITES and r.source.startswith("section:")]


# -- the seed paper --------------------------------------------------------------------------

def test_seed_sections_exact(seed: ParsedDocument) -> None:
    sections = _sections(seed)
    assert [s.props["number"] for s in sections] == SEED_SECTIONS
    assert [s.id for s in sections] == [ids.section_id("seed-paper", n) for n in SEED_SECTIONS]
    assert seed.kind == DocumentKind.PAPER
    assert seed.batch.document == "work:seed-paper"
    assert not seed.problems


def test_seed_section_titles_come_from_the_heading_lines(seed: ParsedDocument,
                                                         seed_text: str) -> None:
    for section in _sections(seed):
        number, title = str(section.props["number"]), str(section.props["title"])
        start, end = _span(section)
        assert seed_text[start:].startswith("Abstract" if number == "abstract" else number)
        assert start < end <= len(seed_text)
        if number != "abstract":
            # The title is the heading text itself, joined when it wraps onto a second line.
            heading = " ".join(seed_text[start:start + len(number) + len(title) + 8].split())
            assert heading.lstrip(number).lstrip(". ").startswith(title[:30])
            assert title[0].isupper() and "\n" not in title


def test_seed_wrapped_heading_is_joined(seed: ParsedDocument, seed_text: str) -> None:
    by_number = {s.props["number"]: s for s in _sections(seed)}
    start, _ = _span(by_number["5.1"])
    first_line = seed_text[start:seed_text.index("\n", start)]
    second_line = seed_text[start + len(first_line) + 1:].split("\n", 1)[0].strip()
    assert by_number["5.1"].props["title"] == f"{first_line[4:]} {second_line}"


def test_seed_hierarchy_and_levels(seed: ParsedDocument) -> None:
    part_of = {(r.source.rsplit("/", 1)[1], r.target.rsplit("/", 1)[1])
               for r in seed.batch.relationships if r.type == RelType.PART_OF}
    expected = {(n, n.rsplit(".", 1)[0]) for n in SEED_SECTIONS if "." in n}
    assert part_of == expected
    has = {r.target for r in seed.batch.relationships if r.type == RelType.HAS_SECTION}
    assert has == {ids.section_id("seed-paper", n) for n in SEED_SECTIONS}
    for s in _sections(seed):
        number = str(s.props["number"])
        assert s.props["level"] == (1 if number == "abstract" else number.count(".") + 1)
        assert s.props["document"] == "work:seed-paper"


def test_seed_all_ten_markers(seed: ParsedDocument, seed_text: str) -> None:
    # Independent count: every bracketed number in the file is a citation marker.
    in_file = [int(m.group(1)) for m in re.finditer(r"\[(\d+)\]", seed_text)]
    assert in_file == list(range(1, 11))
    cites = sorted(_section_cites(seed), key=lambda r: r.provenance.span[0])
    assert [r.props["number"] for r in cites] == in_file
    assert [r.source.rsplit("/", 1)[1] for r in cites] == SEED_MARKER_SECTIONS
    for rel, n in zip(cites, in_file, strict=True):
        start, end = rel.provenance.span
        assert seed_text[start:end] == f"[{n}]"
        assert rel.target == ids.unresolved_reference_id("seed-paper", n)
        assert rel.provenance.method == "marker"
        assert rel.provenance.document == "work:seed-paper"
        assert rel.provenance.locator == rel.source.rsplit("/", 1)[1]
        # The quote is the sentence holding the marker, on one line.
        assert f"[{n}]" in rel.provenance.quote and "\n" not in rel.provenance.quote
        assert len(rel.provenance.quote) > 40


def test_seed_glued_marker_belongs_to_the_previous_sentence(seed: ParsedDocument,
                                                            seed_text: str) -> None:
    glued = [m for m in re.finditer(r"\[(\d+)\](?=[A-Za-z])", seed_text)]
    assert glued, "the seed paper has markers glued to the next word"
    cites = {r.props["number"]: r for r in _section_cites(seed)}
    for match in glued:
        quote = cites[int(match.group(1))].provenance.quote
        assert quote.endswith(match.group(0))
        next_word = re.match(r"[A-Za-z]+", seed_text[match.end():])
        assert next_word is not None and not quote.endswith(next_word.group(0))


def test_seed_unresolved_placeholders(seed: ParsedDocument) -> None:
    placeholders = {n.id: n for n in seed.batch.nodes if n.props.get("status") == "unresolved"}
    assert len(placeholders) == 10
    node = placeholders[ids.unresolved_reference_id("seed-paper", 7)]
    assert node.type == NodeType.WORK and node.props["number"] == 7
    assert node.label == "[7] (unresolved reference of seed-paper)"
    paper_cites = {r.target for r in seed.batch.relationships
                   if r.type == RelType.CITES and r.source == "work:seed-paper"}
    assert paper_cites == set(placeholders)


def test_seed_sentences_index_the_text(seed: ParsedDocument, seed_text: str) -> None:
    assert len(seed.sentences) > 100
    section_ids = {s.id for s in _sections(seed)}
    previous_end = -1
    for sentence in seed.sentences:
        assert seed_text[sentence.start:sentence.end] == sentence.text
        assert sentence.node_id in section_ids
        assert sentence.locator == sentence.node_id.rsplit("/", 1)[1]
        assert sentence.start >= previous_end
        previous_end = sentence.end
    # No heading text is a sentence, and the Abstract label is not part of a sentence.
    assert not any(s.text.startswith("Abstract") for s in seed.sentences)
    assert seed.sentences[0].locator == "abstract"


def test_seed_paper_work_node(seed: ParsedDocument) -> None:
    paper = next(n for n in seed.batch.nodes if n.id == "work:seed-paper")
    assert paper.props["kind"] == "paper" and paper.props["document"] == "work:seed-paper"


def test_reparsing_is_deterministic(seed_text: str) -> None:
    a = parse_paper(seed_text, file="s.txt", slug="seed-paper")
    b = parse_paper(seed_text, file="s.txt", slug="seed-paper")
    assert a.batch == b.batch and a.sentences == b.sentences


# -- markers and sentences -------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("x [1] y", [(1,)]),
    ("x [2, 5] y", [(2, 5)]),
    ("x [3-5] y", [(3, 4, 5)]),
    ("x [3]–[5] y", [(3, 4, 5)]),
    ("x [1]However y", [(1,)]),
    ("x [1,3–4; 9] y", [(1, 3, 4, 9)]),
    ("a [link](http://x) and [1]: def", []),
    ("year [2019] and [0]", []),
])
def test_marker_forms(text: str, expected: list[tuple[int, ...]]) -> None:
    assert [m.numbers for m in find_markers(text)] == expected


def test_sentence_splitting_keeps_offsets() -> None:
    text = "Art. 3 of the Convention applies, cf. Smith. Next one?  Yes! Para break\n\nhere."
    spans = split_sentences(text)
    pieces = [text[a:b] for a, b in spans]
    assert pieces == ["Art. 3 of the Convention applies, cf. Smith.", "Next one?", "Yes!",
                      "Para break", "here."]


# -- synthetic papers ------------------------------------------------------------------------

MARKDOWN_PAPER = """# Graphs of Treaties

## Abstract

We describe a small method.

# 1 Introduction

Treaties cite each other [1]. Courts follow [2, 3].

## 1.1 Scope

We limit ourselves to two sources [3].

# 2 Method

Nothing more [4].
"""


def test_markdown_paper() -> None:
    doc = parse_paper(MARKDOWN_PAPER, file="m.md", slug="md-paper")
    sections = _sections(doc)
    assert [s.props["number"] for s in sections] == ["abstract", "1", "1.1", "2"]
    assert [s.props["title"] for s in sections[1:]] == ["Introduction", "Scope", "Method"]
    paper = next(n for n in doc.batch.nodes if n.id == "work:md-paper")
    assert paper.props["title"] == "Graphs of Treaties"
    cites = sorted((r.source.rsplit("/", 1)[1], int(r.props["number"]))  # type: ignore[arg-type]
                   for r in _section_cites(doc))
    assert cites == [("1", 1), ("1", 2), ("1", 3), ("1.1", 3), ("2", 4)]
    assert ("section:md-paper/1.1", "section:md-paper/1") in {
        (r.source, r.target) for r in doc.batch.relationships if r.type == RelType.PART_OF}


REFERENCE_PAPER = """On Reading Statutes

1. Introduction

Statutes are read in context [1]. Some disagree [2]–[3].

2. Conclusion

Context matters [1, 3].

References

[1] Doe, J. (2015). Reading law closely. Journal of Statutes, 3(1), 10-20.
[2] R. Roe and P. Poe, "Context and its limits," Law Quarterly, vol. 9, pp. 1-9,
    2018, doi:10.1234/LQ.2018.9
[3] 王五. 法律解释方法[M]. 北京: 法律出版社, 2010.
"""


def test_paper_with_reference_list() -> None:
    doc = parse_paper(REFERENCE_PAPER, file="r.txt", slug="ref-paper")
    assert [s.props["number"] for s in _sections(doc)] == ["1", "2", "references"]
    works = {int(n.props["number"]): n for n in doc.batch.nodes  # type: ignore[arg-type]
             if n.type == NodeType.WORK and n.props.get("kind") == "reference"}
    assert sorted(works) == [1, 2, 3]
    assert works[2].id == "work:doi:10.1234/lq.2018.9"
    assert works[2].props["title"] == "Context and its limits"
    assert works[2].props["authors"] == ["R. Roe", "P. Poe"]
    assert works[1].props["year"] == 2015 and works[1].props["title"] == "Reading law closely"
    assert works[1].id == ids.work_id_from_title_year("Reading law closely", 2015)
    assert works[3].props["title"] == "法律解释方法" and works[3].props["year"] == 2010
    assert all("raw" in w.props for w in works.values())
    targets = sorted((r.source.rsplit("/", 1)[1], int(r.props["number"]),  # type: ignore[arg-type]
                      r.target) for r in _section_cites(doc))
    assert [(s, n) for s, n, _ in targets] == [("1", 1), ("1", 2), ("1", 3), ("2", 1), ("2", 3)]
    assert all(t == works[n].id for _, n, t in targets)
    paper_cites = [r for r in doc.batch.relationships
                   if r.type == RelType.CITES and r.source == "work:ref-paper"]
    assert {r.provenance.locator for r in paper_cites} == {"references"}
    assert {r.target for r in paper_cites} == {w.id for w in works.values()}
    assert not any(n.props.get("status") == "unresolved" for n in doc.batch.nodes)
    # Reference-list entries are not body sentences.
    assert not any("Reading law closely" in s.text for s in doc.sentences)


def test_reference_list_matched_to_bib() -> None:
    bib = [Node("work:bib:roe2018", NodeType.WORK, "Context and its limits",
                {"title": "Context and Its Limits", "year": 2018, "bibkey": "roe2018"})]
    doc = parse_paper(REFERENCE_PAPER.replace(", doi:10.1234/LQ.2018.9", ""),
                      file="r.txt", slug="ref-paper", bib=bib)
    to_two = [r for r in _section_cites(doc) if r.props["number"] == 2]
    assert [r.target for r in to_two] == ["work:bib:roe2018"]
    stub = next(n for n in doc.batch.nodes if n.id == "work:bib:roe2018")
    assert stub.is_stub


def test_markers_link_to_bib_by_order_and_unknown_numbers_stay_unresolved() -> None:
    bib = [Node(f"work:bib:k{i}", NodeType.WORK, f"T{i}", {"bibkey": f"k{i}"})
           for i in range(1, 3)]
    text = "1 Introduction\n\nA claim [1]. Another [2, 3].\n"
    doc = parse_paper(text, file="b.txt", slug="b", bib=bib)
    targets = {r.props["number"]: r.target for r in _section_cites(doc)}
    assert targets == {1: "work:bib:k1", 2: "work:bib:k2",
                       3: ids.unresolved_reference_id("b", 3)}
    [problem] = doc.problems
    assert problem.place == "[3]" and problem.line == 3 and not problem.skipped


def test_numbered_list_items_in_the_body_are_not_sections() -> None:
    text = ("1. Introduction\n\nThe rules are these.\n\n1. Firstly, something holds.\n\n"
            "14 years is the threshold.\n\n2 Method\n\nText.\n")
    assert [h.number for h in find_headings(text)] == ["1", "2"]


def test_unknown_encoding_is_refused_through_the_paper_path() -> None:
    data = "1. Introduction\n\nCafé [1].\n".encode("latin-1")
    with pytest.raises(EncodingError) as info:
        parse_paper(decode_text(data, "legacy.txt"), file="legacy.txt", slug="legacy")
    assert info.value.file == "legacy.txt" and info.value.line == 3


def test_utf16_paper_parses_like_utf8() -> None:
    text = "1 Introduction\n\n法律 [1].\n"
    a = parse_paper(decode_text(text.encode("utf-16"), "a.txt"), file="a.txt", slug="a")
    b = parse_paper(decode_text(text.encode("utf-8-sig"), "a.txt"), file="a.txt", slug="a")
    assert a.batch == b.batch and len(_section_cites(a)) == 1


def test_fifty_megabyte_paper_is_refused_before_any_work(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    paragraph = ("1 Introduction\n\n" + "A sentence about statutes [1]. " * 300 + "\n\n")
    with path.open("w", encoding="utf-8") as out:
        while out.tell() < 50_000_000:
            out.write(paragraph)
    text = decode_text(path.read_bytes(), str(path))
    import ingest.paper as paper

    scans: list[int] = []
    real_find_headings = paper.find_headings

    def counting(text: str) -> list[paper.Heading]:
        scans.append(len(text))
        return real_find_headings(text)

    monkeypatch.setattr(paper, "find_headings", counting)
    with pytest.raises(InputTooLargeError) as info:
        parse_paper(text, file=str(path), slug="huge")
    assert info.value.file == str(path) and "over the limit" in str(info.value)
    assert scans == []  # refused on its length: not one scan of the 50 MB text
    # The limit is an option; a modest paper under it is parsed (and scanned once).
    doc = parse_paper(text[:500_000], file="part.txt", slug="part", max_chars=1_000_000)
    assert scans == [500_000] and doc.summary["markers"] > 1000


def _assert_consistent(doc: ParsedDocument, text: str) -> None:
    node_ids = {n.id for n in doc.batch.nodes}
    assert len(node_ids) == len(doc.batch.nodes)
    for rel in doc.batch.relationships:
        assert rel.source in node_ids and rel.target in node_ids
        if rel.type == RelType.CITES and rel.provenance.method == "marker":
            start, end = rel.provenance.span  # type: ignore[misc]
            assert text[start:end].startswith("[") and text[start:end].endswith("]")
    for sentence in doc.sentences:
        assert text[sentence.start:sentence.end] == sentence.text and sentence.text.strip()
        assert sentence.node_id in node_ids


def test_every_edge_endpoint_is_in_the_batch(seed: ParsedDocument, seed_text: str) -> None:
    _assert_consistent(seed, seed_text)
    doc = parse_paper(REFERENCE_PAPER, file="r.txt", slug="ref-paper")
    _assert_consistent(doc, REFERENCE_PAPER)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*"ab Z1239.[]-–,#\n\t 法。", "References", "\n\n",
                                  "1 Intro", "[4]", "Abstract", "I. Part", "II. Law",
                                  "A. Sub"]), max_size=120).map("".join))
def test_any_text_parses_consistently(text: str) -> None:
    _assert_consistent(parse_paper(text, file="h.txt", slug="h"), text)


def test_read_paper(tmp_path: Path) -> None:
    path = tmp_path / "My Paper.md"
    path.write_bytes(MARKDOWN_PAPER.encode("utf-8-sig"))
    doc = read_paper(path)
    assert doc.batch.document == "work:my-paper"
    assert len(_section_cites(doc)) == 5


def test_windows_line_endings_give_the_same_structure(seed: ParsedDocument,
                                                      seed_text: str) -> None:
    crlf = seed_text.replace("\n", "\r\n")
    doc = parse_paper(crlf, file="crlf.txt", slug="seed-paper")
    assert [s.props["title"] for s in _sections(doc)] == [
        s.props["title"] for s in _sections(seed)]
    assert len(doc.sentences) == len(seed.sentences)
    _assert_consistent(doc, crlf)


LAW_REVIEW = """Platforms and Possession

I. Introduction

Liability turns on knowledge [1]. Initials such as J. Doe stay in the text.

II. The Statutes

A. National Law

The code is strict [2].

B. Treaties

1. Early Instruments

Few existed.

2. Later Instruments

Many followed [3].

III. Conclusion

Done.
"""


def test_law_review_outline_headings() -> None:
    doc = parse_paper(LAW_REVIEW, file="lr.txt", slug="lr")
    assert [s.props["number"] for s in _sections(doc)] == [
        "I", "II", "II.A", "II.B", "II.B.1", "II.B.2", "III"]
    assert [s.props["level"] for s in _sections(doc)] == [1, 1, 2, 2, 3, 3, 1]
    part_of = {(r.source.rsplit("/", 1)[1], r.target.rsplit("/", 1)[1])
               for r in doc.batch.relationships if r.type == RelType.PART_OF}
    assert part_of == {("II.A", "II"), ("II.B", "II"), ("II.B.1", "II.B"),
                       ("II.B.2", "II.B")}
    cites = sorted((r.source.rsplit("/", 1)[1], int(r.props["number"]))  # type: ignore[arg-type]
                   for r in _section_cites(doc))
    assert cites == [("I", 1), ("II.A", 2), ("II.B.2", 3)]


# -- text without blank lines (PDF text) -----------------------------------------------------

TIGHT_PAPER = """Children Online and the Criminal Law
Abstract
Platforms host images of minors. The Convention on the Rights of the Child applies [1].
1. Introduction
States act slowly in this field, and the reasons for the delay are discussed below [2].
2. Analysis
2.1 Possession
Possession is an offence in most states that signed the protocol in the last decade.
2.2 Distribution
Distribution is punished more severely than simple possession in every system examined.
3. Conclusion
More is needed.
"""


def _uncovered(doc: ParsedDocument, text: str) -> str:
    """Text that no sentence, heading or the paper's title accounts for."""
    covered = bytearray(len(text))
    spans = [(s.start, s.end) for s in doc.sentences]
    spans += [tuple(r.provenance.span) for r in doc.batch.relationships  # type: ignore[misc]
              if r.type == RelType.HAS_SECTION and r.provenance.span is not None]
    paper = next(n for n in doc.batch.nodes if n.id == doc.batch.document)
    title = str(paper.props.get("title", ""))
    if title and title in text:
        spans.append((text.index(title), text.index(title) + len(title)))
    for a, b in spans:
        covered[a:b] = b"\x01" * (b - a)
    return "".join(c for c, k in zip(text, covered, strict=True) if not k and not c.isspace())


def test_headings_without_blank_lines() -> None:
    doc = parse_paper(TIGHT_PAPER, file="tight.txt", slug="tight")
    assert [s.props["number"] for s in _sections(doc)] == [
        "abstract", "1", "2", "2.1", "2.2", "3"]
    by_locator = {s.locator: s.text for s in doc.sentences}
    assert by_locator["abstract"].startswith("The Convention on the Rights")
    assert by_locator["2.1"].startswith("Possession is") and by_locator["3"] == "More is needed."
    assert ("section:tight/2.1", "section:tight/2") in {
        (r.source, r.target) for r in doc.batch.relationships if r.type == RelType.PART_OF}
    assert _uncovered(doc, TIGHT_PAPER) == ""


def test_abstract_mentions_survive_without_blank_lines() -> None:
    from citegraph.catalog import default_catalog_dir, load_catalog
    from ingest.mentions import extract_mentions

    doc = parse_paper(TIGHT_PAPER, file="tight.txt", slug="tight")
    _, rels = extract_mentions(doc.sentences, load_catalog(default_catalog_dir()),
                               document=doc.batch.document)
    assert "section:tight/abstract" in {r.source for r in rels}


def test_text_before_the_first_heading_is_front_matter() -> None:
    text = ("Possession Offences\nWe compare two codes. The results differ.\n"
            "1 Introduction\nBody text follows here.\n")
    doc = parse_paper(text, file="f.txt", slug="f")
    assert [s.props["number"] for s in _sections(doc)] == ["front", "1"]
    assert [s.locator for s in doc.sentences] == ["front", "front", "1"]
    assert _uncovered(doc, text) == ""
    # A title alone before the first heading is the paper's title, not a section.
    assert [s.props["number"] for s in _sections(parse_paper(
        "Possession Offences\n\n1 Introduction\n\nBody.\n", file="g.txt", slug="g"))] == ["1"]


def test_wrapped_body_lines_starting_with_a_number_are_not_headings() -> None:
    text = ("1 Introduction\nThe protocol was signed by many of the states that took part in the\n"
            "2 Rounds of talks that followed the first draft, and by a few others later\n"
            "on. Some states stayed outside.\n")
    assert [h.number for h in find_headings(text)] == ["1"]


def test_seed_without_blank_lines_keeps_its_sections_and_text(seed: ParsedDocument,
                                                              seed_text: str) -> None:
    tight = re.sub(r"\n[ \t]*\n", "\n", seed_text)
    doc = parse_paper(tight, file="tight.txt", slug="seed-paper")
    assert [(s.props["number"], s.props["title"]) for s in _sections(doc)] == [
        (s.props["number"], s.props["title"]) for s in _sections(seed)]
    assert doc.summary["markers"] == 10
    assert _uncovered(doc, tight) == _uncovered(seed, seed_text) == ""
    _assert_consistent(doc, tight)


def _summary_from_batch(doc: ParsedDocument) -> dict[str, int]:
    rels = doc.batch.relationships
    return {
        "sections": sum(1 for n in doc.batch.nodes if n.type == NodeType.SECTION),
        "markers": len({r.provenance.span for r in rels
                        if r.type == RelType.CITES and r.provenance.method == "marker"}),
        "references": sum(1 for r in rels if r.type == RelType.CITES
                          and r.provenance.method == "reference-list"),
        "sentences": len(doc.sentences),
        "unresolved": sum(1 for n in doc.batch.nodes if n.props.get("status") == "unresolved"),
    }


TWO_MARKER_PAPER = """On Two Sources

1. Introduction

States act [1]. Others do not [2].

References

[1] Doe, J. (2015). Reading law closely. Journal of Statutes, 3(1), 10-20.
[2] Roe, K. Acting on treaties. Oxford: Hart, 2016.
"""


@pytest.mark.parametrize("name", ["seed", "tight", "two-markers", "references", "markdown"])
def test_summary_counts_what_the_batch_holds(name: str, seed_text: str) -> None:
    from ingest.detect import detect_kind

    text = {"seed": seed_text, "tight": TIGHT_PAPER, "two-markers": TWO_MARKER_PAPER,
            "references": REFERENCE_PAPER, "markdown": MARKDOWN_PAPER}[name]
    doc = parse_paper(text, file=f"{name}.txt", slug=name)
    assert doc.summary == _summary_from_batch(doc)
    # The one-line reason given when the kind is detected counts the same things.
    _, reason = detect_kind(text, f"{name}.txt")
    numbered = sum(1 for n in doc.batch.nodes if n.type == NodeType.SECTION
                   and str(n.props["number"])[0].isdigit())
    assert f"{numbered} numbered sections" in reason
    assert f"{doc.summary['markers']} citation markers" in reason
