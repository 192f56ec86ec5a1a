"""Plain-text and Markdown statutes and treaties: articles, metadata and cross-references.

:func:`parse_legal_text` is pure (text in, :class:`~ingest.base.ParsedDocument` out);
:func:`read_legal_text` opens a file. The stages: structure
(:func:`ingest.legal_structure.parse_structure`: title, metadata, articles) -> identity
(catalog, else the title's identifier, :mod:`ingest.identifiers`, else derived) -> articles
and their sentences -> cross-references (:mod:`ingest.crossrefs`) -> the graph (REFERS_TO,
INTERPRETS, AMENDS with dates).

Example
-------
>>> doc = parse_legal_text("# 某法\\n\\n第一条 总则。\\n\\n第二条 依照第一条处理。\\n",
...                        file="x.md")
>>> [n.props["number"] for n in doc.batch.nodes if n.type == "Article"]
['1', '2']
>>> [r.props["target_eid"] for r in doc.batch.relationships if r.type == "REFERS_TO"]
['art_1']
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from citegraph import ids
from citegraph.errors import LegalTextError
from citegraph.model import (
    GraphBatch,
    Node,
    NodeType,
    Props,
    Provenance,
    Relationship,
    RelType,
)
from citegraph.text import HAN, STATUTE, STATUTE_CJK
from citegraph.text import split_sentences as _split_sentences
from ingest.base import DocumentKind, ParsedDocument, Problem, Sentence
from ingest.crossrefs import (
    GENERIC_NAME,
    CrossRef,
    MarkdownLink,
    amended_references,
    find_chinese_references,
    find_english_references,
    find_link_instruments,
    markdown_links,
    mask_markdown_links,
    title_case,
)
from ingest.identifiers import identify
from ingest.legal_structure import LegalStructure, parse_structure
from ingest.textio import read_text

Resolver = Callable[[str], str | None]

_OPTIONAL = re.compile(r"\bOptional\s+", re.IGNORECASE)
_VALID_IRI = re.compile(r"^/[^\s\x00-\x1f#]{1,1000}$")
#: Article text kept on the node (the span locates the rest).
MAX_ARTICLE_TEXT = 20_000

#: The title of a text that amends another (its article numbers are the other's).
_AMENDING = re.compile(r"修正案|关于修改")

# --- sentences -------------------------------------------------------------------------

def split_sentences(text: str, start: int, end: int, chinese: bool) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` (offsets into ``text``): lines, then punctuation.

    >>> t = "1. States Parties shall act. They shall report.\\n2. Next."
    >>> [t[s:e] for s, e in split_sentences(t, 0, len(t), False)]
    ['1. States Parties shall act.', 'They shall report.', '2. Next.']
    """
    return _split_sentences(text, start, end, STATUTE_CJK if chinese else STATUTE)


# --- the graph -------------------------------------------------------------------------

_LEADING_DESIGNATOR = re.compile(
    r"(?:[A-Z][A-Za-z]*\s+)?(?:Convention|Protocol|Recommendation)\s+No\.?\s*\d{1,3}(?!\d)")


