"""Reference strings: splitting a reference list into entries and parsing each entry.

A careful heuristic parser, not a citation-style engine: it finds the DOI and URL, the year,
a quoted or style-delimited title, the authors before it and the venue after it, and always
keeps the raw string so that a reader can check what was found.

Examples
--------
>>> ref = parse_reference(
...     'Doe, J., & Roe, A. (2019). A study of things. Journal of Tests, 4(2), 1-9. '
...     'https://doi.org/10.1000/ABC.1')
>>> ref.authors, ref.year, ref.title, ref.venue, ref.doi
(('Doe, J.', 'Roe, A.'), 2019, 'A study of things', 'Journal of Tests', '10.1000/abc.1')
>>> reference_work_id(ref)
'work:doi:10.1000/abc.1'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from citegraph import ids
from citegraph.model import Node, NodeType, PropValue

_DOI = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}/[^\s\"<>]+)",
                  re.IGNORECASE)
_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
_YEAR_PAREN = re.compile(r"\((?:[^()]*?\b)?((?:1[5-9]|20)\d{2})[a-z]?\)")
_YEAR = re.compile(r"(?<![\d/.-])((?:1[5-9]|20)\d{2})[a-z]?(?![\d/])")
_QUOTED = re.compile(r"[\"“”«]([^\"“”«»]{3,}?)[\"“”»]")
#: A title in single quotes (Harvard), only where a title stands: at the start or after
#: ``. ``, ``, `` or ``) ``, closed before punctuation, so apostrophes are not quotes.
_SINGLE_QUOTED = re.compile(r"(?:^|(?<=[.,)] ))[‘']([^‘’]{3,}?)[’'](?=[,.;:]|$)")
#: GB/T 7714 document-type codes, e.g. ``Title[J]. Journal`` or ``书名[M]. 出版社``.
_GBT_TYPE = re.compile(r"\[(?:J|M|C|D|R|N|S|P|Z|A|EB/OL|J/OL|M/OL|DB|CP|G)\]")
_NUMBERED_BRACKET = re.compile(r"^[ \t]*\[(\d{1,3})\][ \t]*", re.MULTILINE)
_NUMBERED_DOT = re.compile(r"^[ \t]*(\d{1,3})[.)][ \t]+", re.MULTILINE)
_BLANK = re.compile(r"\n[ \t]*\n")
_INITIALS = re.compile(r"^(?:[A-Z][a-z]?\.?[ -]?){1,3}$")
#: A name written initials first: ``J. Smith``, ``A. B. van Dijk``, ``J.-P. Sartre``.
_NAME_FIRST_INITIALS = re.compile(
    r"(?:[A-Z][a-z]?\.[ -]?-?)+\s*(?:[a-z]{1,3}\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?")
_SURNAME = re.compile(r"(?:[a-z]+ )*[A-Z][\w'’ -]*[a-z]")
_BREAK = re.compile(r"[.?!。](?:\s+|$)")
_ABBREVIATED = frozenset({"ed", "eds", "et al", "al", "vol", "no", "pp", "inc"})
_LEADING_NUMBER = re.compile(r"^(?:\[\d{1,3}\]|\d{1,3}[.)](?=\s))\s*")


@dataclass(frozen=True, slots=True)
class ReferenceEntry:
    """One entry of a reference list: its number (when numbered) and its place in the text."""

    number: int | None
    raw: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ParsedReference:
    """What the parser found in one reference string; ``raw`` is kept whole."""

    raw: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    title: str | None = None
    venue: str | None = None
    doi: str | None = None
    url: str | None = None


# -- splitting -------------------------------------------------------------------------------

def split_reference_list(text: str, start: int = 0, end: int | None = None
                         ) -> list[ReferenceEntry]:
    """Split ``text[start:end]`` into entries: ``[1] ...``, ``1. ...`` or one per paragraph.

    Offsets of the entries index ``text`` itself. Numbered styles are used only when the
    numbers count up from 1 (so a stray ``1990.`` at a line start does not split an entry).

    >>> [e.number for e in split_reference_list("[1] A. Foo.\\n[2] B. Bar,\\n  wrapped.")]
    [1, 2]
    >>> [e.raw for e in split_reference_list("Foo, A. One.\\n\\nBar, B. Two.")]
    ['Foo, A. One.', 'Bar, B. Two.']
    """
    stop = len(text) if end is None else end
    region = text[start:stop]
    for pattern in (_NUMBERED_BRACKET, _NUMBERED_DOT):
        entries = _split_numbered(region, start, pattern)
        if entries:
            return entries
    return _split_paragraphs(region, start)


def _split_numbered(region: str, offset: int, pattern: re.Pattern[str]
                    ) -> list[ReferenceEntry]:
    matches = []
    expected = 1
    for match in pattern.finditer(region):
        if int(match.group(1)) == expected:
            matches.append(match)
            expected += 1
    if len(matches) < 1 or region[: matches[0].start()].strip():
        return []
    entries = []
    for i, match in enumerate(matches):
        body_end = matches[i + 1].start() if i + 1 < len(matches) else len(region)
        entries.append(_entry(region, offset, match.end(), body_end, int(match.group(1))))
    return [e for e in entries if e.raw]


def _split_paragraphs(region: str, offset: int) -> list[ReferenceEntry]:
    pieces: list[tuple[int, int]] = []
    pos = 0
    for blank in _BLANK.finditer(region):
        pieces.append((pos, blank.start()))
        pos = blank.end()
    pieces.append((pos, len(region)))
    if sum(1 for a, b in pieces if region[a:b].strip()) == 1:
        pieces = _split_lines(region)  # no blank lines between the entries
    entries = [_entry(region, offset, a, b, None) for a, b in pieces]
    return [e for e in entries if e.raw]


def _split_lines(region: str) -> list[tuple[int, int]]:
    """Entries of a list without blank lines: a line starts a new entry when it is not
    indented, opens with a capital and the line before ended an entry (``.``); otherwise
    it continues the entry (a wrapped line, a hanging indent)."""
    pieces: list[tuple[int, int]] = []
    pos, previous = 0, ""
    for line in region.split("\n"):
        starts = (not pieces or (line[:1].isupper() and previous.rstrip().endswith(".")))
        if line.strip() and starts:
            pieces.append((pos, pos + len(line)))
        elif pieces:
            pieces[-1] = (pieces[-1][0], pos + len(line))
        previous = line if line.strip() else previous
        pos += len(line) + 1
    return pieces


def _entry(region: str, offset: int, a: int, b: int, number: int | None) -> ReferenceEntry:
    chunk = region[a:b]
    lead = len(chunk) - len(chunk.lstrip())
    raw = " ".join(chunk.split())
    return ReferenceEntry(number, raw, offset + a + lead, offset + a + len(chunk.rstrip()))


# -- parsing -----------------------------------------------------------------------------

_YEAR_ONLY = re.compile(r"(?:1[5-9]\d\d|20\d\d)[a-z]?")


def parse_reference(raw: str) -> ParsedReference:
    """Find authors, year, title, venue, DOI and URL in one reference string.

    >>> r = parse_reference('J. Doe and A. Roe, "Graphs of law," Law Review, vol. 3, 2001.')
    >>> r.authors, r.title, r.venue, r.year
    (('J. Doe', 'A. Roe'), 'Graphs of law', 'Law Review', 2001)
    >>> r = parse_reference('张三, 李四. 网络犯罪研究[J]. 法学研究, 2019, 41(3): 1-10.')
    >>> r.authors, r.title, r.venue, r.year
    (('张三', '李四'), '网络犯罪研究', '法学研究', 2019)
    """
    text = _LEADING_NUMBER.sub("", " ".join(raw.split()))
    doi_match = _DOI.search(text)
    doi = ids.normalise_doi(doi_match.group(1)) if doi_match else None
    url_match = _URL.search(text)
    url = url_match.group(0).rstrip(".,;)") if url_match else None
    rest = text
    for match in (url_match, doi_match):
        if match:
            rest = rest.replace(match.group(0), " ")
    rest = re.sub(r"\b(?:doi|DOI|Available at|Retrieved from|URL)\s*:?\s*(?=\s|$)", " ", rest)
    rest = " ".join(rest.split()).strip(" .,;")
    year = _find_year(rest)
    authors_text, title, venue_text = _split_parts(rest)
    if title and _YEAR_ONLY.fullmatch(title.strip(" .()")) and venue_text:
        # Author-year style: "Doe, Jane. 2010. Title. Venue." -- the year is no title.
        title, _, venue_text = venue_text.partition(". ")
    return ParsedReference(
        raw=raw.strip(), authors=_split_authors(authors_text), year=year,
        title=_clean(title), venue=_clean_venue(venue_text), doi=doi, url=url)


def _find_year(text: str) -> int | None:
    match = _YEAR_PAREN.search(text)
    if match:
        return int(match.group(1))
    years = _YEAR.findall(text)
    return int(years[-1]) if years else None


def _split_parts(text: str) -> tuple[str, str | None, str]:
    """Return (authors part, title, venue part) by the first style cue that fits."""
    quoted = _QUOTED.search(text) or _SINGLE_QUOTED.search(text)
    if quoted:
        return text[: quoted.start()], quoted.group(1), text[quoted.end():]
    gbt = _GBT_TYPE.search(text)
    if gbt:
        head = text[: gbt.start()]
        cut = _last_sentence_break(head)
        return head[:cut].rstrip(" .。"), head[cut:], text[gbt.end():]
    paren = _YEAR_PAREN.search(text)
    if paren:
        after = text[paren.end():].lstrip(" .,:")
        title, _, venue = _split_sentence(after)
        return text[: paren.start()], title, venue
    authors, after = _split_author_sentence(text)
    title, _, venue = _split_sentence(after)
    if title:
        return authors, title, venue
    return _split_commas(text)


def _last_sentence_break(head: str) -> int:
    """Offset where the title starts in ``Authors. Title`` (GB/T style), 0 if none."""
    positions = [m.end() for m in re.finditer(r"[.。]\s*", head)]
    return positions[-1] if positions else 0


def _split_sentence(text: str) -> tuple[str, str, str]:
    """Split at the first ``. `` that does not end an abbreviation (``vol.``, ``U.S.``)."""
    for match in _BREAK.finditer(text):
        word = text[: match.start()].rsplit(" ", 1)[-1]
        if word.lower() in _ABBREVIATED or "." in word:
            continue
        return text[: match.start() + 1].rstrip("."), ".", text[match.end():]
    return text, "", ""


def _split_author_sentence(text: str) -> tuple[str, str]:
    """Split ``Authors. Rest`` where the authors may end with an initial (``Zhang, W.``).

    A full stop after an initial ends the authors only when the name it closes is complete
    (``Zhang, W.``, ``Doe, J. A.``, ``Lee K.``) and no further initial or name follows.

    >>> _split_author_sentence("Zhang, W. Criminal Law. Law Press, 2019")
    ('Zhang, W.', 'Criminal Law. Law Press, 2019')
    >>> _split_author_sentence("J. A. Doe. Title. Venue")
    ('J. A. Doe', 'Title. Venue')
    """
    for match in _BREAK.finditer(text):
        head, tail = text[: match.start()], text[match.end():]
        word = head.rsplit(" ", 1)[-1]
        if word.lower() in _ABBREVIATED:
            continue
        if len(word) <= 2 or _INITIALS.match(word):
            if _authors_end_at_initial(head, tail):
                return head + ".", tail
            continue
        return head, tail
    return text, ""


def _authors_end_at_initial(head: str, tail: str) -> bool:
    """Whether the initial ending ``head`` completes the last author's name."""
    if not tail or re.match(r"(?:[A-Z][a-z]?\.|&|and\b|,)", tail):
        return False  # another initial or another author follows
    next_sentence = re.split(r"[.?!。](?:\s+|$)", tail, maxsplit=1)[0]
    if len(next_sentence.split()) == 1 and next_sentence[:1].isupper():
        return False  # "Mary A. Doe.": the surname follows
    pieces = [p.strip() for p in re.split(r",|;|&|\band\b", head)]
    last = pieces[-1]
    if not last:
        return False
    if _INITIALS.match(last):
        # "Zhang, W." / "Doe, J. A.": initials after a surname piece.
        return len(pieces) >= 2 and bool(_SURNAME.fullmatch(pieces[-2]))
    # "Lee K." / "Smith JA.": a surname then initials.
    words = last.split()
    return len(words) >= 2 and words[0][:1].isupper()


