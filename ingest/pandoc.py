"""Pandoc Markdown: ``[@key]``, ``[see @a; @b, p. 3]``, ``[-@key]`` and in-text ``@key``
citations, linked to the bibliography its YAML front matter names (or a ``.json``/``.bib``
/``.yaml`` of the same stem beside it).

Code (fenced blocks, inline spans) and the front matter are blanked first (offsets kept),
so a ``[@key]`` shown as an example is no citation; an e-mail address is none either.

Examples
--------
>>> [c.keys for c in find_pandoc_citations(
...     "As [see @doe2001, p. 3; -@roe99] and @kim_2020 say; mail a@b.org. `[@code]`")]
[('doe2001', 'roe99'), ('kim_2020',)]
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from citegraph import ids
from citegraph.errors import CitegraphError
from citegraph.model import Node, NodeType
from ingest.base import ParsedDocument, Problem
from ingest.citedpaper import Cite, HeadingSpan, cited_paper
from ingest.refmgr import work_stub
from ingest.textio import decode_text

if TYPE_CHECKING:
    from ingest.formats import Source

_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_FENCE = re.compile(r"(?ms)^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]*\1[ \t]*$|\Z)")
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_HEADING = re.compile(r"(?m)^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_KEY = r"(?:\{(?P<braced>[^{}]+)\}|(?P<key>[\w][\w:.#$%&\-+?<>~/]*[\w]|\w))"
_BRACKETED = re.compile(r"(?<!\\)\[(?P<body>[^\[\]]*?@[^\[\]]*?)\](?!\()")
_IN_BRACKET = re.compile(r"(?:^|[\s;])-?@" + _KEY)
_IN_TEXT = re.compile(r"(?<![\w@\\\[])@" + _KEY)


@dataclass(frozen=True, slots=True)
class PandocCitation:
    keys: tuple[str, ...]
    start: int
    end: int


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def blank_code(text: str) -> str:
    """Front matter, fenced code and inline code as spaces (same length)."""
    text = _FRONT.sub(_blank, text, count=1)
    text = _FENCE.sub(_blank, text)
    return _CODE_SPAN.sub(_blank, text)


def _keys(pattern: re.Pattern[str], text: str) -> tuple[str, ...]:
    return tuple(m.group("braced") or m.group("key") for m in pattern.finditer(text))


def find_pandoc_citations(text: str) -> list[PandocCitation]:
    """Bracketed citation groups and in-text citations, in order; code skipped."""
    clean = blank_code(text)
    found: list[PandocCitation] = []
    covered: list[tuple[int, int]] = []
    for match in _BRACKETED.finditer(clean):
        keys = _keys(_IN_BRACKET, match.group("body"))
        if keys:
            found.append(PandocCitation(keys, match.start(), match.end()))
            covered.append((match.start(), match.end()))
    for match in _IN_TEXT.finditer(clean):
        if not any(a <= match.start() < b for a, b in covered):
            found.append(PandocCitation((match.group("braced") or match.group("key"),),
                                        match.start(), match.end()))
    return sorted(found, key=lambda c: c.start)


def front_matter(text: str) -> dict[str, Any]:
    match = _FRONT.match(text)
    if not match:
        return {}
    try:
        value = yaml.safe_load(match.group(1).replace("\t", "  "))
    except yaml.YAMLError:
        return {}
    return value if isinstance(value, dict) else {}


def _unresolved(key: str) -> Node:
    return Node(ids.work_id_from_bibkey(key), NodeType.WORK, key,
                {"stub": True, "status": "unresolved", "bibkey": key})


def _key_table(bib: list[Node]) -> dict[str, Node]:
    by_key: dict[str, Node] = {}
    for node in bib:
        keys = node.props.get("bibkeys") or [node.props.get("bibkey")]
        for key in keys if isinstance(keys, list) else []:
            if isinstance(key, str):
                by_key.setdefault(key, node)
                by_key.setdefault(key.lower(), node)
    return by_key


def parse_pandoc(text: str, *, file: str, slug: str | None = None, bib: list[Node] | None = None,
                 problems: list[Problem] | None = None) -> ParsedDocument:
    """A Pandoc Markdown paper: ATX headings, and one CITES edge per cited key to the Work
    of that key in ``bib`` (else an unresolved stub, reported)."""
    clean = blank_code(text)
    headings = [HeadingSpan(len(m.group(1)), " ".join(m.group(2).split()), m.start(), m.end())
                for m in _HEADING.finditer(clean)]
    by_key = _key_table(bib or [])
    reported = list(problems or [])
    cites = []
    for citation in find_pandoc_citations(text):
        works = []
        for key in citation.keys:
            known = by_key.get(key) or by_key.get(key.lower())
            node = known if known is not None else _unresolved(key)
            if known is None and not any(p.place == key for p in reported):
                reported.append(Problem(file, f"citation key {key!r} is in no bibliography",
                                        text.count("\n", 0, citation.start) + 1, key,
                                        skipped=False))
            works.append((work_stub(node) if not node.is_stub else node, key))
        cites.append(Cite(citation.start, citation.end, tuple(works), "pandoc"))
    meta = front_matter(text)
    title = meta.get("title") if isinstance(meta.get("title"), str) else None
    doc = cited_paper(text, headings, cites, file=file, slug=slug or Path(file).stem,
                      title=title, fmt="pandoc", problems=reported)
    linked = sum(1 for c in cites for w, _ in c.works if w.props.get("status") != "unresolved")
    return ParsedDocument(doc.kind, doc.batch, doc.problems, doc.sentences,
                          {**doc.summary, "linked": linked})


def bibliography_beside(path: Path, text: str) -> tuple[list[Node], list[Problem]]:
    """The Works of the bibliography the front matter names (resolved beside the file), or
    of a ``.json``/``.bib``/``.yaml``/``.yml`` with the file's stem."""
    named = front_matter(text).get("bibliography") or []
    names = [named] if isinstance(named, str) else [n for n in named if isinstance(n, str)]
    candidates = [path.parent / n for n in names if (path.parent / n).is_file()]
    if not candidates:
        candidates = [p for s in (".json", ".bib", ".yaml", ".yml")
                      if (p := path.with_suffix(s)).is_file()]
    works: list[Node] = []
    problems: list[Problem] = []
    for candidate in candidates:
        try:
            works.extend(n for n in _read_bibliography(candidate).batch.nodes
                         if n.type is NodeType.WORK)
        except CitegraphError as exc:
            problems.append(Problem(str(candidate), f"bibliography not loaded: {exc.message}"))
    if names and not candidates:
        problems.append(Problem(str(path), f"bibliography {', '.join(names)} not found"))
    return works, problems


