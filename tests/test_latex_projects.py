"""LaTeX projects: every real paper of ``papers/latex`` (one main file and the files it
inputs) against a grep of its sources; the citation forms of natbib and biblatex."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmarks.accuracy_latex import measure, projects
from citegraph.errors import InputError
from ingest.bibtex import parse_bibtex
from ingest.latex import find_citations, parse_latex_paper, parse_latex_project
from ingest.latexproject import find_main_files, load_project

PROJECTS = projects()


@pytest.mark.parametrize("folder", PROJECTS, ids=[p.name for p in PROJECTS])
def test_real_project_citations_are_found_and_linked(folder: Path) -> None:
    row = measure(folder)
    assert not row.error, row.error
    assert row.independent > 0 and row.recall >= 0.97
    project = load_project(find_main_files(folder)[0])
    if project.bib_files:
        assert row.linking >= 0.97
    else:  # a chapter whose book's bibliography is not in the corpus: every key reported
        doc = parse_latex_project(folder)
        unresolved = {p.place for p in doc.problems if "in no bibliography" in p.reason}
        keys = {k for c in find_citations(project.text) for k in c.keys}
        assert unresolved == keys


@pytest.mark.parametrize("folder", PROJECTS, ids=[p.name for p in PROJECTS])
def test_real_project_is_one_paper_with_plain_quotes(folder: Path) -> None:
    doc = parse_latex_project(folder)
    papers = [n for n in doc.batch.nodes if n.props.get("kind") == "paper"]
    assert len(papers) == 1
    for rel in doc.batch.relationships:
        assert not re.search(r"[\\{}$]", rel.provenance.quote), rel.provenance.quote
        start, end = rel.provenance.span or (0, 0)
        assert 0 <= start <= end <= len(load_project(find_main_files(folder)[0]).text)
    for problem in doc.problems:
        assert Path(problem.file).is_file() and problem.line


def test_multi_file_chapter_reports_places_in_the_section_files() -> None:
    folder = next((p for p in PROJECTS if len(list(p.rglob("*.tex"))) > 3), None)
    if folder is None:
        pytest.skip("no multi-file project in the corpus")
    project = load_project(find_main_files(folder)[0])
    assert len(project.files) == len(list(folder.rglob("*.tex")))
    doc = parse_latex_project(folder)
    sections = {n.props["number"] for n in doc.batch.nodes if n.type == "Section"}
    assert len(sections) >= len(project.files) - 1
    cites = [r for r in doc.batch.relationships if r.source.startswith("section:")]
    files = {project.locate(r.provenance.span[0])[0] for r in cites if r.provenance.span}
    assert len(files) >= 2 and str(project.main) not in files


BIB = "@book{Doe2001, title={Reading Statutes}, year={2001}}\n@book{roe99, title={Courts}}\n"


def _write(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_project_follows_every_inclusion_and_reads_the_bib(tmp_path: Path) -> None:
    folder = _write(tmp_path, {
        "main.tex": "\\documentclass{book}\n\\addbibresource{refs.bib}\n\\begin{document}\n"
                    "\\include{ch/one}\n\\subfile{two}\n\\import{parts/}{three}\n"
                    "\\input{missing}\n\\printbibliography\n\\end{document}\n",
        "ch/one.tex": "\\chapter{One}\\section{A}As \\textcite{doe2001} says.\n",
        "two.tex": "\\section{B}See \\parencite[p.~2]{ROE99}.\n\\printbibliography\n",
        "parts/three.tex": "\\section{C}Also \\autocite{Doe2001} and \\footcite{ghost}.\n",
        "refs.bib": BIB})
    doc = parse_latex_project(folder)
    assert doc.summary["citations"] == 4 and doc.summary["linked"] == 3
    [missing] = [p for p in doc.problems if "missing" in p.reason]
    assert missing.file.endswith("main.tex") and missing.line == 7
    [ghost] = [p for p in doc.problems if p.place == "ghost"]
    assert ghost.file.endswith("three.tex") and ghost.line == 1
    targets = {r.target for r in doc.batch.relationships if r.source.startswith("section:")}
    assert "work:bib:Doe2001" in targets and "work:bib:roe99" in targets


def test_a_folder_with_two_main_files_is_refused(tmp_path: Path) -> None:
    main = "\\documentclass{article}\n\\begin{document}x\\end{document}\n"
    folder = _write(tmp_path, {"a.tex": main, "b.tex": main})
    with pytest.raises(InputError, match="2 LaTeX main files"):
        parse_latex_project(folder)


def test_every_citation_form() -> None:
    text = ("\\cite{a} \\citep[see][p. 2]{b,c} \\citet*{d} \\textcite{e} \\shortcite{f} "
            "\\citeposs{g} \\fullcite{h} \\citetitle{i} \\citeauthor{j} \\citeyear{k} "
            "\\Parencite{l} \\footcite[12]{m} \\textcites(pre)(post)[1]{n}[2]{o} "
            "\\verb|\\cite{v1}| % \\cite{v2}\n\\begin{verbatim}\n\\cite{v3}\n\\end{verbatim}\n"
            "\\newcommand{\\mycite}{\\cite} \\nocite{p}")
    from ingest.latexproject import blank

    keys = [k for c in find_citations(blank(text)) for k in c.keys]
    assert keys == list("abcdefghijklmno")
    assert [c.keys for c in find_citations(blank(text), nocite=True)][-1] == ("p",)


def test_nocite_star_cites_the_whole_bibliography_and_later_bibliographies_count() -> None:
    bib = parse_bibtex(BIB + "@misc{unread, title={Never cited}}", file="r.bib").batch.nodes
    src = ("\\documentclass{article}\\begin{document}\\section{A}One \\cite{doe2001}.\n"
           "\\printbibliography[heading=subbibliography]\n\\section{B}Two \\cite{roe99}.\n"
           "\\nocite{*}\n\\printbibliography\n\\end{document}")
    doc = parse_latex_paper(src, file="p.tex", slug="p", bib=bib)
    assert doc.summary["citations"] == 2 and doc.summary["linked"] == 2
    from_paper = {r.target for r in doc.batch.relationships
                  if r.source == "work:p" and r.type == "CITES"}
    assert from_paper == {"work:bib:Doe2001", "work:bib:roe99", "work:bib:unread"}
    [nocite] = [r for r in doc.batch.relationships if r.provenance.method == "nocite"]
    assert nocite.target == "work:bib:unread" and nocite.source == "work:p"


def test_the_registry_reads_a_project_once(tmp_path: Path) -> None:
    from ingest.formats import Source, read

    folder = _write(tmp_path, {
        "main.tex": "\\documentclass{book}\n\\begin{document}\n\\input{ch}\n\\end{document}\n",
        "ch.tex": "\\section{A}As \\cite{k} says.\n"})
    main, _ = read(Source("main.tex", (folder / "main.tex").read_bytes(),
                          path=folder / "main.tex"))
    assert main.summary["citations"] == 1
    part, _ = read(Source("ch.tex", (folder / "ch.tex").read_bytes(), path=folder / "ch.tex"))
    assert not part.batch.nodes and "part of the LaTeX project of main.tex" in str(
        part.problems[0])
    assert part.batch.document == main.batch.document
