"""Text knowledge every reader shares: folding, the CJK test, sentences, Roman numerals.

One home for each: ids, the search index, the catalog, the mention finder, the paper and the
legal-text readers all fold, test for Chinese, split sentences and read Roman numerals here,
so two of them never disagree about what a name, a sentence or ``XIV`` is.

Examples
--------
>>> fold("Ängström Café")
'angstrom cafe'
>>> slugify("The Rights of the Child!")
'the-rights-of-the-child'
>>> normalise_name("  The  《中华人民共和国刑法》 ")
'中华人民共和国刑法'
>>> is_cjk("刑"), is_cjk("𠀀"), is_cjk("a")
(True, True, False)
>>> t = "See e.g. Art. 5. It applies [1]. Next."
>>> [t[a:b] for a, b in split_sentences(t)]
['See e.g. Art. 5.', 'It applies [1].', 'Next.']
>>> roman_to_int("XIV"), roman_value("IIII")
(14, None)
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

# --- folding -------------------------------------------------------------------------------


def fold_case(text: str) -> str:
    """NFKC-normalised and case-folded (full-width forms, ligatures and case erased)."""
    return unicodedata.normalize("NFKC", text).casefold()


def strip_accents(text: str) -> str:
    """``text`` without combining marks (``é`` -> ``e``); Chinese is left alone."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """NFKC, case-folded, accents removed: the search-index form of a text.

    >>> fold("ＣＲＣ Ｃonvention")
    'crc convention'
    """
    return strip_accents(fold_case(text))


_SLUG_DROP = re.compile(r"[^\w]+", re.UNICODE)
_HYPHENS = re.compile(r"-{2,}")


def slugify(text: str, max_length: int = 80) -> str:
    """Lower-case, NFKC-normalised, words joined by hyphens; Chinese characters are kept.

    >>> slugify("Données à caractère personnel"), slugify("中华人民共和国 刑法"), slugify("!")
    ('données-à-caractère-personnel', '中华人民共和国-刑法', 'untitled')
    """
    slug = _SLUG_DROP.sub("-", fold_case(text)).replace("_", "-").strip("-")
    slug = _HYPHENS.sub("-", slug)
    return slug[:max_length].strip("-") or "untitled"


def _punctuation_table() -> dict[int, str]:
    """Typographic variants to their plain form, one character to one character."""
    table: dict[int, str] = {
        0x2019: "'", 0x2018: "'", 0x2032: "'", 0x201C: '"', 0x201D: '"', 0x60: "'",
        0x00A0: " ", 0x3000: " ", 0x2028: " ", 0x2029: " ",
        0x2010: "-", 0x2011: "-", 0x2013: "-",
    }
    for ws in "\t\n\r\f\v\x85":
        table[ord(ws)] = " "
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII
        table[code] = chr(code - 0xFEE0)
    return table


#: ``str.translate`` table: curly quotes, odd spaces, dashes and full-width ASCII made plain.
#: Every entry maps one character to one, so offsets in the result index the original.
PLAIN_PUNCTUATION = _punctuation_table()
_SPACE_RUN = re.compile(r"\s+")
_SPACES = re.compile(r" {2,}")
_EDGE_PUNCT = "\"'《》〈〉「」『』“”‘’ .,;:"


def collapse_spaces(text: str) -> str:
    """Runs of whitespace (line breaks included) as one space, ends stripped."""
    return _SPACE_RUN.sub(" ", text).strip()


def normalise_name(name: str) -> str:
    """Fold a name for lookup: NFKC, curly quotes straightened, casefolded, spaces collapsed.

    A leading English article and surrounding quotes or Chinese title marks are dropped.

    >>> normalise_name("Children\u2019s Online\\nProtection Act")
    "children's online protection act"
    """
    text = unicodedata.normalize("NFKC", name).translate(PLAIN_PUNCTUATION).casefold()
    text = _SPACE_RUN.sub(" ", text).strip(_EDGE_PUNCT)
    text = text.removeprefix("the ")
    return text.strip(_EDGE_PUNCT)


def lower_one_to_one(text: str) -> str:
    """``text.lower()``, except characters whose lower case is longer stay as they are."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


