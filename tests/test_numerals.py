"""Chinese numerals and article numbers."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ingest.numerals
from ingest.numerals import article_number, chinese_to_int, number_key

_DIGITS = "零一二三四五六七八九"


def _spell(n: int) -> str:
    """Spell 0..9999 the way statutes do (reference implementation for the property test)."""
    if n == 0:
        return "零"
    parts: list[str] = []
    zero_pending = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit == 0:
            zero_pending = bool(parts)
            continue
        if zero_pending:
            parts.append("零")
            zero_pending = False
        parts.append(_DIGITS[digit] + unit)
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


def test_doctests() -> None:
    assert doctest.testmod(ingest.numerals).failed == 0


@pytest.mark.parametrize(("text", "value"), [
    ("三百六十三", 363), ("十", 10), ("十一", 11), ("二十", 20), ("一百", 100),
    ("一百零五", 105), ("一百一十", 110), ("四百五十二", 452), ("一千零一", 1001),
    ("零", 0), ("〇", 0), ("二〇一〇", 2010), ("两百", 200), ("三万五千", 35000),
    ("１２", 12), ("17", 17),
])
def test_chinese_to_int(text: str, value: int) -> None:
    assert chinese_to_int(text) == value


@given(st.integers(min_value=0, max_value=9999))
def test_round_trip(n: int) -> None:
    assert chinese_to_int(_spell(n)) == n


@pytest.mark.parametrize("bad", ["", "三a", "第", "abc"])
def test_bad_numerals(bad: str) -> None:
    with pytest.raises(ValueError):
        chinese_to_int(bad)


@pytest.mark.parametrize(("raw", "number"), [
    ("第三百六十三条", "363"), ("第二百八十六条之一", "286-1"), ("第十七条之一", "17-1"),
    ("第一百二十条之三", "120-3"), ("第十条", "10"), ("第17条", "17"), ("三百六十三", "363"),
])
def test_article_number(raw: str, number: str) -> None:
    assert article_number(raw) == number


def test_article_number_rejects_text() -> None:
    with pytest.raises(ValueError):
        article_number("第三编")


def test_number_key_orders_inserted_articles() -> None:
    numbers = ["287", "286-1", "286", "286-2", "10"]
    assert sorted(numbers, key=number_key) == ["10", "286", "286-1", "286-2", "287"]
