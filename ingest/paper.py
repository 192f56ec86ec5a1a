"""Papers as text or Markdown: sections, sentences, numeric in-text markers, references.

Text extracted from a PDF is untidy: headings carry stray leading spaces, long headings wrap
onto a second line, markers are glued to the next word (``[1]However``). The functions here
read such text as it is, without rewriting it, so that every offset they report indexes the
decoded text exactly.

Examples
--------
>>> text = "Abstract. We study graphs.\\n\\n1. Introduction\\n\\nGraphs help [1]. More [2-3].\\n"
>>> doc = parse_paper(text, file="p.txt", slug="p")
>>> [n.id for n in doc.batch.nodes if n.type == "Section"]
['section:p/abstract', 'section:p/1']
>>> sorted(r.target for r in doc.batch.relationships
...        if r.type == "CITES" and r.source == "section:p/1")
['work:ref:p/1', 'work:ref:p/2', 'work:ref:p/3']
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from citegraph import ids
from citegraph.errors import InputTooLargeError
from citegraph.model import GraphBatch, Node, NodeType, PropValue, Provenance, Relationship, RelType
from citegraph.text import (
    HAN_CHARS,
    MARKER_RUN,
    is_cjk,
    iter_sentences,
    roman_value,
)
from citegraph.text import split_sentences as split_sentences  # re-exported
from ingest.authoryear import find_author_year, match_item, year_index
from ingest.base import DocumentKind, ParsedDocument, Problem, Sentence
from ingest.footnotes import Context, find_footnotes, footnote_graph, in_definitions, plain
from ingest.references import (
    ParsedReference,
    match_to_bib,
    parse_reference,
    reference_node,
    split_reference_list,
)
from ingest.textio import read_text

#: Largest paper text parsed (characters; a long book is about 3 million).
DEFAULT_MAX_CHARS = 5_000_000
#: Largest number a marker may carry, and the widest range ``[a-b]`` expanded.
MAX_MARKER_NUMBER = 999
MAX_MARKER_RANGE = 100

_NUMBERED_HEADING = re.compile(
    r"(?P<num>\d{1,2}(?:\.\d{1,2}){0,4})(?P<dot>\.?)[ \t]+(?P<title>\S.*?)[ \t]*$")
_MD_HEADING = re.compile(
    r"(?P<hashes>#{1,6})[ \t]+(?:(?P<num>\d{1,2}(?:\.\d{1,2}){0,4})\.?[ \t]+)?"
    r"(?P<title>\S.*?)[ \t#]*$")
_ABSTRACT = re.compile(
    r"(?P<label>Abstract|ABSTRACT|Summary|摘\s*要)(?:[ \t]*[.:：—–-][ \t]*|[ \t]*$)")
_REFERENCES_TITLE = re.compile(
    r"(?:References?|Bibliography|Works Cited|Literature Cited|Reference List|Sources|"
    r"Notes|Endnotes|Footnotes|Literature|参考文献|引用文献|注释|注释与参考文献)[ \t]*:?",
    re.IGNORECASE)
#: Titles that name the reference list only when they stand alone (a numbered section
#: "3.8 Footnotes" is about footnotes).
_NOTES_TITLE = re.compile(r"(?:Notes|Endnotes|Footnotes)[ \t]*:?", re.IGNORECASE)
_MARKER = re.compile(
    r"(?<!\\)\[(?P<body>\d{1,3}(?:[ \t]*[,;–—-][ \t]*\d{1,3})*)\]"
    r"(?:[ \t]*[–—-][ \t]*\[(?P<upto>\d{1,3})\])?")
_MARKER_RUN = MARKER_RUN
_TERMINAL = ".!?。！？:：\"”)"
#: A line that ends a sentence: terminal punctuation, then perhaps markers (``law.[5]``).
_ENDS_SENTENCE = re.compile(r"[.!?。！？:：\"”)]" + _MARKER_RUN + r"*[ \t]*$")
#: Longest title, in characters and words, of a heading not set off by a blank line.
_TIGHT_TITLE_CHARS = 90
_TIGHT_TITLE_WORDS = 14


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading found in the text.

    ``number`` is ``"3.1.2"`` for numbered sections, ``"abstract"`` or ``"references"`` for
    those two, or a slug of the title for an unnumbered Markdown heading. ``start`` is the
    first character of the heading, ``end`` the end of its (possibly wrapped) title, and
    ``body`` where the section's own text starts.
    """

    number: str
    title: str
    level: int
    start: int
    end: int
    body: int
    numbered: bool = True


