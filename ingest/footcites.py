"""What a footnote cites: Bluebook and humanities footnotes split into their citations.

Pure functions, in eyecite's stages: :func:`split_citations` cuts a footnote into its
citation clauses (``;`` at bracket depth 0, a new citation sentence, the signals *See*,
*Cf.*, *But see*, *E.g.* ...); :func:`parse_footnote` classifies each clause: US cases,
statutes, journal articles and short forms (``Id.``, ``supra note 12``, ``Roe, 410 U.S. at
115``) come from eyecite; treaties, books, ``Ibid.`` / ``op. cit.`` and other dated sources
from the patterns here. :func:`resolve_footnotes` points every short form back to the full
citation it abbreviates, across the footnotes of one document.

A citation's ``key`` is its identity: the same case cited in two papers has the same key.

Examples
--------
>>> notes = [(1, parse_footnote("See Roe v. Wade, 410 U.S. 113, 120 (1973); 18 U.S.C. § 2252.")),
...          (2, parse_footnote("Id. at 125.")),
...          (3, parse_footnote("Cf. Roe, 410 U.S. at 130."))]
>>> [(c.kind, c.signal, c.key) for c in notes[0][1]]
[('case', 'see', 'case:410-u-s-113'), ('statute', '', 'law:18-u-s-c-2252')]
>>> [[(c.kind, c.key) for c in cites] for _, cites in resolve_footnotes(notes)[1:]]
[[('id', 'law:18-u-s-c-2252')], [('short-case', 'case:410-u-s-113')]]
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any

from citegraph.ids import slugify

#: Signals that open a citation clause, longest first; matched case-insensitively.
SIGNALS = ("see, e.g.,", "see also", "see generally", "but see", "but cf.", "see", "cf.",
           "compare", "accord", "contra", "e.g.,", "but")
_SIGNAL = re.compile(r"(?P<signal>" + "|".join(re.escape(s) for s in SIGNALS)
                     + r")(?:,?\s+e\.g\.,)?(?=\s)\s*", re.IGNORECASE)
#: Where a new citation sentence starts inside a footnote: after ``.`` or ``)`` and a space,
#: a signal, a short form or a capitalised word.
_SENTENCE_START = re.compile(
    r"(?<=[.)])\s+(?=See\b|Cf\.|But\b|Compare\b|Accord\b|Contra\b|E\.g\.|Id\.|Ibid\b)")
_IBID = re.compile(r"^(?:Ibid|Ibidem|Id)\.?(?:,?\s+at\s+(?P<pin>[\d–-]+))?", re.IGNORECASE)
_OP_CIT = re.compile(r"^(?P<author>[^,]{2,60}),\s+(?:op\.\s*cit\.|loc\.\s*cit\.)", re.I)
_SUPRA = re.compile(r"^(?P<author>[^,]{2,80}?),?\s+(?:[^,]{0,80},\s+)?supra\s+(?:note\s+)?"
                    r"(?P<note>\d{1,4})?", re.IGNORECASE)
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_TREATY = re.compile(
    r"^(?P<name>(?:[A-Z][\w.’'-]*\s+){0,12}?(?:Convention|Treaty|Agreement|Protocol|Covenant|"
    r"Charter|Declaration|Accord)\b[^,]{0,200})")
_TREATY_SERIES = re.compile(r"U\.N\.T\.S\.|U\.S\.T\.|T\.I\.A\.S\.|I\.L\.M\.|O\.J\.|L\.N\.T\.S\.")
_BOOK = re.compile(
    r"^(?P<author>[^,()]{2,120}?(?:,? (?:et al\.|& [^,()]{2,60}))?),\s+"
    r"(?P<title>[^()]{3,300}?)(?:,?\s+\d[\d,–-]*)?(?:,?\s+at\s+\d[\d–-]*)?\s+"
    r"\((?P<paren>[^()]*?\b(?P<year>1[5-9]\d\d|20\d\d))\)")
_URL = re.compile(r"https?://\S+")
_BRACKETED = re.compile(r"\[[^\]]*\]?")
_DATED = re.compile(r"\((?:[^()]*\s)?(?:1[5-9]\d\d|20\d\d)\)")


@dataclass(frozen=True, slots=True)
class FootnoteCitation:
    """One citation in a footnote.

    ``kind`` is ``case``, ``statute``, ``journal`` (an article), ``book``, ``treaty``,
    ``source`` (another dated or online source), or a short form: ``id``, ``ibid``,
    ``supra``, ``short-case``. ``start``/``end`` index the footnote text. ``key`` is the
    identity of what is cited (empty for a short form until :func:`resolve_footnotes`).
    """

    kind: str
    text: str
    start: int
    end: int
    signal: str = ""
    key: str = ""
    label: str = ""
    year: str | None = None
    pin: str | None = None
    author: str | None = None
    title: str | None = None
    antecedent: str | None = None
    supra_note: int | None = None
    resolved: bool = False

    @property
    def short(self) -> bool:
        return self.kind in SHORT_KINDS


SHORT_KINDS = frozenset({"id", "ibid", "supra", "short-case"})


# -- split -----------------------------------------------------------------------------

def _depth_zero_semicolons(text: str, start: int, end: int) -> Iterator[int]:
    depth = 0
    for i in range(start, end):
        char = text[i]
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif char == ";" and depth == 0:
            yield i


def split_citations(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of the citation clauses of a footnote, trimmed.

    >>> t = "See A v. B, 1 U.S. 2 (1800); cf. C v. D, 3 U.S. 4 (1801). Id. at 5."
    >>> [t[a:b] for a, b in split_citations(t)]
    ['See A v. B, 1 U.S. 2 (1800)', 'cf. C v. D, 3 U.S. 4 (1801).', 'Id. at 5.']
    """
    cuts = [0]
    for match in _SENTENCE_START.finditer(text):
        cuts.append(match.start())
    cuts.append(len(text))
    spans: list[tuple[int, int]] = []
    for a, b in pairwise(cuts):
        pos = a
        for semi in _depth_zero_semicolons(text, a, b):
            spans.extend(_trim(text, pos, semi))
            pos = semi + 1
        spans.extend(_trim(text, pos, b))
    return spans


