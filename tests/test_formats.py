"""The format registry: one table for detection and parsing; refusals are typed and clear."""

from __future__ import annotations

import doctest
import io
import zipfile

import pytest

import ingest.formats
import ingest.patterns
from citegraph.errors import UnsupportedFormatError
from ingest.base import DocumentKind
from ingest.formats import FORMATS, Source, identify, read


def test_doctests() -> None:
    assert doctest.testmod(ingest.formats).failed == 0
    assert doctest.testmod(ingest.patterns).failed == 0


def test_names_are_unique_and_every_reader_resolves() -> None:
    assert len({f.name for f in FORMATS}) == len(FORMATS)
    for fmt in FORMATS:
        if fmt.reader is not None:
            assert callable(fmt.load_reader()), fmt.name
        else:
            with pytest.raises(UnsupportedFormatError):
                fmt.load_reader()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


REFUSED = [
    ("notes.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "doc", "Word 97-2003"),
    ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image", "image"),
    ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "image", "image"),
    ("lib.ctv6", b"SQLite format 3\x00" + b"\x00" * 64, "citavi", "Citavi"),
    ("blob.dat", bytes(range(256)) * 4, "binary", "binary file"),
    ("archive.zip", _zip({"a.txt": b"x"}), "zip", "ZIP archive"),
    ("feed.xml", b'<?xml version="1.0"?><rss><channel/></rss>', "xml", "unknown vocabulary"),
    ("Sources.xml", b'<?xml version="1.0"?><b:Sources xmlns:b="x"/>', "word-bibliography",
     "Word bibliography"),
    ("data.json", b'{"rows": [1, 2]}', "json", "not CSL-JSON"),
    ("table.csv", b"a,b\n1,2\n", "table", "CSV"),
    ("note.rtf", b"{\\rtf1\\ansi hello}", "rtf", "RTF"),
]


@pytest.mark.parametrize("name,data,fmt,words", REFUSED, ids=[r[0] for r in REFUSED])
def test_unread_formats_are_refused_in_one_typed_line(name: str, data: bytes, fmt: str,
                                                      words: str) -> None:
    with pytest.raises(UnsupportedFormatError) as info:
        read(Source(name, data))
    message = str(info.value)
    assert info.value.format == fmt
    assert message.startswith(f"{name}: ") and words in message and "\n" not in message


def test_utf16_without_bom_is_text_not_binary() -> None:
    data = "@article{k, title={Über}}\n".encode("utf-16-le")
    assert identify(Source("refs", data)).format.name == "bibtex"


def test_suffix_claims_and_content_overrides() -> None:
    assert identify(Source("only-comments.bib", b"% nothing\n")).format.name == "bibtex"
    assert identify(Source("refs.md", b"@book{k,\n title={T}}\n")).format.name == "bibtex"
    assert identify(Source("export.txt", b"TY  - BOOK\nAU  - A\nER  - \n")).format.name == "ris"
    assert identify(Source("x.pdf", b"%PDF-1.7\n...")).format.name == "pdf"
    markdown = b"<meta charset='utf-8' />\n\n### Article 1\n\nText.\n\n### Article 2\n\nMore.\n"
    assert identify(Source("treaty.md", markdown)).format.name == "legal-text"


def test_as_kind_picks_a_readable_format_of_that_kind() -> None:
    law = Source("law.xml", b"<akomaNtoso xmlns='http://docs.oasis-open.org/legaldocml/ns/akn/3.0'/>")
    assert identify(law, DocumentKind.LEGAL).format.name == "akn"
    plain = Source("paper.txt", b"1 Introduction\n\nText [1].\n")
    assert identify(plain, DocumentKind.LEGAL).format.name == "legal-text"
    assert identify(plain, DocumentKind.BIBTEX).format.name == "bibtex"


def test_pipeline_suffixes_come_from_the_registry() -> None:
    from ingest.pipeline import SUPPORTED_SUFFIXES

    assert {".bib", ".tex", ".pdf", ".md", ".xml", ".ris", ".docx"} <= SUPPORTED_SUFFIXES
    assert ".png" not in SUPPORTED_SUFFIXES and ".doc" not in SUPPORTED_SUFFIXES
