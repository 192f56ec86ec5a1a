"""Author-year citations on papers written for these tests and on the real ACL 2017 PDF."""

from __future__ import annotations

import doctest
from pathlib import Path

import ingest.authoryear
from citegraph.model import RelType
from ingest.authoryear import find_author_year
from ingest.paper import parse_paper

PAPER = """An Author-Year Paper

1. Introduction

Courts cite scholars (Smith & Doe 2010; Lee et al. 2012b). Kant (1785, p. 4) disagrees,
as does Lee (2012a).

References

Doe, Jane and John Smith. 2010. On Courts. Law Review 3.
Kant, Immanuel. 1785. Groundwork. Riga.
Lee, Kim, Ann Ma and Bo Ng. 2012. First Thing. Journal 1.
Lee, Kim and Ann Ma. 2012. Second Thing. Journal 2.
Smith, John and Jane Doe. 2010. Of Statutes. Press.
"""


def test_doctests() -> None:
    assert doctest.testmod(ingest.authoryear).failed == 0


def test_calls_link_by_surname_year_and_letter() -> None:
    doc = parse_paper(PAPER, file="ay.txt", slug="ay")
    cites = sorted((r.props["cited_as"], r.target) for r in doc.batch.relationships
                   if r.type == RelType.CITES and r.provenance.method == "author-year")
    assert [c for c, _ in cites] == ["Kant 1785", "Lee 2012a", "Lee 2012b", "Smith 2010"]
    targets = dict(cites)
    assert targets["Lee 2012a"] != targets["Lee 2012b"]
    assert doc.summary["author_year"] == 4


def test_a_numbered_footnotes_section_is_no_reference_list() -> None:
    text = "1. Intro\n\nText.\n\n2. Footnotes\n\nPut them at the bottom.\n"
    doc = parse_paper(text, file="f.txt", slug="f")
    numbers = [n.props["number"] for n in doc.batch.nodes if n.type == "Section"]
    assert numbers == ["1", "2"]


def test_acl_author_year_pdf() -> None:
    path = (Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "real"
            / "papers" / "latex" / "acl2017" / "acl2017.pdf")
    from ingest.pdf import extract_pdf_text

    text = extract_pdf_text(path.read_bytes(), file=path.name)
    items = sum(len(c.items) for c in find_author_year(text))
    assert items >= 14  # the .tex source has 16 \\cite commands
    doc = parse_paper(text, file=path.name, slug="acl")
    assert doc.summary.get("author_year", 0) >= 10
