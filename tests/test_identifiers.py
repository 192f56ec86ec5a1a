"""Instrument identifiers read from citations: one work IRI whatever the written form."""

from __future__ import annotations

import doctest

import pytest

import ingest.identifiers
from ingest.identifiers import find_identifiers, identify


def test_doctests() -> None:
    assert doctest.testmod(ingest.identifiers).failed == 0


@pytest.mark.parametrize(("forms", "iri"), [
    (["Regulation (EU) 2016/679", "CELEX 32016R0679", "CELEX:32016R0679",
      "http://data.europa.eu/eli/reg/2016/679/oj"], "/akn/eu/act/regulation/2016/679"),
    (["Directive 95/46/EC", "CELEX 31995L0046", "Directive 1995/46/EC"],
     "/akn/eu/act/directive/1995/46"),
    (["Regulation (EC) No 1049/2001"], "/akn/eu/act/regulation/2001/1049"),
    (["Council Regulation (EEC) No 1408/71"], "/akn/eu/act/regulation/1971/1408"),
    (["Council Framework Decision 2004/68/JHA"], "/akn/eu/act/framework-decision/2004/68"),
    (["1577 U.N.T.S. 3", "1577 UNTS 3"], "/akn/un/treaty/unts/1577-3"),
    (["ETS No. 185", "CETS No. 185", "ETS 185"], "/akn/coe/treaty/ets/185"),
    (["ILO C182", "ILO Convention No. 182"], "/akn/ilo/treaty/convention/182"),
    (["18 U.S.C. § 2252", "18 USC § 2252"], "/akn/us/act/usc/18"),
    (["Pub. L. No. 105-277", "Public Law 105-277"], "/akn/us/act/publ/105-277"),
    (["Protection of Children Act 1978", "the Protection of Children Act 1978, s 1"],
     "/akn/uk/act/1978/protection-of-children-act"),
    (["《中华人民共和国刑法》", "《刑法》", "刑法", "中华人民共和国刑法"],
     "/akn/cn/act/title/刑法"),
    (["法释〔2004〕11号", "最高人民法院法释〔2004〕11号", "法释[2004]11号"],
     "/akn/cn/doc/法释/2004-11"),
    (["主席令第八十三号", "主席令第83号"], "/akn/cn/act/order/83"),
])
def test_every_written_form_gives_one_work(forms: list[str], iri: str) -> None:
    for form in forms:
        found = identify(form)
        assert found is not None, form
        assert found.work_iri == iri, form


def test_provisions_are_kept_apart_from_the_instrument() -> None:
    usc = identify("18 U.S.C. § 2252")
    uk = identify("Protection of Children Act 1978, s 1")
    assert usc is not None and usc.provision == "2252"
    assert uk is not None and uk.provision == "1"


@pytest.mark.parametrize("name", [
    "the Child Protection Act", "Decision 3/2004", "In 2016/679 we", "the Act 1978",
    "Convention No. 5", "C182", "Article 3", "Section 2 Act", "",
])
def test_names_no_pattern_reads_are_not_guessed(name: str) -> None:
    assert identify(name) is None


def test_offsets_point_at_the_citation() -> None:
    text = "See Directive 95/46/EC, then 18 U.S.C. § 2252 and 《中华人民共和国刑法》."
    found = find_identifiers(text)
    assert [text[i.start:i.end] for i in found] == [i.raw for i in found]
    assert [i.scheme for i in found] == ["eu", "usc", "cn"]
