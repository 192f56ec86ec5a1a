r"""LaTeX papers: ``\section`` structure and ``\cite`` keys linked straight to BibTeX Works.

Offsets index the LaTeX source itself (the decoded text), like every other reader.

Examples
--------
>>> bib = [Node("work:bib:doe01", NodeType.WORK, "T", {"bibkey": "doe01"})]
>>> src = r"\title{On Graphs}\section{Intro}Known \citep[p.~2]{doe01}. Not \cite{zz}."
>>> doc = parse_latex_paper(src, file="p.tex", slug="p", bib=bib)
>>> sorted(r.target for r in doc.batch.relationships if r.source == "section:p/1")
['work:bib:doe01', 'work:bib:zz']
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from citegraph import ids
from citegraph.errors import InputTooLargeError, ParseError
from citegraph.model import GraphBatch, Node, NodeType, PropValue, Provenance, Relationship, RelType
from ingest.base import DocumentKind, ParsedDocument, Problem, Sentence
from ingest.bibtex import works_by_bibkey
from ingest.latextext import decode_latex
from ingest.paper import Heading, _add_sections, _innermost, _sentences, quote_of
from ingest.references import parse_reference, reference_node

#: Largest LaTeX source parsed (characters).
DEFAULT_MAX_CHARS = 5_000_000

_LEVELS = {"section": 1, "subsection": 2, "subsubsection": 3}
_SECTION = re.compile(r"\\(section|subsection|subsubsection)(\*?)\s*(?:\[[^\]]*\])?\s*\{")
_CITE = re.compile(
    r"\\(?:cite|citep|citet|citealp|citealt|citeauthor|citeyear|citeyearpar|parencite|"
    r"textcite|autocite|footcite|supercite|Cite|Citep|Citet|Textcite|Parencite)\*?"
    r"\s*(?:\[[^\]]*\]\s*){0,2}\{([^{}]*)\}")
_ABSTRACT = re.compile(r"\\begin\{abstract\}")
_REFERENCES = re.compile(r"\\(?:bibliography\{[^}]*\}|printbibliography\b[^\n]*|"
                         r"begin\{thebibliography\}(?:\{[^}]*\})?)")
_BIBITEM = re.compile(r"\\bibitem\s*(?:\[[^\]]*\])?\s*\{([^}]+)\}")
_TITLE = re.compile(r"\\title\s*(?:\[[^\]]*\])?\s*\{")


@dataclass(frozen=True, slots=True)
class Citation:
    r"""One ``\cite``-family command: its keys and its span in the source."""

    keys: tuple[str, ...]
    start: int
    end: int


def _braced(text: str, open_brace: int) -> tuple[str, int]:
    """Content of the brace group opening at ``open_brace`` and the offset after it."""
    depth, i = 0, open_brace
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return text[open_brace + 1:i], i + 1
        i += 1
    raise ParseError("unbalanced braces", line=text.count("\n", 0, open_brace) + 1)


def _in_comment(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    return re.search(r"(?<!\\)%", text[line_start:pos]) is not None


def find_citations(text: str) -> list[Citation]:
    r"""``\cite``, ``\citep``, ``\citet`` (and biblatex forms) with their keys, comments skipped.

    >>> [c.keys for c in find_citations(r"a \cite{x, y} b % \cite{z}" "\n" r"\citet*[see][]{w}")]
    [('x', 'y'), ('w',)]
    """
    found = []
    for match in _CITE.finditer(text):
        if _in_comment(text, match.start()):
            continue
        keys = tuple(k.strip() for k in match.group(1).split(",") if k.strip())
        if keys and keys != ("*",):
            found.append(Citation(keys, match.start(), match.end()))
    return found


def find_latex_headings(text: str, file: str = "<input>") -> list[Heading]:
    r"""Abstract, ``\section``-family headings (numbered as LaTeX would) and the bibliography.

    >>> [(h.number, h.title) for h in find_latex_headings(
    ...     r"\section{A}\subsection{B}\section*{Notes}\section{C \& D}")]
    [('1', 'A'), ('1.1', 'B'), ('notes', 'Notes'), ('2', 'C & D')]
    """
    headings: list[Heading] = []
    counters = [0, 0, 0]
    for match in _ABSTRACT.finditer(text):
        if not _in_comment(text, match.start()):
            headings.append(Heading("abstract", "Abstract", 1, match.start(), match.end(),
                                    match.end(), False))
            break
    for match in _SECTION.finditer(text):
        if _in_comment(text, match.start()):
            continue
        try:
            raw_title, end = _braced(text, match.end() - 1)
        except ParseError as exc:
            raise ParseError(f"unbalanced braces in \\{match.group(1)}", file=file,
                             line=exc.line) from exc
        title = decode_latex(raw_title)
        level = _LEVELS[match.group(1)]
        if match.group(2) == "*":
            number = "references" if re.fullmatch(r"(?i)references|bibliography",
                                                  title) else ids.slugify(title, 60)
            headings.append(Heading(number, title, 1 if number == "references" else level,
                                    match.start(), end, end, False))
            continue
        counters[level - 1] += 1
        for deeper in range(level, 3):
            counters[deeper] = 0
        number = ".".join(str(c) for c in counters[:level])
        headings.append(Heading(number, title, level, match.start(), end, end))
    if not any(h.number == "references" for h in headings):
        for match in _REFERENCES.finditer(text):
            if not _in_comment(text, match.start()):
                headings.append(Heading("references", "References", 1, match.start(),
                                        match.end(), match.end(), False))
                break
    return sorted(headings, key=lambda h: h.start)


def _title(text: str) -> str | None:
    match = _TITLE.search(text)
    if not match:
        return None
    try:
        raw, _ = _braced(text, match.end() - 1)
    except ParseError:
        return None
    title = decode_latex(re.sub(r"\\\\|\\thanks\{[^}]*\}", " ", raw))
    return title or None


def _bibitems(text: str) -> Iterator[tuple[str, str, int, int]]:
    r"""(key, text, start, end) of each ``\bibitem`` of a ``thebibliography`` environment."""
    items = list(_BIBITEM.finditer(text))
    for i, match in enumerate(items):
        stop = items[i + 1].start() if i + 1 < len(items) else len(text)
        end_env = text.find(r"\end{thebibliography}", match.end(), stop)
        stop = end_env if end_env >= 0 else stop
        yield match.group(1).strip(), text[match.end():stop], match.start(), stop


def parse_latex_paper(text: str, *, file: str, slug: str, bib: Sequence[Node] = (),
                      max_chars: int = DEFAULT_MAX_CHARS) -> ParsedDocument:
    r"""Parse a LaTeX paper: sections, sentences, and CITES from each ``\cite`` key.

    A key links to the BibTeX Work with that ``bibkey`` (its DOI id when it has a DOI), else
    to a ``\bibitem`` of the paper's own bibliography, else to a stub Work
    ``work:bib:{key}`` with ``status: "unresolved"`` that a later ``.bib`` completes.
    """
    if len(text) > max_chars:
        raise InputTooLargeError(f"LaTeX source has {len(text)} characters, over the limit "
                                 f"of {max_chars}", file=file)
    paper_id = ids.work_id(slug)
    headings = find_latex_headings(text, file)
    ref = next((h for h in headings if h.number == "references"), None)
    ref_end = len(text)
    props: dict[str, PropValue] = {"document": paper_id, "kind": "paper", "file": file,
                                   "format": "latex"}
    title = _title(text)
    if title:
        props["title"] = title
    nodes: list[Node] = [Node(paper_id, NodeType.WORK, title or slug, props)]
    rels: list[Relationship] = []
    _add_sections(text, slug, paper_id, headings, ref_end, nodes, rels)
    sentences = _sentences(text, slug, paper_id, headings, ref, ref_end)

    by_key = works_by_bibkey(bib)
    items = {key: (body, a, b) for key, body, a, b in _bibitems(text)}
    extra: dict[str, Node] = {}
    problems: list[Problem] = []
    cited: set[str] = set()
    citations = [c for c in find_citations(text) if ref is None or c.start < ref.start]
    for citation in citations:
        owner = _innermost(headings, citation.start)
        source = ids.section_id(slug, owner.number) if owner is not None else paper_id
        locator = owner.number if owner is not None else ""
        quote = _quote(text, sentences, citation)
        for key in citation.keys:
            target = _target(key, by_key, items, extra)
            if extra.get(target) is not None and extra[target].props.get("status") == \
                    "unresolved" and not any(p.place == key for p in problems):
                problems.append(Problem(file, f"citation key {key!r} is in no bibliography",
                                        text.count("\n", 0, citation.start) + 1, key,
                                        skipped=False))
            prov = Provenance(paper_id, locator, (citation.start, citation.end), quote,
                              "cite-key", 1.0)
            rels.append(Relationship(source, target, RelType.CITES, prov, {"bibkey": key}))
            if target not in cited:
                cited.add(target)
                rels.append(Relationship(paper_id, target, RelType.CITES, prov, {"bibkey": key}))
    nodes.extend(extra.values())
    summary = {"sections": sum(1 for n in nodes if n.type == NodeType.SECTION),
               "citations": len(citations), "sentences": len(sentences),
               "unresolved": sum(1 for n in extra.values()
                                 if n.props.get("status") == "unresolved")}
    return ParsedDocument(DocumentKind.PAPER, GraphBatch.of(paper_id, nodes, rels),
                          tuple(problems), tuple(sentences), summary)


def _target(key: str, by_key: dict[str, Node], items: dict[str, tuple[str, int, int]],
            extra: dict[str, Node]) -> str:
    """The Work id a key links to, adding the node it needs (a stub or a bibitem Work)."""
    known = by_key.get(key)
    if known is not None:
        if known.id not in extra:
            stub_props: dict[str, PropValue] = {
                k: v for k, v in known.props.items() if k in ("title", "year", "bibkey", "doi")}
            stub_props["stub"] = True
            extra[known.id] = Node(known.id, NodeType.WORK, known.label, stub_props)
        return known.id
    if key in items:
        body = decode_latex(re.sub(r"\\newblock\b", " ", items[key][0]))
        node = reference_node(parse_reference(body))
        node = Node(node.id, node.type, node.label, {**node.props, "bibkey": key})
        extra.setdefault(node.id, node)
        return node.id
    work = ids.work_id_from_bibkey(key)
    extra.setdefault(work, Node(work, NodeType.WORK, key, {
        "stub": True, "status": "unresolved", "bibkey": key}))
    return work


def _quote(text: str, sentences: Sequence[Sentence], citation: Citation) -> str:
    for sentence in sentences:
        if sentence.start <= citation.start < sentence.end:
            return quote_of(sentence.text)
    line_start = text.rfind("\n", 0, citation.start) + 1
    line_end = text.find("\n", citation.end)
    return quote_of(text[line_start: line_end if line_end >= 0 else len(text)])
