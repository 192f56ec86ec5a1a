"""Tell a legal text from a paper or a BibTeX file, and say why in one line.

Signals are counted with compiled line patterns (linear in the text): BibTeX entries;
Akoma Ntoso markup; article headings (``Article N``, ``### Article  N``, ``第N条``) against
numbered section headings and citation markers (``[12]``, ``[3, 5]``) of a paper.

Examples
--------
>>> detect_kind("@article{k, title={T}}", "refs.txt")[0]
<DocumentKind.BIBTEX: 'bibtex'>
>>> kind, reason = detect_kind("第一条 目的。\\n第二条 范围。\\n第三条 施行。\\n", "law.md")
>>> kind, reason.split(",")[0]
(<DocumentKind.LEGAL: 'legal'>, '3 article headings (Article N / 第N条)')
"""

from __future__ import annotations

import re
from pathlib import PurePath

from ingest.base import DocumentKind
from ingest.numerals import NUMERAL_CHARS

_BIB_ENTRY = re.compile(r"^[ \t]*@[A-Za-z]+[ \t]*[{(]", re.MULTILINE)
_BIB_TYPES = re.compile(
    r"^[ \t]*@(?:article|book|inproceedings|incollection|misc|techreport|phdthesis|"
    r"mastersthesis|inbook|proceedings|unpublished|manual|booklet|online|report|string|"
    r"preamble|comment)[ \t]*[{(]", re.MULTILINE | re.IGNORECASE)
_AKN = re.compile(r"<akomaNtoso\b|legaldocml/ns/akn", re.IGNORECASE)
_ARTICLE_HEADING = re.compile(
    rf"^[ \t　]*(?:#{{1,6}}[ \t]*)?(?:(?:Article|ARTICLE|Art\.)[ \t]+\d{{1,4}}[ \t]*"
    rf"(?:[.:–—-][^\n]*)?$|第[{NUMERAL_CHARS}]+条(?:之[{NUMERAL_CHARS}]+)?(?:[ \t　]|$))",
    re.MULTILINE)
#: A short numbered heading line ("2.1 Method"), not a numbered treaty paragraph sentence.
_SECTION_HEADING = re.compile(
    r"^[ \t]*(?:#{1,6}[ \t]*)?\d{1,2}(?:\.\d{1,2}){0,3}\.?[ \t]+[A-Z][^\n]{0,110}"
    r"(?<![.;:,])[ \t]*$", re.MULTILINE)
#: ``[12]``, ``[3, 5]``, ``[3-5]`` but not a Markdown link ``[1](url)``.
_MARKER = re.compile(r"\[\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\](?:[ \t]*[–—-][ \t]*\[\d{1,3}\])?(?!\()")
#: The reference-list heading, and the ``[n]`` opening an entry of the list (not a marker).
_REFERENCES_LINE = re.compile(r"^[ \t]*(?:#{1,6}[ \t]*)?(?:References?|Bibliography|参考文献)"
                              r"[ \t]*:?[ \t]*$", re.MULTILINE | re.IGNORECASE)
_ENTRY_NUMBER = re.compile(r"^[ \t]*\[\d{1,3}\](?!\()", re.MULTILINE)
_PAPER_WORDS = re.compile(r"^[ \t]*(?:#{1,6}[ \t]*)?(?:Abstract|References|Bibliography|"
                          r"Keywords|参考文献|摘要)\b", re.MULTILINE | re.IGNORECASE)


def detect_kind(text: str, filename: str) -> tuple[DocumentKind, str]:
    """Decide what kind of document ``text`` is and give a one-line reason.

    Parameters
    ----------
    text : str
        The decoded text (for XML, the decoded markup).
    filename : str
        The file name; its extension decides for ``.bib``.

    Returns
    -------
    tuple of DocumentKind and str
    """
    suffix = PurePath(filename).suffix.lower()
    if suffix in (".bib", ".bibtex"):
        return DocumentKind.BIBTEX, f"file extension {suffix}"
    if _AKN.search(text[:5000]):
        return DocumentKind.LEGAL, "Akoma Ntoso XML"
    bib_entries = len(_BIB_TYPES.findall(text))
    lines = text.count("\n") + 1
    if bib_entries and (text.lstrip().startswith("@") or bib_entries * 20 >= lines):
        return DocumentKind.BIBTEX, f"{bib_entries} BibTeX entries (@article{{...}} and the like)"
    articles = len(_ARTICLE_HEADING.findall(text))
    sections = len(_SECTION_HEADING.findall(text))
    references = [m.end() for m in _REFERENCES_LINE.finditer(text)]
    entries = len(_ENTRY_NUMBER.findall(text, references[-1])) if references else 0
    markers = len(_MARKER.findall(text)) - entries
    paper_words = len(_PAPER_WORDS.findall(text))
    counts = (f"{articles} article headings (Article N / 第N条), {sections} numbered sections, "
              f"{markers} citation markers")
    paper_score = sections + markers + 3 * paper_words
    if articles >= 2 and articles >= paper_score:
        return DocumentKind.LEGAL, counts
    if articles == 1 and paper_score == 0:
        return DocumentKind.LEGAL, counts
    return DocumentKind.PAPER, counts + (f", {paper_words} paper headings (Abstract, "
                                         "References)" if paper_words else "")
