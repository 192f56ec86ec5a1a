"""Chinese numerals and article numbers as they appear in PRC statutes.

Pure helpers: ``三百六十三`` → 363, ``第二百八十六条之一`` → ``"286-1"`` (the normalised
number used in Akoma Ntoso eIds such as ``art_286-1``).

Examples
--------
>>> chinese_to_int("三百六十三")
363
>>> chinese_to_int("十")
10
>>> chinese_to_int("一百零五")
105
>>> chinese_to_int("二〇〇四")
2004
>>> article_number("第二百八十六条之一")
'286-1'
>>> article_number("第17条")
'17'
"""

from __future__ import annotations

import re

from citegraph.text import roman_to_int as roman_to_int  # re-exported

#: Characters a Chinese (or full-width/ASCII) cardinal number may be written with.
NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万0123456789０１２３４５６７８９"

_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
_SMALL_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
_ARTICLE = re.compile(
    rf"^第?(?P<num>[{NUMERAL_CHARS}]+)条?(?:之(?P<sub>[{NUMERAL_CHARS}]+))?$"
)


def chinese_to_int(text: str) -> int:
    """Value of a Chinese numeral (also ASCII or full-width digits).

    Handles units up to 万 (ten thousand), 零/〇 as placeholders, a leading 十 standing
    alone (十二 = 12) and positional digit strings (二〇〇四 = 2004).

    Parameters
    ----------
    text : str
        The numeral, without 第/条.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        If ``text`` is empty or contains anything but numeral characters.

    Examples
    --------
    >>> [chinese_to_int(s) for s in ("零", "十二", "二十", "一千零一", "三万五千", "１２")]
    [0, 12, 20, 1001, 35000, 12]
    """
    stripped = text.strip()
    if not stripped:
        raise ValueError("empty numeral")
    ascii_digits = stripped.translate(_FULLWIDTH)
    if ascii_digits.isascii() and ascii_digits.isdigit():
        return int(ascii_digits)
    if any(c not in _DIGITS and c not in _SMALL_UNITS and c != "万" for c in stripped):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if all(c in _DIGITS for c in stripped):
        # positional form such as 二〇〇四 (years) or a single digit
        value = 0
        for c in stripped:
            value = value * 10 + _DIGITS[c]
        return value
    if "万" in stripped:
        high, _, low = stripped.partition("万")
        return (_below_10000(high, text) if high else 1) * 10000 + (
            _below_10000(low, text) if low else 0)
    return _below_10000(stripped, text)


def _below_10000(part: str, original: str) -> int:
    total = 0
    digit: int | None = None
    for c in part:
        if c in _DIGITS:
            digit = _DIGITS[c]
        elif c in _SMALL_UNITS:
            total += (1 if digit is None else digit) * _SMALL_UNITS[c]
            digit = None
        else:
            raise ValueError(f"not a Chinese numeral: {original!r}")
    return total + (digit or 0)


_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def article_number(raw: str) -> str:
    """Normalised article number of ``第…条`` or ``第…条之…``.

    Parameters
    ----------
    raw : str
        ``第三百六十三条``, ``第二百八十六条之一``, ``三百六十三`` or ``第17条``.

    Returns
    -------
    str
        ``"363"``, ``"286-1"``...

    Raises
    ------
    ValueError
        If ``raw`` is not an article number.

    Examples
    --------
    >>> article_number("第三百六十三条")
    '363'
    >>> article_number("第一百二十条之三")
    '120-3'
    """
    match = _ARTICLE.match(raw.strip())
    if match is None:
        raise ValueError(f"not an article number: {raw!r}")
    number = str(chinese_to_int(match["num"]))
    if match["sub"]:
        number += f"-{chinese_to_int(match['sub'])}"
    return number


#: Latin ordinal suffixes of inserted articles (``10 bis`` = the 2nd article numbered 10).
LATIN_SUFFIXES = {"bis": 2, "ter": 3, "quater": 4, "quinquies": 5, "sexies": 6, "septies": 7,
                  "octies": 8, "novies": 9, "decies": 10}
_SUFFIXED = re.compile(r"^(\d+)(?:-(\d+)|([a-z]+)|([A-Z]))?$")


def number_key(number: str) -> tuple[int, int]:
    """Sort key of a normalised article number: ``"286-1"`` → ``(286, 1)``.

    Suffixed numbers sort after their base: ``"10bis"`` → ``(10, 2)``, ``"2A"`` →
    ``(2, 1)``. Anything else (Roman numerals left unconverted) sorts as ``(-1, -1)``.

    >>> number_key("286-1") > number_key("286")
    True
    >>> number_key("10bis") > number_key("10") and number_key("10ter") > number_key("10bis")
    True
    >>> number_key("2A") < number_key("3")
    True
    """
    m = _SUFFIXED.match(number)
    if m is None:
        return (-1, -1)
    base = int(m[1])
    if m[2]:
        return (base, int(m[2]))
    if m[3]:
        return (base, LATIN_SUFFIXES[m[3]]) if m[3] in LATIN_SUFFIXES else (-1, -1)
    if m[4]:
        return (base, ord(m[4]) - ord("A") + 1)
    return (base, 0)


def suffixed_number(base: str, suffix: str | None) -> str:
    """Normalised number of ``Article 10 bis`` / ``Art. 4 (bis)`` / ``section 2A``.

    >>> [suffixed_number("10", " bis"), suffixed_number("4", "(Bis)"), suffixed_number("2", "A")]
    ['10bis', '4bis', '2A']
    """
    tail = (suffix or "").strip(" ()").lower()
    if not tail:
        return base
    return base + (tail if tail in LATIN_SUFFIXES else tail.upper())