@dataclass(frozen=True, slots=True)
class Marker:
    """A numeric in-text marker such as ``[2, 5]`` or ``[3]–[5]`` and the numbers it cites."""

    numbers: tuple[int, ...]
    start: int
    end: int

    @property
    def text_span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass(frozen=True, slots=True)
class _Line:
    start: int  # offset of the first character of the line
    end: int  # offset of the line end (before the newline)
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip())

    @property
    def blank(self) -> bool:
        return not self.text.strip()


# -- lines and headings --------------------------------------------------------------------

def _lines(text: str) -> list[_Line]:
    lines, pos = [], 0
    for raw in text.split("\n"):
        lines.append(_Line(pos, pos + len(raw), raw.rstrip("\r")))
        pos += len(raw) + 1
    return lines


def _number_tuple(number: str) -> tuple[int, ...]:
    return tuple(int(p) for p in number.split("."))


def _successors(previous: tuple[int, ...] | None) -> set[tuple[int, ...]]:
    """Section numbers that may follow ``previous``: a sibling, an ancestor's sibling, a child."""
    if previous is None:
        return {(1,), (1, 1), (0,)}
    nexts = {(*previous[:i], previous[i] + 1) for i in range(len(previous))}
    nexts.add((*previous, 1))
    return nexts


def _plausible_title(title: str) -> bool:
    if not title or len(title) > 160 or title[-1] in ",;" or title.endswith(" and"):
        return False
    first = title[0]
    if not (first.isupper() or is_cjk(first) or first in "\"“'‘("):
        return False
    if title.endswith(".") and len(title.split()) > 12:
        return False  # a sentence, not a heading
    return bool(re.search(f"[A-Za-z{HAN_CHARS}]", title))


def _continuation(lines: list[_Line], i: int, title: str) -> int:
    """Index of the wrapped second line of the heading at ``lines[i]``, or -1.

    The second line is followed by a blank line, or (text without blank lines) is a few
    words only, so that the first line of the body is not taken for it.
    """
    if i + 1 >= len(lines) or len(title) < 40:
        return -1
    nxt = lines[i + 1]
    after_blank = i + 2 >= len(lines) or lines[i + 2].blank
    words = nxt.stripped.split()
    if (nxt.blank or not words or len(nxt.stripped) > 60
            or nxt.stripped[-1] in ".,;:" or _NUMBERED_HEADING.match(nxt.stripped)):
        return -1
    if not after_blank and (len(words) > 4 or len(nxt.stripped) > 30
                            or not nxt.stripped[0].isupper()):
        return -1
    return i + 1


def _ends_sentence(line: _Line) -> bool:
    return bool(_ENDS_SENTENCE.search(line.stripped))


def _title_block_line(line: _Line) -> bool:
    """A line of a title block (title, authors, affiliation): short, no sentence in it."""
    text = line.stripped
    return len(text) <= 160 and not _ends_sentence(line) and not re.search(
        r"[.!?]\s+[A-Z]", text)


def _tight_heading(title: str, line: _Line, before: _Line) -> bool:
    """Whether a numbered line not set off by a blank line or a finished sentence is still
    a heading: a short title with no sentence in it, on a line clearly shorter than the
    (body) line before it, which a wrapped body line is not."""
    return (len(title) <= _TIGHT_TITLE_CHARS and len(title.split()) <= _TIGHT_TITLE_WORDS
            and title[-1] not in ".,;:" and not re.search(r"[.!?;]\s", title)
            and len(line.stripped) + 10 <= len(before.stripped))


