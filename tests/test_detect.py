"""Document kind detection: legal text, paper or BibTeX, with a reason."""

from __future__ import annotations

import doctest

import pytest
from legal_corpus import LEGAL, SHARED

import ingest.detect
from ingest.base import DocumentKind
from ingest.detect import detect_kind

CORPUS = SHARED / "corpus"


def test_doctests() -> None:
    assert doctest.testmod(ingest.detect).failed == 0


@pytest.mark.parametrize("name", [p.name for p in sorted(LEGAL.glob("*.*"))])
def test_corpus_legal_texts_are_legal(name: str) -> None:
    kind, reason = detect_kind((LEGAL / name).read_text(encoding="utf-8"), name)
    assert kind is DocumentKind.LEGAL, reason
    assert reason and "\n" not in reason


def test_seed_paper_is_a_paper() -> None:
    kind, reason = detect_kind((CORPUS / "seed-paper.txt").read_text(encoding="utf-8"),
                               "seed-paper.txt")
    assert kind is DocumentKind.PAPER
    assert "citation markers" in reason


def test_bibtex_by_extension_and_by_content() -> None:
    text = (CORPUS / "bib" / "historybib-master.bib").read_text(encoding="utf-8")
    assert detect_kind(text, "refs.bib")[0] is DocumentKind.BIBTEX
    kind, reason = detect_kind(text, "refs.txt")
    assert kind is DocumentKind.BIBTEX and "BibTeX entries" in reason


def test_paper_discussing_articles_stays_a_paper() -> None:
    text = ("Abstract\nWe study treaties [1].\n\n1. Introduction\nText [2].\n\n"
            "2. Background\nArticle 34\nof the Convention is discussed [3, 4].\n\n"
            "3. Analysis\nArticle 3\nagain [5].\n\nReferences\n")
    kind, reason = detect_kind(text, "paper.txt")
    assert kind is DocumentKind.PAPER, reason


def test_markdown_links_are_not_citation_markers() -> None:
    text = "### Article 1\n\nSee articles [1](a.md), [2](b.md).\n\n### Article 2\n\nText.\n"
    kind, reason = detect_kind(text, "t.md")
    assert kind is DocumentKind.LEGAL and "0 citation markers" in reason


def test_akoma_ntoso_markup_is_legal() -> None:
    kind, reason = detect_kind('<akomaNtoso xmlns="x"><act/></akomaNtoso>', "a.xml")
    assert kind is DocumentKind.LEGAL and "Akoma Ntoso" in reason


def test_empty_text_is_a_paper_with_a_reason() -> None:
    kind, reason = detect_kind("", "empty.txt")
    assert kind is DocumentKind.PAPER and reason