@dataclass(frozen=True, slots=True)
class AlignedFold:
    """A text with quotes, widths and spaces made plain; ``cased`` and ``low`` align.

    >>> f = fold_aligned("The  ‘CRC’")
    >>> f.cased, f.low, f.original(5)
    ("The 'CRC'", "the 'crc'", 6)
    """

    cased: str
    low: str
    seg_starts: tuple[int, ...]  # position in the folded text where a segment begins
    seg_origs: tuple[int, ...]  # offset of that segment in the original text

    def original(self, pos: int) -> int:
        """Offset in the original text of folded position ``pos``."""
        i = bisect.bisect_right(self.seg_starts, pos) - 1
        return self.seg_origs[i] + (pos - self.seg_starts[i])

    def original_end(self, end: int) -> int:
        """Offset just after the original character of folded position ``end - 1``."""
        return self.original(end - 1) + 1 if end > 0 else 0


def fold_aligned(text: str) -> AlignedFold:
    """Fold ``text`` one character to one, collapsing space runs, keeping a map back."""
    translated = text.translate(PLAIN_PUNCTUATION)
    starts, origs = [0], [0]
    if "  " in translated:
        pieces: list[str] = []
        last = out = 0
        starts, origs = [], []
        for run in _SPACES.finditer(translated):
            piece = translated[last:run.start() + 1]  # keep one space of the run
            starts.append(out)
            origs.append(last)
            pieces.append(piece)
            out += len(piece)
            last = run.end()
        starts.append(out)
        origs.append(last)
        pieces.append(translated[last:])
        translated = "".join(pieces)
    return AlignedFold(translated, lower_one_to_one(translated), tuple(starts), tuple(origs))


def fold_alias(alias: str) -> tuple[str, str]:
    """(cased, lower-case) normal form of an alias, as :func:`fold_aligned` treats text.

    >>> fold_alias("Children’s  Internet\\nProtection Act")
    ("Children's Internet Protection Act", "children's internet protection act")
    """
    cased = _SPACES.sub(" ", unicodedata.normalize("NFKC", alias).translate(PLAIN_PUNCTUATION))
    cased = cased.strip()
    return cased, lower_one_to_one(cased)


# --- CJK -----------------------------------------------------------------------------------

#: Han ideographs: radicals, 々 〇 and Suzhou numerals, unified ideographs with extensions
#: A to I, and the compatibility ideographs (BMP and supplement).
HAN_RANGES: tuple[tuple[int, int], ...] = (
    (0x2E80, 0x2FDF), (0x3005, 0x3005), (0x3007, 0x3007), (0x3021, 0x3029), (0x3038, 0x303B),
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2A6DF),
    (0x2A700, 0x2EE5F), (0x2F800, 0x2FA1F), (0x30000, 0x323AF),
)
#: Scripts written without spaces between words: Han plus CJK punctuation, kana, bopomofo,
#: enclosed and compatibility CJK forms, half-width katakana.
UNSPACED_RANGES: tuple[tuple[int, int], ...] = (
    *HAN_RANGES, (0x3000, 0x303F), (0x3040, 0x30FF), (0x3100, 0x312F), (0x3190, 0x31FF),
    (0x3200, 0x33FF), (0xFF66, 0xFF9F),
)


def _char_class(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges)


#: The body of a regex character class of Han ideographs: ``f"[{HAN_CHARS}]"``.
HAN_CHARS = _char_class(HAN_RANGES)
HAN = re.compile(f"[{HAN_CHARS}]")
_HAN_STARTS = tuple(a for a, _ in HAN_RANGES)
_UNSPACED = sorted(UNSPACED_RANGES)
_UNSPACED_STARTS = tuple(a for a, _ in _UNSPACED)


