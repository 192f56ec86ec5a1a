"""A PDF's lines sorted into body text, footnotes and page furniture, rendered as text.

Stages, each a pure function of the lines :func:`ingest.pdf.extract_pdf_lines` gives:
the body font size (the commonest size, weighted by characters); page furniture (running
heads and feet repeated at the page edges, page numbers, margin line numbers); the footnote
area of each page (lines set smaller than the body below the page's last body line);
footnotes assembled across pages by their running numbers; the body with its superscript
calls. :func:`layout_text` renders it all in Markdown footnote syntax, which
:mod:`ingest.footnotes` reads back: calls as ``[^n]``, one ``[^n]: text`` line per footnote.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.pdf import PdfLine, _join_hyphenation

#: A line smaller than this share of the body size is a footnote (in the footnote area).
FOOTNOTE_SIZE = 0.92
#: Share of the text a font size must set to be the body's.
BODY_SHARE = 0.2
#: Pages (share, at least two) on whose edge a line must recur to be a running head.
RUNNING_SHARE = 0.2
_PAGE_NUMBER = re.compile(r"^\s*[-–—]?\s*(?:page\s+)?(?:\d{1,4}|[ivxlc]{1,6})\s*[-–—]?\s*$", re.I)
_SEPARATOR = re.compile(r"^[\s_–—\-‒―=*.]*$")
_NOTE_START = re.compile(r"^\s*(\d{1,4})\s*[.)]?(?:\s+(?=\S)|\s*$)")
_SENTENCE_END = re.compile(r"[.!?:;”\")\]]\s*(?:\[\^\d+\])*$")
_CALL = re.compile(r"^\s*(\d{1,4}(?:\s*[,–-]\s*\d{1,4})*)\s*$")


@dataclass(frozen=True, slots=True)
class PrintedNote:
    """A footnote as printed: its number, its text (lines joined) and its first page."""

    number: int
    text: str
    page: int


@dataclass(frozen=True, slots=True)
class PdfLayout:
    body: tuple[tuple[PdfLine, ...], ...]
    footnotes: tuple[PrintedNote, ...]
    body_size: float


def _mask(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split())).casefold()


def body_size(pages: Sequence[Sequence[PdfLine]]) -> float:
    """The largest font size (rounded to half a point) that sets a fifth of the text or
    more: footnotes, smaller, may set more of a law review than its body does."""
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            if line.lettered:
                sizes[round(line.size * 2) / 2] += sum(len(t.text) for t in line.tokens)
    total = sum(sizes.values())
    common = [size for size, n in sizes.items() if n >= BODY_SHARE * total]
    return max(common) if common else 0.0


def _edges(lines: Sequence[PdfLine]) -> list[PdfLine]:
    ordered = sorted(lines, key=lambda ln: -ln.bottom)
    return ordered[:2] + ordered[-2:] if len(ordered) > 4 else list(ordered)


def _furniture(pages: Sequence[Sequence[PdfLine]]) -> set[int]:
    """ids of running heads/feet and page numbers at the page edges."""
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_mask(ln.text) for ln in _edges(lines)})
    threshold = max(2, int(len(pages) * RUNNING_SHARE))
    running = {t for t, n in counts.items() if n >= threshold and re.search(r"[a-z]{3}", t)}
    dropped = set()
    for lines in pages:
        for line in _edges(lines):
            if _mask(line.text) in running or _PAGE_NUMBER.match(line.text):
                dropped.add(id(line))
    return dropped


def _columns(lines: Sequence[PdfLine], size: float) -> tuple[list[float], float]:
    """Left edges of the text columns (frequent line starts) and the right edge."""
    starts = Counter(round(ln.x0) for ln in lines if abs(ln.size - size) < 0.1 * size)
    total = sum(starts.values()) or 1
    frequent = sorted(float(x) for x, n in starts.items() if n >= max(3, total * 0.05))
    # A paragraph indent is frequent too: a column's left edge has none just left of it.
    lefts = [x for x in frequent if not any(0 < x - y < 3 * size for y in frequent)]
    rights = sorted(ln.x1 for ln in lines)
    return lefts or [min((ln.x0 for ln in lines), default=0.0)], (
        rights[int(len(rights) * 0.95)] if rights else 0.0)


def _margin_number(line: PdfLine, lefts: Sequence[float], right: float) -> bool:
    return bool(re.fullmatch(r"\d{1,4}", line.text.strip())) and (
        line.x1 < lefts[0] - 2 or line.x0 > right + 2)


def _footnote_area(lines: Sequence[PdfLine], size: float) -> set[int]:
    """ids of a page's lines below its last body-size line and set smaller than the body."""
    body = [ln.bottom for ln in lines if ln.size >= FOOTNOTE_SIZE * size
            and len(ln.text.strip()) > 3]
    if body:
        floor = min(body)
        return {id(ln) for ln in lines if ln.size < FOOTNOTE_SIZE * size and ln.bottom < floor}
    # A page set small throughout (a table, an appendix): its notes start at the first
    # line that opens with a superscript number, or with a number if none does.
    starts = [i for i, ln in enumerate(lines) if _opens_with_superscript(ln)] or [
        i for i, ln in enumerate(lines) if _NOTE_START.match(ln.text)]
    first = starts[0] if starts else len(lines)
    return {id(ln) for ln in lines[first:] if ln.size < FOOTNOTE_SIZE * size}


