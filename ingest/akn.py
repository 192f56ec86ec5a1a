"""Akoma Ntoso XML: the FRBR work IRI and the provisions (articles, sections...) with eIds.

Parsing is defensive: the input is bounded in size, any DOCTYPE or ENTITY declaration is
refused before parsing (no DTD, no external entities, no entity expansion: billion laughs
and quadratic blowup cannot start), and defusedxml guards the parser itself.

Example
-------
>>> xml = (b'<akomaNtoso><act><meta><identification><FRBRWork>'
...        b'<FRBRthis value="/akn/za/act/2009/10/!main"/></FRBRWork></identification></meta>'
...        b'<body><section eId="sec_1"><num>1.</num><heading>Scope</heading>'
...        b'<subsection eId="sec_1__subsec_1"><num>(1)</num><content><p>Text</p></content>'
...        b'</subsection></section></body></act></akomaNtoso>')
>>> doc = parse_akoma_ntoso(xml, file="a.xml")
>>> doc.batch.document
'instrument:/akn/za/act/2009/10'
>>> [n.id.split("#")[1] for n in doc.batch.nodes if n.type == "Article"]
['sec_1', 'sec_1__subsec_1']
"""

from __future__ import annotations

import codecs
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from citegraph import ids
from citegraph.errors import InputTooLargeError, LegalTextError, UnsafeXmlError
from citegraph.model import GraphBatch, Node, NodeType, Provenance, Relationship, RelType
from ingest.base import DocumentKind, ParsedDocument, Problem
from ingest.xmlsafe import parse_xml

DEFAULT_MAX_BYTES = 20_000_000
MAX_TEXT = 20_000

#: Elements that are provisions (hierarchical containers with a number) in Akoma Ntoso.
PROVISIONS = frozenset({
    "article", "section", "subsection", "paragraph", "subparagraph", "division", "subdivision",
    "part", "subpart", "chapter", "subchapter", "title", "subtitle", "book", "tome", "rule",
    "subrule", "clause", "subclause", "item", "point", "indent", "alinea", "level",
    "hcontainer",
})
_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_IRI = re.compile(r"^/[^\s\x00-\x1f\"<>]{1,1000}$")
_EID = re.compile(r"^[\w.~\-]{1,300}$")
_COMPONENT = re.compile(r"/!\w+$")


