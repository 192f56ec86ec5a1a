"""PDF text extraction with pypdf, and cleaning of the debris page breaks leave in it.

Extracted text carries running headers and footers on every page, page numbers, words
hyphenated at line ends and stray leading spaces. :func:`clean_page_debris` removes them
from text whose pages are separated by form feeds (``\\f``, as pdftotext and
:func:`extract_pdf_text` produce), and, without form feeds, removes lines repeated down
the text and runs of increasing bare page numbers.

Examples
--------
>>> pages = ["Journal of Tests 12\\nFirst page text, inter-\\nnational law.\\n1",
...          "Journal of Tests 12\\nSecond page text.\\n2",
...          "Journal of Tests 12\\n   Third page.\\n3"]
>>> print(clean_page_debris("\\f".join(pages)))
First page text, international
law.
Second page text.
Third page.
"""

from __future__ import annotations

import io
import os
import re
from collections import Counter
from collections.abc import Sequence

from citegraph.errors import InputTooLargeError, ParseError
from ingest.textio import read_bytes

#: Largest PDF read (bytes); larger inputs raise InputTooLargeError.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
#: Lines at the top and bottom of a page examined for running headers and footers.
EDGE_LINES = 3

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:page\s+|p\.\s*)?(\d{1,4}|[ivxlc]{1,6})(?:\s*(?:of|/)\s*\d{1,4})?"
    r"(?:\s*[-–—])?\s*$", re.IGNORECASE)
_HYPHENATED = re.compile(r"(\w+)-\n[ \t]*([a-z][\w’']*)([.,;:!?)\]]*)[ \t]*")
#: First halves of compounds whose hyphen is real, not a line-end break.
_KEEP_HYPHEN = frozenset({"self", "non", "cross", "well", "co", "ex", "semi", "quasi", "anti",
                          "pre", "post", "multi", "so", "cyber", "e"})


def _normalise(line: str) -> str:
    """A header line with its page number masked, so 'Title 3' and 'Title 4' compare equal."""
    return re.sub(r"\d+", "#", " ".join(line.split())).casefold()


def _running_lines(pages: Sequence[list[str]]) -> set[str]:
    """Normalised lines found at a page edge on at least half the pages (and at least two)."""
    counts: Counter[str] = Counter()
    for lines in pages:
        content = [ln for ln in lines if ln.strip()]
        edges = {_normalise(ln) for ln in content[:EDGE_LINES] + content[-EDGE_LINES:]}
        counts.update(e for e in edges if e and not _PAGE_NUMBER.match(e))
    threshold = max(2, (len(pages) + 1) // 2)
    return {line for line, n in counts.items() if n >= threshold}


def _strip_page_edges(lines: list[str], running: set[str]) -> list[str]:
    """Drop running headers/footers and page numbers from the first and last lines of a page."""
    content = [i for i, ln in enumerate(lines) if ln.strip()]
    edge = set(content[:EDGE_LINES] + content[-EDGE_LINES:])
    return [ln for i, ln in enumerate(lines)
            if not (i in edge and (_normalise(ln) in running or _PAGE_NUMBER.match(ln)))]


def _strip_unpaged(lines: list[str]) -> list[str]:
    """Without page boundaries: drop short lines repeated 3+ times and runs of page numbers."""
    counts = Counter(_normalise(ln) for ln in lines if 0 < len(ln.strip()) <= 100)
    repeated = {ln for ln, n in counts.items() if n >= 3 and re.search(r"[a-z]{3}", ln)}
    numbers = [(i, int(m.group(1))) for i, ln in enumerate(lines)
               if (m := re.match(r"^\s*(\d{1,4})\s*$", ln))]
    drop = {i for i, ln in enumerate(lines) if _normalise(ln) in repeated}
    values = [v for _, v in numbers]
    if len(numbers) >= 3 and values == sorted(values) and len(set(values)) == len(values):
        drop.update(i for i, _ in numbers)
    return [ln for i, ln in enumerate(lines) if i not in drop]


def _trim_blank_ends(lines: list[str]) -> list[str]:
    """A page break is no paragraph break: drop blank lines at the ends of a page."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def _join_hyphenation(text: str) -> str:
    def join(match: re.Match[str]) -> str:
        head, tail, punct = match.group(1), match.group(2), match.group(3)
        if head.lower() in _KEEP_HYPHEN:
            return f"{head}-{tail}{punct}\n"
        return f"{head}{tail}{punct}\n"

    return _HYPHENATED.sub(join, text)


def clean_page_debris(text: str) -> str:
    """Remove page-break debris: running headers/footers, page numbers, line-end hyphens,
    leading spaces. Pages are separated by form feeds when known. Pure and idempotent.

    >>> clean_page_debris("  Intro-\\nduction text\\n\\n  more")
    'Introduction\\ntext\\n\\nmore'
    """
    pages = [page.split("\n") for page in text.replace("\r\n", "\n").split("\f")]
    if len(pages) > 1:
        running = _running_lines(pages)
        kept = [_strip_page_edges(lines, running) for lines in pages]
    else:
        kept = [_strip_unpaged(pages[0])]
    lines = [ln.strip() for page in kept for ln in _trim_blank_ends(page)]
    joined = "\n".join(lines)
    joined = re.sub(r"\n{3,}", "\n\n", joined).strip("\n")
    return _join_hyphenation(joined).rstrip("\n")


def extract_pdf_text(data: bytes, *, file: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Extract the text layer of a PDF with pypdf and clean its page debris.

    Raises :class:`ParseError` for a damaged or encrypted PDF and for one without a text
    layer (a scan), :class:`InputTooLargeError` above ``max_bytes``.
    """
    if len(data) > max_bytes:
        raise InputTooLargeError(f"PDF is {len(data)} bytes, over the limit of {max_bytes}",
                                 file=file)
    if not data.lstrip().startswith(b"%PDF"):
        raise ParseError("not a PDF file (no %PDF header)", file=file, line=1)
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ParseError("PDF is encrypted; decrypt it first", file=file)
        pages = []
        for number, page in enumerate(reader.pages, start=1):
            try:
                pages.append(page.extract_text() or "")
            except (PyPdfError, ValueError, KeyError, TypeError) as exc:
                raise ParseError(f"cannot extract text: {exc}", file=file,
                                 place=f"page {number}") from exc
    except PyPdfError as exc:
        raise ParseError(f"damaged PDF: {exc}", file=file) from exc
    text = clean_page_debris("\f".join(pages))
    if not text.strip():
        raise ParseError("PDF has no text layer (a scan? run OCR first)", file=file)
    return text


def read_pdf_text(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read a PDF file (refusing one over ``max_bytes`` before reading) and extract its text."""
    return extract_pdf_text(read_bytes(path, max_bytes), file=str(path), max_bytes=max_bytes)