@dataclass
class _Builder:
    file: str
    text: str
    iri: str
    instrument: str
    title: str
    interpretation: bool
    resolve: Resolver
    nodes: dict[str, Node] = field(default_factory=dict)
    rels: dict[tuple[str, str, str, str], Relationship] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    own_eids: set[str] = field(default_factory=set)
    numbers: tuple[str, ...] = ()  # the text's own article numbers, in order
    amending: bool = False  # the text amends another (修正案, 关于修改…的决定)
    date: str | None = None
    unresolved: int = 0
    references: int = 0
    resolved: dict[str, str | None] = field(default_factory=dict)

    def add_node(self, node: Node) -> None:
        existing = self.nodes.get(node.id)
        if existing is None or (existing.is_stub and not node.is_stub):
            self.nodes[node.id] = node

    def add_stub(self, node_id: str, node_type: NodeType, label: str, props: Props) -> None:
        """Add a stub node unless a node with that id is already there."""
        if node_id not in self.nodes:
            self.nodes[node_id] = Node(node_id, node_type, label, props)

    def add_rel(self, rel: Relationship) -> None:
        self.rels.setdefault(rel.identity, rel)

    def resolve_name(self, name: str) -> str | None:
        if name not in self.resolved:
            self.resolved[name] = self._resolve_variants(name)
        return self.resolved[name]

    def _resolve_variants(self, name: str) -> str | None:
        variants = [name, name.strip("《》 "), re.sub(r"^the\s+", "", name, flags=re.I)]
        variants.append(title_case(variants[-1]))
        # "Convention No. 182 on the Prohibition ...": the numbered designator alone
        designator = _LEADING_DESIGNATOR.match(variants[2])
        if designator:
            variants.append(designator.group(0))
        for variant in dict.fromkeys(v for v in variants if v):
            iri = self.resolve(variant)
            if iri and _VALID_IRI.match(iri):
                return iri
        found = identify(name)  # no catalog entry: the name's own identifier, if any
        return found.work_iri if found is not None else None


def parse_legal_text(text: str, *, file: str, resolve: Resolver = lambda name: None,
                     work_iri: str | None = None) -> ParsedDocument:
    """Parse a statute or treaty into an Instrument stub, its Articles and cross-references.

    Parameters
    ----------
    text : str
        The decoded text (Markdown or plain text).
    file : str
        Name used in errors and problems.
    resolve : callable
        Maps an instrument name or title found in the text to an Akoma Ntoso work IRI
        (the catalog's resolver), or None.
    work_iri : str, optional
        The work IRI of this text, when known; else resolved from its title, else derived.

    Returns
    -------
    ParsedDocument
        Kind LEGAL; the batch's document is the instrument id.

    Raises
    ------
    LegalTextError
        When no article is found.
    """
    structure = parse_structure(text, file=file)
    title = structure.title or Path(file).stem
    if work_iri is not None and not _VALID_IRI.match(work_iri):
        raise LegalTextError(f"work IRI {work_iri[:80]!r} is not an Akoma Ntoso IRI", file=file)
    iri, how = _identity(structure, file, resolve, work_iri)
    instrument = ids.instrument_id(iri)
    interpretation = "解释" in title or "/judgment/" in iri or "interpretation" in iri
    b = _Builder(file, text, iri, instrument, title, interpretation, resolve)
    b.problems.extend(structure.problems)
    b.amending, b.date = bool(_AMENDING.search(title)), structure.date
    b.add_node(_instrument_node(structure, text, file, iri, how, title))
    _add_amendment_history(b, text)
    sentences: list[Sentence] = []
    masked = text if structure.chinese else mask_markdown_links(text)
    links = [] if structure.chinese else markdown_links(text)
    link_starts = [lk.start for lk in links]
    b.own_eids = {a.eid for a in structure.articles}
    b.numbers = tuple(a.number for a in structure.articles)
    short = short_label(title, structure.date)
    inserted = 0
    for order, art in enumerate(structure.articles, start=1):
        node_id = ids.article_id(iri, art.eid)
        inserted += "-" in art.number
        body = text[art.body_start:art.end]
        b.add_node(Node(node_id, NodeType.ARTICLE, article_label(short, art.number,
                                                                 structure.chinese),
                        {"number": art.number, "number_raw": art.number_raw,
                         **({"heading": art.heading} if art.heading else {}),
                         "span": [art.start, art.end],
                         "text": body.strip()[:MAX_ARTICLE_TEXT], "order": order,
                         "document": instrument, "line": art.line, "eid": art.eid}))
        b.add_rel(Relationship(instrument, node_id, RelType.HAS_ARTICLE, Provenance(
            instrument, art.eid, (art.start, art.end), art.number_raw, "structure")))
        spans = split_sentences(text, art.body_start, art.end, structure.chinese)
        sentences.extend(Sentence(text[s:e], s, e, node_id, art.eid) for s, e in spans)
        _add_references(b, masked, links, link_starts, art.body_start, art.end, spans,
                        node_id, art.eid, structure.chinese)
    if structure.preamble is not None:
        start, end = structure.preamble
        spans = split_sentences(text, start, end, structure.chinese)
        sentences.extend(Sentence(text[s:e], s, e, instrument, "preamble") for s, e in spans)
        _add_references(b, masked, links, link_starts, start, end, spans, instrument, "preamble",
                        structure.chinese)
    summary = {"articles": len(structure.articles), "inserted_articles": inserted,
               "references": b.references, "unresolved_references": b.unresolved,
               "sentences": len(sentences), "ignored_lines": structure.ignored_lines}
    batch = GraphBatch.of(instrument, b.nodes.values(), b.rels.values())
    return ParsedDocument(DocumentKind.LEGAL, batch, tuple(b.problems), tuple(sentences),
                          summary)


