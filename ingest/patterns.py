"""Patterns that detection and parsing share: one home, so they never disagree.

A file is classified (:mod:`ingest.formats`, :mod:`ingest.detect`) by the same patterns
its reader parses it with: the reference-list heading, the numeric citation marker, the
article heading, a BibTeX entry, the tags of RIS and EndNote exports, the root of an XML
document. Readers import them from here rather than writing their own.

Examples
--------
>>> bool(MARKER.search("as shown [3, 5].")), bool(MARKER.search("see [1](notes.md)"))
(True, False)
>>> bool(REFERENCES_LINE.search("## References\\n")), bool(ARTICLE_HEADING.search("第三条 目的"))
(True, True)
>>> xml_root('<?xml version="1.0"?>\\n<!-- c -->\\n<b:Sources xmlns:b="x">')
'b:Sources'
"""

from __future__ import annotations

import re

from ingest.numerals import NUMERAL_CHARS

# --- BibTeX --------------------------------------------------------------------------------

#: Any ``@type{`` or ``@type(`` opening a BibTeX block.
BIB_ENTRY = re.compile(r"^[ \t]*@[A-Za-z]+[ \t]*[{(]", re.MULTILINE)
#: An entry opening with its key, whatever the type: ``@video{key,`` (BibLaTeX has dozens).
BIB_KEYED_ENTRY = re.compile(r"^[ \t]*@[A-Za-z]+[ \t]*[{(][ \t]*[^\s,{}()]*[ \t]*,",
                             re.MULTILINE)
#: Lines before the first entry that BibTeX tools write: blank lines and ``%`` comments.
BIB_LEADING_COMMENTS = re.compile(r"\A\ufeff?(?:[ \t]*(?:%[^\n]*)?\r?\n)*")
#: Pandoc Markdown citations: ``[@key]``, ``[-@key, p. 3]``, ``[see @a; @b]``.
PANDOC_CITATION = re.compile(r"\[[^\]\n]*?-?@[\w][\w:.#$%&+?<>~/-]*[^\]\n]*\]")
#: The standard BibTeX and BibLaTeX entry types (and @string/@preamble/@comment).
BIB_TYPES = re.compile(
    r"^[ \t]*@(?:article|book|inproceedings|incollection|misc|techreport|phdthesis|"
    r"mastersthesis|inbook|proceedings|unpublished|manual|booklet|online|report|string|"
    r"preamble|comment|thesis|collection|incollection|inreference|reference|mvbook|"
    r"periodical|patent|dataset|software|legislation|jurisdiction|legal|standard|"
    r"conference|electronic|www|webpage)[ \t]*[{(]", re.MULTILINE | re.IGNORECASE)

# --- Akoma Ntoso and other XML -------------------------------------------------------------

#: The root element or namespace of an Akoma Ntoso document.
AKN = re.compile(r"<akomaNtoso\b|legaldocml/ns/akn", re.IGNORECASE)
_XML_PROLOGUE = re.compile(
    r"\A(?:\ufeff)?\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--.*?-->|<\?[^>]*\?>|<!DOCTYPE[^>]*>)\s*)*"
    r"<(?P<root>[A-Za-z_][\w.:-]*)", re.DOTALL)
_HTML = re.compile(r"\A(?:\ufeff)?\s*(?:<!--.*?-->\s*)*<(?:!DOCTYPE\s+html|html)\b",
                   re.IGNORECASE | re.DOTALL)


def xml_root(text: str) -> str | None:
    """The name of the root element of an XML document (prefix kept), or None."""
    match = _XML_PROLOGUE.match(text)
    return match["root"] if match else None


def is_html(text: str) -> bool:
    """Whether ``text`` opens as an HTML document."""
    return _HTML.match(text) is not None


# --- reference-manager exports -------------------------------------------------------------

#: A RIS tag line: two upper-case characters, two spaces, a hyphen (``TY  - JOUR``).
RIS_TAG = re.compile(r"^[ \t\ufeff]*[A-Z][A-Z0-9]  -(?: |$)", re.MULTILINE)
#: The RIS record start.
RIS_START = re.compile(r"^[ \t\ufeff]*TY  - ", re.MULTILINE)
#: An EndNote tagged (``.enw``, refer) line: ``%A Name``.
ENW_TAG = re.compile(r"^%[0-9A-Z@!#$&()*+\]^~>|?] \S", re.MULTILINE)

# --- papers and legal texts ----------------------------------------------------------------

#: An article heading of a statute or treaty: ``Article 5``, ``### Article 12 - Title``,
#: ``Art. 3``, ``第十七条之一``.
ARTICLE_HEADING = re.compile(
    rf"^[ \t　]*(?:#{{1,6}}[ \t]*)?(?:(?:Article|ARTICLE|Art\.)[ \t]+\d{{1,4}}[ \t]*"
    rf"(?:[.:–—-][^\n]*)?$|第[{NUMERAL_CHARS}]+条(?:之[{NUMERAL_CHARS}]+)?(?:[ \t　]|$))",
    re.MULTILINE)
#: A short numbered heading line ("2.1 Method"), not a numbered treaty paragraph sentence.
SECTION_HEADING = re.compile(
    r"^[ \t]*(?:#{1,6}[ \t]*)?\d{1,2}(?:\.\d{1,2}){0,3}\.?[ \t]+[A-Z][^\n]{0,110}"
    r"(?<![.;:,])[ \t]*$", re.MULTILINE)
#: A numeric citation marker, ``[12]``, ``[3, 5]``, ``[3-5]``, ``[3]-[5]``; not an escaped
#: ``\[`` nor a Markdown link ``[1](url)``.
MARKER = re.compile(
    r"(?<!\\)\[(?P<body>\d{1,3}(?:[ \t]*[,;–—-][ \t]*\d{1,3})*)\]"
    r"(?:[ \t]*[–—-][ \t]*\[(?P<upto>\d{1,3})\])?(?!\()")
#: The titles a reference list goes by.
REFERENCES_TITLES = (r"References?|Bibliography|Works Cited|Literature Cited|Reference List|"
                     r"Sources|参考文献|引用文献")
#: A line that is only a reference-list heading (``## References``, ``Bibliography:``).
REFERENCES_LINE = re.compile(rf"^[ \t]*(?:#{{1,6}}[ \t]*)?(?:{REFERENCES_TITLES})[ \t]*:?[ \t]*$",
                             re.MULTILINE | re.IGNORECASE)
#: The ``[n]`` opening an entry of a numbered reference list (not a marker).
ENTRY_NUMBER = re.compile(r"^[ \t]*\[\d{1,3}\](?!\()", re.MULTILINE)
#: Headings only a paper has.
PAPER_WORDS = re.compile(r"^[ \t]*(?:#{1,6}[ \t]*)?(?:Abstract|References|Bibliography|"
                         r"Keywords|参考文献|摘要)\b", re.MULTILINE | re.IGNORECASE)

# --- LaTeX ---------------------------------------------------------------------------------

#: What only a LaTeX source has near its top: a document class, a preamble command, or a
#: sectioning command at the start of a line.
LATEX_SOURCE = re.compile(
    r"^[ \t]*\\(?:documentclass|usepackage|begin\{document\}|(?:sub)*section\*?\{|"
    r"chapter\*?\{|input\{|include\{|bibliography\{|addbibresource\{|title\{)", re.MULTILINE)