def find_headings(text: str) -> list[Heading]:
    """Find the Abstract, numbered sections, Markdown headings and the reference-list heading.

    A numbered line is a heading when its title looks like a title, its number may follow
    the previous heading's number (``2.3`` after ``2.2``, ``3`` after ``2.3``, ``3.1.1`` after
    ``3.1``), and it follows a blank line, the start of the text, a finished sentence, the
    previous heading or the title block; or, in text without blank lines (PDF text), the
    line is heading-shaped (short, no sentence in it, shorter than the line before).
    An Abstract label is found right after the title block too.
    A law-review outline (``I.``, ``A.``, ``1.``) is used instead when it explains more
    headings than decimal numbers do.

    >>> [h.number for h in find_headings(" 1. Intro\\n\\n1.1 Scope\\n\\n 2 Law\\n")]
    ['1', '1.1', '2']
    >>> wrapped = "1 A very long heading that wraps onto a second\\nLine\\n\\nx"
    >>> [h.title for h in find_headings(wrapped)]
    ['A very long heading that wraps onto a second Line']
    >>> tight = "Title\\nAbstract\\nText.\\n1 Intro\\nText.\\n2 Law\\n2.1 Codes\\nText.\\n"
    >>> [h.number for h in find_headings(tight)]
    ['abstract', '1', '2', '2.1']
    """
    lines = _lines(text)
    headings: list[Heading] = []
    previous: tuple[int, ...] | None = None
    seen_numbered = False
    skip_until = -1
    heading_line = -1  # index of the last line of the last heading found
    title_block = True  # every non-blank line so far could be a title, author or affiliation
    for i, line in enumerate(lines):
        if i <= skip_until or line.blank:
            continue
        stripped = line.stripped
        start = line.start + line.indent
        before = lines[i - 1] if i > 0 else None
        prev_ok = before is None or before.blank or _ends_sentence(before) \
            or line.indent > 0 or heading_line == i - 1
        in_title_block = title_block and not headings
        title_block = title_block and _title_block_line(line)
        md = _MD_HEADING.match(stripped)
        if md:
            heading = _markdown_heading(md, line, start)
            if heading is not None and not headings and heading.level == 1 \
                    and not heading.numbered and heading.number not in ("abstract",
                                                                        "references"):
                continue  # the paper's title
            if heading is not None:
                headings.append(heading)
                heading_line = i
                if heading.numbered:
                    previous, seen_numbered = _number_tuple(heading.number), True
            continue
        if not seen_numbered and not headings and (prev_ok or in_title_block):
            abstract = _ABSTRACT.match(stripped)
            if abstract:
                body = start + abstract.end()
                headings.append(Heading("abstract", "Abstract", 1, start, body, body, False))
                heading_line = i if body >= line.end else -1
                continue
        if _REFERENCES_TITLE.fullmatch(stripped) and prev_ok:
            headings.append(Heading("references", stripped.rstrip(":："), 1, start, line.end,
                                    line.end, False))
            heading_line = i
            continue
        match = _NUMBERED_HEADING.match(stripped)
        if not match:
            continue
        number, title = match.group("num"), match.group("title")
        number_t = _number_tuple(number)
        if number_t not in _successors(previous) or not _plausible_title(title):
            continue
        if not (prev_ok or in_title_block
                or (before is not None and _tight_heading(title, line, before))):
            continue
        end = line.end
        heading_line = i
        cont = _continuation(lines, i, title)
        if cont >= 0:
            title = f"{title} {lines[cont].stripped}"
            end, skip_until, heading_line = lines[cont].end, cont, cont
        if _REFERENCES_TITLE.fullmatch(title) and not _NOTES_TITLE.fullmatch(title):
            headings.append(Heading("references", title, 1, start, end, end, False))
        else:
            headings.append(Heading(number, title, len(number_t), start, end, end))
        previous, seen_numbered = number_t, True
    outline = _outline_headings(lines)
    if len(outline) > sum(1 for h in headings if h.numbered):
        # A law-review outline (I., A., 1.) explains more of the text than decimal numbers.
        kept = [h for h in headings if not h.numbered]
        taken = {h.start for h in kept}
        headings = sorted([*kept, *(h for h in outline if h.start not in taken)],
                          key=lambda h: h.start)
    return headings


_OUTLINE = re.compile(r"(?P<num>[IVXLC]{1,7}|[A-Z]|\d{1,2})\.[ \t]+(?P<title>\S.*?)[ \t]*$")


def _outline_readings(token: str) -> list[tuple[int, int]]:
    """(level, value) readings of an outline token: roman 1, capital letter 2, arabic 3."""
    readings = []
    if token.isdigit():
        return [(3, int(token))]
    if len(token) == 1:
        readings.append((2, ord(token) - ord("A") + 1))
    roman = roman_value(token)
    if roman is not None:
        readings.append((1, roman))
    return readings