def _split_commas(text: str) -> tuple[str, str | None, str]:
    """``J. Smith, K. Lee, Title, Publisher, Year``: leading name-shaped pieces are authors.

    >>> _split_commas("J. Smith, Title, Oxford University Press, 2001")
    ('J. Smith', 'Title', 'Oxford University Press, 2001')
    """
    pieces = text.split(", ")
    names = 0
    while names < len(pieces) - 1 and all(
            _NAME_FIRST_INITIALS.fullmatch(part.strip())
            for part in re.split(r"\s+(?:and|&)\s+|^(?:and|&)\s+", pieces[names]) if part):
        names += 1
    if names == 0:
        return text, None, ""
    title = pieces[names]
    return ", ".join(pieces[:names]), title, ", ".join(pieces[names + 1:])


def _split_authors(text: str) -> tuple[str, ...]:
    text = re.sub(r"\bet al\.?", "", text)
    text = re.sub(r"[(\[]?\b(?:1[5-9]|20)\d{2}[a-z]?[)\]]?[.,]?\s*$", "", text.strip())
    text = text.strip(" ,;:")
    text = re.sub(r"\s*\((?:eds?|Hrsg|ed\.|eds\.)\.?\)\s*", " ", text, flags=re.I).strip()
    if not text or len(text) > 400:
        return ()
    text = re.sub(r"\s*(?:,\s*)?(?:&|\band\b|和|与)\s*", "; ", text)
    if ";" in text:
        parts = [p for chunk in text.split(";") for p in _comma_names(chunk.strip())]
    else:
        parts = _comma_names(text)
    return tuple(name for name in (_tidy_name(p) for p in parts) if name)


