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

import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from citegraph import ids
from citegraph.errors import CitegraphError, InputError, InputTooLargeError, ParseError
from citegraph.model import GraphBatch, Node, NodeType, PropValue, Provenance, Relationship, RelType
from ingest.base import DocumentKind, ParsedDocument, Problem, Sentence
from ingest.bibtex import parse_bibtex_bytes, works_by_bibkey
from ingest.latexproject import blank, find_main_files, is_main_file, load_project, project_of
from ingest.latextext import decode_or_raw, plain_mask, plain_quote
from ingest.paper import Heading, _add_sections, _innermost, _sentences
from ingest.references import parse_reference, reference_node
from ingest.refmgr import work_stub

if TYPE_CHECKING:
    from ingest.formats import Source

#: Largest LaTeX source parsed (characters).
DEFAULT_MAX_CHARS = 5_000_000

_LEVELS = {"section": 1, "subsection": 2, "subsubsection": 3}
_SECTION = re.compile(r"\\(section|subsection|subsubsection)(\*?)\s*(?:\[[^\]]*\])?\s*\{")
#: A citation command of natbib, biblatex, apacite, harvard, ACL (``\newcite``) and the like:
#: any macro whose name has ``cite`` in it, but for those that set styles or take no key.
_CITE = re.compile(r"\\(?P<cmd>[A-Za-z]*[cC]ite[A-Za-z]*)(?P<star>\*?)")
_NOT_CITATIONS = frozenset({"setcitestyle", "citestyle", "citetext", "citeindextrue",
                            "citeindexfalse", "defcitealias", "citepunct", "citeleft",
                            "citeright", "citesetup", "citeauthorstyle", "bibliographystyle",
                            "DeclareCiteCommand", "citename", "citelist", "citefield"})
_DEFINING = re.compile(r"\\(?:newcommand|renewcommand|providecommand|def|let|"
                       r"DeclareCiteCommand|DeclareRobustCommand)\*?\s*\{?\s*$")
_OPTIONAL = re.compile(r"\s*(?:\[[^\[\]]*\]|\([^()]*\))")
_GROUP = re.compile(r"\s*\{([^{}]*)\}")
_ABSTRACT = re.compile(r"\\begin\{abstract\}")
_REFERENCES = re.compile(r"\\(?:bibliography\{[^}]*\}|printbibliography\b[^\n]*|"
                         r"begin\{thebibliography\}(?:\{[^}]*\})?)")
_BIBITEM = re.compile(r"\\bibitem\s*(?:\[[^\]]*\])?\s*\{([^}]+)\}")
_TITLE = re.compile(r"\\title\s*(?:\[[^\]]*\])?\s*\{")
_THEBIBLIOGRAPHY = re.compile(r"\\begin\{thebibliography\}.*?(?:\\end\{thebibliography\}|\Z)",
                              re.DOTALL)


@dataclass(frozen=True, slots=True)
class Citation:
    r"""One ``\cite``-family command: its keys, its span in the source and its name."""

    keys: tuple[str, ...]
    start: int
    end: int
    command: str = "cite"


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


def _key_groups(text: str, pos: int, multi: bool) -> tuple[list[str], int]:
    r"""Keys of the mandatory groups after a command (one, or each of a ``\cites``), the
    optional ``[...]``/``(...)`` arguments skipped; and where the command ends."""
    groups: list[str] = []
    while True:
        while (opt := _OPTIONAL.match(text, pos)) is not None:
            pos = opt.end()
        group = _GROUP.match(text, pos)
        if group is None:
            return groups, pos
        groups.append(group.group(1))
        pos = group.end()
        if not multi:
            return groups, pos


def _citation_at(text: str, match: re.Match[str]) -> Citation | None:
    cmd = match.group("cmd")
    if cmd in _NOT_CITATIONS or _DEFINING.search(text, max(0, match.start() - 40),
                                                 match.start()):
        return None
    multi = cmd.lower().endswith("cites") and cmd != "nocites"
    groups, end = _key_groups(text, match.end(), multi)
    keys = tuple(k.strip() for g in groups for k in g.split(",") if k.strip())
    if not keys or not all(re.fullmatch(r"[^\s{}\\%]+", k) for k in keys):
        return None
    return Citation(keys, match.start(), end, cmd)


def find_citations(text: str, *, nocite: bool = False) -> list[Citation]:
    r"""Every citation command of natbib and biblatex with its keys (optional arguments and
    multi-cite forms included), comments skipped; ``\nocite`` only with ``nocite=True``.

    >>> [c.keys for c in find_citations(r"a \cite{x, y} b % \cite{z}" "\n" r"\citet*[see][]{w}")]
    [('x', 'y'), ('w',)]
    >>> [c.keys for c in find_citations(r"\parencites(pre)(post)[p.~1]{a}[see][]{b,c} x {d}")]
    [('a', 'b', 'c')]
    """
    found = []
    for match in _CITE.finditer(text):
        if _in_comment(text, match.start()):
            continue
        citation = _citation_at(text, match)
        if citation is not None and (nocite or citation.command.lower() != "nocite"):
            found.append(citation)
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
        title = decode_or_raw(raw_title)[0]
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
    title, _ = decode_or_raw(re.sub(r"\\\\|\\thanks\{[^}]*\}", " ", raw))
    return title or None


