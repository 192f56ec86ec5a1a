"""Reference-manager exports: every real export loads with the right item count, and the
same item from BibTeX and from another format is one node."""

from __future__ import annotations

from pathlib import PurePath

import pytest

from benchmarks.accuracy_refmgr import PARSERS, export_files, format_of, measure
from benchmarks.real_corpus import CorpusFile, corpus_files
from citegraph.errors import InputError, ParseError, UnsafeXmlError
from ingest.bibtex import parse_bibtex, read_bibtex
from ingest.refmgr_csl import parse_csl_json, parse_csl_yaml, parse_zotero_json
from ingest.refmgr_endnote import parse_endnote_xml, parse_enw
from ingest.refmgr_mods import parse_mods
from ingest.refmgr_ris import parse_ris

EXPORTS = export_files()
#: Items per refmgr/ file, counted by eye (records of RIS end at ``ER  -``; the repeated
#: ``TY`` lines of RisImporterTest1 are one record; Endnote.pattern.A is one record with an
#: author only; MODS counts <mods> elements, EndNote XML <record> elements).
BY_EYE = {"RisImporterTest1.ris": 1, "RisImporterTest3.ris": 1, "RisImporterTest4a.ris": 1,
          "RisImporterTest4b.ris": 1, "RisImporterTest5a.ris": 1,
          "Endnote.book.example.enw": 1, "Endnote.pattern.A.enw": 1,
          "EndnoteXmlImporterTestArticle.xml": 1, "EndnoteXmlImporterTestArticle2.xml": 2,
          "EndnoteXmlImporterTestLabelAndMultiTitle.xml": 3,
          "MODSImporterTestAllFields.xml": 1, "MODSImporterTestGenreMapping.xml": 1,
          "#2303.csl.json": 1, "#3286.csl.json": 4, "#860.csl.json": 6, "#372.csl.json": 1,
          "#856.csl.json": 1, "#587.csl.json": 5, "#2019.csl.json": 1, "#2212.csl.json": 1}


def test_the_real_exports_are_there() -> None:
    if not EXPORTS:
        pytest.skip("../shared/corpus/real is absent")
    assert {format_of(f) for f in EXPORTS} == set(PARSERS)


@pytest.mark.parametrize("entry", corpus_files("refmgr"),
                         ids=[f.name[-50:] for f in corpus_files("refmgr")])
def test_refmgr_file_loads_the_items_counted_by_eye(entry: CorpusFile) -> None:
    [expected] = [n for suffix, n in BY_EYE.items() if entry.original.endswith(suffix)]
    row = measure(entry)
    assert not row.traceback and not row.error, row.traceback or row.error
    assert row.loaded == row.independent == expected
    assert row.works == expected


@pytest.mark.parametrize("entry", [f for f in EXPORTS if format_of(f) == "zotero-json"],
                         ids=lambda f: f.name[-50:])
def test_zotero_json_loads_every_bibliographic_item(entry: CorpusFile) -> None:
    row = measure(entry)
    assert not row.traceback, row.traceback
    assert row.loaded == row.independent
    if row.loaded == 0:
        assert row.error and "no zotero-json item" in row.error


def test_bibtex_and_zotero_json_of_the_same_library_are_the_same_nodes() -> None:
    """Better BibTeX's fixtures: a .bib and the Zotero JSON it imports to (same stem)."""
    bibs = {PurePath(f.original).with_suffix(""): f for f in corpus_files("bib", (".bib",))}
    jsons = {PurePath(f.original).with_suffix(""): f for f in corpus_files("bib", (".json",))}
    shared = 0
    same = 0
    for stem in sorted(set(bibs) & set(jsons)):
        try:
            works = read_bibtex(bibs[stem].path).batch.nodes
            other = {n.id for n in parse_zotero_json(jsons[stem].path.read_bytes(),
                                                     file="z.json").batch.nodes}
        except InputError:
            continue
        for work in works:
            if work.id.startswith("work:doi:"):
                shared += 1
                same += work.id in other
    assert shared > 1000
    assert same / shared >= 0.97


def test_same_item_from_bibtex_and_csl_json_is_one_node() -> None:
    entry = next(f for f in corpus_files("refmgr") if f.original.endswith("#372.csl.json"))
    csl = parse_csl_json(entry.path.read_bytes(), file="a.json").batch.nodes[0]
    doi = csl.props["doi"]
    key = csl.props["bibkey"]
    by_doi = parse_bibtex(f"@article{{other, doi={{https://doi.org/{str(doi).upper()}}}}}",
                          file="b.bib").batch.nodes[0]
    by_key = parse_bibtex(f"@article{{{key}, title={{T}}}}", file="c.bib").batch.nodes[0]
    assert by_doi.id == csl.id == f"work:doi:{doi}"
    plain = parse_csl_json(f'[{{"id": "{key}", "title": "T"}}]', file="d.json").batch.nodes[0]
    assert plain.id == by_key.id == f"work:bib:{key}"


def test_csl_legal_case_keeps_its_court() -> None:
    entry = next(f for f in corpus_files("refmgr") if f.original.endswith("#2019.csl.json"))
    [work] = parse_csl_json(entry.path.read_bytes(), file="a.json").batch.nodes
    assert work.props["entry_type"] == "legal_case" and work.props["court"]
    assert work.props["venue"] and work.props["year"]


def test_csl_yaml() -> None:
    entry = next(f for f in corpus_files("refmgr") if f.original.endswith("#587.csl.json"))
    import json

    import yaml

    items = json.loads(entry.path.read_text(encoding="utf-8"))
    as_yaml = yaml.safe_dump({"references": items}, allow_unicode=True)
    from_yaml = parse_csl_yaml(as_yaml, file="r.yaml").batch.nodes
    from_json = parse_csl_json(entry.path.read_bytes(), file="r.json").batch.nodes
    assert [n.id for n in from_yaml] == [n.id for n in from_json]
    assert [n.props["title"] for n in from_yaml] == [n.props["title"] for n in from_json]


@pytest.mark.parametrize("parse,data", [
    (parse_csl_json, b'[{"id": "a", "title": '),
    (parse_csl_json, b'{"not": "csl"'),
    (parse_zotero_json, b'{"config": {}}'),
    (parse_ris, b"just prose\n"),
    (parse_enw, b"\n\n"),
    (parse_endnote_xml, b"<xml><records><record>"),
    (parse_mods, b"<other/>"),
    (parse_csl_yaml, b"references: [a, {"),
])
def test_bad_exports_are_typed_errors_naming_the_file(parse: object, data: bytes) -> None:
    with pytest.raises(InputError) as info:
        parse(data, file="bad.x")  # type: ignore[operator]
    assert info.value.file == "bad.x"
    assert "bad.x" in str(info.value)


@pytest.mark.parametrize("parse", [parse_endnote_xml, parse_mods])
def test_xml_exports_refuse_entities(parse: object) -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;">]><xml><records><record><titles><title>&b;'
            b"</title></titles></record></records></xml>")
    with pytest.raises(UnsafeXmlError):
        parse(bomb, file="bomb.xml")  # type: ignore[operator]


def test_malformed_xml_names_line_and_column() -> None:
    with pytest.raises(ParseError) as info:
        parse_mods(b"<modsCollection>\n<mods><titleInfo></mods>", file="m.xml")
    assert info.value.line == 2 and info.value.column is not None