def _tidy_name(name: str) -> str:
    """Strip separators, keeping the full stop of a final initial (``Doe, J.``)."""
    name = name.strip(" ,;:")
    if name.endswith(".") and not re.search(r"(?:^|[\s.-])[A-Z][a-z]?\.$", name):
        name = name.rstrip(".")
    return name.strip()


def _comma_names(chunk: str) -> list[str]:
    """Split ``Doe, J., Roe, A.`` into ``Doe, J.`` / ``Roe, A.`` and ``A, B, C`` into names."""
    pieces = [p.strip() for p in re.split(r"[,，、]", chunk) if p.strip()]
    if (len(pieces) == 2 and " " not in pieces[0] and len(pieces[1].split()) <= 3
            and pieces[0].isascii()):
        return [f"{pieces[0]}, {pieces[1]}"]  # one "Last, First" name
    if (len(pieces) >= 2 and all(_INITIALS.match(p) for p in pieces[1::2])
            and not any(re.search(r"\s[A-Z]{1,3}$", p) for p in pieces[0::2])):
        # "Doe, J., Roe, A." but not "WANG L, LI M" (each piece a whole name already)
        return [f"{pieces[i]}, {pieces[i + 1]}" if i + 1 < len(pieces) else pieces[i]
                for i in range(0, len(pieces), 2)]
    return pieces


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    cleaned = text.strip(" .,;:\"“”'")
    return cleaned or None


