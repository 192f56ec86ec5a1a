"""BibTeX that never loses a file: every real ``.bib`` of ``../shared/corpus/real/bib``
against bibtexparser's own count, legacy encodings, LaTeX that cannot be decoded within
bounds, keyless entries and biblatex's legal types."""

from __future__ import annotations

import re

import pytest

from benchmarks.accuracy_bibtex import bib_files, measure
from benchmarks.real_corpus import CorpusFile
from citegraph import ids
from citegraph.errors import LatexDecodeError
from ingest.bibtex import parse_bibtex, parse_bibtex_bytes, read_bibtex
from ingest.latextext import MAX_DEPTH, decode_latex

BIB_FILES = bib_files()


def _real(name: str) -> CorpusFile:
    found = [f for f in BIB_FILES if f.original.endswith(name)]
    if not found:
        pytest.skip(f"real corpus file {name} not found")
    return found[0]


def test_the_real_bib_files_are_there() -> None:
    if not BIB_FILES:
        pytest.skip("../shared/corpus/real is absent")
    assert len(BIB_FILES) >= 150


@pytest.mark.parametrize("entry", BIB_FILES, ids=[f.name[-60:] for f in BIB_FILES])
def test_every_real_bib_loads_at_least_what_bibtexparser_finds(entry: CorpusFile) -> None:
    row = measure(entry)
    assert not row.traceback, row.traceback
    assert row.loaded >= row.independent
    if row.loaded == 0:
        assert row.error, "a file that gives nothing must say so"
        assert entry.path.name in row.error


def test_gbk_file_is_detected_and_decoded() -> None:
    entry = _real("gbk_test.bib")
    data = entry.path.read_bytes()
    doc = read_bibtex(entry.path)
    assert doc.problems[0].reason == "not UTF-8: decoded as gb18030 (detected)"
    [node] = doc.batch.nodes
    key = str(node.props["bibkey"])
    assert all("\u4e00" <= c <= "\u9fff" for c in key[:2])
    assert key.encode("gb18030") in data


@pytest.mark.parametrize("encoding,name", [("cp1252", "windows-1252"),
                                           ("utf-16-le", "utf-16-le"),
                                           ("utf-16-be", "utf-16-be")])
def test_legacy_encodings_give_the_same_works(encoding: str, name: str) -> None:
    entry = _real("data/encoding.bib")
    text = entry.path.read_text(encoding="utf-8")
    assert re.search(r"[^\x00-\x7f]", text)
    utf8 = parse_bibtex(text, file="e.bib")
    legacy = parse_bibtex_bytes(text.encode(encoding), file="e.bib")
    assert [n.props for n in legacy.batch.nodes] == [n.props for n in utf8.batch.nodes]
    assert legacy.problems[0].reason == f"not UTF-8: decoded as {name} (detected)"


def test_latin1_only_bytes_decode() -> None:
    # 0x81 is undefined in Windows-1252: only Latin-1 decodes this file.
    text = _real("data/encoding.bib").path.read_text(encoding="utf-8")
    doc = parse_bibtex_bytes(text.encode("latin-1") + b"\n% \x81\n", file="l.bib")
    assert doc.problems[0].reason == "not UTF-8: decoded as latin-1 (detected)"
    assert doc.summary["works"] == parse_bibtex(text, file="l.bib").summary["works"]


def _one_real_entry() -> tuple[str, str]:
    text = _real("data/article.bib").path.read_text(encoding="utf-8")
    key = re.search(r"@\w+\{([^,]+),", text)
    assert key is not None
    return text, key.group(1)


@pytest.mark.parametrize("title,why", [
    ("\\'{" * 30 + "e" + "}" * 30, "nested 30 groups deep"),
    ("{" * 300 + "x \\relax" + "}" * 300, "nested 300 groups deep"),
    ("\\href {https://example.org/a} {the \\textsc{page}} \\relax", ""),
])
def test_undecodable_latex_keeps_its_raw_text_and_names_the_entry(title: str, why: str
                                                                  ) -> None:
    real, real_key = _one_real_entry()
    text = f"@misc{{bad1,\n  title = {{{title}}},\n  year = {{2020}}\n}}\n\n" + real
    doc = parse_bibtex(text, file="b.bib")
    works = {str(n.props["bibkey"]): n for n in doc.batch.nodes}
    assert real_key in works and "bad1" in works
    reports = [p for p in doc.problems if p.place == "bad1"]
    if not why:  # \href with spaces: pylatexenc raises IndexError; the fast path copes
        assert not reports and works["bad1"].props["title"] == "the page"
        return
    [report] = reports
    assert report.line == 1 and not report.skipped and "'title'" in report.reason
    assert why in report.reason
    assert works["bad1"].props["title"] == " ".join(title.split())


def test_decoding_limits_are_typed_errors() -> None:
    with pytest.raises(LatexDecodeError, match="over the limit"):
        decode_latex("{" * (MAX_DEPTH + 1) + "\\x" + "}" * (MAX_DEPTH + 1))
    with pytest.raises(LatexDecodeError, match="characters"):
        decode_latex("\\x " * 10_000)


def test_keyless_entries_are_reported_and_loaded_only_when_identifiable() -> None:
    real, real_key = _one_real_entry()
    text = ("@book{,}\n\n@article{,\n  title = {A Keyless Title},\n  year = {1999}\n}\n\n"
            "@article{,\n  doi = {10.1000/KEYLESS}\n}\n\n" + real)
    doc = parse_bibtex(text, file="k.bib")
    ids_ = {n.id for n in doc.batch.nodes}
    assert ids.work_id_from_bibkey(real_key) in ids_ or any("doi" in i for i in ids_)
    assert ids.work_id_from_title_year("A Keyless Title", 1999) in ids_
    assert "work:doi:10.1000/keyless" in ids_
    assert "work:bib:" not in ids_
    keyless = [p for p in doc.problems if "no key" in p.reason]
    assert [(p.line, p.skipped) for p in keyless] == [(1, True), (3, False), (8, False)]


def test_endnote_entry_without_a_key_is_repaired() -> None:
    entry = _real("Endnote should parse.bib")
    doc = read_bibtex(entry.path)
    assert doc.summary["entries"] == 1
    assert any("has no key" in p.reason for p in doc.problems)
    [node] = doc.batch.nodes
    assert node.id.startswith("work:ty:") and node.props["authors"]


def test_biblatex_legal_types_keep_their_fields() -> None:
    entry = _real("field name #2660.bib")
    text = entry.path.read_text(encoding="utf-8")
    heads = re.findall(r"(?im)^@(jurisdiction|legislation)\{([^,]+),", text)
    assert len(heads) >= 10
    works = {n.props.get("bibkey"): n for n in read_bibtex(entry.path).batch.nodes}
    for entry_type, key in heads:
        work = works[key]
        assert work.props["entry_type"] == entry_type.lower()
        body = text[text.index(key + ","):].split("\n}", 1)[0]
        for field in ("citation", "location", "titleaddon", "date"):
            if re.search(rf"(?im)^\s*{field}\s*=", body):
                assert field in work.props, (key, field)


def test_biblatex_court_reporter_institution() -> None:
    doc = parse_bibtex("@jurisdiction{brown, title={Brown v. Board of Education}, "
                       "court={Supreme Court}, reporter={U.S.}, institution={SCOTUS}, "
                       "date={1954}}", file="j.bib")
    [work] = doc.batch.nodes
    assert work.props["court"] == "Supreme Court" and work.props["reporter"] == "U.S."
    assert work.props["institution"] == "SCOTUS" and work.props["venue"] == "Supreme Court"
    assert work.props["year"] == 1954