def _in_ranges(code: int, starts: tuple[int, ...],
               ranges: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> bool:
    i = bisect.bisect_right(starts, code) - 1
    return i >= 0 and code <= ranges[i][1]


def is_cjk(char: str) -> bool:
    """Whether ``char`` (one character) is a Han ideograph."""
    return bool(char) and _in_ranges(ord(char[0]), _HAN_STARTS, HAN_RANGES)


def is_unspaced(char: str) -> bool:
    """Whether ``char`` belongs to a script that needs no spaces between words."""
    return bool(char) and _in_ranges(ord(char[0]), _UNSPACED_STARTS, _UNSPACED)


def mostly_cjk(text: str, share: float = 0.1, sample: int = 20_000) -> bool:
    """Whether more than ``share`` of the first ``sample`` characters are Han ideographs.

    >>> mostly_cjk("中华人民共和国刑法 (1997)"), mostly_cjk("Criminal Law of China")
    (True, False)
    """
    head = text[:sample]
    return len(HAN.findall(head)) > int(len(head) * share)


# --- Roman numerals -------------------------------------------------------------------------

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN_FORM = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")


def roman_value(text: str) -> int | None:
    """Value of a well-formed upper-case Roman numeral, else None.

    >>> roman_value("MCMXC"), roman_value("IC"), roman_value("")
    (1990, None, None)
    """
    if not text or not _ROMAN_FORM.fullmatch(text):
        return None
    total = 0
    for current, following in zip(text, [*text[1:], ""], strict=True):
        value = _ROMAN[current]
        total += -value if following and _ROMAN[following] > value else value
    return total


def roman_to_int(text: str) -> int:
    """Value of an upper-case Roman numeral (article numbers of some treaties).

    >>> roman_to_int("XIV"), roman_to_int("IV"), roman_to_int("MCMXC")
    (14, 4, 1990)

    Raises
    ------
    ValueError
        If ``text`` is not a well-formed Roman numeral.
    """
    value = roman_value(text)
    if value is None:
        raise ValueError(f"not a Roman numeral: {text!r}")
    return value


# --- sentences -----------------------------------------------------------------------------

_ABBREVIATION_WORDS = (
    "e.g i.e cf vs al art arts no nos para paras sec secs ch chap vol vols pp p fig figs eq "
    "mr mrs ms dr prof st inc ltd co corp jr sr u.s u.k u.n ed eds approx ibid op cit")
#: Words whose full stop does not end a sentence (lower case, inner dots kept).
ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
#: Bracketed numeric citation markers that may trail a full stop: ``law.[5]``, ``[2-4]``,
#: and Markdown footnote calls ``law.[^5]``.
MARKER_RUN = (r"(?:[ \t]*\[(?:\d{1,3}(?:[ \t]*[,;–—-][ \t]*\d{1,3})*|\^[^\]\s]{1,20})\]"
              r"(?:[ \t]*[–—-][ \t]*\[\d{1,3}\])?)")


@dataclass(frozen=True, slots=True)
class SentenceRules:
    """How one kind of text ends its sentences.

    ``unit`` separates blocks no sentence crosses (paragraph or line breaks); ``terminal`` is
    the punctuation that may end a sentence, followed by ``closers`` and ``trailing`` (both
    kept with it). A terminal ends the sentence when it is one of ``final`` or when, after
    whitespace, the next text starts with a capital or one of ``openers``; a full stop after
    one of ``abbreviations`` or an initial does not, nor (``letter_before``) one after a
    digit or a space.
    """

    unit: str = r"\n[ \t\r]*\n"
    terminal: str = ".!?。！？"
    closers: str = "\"'”’)\\]"
    trailing: str = MARKER_RUN
    final: str = "。！？"
    openers: str = "\"“‘'([0123456789"
    open_cjk: bool = True
    any_capital: bool = True
    glued_after_bracket: bool = True
    letter_before: bool = False
    abbreviations: frozenset[str] = ABBREVIATIONS

    def end_pattern(self) -> re.Pattern[str]:
        closers = f"[{self.closers}]*" if self.closers else ""
        trailing = f"{self.trailing}*" if self.trailing else ""
        return _compiled(f"[{re.escape(self.terminal)}]+{closers}{trailing}")


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    if pattern not in _PATTERNS:
        _PATTERNS[pattern] = re.compile(pattern)
    return _PATTERNS[pattern]


#: Scholarly prose: paragraphs, abbreviations, citation markers after the full stop.
PROSE = SentenceRules()
#: Statutes and treaties: every line is a unit; a semicolon ends a sentence too, and a full
#: stop after a number (``1. States Parties``) does not.
STATUTE = SentenceRules(unit=r"\n", terminal=".;?!", closers="", trailing="", final="",
                        openers="(“\"", open_cjk=False, any_capital=False,
                        glued_after_bracket=False, letter_before=True)
#: Chinese statutes: lines, then 。；！？ each end a sentence.
STATUTE_CJK = SentenceRules(unit=r"\n", terminal="。；！？", closers="", trailing="",
                            final="。；！？")
_SPACE_AT = re.compile(r"\s*")


def split_sentences(text: str, start: int = 0, end: int | None = None,
                    rules: SentenceRules = PROSE) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets within ``text[start:end]``, trimmed of whitespace.

    Linear in the length of the span. Markers after a full stop stay with it:

    >>> t = "One [1]. Two e.g. here.[2] Three, etc. Four. [3]Five."
    >>> [t[a:b] for a, b in split_sentences(t)]
    ['One [1].', 'Two e.g. here.[2]', 'Three, etc.', 'Four. [3]', 'Five.']
    >>> t = "1. States Parties shall act; They report, e.g. Art. 5.\\n2. Next."
    >>> [t[a:b] for a, b in split_sentences(t, rules=STATUTE)]
    ['1. States Parties shall act;', 'They report, e.g. Art. 5.', '2. Next.']
    """
    return list(iter_sentences(text, start, len(text) if end is None else end, rules))


def iter_sentences(text: str, start: int, end: int,
                   rules: SentenceRules = PROSE) -> Iterator[tuple[int, int]]:
    """The sentences of :func:`split_sentences`, lazily."""
    pattern = rules.end_pattern()
    for a, b in _units(text, start, end, _compiled(rules.unit)):
        pos = a
        for match in pattern.finditer(text, a, b):
            if _ends_sentence(text, match, b, rules):
                yield from _trimmed(text, pos, match.end())
                pos = match.end()
        yield from _trimmed(text, pos, b)


def _ends_sentence(text: str, match: re.Match[str], limit: int, rules: SentenceRules) -> bool:
    dot, cut = match.start(), match.end()
    if rules.letter_before and (dot == 0 or text[dot - 1].isspace() or text[dot - 1].isdigit()):
        return False
    if text[dot] == "." and _is_abbreviation(text, dot, rules.abbreviations):
        return False
    after = _SPACE_AT.match(text, cut, limit)
    nxt = after.end() if after else cut
    if nxt >= limit or match.group(0)[0] in rules.final:
        return True
    if nxt > cut:
        first = text[nxt]
        return ((rules.any_capital and first.isupper())
                or (not rules.any_capital and "A" <= first <= "Z")
                or first in rules.openers or (rules.open_cjk and is_cjk(first)))
    return (rules.glued_after_bracket and match.group(0).rstrip().endswith("]")
            and text[cut].isalpha())


def _is_abbreviation(text: str, dot: int, abbreviations: frozenset[str]) -> bool:
    """Whether the full stop at ``dot`` ends an abbreviation or an initial."""
    word = re.search(r"[\w.]*$", text[max(0, dot - 12):dot])
    token = word.group(0).lower() if word else ""
    if not token:
        return False
    return token in abbreviations or (len(token) == 1 and token.isalpha()
                                      and text[dot - 1].isupper())


def _units(text: str, start: int, end: int, brk: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    pos = start
    for match in brk.finditer(text, start, end):
        yield pos, match.start()
        pos = match.end()
    yield pos, end


def _trimmed(text: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        yield a, b