def _outline_headings(lines: list[_Line]) -> list[Heading]:
    """Law-review outlines: ``I.``/``II.`` parts, ``A.``/``B.`` sections, ``1.`` subsections.

    Numbers become ``II``, ``II.A``, ``II.A.1``. A line counts only when it follows a blank
    line and its number continues the outline (``II`` after ``I`` or ``I.B``, ``B`` after
    ``A``), so a lettered initial in the body does not start a section.
    """
    headings: list[Heading] = []
    path: list[tuple[int, str]] = []  # (value, label) per level of the current heading
    for i, line in enumerate(lines):
        if line.blank or not (i == 0 or lines[i - 1].blank):
            continue
        match = _OUTLINE.match(line.stripped)
        if not match or not _plausible_title(match.group("title")):
            continue
        token, title = match.group("num"), match.group("title")
        for level, value in _outline_readings(token):
            fits = (level == len(path) + 1 and value == 1) or (
                level <= len(path) and value == path[level - 1][0] + 1)
            if not fits or (not path and level != 1):
                continue
            path = [*path[:level - 1], (value, token)]
            number = ".".join(label for _, label in path)
            start = line.start + line.indent
            headings.append(Heading(number, title, level, start, line.end, line.end))
            break
    return headings if any(h.level == 1 for h in headings[1:]) else []


def _markdown_heading(match: re.Match[str], line: _Line, start: int) -> Heading | None:
    level = len(match.group("hashes"))
    title = match.group("title").strip()
    number = match.group("num")
    if number:
        return Heading(number, title, len(_number_tuple(number)), start, line.end, line.end)
    if _REFERENCES_TITLE.fullmatch(title):
        return Heading("references", title, 1, start, line.end, line.end, False)
    if _ABSTRACT.fullmatch(title):
        return Heading("abstract", "Abstract", 1, start, line.end, line.end, False)
    return Heading(ids.slugify(title, 60), title, level, start, line.end, line.end, False)


# -- markers and sentences -----------------------------------------------------------------

def _marker_numbers(body: str, upto: str | None) -> tuple[int, ...]:
    numbers: list[int] = []
    for item in re.split(r"[ \t]*[,;][ \t]*", body):
        bounds = [int(p) for p in re.split(r"[ \t]*[–—-][ \t]*", item) if p]
        if len(bounds) == 2 and 0 < bounds[1] - bounds[0] <= MAX_MARKER_RANGE:
            numbers.extend(range(bounds[0], bounds[1] + 1))
        else:
            numbers.extend(bounds)
    if upto is not None and numbers and 0 < int(upto) - numbers[-1] <= MAX_MARKER_RANGE:
        numbers.extend(range(numbers[-1] + 1, int(upto) + 1))
    unique = dict.fromkeys(n for n in numbers if 0 < n <= MAX_MARKER_NUMBER)
    return tuple(unique)


def find_markers(text: str, start: int = 0, end: int | None = None) -> list[Marker]:
    """Numeric citation markers in ``text[start:end]``, with offsets into ``text``.

    A bracket followed by ``(`` (a Markdown link) or ``:`` (a link definition) is no marker.

    >>> [m.numbers for m in find_markers("a [1]However b [2, 5] c [3-5] d [6]–[8].")]
    [(1,), (2, 5), (3, 4, 5), (6, 7, 8)]
    """
    stop = len(text) if end is None else end
    markers = []
    for match in _MARKER.finditer(text, start, stop):
        follower = text[match.end(): match.end() + 1]
        if follower in ("(", ":"):
            continue
        numbers = _marker_numbers(match.group("body"), match.group("upto"))
        if numbers:
            markers.append(Marker(numbers, match.start(), match.end()))
    return markers


def quote_of(text: str) -> str:
    """A sentence as a one-line quote (runs of whitespace, line breaks included, collapsed)."""
    return " ".join(text.split())


# -- the paper ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Target:
    """Where marker ``n`` points: a Work id, a node to emit for it, and the link's confidence."""

    work_id: str
    node: Node | None
    confidence: float
    method: str


def _section_id(slug: str, heading: Heading) -> str:
    return ids.section_id(slug, heading.number)


def _guess_title(text: str, headings: Sequence[Heading]) -> str | None:
    """The first line before any heading, when it looks like a title."""
    limit = headings[0].start if headings else min(len(text), 2000)
    for line in text[:limit].split("\n"):
        candidate = line.strip().lstrip("#").strip()
        if candidate:
            if len(candidate) <= 200 and candidate[-1] not in ".,;:" and _plausible_title(
                    candidate):
                return candidate
            return None
    return None


