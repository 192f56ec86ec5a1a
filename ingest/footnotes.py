"""Footnotes in Markdown syntax: calls ``[^n]`` and definitions ``[^n]: text``.

Markdown papers write them so; the PDF and HTML readers render their footnotes the same
way (:mod:`ingest.pdflayout`, :mod:`ingest.html`), so this is the one place footnotes are
found. :func:`footnote_graph` turns them into the graph: a node per footnote (its number,
text and calling sentence), and a CITES edge from the section of each call to every work
the footnote cites (:mod:`ingest.footcites`), with the calling sentence and the footnote
text as provenance.

Examples
--------
>>> text = ("Courts differ.[^1] They do.[^2]\\n\\n"
...         "[^1]: See Roe v. Wade, 410 U.S. 113 (1973).\\n[^2]: Id.\\n")
>>> calls, notes = find_footnotes(text)
>>> [(c.label, text[c.start:c.end]) for c in calls]
[('1', '[^1]'), ('2', '[^2]')]
>>> [(n.label, n.text) for n in notes]
[('1', 'See Roe v. Wade, 410 U.S. 113 (1973).'), ('2', 'Id.')]
>>> plain("Courts differ.[^1] They do.")
'Courts differ. They do.'
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from citegraph.model import Node, NodeType, PropValue, Provenance, Relationship, RelType
from ingest.base import Problem
from ingest.footcites import FootnoteCitation, parse_footnote, resolve_footnotes

_DEFINITION = re.compile(r"^[ ]{0,3}\[\^(?P<label>[^\]\s]{1,20})\]:[ \t]*(?P<text>.*)$",
                         re.MULTILINE)
_CALL = re.compile(r"\[\^(?P<label>[^\]\s]{1,20})\]")
_CONTINUATION = re.compile(r"\n(?:[ ]{2,}|\t)(?=\S)")


@dataclass(frozen=True, slots=True)
class FootnoteCall:
    label: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote's definition: ``start``/``end`` span the whole definition, ``text`` is
    its text (continuation lines joined)."""

    label: str
    text: str
    start: int
    end: int

    @property
    def number(self) -> int | None:
        return int(self.label) if self.label.isdigit() else None


def _definition_end(text: str, end: int) -> int:
    """A definition runs on over indented continuation lines."""
    while (match := _CONTINUATION.match(text, end)) is not None:
        line_end = text.find("\n", match.end())
        end = len(text) if line_end < 0 else line_end
    return end


def find_footnotes(text: str) -> tuple[list[FootnoteCall], list[Footnote]]:
    """The footnote calls and definitions of ``text``, in order, with their offsets."""
    notes: list[Footnote] = []
    for match in _DEFINITION.finditer(text):
        end = _definition_end(text, match.end())
        body = " ".join(text[match.start("text"):end].split())
        notes.append(Footnote(match.group("label"), body, match.start(), end))
    calls = []
    spans = [(n.start, n.end) for n in notes]
    k = 0
    for match in _CALL.finditer(text):
        while k < len(spans) and spans[k][1] <= match.start():
            k += 1
        if k < len(spans) and spans[k][0] <= match.start():
            continue  # a call inside a footnote is the footnote's own text
        calls.append(FootnoteCall(match.group("label"), match.start(), match.end()))
    return calls, notes


def plain(text: str) -> str:
    """``text`` without footnote calls, whitespace collapsed: a quote for provenance."""
    return " ".join(_CALL.sub("", text).split())


def in_definitions(notes: Sequence[Footnote]) -> Callable[[int], bool]:
    """A test of whether an offset falls in one of ``notes`` (footnote text, not body)."""
    starts = [n.start for n in notes]

    def test(offset: int) -> bool:
        k = bisect.bisect_right(starts, offset) - 1
        return k >= 0 and offset < notes[k].end

    return test