def _opens_with_superscript(line: PdfLine) -> bool:
    runs = list(line.runs())
    return bool(runs) and runs[0][0] and runs[0][1].strip().isdigit()


def _note_number(line: PdfLine, expected: int) -> tuple[int, str] | None:
    """(number, rest) when ``line`` starts footnote ``expected`` (or one of the next two)."""
    text = line.text
    runs = list(line.runs())
    if runs and runs[0][0] and runs[0][1].strip().isdigit():
        number = int(runs[0][1])
        rest = text[len(runs[0][1]):]
    elif match := _NOTE_START.match(text):
        number, rest = int(match.group(1)), text[match.end():]
    else:
        return None
    return (number, rest.strip()) if expected <= number <= expected + 2 else None


def _join_lines(parts: Sequence[str]) -> str:
    out = ""
    for part in parts:
        part = part.strip()
        if not out:
            out = part
        elif out.endswith("-") and part[:1].islower() and out[-2:-1].isalpha():
            out = out[:-1] + part
        elif re.search(r"(?:https?://|www\.)\S*$", out) and not out.endswith((".", ",")):
            out += part  # a URL broken across lines
        else:
            out += " " + part
    return " ".join(out.split())


def _assemble(notes: Sequence[PdfLine]) -> list[PrintedNote]:
    footnotes: list[tuple[int, list[str], int]] = []
    for line in notes:
        started = _note_number(line, footnotes[-1][0] + 1 if footnotes else 1)
        if started is not None:
            footnotes.append((started[0], [started[1]], line.page))
        elif footnotes and not _SEPARATOR.match(line.text):
            footnotes[-1][1].append(line.text)
    return [PrintedNote(n, _join_lines(parts), page) for n, parts, page in footnotes]


def analyse(pages: Sequence[Sequence[PdfLine]]) -> PdfLayout:
    """Sort every line of ``pages`` into body, footnote or furniture."""
    size = body_size(pages)
    furniture = _furniture(pages)
    everything = [ln for lines in pages for ln in lines]
    lefts, right = _columns(everything, size)
    body: list[tuple[PdfLine, ...]] = []
    notes: list[PdfLine] = []
    for lines in pages:
        kept = [ln for ln in lines if id(ln) not in furniture
                and not _margin_number(ln, lefts, right) and not _SEPARATOR.match(ln.text)]
        area = _footnote_area(kept, size)
        notes.extend(ln for ln in kept if id(ln) in area)
        body.append(tuple(ln for ln in kept if id(ln) not in area))
    return PdfLayout(tuple(body), tuple(_assemble(notes)), size)


def _render_line(line: PdfLine, numbers: set[int]) -> str:
    out = []
    for sup, run in line.runs():
        match = _CALL.match(run) if sup else None
        calls = [int(n) for n in re.findall(r"\d+", match.group(1))] if match else []
        if calls and all(n in numbers for n in calls):
            out.append("".join(f"[^{n}]" for n in calls) + (" " if run.endswith(" ") else ""))
        else:
            out.append(run)
    return "".join(out)


def _breaks(previous: PdfLine, line: PdfLine, lefts: Sequence[float], right: float) -> bool:
    """Whether a paragraph break falls between two body lines."""
    size = max(line.size, previous.size, 1.0)
    left = max((x for x in lefts if x <= line.x0 + 1), default=lefts[0])
    indented = line.x0 - left > 0.8 * size
    ends = bool(_SENTENCE_END.search(previous.text))
    short = previous.x1 < right - 4 * size
    if previous.page != line.page:
        # No gap to measure across a page: a finished sentence then an indent or a short
        # line (a heading) starts a paragraph.
        return ends and (indented or line.x1 < right - 4 * size)
    if short and not ends and indented:
        return True  # a heading, then its first paragraph
    gap = previous.bottom - line.bottom
    if gap > 1.6 * size or gap < -size:
        return True
    # Centred: as far from the right edge as from the left (a heading), not merely short
    # (the last line of a reference entry under a hanging indent).
    centred = indented and abs(line.x0 - left - (right - line.x1)) < 2 * size
    return (indented and ends) or centred or (ends and _is_centred(previous, lefts, right))


def _is_centred(line: PdfLine, lefts: Sequence[float], right: float) -> bool:
    left = max((x for x in lefts if x <= line.x0 + 1), default=lefts[0])
    return line.x0 - left > 2 * line.size and line.x1 < right - 2 * line.size


def render(layout: PdfLayout) -> str:
    """Body text with ``[^n]`` calls, a blank line, then one ``[^n]: text`` per footnote."""
    numbers = {f.number for f in layout.footnotes}
    lines = [ln for page in layout.body for ln in page]
    lefts, right = _columns(lines, layout.body_size)
    out: list[str] = []
    previous: PdfLine | None = None
    for line in lines:
        if previous is not None:
            out.append("\n\n" if _breaks(previous, line, lefts, right) else "\n")
        out.append(_render_line(line, numbers).strip())
        previous = line
    body = _join_hyphenation("".join(out))
    notes = "\n".join(f"[^{f.number}]: {f.text}" for f in layout.footnotes)
    return f"{body}\n\n{notes}\n" if notes else body


def layout_text(pages: Sequence[Sequence[PdfLine]]) -> str:
    """The text :func:`render` makes of :func:`analyse` of ``pages``."""
    return render(analyse(pages))
