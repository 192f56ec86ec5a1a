"""Journal web pages (HTML): the article's text, headings and footnotes.

Law reviews publish their articles as web pages whose footnotes are either linked (a call
``<a href="#fn12">12</a>``, often in ``<sup>``, pointing to the note further down the page)
or inline (the call followed by an element with the note's text, shown on click). Both are
found by their shape, not by any one site's markup: a call is a short label (``12``,
``[12]``, ``a1``) in a link whose target comes after it, or a short label right before a
``*foot*``/``*note*`` element. The page is rendered as Markdown with footnotes — headings as
``#``, calls as ``[^n]``, one ``[^n]: text`` line per note — which
:func:`ingest.paper.parse_paper` reads (:mod:`ingest.footnotes`).

Examples
--------
>>> page = (b'<html><head><title>T</title></head><body><article><h2>I. Intro</h2>'
...         b'<p>Courts differ.<sup><a href="#fn1">1</a></sup></p></article>'
...         b'<ol><li id="fn1">See Roe v. Wade, 410 U.S. 113 (1973). '
...         b'<a href="#r1">&#8617;</a></li></ol></body></html>')
>>> print(html_paper_text(page, file="t.html"))
# T
<BLANKLINE>
## I. Intro
<BLANKLINE>
Courts differ.[^1]
<BLANKLINE>
[^1]: See Roe v. Wade, 410 U.S. 113 (1973).
<BLANKLINE>
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from citegraph.errors import ParseError

_LABEL = re.compile(r"^[\s\[(↑^]*(?P<label>[a-z]?\d{1,4})[\s\])]*$")
_NOTE_CLASS = re.compile(r"foot|note", re.IGNORECASE)
_SKIP = frozenset({"script", "style", "noscript", "nav", "header", "footer", "form", "svg",
                   "button", "iframe", "template", "select", "input"})
_BLOCKS = frozenset({"p", "div", "li", "ol", "ul", "blockquote", "section", "article", "table",
                     "tr", "figure", "figcaption", "dd", "dt", "dl", "main", "aside", "pre",
                     "br", "hr"})
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BACKLINK = re.compile(r"^\s*(?:[↑^↩︎↩]|return to\b.*|back\b.*)\s*$", re.IGNORECASE)
_MIN_NOTE = 3
#: What a page's note widgets append to a note's text: return links, show/close buttons.
_UI_TAIL = re.compile(r"(?:\s*(?:[↑↩]|Return to citation \^|(?:\.\.\.\s*)?(?:Show (?:More|Less)"
                      r"|Close|Collapse)))+\s*$")


@dataclass(frozen=True, slots=True)
class _Note:
    label: str
    element: Any  # the element holding the note's text


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


def _label(element: Any) -> str | None:
    match = _LABEL.match(element.text_content())
    return match.group("label") if match else None


def _call_element(anchor: Any) -> Any:
    """The ``<sup>`` around a call's link (or the link itself)."""
    parent = anchor.getparent()
    if parent is not None and parent.tag == "sup" and _label(parent) is not None:
        return parent
    return anchor


def _note_block(target: Any, label: str) -> Any | None:
    """The element holding a linked note: the target, or the nearest ancestor with text."""
    element = target
    for _ in range(4):
        if element is None or element.tag in ("body", "html") or _heading(element):
            return None  # a link to a heading is the table of contents
        if len(_text(element)) - len(label) >= _MIN_NOTE:
            return element
        element = element.getparent()
    return None


def _heading(element: Any) -> bool:
    return (element.tag in _HEADINGS or any(True for _ in element.iterdescendants(*_HEADINGS))
            or any(a.tag in _HEADINGS for a in element.iterancestors()))


_NOTE_PARAGRAPH = re.compile(r"^\s*\[?(?P<label>\d{1,4})\]?[.)]?\s+\S")


def _dangling_notes(root: Any, linked: set[Any]) -> Iterator[tuple[Any, _Note]]:
    """Calls whose link leads nowhere, matched to the paragraphs after the last call that
    open with their number (``[2]. Text``, ``2. Text``)."""
    order = {el: i for i, el in enumerate(root.iter())}
    calls = [a for a in root.iter("a") if (a.get("href") or "").startswith("#")
             and _label(a) is not None and _call_element(a) not in linked]
    by_id = {el.get("id") or el.get("name") for el in root.iter()}
    dangling = [a for a in calls if a.get("href")[1:] not in by_id]
    if not dangling:
        return
    last = max(order[a] for a in dangling)
    paragraphs: dict[str, Any] = {}
    for block in root.iter("p", "li", "div"):
        match = _NOTE_PARAGRAPH.match(block.text_content())
        inner = any(True for _ in block.iterdescendants("p", "div"))
        if order[block] > last and match and not inner:
            paragraphs.setdefault(match.group("label"), block)
    for anchor in dangling:
        label = _label(anchor)
        if label in paragraphs:
            yield _call_element(anchor), _Note(label, paragraphs[label])