def read_legal_text(path: str | Path, *, resolve: Resolver = lambda name: None,
                    work_iri: str | None = None) -> ParsedDocument:
    """Read and parse a legal text file (see :func:`parse_legal_text`)."""
    return parse_legal_text(read_text(path), file=str(path), resolve=resolve,
                            work_iri=work_iri)


def _identity(structure: LegalStructure, file: str, resolve: Resolver,
              work_iri: str | None) -> tuple[str, str]:
    """The work IRI and where it came from: given, the catalog, the identifier in the
    text's own title (``Regulation (EU) 2016/679``, 《中华人民共和国保险法》), else derived."""
    if work_iri is not None:
        return work_iri, "given"
    resolved = _resolve_title(structure, resolve)
    if resolved is not None:
        return resolved, "catalog"
    for title in ([structure.title] if structure.title else []) + list(
            reversed(structure.titles)):
        found = identify(title)
        if found is not None and found.provision is None:
            version = structure.version_date
            if version is None:
                return found.work_iri, f"identifier ({found.label})"
            # one work, several versions: the text is the version of its latest date
            return f"{found.work_iri}@{version}", f"identifier ({found.label}), version"
    return derive_work_iri(structure, file), "derived from the title"


def _instrument_node(structure: LegalStructure, text: str, file: str, iri: str, how: str,
                     title: str) -> Node:
    """The text's Instrument: a full node (it keeps the text's sha256 and source file, so a
    different text under the same id is refused); under a catalog id the curated label and
    title stay, the text's own title is kept as ``text_title``."""
    curated = how == "catalog"
    short = short_title(title)
    return Node(ids.instrument_id(iri), NodeType.INSTRUMENT, "" if curated else title, {
        **({"text_title": title} if curated else {"title": title}),
        **({"short_title": short} if short != title else {}),
        "work_iri": iri, "identity": how, "source_file": file, "file": file,
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "language": "zh" if structure.chinese else "en",
        "titles": list(structure.titles), "articles": len(structure.articles),
        **({"date": structure.date} if structure.date else {})})


def _resolve_title(structure: LegalStructure, resolve: Resolver) -> str | None:
    for candidate in ([structure.title] if structure.title else []) + list(
            reversed(structure.titles)):
        iri = resolve(candidate)
        if iri and _VALID_IRI.match(iri):
            return iri
    return None


def derive_work_iri(structure: LegalStructure, file: str) -> str:
    """A valid work IRI for a text the catalog does not know.

    Country ``cn`` for Chinese text, ``un`` when the text is a UN instrument, else ``int``;
    doctype ``judgment`` for a judicial interpretation (解释), ``treaty`` for conventions and
    protocols, else ``act``; the date from the metadata or ``nd``; the slug of the title.
    """
    title = structure.title or Path(file).stem
    if structure.chinese:
        country = "cn"
        doctype = "judgment" if "解释" in title else "act"
    else:
        country = "un" if "United Nations" in title or "Child" in title else "int"
        doctype = "treaty" if re.search(
            r"Convention|Protocol|Treaty|Covenant|Agreement|Charter", title) else "act"
    slug = ids.slugify(title)
    if len(ids.slugify(title, 100_000)) > len(slug):  # cut: long titles may share a start
        slug = f"{ids.slugify(title, 70)}-{hashlib.sha256(title.encode()).hexdigest()[:8]}"
    date = (structure.version_date if structure.chinese else None) or structure.date
    return ids.akn_work_iri(country, doctype, date or "nd", slug)


