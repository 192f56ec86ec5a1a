"""MODS (the Library of Congress's Metadata Object Description Schema, as JabRef, Zotero and
library catalogues export it), read with defusedxml: one Work per ``<mods>`` record.

Examples
--------
>>> xml = (b'<modsCollection xmlns="http://www.loc.gov/mods/v3"><mods><titleInfo><title>On Law'
...        b'</title></titleInfo><name type="personal"><namePart type="family">Doe</namePart>'
...        b'<namePart type="given">Jane</namePart></name><originInfo><dateIssued>2001'
...        b'</dateIssued></originInfo><identifier type="doi">10.1000/X</identifier></mods>'
...        b'</modsCollection>')
>>> n = parse_mods(xml, file="m.xml").batch.nodes[0]
>>> n.id, n.props["authors"], n.props["year"]
('work:doi:10.1000/x', ['Doe, Jane'], 2001)
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from citegraph.errors import ParseError
from ingest.base import ParsedDocument
from ingest.refmgr import RefItem, clean, items_document, last_first, year_of
from ingest.xmlsafe import child, children, local, parse_xml, text_of

_DATES = ("dateIssued", "copyrightDate", "dateCreated", "dateOther")


def _title(element: ET.Element | None) -> str:
    """The main ``titleInfo`` (not an alternative, abbreviated or translated one)."""
    if element is None:
        return ""
    infos = list(children(element, "titleInfo"))
    main = next((t for t in infos if not t.get("type")), infos[0] if infos else None)
    if main is None:
        return ""
    parts = [text_of(child(main, n)) for n in ("nonSort", "title")]
    title = clean(" ".join(p for p in parts if p))
    sub = text_of(child(main, "subTitle"))
    return f"{title}: {sub}" if title and sub else title


def _name(name: ET.Element) -> tuple[str, str]:
    """(``Last, First``, role) of a ``<name>``."""
    parts = {p.get("type") or "": text_of(p) for p in children(name, "namePart")}
    if "family" in parts or "given" in parts:
        full = last_first(parts.get("family", ""), parts.get("given", ""))
    else:
        full = clean(" ".join(text_of(p) for p in children(name, "namePart")))
    roles = [text_of(r).lower() for r in name.iter() if local(r.tag) == "roleTerm"]
    return full, roles[0] if roles else "author"


def _names(record: ET.Element) -> tuple[tuple[str, ...], tuple[str, ...]]:
    authors: list[str] = []
    editors: list[str] = []
    for name in children(record, "name"):
        full, role = _name(name)
        if full:
            (editors if role in ("editor", "edt") else authors).append(full)
    return tuple(authors), tuple(editors)


def _identifiers(record: ET.Element) -> dict[str, str]:
    found: dict[str, str] = {}
    for identifier in children(record, "identifier"):
        found.setdefault((identifier.get("type") or "").lower(), text_of(identifier))
    return found


def _host_part(host: ET.Element | None) -> dict[str, str]:
    part = child(host, "part")
    found: dict[str, str] = {}
    if part is None:
        return found
    for detail in children(part, "detail"):
        kind = {"issue": "number"}.get(detail.get("type") or "", detail.get("type") or "")
        if kind in ("volume", "number"):
            found[kind] = text_of(child(detail, "number"))
    extent = child(part, "extent")
    if extent is not None:
        start, end = text_of(child(extent, "start")), text_of(child(extent, "end"))
        found["pages"] = f"{start}–{end}" if start and end else start or end
    return {k: v for k, v in found.items() if v}


def mods_item(record: ET.Element, index: int) -> RefItem:
    """A ``<mods>`` record as a :class:`RefItem`."""
    origin = child(record, "originInfo")
    host = next((r for r in children(record, "relatedItem") if r.get("type") == "host"), None)
    keyed = [text_of(e) for e in (origin if origin is not None else []) if e.get("keyDate")]
    dates = [*keyed, *(text_of(child(origin, d)) for d in _DATES),
             text_of(child(host, "part", "date"))]
    ident = _identifiers(record)
    authors, editors = _names(record)
    extra = {"publisher": text_of(child(origin, "publisher")),
             "address": text_of(child(origin, "place", "placeTerm")),
             "edition": text_of(child(origin, "edition")),
             "abstract": text_of(child(record, "abstract")),
             "language": text_of(child(record, "language", "languageTerm")),
             "isbn": ident.get("isbn", ""), "issn": ident.get("issn", ""),
             **_host_part(host)}
    genre = text_of(child(record, "genre")) or text_of(child(record, "typeOfResource"))
    return RefItem(index, key=ident.get("citekey", "") or clean(record.get("ID")),
                   entry_type=genre.lower(), title=_title(record), authors=authors,
                   editors=editors, year=next((y for y in map(year_of, dates) if y), None),
                   doi=ident.get("doi", ""), venue=_title(host),
                   url=text_of(child(record, "location", "url")) or ident.get("uri", ""),
                   extra={k: v for k, v in extra.items() if v})


def parse_mods(data: bytes, *, file: str) -> ParsedDocument:
    """MODS XML (``<modsCollection>`` or one ``<mods>``) → one Work per record."""
    root = parse_xml(data, file)
    if local(root.tag) not in ("mods", "modsCollection"):
        raise ParseError(f"not MODS: the root element is <{local(root.tag)}>", file=file,
                         line=1)
    records = [root] if local(root.tag) == "mods" else list(children(root, "mods"))
    return items_document((mods_item(r, i) for i, r in enumerate(records, 1)), file=file,
                          fmt="mods")
