"""Word, OpenDocument and Pandoc Markdown: the real paper of ``papers/word`` in its three
forms, with the Zotero citation fields (22, counted in the field codes) and its library."""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.accuracy_word import field_count
from benchmarks.real_corpus import REAL
from citegraph.errors import InputError, InputTooLargeError, UnsafeXmlError
from ingest.base import ParsedDocument
from ingest.pandoc import find_pandoc_citations, read_pandoc
from ingest.refmgr_csl import parse_zotero_json
from ingest.word import MAX_MEMBER, field_items, parse_docx, parse_odt

WORD = REAL / "papers" / "word"


def _one(suffix: str) -> Path:
    found = sorted(WORD.glob(f"*{suffix}")) if WORD.is_dir() else []
    if not found:
        pytest.skip(f"no {suffix} in {WORD}")
    return found[0]


def _cited(doc: ParsedDocument) -> Counter[str]:
    return Counter(r.target for r in doc.batch.relationships
                   if r.type == "CITES" and not r.source.startswith("work:"))


@pytest.fixture(scope="module")
def library_ids() -> set[str]:
    path = _one(".json")
    return {n.id for n in parse_zotero_json(path.read_bytes(), file=path.name).batch.nodes}


@pytest.mark.parametrize("suffix,parse", [(".docx", parse_docx), (".odt", parse_odt)])
def test_every_citation_field_is_an_exact_edge_to_the_library(
        suffix: str, parse: object, library_ids: set[str]) -> None:
    path = _one(suffix)
    expected = field_count(path)
    assert expected == 22
    doc = parse(path.read_bytes(), file=path.name)  # type: ignore[operator]
    assert doc.summary["fields"] == expected and not doc.problems
    cited = _cited(doc)
    assert sum(cited.values()) == expected
    assert set(cited) <= library_ids  # the same nodes as the library's export
    for rel in doc.batch.relationships:
        assert rel.provenance.method in ("citation-field", "structure")
        assert not re.search(r"<[A-Za-z/][^>]*>|\\[A-Za-z]+\{", rel.provenance.quote)
    sections = [n for n in doc.batch.nodes if n.type == "Section"]
    assert len(sections) >= 8


def test_the_three_forms_cite_the_same_works(library_ids: set[str]) -> None:
    docx = _cited(parse_docx(_one(".docx").read_bytes(), file="a.docx"))
    odt = _cited(parse_odt(_one(".odt").read_bytes(), file="a.odt"))
    markdown = read_pandoc(_one(".md"))
    assert docx == odt == _cited(markdown)
    assert markdown.summary["citations"] == markdown.summary["linked"] == 22
    assert set(_cited(markdown)) <= library_ids


def test_pandoc_citations_in_code_are_examples_not_citations() -> None:
    text = _one(".md").read_text(encoding="utf-8")
    raw = len(re.findall(r"\[-?@", text))
    found = find_pandoc_citations(text)
    assert len(found) == 22 < raw  # the fenced examples are left out
    assert all(c.keys for c in found)


def test_mendeley_and_endnote_fields() -> None:
    mendeley = ('ADDIN CSL_CITATION {"citationItems":[{"id":"x","itemData":{"DOI":"10.1000/M",'
                '"title":"T","type":"article-journal"}}],"mendeley":{}}')
    [item], maker = field_items(mendeley, "m.docx")
    assert maker == "csl" and item.doi == "10.1000/M"
    endnote = ("ADDIN EN.CITE &lt;EndNote&gt;&lt;Cite&gt;&lt;Author&gt;Doe&lt;/Author&gt;"
               "&lt;Year&gt;2001&lt;/Year&gt;&lt;record&gt;&lt;titles&gt;&lt;title&gt;On Law"
               "&lt;/title&gt;&lt;/titles&gt;&lt;dates&gt;&lt;year&gt;2001&lt;/year&gt;&lt;/dates"
               "&gt;&lt;/record&gt;&lt;/Cite&gt;&lt;/EndNote&gt;")
    [item], maker = field_items(endnote, "e.docx")
    assert maker == "endnote" and item.title == "On Law" and item.year == 2001
    assert field_items(" PAGE \\* MERGEFORMAT ", "p.docx") == ([], "")


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_bad_word_files_are_typed_errors() -> None:
    with pytest.raises(InputError, match="not a ZIP"):
        parse_docx(b"plain text", file="x.docx")
    with pytest.raises(InputError, match=r"no word/document\.xml"):
        parse_docx(_zip({"other.xml": b"<a/>"}), file="x.docx")
    with pytest.raises(UnsafeXmlError):
        parse_docx(_zip({"word/document.xml": b'<!DOCTYPE d [<!ENTITY e "x">]><d>&e;</d>'}),
                   file="x.docx")
    with pytest.raises(InputTooLargeError):
        parse_odt(_zip({"content.xml": b" " * (MAX_MEMBER + 1)}), file="x.odt")


def test_the_registry_reads_word_and_pandoc_files() -> None:
    from ingest.formats import Source, read

    for suffix in (".docx", ".odt", ".md"):
        path = _one(suffix)
        doc, match = read(Source(path.name, path.read_bytes(), path=path))
        assert match.format.name in ("docx", "odt", "pandoc-markdown")
        assert sum(_cited(doc).values()) == 22
    with pytest.raises(InputError, match="no text"):
        read(Source("empty.docx", _zip({"word/document.xml": (
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
            b'2006/main"/>')})))
