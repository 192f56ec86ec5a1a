"""A paper from its plain text, headings and exact citations: the graph of the readers
whose citations name their works outright (Word citation fields, Pandoc ``[@key]``).

Examples
--------
>>> work = Node("work:bib:k", NodeType.WORK, "T", {"stub": True, "bibkey": "k"})
>>> text = "Intro\\n\\nAs shown (Doe 2001)."
>>> doc = cited_paper(text, [HeadingSpan(1, "Intro", 0, 5)],
...                   [Cite(18, 29, ((work, "k"),), "field")], file="p.docx", slug="p")
>>> sorted((r.source, r.provenance.quote) for r in doc.batch.relationships
...        if r.type == "CITES" and r.target == "work:bib:k")
[('section:p/1', 'As shown (Doe 2001).'), ('work:p', 'As shown (Doe 2001).')]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from citegraph import ids
from citegraph.model import GraphBatch, Node, NodeType, PropValue, Provenance, Relationship, RelType
from citegraph.text import iter_sentences
from ingest.base import DocumentKind, ParsedDocument, Problem, Sentence


@dataclass(frozen=True, slots=True)
class HeadingSpan:
    """A heading: its level (1 = top), title and span in the text."""

    level: int
    title: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Cite:
    """A citation at ``[start, end)``: the Works it names (with the key it used) and how it
    was found (``zotero-field``, ``pandoc``...)."""

    start: int
    end: int
    works: tuple[tuple[Node, str], ...]
    method: str
    locator: str = ""


def _numbers(headings: Sequence[HeadingSpan]) -> list[str]:
    """Numbers as a word processor would show them: ``1``, ``1.1``, ``2``..."""
    counters = [0] * 9
    numbers = []
    for heading in headings:
        level = max(1, min(heading.level, 9))
        counters[level - 1] += 1
        counters[level:] = [0] * (9 - level)
        numbers.append(".".join(str(c) for c in counters[:level]))
    return numbers


def _quote(text: str, start: int) -> str:
    """The paragraph around an offset, one line, no angle-bracket markup."""
    a = text.rfind("\n\n", 0, start) + 1
    b = text.find("\n\n", start)
    paragraph = " ".join(text[a: b if b >= 0 else len(text)].split())
    return re.sub(r"<([^<>]*)>", r"\1", paragraph)[:1000]


def _owner(starts: Sequence[int], offset: int) -> int:
    found = -1
    for k, start in enumerate(starts):
        if start <= offset:
            found = k
    return found


def cited_paper(text: str, headings: Sequence[HeadingSpan], cites: Sequence[Cite], *,
                file: str, slug: str, title: str | None = None, fmt: str = "",
                problems: Sequence[Problem] = ()) -> ParsedDocument:
    """The paper Work, a Section per heading (numbered by level), a sentence list, and a
    CITES edge from the innermost section (and once from the paper) per cited Work."""
    paper_id = ids.work_id(slug)
    props: dict[str, PropValue] = {"document": paper_id, "kind": "paper", "file": file,
                                   "format": fmt}
    if title:
        props["title"] = title
    nodes: dict[str, Node] = {paper_id: Node(paper_id, NodeType.WORK, title or slug, props)}
    rels: list[Relationship] = []
    sections = [ids.section_id(slug, n) for n in _numbers(headings)]
    for order, (heading, sid) in enumerate(zip(headings, sections, strict=True), 1):
        number = sid.rsplit("/", 1)[1]
        nodes[sid] = Node(sid, NodeType.SECTION, f"{number} {heading.title}", {
            "number": number, "title": heading.title, "order": order, "level": heading.level,
            "span": [heading.start, heading.end], "document": paper_id})
        rels.append(Relationship(paper_id, sid, RelType.HAS_SECTION, Provenance(
            paper_id, number, (heading.start, heading.end), heading.title, "structure")))
    starts = [h.start for h in headings]
    cited: set[str] = set()
    for cite in cites:
        k = _owner(starts, cite.start)
        source = sections[k] if k >= 0 and not cite.locator else paper_id
        locator = cite.locator or (sections[k].rsplit("/", 1)[1] if k >= 0 else "")
        prov = Provenance(paper_id, locator, (cite.start, cite.end), _quote(text, cite.start),
                          cite.method, 1.0)
        for work, key in cite.works:
            nodes.setdefault(work.id, work)
            rels.append(Relationship(source, work.id, RelType.CITES, prov, {"bibkey": key}))
            if work.id not in cited:
                cited.add(work.id)
                rels.append(Relationship(paper_id, work.id, RelType.CITES, prov,
                                         {"bibkey": key}))
    sentences = _sentences(text, starts, sections, paper_id)
    summary = {"sections": len(sections), "sentences": len(sentences),
               "citations": sum(len(c.works) for c in cites), "fields": len(cites)}
    return ParsedDocument(DocumentKind.PAPER, GraphBatch.of(paper_id, nodes.values(), rels),
                          tuple(problems), tuple(sentences), summary)


def _sentences(text: str, starts: Sequence[int], sections: Sequence[str],
               paper_id: str) -> list[Sentence]:
    out = []
    bounds = [*starts, len(text)]
    for k, sid in enumerate(sections):
        for a, b in iter_sentences(text, bounds[k], bounds[k + 1]):
            out.append(Sentence(text[a:b], a, b, sid, sid.rsplit("/", 1)[1]))
    if not sections:
        out = [Sentence(text[a:b], a, b, paper_id, "")
               for a, b in iter_sentences(text, 0, len(text))]
    return out