def _front_matter(text: str, headings: Sequence[Heading], has_title_line: bool
                  ) -> Heading | None:
    """A "front" section for text before the first heading other than the title line.

    PDF text often has no Abstract label (or one that is not found): what stands between
    the title and the first heading is kept as front matter rather than dropped.
    """
    if not headings:
        return None
    limit = headings[0].start
    pos = len(text[:limit]) - len(text[:limit].lstrip())
    if has_title_line and pos < limit:
        line_end = text.find("\n", pos, limit)
        pos = limit if line_end < 0 else line_end
    while pos < limit and text[pos].isspace():
        pos += 1
    if pos >= limit:
        return None
    return Heading("front", "Front matter", 1, pos, pos, pos, False)


def _dedupe_headings(headings: list[Heading], problems: list[Problem], file: str,
                     text: str) -> list[Heading]:
    seen: set[str] = set()
    kept = []
    for heading in headings:
        if heading.number in seen:
            problems.append(Problem(file, f"duplicate section number {heading.number}; "
                                          "merged into the first", text.count("\n", 0,
                                                                               heading.start) + 1,
                                    heading.number, skipped=False))
            continue
        seen.add(heading.number)
        kept.append(heading)
    return kept


def parse_paper(text: str, *, file: str, slug: str, bib: Sequence[Node] | None = None,
                title: str | None = None, max_chars: int = DEFAULT_MAX_CHARS,
                warn_unmatched: bool = False) -> ParsedDocument:
    """Parse a paper's text into its Work, Sections, sentences and CITES edges.

    Markers ``[n]`` link to entry ``n`` of the paper's own reference list when it has one
    (matched to ``bib`` by DOI or title when both are given), else to the ``n``-th entry of
    ``bib``, else to a placeholder Work with ``status: "unresolved"``.

    Parameters
    ----------
    text : str
        The decoded text (see :func:`ingest.textio.decode_text`).
    file : str
        Name of the file, for problems.
    slug : str
        Short name of the paper; its Work id is ``work:{slug}``.
    bib : sequence of Node, optional
        The paper's BibTeX Works in file order (from :func:`ingest.bibtex.parse_bibtex`).
    title : str, optional
        The paper's title when known; otherwise the first line before any heading is used.
    max_chars : int
        Longer texts raise :class:`~citegraph.errors.InputTooLargeError` before any work.
    warn_unmatched : bool
        Report numeric markers that neither a reference list nor ``bib`` resolves (the
        pipeline sets it: there the .bib beside a paper has been looked for).
    """
    if len(text) > max_chars:
        raise InputTooLargeError(f"paper text has {len(text)} characters, over the limit of "
                                 f"{max_chars}", file=file)
    paper_id = ids.work_id(slug)
    problems: list[Problem] = []
    headings = _dedupe_headings(find_headings(text), problems, file, text)
    guessed_title = _guess_title(text, headings)
    front = _front_matter(text, headings, guessed_title is not None)
    if front is not None:
        headings = [front, *headings]
    ref_heading = next((h for h in headings if h.number == "references"), None)
    ref_end = _references_end(text, headings, ref_heading)

    paper_props: dict[str, PropValue] = {"document": paper_id, "kind": "paper", "file": file}
    found_title = title or guessed_title
    if found_title:
        paper_props["title"] = found_title
    nodes: list[Node] = [Node(paper_id, NodeType.WORK, found_title or slug, paper_props)]
    rels: list[Relationship] = []
    nodes_by_id: dict[str, Node] = {}

    _add_sections(text, slug, paper_id, headings, ref_end, nodes, rels)

    reference_targets: dict[int, _Target] = {}
    if ref_heading is not None:
        reference_targets = _reference_list_targets(
            text, ref_heading, ref_end, paper_id, bib, rels, nodes_by_id)
        if not reference_targets:
            problems.append(Problem(file, "reference list found but no entries in it",
                                    text.count("\n", 0, ref_heading.start) + 1,
                                    "references", skipped=False))

    sentences = _sentences(text, slug, paper_id, headings, ref_heading, ref_end)
    summary_extra: dict[str, int] = {}
    calls, notes = find_footnotes(text)
    if notes:
        in_notes = in_definitions(notes)
        sentences = [s for s in sentences if not in_notes(s.start)]
    marker_count = _add_citations(text, slug, paper_id, headings, ref_heading, ref_end,
                                  sentences, reference_targets, bib, rels, nodes_by_id,
                                  problems, file)
    if warn_unmatched and marker_count and not reference_targets and not bib:
        problems.append(Problem(file, f"{marker_count} numeric markers but no reference list "
                                "(under References, Bibliography, Works Cited, Notes, "
                                "Endnotes, Footnotes, Literature, 参考文献 or 注释) and no "
                                "BibTeX: they are kept as unresolved references", None,
                                "references", skipped=False))
    if reference_targets and ref_heading is not None and not marker_count:
        author_year = _add_author_year(text, slug, paper_id, headings, ref_heading, ref_end,
                                       sentences, reference_targets, rels)
        if author_year:
            summary_extra["author_year"] = author_year
    if calls or notes:
        ctx = _footnote_context(text, slug, paper_id, headings, sentences, file)
        note_nodes, note_rels, note_problems = footnote_graph(calls, notes, ctx)
        for node in note_nodes:
            nodes_by_id.setdefault(node.id, node)
        rels.extend(note_rels)
        problems.extend(note_problems)
    nodes.extend(nodes_by_id.values())
    summary = {"sections": sum(1 for n in nodes if n.type == NodeType.SECTION),
               "markers": marker_count, "references": len(reference_targets),
               "sentences": len(sentences),
               "unresolved": sum(1 for n in nodes if n.props.get("status") == "unresolved")}
    if calls or notes:
        summary.update(footnotes=len(notes), footnote_calls=len(calls))
    summary.update(summary_extra)
    return ParsedDocument(DocumentKind.PAPER, GraphBatch.of(paper_id, nodes, rels),
                          tuple(problems), tuple(sentences), summary)