def _read_bibliography(path: Path) -> ParsedDocument:
    data = path.read_bytes()
    if path.suffix.lower() == ".json":
        from ingest.refmgr_csl import parse_csl_json, parse_zotero_json

        zotero = data.lstrip()[:1] == b"{" and b'"items"' in data[:200_000]
        return (parse_zotero_json if zotero else parse_csl_json)(data, file=str(path))
    if path.suffix.lower() in (".yaml", ".yml"):
        from ingest.refmgr_csl import parse_csl_yaml

        return parse_csl_yaml(data, file=str(path))
    from ingest.bibtex import parse_bibtex_bytes

    return parse_bibtex_bytes(data, file=str(path))


def read_pandoc(path: str | os.PathLike[str]) -> ParsedDocument:
    """Read a Pandoc Markdown file with the bibliography beside it."""
    p = Path(path)
    text = decode_text(p.read_bytes(), str(p))
    works, problems = bibliography_beside(p, text)
    return parse_pandoc(text, file=str(p), bib=works, problems=problems)


def read_pandoc_markdown(source: Source) -> ParsedDocument:
    """Registry adapter: the bibliography beside the file on disk, else the one given."""
    text = source.text()
    works, problems = (bibliography_beside(source.path, text) if source.path is not None
                       else ([], []))
    return parse_pandoc(text, file=source.name, slug=source.slug,
                        bib=works or list(source.bib), problems=problems)
