"""CSL-JSON, CSL-YAML and Zotero (Better BibTeX) JSON: one Work per item.

CSL items carry their names as ``{"family", "given"}`` (or ``literal``), their date as
``issued.date-parts``, and rich text as HTML-like tags (``<i>``), which are dropped. Zotero
JSON (Better BibTeX's export, ``{"config": ..., "items": [...]}``) names its fields the
Zotero way (``creators``, ``publicationTitle``, ``citationKey``); stand-alone notes are
not bibliographic items and are reported.

Examples
--------
>>> doc = parse_csl_json('[{"id": "k1", "type": "book", "title": "On <i>Law</i>", '
...                      '"author": [{"family": "Doe", "given": "J."}], '
...                      '"issued": {"date-parts": [["2001", 4]]}}]', file="a.json")
>>> n = doc.batch.nodes[0]
>>> n.id, n.props["title"], n.props["authors"], n.props["year"]
('work:bib:k1', 'On Law', ['Doe, J.'], 2001)
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

import yaml

from citegraph.errors import InputError, ParseError
from ingest.base import ParsedDocument, Problem
from ingest.refmgr import RefItem, clean, items_document, last_first, year_of
from ingest.textio import decode_text

_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
#: CSL variables kept on the Work, under the names BibTeX Works use.
_CSL_EXTRA = {"publisher": "publisher", "publisher-place": "address", "volume": "volume",
              "issue": "number", "number": "number", "page": "pages", "ISBN": "isbn",
              "ISSN": "issn", "abstract": "abstract", "language": "language",
              "authority": "court", "jurisdiction": "jurisdiction", "edition": "edition",
              "collection-title": "series", "genre": "genre", "note": "note",
              "title-short": "shorttitle", "event-title": "eventtitle"}
_ZOTERO_EXTRA = {"publisher": "publisher", "place": "address", "volume": "volume",
                 "issue": "number", "number": "number", "pages": "pages", "ISBN": "isbn",
                 "ISSN": "issn", "abstractNote": "abstract", "language": "language",
                 "court": "court", "reporter": "reporter", "edition": "edition",
                 "series": "series", "institution": "institution", "university": "school",
                 "shortTitle": "shorttitle", "type": "genre", "code": "code",
                 "codeNumber": "code_number", "section": "section"}
_ZOTERO_VENUES = ("publicationTitle", "bookTitle", "proceedingsTitle", "websiteTitle",
                  "blogTitle", "encyclopediaTitle", "dictionaryTitle", "reporter", "court",
                  "code", "university", "institution", "publisher")
_ZOTERO_TITLES = ("title", "caseName", "nameOfAct", "subject")
_ZOTERO_DATES = ("date", "dateDecided", "dateEnacted", "issueDate", "filingDate")
_CITATION_KEY = re.compile(r"(?im)^\s*citation key:\s*(\S+)")
_EXTRA_DOI = re.compile(r"(?im)^\s*DOI:\s*(\S+)")
_EDITORS = frozenset({"editor", "seriesEditor"})


def plain(value: object) -> str:
    """Rich text of CSL / Zotero as plain text: tags dropped, entities decoded.

    >>> plain("On <i>Law</i> &amp; <span class='nocase'>Order</span>")
    'On Law & Order'
    """
    return clean(html.unescape(_TAG.sub("", clean(value))))


def _text(data: bytes | str, file: str) -> str:
    return data if isinstance(data, str) else decode_text(data, file)


def _load_json(data: bytes | str, file: str) -> Any:
    text = _text(data, file)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"not valid JSON: {exc.msg}", file=file, line=exc.lineno,
                         column=exc.colno) from exc


# -- CSL -------------------------------------------------------------------------------------

def _csl_name(name: object) -> str:
    if isinstance(name, str):
        return clean(name)
    if not isinstance(name, Mapping):
        return ""
    if name.get("literal"):
        return plain(name["literal"])
    family = " ".join(clean(name.get(k)) for k in ("non-dropping-particle", "family")
                      if name.get(k))
    given = " ".join(clean(name.get(k)) for k in ("given", "dropping-particle")
                     if name.get(k))
    full = last_first(plain(family), plain(given))
    suffix = clean(name.get("suffix"))
    return f"{full}, {suffix}" if suffix and full else full


def _csl_names(value: object) -> tuple[str, ...]:
    names = value if isinstance(value, list) else []
    return tuple(n for n in (_csl_name(v) for v in names) if n)


def _csl_year(issued: object) -> int | None:
    if isinstance(issued, Mapping):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            year = year_of(parts[0][0])
            if year is not None:
                return year
        return year_of(issued.get("raw") or issued.get("literal") or issued.get("year"))
    if isinstance(issued, list):  # CSL-YAML writes issued: [{year: 2001}]
        return next((y for y in (_csl_year(i) for i in issued) if y is not None), None)
    return year_of(issued if isinstance(issued, int) else clean(issued))


def csl_item(raw: Mapping[str, Any], index: int) -> RefItem:
    """A CSL-JSON item as a :class:`RefItem`."""
    key = clean(raw.get("citation-key") or raw.get("citation_key") or raw.get("id"))
    extra = {prop: plain(raw[name]) for name, prop in _CSL_EXTRA.items() if raw.get(name)}
    return RefItem(index, key=key, entry_type=clean(raw.get("type")),
                   title=plain(raw.get("title")), authors=_csl_names(raw.get("author")),
                   editors=_csl_names(raw.get("editor")), year=_csl_year(raw.get("issued")),
                   doi=clean(raw.get("DOI") or raw.get("doi")),
                   venue=plain(raw.get("container-title")),
                   url=clean(raw.get("URL") or raw.get("url")), extra=extra)


def _csl_items(value: object, file: str) -> Iterator[RefItem]:
    if isinstance(value, Mapping):
        value = value.get("references", value.get("items", [value]))
    if not isinstance(value, list):
        raise InputError("CSL data is neither a list of items nor an item", file=file, line=1)
    for index, raw in enumerate(value, 1):
        if not isinstance(raw, Mapping):
            raise InputError(f"CSL item {index} is not an object", file=file,
                             place=f"item {index}")
        yield csl_item(raw, index)


def parse_csl_json(data: bytes | str, *, file: str) -> ParsedDocument:
    """A CSL-JSON file (a list of items, or one item) → one Work per item."""
    return items_document(_csl_items(_load_json(data, file), file), file=file, fmt="csl-json")


def parse_csl_yaml(data: bytes | str, *, file: str) -> ParsedDocument:
    """A CSL-YAML file (``references:`` list, or a bare list) → one Work per item.

    >>> doc = parse_csl_yaml("references:\\n- id: k\\n  title: T\\n  issued: 2001\\n",
    ...                      file="r.yaml")
    >>> doc.batch.nodes[0].props["year"]
    2001
    """
    try:
        documents = [d for d in yaml.safe_load_all(_text(data, file)) if d is not None]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ParseError(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=file,
                         line=mark.line + 1 if mark is not None else None) from exc
    items: list[Any] = []
    for document in documents:
        items.extend(document if isinstance(document, list) else
                     document.get("references", [document]) if isinstance(document, Mapping)
                     else [])
    return items_document(_csl_items(items, file), file=file, fmt="csl-yaml")


# -- Zotero JSON -----------------------------------------------------------------------------

def _zotero_names(creators: object) -> tuple[tuple[str, ...], tuple[str, ...]]:
    authors: list[str] = []
    editors: list[str] = []
    for creator in creators if isinstance(creators, list) else []:
        if not isinstance(creator, Mapping):
            continue
        name = plain(creator["name"]) if creator.get("name") else last_first(
            plain(creator.get("lastName")), plain(creator.get("firstName")))
        role = creator.get("creatorType")
        if name and role != "translator":
            (editors if role in _EDITORS else authors).append(name)
    return tuple(authors), tuple(editors)


def zotero_item(raw: Mapping[str, Any], index: int) -> RefItem:
    """A Zotero / Better BibTeX JSON item as a :class:`RefItem`."""
    extra_field = raw.get("extra")
    notes = "\n".join(map(str, extra_field)) if isinstance(extra_field, list) else str(
        extra_field or "")
    found = _CITATION_KEY.search(notes)
    key = clean(raw.get("citationKey")) or (found.group(1) if found else "")
    doi = _EXTRA_DOI.search(notes)
    authors, editors = _zotero_names(raw.get("creators"))
    title = next((plain(raw[k]) for k in _ZOTERO_TITLES if raw.get(k)), "")
    venue = next((plain(raw[k]) for k in _ZOTERO_VENUES if raw.get(k)), "")
    year = next((y for y in (year_of(clean(raw.get(k))) for k in _ZOTERO_DATES)
                 if y is not None), None)
    extra = {prop: plain(raw[name]) for name, prop in _ZOTERO_EXTRA.items() if raw.get(name)}
    return RefItem(index, key=key, entry_type=clean(raw.get("itemType")), title=title,
                   authors=authors, editors=editors, year=year,
                   doi=clean(raw.get("DOI")) or (doi.group(1) if doi else ""),
                   venue=venue, url=clean(raw.get("url")), extra=extra)


def parse_zotero_json(data: bytes | str, *, file: str) -> ParsedDocument:
    """Zotero / Better BibTeX JSON (``{"items": [...]}``) → one Work per bibliographic item;
    stand-alone notes and attachments are reported, not loaded."""
    value = _load_json(data, file)
    raw_items = value.get("items") if isinstance(value, Mapping) else None
    if not isinstance(raw_items, list):
        raise InputError('Zotero JSON has no "items" list', file=file, line=1)
    items: list[RefItem] = []
    problems: list[Problem] = []
    for index, raw in enumerate(raw_items, 1):
        if not isinstance(raw, Mapping):
            raise InputError(f"Zotero item {index} is not an object", file=file,
                             place=f"item {index}")
        if raw.get("itemType") in ("note", "attachment", "annotation"):
            problems.append(Problem(file, f"a stand-alone {raw['itemType']}, not a "
                                          "bibliographic item", None, f"item {index}"))
            continue
        items.append(zotero_item(raw, index))
    return items_document(items, file=file, fmt="zotero-json", problems=problems)
