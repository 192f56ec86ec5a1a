"""The one home of text knowledge: folding, CJK, sentences, Roman numerals."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

import citegraph.text
from citegraph.text import (
    PROSE,
    STATUTE,
    STATUTE_CJK,
    fold,
    fold_aligned,
    is_cjk,
    is_unspaced,
    mostly_cjk,
    normalise_name,
    roman_to_int,
    roman_value,
    slugify,
    split_sentences,
)


def test_doctests() -> None:
    assert doctest.testmod(citegraph.text).failed == 0


def test_folding_agrees_across_forms() -> None:
    assert fold("ＧＤＰＲ Ｒègle") == fold("gdpr regle") == "gdpr regle"
    assert normalise_name("The ‘Lanzarote’ Convention") == normalise_name("lanzarote' convention")
    assert normalise_name("Council of Europe–Convention") == "council of europe-convention"
    assert slugify("Straße") == "strasse" and slugify("第十七条之一") == "第十七条之一"


def test_aligned_fold_maps_back_to_original_offsets() -> None:
    original = "A\u00a0 ‘Data’\n\n  Protection  Act"
    folded = fold_aligned(original)
    assert folded.cased == "A 'Data' Protection Act"
    assert len(folded.cased) == len(folded.low)
    at = folded.low.index("protection")
    start, end = folded.original(at), folded.original_end(at + len("protection"))
    assert original[start:end] == "Protection"


@pytest.mark.parametrize("char", ["中", "㐀", "豈", "𠀀", "𪜀", "𫝀", "𰀀", "〇", "々", "⺀"])
def test_han_ideographs_in_every_block(char: str) -> None:
    assert is_cjk(char) and is_unspaced(char)


@pytest.mark.parametrize("char", ["a", "é", "1", "한", "Ж", "", " "])
def test_not_han(char: str) -> None:
    assert not is_cjk(char)


def test_unspaced_scripts_include_kana_and_punctuation_but_not_hangul() -> None:
    assert is_unspaced("か") and is_unspaced("カ") and is_unspaced("。") and is_unspaced("ｶ")
    assert not is_unspaced("한") and not is_unspaced("a")
    assert mostly_cjk("第一条 为了保护 personal information。") and not mostly_cjk("Article 1")


def test_roman_numerals() -> None:
    assert [roman_value(t) for t in ("I", "IV", "IX", "XL", "XC", "CD", "MMXXIV")] == [
        1, 4, 9, 40, 90, 400, 2024]
    assert roman_value("IIII") is None and roman_value("VX") is None and roman_value("i") is None
    with pytest.raises(ValueError, match="not a Roman numeral"):
        roman_to_int("ABC")


def _texts(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[a:b] for a, b in spans]


def test_prose_keeps_abbreviations_initials_and_markers() -> None:
    text = "As J. Smith et al. argue, cf. Art. 5 applies [1]. It does.\n\nNew paragraph"
    assert _texts(text, split_sentences(text)) == [
        "As J. Smith et al. argue, cf. Art. 5 applies [1].", "It does.", "New paragraph"]


def test_statute_rules_split_lines_and_semicolons_not_numbers() -> None:
    text = "1. The Parties shall act; They shall report.\n(a) each year;\n2. Next."
    assert _texts(text, split_sentences(text, rules=STATUTE)) == [
        "1. The Parties shall act;", "They shall report.", "(a) each year;", "2. Next."]
    cjk = "第一条 为了保护个人信息；规范处理活动。\n第二条 适用本法。"
    assert _texts(cjk, split_sentences(cjk, rules=STATUTE_CJK)) == [
        "第一条 为了保护个人信息；", "规范处理活动。", "第二条 适用本法。"]


def test_offsets_within_a_span_of_the_text() -> None:
    text = "Before. Inside one. Inside two. After."
    start, end = text.index("Inside"), text.index(" After")
    assert _texts(text, split_sentences(text, start, end)) == ["Inside one.", "Inside two."]


@given(st.text(alphabet="ab .;!?。[]1\n\"A", max_size=200),
       st.sampled_from([PROSE, STATUTE, STATUTE_CJK]))
def test_sentences_are_ordered_trimmed_spans(text: str, rules: citegraph.text.SentenceRules,
                                             ) -> None:
    spans = split_sentences(text, rules=rules)
    last = 0
    for a, b in spans:
        assert last <= a < b <= len(text)
        assert not text[a].isspace() and not text[b - 1].isspace()
        last = b
    covered = "".join(text[a:b] for a, b in spans)
    assert "".join(covered.split()) == "".join(text.split())  # nothing but space is lost