def _trim(text: str, a: int, b: int) -> list[tuple[int, int]]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return [(a, b)] if b > a else []


def _signal(text: str, start: int, end: int) -> tuple[str, int]:
    match = _SIGNAL.match(text, start, end)
    if match is None:
        return "", start
    signal = " ".join(match.group(0).strip().rstrip(",").lower().split())
    return signal, match.end()


# -- parse -----------------------------------------------------------------------------

def _eyecite(text: str) -> list[Any]:
    import eyecite.helpers
    from eyecite import get_citations

    if eyecite.helpers.get_court_by_paren is not _no_court:
        # eyecite matches every court's regexes against each parenthetical: 80 % of its
        # time on a law review's footnotes. The court is no part of a citation's identity.
        eyecite.helpers.get_court_by_paren = _no_court
        logging.getLogger("eyecite").setLevel(logging.ERROR)
    return list(get_citations(text))


def _no_court(*_args: Any, **_kwargs: Any) -> None:
    return None


def _groups_key(prefix: str, *parts: str | None) -> str:
    return f"{prefix}:{slugify(' '.join(p for p in parts if p), 80)}"


def _from_eyecite(cite: Any, text: str, clause: tuple[int, int], signal: str
                  ) -> FootnoteCitation | None:
    name = type(cite).__name__
    groups: dict[str, str] = dict(getattr(cite, "groups", {}) or {})
    meta = cite.metadata
    start, end = cite.span()
    pin = getattr(meta, "pin_cite", None)
    year = getattr(meta, "year", None)
    if name == "FullCaseCitation":
        key = _groups_key("case", groups.get("volume"), groups.get("reporter"),
                          groups.get("page"))
        parties = " v. ".join(p for p in (meta.plaintiff, meta.defendant) if p)
        label = f"{parties}, {cite.matched_text()}" if parties else cite.matched_text()
        label += f" ({year})" if year else ""
        start = _case_name_start(text, clause[0], start, meta.plaintiff)
        return FootnoteCitation("case", text[start:end], start, end, signal, key, label,
                                year, pin, antecedent=meta.plaintiff)
    if name == "FullLawCitation":
        key = _groups_key("law", groups.get("title") or groups.get("chapter"),
                          groups.get("reporter"), groups.get("section"))
        return FootnoteCitation("statute", cite.matched_text(), start, end, signal, key,
                                cite.matched_text(), year, pin)
    if name == "FullJournalCitation":
        return _journal(cite, text, clause, signal, groups, year, pin)
    if name == "IdCitation":
        return FootnoteCitation("id", cite.matched_text(), start, end, signal, pin=pin)
    if name == "SupraCitation":
        note = re.search(r"note\s+(\d+)", pin or "")
        return FootnoteCitation("supra", text[clause[0]:end], clause[0], end, signal, pin=pin,
                                antecedent=meta.antecedent_guess,
                                supra_note=int(note.group(1)) if note else None)
    if name == "ShortCaseCitation":
        key = _groups_key("short", groups.get("volume"), groups.get("reporter"))
        return FootnoteCitation("short-case", cite.matched_text(), start, end, signal,
                                pin=pin, antecedent=meta.antecedent_guess, label=key)
    return None