def _bibitems(text: str) -> Iterator[tuple[str, str, int, int]]:
    r"""(key, text, start, end) of each ``\bibitem`` of a ``thebibliography`` environment."""
    items = list(_BIBITEM.finditer(text))
    for i, match in enumerate(items):
        stop = items[i + 1].start() if i + 1 < len(items) else len(text)
        end_env = text.find(r"\end{thebibliography}", match.end(), stop)
        stop = end_env if end_env >= 0 else stop
        yield match.group(1).strip(), text[match.end():stop], match.start(), stop


def _thebibliography(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _THEBIBLIOGRAPHY.finditer(text)]


@dataclass(slots=True)
class _Linker:
    """Keys to Work ids: BibTeX Works (keys matched case-insensitively, as BibTeX does),
    then ``\bibitem`` entries, else an unresolved stub; collects the nodes it needs."""

    by_key: dict[str, Node]
    items: dict[str, tuple[str, int, int]]
    extra: dict[str, Node] = field(default_factory=dict)

    @classmethod
    def of(cls, bib: Sequence[Node], text: str) -> _Linker:
        by_key = {k.lower(): n for k, n in works_by_bibkey(bib).items()}
        items = {key.lower(): (body, a, b) for key, body, a, b in _bibitems(text)}
        return cls(by_key, items)

    def target(self, key: str) -> tuple[str, bool]:
        """(Work id, linked to a reference?)."""
        known = self.by_key.get(key.lower())
        if known is not None:
            self.extra.setdefault(known.id, work_stub(known))
            return known.id, True
        if key.lower() in self.items:
            body = decode_or_raw(re.sub(r"\\newblock\b", " ", self.items[key.lower()][0]))[0]
            node = reference_node(parse_reference(body))
            node = Node(node.id, node.type, node.label, {**node.props, "bibkey": key})
            self.extra.setdefault(node.id, node)
            return node.id, True
        work = ids.work_id_from_bibkey(key)
        self.extra.setdefault(work, Node(work, NodeType.WORK, key, {
            "stub": True, "status": "unresolved", "bibkey": key}))
        return work, False


Locate = Callable[[int], tuple[str, int]]


def parse_latex_paper(text: str, *, file: str, slug: str, bib: Sequence[Node] = (),
                      max_chars: int = DEFAULT_MAX_CHARS, locate: Locate | None = None,
                      problems: Sequence[Problem] = ()) -> ParsedDocument:
    r"""Parse a LaTeX paper: sections, sentences, and CITES from each citation key.

    Comments and verbatim material are blanked first (offsets kept). A key links to the
    BibTeX Work with that key, case-insensitively (its DOI id when it has a DOI), else to
    a ``\bibitem`` of the paper's own bibliography, else to a stub Work ``work:bib:{key}``
    with ``status: "unresolved"`` that a later ``.bib`` completes. ``\nocite{*}`` cites
    every Work of ``bib``. Quotes and sentences are plain text (same offsets as the
    source). ``locate`` maps an offset to (file, line) for a project of several files.
    """
    if len(text) > max_chars:
        raise InputTooLargeError(f"LaTeX source has {len(text)} characters, over the limit "
                                 f"of {max_chars}", file=file)
    src = blank(text)
    where = locate or (lambda pos: (file, src.count("\n", 0, pos) + 1))
    paper_id = ids.work_id(slug)
    headings = find_latex_headings(src, file)
    excluded = _thebibliography(src)
    citations = [c for c in find_citations(src, nocite=True)
                 if not any(a <= c.start < b for a, b in excluded)]
    plain = plain_mask(src, [(c.start, c.end) for c in citations])
    ref = next((h for h in headings if h.number == "references"), None)
    props: dict[str, PropValue] = {"document": paper_id, "kind": "paper", "file": file,
                                   "format": "latex"}
    title = _title(src)
    if title:
        props["title"] = title
    nodes: list[Node] = [Node(paper_id, NodeType.WORK, title or slug, props)]
    rels: list[Relationship] = []
    _add_sections(plain, slug, paper_id, headings, len(src), nodes, rels)
    sentences = _sentences(plain, slug, paper_id, headings, ref, len(src))
    linker = _Linker.of(bib, src)
    found = list(problems)
    counts = _link(citations, headings, sentences, plain, paper_id, slug, linker, rels,
                   found, where)
    nodes.extend(linker.extra.values())
    summary = {"sections": sum(1 for n in nodes if n.type == NodeType.SECTION),
               "sentences": len(sentences), **counts,
               "unresolved": sum(1 for n in linker.extra.values()
                                 if n.props.get("status") == "unresolved")}
    return ParsedDocument(DocumentKind.PAPER, GraphBatch.of(paper_id, nodes, rels),
                          tuple(found), tuple(sentences), summary)