@dataclass(frozen=True, slots=True)
class _Provision:
    element: ET.Element
    tag: str
    eid: str
    parent: str | None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _as_text(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8", errors="replace")


def refuse_declarations(data: bytes, file: str) -> None:
    """Raise :class:`UnsafeXmlError` at the first DOCTYPE or ENTITY declaration.

    >>> refuse_declarations(b'<?xml version="1.0"?>\\n<!DOCTYPE a [<!ENTITY x "y">]>', "f")
    Traceback (most recent call last):
    ...
    citegraph.errors.UnsafeXmlError: f:2: XML declares a DOCTYPE; DTDs and entities are refused
    """
    text = _as_text(data)
    match = _DECLARATION.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        raise UnsafeXmlError(f"XML declares a{'n' if match[1].upper() == 'ENTITY' else ''} "
                             f"{match[1].upper()}; DTDs and entities are refused",
                             file=file, line=line)


def _parse_xml(data: bytes, file: str) -> ET.Element:
    return parse_xml(data, file, LegalTextError)


def _work_iri(root: ET.Element, file: str) -> tuple[str, dict[str, str]]:
    work = next((e for e in root.iter() if _local(e.tag) == "FRBRWork"), None)
    if work is None:
        raise LegalTextError("no FRBRWork in the identification block", file=file)
    facts: dict[str, str] = {}
    iri = ""
    for child in work:
        name = _local(child.tag)
        if name in ("FRBRthis", "FRBRuri") and not iri:
            iri = (child.get("value") or "").strip()
        elif name == "FRBRdate" and child.get("date"):
            facts["date"] = child.get("date", "")
        elif name == "FRBRcountry" and child.get("value"):
            facts["country"] = child.get("value", "")
        elif name == "FRBRalias" and child.get("value") and "title" not in facts:
            facts["title"] = child.get("value", "")
    iri = _COMPONENT.sub("", iri)
    if not _IRI.match(iri):
        raise LegalTextError(f"FRBRWork has no usable work IRI ({iri[:80]!r})", file=file,
                             place="FRBRWork")
    return iri, facts


#: Subtrees that are not the act's own provisions: annexed documents and quoted text
#: (an amending act quotes the provisions it inserts elsewhere).
OUTSIDE = frozenset({"attachment", "attachments", "components", "component",
                     "quotedStructure", "embeddedStructure", "interstitial"})


@dataclass(frozen=True, slots=True)
class _Walk:
    provisions: list[_Provision]
    without_eid: list[str]  # tags of provisions that carry no eId
    outside: int  # provisions inside attachments or quoted structures


def _provisions(root: ET.Element) -> _Walk:
    """Provisions with an eId, in document order, each with its nearest provision parent;
    provisions without an eId and those of attachments / quoted structures are counted."""
    walk = _Walk([], [], 0)
    stack: list[tuple[ET.Element, str | None, bool]] = [(root, None, False)]
    outside = 0
    while stack:
        element, parent, inside = stack.pop()
        tag = _local(element.tag)
        current = parent
        inside = inside or tag in OUTSIDE
        eid = element.get("eId") or element.get("id")
        if tag in PROVISIONS and inside:
            outside += 1
        elif tag in PROVISIONS and eid:
            walk.provisions.append(_Provision(element, tag, eid, parent))
            current = eid
        elif tag in PROVISIONS and tag != "hcontainer":
            walk.without_eid.append(tag)
        stack.extend((child, current, inside) for child in reversed(list(element)))
    return _Walk(walk.provisions, walk.without_eid, outside)


def _child_text(element: ET.Element, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name:
            text = " ".join("".join(child.itertext()).split())
            return text or None
    return None


def _number(raw: str | None) -> str | None:
    if raw is None:
        return None
    cleaned = raw.strip().strip("\"'“”‘’.()[]§ ").strip()
    return cleaned or None


def parse_akoma_ntoso(data: bytes, *, file: str,
                      max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedDocument:
    """Parse an Akoma Ntoso document into an Instrument stub and its provisions.

    Parameters
    ----------
    data : bytes
        The XML document.
    file : str
        Name used in errors.
    max_bytes : int
        Larger inputs are refused with :class:`InputTooLargeError`.

    Raises
    ------
    InputTooLargeError, UnsafeXmlError, LegalTextError
    """
    if len(data) > max_bytes:
        raise InputTooLargeError(f"XML is {len(data)} bytes, over the limit of {max_bytes}",
                                 file=file)
    refuse_declarations(data, file)
    root = _parse_xml(data, file)
    iri, facts = _work_iri(root, file)
    instrument = ids.instrument_id(iri)
    title = facts.get("title") or iri
    problems: list[Problem] = []
    nodes: dict[str, Node] = {}
    rels: dict[tuple[str, str, str, str], Relationship] = {}
    nodes[instrument] = Node(instrument, NodeType.INSTRUMENT, title, {
        "stub": True, "title": title, "work_iri": iri, "source_file": file,
        **{k: v for k, v in facts.items() if k != "title"}})
    walk = _provisions(root)
    if walk.without_eid:
        problems.append(Problem(file, f"{len(walk.without_eid)} provision(s) without an eId "
                                f"({', '.join(sorted(set(walk.without_eid)))}) not read: "
                                "they cannot be addressed", skipped=True))
    if walk.outside:
        problems.append(Problem(file, f"{walk.outside} provision(s) of attachments or quoted "
                                "structures are not read as the act's own", skipped=False))
    for order, prov in enumerate(walk.provisions, start=1):
        if not _EID.match(prov.eid):
            problems.append(Problem(file, f"eId {prov.eid[:60]!r} is not a valid eId",
                                    place=prov.tag))
            continue
        node_id = ids.article_id(iri, prov.eid)
        if node_id in nodes and not nodes[node_id].is_stub:
            problems.append(Problem(file, f"duplicate eId {prov.eid!r}", place=prov.eid))
            continue
        raw = _child_text(prov.element, "num")
        number = _number(raw)
        heading = _child_text(prov.element, "heading")
        text = " ".join("".join(prov.element.itertext()).split())[:MAX_TEXT]
        props: dict[str, str | int] = {"eid": prov.eid, "element": prov.tag, "order": order,
                                       "document": instrument, "text": text}
        for key, value in (("number", number), ("number_raw", raw), ("heading", heading),
                           ("parent", prov.parent)):
            if value:
                props[key] = value
        label = " ".join(p for p in (prov.tag.capitalize(), number or prov.eid, heading) if p)
        nodes[node_id] = Node(node_id, NodeType.ARTICLE, label[:200], props)
        has = Relationship(instrument, node_id, RelType.HAS_ARTICLE,
                           Provenance(instrument, prov.eid, None, "", "structure"))
        rels[has.identity] = has
        for ref in _refs(prov.element):
            _add_ref(ref, node_id, prov.eid, instrument, iri, nodes, rels)
    for identity, rel in list(rels.items()):
        if rel.target not in nodes:  # a reference to a provision of this text that is absent
            del rels[identity]
            problems.append(Problem(file, f"reference to missing provision {rel.target!r}",
                                    place=rel.provenance.locator))
    summary = {"articles": sum(1 for n in nodes.values() if n.type == NodeType.ARTICLE),
               "references": sum(1 for r in rels.values() if r.type == RelType.REFERS_TO)}
    batch = GraphBatch.of(instrument, nodes.values(), rels.values())
    return ParsedDocument(DocumentKind.LEGAL, batch, tuple(problems), (), summary)


def _refs(element: ET.Element) -> list[ET.Element]:
    """``<ref>`` elements of this provision, not of the provisions nested in it."""
    found: list[ET.Element] = []
    stack = list(element)
    while stack:
        child = stack.pop()
        tag = _local(child.tag)
        if tag in PROVISIONS and (child.get("eId") or child.get("id")):
            continue
        if tag == "ref":
            found.append(child)
        stack.extend(child)
    return found


def _add_ref(ref: ET.Element, source: str, eid: str, instrument: str, own_iri: str,
             nodes: dict[str, Node], rels: dict[tuple[str, str, str, str], Relationship],
             ) -> None:
    href = (ref.get("href") or "").strip()
    if not href.startswith("/akn/"):
        return
    parts = re.split(r"[#~]", href, maxsplit=1)
    fragment = parts[1] if len(parts) > 1 else ""
    target_iri = _COMPONENT.sub("", parts[0].rstrip("/"))
    if not _IRI.match(target_iri) or (fragment and not _EID.match(fragment)):
        return
    target_instrument = ids.instrument_id(target_iri)
    name = " ".join("".join(ref.itertext()).split())[:200] or target_iri
    if target_iri == own_iri and not fragment:
        return
    if target_instrument not in nodes:
        nodes[target_instrument] = Node(target_instrument, NodeType.INSTRUMENT, name,
                                        {"stub": True, "name": name})
    target = target_instrument
    if fragment:
        target = ids.article_id(target_iri, fragment)
        if target not in nodes and target_iri != own_iri:
            nodes[target] = Node(target, NodeType.ARTICLE, f"{fragment} {name}"[:200],
                                 {"stub": True, "eid": fragment,
                                  "document": target_instrument})
    if target == source:
        return
    rel = Relationship(source, target, RelType.REFERS_TO,
                       Provenance(instrument, eid, None, name, "markup"),
                       {"href": href[:500]}, key=f"{instrument}|{eid}|{href[:200]}")
    rels[rel.identity] = rel


def read_akoma_ntoso(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedDocument:
    """Read and parse an Akoma Ntoso file, refusing one over ``max_bytes`` before reading."""
    p = Path(path)
    size = p.stat().st_size
    if size > max_bytes:
        raise InputTooLargeError(f"file is {size} bytes, over the limit of {max_bytes}",
                                 file=str(p))
    return parse_akoma_ntoso(p.read_bytes(), file=str(p), max_bytes=max_bytes)