_PAREN_SHORT = re.compile(r"\(([A-Z][A-Za-z ]{3,60}(?:Regulation|Directive|Act|Convention|"
                          r"Decision|Protocol|Charter))\)\s*$")


def short_title(title: str) -> str:
    """The short name a title gives: its parenthesised short title ("(General Data
    Protection Regulation)"), a Chinese title without 中华人民共和国, else the title.

    >>> short_title("中华人民共和国刑法")
    '刑法'
    >>> short_title("Regulation on X (General Data Protection Regulation)")
    'General Data Protection Regulation'
    """
    m = _PAREN_SHORT.search(title)
    if m:
        return m[1]
    return title.removeprefix("中华人民共和国") or title


def short_label(title: str, date: str | None) -> str:
    """A label prefix a reader can tell apart: the short title, cut in the middle when long
    (the end of a Chinese title says what it is), with the year when cut.

    >>> short_label("中华人民共和国刑法", "1997-03-14")
    '刑法'
    >>> short_label("最高人民法院、最高人民检察院关于办理利用互联网、移动通讯终端、声讯台"
    ...             "制作、复制、出版、贩卖、传播淫秽电子信息刑事案件具体应用法律若干问题的解释",
    ...             "2004-09-03")
    '2004 最高人民法院、最高人民检察院关于办理…律若干问题的解释'
    """
    short = short_title(title)
    if len(short) <= 40:
        return short
    head, tail = (18, 8) if HAN.search(short) else (28, 10)
    year = f"{date[:4]} " if date else ""
    return f"{year}{short[:head].rstrip()}…{short[-tail:].lstrip()}"


def article_label(short: str, number: str, chinese: bool) -> str:
    """``刑法 第363条`` / ``General Data Protection Regulation art. 5``."""
    return f"{short} 第{number.replace('-', '条之')}条" if chinese else f"{short} art. {number}"


def _add_references(b: _Builder, masked: str, links: list[MarkdownLink],
                    link_starts: list[int], start: int, end: int, spans: list[tuple[int, int]],
                    source: str, locator: str, chinese: bool) -> None:
    chunk = masked[start:end]
    refs: list[CrossRef]
    if chinese:
        refs = find_chinese_references(
            chunk, offset=start, known=lambda name: b.resolve_name(name) is not None,
            numbers=b.numbers, current=locator.removeprefix("art_") if locator != "preamble"
            else None)
        if _AMENDING.search(b.title):
            refs = amended_references(refs, chunk, start)
    else:
        first = bisect.bisect_left(link_starts, start)
        last = bisect.bisect_left(link_starts, end)
        local = [MarkdownLink(lk.start - start, lk.end - start, lk.text, lk.url)
                 for lk in links[first:last] if lk.end <= end]
        refs = find_english_references(chunk, offset=start, links=local)
        refs += find_link_instruments(local, offset=start)
    starts = [s for s, _ in spans]
    for ref in refs:
        _add_reference(b, ref, source, locator, _quote(b.text, spans, starts, ref.start))


def _in_quotes(text: str, pos: int) -> bool:
    """Inside the quoted new wording of an amendment (“…”) on the same paragraph."""
    line_start = text.rfind("\n", 0, pos) + 1
    before = text[line_start:pos]
    opened = text.rfind("“", 0, pos) > text.rfind("”", 0, pos)
    return before.count("“") > before.count("”") or (opened and before.startswith("“"))


_HISTORY_LINE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日[^\n]*?《([^《》\n]{2,120})》")