def _link(citations: Sequence[Citation], headings: Sequence[Heading],
          sentences: Sequence[Sentence], plain: str, paper_id: str, slug: str,
          linker: _Linker, rels: list[Relationship], problems: list[Problem],
          where: Locate) -> dict[str, int]:
    """CITES edges for each key of each citation; the counts of what was found."""
    cited: set[str] = set()
    reported: set[str] = set()
    keys = linked = 0
    for citation in citations:
        owner = _innermost(headings, citation.start)
        source = ids.section_id(slug, owner.number) if owner is not None else paper_id
        prov = Provenance(paper_id, owner.number if owner is not None else "",
                          (citation.start, citation.end), _quote(plain, sentences, citation),
                          "nocite" if citation.command.lower() == "nocite" else "cite-key", 1.0)
        for key in _expand_star(citation, linker):
            target, known = linker.target(key)
            if citation.command.lower() != "nocite":
                keys += 1
                linked += known
                rels.append(Relationship(source, target, RelType.CITES, prov, {"bibkey": key}))
            if not known and key.lower() not in reported:
                reported.add(key.lower())
                file, line = where(citation.start)
                problems.append(Problem(file, f"citation key {key!r} is in no bibliography",
                                        line, key, skipped=False))
            if target not in cited:
                cited.add(target)
                rels.append(Relationship(paper_id, target, RelType.CITES, prov, {"bibkey": key}))
    return {"citations": keys, "linked": linked,
            "commands": sum(1 for c in citations if c.command.lower() != "nocite")}


def _expand_star(citation: Citation, linker: _Linker) -> list[str]:
    r"""The keys of a citation; ``\nocite{*}`` is every key of the bibliography."""
    if citation.keys == ("*",):
        return sorted({str(n.props["bibkey"]) for n in linker.by_key.values()
                       if isinstance(n.props.get("bibkey"), str)})
    return list(citation.keys)


def _quote(plain: str, sentences: Sequence[Sentence], citation: Citation) -> str:
    for sentence in sentences:
        if sentence.start <= citation.start < sentence.end:
            return plain_quote(sentence.text)
    line_start = plain.rfind("\n", 0, citation.start) + 1
    line_end = plain.find("\n", citation.end)
    return plain_quote(plain[line_start: line_end if line_end >= 0 else len(plain)])


def parse_latex_project(path: str | os.PathLike[str], *, slug: str | None = None,
                        bib: Sequence[Node] = (), max_chars: int = DEFAULT_MAX_CHARS
                        ) -> ParsedDocument:
    r"""A LaTeX project — its main file, or a folder holding one — as one paper: the files
    of ``\input``/``\include``/``\subfile``/``\import`` read in place, and the ``.bib`` files
    of ``\bibliography``/``\addbibresource`` beside it linked (besides ``bib``)."""
    main = Path(path)
    if main.is_dir():
        mains = find_main_files(main)
        if len(mains) != 1:
            raise InputError(f"{len(mains)} LaTeX main files (with \\documentclass and "
                             "\\begin{document}) in this folder; name one", file=str(main))
        main = mains[0]
    project = load_project(main, max_chars)
    works = list(bib)
    problems = list(project.problems)
    for bib_file in project.bib_files:
        try:
            parsed = parse_bibtex_bytes(bib_file.read_bytes(), file=str(bib_file))
        except CitegraphError as exc:
            problems.append(Problem(str(bib_file), f"bibliography not loaded: {exc.message}"))
            continue
        works.extend(n for n in parsed.batch.nodes if n.type == NodeType.WORK)
    name = slug or project_slug(main)
    return parse_latex_paper(project.text, file=str(main), slug=name, bib=works,
                             max_chars=max_chars, locate=project.locate, problems=problems)


def read_latex(source: Source) -> ParsedDocument:
    r"""Registry adapter: a main file on disk is read as its whole project; a file that a
    main file nearby includes is read with that project (this file gives nothing of its own
    and says so); anything else is one standalone paper."""
    if source.path is None:
        return parse_latex_paper(source.text(), file=source.name, slug=source.slug,
                                 bib=source.bib)
    if is_main_file(source.text()):
        return parse_latex_project(source.path, bib=source.bib)
    main = project_of(source.path)
    if main is None:
        return parse_latex_paper(source.text(), file=source.name, slug=source.slug,
                                 bib=source.bib)
    note = Problem(source.name, f"part of the LaTeX project of {main.name} ({main.parent}); "
                                "read with it", skipped=False)
    return ParsedDocument(DocumentKind.PAPER, GraphBatch.of(ids.work_id(project_slug(main)),
                                                            (), ()), (note,))


def project_slug(main: Path) -> str:
    """A project's name: its folder's when the main file is just ``main.tex``."""
    return ids.slugify(main.parent.name if main.stem.lower() == "main" else main.stem)


def latex_text(source: Source) -> str:
    """The text a LaTeX paper's offsets index: its project expanded and blanked (comments
    and verbatim as spaces), or the file alone."""
    if source.path is not None and is_main_file(source.text()):
        return load_project(source.path).text
    return blank(source.text())
