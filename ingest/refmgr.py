"""Reference-manager exports: the item every format reader produces, and its Work.

Each format reader (:mod:`ingest.refmgr_csl`, :mod:`ingest.refmgr_ris`,
:mod:`ingest.refmgr_endnote`, :mod:`ingest.refmgr_mods`) turns its records into
:class:`RefItem` values, in CSL-JSON terms; :func:`items_document` makes one Work per item
with the identity rules BibTeX uses (:func:`work_identity`: DOI first, then the citation
key, then title and year), so the same item exported as BibTeX and as CSL-JSON is one node.

Examples
--------
>>> item = RefItem(1, key="doe2001", title="Law", authors=("Doe, Jane",), year=2001)
>>> doc = items_document([item], file="refs.json", fmt="csl-json")
>>> node = doc.batch.nodes[0]
>>> node.id, node.props["authors"], node.props["kind"], doc.batch.document
('work:bib:doe2001', ['Doe, Jane'], 'csl-json', 'bib:refs')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from citegraph import ids
from citegraph.errors import InputError
from citegraph.model import GraphBatch, Node, NodeType, PropValue
from ingest.base import DocumentKind, ParsedDocument, Problem

_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


@dataclass(frozen=True, slots=True)
class RefItem:
    """One record of an export: its 1-based position, identity fields, names ("Last,
    First") and the other fields as plain strings (``extra``: publisher, volume, pages...)."""

    index: int
    key: str = ""
    entry_type: str = ""
    title: str = ""
    authors: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    year: int | None = None
    doi: str = ""
    venue: str = ""
    url: str = ""
    line: int | None = None
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def place(self) -> str:
        return self.key or f"item {self.index}"


def year_of(value: object) -> int | None:
    """The first four-digit year in a value (``"2001/09/01/"``, ``1998``).

    >>> year_of("2001/09/01/"), year_of(1998), year_of("n.d.")
    (2001, 1998, None)
    """
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10000:
        return value
    match = _YEAR.search(value) if isinstance(value, str) else None
    return int(match.group(1)) if match else None


def doi_of(text: str | None) -> str | None:
    """The bare DOI of a field, quotes around it dropped.

    >>> doi_of('"10.1016/S0004-3702(97)00050-7"'), doi_of("n/a")
    ('10.1016/s0004-3702(97)00050-7', None)
    """
    return ids.normalise_doi(text.replace('"', " ").replace("'", " ")) if text else None


def work_identity(*, doi: str | None, key: str | None, title: str | None,
                  year: int | None, authors: Iterable[str] = ()) -> str | None:
    """The Work id of a bibliographic item: DOI, else key, else title and year, else first
    author and year; None when nothing identifies it.

    >>> work_identity(doi="https://doi.org/10.1000/X", key="k", title=None, year=None)
    'work:doi:10.1000/x'
    >>> work_identity(doi=None, key=None, title="On Law", year=1999)
    'work:ty:on-law-1999'
    """
    bare = doi_of(doi)
    if bare is not None:
        return ids.work_id_from_doi(bare)
    if key and key.strip():
        return ids.work_id_from_bibkey(key)
    if title and title.strip():
        return ids.work_id_from_title_year(title, year)
    first = next(iter(authors), "")
    return ids.work_id_from_title_year(first, year) if first.strip() else None


def bib_document_id(file: str) -> str:
    """``bib:{slug of the file stem}``: every bibliography file is one document.

    >>> bib_document_id("/data/My Refs.csl.json")
    'bib:my-refs-csl'
    """
    return f"bib:{ids.slugify(Path(file).stem)}"


def _props(item: RefItem, document: str, fmt: str) -> dict[str, PropValue]:
    props: dict[str, PropValue] = {"entry_type": item.entry_type or "item", "kind": fmt,
                                   "bib_document": document, "status": "resolved",
                                   "item": item.index}
    if item.line is not None:
        props["line"] = item.line
    optional: dict[str, PropValue] = {
        "bibkey": item.key, "title": item.title, "authors": list(item.authors),
        "editors": list(item.editors), "venue": item.venue, "url": item.url}
    props.update({k: v for k, v in optional.items() if v})
    if item.year is not None:
        props["year"] = item.year
    doi = doi_of(item.doi)
    if doi:
        props["doi"] = doi
    for name, value in item.extra.items():
        if value and name not in props and name not in ("id", "type", "label"):
            props[name] = value
    return props


def work_node(item: RefItem, document: str, fmt: str) -> Node | None:
    """The Work of an item, or None when nothing identifies it."""
    work = work_identity(doi=item.doi, key=item.key, title=item.title, year=item.year,
                         authors=item.authors)
    if work is None:
        return None
    return Node(work, NodeType.WORK, item.title or item.key or work,
                _props(item, document, fmt))


def items_document(items: Iterable[RefItem], *, file: str, fmt: str,
                   problems: Iterable[Problem] = ()) -> ParsedDocument:
    """One Work per item (items of the same identity merge, reported); raises
    :class:`InputError` when the file holds no item."""
    found = list(items)
    reported = list(problems)
    if not found:
        raise InputError(f"no {fmt} item found", file=file, line=1)
    document = bib_document_id(file)
    nodes: dict[str, Node] = {}
    for item in found:
        node = work_node(item, document, fmt)
        if node is None:
            reported.append(Problem(file, "item has no DOI, key, title or author; not "
                                          "loaded", item.line, item.place))
        elif node.id in nodes:
            reported.append(Problem(file, f"same identity ({node.id}) as an earlier item; "
                                          "merged into it", item.line, item.place,
                                    skipped=False))
        else:
            nodes[node.id] = node
    summary = {"entries": len(found), "works": len(nodes),
               "skipped": sum(1 for p in reported if p.skipped)}
    return ParsedDocument(DocumentKind.BIBTEX, GraphBatch.of(document, nodes.values(), ()),
                          tuple(reported), (), summary)


def clean(value: object) -> str:
    """A field value as one line of plain text ('' for None, lists joined by '; ').

    >>> clean(["a ", " b"]), clean(None), clean("two\\n  lines")
    ('a; b', '', 'two lines')
    """
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(c for c in (clean(v) for v in value) if c)
    return " ".join(str(value).split())


def last_first(family: str, given: str = "") -> str:
    """``Last, First`` (or the family name alone).

    >>> last_first("de la Mare", "Walter"), last_first("WHO")
    ('de la Mare, Walter', 'WHO')
    """
    family, given = clean(family), clean(given)
    return f"{family}, {given}" if family and given else family or given


#: What a stub of a bibliography's Work carries when the citing reader only knows it by key.
STUB_PROPS = ("title", "year", "bibkey", "doi", "authors")


def work_stub(node: Node, *, keep: Iterable[str] | None = STUB_PROPS) -> Node:
    """A stub of a Work (all its properties with ``keep=None``): it creates the node if its
    bibliography was not loaded, and never overwrites what the bibliography says.

    >>> work_stub(Node("work:bib:k", NodeType.WORK, "T", {"title": "T", "venue": "V"})).props
    {'title': 'T', 'stub': True}
    """
    wanted = None if keep is None else set(keep)
    props = {k: v for k, v in node.props.items() if wanted is None or k in wanted}
    return Node(node.id, node.type, node.label, {**props, "stub": True})