def _case_name_start(text: str, clause_start: int, cite_start: int, plaintiff: str | None
                     ) -> int:
    if plaintiff:
        found = text.rfind(plaintiff, clause_start, cite_start)
        if found >= 0:
            return found
    return cite_start


def _journal(cite: Any, text: str, clause: tuple[int, int], signal: str,
             groups: dict[str, str], year: str | None, pin: str | None) -> FootnoteCitation:
    start, end = cite.span()
    key = _groups_key("journal", groups.get("volume"), groups.get("reporter"),
                      groups.get("page"))
    head = text[clause[0]:start].strip().rstrip(",").strip()
    author, _, title = head.partition(", ")
    label = f"{title or head}, {cite.matched_text()}" if head else cite.matched_text()
    return FootnoteCitation("journal", text[clause[0]:end], clause[0], end, signal, key, label,
                            year, pin, author=author or None, title=title or None,
                            antecedent=_surname(author))


def _surname(author: str | None) -> str | None:
    if not author:
        return None
    first = re.split(r"\s*(?:,|&| and | et al\.)\s*", author.strip())[0]
    words = first.split()
    return words[-1].strip(".") if words else None


def _by_pattern(text: str, a: int, b: int, signal: str) -> FootnoteCitation | None:
    """A clause eyecite found nothing in: Ibid./op. cit., a treaty, a book, a dated source."""
    clause = text[a:b]
    if match := _IBID.match(clause):
        return FootnoteCitation("ibid", clause, a, b, signal, pin=match.group("pin"))
    if match := _OP_CIT.match(clause):
        return FootnoteCitation("supra", clause, a, b, signal,
                                antecedent=_surname(match.group("author")))
    if (match := _SUPRA.match(clause)) and "supra" in clause.lower():
        note = match.group("note")
        return FootnoteCitation("supra", clause, a, b, signal,
                                antecedent=_surname(match.group("author")),
                                supra_note=int(note) if note else None)
    year_match = _YEAR.search(clause)
    year = year_match.group(1) if year_match else None
    if (match := _TREATY.match(clause)) and (_TREATY_SERIES.search(clause) or year):
        name = match.group("name").strip().rstrip(",")
        return FootnoteCitation("treaty", clause, a, b, signal,
                                _groups_key("treaty", name), name, year, title=name)
    if match := _BOOK.match(clause):
        author, title = match.group("author").strip(), match.group("title").strip()
        return FootnoteCitation("book", clause, a, b, signal,
                                _groups_key("book", _surname(author), title, match.group("year")),
                                f"{author}, {title} ({match.group('year')})",
                                match.group("year"), author=author, title=title,
                                antecedent=_surname(author))
    if "§" in clause:
        head = clause.split(" (")[0].strip(" ,.")
        return FootnoteCitation("statute", clause, a, b, signal, _groups_key("law", head),
                                head, year)
    if _URL.search(clause) or _DATED.search(clause):
        head = _BRACKETED.sub("", _URL.sub("", clause)).split(" (")[0].strip(" ,.")
        return FootnoteCitation("source", clause, a, b, signal,
                                _groups_key("source", head[:120], year), head[:200], year)
    return None


