"""Registry adapters for the readers that predate :mod:`ingest.formats`.

Each takes a :class:`~ingest.formats.Source` and calls the reader's pure ``parse_*``
function. New readers put their adapter in their own module instead (see the registry's
docstring); these stay here so that the older modules need not change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ingest.base import ParsedDocument

if TYPE_CHECKING:
    from ingest.formats import Source


def read_bibtex(source: Source) -> ParsedDocument:
    from ingest.bibtex import parse_bibtex_bytes

    return parse_bibtex_bytes(source.data, file=source.name)


def read_akn(source: Source) -> ParsedDocument:
    from ingest.akn import parse_akoma_ntoso

    return parse_akoma_ntoso(source.data, file=source.name)


def read_legal_text(source: Source) -> ParsedDocument:
    from ingest.legal import parse_legal_text

    return parse_legal_text(source.text(), file=source.name, resolve=source.resolve)


def read_paper(source: Source) -> ParsedDocument:
    from ingest.paper import parse_paper

    return parse_paper(source.text(), file=source.name, slug=source.slug,
                       bib=source.bib or None, warn_unmatched=True)


def pdf_text(source: Source) -> str:
    """The text a PDF's sentences index."""
    from citegraph.errors import InputError
    from ingest.pdf import extract_pdf_text

    text = extract_pdf_text(source.data, file=source.name)
    if not text.strip():
        raise InputError("the PDF has no text layer (a scanned image? run OCR first)",
                         file=source.name)
    return text


def read_pdf(source: Source) -> ParsedDocument:
    from ingest.paper import parse_paper

    return parse_paper(pdf_text(source), file=source.name, slug=source.slug,
                       bib=source.bib or None, warn_unmatched=True)


def html_text(source: Source) -> str:
    """The text an HTML page's sentences index (its article as Markdown)."""
    from ingest.html import html_paper_text

    return html_paper_text(source.data, file=source.name)


def read_html(source: Source) -> ParsedDocument:
    from ingest.paper import parse_paper

    return parse_paper(html_text(source), file=source.name, slug=source.slug,
                       bib=source.bib or None, warn_unmatched=True)