def _add_author_year(text: str, slug: str, paper_id: str, headings: Sequence[Heading],
                     ref: Heading, ref_end: int, sentences: Sequence[Sentence],
                     targets: dict[int, _Target], rels: list[Relationship]) -> int:
    """CITES from the section of each author-year call to the reference-list entry with the
    same first surname and year. Returns the number of items linked."""
    entries = split_reference_list(text, ref.body, ref_end)
    parsed = ((position, parse_reference(e.raw)) for position, e in
              enumerate(entries, start=1))
    index = year_index((str(e.number or n), r.authors, r.year) for (n, r), e in
                       zip(parsed, entries, strict=True))
    starts = [s.start for s in sentences]
    linked = 0
    for call in find_author_year(text, 0, ref.start):
        owner = _innermost(headings, call.start)
        source = _section_id(slug, owner) if owner is not None else paper_id
        quote = _sentence_around(text, sentences, starts, Marker((), call.start, call.end))
        for item in call.items:
            key = match_item(index, item)
            target = targets.get(int(key)) if key else None
            if target is None:
                continue
            linked += 1
            rels.append(Relationship(source, target.work_id, RelType.CITES, Provenance(
                paper_id, owner.number if owner else "", (call.start, call.end), plain(quote),
                "author-year", target.confidence * 0.9), props={"cited_as": " ".join(item)}))
    return linked


def _footnote_context(text: str, slug: str, paper_id: str, headings: Sequence[Heading],
                      sentences: Sequence[Sentence], file: str) -> Context:
    starts = [s.start for s in sentences]

    def owner(offset: int) -> tuple[str, str]:
        heading = _innermost(headings, offset)
        if heading is None:
            return paper_id, ""
        return _section_id(slug, heading), heading.number

    def sentence(start: int, end: int) -> str:
        return plain(_sentence_around(text, sentences, starts, Marker((), start, end)))

    return Context(paper_id, slug, file, owner, sentence,
                   lambda offset: text.count("\n", 0, offset) + 1)


def _references_end(text: str, headings: Sequence[Heading], ref: Heading | None) -> int:
    """The reference list runs to the next heading of its level (an appendix) or the end."""
    if ref is None:
        return len(text)
    later = [h.start for h in headings if h.start > ref.start and h.level <= ref.level
             and h.numbered]
    return later[0] if later else len(text)


def _section_end(text: str, headings: Sequence[Heading], index: int, ref_end: int) -> int:
    heading = headings[index]
    for later in headings[index + 1:]:
        if later.level <= heading.level or not heading.numbered:
            return later.start
    return ref_end