def _linked_notes(root: Any) -> Iterator[tuple[Any, _Note]]:
    """(call element, note) for every link to a note further down the page."""
    order = {el: i for i, el in enumerate(root.iter())}
    by_id = {el.get("id") or el.get("name"): el for el in root.iter()
             if el.get("id") or el.get("name")}
    for anchor in root.iter("a"):
        href = anchor.get("href") or ""
        label = _label(anchor)
        if not href.startswith("#") or label is None:
            continue
        target = by_id.get(href[1:])
        if target is None or order.get(target, -1) <= order[anchor]:
            continue  # a link back up is a note's return link, not a call
        block = _note_block(target, label)
        if block is not None:
            yield _call_element(anchor), _Note(label, block)


def _inline_notes(root: Any) -> Iterator[tuple[Any, _Note]]:
    """(call element, note) for a short label followed by its note's text in the page."""
    for call in root.iter("sup", "button", "span", "a"):
        label = _label(call)
        nxt = call.getnext()
        if label is None or nxt is None or not isinstance(nxt.tag, str):
            continue
        if _NOTE_CLASS.search(nxt.get("class") or "") and len(_text(nxt)) >= 2:
            yield call, _Note(label, nxt)


def _plausible(pairs: list[tuple[Any, _Note]]) -> list[tuple[Any, _Note]]:
    """Drop links numbered far beyond the count of notes: page links (``*839``) of a
    star-paged text or a table of contents, not footnotes."""
    numbers = {int(n.label) for _, n in pairs if n.label.isdigit()}
    limit = 1.5 * len(numbers) + 5
    return [(c, n) for c, n in pairs if not n.label.isdigit() or int(n.label) <= limit]


def _note_text(note: _Note) -> str:
    """A note's text without its number and its return links."""
    for anchor in list(note.element.iter("a")):
        if (anchor.get("href") or "").startswith("#") and (
                _BACKLINK.match(anchor.text_content()) or _label(anchor) == note.label):
            anchor.drop_tree()
    text = _text(note.element)
    text = re.sub(rf"^[\s.\[(↑^]*{re.escape(note.label)}(?![\d,.]\d)[\s.\])]*", "", text)
    return _UI_TAIL.sub("", text).strip()


class _Renderer:
    def __init__(self, calls: dict[Any, str], skip: set[Any]) -> None:
        self.calls, self.skip = calls, skip
        self.out: list[str] = []

    def walk(self, element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if element in self.calls:
            self.out.append(f"[^{self.calls[element]}]")
        elif element in self.skip or tag in _SKIP or not tag:
            pass
        elif tag in _HEADINGS:
            mark = len(self.out)
            self.out.append(element.text or "")
            for child in element:
                self.walk(child)  # a heading may carry a footnote call
            title = " ".join("".join(self.out[mark:]).split())
            del self.out[mark:]
            if title:
                self.out.append(f"\n\n{'#' * _HEADINGS[tag]} {title}\n\n")
        else:
            block = tag in _BLOCKS
            if block:
                self.out.append("\n\n")
            self.out.append(element.text or "")
            for child in element:
                self.walk(child)
            if block:
                self.out.append("\n\n")
        self.out.append(element.tail or "")

    def text(self) -> str:
        paragraphs = re.split(r"\n\s*\n", "".join(self.out))
        return "\n\n".join(p for p in (" ".join(x.split()) for x in paragraphs) if p)


def _content_root(document: Any) -> Any:
    for path in ("//article", "//main", "//body"):
        found = document.xpath(path)
        if found:
            return max(found, key=lambda el: len(el.text_content()))
    return document


def html_paper_text(data: bytes, *, file: str) -> str:
    """A journal page as Markdown with footnotes (see the module's description).

    Raises :class:`ParseError` for a page with no text.
    """
    import lxml.html
    from lxml.etree import ParserError

    try:
        document = lxml.html.fromstring(data)
    except (ParserError, ValueError) as exc:
        raise ParseError(f"not a readable HTML page: {exc}", file=file) from exc
    pairs = list(_linked_notes(document))
    paired = {call for call, _ in pairs}
    pairs += [(c, n) for c, n in _inline_notes(document) if c not in paired
              and not any(p in paired for p in c.iterancestors())]
    pairs += _dangling_notes(document, {call for call, _ in pairs})
    notes: dict[str, _Note] = {}
    calls: dict[Any, str] = {}
    for call, note in _plausible(pairs):
        calls[call] = note.label
        notes.setdefault(note.label, note)
    skip = {note.element for note in notes.values()}
    title = document.findtext(".//title") or ""
    renderer = _Renderer(calls, skip)
    renderer.walk(_content_root(document))
    body = renderer.text()
    if not body.strip():
        raise ParseError("HTML page has no text", file=file)
    definitions = "\n".join(f"[^{n.label}]: {_note_text(n)}" for n in notes.values())
    head = f"# {' '.join(title.split())}\n\n" if title.strip() else ""
    return f"{head}{body}\n\n{definitions}\n" if definitions else f"{head}{body}\n"
