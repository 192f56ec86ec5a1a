"""BibTeX reader: the real historybib file, identities, crossrefs, and every bad-input case."""

from __future__ import annotations

import copy
import os
import re
import time
from pathlib import Path

import pytest
from bibtexparser.entrypoint import parse_string
from bibtexparser.library import Library
from bibtexparser.middlewares import LatexDecodingMiddleware, NormalizeFieldKeys
from hypothesis import given, settings
from hypothesis import strategies as st

from citegraph import ids
from citegraph.errors import BibtexError, EncodingError, InputTooLargeError, ParseError
from citegraph.model import Node, NodeType
from ingest.base import DocumentKind, ParsedDocument
from ingest.bibtex import FastLatexDecoding, parse_bibtex, read_bibtex, works_by_bibkey
from ingest.latextext import _pylatexenc, decode_latex
from ingest.textio import decode_text, read_text

SHARED = Path(os.environ.get("CITEGRAPH_SHARED",
                             Path(__file__).resolve().parents[1].parent / "shared"))
HISTORYBIB = SHARED / "corpus" / "bib" / "historybib-master.bib"
ENTRY_START = re.compile(r"^@\w+\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)


@pytest.fixture(scope="module")
def bib_text() -> str:
    if not HISTORYBIB.exists():
        pytest.skip(f"shared corpus not found at {HISTORYBIB}")
    return read_text(HISTORYBIB)


@pytest.fixture(scope="module")
def history(bib_text: str) -> ParsedDocument:
    return parse_bibtex(bib_text, file="historybib-master.bib")


def _by_key(doc: ParsedDocument) -> dict[str, Node]:
    return {str(n.props["bibkey"]): n for n in doc.batch.nodes}


# -- the real file ---------------------------------------------------------------------------

def test_every_entry_loads_or_is_reported(history: ParsedDocument, bib_text: str) -> None:
    heads = [(m.group(1), bib_text.count("\n", 0, m.start()) + 1)
             for m in ENTRY_START.finditer(bib_text)]
    assert len(heads) == 368
    loaded = {(str(n.props["bibkey"]), n.props["line"]) for n in history.batch.nodes}
    reported = {(p.place, p.line) for p in history.problems if p.skipped}
    assert loaded | reported == set(heads)
    assert not loaded & reported
    assert history.kind == DocumentKind.BIBTEX
    assert history.batch.document == "bib:historybib-master"
    assert history.summary["works"] == len(history.batch.nodes) == len(loaded)


def test_duplicate_keys_are_reported_with_both_lines(history: ParsedDocument,
                                                     bib_text: str) -> None:
    keys = [m.group(1) for m in ENTRY_START.finditer(bib_text)]
    duplicated = {k for k in keys if keys.count(k) > 1}
    assert duplicated, "the real file has duplicate keys"
    dup_problems = [p for p in history.problems if "duplicate key" in p.reason]
    assert {p.place for p in dup_problems} == duplicated
    for problem in dup_problems:
        assert problem.file == "historybib-master.bib" and problem.line is not None
        assert bib_text.splitlines()[problem.line - 1].rstrip().endswith(f"{problem.place},")
        first_line = int(re.search(r"line (\d+)", problem.reason).group(1))  # type: ignore[union-attr]
        assert first_line < problem.line


def test_work_properties(history: ParsedDocument, bib_text: str) -> None:
    for node in history.batch.nodes:
        assert node.type == NodeType.WORK
        assert node.props["entry_type"] in {"book", "article", "incollection", "phdthesis",
                                            "misc"}
        for author in node.props.get("authors", []):  # type: ignore[union-attr]
            assert isinstance(author, str) and "{" not in author and "\\" not in author
        title = node.props.get("title")
        assert title is None or ("\n" not in str(title) and "\\" not in str(title))
        if "doi" in node.props:
            assert node.id == ids.work_id_from_doi(str(node.props["doi"]))
        else:
            assert node.id == ids.work_id_from_bibkey(str(node.props["bibkey"]))
    with_year = [n for n in history.batch.nodes if isinstance(n.props.get("year"), int)]
    assert len(with_year) > 300
    # Every DOI in the file that is not empty gives a DOI identity.
    dois = {ids.normalise_doi(d) for d in re.findall(r"doi\s*=\s*\{([^}]+)\}", bib_text)}
    assert {n.props["doi"] for n in history.batch.nodes if "doi" in n.props} == dois - {None}


def test_latex_escapes_are_decoded(history: ParsedDocument, bib_text: str) -> None:
    escaped = re.findall(r"^\s*(\w+)\s*=\s*\{(.*\\&.*)\},?\s*$", bib_text, re.MULTILINE)
    assert escaped
    values = {str(v) for n in history.batch.nodes for v in n.props.values()
              if isinstance(v, str)}
    for _field, raw in escaped:
        expected = " ".join(raw.replace("\\&", "&").replace("{", "").replace("}", "").split())
        assert expected in values


def test_crossrefs_are_resolved(history: ParsedDocument, bib_text: str) -> None:
    refs = re.findall(r"crossref\s*=\s*\{([^}]+)\}", bib_text)
    children = [n for n in history.batch.nodes if "crossref" in n.props]
    assert len(children) == len(refs)
    works = _by_key(history)
    for child in children:
        parent = works[str(child.props["crossref"])]
        assert child.props["crossref_id"] == parent.id
        assert child.props.get("booktitle") or child.props.get("venue")
        if "year" not in parent.props:
            continue
        # A child that has no year of its own inherits the parent's.
        assert "year" in child.props


def test_crossref_inherits_missing_fields() -> None:
    text = ("@incollection{ch1, title={Chapter}, author={Doe, J.}, crossref={vol1}}\n"
            "@book{vol1, title={The Volume}, publisher={Press}, year={1999}, "
            "editor={Roe, A.}}\n")
    works = _by_key(parse_bibtex(text, file="x.bib"))
    chapter = works["ch1"]
    assert chapter.props["booktitle"] == "The Volume" and chapter.props["year"] == 1999
    assert chapter.props["editors"] == ["Roe, A."] and chapter.props["publisher"] == "Press"
    assert chapter.props["crossref_id"] == "work:bib:vol1"


def test_decoding_is_much_faster_than_bibtexparsers_own(bib_text: str) -> None:
    # Relative timing in one process, caches cold: robust to a busy machine.
    parsed = parse_string(bib_text, append_middleware=[NormalizeFieldKeys()])
    library = Library(blocks=parsed.blocks[:100])  # enough to time, quick to run
    _pylatexenc.cache_clear()
    decode_latex.cache_clear()
    start = time.perf_counter()
    FastLatexDecoding().transform(copy.deepcopy(library))
    fast = time.perf_counter() - start
    start = time.perf_counter()
    LatexDecodingMiddleware().transform(copy.deepcopy(library))
    slow = time.perf_counter() - start
    assert fast * 5 < slow


def test_decode_latex() -> None:
    assert decode_latex(r"M{\"u}ller \& S{\o}n") == "Müller & Søn"
    assert decode_latex("{{The}  Title}") == "The Title"
    assert decode_latex("pre--post") == "pre–post"


def test_works_by_bibkey(history: ParsedDocument) -> None:
    table = works_by_bibkey(history.batch.nodes)
    assert len(table) == len(history.batch.nodes)


# -- bad input -------------------------------------------------------------------------------

GOOD = "@article{good1, title={Fine}, author={Doe, Jane}, year={2001}}\n\n"


def test_truncated_entry_keeps_the_good_ones() -> None:
    doc = parse_bibtex(GOOD + "@article{cut, title={Trunc", file="t.bib")
    assert [n.props["bibkey"] for n in doc.batch.nodes] == ["good1"]
    [problem] = doc.problems
    assert problem.file == "t.bib" and problem.line == 3 and problem.place == "cut"
    assert problem.skipped and "end of file" in problem.reason


def test_unbalanced_braces_keep_the_good_ones() -> None:
    text = GOOD + "@book{bad, title={Un{bal}, year=1999}\n@misc{good2, title={Also fine}}\n"
    doc = parse_bibtex(text, file="u.bib")
    assert sorted(str(n.props["bibkey"]) for n in doc.batch.nodes) == ["good1", "good2"]
    assert [(p.line, p.place) for p in doc.problems] == [(3, "bad")]


def test_duplicate_keys_keep_the_first() -> None:
    text = GOOD + "@article{good1, title={Second copy}, year={2002}}\n"
    doc = parse_bibtex(text, file="d.bib")
    [node] = doc.batch.nodes
    assert node.props["title"] == "Fine"
    [problem] = doc.problems
    assert problem.place == "good1" and problem.line == 3 and "line 1" in problem.reason


def test_same_doi_twice_is_one_work() -> None:
    text = ("@article{a, title={T}, doi={10.1000/X1}}\n"
            "@article{b, title={T again}, doi={https://doi.org/10.1000/x1}}\n")
    doc = parse_bibtex(text, file="d.bib")
    [node] = doc.batch.nodes
    assert node.id == "work:doi:10.1000/x1" and node.props["bibkeys"] == ["a", "b"]
    assert not doc.problems[0].skipped


def test_empty_file_is_a_clear_parse_error() -> None:
    for text in ("", "   \n\n"):
        with pytest.raises(ParseError, match="empty") as info:
            parse_bibtex(text, file="empty.bib")
        assert info.value.file == "empty.bib"


def test_nothing_parses_is_a_bibtex_error_naming_file_and_line() -> None:
    with pytest.raises(BibtexError) as info:
        parse_bibtex("% comment\n\n@article{only, title={never closed", file="bad.bib")
    assert info.value.file == "bad.bib" and info.value.line == 3
    assert "bad.bib:3" in str(info.value)
    with pytest.raises(BibtexError):
        parse_bibtex("just some prose, no entries", file="prose.bib")


def test_unknown_encoding_is_refused() -> None:
    data = "@book{k, title={Caf\u00e9}}".encode("latin-1")
    with pytest.raises(EncodingError) as info:
        parse_bibtex(decode_text(data, "latin.bib"), file="latin.bib")
    assert info.value.file == "latin.bib" and info.value.line == 1


def test_utf16_bib_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "u16.bib"
    path.write_bytes((GOOD + "@book{z, title={Straße}}").encode("utf-16"))
    doc = read_bibtex(path)
    assert _by_key(doc)["z"].props["title"] == "Straße"
    assert doc.batch.document == "bib:u16"


def test_fifty_megabyte_file_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "huge.bib"
    entry = "@misc{k%d, title={A generated entry number %d for size}, year={2000}}\n"
    block = "".join(entry % (i, i) for i in range(10_000))
    with path.open("w", encoding="utf-8") as out:
        while out.tell() < 50_000_000:
            out.write(block)
    assert path.stat().st_size >= 50_000_000
    start = time.perf_counter()
    with pytest.raises(InputTooLargeError) as info:
        read_bibtex(path)
    assert time.perf_counter() - start < 5
    assert info.value.file == str(path)
    # The limit is an option: a smaller limit refuses a small text, too.
    with pytest.raises(InputTooLargeError):
        parse_bibtex(GOOD, file="s.bib", max_chars=10)


def test_names_become_last_first() -> None:
    doc = parse_bibtex("@book{n, author={Doe, Jane, and Ludwig van Beethoven and "
                       "{World Health Organization} and Jean de la Fontaine and "
                       "Smith, Jr., John and Pr{\\'e}vert, J. and others}, title={T}}",
                       file="n.bib")
    [node] = doc.batch.nodes
    assert node.props["authors"] == ["Doe, Jane", "van Beethoven, Ludwig",
                                     "World Health Organization", "de la Fontaine, Jean",
                                     "Smith, Jr., John", "Prévert, J."]


SAMPLE = ('@article{a1, author={M{\\"u}ller, J. and Roe, A.}, title={On {L}aw \\& Order},\n'
          '  journal={J}, year={2001}, doi={10.1000/x}}\n'
          '@incollection{c1, title={Ch}, crossref={b1}, pages={1--2}}\n'
          '@book{b1, title={Book}, editor={Doe, J.}, year=1999, publisher="P"}\n')


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(SAMPLE)), st.sampled_from(
    ["", "{", "}", "@", ",", "=", "\\", '"', "and", "\n", "@misc{", "%"])), max_size=6))
