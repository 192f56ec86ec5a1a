"""Safe XML for every XML reader: defusedxml with DTDs, entities and external references
refused, errors typed and placed.

Examples
--------
>>> from citegraph.errors import UnsafeXmlError
>>> parse_xml(b"<a><b>x</b></a>", "f.xml").find("b").text
'x'
>>> parse_xml(b"<a><b></a>", "f.xml")
Traceback (most recent call last):
...
citegraph.errors.ParseError: f.xml:1:8: not well-formed XML: mismatched tag: line 1, column 8
>>> try:
...     parse_xml(b'<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', "f.xml")
... except UnsafeXmlError as exc:
...     print(exc.code, exc.file)
unsafe_xml f.xml
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

import defusedxml
import defusedxml.ElementTree as SafeET

from citegraph.errors import ParseError, UnsafeXmlError


def parse_xml(data: bytes, file: str, error: type[ParseError] = ParseError) -> ET.Element:
    """The root element of ``data``; :class:`UnsafeXmlError` for a DTD, entity or external
    reference, ``error`` (a :class:`ParseError`) with line and column when not well-formed."""
    try:
        root: ET.Element = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True,
                                             forbid_external=True)
        return root
    except (defusedxml.DTDForbidden, defusedxml.EntitiesForbidden,
            defusedxml.ExternalReferenceForbidden, defusedxml.NotSupportedError) as exc:
        raise UnsafeXmlError(f"unsafe XML refused: {exc}", file=file) from exc
    except ET.ParseError as exc:
        line, column = exc.position
        raise error(f"not well-formed XML: {exc}", file=file, line=line,
                    column=column) from exc
    except (ValueError, RecursionError) as exc:
        raise error(f"cannot parse XML: {exc}", file=file) from exc


def local(tag: object) -> str:
    """The tag without its namespace.

    >>> local("{http://www.loc.gov/mods/v3}mods")
    'mods'
    """
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(element: ET.Element, name: str) -> Iterator[ET.Element]:
    """Direct children named ``name``, whatever their namespace."""
    return (child for child in element if local(child.tag) == name)


def child(element: ET.Element | None, *path: str) -> ET.Element | None:
    """The first element down ``path`` (namespace-blind), or None."""
    for name in path:
        if element is None:
            return None
        element = next(children(element, name), None)
    return element


def text_of(element: ET.Element | None) -> str:
    """All the text inside an element, whitespace collapsed ('' for None)."""
    return "" if element is None else " ".join("".join(element.itertext()).split())
