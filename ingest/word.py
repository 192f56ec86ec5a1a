"""Word documents (.docx) and OpenDocument text (.odt): body, headings, footnotes and
endnotes, and the citation fields reference managers embed.

Both are ZIP archives of XML, read with :mod:`zipfile` and defusedxml (members over
:data:`MAX_MEMBER` bytes are refused). A citation field names its works outright:

* Zotero: ``ADDIN ZOTERO_ITEM CSL_CITATION {json}`` (a Word field code; in .odt the name
  of a reference mark) whose ``citationItems[].itemData`` are CSL-JSON items;
* Mendeley: ``ADDIN CSL_CITATION {json}``, the same CSL-JSON;
* EndNote: ``ADDIN EN.CITE <EndNote><Cite>...<record>`` with EndNote XML records.

Each cited item becomes an exact CITES edge (method ``citation-field``, confidence 1)
to the Work the identity rules of every bibliography give it (DOI, citation key, title and
year), so the same item loaded from the library's export is the same node.

Examples
--------
>>> instr = ('ADDIN ZOTERO_ITEM CSL_CITATION {"citationID": "a", "citationItems": [{"id": 1,'
...          ' "itemData": {"id": 1, "citation-key": "doe2001", "title": "Law", "type": "book",'
...          ' "issued": {"date-parts": [[2001]]}}}]} RND12')
>>> [(item.key, item.year) for item in field_items(instr, "d.docx")[0]]
[('doe2001', 2001)]
"""

from __future__ import annotations

import html
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING

from citegraph.errors import InputError, InputTooLargeError
from ingest.base import ParsedDocument, Problem
from ingest.citedpaper import Cite, HeadingSpan, cited_paper
from ingest.refmgr import RefItem, bib_document_id, work_node, work_stub
from ingest.refmgr_csl import csl_item
from ingest.refmgr_endnote import endnote_xml_item
from ingest.xmlsafe import local, parse_xml, text_of

if TYPE_CHECKING:
    from ingest.formats import Source

#: Largest member of the archive read (bytes, uncompressed).
MAX_MEMBER = 50_000_000
_HEADING_STYLE = re.compile(r"(?i)^(?:heading|berschrift|titre|titulo)\s*_?(\d)$|^Title$")
_CSL = re.compile(r"(?:\bADDIN\s+|^\s*)(?:ZOTERO_ITEM\s+)?CSL_CITATION\b")
_ENDNOTE = re.compile(r"\bADDIN\s+EN\.CITE\b")


@dataclass(slots=True)
class Para:
    """A paragraph: its text, heading level (0 for body text), the citation fields in it
    (start, end, instruction) and, for a note, its locator (``footnote 3``)."""

    text: str = ""
    level: int = 0
    fields: list[tuple[int, int, str]] = field(default_factory=list)
    locator: str = ""


def field_items(instruction: str, file: str) -> tuple[list[RefItem], str]:
    """The items a citation field names, and which manager wrote it ('' if none)."""
    if _CSL.search(instruction):
        brace = instruction.find("{")
        try:
            value, _ = json.JSONDecoder().raw_decode(instruction[brace:])
        except (ValueError, IndexError):
            return [], "csl-broken"
        items = value.get("citationItems", []) if isinstance(value, dict) else []
        return [csl_item(i["itemData"], n) for n, i in enumerate(items, 1)
                if isinstance(i, dict) and isinstance(i.get("itemData"), dict)], "csl"
    if _ENDNOTE.search(instruction):
        unescaped = html.unescape(instruction)
        start = unescaped.find("<")
        payload = unescaped[start:] if start >= 0 else "<none/>"
        try:
            root = parse_xml(payload.encode("utf-8"), file)
        except InputError:
            return [], "endnote-broken"
        records = [e for e in root.iter() if local(e.tag) == "record"]
        return [endnote_xml_item(r, n) for n, r in enumerate(records, 1)], "endnote"
    return [], ""


# -- reading the archive ---------------------------------------------------------------------