def _add_sections(text: str, slug: str, paper_id: str, headings: Sequence[Heading],
                  ref_end: int, nodes: list[Node], rels: list[Relationship]) -> None:
    by_number = {h.number: h for h in headings}
    stack: list[Heading] = []
    for order, heading in enumerate(headings, start=1):
        sid = _section_id(slug, heading)
        end = _section_end(text, headings, order - 1, ref_end)
        props: dict[str, PropValue] = {
            "number": heading.number, "title": heading.title, "order": order,
            "span": [heading.start, end], "level": heading.level, "document": paper_id}
        label = heading.title if not heading.numbered else f"{heading.number} {heading.title}"
        nodes.append(Node(sid, NodeType.SECTION, label, props))
        heading_quote = quote_of(text[heading.start:heading.end])
        rels.append(Relationship(paper_id, sid, RelType.HAS_SECTION, Provenance(
            paper_id, heading.number, (heading.start, heading.end), heading_quote, "structure")))
        parent = _parent(heading, by_number, stack)
        if parent is not None:
            rels.append(Relationship(sid, _section_id(slug, parent), RelType.PART_OF, Provenance(
                paper_id, heading.number, (heading.start, heading.end), heading_quote,
                "structure")))
        while stack and stack[-1].level >= heading.level:
            stack.pop()
        stack.append(heading)


def _parent(heading: Heading, by_number: dict[str, Heading], stack: list[Heading]
            ) -> Heading | None:
    if heading.numbered:
        parts = heading.number.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            parent = by_number.get(".".join(parts[:cut]))
            if parent is not None:
                return parent
        return None
    if heading.number in _TOP_LEVEL_ONLY:
        return None
    for candidate in reversed(stack):
        if candidate.level < heading.level and candidate.number not in _TOP_LEVEL_ONLY:
            return candidate
    return None


#: Sections that are never a parent or a child of another.
_TOP_LEVEL_ONLY = frozenset({"abstract", "references", "front"})


def _innermost(headings: Sequence[Heading], offset: int) -> Heading | None:
    found = None
    for heading in headings:
        if heading.start <= offset:
            found = heading
        else:
            break
    return found


def _sentences(text: str, slug: str, paper_id: str, headings: Sequence[Heading],
               ref: Heading | None, ref_end: int) -> list[Sentence]:
    """Every body sentence, tagged with its innermost section (the reference list excluded)."""
    sentences = []
    bounds = [0, *(h.start for h in headings), len(text)]
    owners: list[Heading | None] = [None, *headings]
    for k, owner in enumerate(owners):
        a = owner.body if owner is not None else 0
        b = bounds[k + 1]
        if owner is not None and owner is ref:
            a = max(a, ref_end)  # only an appendix after the list, if any
            if a >= b:
                continue
        node_id = _section_id(slug, owner) if owner is not None else paper_id
        locator = owner.number if owner is not None else ""
        for s, e in iter_sentences(text, a, b):
            sentences.append(Sentence(text[s:e], s, e, node_id, locator))
    if headings and headings[0].start > 0:
        # Text before the first heading is the title block, not body text.
        sentences = [s for s in sentences if s.node_id != paper_id]
    return sentences


def _reference_list_targets(text: str, ref: Heading, ref_end: int, paper_id: str,
                            bib: Sequence[Node] | None, rels: list[Relationship],
                            nodes_by_id: dict[str, Node]) -> dict[int, _Target]:
    entries = split_reference_list(text, ref.body, ref_end)
    targets: dict[int, _Target] = {}
    for position, entry in enumerate(entries, start=1):
        number = entry.number or position
        parsed = parse_reference(entry.raw)
        target = _reference_target(parsed, number, bib)
        if target.node is not None and target.node.id not in nodes_by_id:
            nodes_by_id[target.node.id] = target.node
        targets.setdefault(number, target)
        rels.append(Relationship(paper_id, target.work_id, RelType.CITES, Provenance(
            paper_id, "references", (entry.start, entry.end), entry.raw, "reference-list",
            target.confidence), props={"number": number}))
    return targets


def _reference_target(parsed: ParsedReference, number: int,
                      bib: Sequence[Node] | None) -> _Target:
    own = reference_node(parsed, number=number)
    if bib:
        match = match_to_bib(parsed, bib)
        if match is not None:
            return _Target(match.id, _stub_of(match), 0.95, "reference-list+bib")
    return _Target(own.id, own, 1.0, "reference-list")


