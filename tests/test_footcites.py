"""The footnote-citation parser on footnotes written for these tests (Bluebook style)."""

from __future__ import annotations

from ingest.footcites import parse_footnote, resolve_footnotes, split_citations


def test_split_on_semicolons_signals_and_citation_sentences() -> None:
    text = ("See Alpha v. Beta, 101 U.S. 1, 5 (1880) (noting a; b); cf. Gamma v. Delta, "
            "202 F.3d 3 (2d Cir. 2000). But see Epsilon v. Zeta, 303 U.S. 7 (1938).")
    clauses = [text[a:b] for a, b in split_citations(text)]
    assert len(clauses) == 3  # the ';' inside the parenthetical does not split
    assert clauses[2].startswith("But see")


def test_kinds_signals_and_keys() -> None:
    cites = parse_footnote(
        "See, e.g., Alpha v. Beta, 101 U.S. 1, 5 (1880); 42 U.S.C. § 1983 (2018); "
        "Jane Roe, A Theory of Notes, 99 Yale L.J. 100, 110 (1990); Convention on Imaginary "
        "Things art. 3, Jan. 1, 1990, 1234 U.N.T.S. 5; John Doe, The Book of Rules 12 "
        "(2d ed. 2001).")
    assert [c.kind for c in cites] == ["case", "statute", "journal", "treaty", "book"]
    assert cites[0].signal == "see, e.g." and cites[0].key == "case:101-u-s-1"
    assert cites[2].title == "A Theory of Notes" and cites[2].year == "1990"
    assert cites[3].key.startswith("treaty:convention-on-imaginary-things")
    assert cites[4].author == "John Doe" and cites[4].year == "2001"


def test_commentary_is_no_citation() -> None:
    assert parse_footnote("I use the word loosely here, as the next part explains.") == ()


def test_short_forms_resolve_across_footnotes() -> None:
    notes = [(1, parse_footnote("Jane Roe, A Theory of Notes, 99 Yale L.J. 100 (1990).")),
             (2, parse_footnote("Alpha v. Beta, 101 U.S. 1 (1880).")),
             (3, parse_footnote("Id. at 4.")),
             (4, parse_footnote("Roe, supra note 1, at 105.")),
             (5, parse_footnote("Alpha, 101 U.S. at 3.")),
             (6, parse_footnote("Ibid.")),
             (7, parse_footnote("Nobody, supra note 40."))]
    resolved = dict(resolve_footnotes(notes))
    assert resolved[3][0].key == "case:101-u-s-1" and resolved[3][0].resolved
    assert resolved[4][0].key == "journal:99-yale-l-j-100"
    assert resolved[5][0].key == "case:101-u-s-1"
    assert resolved[6][0].key == "case:101-u-s-1"
    assert not resolved[7][0].resolved and resolved[7][0].key == ""


def test_doctests() -> None:
    import doctest

    import ingest.footcites

    assert doctest.testmod(ingest.footcites).failed == 0


def test_markdown_footnotes_give_cites_with_the_calling_sentence() -> None:
    from citegraph.model import RelType
    from ingest.paper import parse_paper

    text = ("# A Note\n\n## 1 Law\n\nCourts differ on this.[^1] Later ones agree.[^2]\n\n"
            "[^1]: See Alpha v. Beta, 101 U.S. 1, 5 (1880).\n"
            "[^2]: Id. at 7; cf. 42 U.S.C. § 1983.\n")
    doc = parse_paper(text, file="note.md", slug="note")
    cites = [r for r in doc.batch.relationships
             if r.type == RelType.CITES and r.provenance.method == "footnote"
             and r.source.startswith("section:note/1")]
    assert sorted(r.target for r in cites) == ["work:case:101-u-s-1", "work:case:101-u-s-1",
                                               "work:law:42-u-s-c-1983"]
    assert {r.provenance.quote for r in cites} == {"Courts differ on this.",
                                                   "Later ones agree."}
    notes = [n for n in doc.batch.nodes if n.props.get("kind") == "footnote"]
    assert [n.props["number"] for n in notes] == ["1", "2"]
    assert notes[0].props["calling_sentence"] == "Courts differ on this."
