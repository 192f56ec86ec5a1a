"""The independent record of a law review's footnotes: its journal web page.

Another method than the reader's (``ingest.html`` finds notes by shape, generically): this
extractor knows the markup families the journals here publish with, looked up by hand in
the pages and checked by eye on a few notes of each, and reads each note's number and text
from that family's own elements:

- Westlaw (``co_footnoteNumber`` / ``co_footnoteBody``),
- WordPress "modern footnotes" (``span.modern-footnotes-footnote__note[data-mfn]``),
- WordPress lists (``li[id^=post-N-footnote-]``, Texas and Virginia; Virginia's inline
  ``span.foot-ref[data-id]`` with its printed number),
- Harvard's footnote list (``li.single-article-footnotes-list__item``, numbered in order),
- Word-exported ``_ftn`` notes (``<a name="_ftnN">`` or a paragraph opening ``[N].``),
- NLM/JATS notes (``span.NLM_fn[id^=fn]``), ``li[id^=note-]`` lists, Columbia's
  ``cite.footnote > span.footnote-text``.

Only numbered notes are records (an author's ``*`` note is not a footnote number).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

_NUMBER = re.compile(r"^\s*[\[(]?(\d{1,4})[\])]?[.)]?\s*")
_TAIL = re.compile(r"\s*(?:↑|Return to citation \^|\.\.\.\s*Close|Close|Show More)\s*$")


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


def _clean(text: str, number: int | None = None) -> str:
    if number is not None:
        text = re.sub(rf"^\s*[.\[(↑^]*\s*{number}[\])]?[.)]?\s*", "", text)
    return _TAIL.sub("", text).strip().lstrip(". ").strip()


def _westlaw(doc: Any) -> dict[int, str]:
    notes = {}
    for number in doc.xpath("//*[contains(@class,'co_footnoteNumber')]"):
        label = _text(number)
        body = number.getnext()
        if label.isdigit() and body is not None:
            notes.setdefault(int(label), _clean(_text(body)))
    return notes


def _modern(doc: Any) -> dict[int, str]:
    notes = {}
    for span in doc.xpath("//span[contains(@class,'modern-footnotes-footnote__note')]"):
        label = span.get("data-mfn") or ""
        if label.isdigit():
            notes.setdefault(int(label), _clean(_text(span)))
    return notes


def _post_lists(doc: Any) -> dict[int, str]:
    items = doc.xpath("//li[starts-with(@id,'post-') and contains(@id,'-footnote-')"
                      " and not(contains(@id,'-ref-'))]")
    spans = doc.xpath("//span[contains(@class,'foot-ref') and @data-id]")
    notes: dict[int, str] = {}
    if spans:  # Virginia: the inline note carries its printed number in its first span
        for span in spans:
            match = _NUMBER.match(_text(span))
            if match:
                notes.setdefault(int(match.group(1)), _clean(_text(span), int(match.group(1))))
        return notes
    for number, item in enumerate(items, start=1):  # Texas: the list's own order
        notes[number] = _clean(_text(item))
    return notes


def _harvard(doc: Any) -> dict[int, str]:
    items = doc.xpath("//li[contains(@class,'single-article-footnotes-list__item')]")
    notes = {}
    for number, item in enumerate(items, start=1):
        content = item.xpath(".//*[contains(@class,'item-content')]")
        notes[number] = _clean(_text(content[0] if content else item).lstrip("^ "))
    return notes


def _word_ftn(doc: Any) -> dict[int, str]:
    notes: dict[int, str] = {}
    named = "//a[starts-with(@name,'_ftn') and not(starts-with(@name,'_ftnref'))]"
    for anchor in doc.xpath(named):
        block = anchor.getparent()
        match = _NUMBER.match(_text(block))
        if match:
            notes.setdefault(int(match.group(1)), _clean(_text(block), int(match.group(1))))
    if notes:
        return notes
    for para in doc.xpath("//p"):
        text = _text(para)
        match = re.match(r"^\[(\d{1,4})\]\.\s+\S", text)
        if match:
            notes.setdefault(int(match.group(1)), _clean(text[match.end() - 1:]))
    return notes


def _nlm(doc: Any) -> dict[int, str]:
    notes = {}
    for span in doc.xpath("//span[contains(@class,'NLM_fn')]"):
        match = re.fullmatch(r"fn(\d+)", span.get("id") or "")
        if match and match.group(1) != "0" and not match.group(1).startswith("0"):
            notes.setdefault(int(match.group(1)), _clean(_text(span), int(match.group(1))))
    return notes


def _note_items(doc: Any) -> dict[int, str]:
    notes = {}
    for item in doc.xpath("//li[starts-with(@id,'note-')]"):
        number = int(item.get("id")[5:]) if item.get("id")[5:].isdigit() else None
        if number is not None:
            notes[number] = _clean(_text(item).lstrip("↑ "), number)
    return notes


def _columbia(doc: Any) -> dict[int, str]:
    notes = {}
    for span in doc.xpath("//cite[contains(@class,'footnote')]//span[@class='footnote-text']"):
        match = _NUMBER.match(_text(span))
        if match:
            notes.setdefault(int(match.group(1)), _clean(_text(span), int(match.group(1))))
    return notes


_FAMILIES = (_westlaw, _modern, _post_lists, _harvard, _nlm, _note_items, _columbia, _word_ftn)


def record_footnotes(path: Path) -> tuple[str, dict[int, str]]:
    """(family, {number: text}) of the page's footnotes; the first family that has any."""
    import lxml.html

    doc = lxml.html.fromstring(path.read_bytes())
    for family in _FAMILIES:
        notes = family(doc)
        if notes:
            return family.__name__.strip("_"), notes
    return "none", {}
