"""PDF papers: page-debris cleaning, and a real PDF round trip through pypdf.

The test PDFs are built by hand in :func:`minimal_pdf` (Helvetica text, one line per
``Tj``), so no PDF-writing library is needed.
"""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest

from citegraph.errors import InputTooLargeError, ParseError
from citegraph.model import RelType
from ingest.paper import parse_paper
from ingest.pdf import clean_page_debris, extract_pdf_text


def minimal_pdf(pages: list[list[str]]) -> bytes:
    """A valid PDF with one text line per string, in Helvetica."""
    font = 3 + 2 * len(pages)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages)))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode()]
    for i, lines in enumerate(pages):
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 760 Td"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources "
                       f"<< /Font << /F1 {font} 0 R >> >> /Contents {4 + 2 * i} 0 R >>".encode())
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                   b"/Encoding /WinAnsiEncoding >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


PAGES = [
    ["Review of Imaginary Law, Vol. 2", "1. Introduction", "Courts read statutes in con-",
     "text, as argued before [1].", "1"],
    ["Review of Imaginary Law, Vol. 2", "2. Method", "We count citations [2]-[3] in a",
     "self-", "contained sample.", "2"],
    ["Review of Imaginary Law, Vol. 2", "3 Results", "    The counts agree [4].", "3"],
]


def test_clean_page_debris_on_form_feed_pages() -> None:
    cleaned = clean_page_debris("\f".join("\n".join(p) for p in PAGES))
    lines = cleaned.split("\n")
    assert not any("Imaginary Law" in ln for ln in lines)
    assert not any(ln.strip().isdigit() for ln in lines)
    assert lines[1].endswith("context,")  # hyphen joined, word completed on the first line
    assert "self-contained" in cleaned  # a real compound keeps its hyphen
    assert "The counts agree [4]." in lines
    assert all(ln == ln.lstrip() for ln in lines)


def test_clean_page_debris_without_page_breaks() -> None:
    text = "\n".join(["Running Title", "Para one.", "4", "Running Title", "Para two.", "5",
                      "Running Title", "Para three.", "6"])
    assert clean_page_debris(text).split("\n") == ["Para one.", "Para two.", "Para three."]


def test_clean_page_debris_keeps_body_numbers_and_is_idempotent() -> None:
    text = "Age limits\n14\nare discussed in Art. 3 of the law."
    assert clean_page_debris(text) == text
    once = clean_page_debris("\f".join("\n".join(p) for p in PAGES))
    assert clean_page_debris(once) == once


def test_pdf_round_trip_into_the_paper_parser() -> None:
    text = extract_pdf_text(minimal_pdf(PAGES), file="paper.pdf")
    assert "Imaginary Law" not in text and "context," in text
    doc = parse_paper(text, file="paper.pdf", slug="pdf-paper")
    sections = [n.props["number"] for n in doc.batch.nodes if n.type == "Section"]
    assert sections == ["1", "2", "3"]
    cites = sorted((r.source.rsplit("/", 1)[1], r.props["number"])  # type: ignore[type-var]
                   for r in doc.batch.relationships
                   if r.type == RelType.CITES and r.source.startswith("section:"))
    assert cites == [("1", 1), ("2", 2), ("2", 3), ("3", 4)]


def test_bad_pdfs_are_clear_errors() -> None:
    with pytest.raises(ParseError, match="not a PDF") as info:
        extract_pdf_text(b"hello", file="fake.pdf")
    assert info.value.file == "fake.pdf"
    with pytest.raises(ParseError) as info:
        extract_pdf_text(b"%PDF-1.4\n garbage without objects", file="broken.pdf")
    assert info.value.file == "broken.pdf"
    with pytest.raises(ParseError, match="no text layer"):
        extract_pdf_text(minimal_pdf([[]]), file="scan.pdf")
    with pytest.raises(InputTooLargeError):
        extract_pdf_text(minimal_pdf(PAGES), file="big.pdf", max_bytes=100)


def test_encrypted_pdf_is_a_clear_error() -> None:
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(minimal_pdf(PAGES))).pages:
        writer.add_page(page)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ParseError, match="encrypted") as info:
        extract_pdf_text(out.getvalue(), file="locked.pdf")
    assert info.value.file == "locked.pdf"


LAW_REVIEW_PDFS = sorted((Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
                          / "real" / "law-reviews").glob("*.pdf"))


@pytest.mark.parametrize("path", LAW_REVIEW_PDFS, ids=lambda p: p.stem[:40])
def test_law_review_footnotes_run_from_one_and_are_called(path: Path) -> None:
    """Every real law-review PDF: its footnotes are numbered 1..N without a gap in more
    than one place, and the body calls nearly all of them."""
    from ingest.pdf import extract_pdf_lines
    from ingest.pdflayout import analyse, render

    layout = analyse(extract_pdf_lines(path.read_bytes(), file=str(path)))
    numbers = [f.number for f in layout.footnotes]
    assert numbers and numbers[0] == 1
    assert sum(1 for a, b in pairwise(numbers) if b != a + 1) <= 1
    body = render(layout).split("\n[^1]: ", 1)[0]
    called = {int(n) for n in re.findall(r"\[\^(\d+)\]", body)}
    assert len(called & set(numbers)) >= 0.9 * len(numbers)


PAPER_PDFS = sorted((Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "real"
                     / "papers").glob("**/*.pdf"))


@pytest.mark.parametrize("path", PAPER_PDFS, ids=lambda p: p.stem[:40])
def test_paper_pdfs_parse_with_sections_and_plain_quotes(path: Path) -> None:
    text = extract_pdf_text(path.read_bytes(), file=str(path))
    doc = parse_paper(text, file=str(path), slug="p")
    assert doc.summary["sections"] >= 2 and doc.summary["sentences"] > 100
    assert all("[^" not in r.provenance.quote for r in doc.batch.relationships
               if r.provenance.method in ("footnote", "author-year"))
