"""Journal web pages: every real law-review page gives its footnotes, each called."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

import ingest.html
from citegraph.errors import ParseError
from citegraph.model import RelType
from ingest.footnotes import find_footnotes
from ingest.html import html_paper_text
from ingest.paper import parse_paper

PAGES = sorted((Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "real"
                / "law-reviews").glob("*.html"))


def test_doctests() -> None:
    assert doctest.testmod(ingest.html).failed == 0


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem[:40])
def test_every_page_gives_called_numbered_footnotes(path: Path) -> None:
    text = html_paper_text(path.read_bytes(), file=str(path))
    calls, notes = find_footnotes(text)
    numbers = [n.number for n in notes if n.number is not None]
    assert numbers and min(numbers) == 1 and all(n.text for n in notes)
    called = {c.label for c in calls}
    assert sum(1 for n in notes if n.label not in called) <= max(1, len(notes) // 100)
    assert "<" not in "".join(n.text for n in notes[:20])  # plain text, no markup


def test_footnote_cites_carry_plain_provenance() -> None:
    path = next(p for p in PAGES if "discovery-dark-matter" in p.name)
    doc = parse_paper(html_paper_text(path.read_bytes(), file=path.name), file=path.name,
                      slug="page")
    cites = [r for r in doc.batch.relationships
             if r.type == RelType.CITES and r.provenance.method == "footnote"]
    assert len(cites) > 300
    assert all("[^" not in r.provenance.quote for r in cites)
    assert all(r.props["footnote_text"] for r in cites)


def test_a_page_without_text_is_a_clear_error() -> None:
    with pytest.raises(ParseError, match="no text") as info:
        html_paper_text(b"<html><body><script>x()</script></body></html>", file="e.html")
    assert info.value.file == "e.html"
