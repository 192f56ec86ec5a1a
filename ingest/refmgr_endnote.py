"""EndNote exports: the tagged format (``.enw``, ``%0 Journal Article``, ``%A Doe, J.``)
and EndNote XML (``<xml><records><record>``, read with defusedxml): one Work per record.

Examples
--------
>>> doc = parse_enw("%0 Book\\n%A Doe, Jane\\n%T On Law\\n%D 2001\\n%R 10.1000/X\\n\\n"
...                 "%0 Journal Article\\n%A Roe, A.\\n%T Other\\n%J J. Tests\\n", file="a.enw")
>>> [(n.id, n.props["line"]) for n in doc.batch.nodes]
[('work:doi:10.1000/x', 1), ('work:ty:other-nd', 7)]
>>> xml = (b"<xml><records><record><ref-type name='Book'>6</ref-type><contributors><authors>"
...        b"<author><style>Doe, J.</style></author></authors></contributors><titles><title>"
...        b"<style>On Law</style></title></titles><dates><year>2001</year></dates>"
...        b"</record></records></xml>")
>>> n = parse_endnote_xml(xml, file="a.xml").batch.nodes[0]
>>> n.props["title"], n.props["authors"], n.props["year"], n.props["entry_type"]
('On Law', ['Doe, J.'], 2001, 'book')
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterator

from citegraph.errors import ParseError
from ingest.base import ParsedDocument
from ingest.refmgr import RefItem, clean, items_document, year_of
from ingest.textio import decode_detected
from ingest.xmlsafe import child, children, local, parse_xml, text_of

_ENW_TAG = re.compile(r"^%([0-9A-Z@!#$&()*+^~\[\]=>|?])(?: (.*))?$")
_ENW_EXTRA = {"I": "publisher", "C": "address", "V": "volume", "N": "number", "P": "pages",
              "@": "isbn", "X": "abstract", "K": "keywords", "7": "edition", "S": "series",
              "G": "language", "Z": "note"}


# -- tagged (.enw) ---------------------------------------------------------------------------

def _enw_records(text: str) -> Iterator[tuple[int, dict[str, list[str]]]]:
    """(line, tag -> values) per record: a blank line or a new ``%0`` ends a record; a line
    that is not a tag continues the value before it."""
    record: dict[str, list[str]] = defaultdict(list)
    start = 0
    last = ""
    for number, line in enumerate(text.splitlines(), 1):
        match = _ENW_TAG.match(line.rstrip())
        if not line.strip() or (match and match.group(1) == "0" and record):
            if record:
                yield start, record
            record, last = defaultdict(list), ""
            if not line.strip():
                continue
        if match:
            start = start if record else number
            last = match.group(1)
            record[last].append(clean(match.group(2)))
        elif last:
            record[last][-1] = clean(f"{record[last][-1]} {line}")
    if record:
        yield start, record


def enw_item(record: dict[str, list[str]], index: int, line: int) -> RefItem:
    """A tagged EndNote record as a :class:`RefItem`."""
    def first(tag: str) -> str:
        return next((v for v in record.get(tag, []) if v), "")

    extra = {prop: "; ".join(v for v in record[tag] if v) for tag, prop in _ENW_EXTRA.items()
             if any(record.get(tag, []))}
    doi = first("R")
    return RefItem(index, key=first("F"), entry_type=first("0").lower(), title=first("T"),
                   authors=tuple(a for a in record.get("A", []) if a),
                   editors=tuple(e for e in record.get("E", []) if e),
                   year=year_of(first("D")), doi=doi if "10." in doi else "",
                   venue=first("J") or first("B"), url=first("U"), line=line, extra=extra)


def parse_enw(data: bytes | str, *, file: str) -> ParsedDocument:
    """EndNote tagged text (``%0``, ``%A``, ``%T``...) → one Work per record."""
    text = data if isinstance(data, str) else decode_detected(data, file)[0]
    items = [enw_item(record, index, line)
             for index, (line, record) in enumerate(_enw_records(text.lstrip("\ufeff")), 1)]
    return items_document(items, file=file, fmt="endnote")


# -- EndNote XML -----------------------------------------------------------------------------

def _names(record: ET.Element, group: str) -> tuple[str, ...]:
    names = child(record, "contributors", group)
    found = [text_of(a) for a in children(names, "author")] if names is not None else []
    return tuple(n for n in found if n)


def _field(record: ET.Element, *path: str) -> str:
    return text_of(child(record, *path))


def endnote_xml_item(record: ET.Element, index: int) -> RefItem:
    """An EndNote XML ``<record>`` as a :class:`RefItem`."""
    ref_type = child(record, "ref-type")
    doi = _field(record, "electronic-resource-num")
    extra = {prop: _field(record, name) for name, prop in (
        ("publisher", "publisher"), ("pub-location", "address"), ("volume", "volume"),
        ("number", "number"), ("pages", "pages"), ("isbn", "isbn"), ("abstract", "abstract"),
        ("edition", "edition"), ("language", "language"), ("notes", "note"))
        if _field(record, name)}
    keywords = child(record, "keywords")
    if keywords is not None:
        extra["keywords"] = "; ".join(text_of(k) for k in children(keywords, "keyword"))
    url = child(record, "urls", "related-urls", "url")
    venue = (_field(record, "periodical", "full-title") or _field(record, "titles",
                                                                  "secondary-title"))
    return RefItem(index, key=_field(record, "label"),
                   entry_type=clean(ref_type.get("name") if ref_type is not None else "").lower(),
                   title=_field(record, "titles", "title"),
                   authors=_names(record, "authors"), editors=_names(record, "secondary-authors"),
                   year=year_of(_field(record, "dates", "year")),
                   doi=doi if "10." in doi else "", venue=venue, url=text_of(url), extra=extra)


def parse_endnote_xml(data: bytes, *, file: str) -> ParsedDocument:
    """EndNote XML → one Work per ``<record>`` (defusedxml: no DTD, no entities)."""
    root = parse_xml(data, file)
    records = [e for e in root.iter() if local(e.tag) == "record"]
    if local(root.tag) != "xml" and not records:
        raise ParseError(f"not EndNote XML: the root element is <{local(root.tag)}>, not <xml>",
                         file=file, line=1)
    return items_document((endnote_xml_item(r, i) for i, r in enumerate(records, 1)),
                          file=file, fmt="endnote-xml")
