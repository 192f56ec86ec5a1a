"""LaTeX papers: sections numbered as LaTeX would, cite keys linked to BibTeX Works."""

from __future__ import annotations

import pytest

from citegraph import ids
from citegraph.errors import InputTooLargeError, ParseError
from citegraph.model import NodeType, Relationship, RelType
from ingest.base import ParsedDocument
from ingest.bibtex import parse_bibtex
from ingest.latex import find_citations, parse_latex_paper

BIB = r"""
@article{doe2001, title={Reading Statutes}, author={Doe, Jane}, year={2001},
  doi={10.1000/RS.1}}
@book{roe1999, title={Courts and {C}ontext}, author={Roe, A.}, year={1999}}
"""

PAPER = r"""\documentclass{article}
\title{Statutes in Context}
\begin{document}
\maketitle
\begin{abstract}
We read statutes \cite{roe1999}.
\end{abstract}
\section{Introduction}
Courts read statutes in context \citep[p.~3]{doe2001, roe1999}. % \cite{commented}
\subsection{Scope}
As \citet{doe2001} argued, context matters. Others \cite{ghost2020} disagree.
\section*{Acknowledgements}
Thanks.
\section{Method \& Data}
Counting \parencite{roe1999}.
\bibliographystyle{plain}
\bibliography{refs}
\end{document}
"""


@pytest.fixture(scope="module")
def doc() -> ParsedDocument:
    bib = parse_bibtex(BIB, file="refs.bib").batch.nodes
    return parse_latex_paper(PAPER, file="paper.tex", slug="tex-paper", bib=bib)


def _section_cites(doc: ParsedDocument) -> list[Relationship]:
    return [r for r in doc.batch.relationships
            if r.type == RelType.CITES and r.source.startswith("section:")]


def test_sections_are_numbered_like_latex(doc: ParsedDocument) -> None:
    sections = sorted((n for n in doc.batch.nodes if n.type == NodeType.SECTION),
                      key=lambda n: int(n.props["order"]))  # type: ignore[arg-type]
    assert [(s.props["number"], s.props["title"]) for s in sections] == [
        ("abstract", "Abstract"), ("1", "Introduction"), ("1.1", "Scope"),
        ("acknowledgements", "Acknowledgements"), ("2", "Method & Data"),
        ("references", "References")]
    paper = next(n for n in doc.batch.nodes if n.id == "work:tex-paper")
    assert paper.props["title"] == "Statutes in Context"


def test_cite_keys_link_to_bib_works(doc: ParsedDocument) -> None:
    doi_id = ids.work_id_from_doi("10.1000/rs.1")
    roe_id = ids.work_id_from_bibkey("roe1999")
    links = sorted((r.source.rsplit("/", 1)[1], r.props["bibkey"], r.target)  # type: ignore[type-var]
                   for r in _section_cites(doc))
    assert links == [
        ("1", "doe2001", doi_id), ("1", "roe1999", roe_id),
        ("1.1", "doe2001", doi_id), ("1.1", "ghost2020", "work:bib:ghost2020"),
        ("2", "roe1999", roe_id), ("abstract", "roe1999", roe_id)]
    for rel in _section_cites(doc):
        start, end = rel.provenance.span  # type: ignore[misc]
        assert PAPER[start:end].startswith("\\") and str(rel.props["bibkey"]) in PAPER[start:end]
        assert rel.provenance.method == "cite-key"
    stubs = {n.id: n for n in doc.batch.nodes if n.type == NodeType.WORK and n.is_stub}
    assert stubs["work:bib:ghost2020"].props["status"] == "unresolved"
    assert stubs[doi_id].props["bibkey"] == "doe2001"
    assert [p.place for p in doc.problems] == ["ghost2020"]


def test_sentences_index_the_source(doc: ParsedDocument) -> None:
    assert doc.sentences
    for sentence in doc.sentences:
        # Plain text of the same span: offsets index the source, no markup remains.
        assert len(PAPER[sentence.start:sentence.end]) == len(sentence.text)
        assert "\\" not in sentence.text and "{" not in sentence.text
    assert not any("documentclass" in s.text for s in doc.sentences)


def test_thebibliography_items_become_works() -> None:
    src = (r"\section{Intro}See \cite{k1}." "\n"
           r"\begin{thebibliography}{9}" "\n"
           r"\bibitem{k1} J. Doe, ``Graphs of law,'' \newblock Law Review, 2001." "\n"
           r"\end{thebibliography}")
    doc = parse_latex_paper(src, file="t.tex", slug="t")
    [cite] = _section_cites(doc)
    work = next(n for n in doc.batch.nodes if n.id == cite.target)
    assert work.props["bibkey"] == "k1" and work.props["year"] == 2001


def test_find_citations_forms() -> None:
    text = r"\cite{a} \citep[see][p. 2]{b,c} \citet*{d} \textcite{e} % \cite{f}" "\n\\nocite{*}"
    assert [c.keys for c in find_citations(text)] == [("a",), ("b", "c"), ("d",), ("e",)]


def test_bad_latex_is_refused() -> None:
    with pytest.raises(ParseError) as info:
        parse_latex_paper("x\n\\section{Never closed", file="bad.tex", slug="b")
    assert info.value.file == "bad.tex" and info.value.line == 2
    with pytest.raises(InputTooLargeError):
        parse_latex_paper(PAPER, file="big.tex", slug="b", max_chars=10)
