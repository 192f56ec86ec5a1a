"""PDF text with its layout (pypdfium2), and cleaning of the debris page breaks leave in it.

:func:`read_pdf_lines` gives each page's lines with their font size and position, small
raised characters (superscript footnote calls) marked; :mod:`ingest.pdflayout` sorts those
lines into body, footnotes, running heads, page numbers and margin line numbers.
pypdfium2 was measured against pypdf and pdfplumber on the real corpus (BENCHMARKS.md):
15-20x faster than pypdf, with word spaces kept where pypdf loses them.

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

import ctypes
import os
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

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



#: Tokens measured one by one: a word, a run of digits, a space run, any other character.
_TOKEN = re.compile(r"[\r\n\x00]+|\s+|[^\W\d_]+|\d+|.", re.DOTALL)


@dataclass(slots=True)
class PdfToken:
    """A word, digit run, space or sign, with the baseline, edges and height of its first
    character (one pdfium call per token: a call per character costs seconds)."""

    text: str
    x0: float
    x1: float
    bottom: float
    size: float


@dataclass(slots=True)
class PdfLine:
    """One line of a page: its tokens (``sup`` marks superscripts) and geometry."""

    page: int
    tokens: list[PdfToken] = field(default_factory=list)
    sup: list[bool] = field(default_factory=list)
    bottom: float = 0.0
    size: float = 0.0
    lettered: bool = False

    @property
    def x0(self) -> float:
        return self.tokens[0].x0 if self.tokens else 0.0

    @property
    def x1(self) -> float:
        return self.tokens[-1].x1 if self.tokens else 0.0

    @property
    def text(self) -> str:
        return "".join(t.text for t in self.tokens)

    def runs(self) -> Iterator[tuple[bool, str]]:
        """(is superscript, text) runs of the line, in order; a space joins the run before."""
        current, flag = "", False
        for token, sup in zip(self.tokens, self.sup, strict=True):
            if token.text.isspace():
                sup = flag
            if current and sup != flag:
                yield flag, current
                current = ""
            current, flag = current + token.text, sup
        if current:
            yield flag, current


def _page_text(textpage: Any, raw: Any) -> str:
    count = raw.FPDFText_CountChars(textpage.raw)
    buffer = (ctypes.c_ushort * (count + 1))()
    raw.FPDFText_GetText(textpage.raw, 0, count, buffer)
    return bytes(buffer)[: count * 2].decode("utf-16-le", errors="replace")


def _page_tokens(textpage: Any, raw: Any) -> Iterator[PdfToken]:
    """The tokens of a page; a pdfium line break (``\\r\\n``) yields nothing."""
    text = _page_text(textpage, raw)
    rect, x, y = raw.FS_RECTF(), ctypes.c_double(), ctypes.c_double()
    rect_p, x_p, y_p = ctypes.pointer(rect), ctypes.pointer(x), ctypes.pointer(y)
    handle = textpage.raw
    last: PdfToken | None = None
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token[0] in "\r\n\x00":
            continue
        if token in ("\x02", "\ufffe"):
            token = "-"  # pdfium's marks for a hyphen at a line end
        if token.isspace():
            if last is not None:
                yield PdfToken(" ", last.x1, last.x1, last.bottom, last.size)
            continue
        i = match.start()
        raw.FPDFText_GetLooseCharBox(handle, i, rect_p)
        raw.FPDFText_GetCharOrigin(handle, i, x_p, y_p)
        x0, size = rect.left, rect.top - rect.bottom
        if len(token) > 1:
            raw.FPDFText_GetLooseCharBox(handle, match.end() - 1, rect_p)
        last = PdfToken(token, x0, rect.right, y.value, size)
        yield last


def _same_line(line: PdfLine, token: PdfToken) -> str:
    """``"line"``, ``"sup"`` (a small raised token of the line) or ``""`` (a new line)."""
    if not line.tokens:
        return "line"
    size = line.size or token.size
    if token.x0 < line.tokens[-1].x0 - max(size, 4.0) * 2:
        return ""  # the pen went back: a new line (or column)
    if abs(token.bottom - line.bottom) <= 0.2 * size:
        return "line"
    if token.size < 0.85 * size and line.bottom + 0.2 * size < token.bottom < line.bottom + size:
        return "sup"
    return ""


def _rebase(line: PdfLine, token: PdfToken) -> bool:
    """A line that so far holds only small raised tokens (a footnote number) continues with
    normal text set lower on the same line: the first tokens were superscripts."""
    if (not line.tokens or line.lettered or len(line.tokens) > 4 or any(line.sup)
            or token.size < line.size * 1.15):
        return False
    if not line.bottom - token.size <= token.bottom < line.bottom - 0.15 * token.size:
        return False
    line.sup = [True] * len(line.tokens)
    line.bottom, line.size = token.bottom, token.size
    return True


def _lines_of(tokens: Iterator[PdfToken], page: int) -> list[PdfLine]:
    lines: list[PdfLine] = []
    line = PdfLine(page)
    for token in tokens:
        if token.text == " ":
            if line.tokens:
                line.tokens.append(token)
                line.sup.append(line.sup[-1])
            continue
        where = "line" if _rebase(line, token) else _same_line(line, token)
        if not where:
            lines.append(line)
            line = PdfLine(page)
            where = "line"
        if not line.tokens:
            line.bottom, line.size = token.bottom, token.size
        if where == "line" and token.text[0].isalpha() and not line.lettered:
            line.size, line.lettered = token.size, True  # digits may be of another font
        line.tokens.append(token)
        line.sup.append(where == "sup")
    if line.tokens:
        lines.append(line)
    for item in lines:
        while item.tokens and item.tokens[-1].text == " ":
            item.tokens.pop()
            item.sup.pop()
    return [item for item in lines if item.tokens]


def _open(data: bytes, file: str) -> Any:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ParseError("PDF is encrypted; decrypt it first", file=file) from exc
        raise ParseError(f"damaged PDF: {exc}", file=file) from exc


def extract_pdf_lines(data: bytes, *, file: str, max_bytes: int = DEFAULT_MAX_BYTES
                      ) -> list[list[PdfLine]]:
    """The lines of every page of a PDF, in the order the PDF draws them.

    Raises :class:`ParseError` for a damaged or encrypted PDF and for one without a text
    layer (a scan), :class:`InputTooLargeError` above ``max_bytes``.
    """
    if len(data) > max_bytes:
        raise InputTooLargeError(f"PDF is {len(data)} bytes, over the limit of {max_bytes}",
                                 file=file)
    if not data.lstrip().startswith(b"%PDF"):
        raise ParseError("not a PDF file (no %PDF header)", file=file, line=1)
    import pypdfium2.raw as raw

    document = _open(data, file)
    pages: list[list[PdfLine]] = []
    try:
        for number in range(len(document)):
            page = document[number]
            textpage = page.get_textpage()
            pages.append(_lines_of(_page_tokens(textpage, raw), number + 1))
            textpage.close()
            page.close()
    finally:
        document.close()
    if not any(pages):
        raise ParseError("PDF has no text layer (a scan? run OCR first)", file=file)
    return pages


def extract_pdf_text(data: bytes, *, file: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text of a PDF as the paper parser reads it: body text with footnote calls as
    ``[^n]``, then one ``[^n]: text`` line per footnote (see :mod:`ingest.pdflayout`)."""
    from ingest.pdflayout import layout_text

    return layout_text(extract_pdf_lines(data, file=file, max_bytes=max_bytes))


def read_pdf_text(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read a PDF file (refusing one over ``max_bytes`` before reading) and extract its text."""
    return extract_pdf_text(read_bytes(path, max_bytes), file=str(path), max_bytes=max_bytes)