def _stub_of(node: Node) -> Node:
    """A stub of a BibTeX Work: creates it if the .bib was not loaded, never overwrites it."""
    props: dict[str, PropValue] = {k: v for k, v in node.props.items()
                                   if k in ("title", "year", "bibkey", "doi")}
    props["stub"] = True
    return Node(node.id, NodeType.WORK, node.label, props)


def _unresolved(slug: str, paper_id: str, number: int) -> Node:
    props: dict[str, PropValue] = {"status": "unresolved", "number": number,
                                   "cited_by": paper_id, "document": paper_id}
    return Node(ids.unresolved_reference_id(slug, number), NodeType.WORK,
                f"[{number}] (unresolved reference of {slug})", props)


def _target_for(number: int, slug: str, paper_id: str, reference_targets: dict[int, _Target],
                bib: Sequence[Node] | None) -> _Target:
    if reference_targets:
        if number in reference_targets:
            return reference_targets[number]
    elif bib and 0 < number <= len(bib):
        entry = bib[number - 1]
        return _Target(entry.id, _stub_of(entry), 1.0, "marker")
    node = _unresolved(slug, paper_id, number)
    return _Target(node.id, node, 1.0, "marker")


def _add_citations(text: str, slug: str, paper_id: str, headings: Sequence[Heading],
                   ref: Heading | None, ref_end: int, sentences: Sequence[Sentence],
                   reference_targets: dict[int, _Target], bib: Sequence[Node] | None,
                   rels: list[Relationship], nodes_by_id: dict[str, Node],
                   problems: list[Problem], file: str) -> int:
    """CITES from the section of each marker, and paper→work CITES for works cited in the text.

    Returns the number of markers found. A number that a reference list or ``bib`` exists
    for but does not contain is reported (once) and linked to a placeholder.
    """
    starts = [s.start for s in sentences]
    cited_from_text: set[str] = set()
    count = 0
    for marker in find_markers(text):
        if ref is not None and ref.start <= marker.start < ref_end:
            continue  # the "[n]" that opens a reference-list entry
        count += 1
        owner = _innermost(headings, marker.start)
        source = _section_id(slug, owner) if owner is not None else paper_id
        locator = owner.number if owner is not None else ""
        quote = _sentence_around(text, sentences, starts, marker)
        for number in marker.numbers:
            target = _target_for(number, slug, paper_id, reference_targets, bib)
            if target.node is not None and target.node.id not in nodes_by_id:
                nodes_by_id[target.node.id] = target.node
                if (reference_targets or bib) and target.node.props.get("status") == \
                        "unresolved":
                    where = "reference list" if reference_targets else "BibTeX entries"
                    problems.append(Problem(
                        file, f"marker [{number}] has no entry in the {where}; kept as an "
                        "unresolved reference", text.count("\n", 0, marker.start) + 1,
                        f"[{number}]", skipped=False))
            rels.append(Relationship(source, target.work_id, RelType.CITES, Provenance(
                paper_id, locator, marker.text_span, quote, "marker", target.confidence),
                props={"number": number}))
            if not reference_targets and target.work_id not in cited_from_text:
                # Without a reference list, the paper's own CITES come from its markers.
                cited_from_text.add(target.work_id)
                rels.append(Relationship(paper_id, target.work_id, RelType.CITES, Provenance(
                    paper_id, locator, marker.text_span, quote, "marker", target.confidence),
                    props={"number": number}))
    return count


def _sentence_around(text: str, sentences: Sequence[Sentence], starts: Sequence[int],
                     marker: Marker) -> str:
    k = bisect.bisect_right(starts, marker.start) - 1
    if k >= 0 and sentences[k].start <= marker.start < sentences[k].end:
        return quote_of(sentences[k].text)
    line_start = text.rfind("\n", 0, marker.start) + 1
    line_end = text.find("\n", marker.end)
    return quote_of(text[line_start: line_end if line_end >= 0 else len(text)])


def read_paper(path: str | os.PathLike[str], *, slug: str | None = None,
               bib: Sequence[Node] | None = None, max_chars: int = DEFAULT_MAX_CHARS
               ) -> ParsedDocument:
    """Read a text or Markdown paper (UTF-8, or UTF-16 with a byte-order mark) and parse it.

    The slug defaults to the file's stem.
    """
    text = read_text(path)
    name = str(path)
    return parse_paper(text, file=name, slug=slug or ids.slugify(Path(name).stem), bib=bib,
                       max_chars=max_chars)
