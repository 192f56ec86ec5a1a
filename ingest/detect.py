"""Tell a legal text from a paper or a BibTeX file, and say why in one line.

:func:`detect_kind` asks the format registry (:mod:`ingest.formats`), the one place that
decides what a file is; :func:`text_kind` is the registry's last rule for plain text and
Markdown: article headings (``Article N``, ``### Article  N``, ``第N条``) counted against
numbered section headings and citation markers (``[12]``, ``[3, 5]``) of a paper, with the
patterns of :mod:`ingest.patterns` that the readers parse with (linear in the text).

Examples
--------
>>> detect_kind("@article{k, title={T}}", "refs.txt")[0]
<DocumentKind.BIBTEX: 'bibtex'>
>>> kind, reason = detect_kind("第一条 目的。\\n第二条 范围。\\n第三条 施行。\\n", "law.md")
>>> kind, reason.split(",")[0]
(<DocumentKind.LEGAL: 'legal'>, '3 article headings (Article N / 第N条)')
"""

from __future__ import annotations

from citegraph.text import mostly_cjk
from ingest import patterns
from ingest.base import DocumentKind


def detect_kind(text: str, filename: str) -> tuple[DocumentKind, str]:
    """Decide what kind of document ``text`` is and give a one-line reason.

    Parameters
    ----------
    text : str
        The decoded text (for XML, the decoded markup).
    filename : str
        The file name; its extension counts where the registry says it does (``.bib``).

    Returns
    -------
    tuple of DocumentKind and str
        The kind of the registry's format for the file, and why.
    """
    from ingest.formats import Source, identify

    match = identify(Source(filename, text.encode("utf-8")))
    return match.format.kind, match.reason


def text_kind(text: str) -> tuple[DocumentKind, str]:
    """Legal text or paper, for decoded plain text or Markdown, with the counts that decided."""
    articles = len(patterns.ARTICLE_HEADING.findall(text))
    sections = len(patterns.SECTION_HEADING.findall(text))
    references = [m.end() for m in patterns.REFERENCES_LINE.finditer(text)]
    entries = len(patterns.ENTRY_NUMBER.findall(text, references[-1])) if references else 0
    markers = len(patterns.MARKER.findall(text)) - entries
    paper_words = len(patterns.PAPER_WORDS.findall(text))
    counts = (f"{articles} article headings (Article N / 第N条), {sections} numbered sections, "
              f"{markers} citation markers")
    paper_score = sections + markers + 3 * paper_words
    if articles >= 2 and articles >= paper_score:
        return DocumentKind.LEGAL, counts
    if articles >= 1 and markers <= 0 and paper_words == 0:
        # numbered paragraphs inside articles are not a paper's sections
        return DocumentKind.LEGAL, counts
    if paper_score == 0 and mostly_cjk(text):
        return DocumentKind.LEGAL, counts + ", Chinese text without a paper's headings"
    return DocumentKind.PAPER, counts + (f", {paper_words} paper headings (Abstract, "
                                         "References)" if paper_words else "")
