"""Author-year citations: ``(Smith 2010)``, ``Smith (2010, p. 5)``, ``(Smith & Doe 2010; Lee
et al. 2012a)``, ``Smith and Doe (2010)``, matched to a reference list by surname and year.

Pure functions: :func:`find_author_year` finds the calls and their (surname, year) items;
:func:`year_index` keys reference entries by first author's surname and year (``2012a`` is
the first entry of that surname and year in list order, ``2012b`` the second);
:func:`match_item` looks an item up.

Examples
--------
>>> text = "As shown (Smith & Doe 2010; Lee et al. 2012a), and Kant (1785, p. 4) agrees."
>>> [(text[c.start:c.end], c.items) for c in find_author_year(text)]
[('(Smith & Doe 2010; Lee et al. 2012a)', (('Smith', '2010'), ('Lee', '2012a'))), \
('Kant (1785, p. 4)', (('Kant', '1785'),))]
>>> index = year_index([("r1", ("John Smith", "Jane Doe"), 2010), ("r2", ("K. Lee",), 2012)])
>>> match_item(index, ("Lee", "2012a")), match_item(index, ("Smith", "2010"))
('r2', 'r1')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_NAME = r"(?:(?:van|von|de|der|den|da|di|du|le|la)\s+)*[A-Z][\w'’\-]+"
_AUTHORS = rf"{_NAME}(?:(?:,\s*{_NAME})*,?\s+(?:and|&)\s+{_NAME}|\s+et\s+al\.?)?"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)[a-z]?"
_PIN = r"(?:,\s*(?:p|pp|at|ch|chap|sec)\.?\s*[\d–\-]+)?"
_ITEM = re.compile(rf"(?P<authors>{_AUTHORS}),?\s+(?P<years>{_YEAR}(?:,\s*{_YEAR})*){_PIN}")
_PAREN = re.compile(r"\((?P<body>[^()]{4,400})\)")
_NARRATIVE = re.compile(rf"(?P<authors>{_AUTHORS})\s+\((?P<years>{_YEAR}(?:,\s*{_YEAR})*)"
                        rf"{_PIN}\)")
_LEAD = re.compile(r"^(?:see(?: also)?|e\.g\.|cf\.|i\.e\.|for example|following)[,\s]*", re.I)


@dataclass(frozen=True, slots=True)
class AuthorYearCall:
    """A call and its items: (first author's surname, year with any letter)."""

    start: int
    end: int
    items: tuple[tuple[str, str], ...]


def _items(authors: str, years: str) -> list[tuple[str, str]]:
    surname = authors.split(",")[0].split(" and ")[0].split("&")[0]
    surname = re.sub(r"\s+et\s+al\.?$", "", surname.strip()).split()[-1]
    return [(surname, y.strip()) for y in years.split(",")]


def _parenthetical(text: str, start: int, end: int) -> list[AuthorYearCall]:
    calls = []
    for match in _PAREN.finditer(text, start, end):
        items: list[tuple[str, str]] = []
        for part in match.group("body").split(";"):
            item = _ITEM.fullmatch(_LEAD.sub("", part.strip()))
            if item is None:
                items = []
                break
            items.extend(_items(item.group("authors"), item.group("years")))
        if items:
            calls.append(AuthorYearCall(match.start(), match.end(), tuple(items)))
    return calls


def find_author_year(text: str, start: int = 0, end: int | None = None
                     ) -> list[AuthorYearCall]:
    """Author-year calls in ``text[start:end]``, in order, with offsets into ``text``."""
    stop = len(text) if end is None else end
    calls = _parenthetical(text, start, stop)
    taken = [(c.start, c.end) for c in calls]
    for match in _NARRATIVE.finditer(text, start, stop):
        if any(a <= match.start("years") < b for a, b in taken):
            continue
        calls.append(AuthorYearCall(match.start(), match.end(),
                                    tuple(_items(match.group("authors"),
                                                 match.group("years")))))
    return sorted(calls, key=lambda c: c.start)


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if c.isalpha()).casefold()


def _surname(author: str) -> str:
    author = author.strip()
    if "," in author:
        return author.split(",")[0]
    return author.split()[-1] if author.split() else author


def year_index(entries: Iterable[tuple[str, Sequence[str], int | None]]
               ) -> dict[tuple[str, str], list[str]]:
    """(folded surname, year) -> keys of the entries in list order, from (key, authors,
    year) triples."""
    index: dict[tuple[str, str], list[str]] = {}
    for key, authors, year in entries:
        if authors and year:
            index.setdefault((_fold(_surname(authors[0])), str(year)), []).append(key)
    return index


def match_item(index: dict[tuple[str, str], list[str]], item: tuple[str, str]) -> str | None:
    """The key of the entry an item cites: ``2012b`` is the second entry of that year."""
    surname, year = item
    keys = index.get((_fold(surname), year[:4]), [])
    position = ord(year[4]) - ord("a") if len(year) > 4 else 0
    if position < len(keys):
        return keys[position]
    return keys[0] if keys and len(year) == 4 else None