def _clean_venue(text: str) -> str | None:
    # A colon before a page number ends the venue; ``Beijing: Law Press`` keeps its place.
    venue = re.split(r",|\s\d|\(|:\s*\d|\bvol\b|\bpp\b|\bIn:", text.strip(" .,;:"),
                     maxsplit=1)[0]
    venue = re.sub(r"^(?:In|in)\s+", "", venue)
    return _clean(venue)


# -- identity and nodes ------------------------------------------------------------------

def reference_work_id(ref: ParsedReference) -> str:
    """DOI first, else normalised title and year, else the raw string and year."""
    if ref.doi:
        return ids.work_id_from_doi(ref.doi)
    return ids.work_id_from_title_year(ref.title or ref.raw, ref.year)


def reference_props(ref: ParsedReference) -> dict[str, PropValue]:
    """Node properties of a parsed reference (``None`` values left out)."""
    props: dict[str, PropValue] = {"raw": ref.raw, "kind": "reference"}
    if ref.authors:
        props["authors"] = list(ref.authors)
    for key, value in (("year", ref.year), ("title", ref.title), ("venue", ref.venue),
                       ("doi", ref.doi), ("url", ref.url)):
        if value is not None:
            props[key] = value
    return props


def reference_node(ref: ParsedReference, *, number: int | None = None) -> Node:
    """The Work node of a parsed reference."""
    props = reference_props(ref)
    if number is not None:
        props["number"] = number
    label = ref.title or (ref.raw[:117] + "..." if len(ref.raw) > 120 else ref.raw)
    return Node(reference_work_id(ref), NodeType.WORK, label, props)


def normalised_title(title: str) -> str:
    """Title key for matching a reference to a BibTeX entry (case, accents, punctuation)."""
    return ids.slugify(title, 200)


def match_to_bib(ref: ParsedReference, bib: Sequence[Node]) -> Node | None:
    """The BibTeX Work for ``ref``: same DOI, else same normalised title (and year if both)."""
    if ref.doi:
        for node in bib:
            if node.props.get("doi") and ids.normalise_doi(str(node.props["doi"])) == ref.doi:
                return node
    if not ref.title:
        return None
    key = normalised_title(ref.title)
    for node in bib:
        title = node.props.get("title")
        if not isinstance(title, str) or normalised_title(title) != key:
            continue
        year = node.props.get("year")
        if ref.year is None or year is None or year == ref.year:
            return node
    return None