def parse_footnote(text: str) -> tuple[FootnoteCitation, ...]:
    """The citations of one footnote's text, in order (short forms unresolved).

    A clause in which eyecite finds US citations gives one citation per eyecite hit; any
    other clause is tried against the treaty, book and dated-source patterns; a clause that
    is commentary, not a citation, gives nothing.

    >>> [(c.kind, c.title) for c in parse_footnote(
    ...     "See generally Jane Doe, A Book About Things 12 (2d ed. 2001).")]
    [('book', 'A Book About Things')]
    """
    spans = split_citations(text)
    found = sorted(_eyecite(text), key=lambda c: c.span()[0])
    out: list[FootnoteCitation] = []
    k = 0
    for a, b in spans:
        signal, body = _signal(text, a, b)
        hits = []
        while k < len(found) and found[k].span()[0] < b:
            if found[k].span()[0] >= a:
                hits.append(found[k])
            k += 1
        parsed = [c for c in (_from_eyecite(h, text, (body, b), signal) for h in hits) if c]
        if not parsed:
            single = _by_pattern(text, body, b, signal)
            parsed = [single] if single is not None else []
        out.extend(parsed)
    return tuple(out)


# -- resolve ---------------------------------------------------------------------------

@dataclass
class _Memory:
    last: FootnoteCitation | None = None
    by_note: dict[int, list[FootnoteCitation]] | None = None
    by_name: dict[str, FootnoteCitation] | None = None


def _remember(memory: _Memory, number: int, cite: FootnoteCitation) -> None:
    assert memory.by_note is not None and memory.by_name is not None
    memory.by_note.setdefault(number, []).append(cite)
    for name in (cite.antecedent, *(cite.label.split(",")[:1] if cite.kind == "case" else ())):
        if name:
            memory.by_name.setdefault(name.casefold().strip(), cite)
    if cite.kind == "case":
        memory.by_name.setdefault(_short_key(cite.key), cite)


def _short_key(key: str) -> str:
    """``case:410-u-s-113`` -> ``short:410-u-s`` (volume and reporter, as short cites give)."""
    return "short:" + key.split(":", 1)[1].rsplit("-", 1)[0]


def _antecedent(memory: _Memory, cite: FootnoteCitation) -> FootnoteCitation | None:
    assert memory.by_note is not None and memory.by_name is not None
    if cite.kind in ("id", "ibid"):
        return memory.last
    name = (cite.antecedent or "").casefold().strip()
    if cite.kind == "short-case":
        return memory.by_name.get(cite.label) or memory.by_name.get(name)
    if cite.supra_note is not None:
        candidates = memory.by_note.get(cite.supra_note, [])
        named = [c for c in candidates if name and name in (c.text + c.label).casefold()]
        if named or len(candidates) == 1:
            return (named or candidates)[0]
    return memory.by_name.get(name) if name else None


def resolve_footnotes(notes: Sequence[tuple[int, Sequence[FootnoteCitation]]]
                      ) -> list[tuple[int, tuple[FootnoteCitation, ...]]]:
    """Give every short form the key of the full citation it abbreviates.

    ``notes`` are (footnote number, citations) in document order. ``Id.``/``Ibid.`` take the
    citation just before; ``supra note N`` one of note N's citations (by author when there
    are several); a short case cite the case with its volume and reporter or name. A short
    form that cannot be resolved keeps an empty key and ``resolved=False``.
    """
    memory = _Memory(by_note={}, by_name={})
    out = []
    for number, cites in notes:
        resolved = []
        for cite in cites:
            if cite.short:
                target = _antecedent(memory, cite)
                if target is not None:
                    cite = replace(cite, key=target.key, label=target.label, year=target.year,
                                   resolved=True)
            else:
                _remember(memory, number, cite)
            if cite.key:
                memory.last = cite
            resolved.append(cite)
        out.append((number, tuple(resolved)))
    return out
