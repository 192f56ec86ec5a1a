"""Parsers under fuzzing: any input parses or raises a CitegraphError naming the file.

Inputs are drawn from free text and from fragments of the structures each parser looks for
(section numbers, markers, article headings, BibTeX braces, XML tags), so the interesting
paths are reached. Each example has a deadline (no hang) and the whole run a memory bound.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citegraph.errors import CitegraphError
from ingest.base import ParsedDocument

FILE = "fuzz-input"
MAX_PEAK_BYTES = 200 * 1024 * 1024

PAPER_BITS = ["1. Introduction\n", "2.1 Method\n", "3.1.2  Wrapped\nheading\n", "Abstract\n",
              "[1]", "[2, 5]", "[3-5]", "[3]–[5]", "[1]However", "[", "]", "[99999999999]",
              "References\n", "[1] A. Author, Title, 2001.\n", "1. ", "\n\n", " ", ".", "。",
              "第一章", "Article 3", "doi:10.1/x", "\x0c", "  12  \n"]
BIB_BITS = ["@article{k1,", "@book{", "title = {", "}", "{", "author = {A and B},",
            "year = 2001,", "crossref = {k1}", "@string{s = \"x\"}", "\\\"{o}", "\\'e", "%",
            "@comment{", "\n", ",", "=", "\"", "@inproceedings{k1, title={T}}"]
LEGAL_BITS = ["第一条", "第三百六十三条之一", "第一章 总则\n", "（一）", "Article 1\n",
              "### Article  34\n", "Art. 3", "1. ", "(c) ", "a) ",
              "依照刑法第三百六十三条第一款的规定",
              "articles 1, 11 and 36", "[article 34](http://x)", "\n", "# Title\n", "第十编"]
XML_BITS = ["<akomaNtoso>", "</akomaNtoso>", "<act>", "</act>", "<article eId=\"art_1\">",
            "</article>", "<FRBRWork><FRBRthis value=\"/akn/za/act/2000/1/!main\"/></FRBRWork>",
            "<?xml version=\"1.0\"?>", "<!DOCTYPE x [<!ENTITY a \"b\">]>", "&a;", "<", ">", "&",
            "<num>1</num>", "<section eId=\"sec_1\">", "</section>", "\x00"]


def _mixed(bits: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(st.sampled_from(bits), st.text(max_size=30)),
                    max_size=60).map("".join)


def _check(parse: Callable[[], ParsedDocument]) -> None:
    try:
        parsed = parse()
    except CitegraphError as exc:
        assert exc.file == FILE, f"error does not name the file: {exc!r}"
        return
    assert isinstance(parsed, ParsedDocument)
    ids = {n.id for n in parsed.batch.nodes}
    for rel in parsed.batch.relationships:
        # A parser's batch never refers to a node it did not emit (no dangling edges),
        # unless the node is a catalog node resolved by the pipeline.
        assert rel.source in ids, rel


FUZZ = settings(max_examples=150, deadline=3000, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def _bounded_memory() -> object:
    tracemalloc.start()
    yield None
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < MAX_PEAK_BYTES


@FUZZ
@given(_mixed(PAPER_BITS))
def test_paper_parser_is_total(text: str) -> None:
    from ingest.paper import parse_paper

    _check(lambda: parse_paper(text, file=FILE, slug="fuzz"))


@FUZZ
@given(_mixed(BIB_BITS))
def test_bibtex_parser_is_total(text: str) -> None:
    from ingest.bibtex import parse_bibtex

    _check(lambda: parse_bibtex(text, file=FILE))


@FUZZ
@given(_mixed(LEGAL_BITS))
def test_legal_parser_is_total(text: str) -> None:
    from ingest.legal import parse_legal_text

    _check(lambda: parse_legal_text(text, file=FILE))


@FUZZ
@given(_mixed(XML_BITS))
def test_akoma_ntoso_parser_is_total(text: str) -> None:
    from ingest.akn import parse_akoma_ntoso

    _check(lambda: parse_akoma_ntoso(text.encode("utf-8", "surrogatepass"), file=FILE))


@FUZZ
@given(st.binary(max_size=400))
def test_decoding_is_total(data: bytes) -> None:
    from ingest.textio import decode_text

    try:
        decode_text(data, FILE)
    except CitegraphError as exc:
        assert exc.file == FILE


# -- mutations of the real corpus --------------------------------------------------------------
#: Cases per reader here (bounded test time); ``benchmarks/fuzz_readers.py`` runs 10,000.
REAL_CASES = 25
REAL_SEED_BYTES = 32_000


def _reader_ids() -> list[str]:
    from benchmarks.fuzz_readers import READERS

    return [r.name for r in READERS]


@pytest.mark.parametrize("reader_name", _reader_ids())
def test_mutated_real_files_parse_or_fail_naming_the_file(reader_name: str) -> None:
    """Real files (the seed set), mutated: every case parses or raises a CitegraphError
    naming the file; never an untyped exception (the pipeline's per-file step types them)."""
    import random

    from benchmarks.fuzz_readers import FILE as FUZZ_FILE
    from benchmarks.fuzz_readers import READERS, mutate
    from citegraph.settings import Settings
    from ingest.base import DocumentKind
    from ingest.pipeline import parse_document

    reader = next(r for r in READERS if r.name == reader_name)
    seeds = reader.seed_bytes(REAL_SEED_BYTES)
    if not seeds:
        pytest.skip(f"no real files for {reader_name} under ../shared/corpus/real")
    settings = Settings(_env_file=None, corpus=None)  # type: ignore[call-arg]
    kind = DocumentKind(reader.kind) if reader.kind else None
    name = FUZZ_FILE + reader.suffixes[0]
    for case in range(REAL_CASES):
        data = mutate(seeds, random.Random(case))
        try:
            parse_document(name, data, settings=settings, kind=kind)
        except CitegraphError as exc:
            assert exc.file == name, f"case {case}: error does not name the file: {exc!r}"
