"""Reference strings: splitting reference lists and parsing entries in common styles."""

from __future__ import annotations

import pytest

from citegraph import ids
from citegraph.model import Node, NodeType, RelType
from ingest.paper import parse_paper
from ingest.references import (
    match_to_bib,
    parse_reference,
    reference_node,
    reference_work_id,
    split_reference_list,
)


def test_split_bracket_numbered_with_wrapped_lines() -> None:
    text = "[1] Alpha, A. First work.\n[2] Beta, B. Second\n    work, wrapped.\n[3] Gamma."
    entries = split_reference_list(text)
    assert [(e.number, e.raw) for e in entries] == [
        (1, "Alpha, A. First work."), (2, "Beta, B. Second work, wrapped."), (3, "Gamma.")]
    for entry in entries:
        assert text[entry.start:entry.end].split() == entry.raw.split()


def test_split_dot_numbered_ignores_numbers_that_break_the_count() -> None:
    text = "1. Alpha, A. (2001). One.\n2. Beta, B. Two\n1999. continued.\n3. Gamma, C. Three."
    entries = split_reference_list(text)
    assert [e.number for e in entries] == [1, 2, 3]
    assert entries[1].raw == "Beta, B. Two 1999. continued."


def test_split_paragraphs_and_lines() -> None:
    assert [e.raw for e in split_reference_list("A one.\n\nB two\ncontinued.\n\n\nC.")] == [
        "A one.", "B two continued.", "C."]
    assert [e.raw for e in split_reference_list("A one.\nB two.\n")] == ["A one.", "B two."]


def test_split_respects_offsets_into_the_whole_text() -> None:
    text = "Body text.\n\nReferences\n[1] Alpha. One.\n[2] Beta. Two."
    start = text.index("[1]")
    entries = split_reference_list(text, start)
    assert [text[e.start:e.end] for e in entries] == ["Alpha. One.", "Beta. Two."]


@pytest.mark.parametrize(("raw", "authors", "year", "title", "venue"), [
    ("Doe, J., Roe, A. B., & Poe, C. (2020). Platform liability revisited. Law and Tech "
     "Review, 7(1), 1-30.", ("Doe, J.", "Roe, A. B.", "Poe, C."), 2020,
     "Platform liability revisited", "Law and Tech Review"),
    ('A. Author and B. Writer, "Possession offences online," in Proc. Crim. Law Conf., '
     "2017, pp. 3-9.", ("A. Author", "B. Writer"), 2017, "Possession offences online",
     "Proc. Crim. Law Conf"),
    ('Smith, John. 2019. "Age Thresholds in Criminal Law." Journal of Minors 12 (3): 45-67.',
     ("Smith, John",), 2019, "Age Thresholds in Criminal Law", "Journal of Minors"),
    ("Li M, Zhang W. Online protection of minors in China[J]. Asian Law Journal, 2021, "
     "15(2): 10-20.", ("Li M", "Zhang W"), 2021, "Online protection of minors in China",
     "Asian Law Journal"),
    ("赵六, 钱七. 儿童保护立法比较[J]. 比较法研究, 2018(4): 33-45.", ("赵六", "钱七"), 2018,
     "儿童保护立法比较", "比较法研究"),
])
def test_parse_reference_styles(raw: str, authors: tuple[str, ...], year: int, title: str,
                                venue: str) -> None:
    ref = parse_reference(raw)
    assert (ref.authors, ref.year, ref.title, ref.venue) == (authors, year, title, venue)
    assert ref.raw == raw


@pytest.mark.parametrize(("raw", "authors", "year", "title", "venue"), [
    # "Last, F. Title. Place: Publisher, Year." (the author list ends with an initial)
    ("Zhang, W. Criminal Law and Children. Beijing: Law Press, 2019.", ("Zhang, W.",), 2019,
     "Criminal Law and Children", "Beijing: Law Press"),
    ("Doe, J. A. Policing the net. Oxford: Hart, 2012.", ("Doe, J. A.",), 2012,
     "Policing the net", "Oxford: Hart"),
    ("Smith, J., and K. Lee. Online harms. London: Hart, 2020.", ("Smith, J.", "K. Lee"),
     2020, "Online harms", "London: Hart"),
    ("Mary A. Doe. Policing the net. Oxford: Hart, 2012.", ("Mary A. Doe",), 2012,
     "Policing the net", "Oxford: Hart"),
    ("Lee K, Smith JA. Online abuse and law. Law J. 2019;3:1-10.", ("Lee K", "Smith JA"), 2019,
     "Online abuse and law", "Law J"),
    # APA
    ("Smith, J., & Lee, K. (2019). Title of a study. Journal Name, 3(2), 1–10. "
     "https://doi.org/10.1234/abc.5", ("Smith, J.", "Lee, K."), 2019, "Title of a study",
     "Journal Name"),
    # Chicago book, Harvard article (single quotes, an apostrophe inside)
    ("Smith, John. Title of Book. Chicago: University Press, 2015.", ("Smith, John",), 2015,
     "Title of Book", "Chicago: University Press"),
    ("Smith, J. and Lee, K. (2019) 'Children's rights online', Journal of Law, 3(2), "
     "pp. 1-10.", ("Smith, J.", "Lee, K."), 2019, "Children's rights online", "Journal of Law"),
    # Initials first, commas only
    ("J. Smith, Title of Work, Oxford University Press, 2001", ("J. Smith",), 2001,
     "Title of Work", "Oxford University Press"),
    ("J. Smith and K. Lee, Online harms, Hart, 2020.", ("J. Smith", "K. Lee"), 2020,
     "Online harms", "Hart"),
    # IEEE, with its number still in front
    ("[3] A. B. Author, “Title of paper,” Venue Name, vol. 2, 2010.", ("A. B. Author",), 2010,
     "Title of paper", "Venue Name"),
    # an initialism inside the title; GB/T names written "SURNAME I" in capitals
    ("Doe, J. The U.S. approach to online harm. Yale L.J. 2001.", ("Doe, J.",), 2001,
     "The U.S. approach to online harm", "Yale L.J"),
    ("WANG L, LI M. Online child protection[J]. Law Review, 2019, 3(2): 1-9.",
     ("WANG L", "LI M"), 2019, "Online child protection", "Law Review"),
    # GB/T 7714 journal article and book
    ("王小明. 未成年人网络保护研究[J]. 中国法学, 2021(2): 15-30.", ("王小明",), 2021,
     "未成年人网络保护研究", "中国法学"),
    ("钱七. 网络治理[M]. 北京: 法律出版社, 2020.", ("钱七",), 2020, "网络治理", "北京: 法律出版社"),
])
def test_parse_reference_style_table(raw: str, authors: tuple[str, ...], year: int,
                                     title: str, venue: str) -> None:
    ref = parse_reference(raw)
    assert (ref.authors, ref.year, ref.title, ref.venue) == (authors, year, title, venue)
    assert reference_work_id(ref) == ids.work_id_from_title_year(title, year) or ref.doi