def test_damaged_bibtex_never_escapes_as_a_foreign_exception(
        edits: list[tuple[int, str]]) -> None:
    text = SAMPLE
    for position, insert in edits:
        text = text[:position] + insert + text[position + 1:]
    try:
        doc = parse_bibtex(text, file="fuzz.bib")
    except ParseError as exc:
        assert exc.file == "fuzz.bib"
        return
    assert doc.batch.nodes
    for problem in doc.problems:
        assert problem.file == "fuzz.bib"


def test_fast_decoding_agrees_with_pylatexenc(bib_text: str) -> None:
    accents = [r"M{\"u}ller", r"\v{S}koda", r"Dralt{\c{c}}em", r"na\"\i ve", r"\L{}\'od\'z",
               r"Stra\ss e", r"\textit{Law} and {\"{O}}l", r"\=o \.z \u{a} \H{o} \k{e} \r{u}",
               r"\aa{}ngstr{\"o}m", r"$x^2$ and \relax y", r"50\% of \{x\}"]
    library = parse_string(bib_text)
    values = [f.value for e in library.entries for f in e.fields
              if isinstance(f.value, str) and f.key not in ("url", "doi", "pages")]
    checked = 0
    for value in [*accents, *values]:
        if re.search(r"(?<!\\)&", value):
            continue  # a bare "&" is an alignment tab to pylatexenc; we keep it as text
        assert decode_latex(value) == " ".join(_pylatexenc(value).split()), value
        checked += 1
    assert checked > 1000
