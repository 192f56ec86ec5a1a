r"""LaTeX to plain text, with bounded cost: the one home of LaTeX decoding.

A fast table-driven decoder handles escapes, accents, symbols, font commands and ``\href``;
anything else goes to pylatexenc, but only within limits. pylatexenc's cost grows
exponentially with nested accent groups (thirty nested ``\'{`` take hours) and it recurses
once per group (a few hundred nested braces raise RecursionError), and some macros with odd
spacing make it raise IndexError. So a value nested deeper than :data:`MAX_DEPTH` or longer
than :data:`MAX_CHARS`, or one pylatexenc fails on, raises :class:`LatexDecodeError`; callers
keep the raw text and report the place.

Examples
--------
>>> decode_latex(r"Harper \& {Brothers}"), decode_latex(r"Caf\'e"), decode_latex("plain")
('Harper & Brothers', 'Café', 'plain')
>>> decode_latex(r"see \href {https://x.org} {the page}")
'see the page'
>>> decode_latex("\\'{" * 30 + "e" + "}" * 30)
Traceback (most recent call last):
...
citegraph.errors.LatexDecodeError: LaTeX nested 30 groups deep, over the limit of 12
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text

from citegraph.errors import LatexDecodeError

#: Deepest brace nesting handed to pylatexenc (its cost doubles per nested accent group).
MAX_DEPTH = 12
#: Longest value handed to pylatexenc (characters; it decodes ~70k characters a second).
MAX_CHARS = 20_000

_SIMPLE_ESCAPES = {r"\&": "&", r"\%": "%", r"\$": "\ue002", r"\#": "#", r"\_": "_",
                   r"\{": "\ue000", r"\}": "\ue001", "~": "\u00a0", r"\,": "\u202f",
                   "---": "—", "--": "–", r"\ ": " ", r"\-": ""}
_SIMPLE_ESCAPE_RE = re.compile("|".join(re.escape(k) for k in sorted(_SIMPLE_ESCAPES,
                                                                        key=len, reverse=True)))
#: Combining marks of the LaTeX accent commands (``\'e``, ``\c{c}``, ``\v s``...).
_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
            "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
            "c": "\u0327", "k": "\u0328", "r": "\u030a", "d": "\u0323", "b": "\u0331"}
_ACCENT_RE = re.compile(
    r"\\(?:(['`^\"~=.])\s*|([uvHckrdb])(?=[\s{]))\s*"
    r"(?:\{\s*(\\[ij](?![A-Za-z])|[A-Za-z])\s*\}|(\\[ij])(?![A-Za-z])\s*|([A-Za-z]))")
_SYMBOLS = {"ss": "ß", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
            "o": "ø", "O": "Ø", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "dag": "†",
            "S": "§", "P": "¶", "textendash": "–", "textemdash": "—", "textquoteright": "’",
            "textquoteleft": "‘", "ldots": "…", "dots": "…", "LaTeX": "LaTeX", "TeX": "TeX"}
_SYMBOL_RE = re.compile(r"\\(" + "|".join(sorted(_SYMBOLS, key=len, reverse=True))
                        + r")(?![A-Za-z])\s*(?:\{\})?")
_FONT_RE = re.compile(r"\\(?:textit|emph|textbf|textsc|textrm|textsf|texttt|textup|textsl|"
                      r"textnormal|mbox|mkbibemph|mkbibquote|enquote|url|nocase)\s*(?=\{)")
#: ``\href{url}{text}`` keeps its text (pylatexenc fails on spaces between the arguments).
_HREF_RE = re.compile(r"\\href\s*\{[^{}]*\}\s*(?=\{)")
_LATEX_CHARS = re.compile(r"[\\{}~$]|--")

_CONVERTER = LatexNodes2Text(math_mode="text", keep_comments=False)


def brace_depth(value: str) -> int:
    r"""Deepest brace nesting in ``value`` (escaped braces do not count).

    >>> brace_depth(r"{a {b} \{ {c {d}}}")
    3
    """
    depth = deepest = 0
    for match in re.finditer(r"\\.|[{}]", value):
        token = match.group(0)
        if token == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif token == "}":
            depth = max(depth - 1, 0)
    return deepest


@lru_cache(maxsize=65536)
def _pylatexenc(value: str) -> str:
    return str(_CONVERTER.latex_to_text(value))


def bounded_pylatexenc(value: str) -> str:
    """pylatexenc's text of ``value`` within the depth and size limits.

    Raises :class:`LatexDecodeError` over a limit or when pylatexenc itself fails.
    """
    if len(value) > MAX_CHARS:
        raise LatexDecodeError(f"LaTeX value of {len(value)} characters, over the limit of "
                               f"{MAX_CHARS}")
    depth = brace_depth(value)
    if depth > MAX_DEPTH:
        raise LatexDecodeError(f"LaTeX nested {depth} groups deep, over the limit of "
                               f"{MAX_DEPTH}")
    try:
        return _pylatexenc(value)
    except Exception as exc:  # pylatexenc raises IndexError, KeyError... on odd input
        raise LatexDecodeError(f"pylatexenc could not decode it ({type(exc).__name__})"
                               ) from exc


@lru_cache(maxsize=65536)
def decode_latex(value: str) -> str:
    """Decode the LaTeX in a value to plain text, whitespace collapsed.

    Plain values are returned untouched (but for whitespace); raises
    :class:`LatexDecodeError` when the value cannot be decoded within the limits.

    >>> decode_latex(r"M{\\"u}ller \\& S{\\o}n"), decode_latex("pre--post")
    ('Müller & Søn', 'pre–post')
    """
    if not _LATEX_CHARS.search(value):
        return " ".join(value.split())
    simple = _fast_decode(value)
    decoded = bounded_pylatexenc(_HREF_RE.sub("", value)) if simple is None else simple
    return " ".join(decoded.split())


def decode_or_raw(value: str) -> tuple[str, str | None]:
    """``(text, None)`` decoded, or ``(raw text, reason)`` when it cannot be decoded.

    >>> decode_or_raw(r"\\'e")
    ('é', None)
    """
    try:
        return decode_latex(value), None
    except LatexDecodeError as exc:
        return " ".join(value.split()), exc.message


def _accent(match: re.Match[str]) -> str:
    mark = _ACCENTS[match.group(1) or match.group(2)]
    letter = match.group(3) or match.group(4) or match.group(5)
    base = {"\\i": "i", "\\j": "j"}.get(letter, letter)
    return unicodedata.normalize("NFC", base + mark)


def _fast_decode(value: str) -> str | None:
    """Decode escapes, accents, symbols and font commands; None when other LaTeX remains."""
    text = value
    if "\\" in text:
        # Accents first: in "\\~n" the tilde is an accent, not a tie.
        text = _ACCENT_RE.sub(_accent, text)
        text = _SYMBOL_RE.sub(lambda m: _SYMBOLS[m.group(1)], text)
        text = _FONT_RE.sub("", _HREF_RE.sub("", text))
    text = _SIMPLE_ESCAPE_RE.sub(lambda m: _SIMPLE_ESCAPES[m.group(0)], text)
    if "\\" in text or "$" in text:
        return None
    text = text.replace("{", "").replace("}", "")
    return text.replace("\ue000", "{").replace("\ue001", "}").replace("\ue002", "$")


#: Pads a replacement to the length of what it replaces; dropped from quotes.
PAD = "\u200b"
_NON_TEXT = re.compile(
    r"\\(?:label|ref|eqref|cref|Cref|autoref|pageref|nameref|url|includegraphics|"
    r"bibliography|addbibresource|bibliographystyle|printbibliography|input|include|"
    r"begin|end|documentclass|usepackage|RequirePackage|newcommand|renewcommand|"
    r"providecommand|hypersetup|vspace|hspace|setlength|setcounter|addtocounter|"
    r"newenvironment|renewenvironment|definecolor|graphicspath|linespread)\*?"
    r"(?:\s*\[[^\[\]]*\])*(?:\s*\{[^{}]*\})*")
_ESCAPED = re.compile(r"\\([&%$#_{}])")
_OTHER_MACRO = re.compile(r"\\(?:[A-Za-z@]+\*?|[^A-Za-z\s])")
_DASHES = re.compile(r"---?")


def _padded(text: str, width: int) -> str:
    return text + PAD * (width - len(text))


def plain_mask(text: str, drop: list[tuple[int, int]] | None = None) -> str:
    r"""LaTeX source as plain text of the same length, so offsets still index the source:
    ``drop`` spans (citations) and markup become spaces, accents and escapes their
    characters padded with :data:`PAD`.

    >>> masked = plain_mask(r"Caf\'{e} \emph{law} \& \label{x}order --- fine")
    >>> len(masked) == len(r"Caf\'{e} \emph{law} \& \label{x}order --- fine")
    True
    >>> plain_quote(masked)
    'Café law & order — fine'
    """
    chars = list(text)
    for start, end in drop or ():
        chars[start:end] = " " * (end - start)
    out = re.sub(r"(?<!\\)&", " ", "".join(chars))  # alignment tabs
    out = _NON_TEXT.sub(lambda m: " " * len(m.group(0)), out)
    out = _ACCENT_RE.sub(lambda m: _padded(_accent(m), len(m.group(0))), out)
    out = _SYMBOL_RE.sub(lambda m: _padded(_SYMBOLS[m.group(1)], len(m.group(0))), out)
    out = _ESCAPED.sub(lambda m: _padded(m.group(1), 2), out)
    out = _OTHER_MACRO.sub(lambda m: " " * len(m.group(0)), out)
    out = _DASHES.sub(lambda m: _padded("—" if len(m.group(0)) == 3 else "–", len(m.group(0))),
                      out)
    return out.translate({ord("{"): PAD, ord("}"): PAD, ord("$"): PAD, ord("~"): " "})


def plain_quote(masked: str) -> str:
    """A quote from :func:`plain_mask` text: padding dropped, whitespace collapsed."""
    return " ".join(masked.replace(PAD, "").split())