@dataclass(frozen=True, slots=True)
class Context:
    """What the footnote stage needs of the paper: ids, and the section and calling
    sentence of an offset."""

    paper_id: str
    slug: str
    file: str
    owner: Callable[[int], tuple[str, str]]  # offset -> (section id, locator)
    sentence: Callable[[int, int], str]  # call span -> calling sentence (plain)
    line: Callable[[int], int]  # offset -> line number, for problems


def _work_node(cite: FootnoteCitation) -> Node:
    props: dict[str, PropValue] = {"kind": cite.kind, "citation": cite.label, "stub": True}
    for name in ("year", "title", "author"):
        value = getattr(cite, name)
        if value:
            props[name] = value
    return Node(f"work:{cite.key}", NodeType.WORK, cite.label[:200] or cite.key, props)


def footnote_graph(calls: Sequence[FootnoteCall], notes: Sequence[Footnote], ctx: Context
                   ) -> tuple[list[Node], list[Relationship], list[Problem]]:
    """Footnote nodes, CITES edges (section -> cited work, paper -> cited work) and the
    problems: a call without a footnote, a short form that points back to nothing."""
    by_label = {n.label: n for n in notes}
    parsed = resolve_footnotes([(n.number or 0, parse_footnote(n.text)) for n in notes])
    cites = {n.label: c for n, (_, c) in zip(notes, parsed, strict=True)}
    nodes: dict[str, Node] = {}
    rels: list[Relationship] = []
    problems: list[Problem] = []
    cited: set[str] = set()
    line = ctx.line
    for call in calls:
        note = by_label.get(call.label)
        if note is None:
            problems.append(Problem(ctx.file, f"footnote call [^{call.label}] has no footnote "
                                    "text", line(call.start), f"[^{call.label}]", False))
            continue
        source, locator = ctx.owner(call.start)
        sentence = ctx.sentence(call.start, call.end)
        note_id = f"section:{ctx.slug}/fn{note.label}"
        if note_id not in nodes:
            nodes[note_id] = _note_node(note_id, note, sentence, ctx.paper_id)
            rels.append(Relationship(note_id, source, RelType.PART_OF, Provenance(
                ctx.paper_id, f"fn{note.label}", (call.start, call.end), sentence, "footnote")))
        for cite in cites[note.label]:
            if not cite.key:
                continue
            work = _work_node(cite)
            nodes.setdefault(work.id, work)
            props: dict[str, PropValue] = {"footnote": note.label, "footnote_text": note.text,
                                           "citation": cite.text, "kind": cite.kind}
            if cite.signal:
                props["signal"] = cite.signal
            confidence = 0.8 if cite.short else 0.9
            rels.append(Relationship(source, work.id, RelType.CITES, Provenance(
                ctx.paper_id, locator, (call.start, call.end), sentence, "footnote",
                confidence), props=props))
            if work.id not in cited:
                cited.add(work.id)
                rels.append(Relationship(ctx.paper_id, work.id, RelType.CITES, Provenance(
                    ctx.paper_id, f"fn{note.label}", (note.start, note.end), note.text,
                    "footnote", confidence), props=props))
    problems.extend(_unresolved(notes, cites, ctx.file, line))
    return list(nodes.values()), rels, problems


def _note_node(note_id: str, note: Footnote, sentence: str, paper_id: str) -> Node:
    props: dict[str, PropValue] = {"kind": "footnote", "number": note.label, "text": note.text,
                                   "calling_sentence": sentence, "document": paper_id,
                                   "span": [note.start, note.end]}
    return Node(note_id, NodeType.SECTION, f"Footnote {note.label}", props)


def _unresolved(notes: Sequence[Footnote], cites: dict[str, tuple[FootnoteCitation, ...]],
                file: str, line: Callable[[int], int]) -> list[Problem]:
    problems = []
    for note in notes:
        for cite in cites[note.label]:
            if cite.short and not cite.resolved:
                problems.append(Problem(file, f"footnote {note.label}: short form "
                                        f"{cite.text[:60]!r} points back to no earlier "
                                        "citation", line(note.start), f"fn{note.label}",
                                        False))
    return problems