def _add_amendment_history(b: _Builder, text: str) -> None:
    """Metadata lines ``1999年12月25日 …通过的《中华人民共和国刑法修正案》``: AMENDS edges from
    each amending instrument (identified by its title) to this one, with the date."""
    head, marker, _ = text.partition("<!-- INFO END -->")
    if not marker:
        return
    for m in _HISTORY_LINE.finditer(head):
        title = m[4]
        if not re.search(r"修正案|修改|决定", title):
            continue
        found = identify(title)
        iri = b.resolve_name(title) or (found.work_iri if found else None)
        if iri is None or iri == b.iri:
            continue
        date = f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
        source = ids.instrument_id(iri)
        b.add_stub(source, NodeType.INSTRUMENT, title, {"stub": True, "name": title,
                                                        "date": date})
        prov = Provenance(b.instrument, "metadata", (m.start(), m.end()), m[0][:300],
                          "pattern")
        b.add_rel(Relationship(source, b.instrument, RelType.AMENDS, prov,
                               {"date": date, "raw": title[:200]}))


def _quote(text: str, spans: list[tuple[int, int]], starts: list[int], pos: int) -> str:
    i = bisect.bisect_right(starts, pos) - 1
    if i < 0:
        return ""
    s, e = spans[i]
    return text[s:e][:1000]


def _add_reference(b: _Builder, ref: CrossRef, source: str, locator: str,
                   quote: str) -> None:
    target_iri = b.iri
    name = ref.instrument
    if not ref.same and name is not None:
        resolved = b.resolve_name(name)
        if resolved is None:
            if GENERIC_NAME.match(name) or GENERIC_NAME.match(_OPTIONAL.sub("", name)):
                b.unresolved += 1
                return
            target_iri = f"/unresolved/{ids.slugify(name)}"
            b.add_stub(ids.instrument_id(target_iri), NodeType.INSTRUMENT, name,
                       {"stub": True, "status": "unresolved", "name": name})
            b.unresolved += 1
        else:
            target_iri = resolved
    same = target_iri == b.iri
    target_instrument = ids.instrument_id(target_iri)
    if ref.article is None:
        if same:
            return
        target, target_eid = target_instrument, ""
        b.add_stub(target_instrument, NodeType.INSTRUMENT, name or target_iri,
                   {"stub": True, "name": name or target_iri})
    else:
        eid = ids.article_eid(ref.article)
        if same and eid not in b.own_eids:
            b.problems.append(Problem(b.file, f"reference {ref.raw!r} names no article of "
                                      "this text", place=locator))
            return
        target = ids.article_id(target_iri, eid)
        target_eid = ids.article_eid(ref.article, ref.para, ref.item)
        if not same:
            b.add_stub(target_instrument, NodeType.INSTRUMENT, name or target_iri,
                       {"stub": True, "name": name or target_iri})
            b.add_stub(target, NodeType.ARTICLE, f"Art. {ref.article} {name or ''}".strip(),
                       {"stub": True, "number": ref.article, "document": target_instrument})
    if target == source:
        return
    interprets = b.interpretation and not same and "解释" not in (name or "")
    amends = b.amending and not same and not _in_quotes(b.text, ref.start)
    rel_type = RelType.AMENDS if amends else (
        RelType.INTERPRETS if interprets else RelType.REFERS_TO)
    props = {"target_eid": target_eid, "raw": ref.raw[:200],
             **({"date": b.date} if amends and b.date else {})}
    if ref.url:
        props["url"] = ref.url[:500]
    confidence = 0.9 if ref.url else 1.0
    prov = Provenance(b.instrument, locator, (ref.start, ref.end), quote, "pattern",
                      confidence)
    b.add_rel(Relationship(source, target, rel_type, prov, props))
    b.references += 1
    if amends and source != b.instrument:  # the timeline's instrument-level edge
        b.add_rel(Relationship(b.instrument, target_instrument, RelType.AMENDS, prov,
                               {"raw": ref.raw[:200], **({"date": b.date} if b.date else {})},
                               key=f"{b.instrument}|instrument"))
    if interprets and source != b.instrument and ref.article is not None:
        # the instrument-level edge a query "interpretation → INTERPRETS → article" follows
        b.add_rel(Relationship(b.instrument, target, RelType.INTERPRETS, prov, props,
                               key=f"{b.instrument}|instrument"))