def test_bare_url_reference() -> None:
    ref = parse_reference("https://example.org/reports/child-safety")
    assert ref.url == "https://example.org/reports/child-safety"
    assert (ref.authors, ref.title, ref.venue, ref.year, ref.doi) == ((), None, None, None, None)


def test_doi_and_url() -> None:
    ref = parse_reference("Doe, J. (2010). Title here. Venue. https://doi.org/10.5555/AbC.9.")
    assert ref.doi == "10.5555/abc.9" and ref.url == "https://doi.org/10.5555/AbC.9"
    assert reference_work_id(ref) == "work:doi:10.5555/abc.9"
    ref = parse_reference("Agency. Annual report. Available at: https://example.org/r.pdf")
    assert ref.doi is None and ref.url == "https://example.org/r.pdf"


def test_identity_without_doi_is_title_and_year() -> None:
    ref = parse_reference("Doe, J. (2010). The Same Title. Venue.")
    assert reference_work_id(ref) == ids.work_id_from_title_year("The Same Title", 2010)
    other = parse_reference("J. Doe, \"The same title,\" Venue, 2010.")
    assert reference_work_id(other) == reference_work_id(ref)
    node = reference_node(ref, number=4)
    assert node.type == NodeType.WORK and node.props["number"] == 4
    assert node.props["raw"] == ref.raw


def test_unparseable_reference_still_gets_a_work() -> None:
    ref = parse_reference("see the annex")
    node = reference_node(ref)
    assert node.id.startswith("work:ty:") and node.props["raw"] == "see the annex"


def test_match_to_bib_by_doi_then_title() -> None:
    bib = [Node("work:doi:10.1000/x", NodeType.WORK, "A", {"doi": "10.1000/X", "title": "A"}),
           Node("work:bib:b", NodeType.WORK, "B", {"title": "Béta: Title", "year": 2001})]
    assert match_to_bib(parse_reference("X. (2001). Other. doi:10.1000/x"), bib) is bib[0]
    assert match_to_bib(parse_reference("Y, Z. (2001). Beta title. V."), bib) is None
    assert match_to_bib(parse_reference("Y, Z. (2001). Béta - Title. V."), bib) is bib[1]
    assert match_to_bib(parse_reference("Y, Z. (1990). Béta - Title. V."), bib) is None


CHINESE_PAPER = """儿童保护研究

1 引言

网络犯罪日益严重[1]。立法仍有不足[2]。

参考文献

[1] 赵六. 儿童保护立法比较[J]. 比较法研究, 2018(4): 33-45.
[2] 钱七. 网络治理[M]. 北京: 法律出版社, 2020.
"""


def test_chinese_reference_list_in_a_paper() -> None:
    doc = parse_paper(CHINESE_PAPER, file="zh.txt", slug="zh")
    numbers = [n.props["number"] for n in doc.batch.nodes if n.type == NodeType.SECTION]
    assert numbers == ["1", "references"]
    cites = {int(r.props["number"]): r.target  # type: ignore[arg-type]
             for r in doc.batch.relationships
             if r.type == RelType.CITES and r.source.startswith("section:")}
    works = {n.id: n for n in doc.batch.nodes if n.props.get("kind") == "reference"}
    assert set(cites.values()) == set(works)
    assert works[cites[1]].props["title"] == "儿童保护立法比较"
    assert works[cites[2]].props["year"] == 2020
    # Sentences split at Chinese full stops, each holding its marker.
    assert [s.text[-5:] for s in doc.sentences] == ["重[1]。", "足[2]。"]
