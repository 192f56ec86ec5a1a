"""RIS (``TY  - JOUR`` ... ``ER  -``), read with rispy: one Work per record.

Examples
--------
>>> doc = parse_ris("TY  - JOUR\\nAU  - Doe, Jane\\nTI  - On Law\\nPY  - 2001///\\n"
...                 "DO  - doi:10.1000/X\\nER  - \\n", file="a.ris")
>>> n = doc.batch.nodes[0]
>>> n.id, n.props["authors"], n.props["year"], n.props["line"]
('work:doi:10.1000/x', ['Doe, Jane'], 2001, 1)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import rispy

from citegraph.errors import ParseError
from ingest.base import ParsedDocument
from ingest.refmgr import RefItem, clean, items_document, year_of
from ingest.textio import decode_detected

_ER = re.compile(r"^ER  -", re.MULTILINE)
_TAG_LINE = re.compile(r"^[A-Z][A-Z0-9]  -", re.MULTILINE)
_TITLES = ("title", "primary_title", "short_title", "translated_title")
_VENUES = ("journal_name", "alternate_title3", "secondary_title", "alternate_title2",
           "alternate_title1")
_YEARS = ("year", "publication_year", "date")
_EXTRA = {"publisher": "publisher", "place_published": "address", "volume": "volume",
          "number": "number", "issn": "issn", "abstract": "abstract",
          "notes_abstract": "abstract", "language": "language", "edition": "edition",
          "tertiary_title": "series", "keywords": "keywords", "notes": "note"}


def _names(record: Mapping[str, Any], *keys: str) -> tuple[str, ...]:
    names = [clean(n) for k in keys for n in record.get(k) or [] if clean(n)]
    return tuple(dict.fromkeys(names))


def _first(record: Mapping[str, Any], keys: tuple[str, ...]) -> str:
    return next((clean(record[k]) for k in keys if clean(record.get(k))), "")


def _pages(record: Mapping[str, Any]) -> str:
    start, end = clean(record.get("start_page")), clean(record.get("end_page"))
    return f"{start}–{end}" if start and end and "-" not in start else start or end


def ris_item(record: Mapping[str, Any], index: int, line: int | None) -> RefItem:
    """A rispy record as a :class:`RefItem`."""
    urls = record.get("urls") or []
    doi = clean(record.get("doi"))
    extra = {prop: clean(record[name]) for name, prop in _EXTRA.items() if record.get(name)}
    if _pages(record):
        extra["pages"] = _pages(record)
    return RefItem(index, key=clean(record.get("id") or record.get("label")),
                   entry_type=clean(record.get("type_of_reference")).lower(),
                   title=_first(record, _TITLES),
                   authors=_names(record, "authors", "first_authors"),
                   editors=_names(record, "secondary_authors"),
                   year=next((y for y in (year_of(clean(record.get(k))) for k in _YEARS)
                              if y is not None), None),
                   doi=doi.removeprefix("doi:"), venue=_first(record, _VENUES),
                   url=clean(urls[0]) if urls else "", line=line, extra=extra)


def _record_lines(text: str) -> list[int]:
    """The line each record starts on: the first tag after the previous ``ER``."""
    starts: list[int] = []
    position = 0
    for end in [*(m.start() for m in _ER.finditer(text)), len(text)]:
        tag = _TAG_LINE.search(text, position, end)
        if tag is not None:
            starts.append(text.count("\n", 0, tag.start()) + 1)
        position = text.find("\n", end) + 1 if end < len(text) else end
        if position == 0:
            break
    return starts


def parse_ris(data: bytes | str, *, file: str) -> ParsedDocument:
    """RIS bytes or text (any encoding :func:`~ingest.textio.decode_detected` reads) → one
    Work per record; :class:`ParseError` naming the file when rispy cannot read it."""
    text = data if isinstance(data, str) else decode_detected(data, file)[0]
    text = text.lstrip("\ufeff")
    try:
        records = rispy.loads(text.replace("\r\n", "\n"), skip_unknown_tags=False)
    except (rispy.parser.ParseError, ValueError, KeyError, IndexError) as exc:
        raise ParseError(f"not readable as RIS: {exc}", file=file) from exc
    lines = _record_lines(text)
    items = [ris_item(r, i, lines[i - 1] if i <= len(lines) else None)
             for i, r in enumerate(records, 1)]
    return items_document(items, file=file, fmt="ris")