def _member(archive: zipfile.ZipFile, name: str, file: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_MEMBER:
        raise InputTooLargeError(f"{name} is {info.file_size} bytes uncompressed, over "
                                 f"{MAX_MEMBER}", file=file)
    return archive.read(info)


def _archive(data: bytes, file: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise InputError(f"not a ZIP archive (a Word or OpenDocument file is one): {exc}",
                         file=file) from exc


# -- .docx -------------------------------------------------------------------------------------

def _docx_para(p: ET.Element, locator: str = "") -> Para:
    """Text and fields of a ``w:p``: runs' ``w:t``, tabs and breaks; field codes between
    ``fldChar`` begin and separate, their result up to end; ``w:fldSimple`` too."""
    para = Para(locator=locator)
    style = next((e.get(_w("val")) for e in p.iter(_w("pStyle"))), None) or ""
    heading = _HEADING_STYLE.match(style)
    if heading:
        para.level = int(heading.group(1) or 1)
    pieces: list[str] = []
    stack: list[list[object]] = []  # [instruction, result start or None]
    for e in p.iter():
        tag = local(e.tag)
        if tag == "fldChar":
            kind = e.get(_w("fldCharType"))
            if kind == "begin":
                stack.append(["", None])
            elif kind == "separate" and stack:
                stack[-1][1] = len("".join(pieces))
            elif kind == "end" and stack:
                instr, start = stack.pop()
                begin = start if isinstance(start, int) else len("".join(pieces))
                para.fields.append((begin, len("".join(pieces)), str(instr)))
        elif tag == "instrText" and stack:
            stack[-1][0] = str(stack[-1][0]) + (e.text or "")
        elif tag == "fldSimple":
            para.fields.append((len("".join(pieces)), len("".join(pieces)) + len(text_of(e)),
                                e.get(_w("instr")) or ""))
        elif tag == "t":
            pieces.append(e.text or "")
        elif tag in ("tab", "br", "cr"):
            pieces.append(" ")
    para.text = "".join(pieces)
    return para


def _w(name: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + name


def docx_paragraphs(data: bytes, file: str) -> list[Para]:
    """Body paragraphs (with tables' text) then footnotes and endnotes."""
    with _archive(data, file) as archive:
        body = _member(archive, "word/document.xml", file)
        if body is None:
            raise InputError("no word/document.xml: not a Word document", file=file)
        paras = [_docx_para(p) for p in _top_paragraphs(parse_xml(body, file))]
        for part, kind in (("word/footnotes.xml", "footnote"), ("word/endnotes.xml", "endnote")):
            notes = _member(archive, part, file)
            if notes is not None:
                paras.extend(_docx_notes(parse_xml(notes, file), kind))
    return paras


def _top_paragraphs(root: ET.Element) -> Iterator[ET.Element]:
    return (e for e in root.iter(_w("p")))


def _docx_notes(root: ET.Element, kind: str) -> Iterator[Para]:
    for note in root:
        if local(note.tag) not in ("footnote", "endnote") or note.get(_w("type")):
            continue  # separators
        for p in note.iter(_w("p")):
            yield _docx_para(p, f"{kind} {note.get(_w('id'))}")


# -- .odt --------------------------------------------------------------------------------------

_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def _odt_walk(e: ET.Element, para: Para, pieces: list[str], open_marks: dict[str, int],
              notes: list[Para]) -> None:
    for node in e:
        tag = local(node.tag)
        name = node.get(f"{{{_TEXT_NS}}}name") or ""
        if tag == "note":
            citation = node.find(f"{{{_TEXT_NS}}}note-citation")
            label = f"footnote {text_of(citation)}" if citation is not None else "note"
            body = node.find(f"{{{_TEXT_NS}}}note-body")
            for p in body.iter() if body is not None else []:
                if local(p.tag) in ("p", "h"):
                    notes.append(_odt_para(p, [], label))
        elif tag in ("reference-mark-start", "bookmark-start") and "CITATION" in name:
            open_marks[name] = len("".join(pieces))
        elif tag in ("reference-mark-end", "bookmark-end") and name in open_marks:
            para.fields.append((open_marks.pop(name), len("".join(pieces)), name))
        elif tag == "reference-mark" and "CITATION" in name:
            para.fields.append((len("".join(pieces)), len("".join(pieces)), name))
        else:
            if tag == "s":
                pieces.append(" " * int(node.get(f"{{{_TEXT_NS}}}c") or 1))
            elif tag in ("tab", "line-break"):
                pieces.append(" ")
            else:
                pieces.append(node.text or "")
                _odt_walk(node, para, pieces, open_marks, notes)
        pieces.append(node.tail or "")


def _odt_para(p: ET.Element, notes: list[Para], locator: str = "") -> Para:
    para = Para(locator=locator)
    if local(p.tag) == "h":
        para.level = int(p.get(f"{{{_TEXT_NS}}}outline-level") or 1)
    pieces = [p.text or ""]
    _odt_walk(p, para, pieces, {}, notes)
    para.text = "".join(pieces)
    return para


def odt_paragraphs(data: bytes, file: str) -> list[Para]:
    """Body paragraphs and headings, then the notes met in them."""
    with _archive(data, file) as archive:
        content = _member(archive, "content.xml", file)
    if content is None:
        raise InputError("no content.xml: not an OpenDocument file", file=file)
    root = parse_xml(content, file)
    notes: list[Para] = []
    paras = [_odt_para(p, notes) for p in _odt_blocks(root)]
    return paras + notes


def _odt_blocks(root: ET.Element) -> Iterator[ET.Element]:
    """``text:p`` and ``text:h`` of the body, outermost only (not those inside notes)."""
    def walk(e: ET.Element) -> Iterator[ET.Element]:
        for node in e:
            if local(node.tag) in ("p", "h"):
                yield node
            elif local(node.tag) != "note":
                yield from walk(node)
    body = next((e for e in root.iter() if local(e.tag) == "text"), root)
    return walk(body)


# -- the paper ---------------------------------------------------------------------------------

def _cites(paras: list[Para], file: str) -> tuple[str, list[HeadingSpan], list[Cite],
                                                   list[Problem]]:
    document = bib_document_id(file)
    text_parts: list[str] = []
    headings: list[HeadingSpan] = []
    cites: list[Cite] = []
    problems: list[Problem] = []
    offset = 0
    for para in paras:
        if para.level and not para.locator and para.text.strip():
            headings.append(HeadingSpan(para.level, " ".join(para.text.split()), offset,
                                        offset + len(para.text)))
        for start, end, instruction in para.fields:
            items, maker = field_items(instruction, file)
            works = tuple((work_stub(n, keep=None), i.key or i.place) for i in items
                          if (n := work_node(i, document, f"{maker}-field")) is not None)
            if maker.endswith("broken") or (maker and not works):
                problems.append(Problem(file, f"citation field ({maker}) names no readable "
                                              "item", None, para.locator or None,
                                        skipped=False))
            if works:
                cites.append(Cite(offset + start, offset + end, works, "citation-field",
                                  para.locator))
        text_parts.append(para.text)
        offset += len(para.text) + 2
    return "\n\n".join(text_parts), headings, cites, problems


def _word_paper(paras: list[Para], file: str, slug: str | None, fmt: str) -> ParsedDocument:
    if not any(p.text.strip() for p in paras):
        raise InputError("the document has no text", file=file)
    text, headings, cites, problems = _cites(paras, file)
    name = slug or PurePath(file).stem
    title = headings[0].title if headings and headings[0].level == 1 else None
    return cited_paper(text, headings, cites, file=file, slug=name, title=title, fmt=fmt,
                       problems=problems)


def parse_docx(data: bytes, *, file: str, slug: str | None = None) -> ParsedDocument:
    """A .docx: body, headings (Heading N styles), footnotes, endnotes, citation fields."""
    return _word_paper(docx_paragraphs(data, file), file, slug, "docx")


def parse_odt(data: bytes, *, file: str, slug: str | None = None) -> ParsedDocument:
    """An .odt: paragraphs, headings (outline level), notes, citation reference marks."""
    return _word_paper(odt_paragraphs(data, file), file, slug, "odt")


def read_docx(source: Source) -> ParsedDocument:
    """Registry adapter: a .docx."""
    return parse_docx(source.data, file=source.name, slug=source.slug)


def read_odt(source: Source) -> ParsedDocument:
    """Registry adapter: an .odt."""
    return parse_odt(source.data, file=source.name, slug=source.slug)


def docx_text(source: Source) -> str:
    """The text a .docx's offsets index: its paragraphs (then notes) joined by blank lines."""
    return _cites(docx_paragraphs(source.data, source.name), source.name)[0]


def odt_text(source: Source) -> str:
    """The text an .odt's offsets index."""
    return _cites(odt_paragraphs(source.data, source.name), source.name)[0]
