"""Plain-text and Markdown statutes and treaties: articles, metadata and cross-references.

:func:`parse_legal_text` is pure (text in, :class:`~ingest.base.ParsedDocument` out);
:func:`read_legal_text` opens a file. Two families of layout are recognised:

- English: ``Article 1``, ``Art. 3``, ``### Article  34`` (optionally ``- heading``);
  structural headings ``PART I``, ``Chapter 2``; annexes end the articles.
- Chinese: ``第三百六十三条`` and inserted ``第二百八十六条之一`` at the start of a line,
  with 编/章/节 headings, 附则 and 附件 (annex).

Metadata lines come first (a ``#`` title, dates, ``<!-- INFO END -->``; in the UN Markdown
files a Dutch and an English title). A second copy of the text in another language (the
title repeated after the articles) is not read. Texts printed from PDFs break lines
anywhere, so a bare ``Article 49`` line only opens an article when it continues the
numbering and stands after a finished sentence; a Markdown heading or a Chinese article line
must at least increase the numbering.

Example
-------
>>> doc = parse_legal_text("# 某法\\n\\n第一条 总则。\\n\\n第二条 依照第一条处理。\\n",
...                        file="x.md")
>>> [n.props["number"] for n in doc.batch.nodes if n.type == "Article"]
['1', '2']
>>> [r.props["target_eid"] for r in doc.batch.relationships if r.type == "REFERS_TO"]
['art_1']
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from citegraph import ids
from citegraph.errors import LegalTextError
from citegraph.model import (
    GraphBatch,
    Node,
    NodeType,
    Props,
    Provenance,
    Relationship,
    RelType,
)
from citegraph.text import HAN, STATUTE, STATUTE_CJK, mostly_cjk, roman_to_int
from citegraph.text import split_sentences as _split_sentences
from ingest.base import DocumentKind, ParsedDocument, Problem, Sentence
from ingest.crossrefs import (
    GENERIC_NAME,
    CrossRef,
    MarkdownLink,
    amended_references,
    find_chinese_references,
    find_english_references,
    find_link_instruments,
    markdown_links,
    mask_markdown_links,
    title_case,
)
from ingest.identifiers import identify
from ingest.numerals import (
    NUMERAL_CHARS,
    article_number,
    chinese_to_int,
    number_key,
    suffixed_number,
)
from ingest.textio import read_text

Resolver = Callable[[str], str | None]

_OPTIONAL = re.compile(r"\bOptional\s+", re.IGNORECASE)
_VALID_IRI = re.compile(r"^/[^\s\x00-\x1f#]{1,1000}$")
#: Article text kept on the node (the span locates the rest).
MAX_ARTICLE_TEXT = 20_000

_N = f"[{NUMERAL_CHARS}]+"
_CN_ARTICLE = re.compile(
    rf"^[ \t　]*(?P<hashes>#{{1,6}})?[ \t　]*(?P<raw>第(?P<num>{_N})条(?:之(?P<sub>{_N}))?)"
    rf"(?:[ \t　]+|$)")
_CN_CLAUSE = re.compile(
    r"^[ \t　]*#{0,6}[ \t　]*(?P<raw>(?P<num>[零〇一二两三四五六七八九十百]+)、)")
#: Section headings of a reported court case (the texts are not statutes).
_CASE_HEADINGS = re.compile(
    r"^#{1,6}[ \t　]*(?:基本案情|裁判要点|裁判要旨|简要案情|裁判结果|适用解析|法院认为|案情简介|"
    r"裁判理由)[ \t　]*$", re.MULTILINE)
_CN_ARTICLE_LOOSE = re.compile(  # for texts that put no space after 第…条
    rf"^[ \t　]*(?P<hashes>#{{1,6}})?[ \t　]*(?P<raw>第(?P<num>{_N})条(?:之(?P<sub>{_N}))?)"
    rf"(?![第、，,至和及或的规中])[ \t　]*")
_EN_ARTICLE = re.compile(
    r"^[ \t]*(?P<hashes>#{1,6})?[ \t]*(?P<raw>(?:Article|ARTICLE|Art\.|Artikel|ARTIKEL)[ \t]+"
    r"(?P<num>1er|[Pp]remier|PREMIER|\d{1,5}(?:-\d{1,3})?|[IVXLC]{1,8})"
    r"(?P<suffix>[ \t]*\(?(?:bis|ter|quater|quinquies|sexies|septies|octies|novies|decies)\)?"
    r"|[A-Z](?![A-Za-z]))?)(?![A-Za-z0-9])(?P<rest>[^\n]*)$")
_STARRED = re.compile(r"^[ \t]*#{1,6}[ \t]*(?:Article|ARTICLE|Art\.)[ \t]+\d+[ \t]*\*[ \t]*$")
_REVISED = re.compile(r"修订|修正|修改")
#: The title of a text that amends another (its article numbers are the other's).
_AMENDING = re.compile(r"修正案|关于修改")
#: The title line of an ILO instrument, first after the conference heading.
_ILO_TITLE = re.compile(
    r"^(?:Convention|Protocol|Recommendation)\s+\(No\.\s*\d{1,3}\)[^\n]{0,200}$")
#: Page furniture of the Official Journal print: running heads on every page.
_OJ_RUNNING_HEAD = re.compile(
    r"^\s*(?:[LC] \d+/\d+ EN Official Journal of the European Union \d{1,2}\.\d{1,2}\.\d{4}"
    r"|\d{1,2}\.\d{1,2}\.\d{4} EN Official Journal of the European Union [LC] \d+/\d+)\s*$")
#: Where the principal text ends in a treaty: an annexed instrument, notes, a schedule.
_ANNEXED = re.compile(
    r"^[ \t]*#{1,6}[ \t]*(?:ANNEXE?S?|Annexe?s?|APPENDIX|Appendix|Bijlage|BIJLAGE|PROTOCOL|"
    r"Protocol|Additional Protocol|Nr\.?[ \t]+[IVX]+\b|No\.?[ \t]+[IVX]+\b|Exchange of|"
    r"SCHEDULE|Schedule)")
#: What may follow an article number and still be no heading: footnote markers.
_FOOTNOTE_REST = re.compile(r"^[\s\d¹²³⁰-⁹*†‡]*$")
_STRUCTURAL = re.compile(
    rf"^[ \t]*#{{0,6}}[ \t]*(?:(?:PART|Part|CHAPTER|Chapter|SECTION|Section|TITLE|Title|DEEL|"
    rf"Hoofdstuk|BOOK|Book)[ \t]+[IVXLC\d]+\b|第{_N}[编章节]|附[ \t　]*则|总[ \t　]*则|"
    rf"Preamble|PREAMBLE|Preambule)")
_ANNEX = re.compile(r"^[ \t]*#{0,6}[ \t]*(?:ANNEX|Annex|APPENDIX|Appendix|附件|附录)"
                    r"(?:[^\n]{0,60}$)")
_MD_HEADING = re.compile(r"^[ \t]*(?P<hashes>#{1,6})[ \t]*(?P<text>\S[^\n]*?)[ \t]*$")
_INFO_END = re.compile(r"^\s*<!--\s*INFO END\s*-->\s*$")
_HTML_LINE = re.compile(r"^\s*<[^>\n]*>\s*$")
_CN_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_SENTENCE_END_BEFORE = re.compile(r"(?:[.;:!?。；：！？”\"')\]]|^)\s*$")

@dataclass(frozen=True, slots=True)
class ArticleBlock:
    """One article found in the text: its number, heading line and span."""

    number: str
    number_raw: str
    heading: str | None
    start: int
    body_start: int
    end: int
    line: int

    @property
    def eid(self) -> str:
        return ids.article_eid(self.number)


@dataclass(frozen=True, slots=True)
class LegalStructure:
    """The layout of a legal text: metadata, preamble span and articles."""

    title: str | None
    titles: tuple[str, ...]
    chinese: bool
    date: str | None
    preamble: tuple[int, int] | None
    articles: tuple[ArticleBlock, ...]
    problems: tuple[Problem, ...] = ()
    ignored_lines: int = 0
    version_date: str | None = None  # the latest date of the metadata (Chinese texts)


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    start: int
    end: int  # without the newline
    text: str


@dataclass(frozen=True, slots=True)
class _Candidate:
    number: str
    raw: str
    heading: str | None
    strong: bool
    body_offset: int  # offset of the article text within the line


def _lines(text: str) -> Iterator[_Line]:
    start = 0
    for number, chunk in enumerate(text.splitlines(keepends=True), start=1):
        body = chunk.rstrip("\r\n")
        yield _Line(number, start, start + len(body), body)
        start += len(chunk)


def _is_chinese(text: str) -> bool:
    return mostly_cjk(text)


def _article_candidate(line: _Line, chinese: bool, mode: str = "strict") -> _Candidate | None:
    if chinese:
        return _chinese_clause(line) if mode == "clauses" else _chinese_article(line, mode)
    m = _EN_ARTICLE.match(line.text)
    if m is None:
        return None
    number = m["num"]
    if number.lower() in ("1er", "premier"):
        number = "1"
    elif not number[0].isdigit():
        try:
            number = str(roman_to_int(number))
        except ValueError:
            return None
    number = suffixed_number(number, m["suffix"])
    rest = m["rest"].strip()
    if m["hashes"] and rest == "*":
        return None  # "Article 28*": an amending protocol's clause in a consolidated text
    if _FOOTNOTE_REST.match(rest):
        rest = ""  # "Article 12 3" in a printed text: 3 is a footnote marker
    if m["hashes"]:
        heading = rest.strip(" .:–—-\t") or None
        return _Candidate(number, m["raw"].strip(), heading, True, len(line.text))
    if rest and not re.match(r"^[.:–—-]", rest):
        return None  # "Article 49 of the Convention ..." is running text
    heading = rest.strip(" .:–—-\t") or None
    return _Candidate(number, m["raw"].strip(), heading, False, len(line.text))


def _chinese_article(line: _Line, mode: str) -> _Candidate | None:
    m = (_CN_ARTICLE_LOOSE if mode == "loose" else _CN_ARTICLE).match(line.text)
    if m is None:
        return None
    try:
        number = article_number(m["raw"])
    except ValueError:
        return None
    bracket = re.match(r"^【([^】\n]{1,60})】", line.text[m.end():])
    return _Candidate(number, m["raw"], bracket[1] if bracket else None, True, m.end())


def _chinese_clause(line: _Line) -> _Candidate | None:
    """A numbered clause ``一、`` of a text made of clauses (amendments, decisions)."""
    m = _CN_CLAUSE.match(line.text)
    if m is None:
        return None
    try:
        number = str(chinese_to_int(m["num"]))
    except ValueError:
        return None
    return _Candidate(number, m["raw"], None, False, m.end())


def _continues_numbering(previous: str | None, number: str, strong: bool) -> bool:
    key = number_key(number)
    if previous is None:
        return strong or key[0] <= 1
    before = number_key(previous)
    if key <= before:
        return False
    if strong:
        return True
    if key[0] == before[0]:
        return key[1] == before[1] + 1
    return key[0] == before[0] + 1 and key[1] == 0


def _heading_text(line: _Line) -> tuple[int, str] | None:
    m = _MD_HEADING.match(line.text)
    return (len(m["hashes"]), m["text"].strip("# ")) if m else None


@dataclass
class _Scan:
    """State of one pass over the lines (see :func:`parse_structure`)."""

    file: str
    chinese: bool
    mode: str
    print_mode: bool
    blocks: list[tuple[int, _Candidate]] = field(default_factory=list)  # (line index, …)
    limits: list[int | None] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    titles: list[tuple[int, str]] = field(default_factory=list)
    top_done: bool = False  # the block of title headings at the top has ended
    first_line: str | None = None
    previous_number: str | None = None
    previous_text: str = ""
    previous_blank: bool = True
    after_heading: bool = False  # the last non-blank line was a heading
    end_of_body: int | None = None
    ignored: int = 0

    def stop(self, lines: list[_Line], index: int, message: str, skipped: bool) -> None:
        first = index  # the headings just before (an annexed instrument's title) go with it
        while first > 0 and (not lines[first - 1].text.strip()
                             or lines[first - 1].text.lstrip().startswith("#")) \
                and (not self.blocks or first - 1 > self.blocks[-1][0] + 2):
            first -= 1
        if self.blocks:  # or the first title-like heading after the last article's own title
            for j in range(self.blocks[-1][0] + 3, first):
                if _MD_HEADING.match(lines[j].text) and not _STRUCTURAL.match(lines[j].text):
                    first = j
                    break
        self.end_of_body = lines[first].start
        self.ignored = len(lines) - index
        self.problems.append(Problem(self.file, f"{message} ({self.ignored} lines not read)",
                                     lines[index].number, skipped=skipped))


def parse_structure(text: str, *, file: str, loose: bool = False,
                    mode: str | None = None) -> LegalStructure:
    """Find metadata, preamble and articles; see the module docstring for the rules.

    ``mode`` ``"loose"`` accepts Chinese ``第N条`` headings with no space before the article
    text, ``"clauses"`` reads the numbered clauses ``一、`` of amendments and decisions; each
    is tried by itself, in that order, when the strict pass finds no article in a Chinese text.

    Raises
    ------
    LegalTextError
        When the text holds no article at all, or is a court case.
    """
    mode = mode or ("loose" if loose else "strict")
    chinese = _is_chinese(text)
    if chinese and len(_CASE_HEADINGS.findall(text)) >= 2:
        raise LegalTextError("a reported court case (案情/裁判要点 sections), not a statute: "
                             "no articles read", file=file)
    lines = list(_lines(text))
    print_mode = sum(1 for ln in lines[:400] if _OJ_RUNNING_HEAD.match(ln.text)) >= 2
    scan = _Scan(file, chinese, mode, print_mode)
    for index, line in enumerate(lines):
        if print_mode and _OJ_RUNNING_HEAD.match(line.text):
            continue
        if not _scan_line(scan, lines, index):
            break
    articles = _close_blocks(text, lines, scan)
    if not articles and chinese and mode != "clauses":
        return parse_structure(text, file=file, mode="loose" if mode == "strict" else "clauses")
    if not articles:
        raise LegalTextError("no article headings (Article N / 第N条 / numbered clauses 一、) "
                             "found: the text is not read as a statute", file=file)
    title = (_oj_title(lines) if print_mode else None) or _choose_title(scan.titles) or \
        scan.first_line
    metadata_end = next((ln.end for ln in lines if _INFO_END.match(ln.text)), 0)
    date = _metadata_date(lines, metadata_end or articles[0].start)
    version = _latest_date(lines, metadata_end) if chinese and metadata_end else None
    preamble_start = max(metadata_end, _title_end(lines, scan.titles))
    preamble = (preamble_start, articles[0].start) if preamble_start < articles[0].start \
        else None
    return LegalStructure(
        title=title, titles=tuple(t for _, t in scan.titles), chinese=chinese, date=date,
        preamble=preamble, articles=tuple(articles), problems=tuple(scan.problems),
        ignored_lines=scan.ignored, version_date=version)


def _scan_line(scan: _Scan, lines: list[_Line], index: int) -> bool:
    """Read one line into ``scan``; False when the principal text ends here."""
    line = lines[index]
    stripped = line.text.strip()
    candidate = _article_candidate(line, scan.chinese, scan.mode)
    if candidate is not None:
        if not _take_candidate(scan, lines, index, candidate):
            return False
    elif scan.blocks and not scan.after_heading and _ends_body(scan, line):
        scan.stop(lines, index, f"{stripped[:60]!r}: an annex or annexed instrument; the "
                  "articles end here", skipped=False)
        return False
    elif not scan.blocks:
        _top_line(scan, line, stripped)
    elif len(stripped) < 80 and (_STRUCTURAL.match(line.text) or _STARRED.match(line.text)):
        if scan.limits[-1] is None:
            scan.limits[-1] = line.start  # a chapter heading ends the article before it
    else:
        heading = _heading_text(line)
        if heading and not scan.after_heading and not _STRUCTURAL.match(line.text) \
                and _is_other_version(heading, scan.titles):
            scan.stop(lines, index, f"{heading[1][:60]!r} repeats the title: another "
                      "language version starts here and is not read", skipped=True)
            return False
    if stripped:
        scan.previous_text = stripped
        scan.after_heading = candidate is not None or stripped.startswith("#")
    scan.previous_blank = not stripped
    return True


def _take_candidate(scan: _Scan, lines: list[_Line], index: int, cand: _Candidate) -> bool:
    line = lines[index]
    ok = _continues_numbering(scan.previous_number, cand.number, cand.strong)
    if ok and not cand.strong and not scan.print_mode and scan.mode != "clauses" and not (
            scan.previous_blank or _SENTENCE_END_BEFORE.search(scan.previous_text)):
        ok = False  # a line break inside a sentence
    if ok:
        scan.blocks.append((index, cand))
        scan.limits.append(None)
        scan.previous_number = cand.number
        return True
    if (not scan.chinese and cand.strong and scan.previous_number is not None
            and number_key(cand.number) <= number_key(scan.previous_number)):
        scan.stop(lines, index, f"{line.text.strip()[:40]!r} restarts the numbering: another "
                  "language version or an annexed instrument starts here", skipped=False)
        return False
    scan.problems.append(Problem(scan.file, f"{line.text.strip()[:40]!r} breaks the article "
                                 "numbering or a sentence; read as text", line.number,
                                 skipped=False))
    return True


def _ends_body(scan: _Scan, line: _Line) -> bool:
    if _ANNEX.match(line.text):
        return True
    return not scan.chinese and _ANNEXED.match(line.text) is not None


def _top_line(scan: _Scan, line: _Line, stripped: str) -> None:
    """Before the first article: title headings at the top, or a plain first line."""
    if not stripped or _HTML_LINE.match(stripped) or _INFO_END.match(stripped):
        return
    heading = _heading_text(line)
    if heading and not scan.top_done and not _STRUCTURAL.match(line.text) and \
            len(heading[1]) >= 8:
        scan.titles.append(heading)
        return
    if not heading and not scan.top_done and scan.titles and _ILO_TITLE.match(stripped):
        scan.titles.append((9, stripped))  # under "INTERNATIONAL LABOUR CONFERENCE"
        return
    if (scan.first_line is None and not heading and len(stripped) <= 200
            and not _STRUCTURAL.match(stripped)):
        scan.first_line = stripped
    scan.top_done = scan.top_done or not heading


def _latest_date(lines: list[_Line], end: int) -> str | None:
    """The latest revision date of the metadata lines (修订/修正/修改): the version a Chinese
    text is; None for a text never revised."""
    dates = [f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
             for line in lines if line.start < end and _REVISED.search(line.text)
             for m in _CN_DATE.finditer(line.text)]
    return max(dates) if dates else None


def _metadata_date(lines: list[_Line], end: int) -> str | None:
    """Date of the metadata lines: promulgation (公布), else latest revision (修订), else first.

    >>> _metadata_date(list(_lines("1979年7月1日 通过\\n1997年3月14日 修订\\n")), 99)
    '1997-03-14'
    """
    published: str | None = None
    revised: str | None = None
    first: str | None = None
    for line in lines:
        if line.start >= end:
            break
        for m in _CN_DATE.finditer(line.text):
            value = f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
            first = first or value
            if "公布" in line.text:
                published = published or value
            elif "修订" in line.text:
                revised = value
    return published or revised or first


def _is_other_version(heading: tuple[int, str], titles: list[tuple[int, str]]) -> bool:
    """A heading after the articles that repeats a title, or a new top-level ``#`` title."""
    text = heading[1].casefold()
    if any(text == t.casefold() for _, t in titles):
        return True
    return heading[0] == 1 and bool(titles) and titles[0][0] == 1


def _choose_title(titles: list[tuple[int, str]]) -> str | None:
    """The text's own title: the last heading of the block at the top (a UN/NL treaty gives
    its Dutch title, then the English one)."""
    return titles[-1][1] if titles else None


_OJ_ACT = re.compile(r"^(?:COMMISSION |COUNCIL )?(?:IMPLEMENTING |DELEGATED )?"
                     r"(?:REGULATION|DIRECTIVE|DECISION)\b.*\d{2,4}/\d+")
_OJ_TITLE_END = re.compile(r"^\(Text with EEA relevance\)|^THE (?:EUROPEAN|COUNCIL|COMMISSION)")


def _oj_title(lines: list[_Line]) -> str | None:
    """The title of an act printed in the Official Journal: its first lines up to the
    enacting formula ("REGULATION (EU) 2016/679 OF … of 27 April 2016 on …")."""
    for i, line in enumerate(lines[:80]):
        if _OJ_ACT.match(line.text.strip()):
            parts = []
            for follow in lines[i:i + 8]:
                text = follow.text.strip()
                if _OJ_TITLE_END.match(text):
                    break
                parts.append(text)
            return " ".join(parts)
    return None


def _title_end(lines: list[_Line], titles: list[tuple[int, str]]) -> int:
    if not titles:
        return 0
    last = titles[-1][1]
    for line in lines:
        heading = _heading_text(line)
        if heading and heading[1] == last:
            return line.end
    return 0


def _close_blocks(text: str, lines: list[_Line], scan: _Scan) -> list[ArticleBlock]:
    articles: list[ArticleBlock] = []
    stop = len(text) if scan.end_of_body is None else scan.end_of_body
    for i, (index, cand) in enumerate(scan.blocks):
        line = lines[index]
        end = lines[scan.blocks[i + 1][0]].start if i + 1 < len(scan.blocks) else stop
        limit = scan.limits[i]
        if limit is not None:
            end = min(end, limit)
        while end > line.start and text[end - 1] in "\r\n \t":
            end -= 1
        body_start = line.start + cand.body_offset
        heading = cand.heading
        if heading is None and not scan.chinese:
            title = _title_line(lines, index, end, scan.print_mode)
            if title is not None:
                heading, body_start = title[0], title[1]
        articles.append(ArticleBlock(cand.number, cand.raw, heading, line.start,
                                     min(body_start, end), max(end, line.end), line.number))
    return articles


def _title_line(lines: list[_Line], index: int, end: int,
                print_mode: bool) -> tuple[str, int] | None:
    """An article's title on the line after its heading: ``####Title`` or, in print, a
    short line that is no sentence."""
    for line in lines[index + 1:index + 4]:
        if line.start >= end:
            return None
        text = line.text.strip()
        if not text or (print_mode and _OJ_RUNNING_HEAD.match(text)):
            continue
        heading = _heading_text(line)
        if heading is not None:
            if _EN_ARTICLE.match(line.text) or _STRUCTURAL.match(line.text):
                return None
            title = heading[1].strip("*_ ")
            return (title, line.end) if title else None
        if print_mode and len(text) <= 160 and not re.search(r"[.;:]$", text) and \
                text[0].isupper():
            follow = lines[index + 2] if index + 2 < len(lines) else None
            if follow is not None and follow.start < end and (
                    text.endswith(",") or follow.text[:1].islower()):
                return f"{text} {follow.text.strip()}", follow.end  # broken over two lines
            return text, line.end
        return None
    return None


# --- sentences -------------------------------------------------------------------------

def split_sentences(text: str, start: int, end: int, chinese: bool) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` (offsets into ``text``): lines, then punctuation.

    >>> t = "1. States Parties shall act. They shall report.\\n2. Next."
    >>> [t[s:e] for s, e in split_sentences(t, 0, len(t), False)]
    ['1. States Parties shall act.', 'They shall report.', '2. Next.']
    """
    return _split_sentences(text, start, end, STATUTE_CJK if chinese else STATUTE)


# --- the graph -------------------------------------------------------------------------

_LEADING_DESIGNATOR = re.compile(
    r"(?:[A-Z][A-Za-z]*\s+)?(?:Convention|Protocol|Recommendation)\s+No\.?\s*\d{1,3}(?!\d)")


@dataclass
class _Builder:
    file: str
    text: str
    iri: str
    instrument: str
    title: str
    interpretation: bool
    resolve: Resolver
    nodes: dict[str, Node] = field(default_factory=dict)
    rels: dict[tuple[str, str, str, str], Relationship] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    own_eids: set[str] = field(default_factory=set)
    numbers: tuple[str, ...] = ()  # the text's own article numbers, in order
    amending: bool = False  # the text amends another (修正案, 关于修改…的决定)
    date: str | None = None
    unresolved: int = 0
    references: int = 0
    resolved: dict[str, str | None] = field(default_factory=dict)

    def add_node(self, node: Node) -> None:
        existing = self.nodes.get(node.id)
        if existing is None or (existing.is_stub and not node.is_stub):
            self.nodes[node.id] = node

    def add_stub(self, node_id: str, node_type: NodeType, label: str, props: Props) -> None:
        """Add a stub node unless a node with that id is already there."""
        if node_id not in self.nodes:
            self.nodes[node_id] = Node(node_id, node_type, label, props)

    def add_rel(self, rel: Relationship) -> None:
        self.rels.setdefault(rel.identity, rel)

    def resolve_name(self, name: str) -> str | None:
        if name not in self.resolved:
            self.resolved[name] = self._resolve_variants(name)
        return self.resolved[name]

    def _resolve_variants(self, name: str) -> str | None:
        variants = [name, name.strip("《》 "), re.sub(r"^the\s+", "", name, flags=re.I)]
        variants.append(title_case(variants[-1]))
        # "Convention No. 182 on the Prohibition ...": the numbered designator alone
        designator = _LEADING_DESIGNATOR.match(variants[2])
        if designator:
            variants.append(designator.group(0))
        for variant in dict.fromkeys(v for v in variants if v):
            iri = self.resolve(variant)
            if iri and _VALID_IRI.match(iri):
                return iri
        found = identify(name)  # no catalog entry: the name's own identifier, if any
        return found.work_iri if found is not None else None


def parse_legal_text(text: str, *, file: str, resolve: Resolver = lambda name: None,
                     work_iri: str | None = None) -> ParsedDocument:
    """Parse a statute or treaty into an Instrument stub, its Articles and cross-references.

    Parameters
    ----------
    text : str
        The decoded text (Markdown or plain text).
    file : str
        Name used in errors and problems.
    resolve : callable
        Maps an instrument name or title found in the text to an Akoma Ntoso work IRI
        (the catalog's resolver), or None.
    work_iri : str, optional
        The work IRI of this text, when known; else resolved from its title, else derived.

    Returns
    -------
    ParsedDocument
        Kind LEGAL; the batch's document is the instrument id.

    Raises
    ------
    LegalTextError
        When no article is found.
    """
    structure = parse_structure(text, file=file)
    title = structure.title or Path(file).stem
    if work_iri is not None and not _VALID_IRI.match(work_iri):
        raise LegalTextError(f"work IRI {work_iri[:80]!r} is not an Akoma Ntoso IRI", file=file)
    iri, how = _identity(structure, file, resolve, work_iri)
    instrument = ids.instrument_id(iri)
    interpretation = "解释" in title or "/judgment/" in iri or "interpretation" in iri
    b = _Builder(file, text, iri, instrument, title, interpretation, resolve)
    b.problems.extend(structure.problems)
    b.amending, b.date = bool(_AMENDING.search(title)), structure.date
    b.add_node(_instrument_node(structure, text, file, iri, how, title))
    _add_amendment_history(b, text)
    sentences: list[Sentence] = []
    masked = text if structure.chinese else mask_markdown_links(text)
    links = [] if structure.chinese else markdown_links(text)
    link_starts = [lk.start for lk in links]
    b.own_eids = {a.eid for a in structure.articles}
    b.numbers = tuple(a.number for a in structure.articles)
    short = short_label(title, structure.date)
    inserted = 0
    for order, art in enumerate(structure.articles, start=1):
        node_id = ids.article_id(iri, art.eid)
        inserted += "-" in art.number
        body = text[art.body_start:art.end]
        b.add_node(Node(node_id, NodeType.ARTICLE, article_label(short, art.number,
                                                                 structure.chinese),
                        {"number": art.number, "number_raw": art.number_raw,
                         **({"heading": art.heading} if art.heading else {}),
                         "span": [art.start, art.end],
                         "text": body.strip()[:MAX_ARTICLE_TEXT], "order": order,
                         "document": instrument, "line": art.line, "eid": art.eid}))
        b.add_rel(Relationship(instrument, node_id, RelType.HAS_ARTICLE, Provenance(
            instrument, art.eid, (art.start, art.end), art.number_raw, "structure")))
        spans = split_sentences(text, art.body_start, art.end, structure.chinese)
        sentences.extend(Sentence(text[s:e], s, e, node_id, art.eid) for s, e in spans)
        _add_references(b, masked, links, link_starts, art.body_start, art.end, spans,
                        node_id, art.eid, structure.chinese)
    if structure.preamble is not None:
        start, end = structure.preamble
        spans = split_sentences(text, start, end, structure.chinese)
        sentences.extend(Sentence(text[s:e], s, e, instrument, "preamble") for s, e in spans)
        _add_references(b, masked, links, link_starts, start, end, spans, instrument, "preamble",
                        structure.chinese)
    summary = {"articles": len(structure.articles), "inserted_articles": inserted,
               "references": b.references, "unresolved_references": b.unresolved,
               "sentences": len(sentences), "ignored_lines": structure.ignored_lines}
    batch = GraphBatch.of(instrument, b.nodes.values(), b.rels.values())
    return ParsedDocument(DocumentKind.LEGAL, batch, tuple(b.problems), tuple(sentences),
                          summary)


def read_legal_text(path: str | Path, *, resolve: Resolver = lambda name: None,
                    work_iri: str | None = None) -> ParsedDocument:
    """Read and parse a legal text file (see :func:`parse_legal_text`)."""
    return parse_legal_text(read_text(path), file=str(path), resolve=resolve,
                            work_iri=work_iri)


def _identity(structure: LegalStructure, file: str, resolve: Resolver,
              work_iri: str | None) -> tuple[str, str]:
    """The work IRI and where it came from: given, the catalog, the identifier in the
    text's own title (``Regulation (EU) 2016/679``, 《中华人民共和国保险法》), else derived."""
    if work_iri is not None:
        return work_iri, "given"
    resolved = _resolve_title(structure, resolve)
    if resolved is not None:
        return resolved, "catalog"
    for title in ([structure.title] if structure.title else []) + list(
            reversed(structure.titles)):
        found = identify(title)
        if found is not None and found.provision is None:
            version = structure.version_date
            if version is None:
                return found.work_iri, f"identifier ({found.label})"
            # one work, several versions: the text is the version of its latest date
            return f"{found.work_iri}@{version}", f"identifier ({found.label}), version"
    return derive_work_iri(structure, file), "derived from the title"


def _instrument_node(structure: LegalStructure, text: str, file: str, iri: str, how: str,
                     title: str) -> Node:
    """The text's Instrument: a full node (it keeps the text's sha256 and source file, so a
    different text under the same id is refused); under a catalog id the curated label and
    title stay, the text's own title is kept as ``text_title``."""
    curated = how == "catalog"
    short = short_title(title)
    return Node(ids.instrument_id(iri), NodeType.INSTRUMENT, "" if curated else title, {
        **({"text_title": title} if curated else {"title": title}),
        **({"short_title": short} if short != title else {}),
        "work_iri": iri, "identity": how, "source_file": file, "file": file,
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "language": "zh" if structure.chinese else "en",
        "titles": list(structure.titles), "articles": len(structure.articles),
        **({"date": structure.date} if structure.date else {})})


def _resolve_title(structure: LegalStructure, resolve: Resolver) -> str | None:
    for candidate in ([structure.title] if structure.title else []) + list(
            reversed(structure.titles)):
        iri = resolve(candidate)
        if iri and _VALID_IRI.match(iri):
            return iri
    return None


def derive_work_iri(structure: LegalStructure, file: str) -> str:
    """A valid work IRI for a text the catalog does not know.

    Country ``cn`` for Chinese text, ``un`` when the text is a UN instrument, else ``int``;
    doctype ``judgment`` for a judicial interpretation (解释), ``treaty`` for conventions and
    protocols, else ``act``; the date from the metadata or ``nd``; the slug of the title.
    """
    title = structure.title or Path(file).stem
    if structure.chinese:
        country = "cn"
        doctype = "judgment" if "解释" in title else "act"
    else:
        country = "un" if "United Nations" in title or "Child" in title else "int"
        doctype = "treaty" if re.search(
            r"Convention|Protocol|Treaty|Covenant|Agreement|Charter", title) else "act"
    slug = ids.slugify(title)
    if len(ids.slugify(title, 100_000)) > len(slug):  # cut: long titles may share a start
        slug = f"{ids.slugify(title, 70)}-{hashlib.sha256(title.encode()).hexdigest()[:8]}"
    date = (structure.version_date if structure.chinese else None) or structure.date
    return ids.akn_work_iri(country, doctype, date or "nd", slug)


_PAREN_SHORT = re.compile(r"\(([A-Z][A-Za-z ]{3,60}(?:Regulation|Directive|Act|Convention|"
                          r"Decision|Protocol|Charter))\)\s*$")


def short_title(title: str) -> str:
    """The short name a title gives: its parenthesised short title ("(General Data
    Protection Regulation)"), a Chinese title without 中华人民共和国, else the title.

    >>> short_title("中华人民共和国刑法")
    '刑法'
    >>> short_title("Regulation on X (General Data Protection Regulation)")
    'General Data Protection Regulation'
    """
    m = _PAREN_SHORT.search(title)
    if m:
        return m[1]
    return title.removeprefix("中华人民共和国") or title


def short_label(title: str, date: str | None) -> str:
    """A label prefix a reader can tell apart: the short title, cut in the middle when long
    (the end of a Chinese title says what it is), with the year when cut.

    >>> short_label("中华人民共和国刑法", "1997-03-14")
    '刑法'
    >>> short_label("最高人民法院、最高人民检察院关于办理利用互联网、移动通讯终端、声讯台"
    ...             "制作、复制、出版、贩卖、传播淫秽电子信息刑事案件具体应用法律若干问题的解释",
    ...             "2004-09-03")
    '2004 最高人民法院、最高人民检察院关于办理…律若干问题的解释'
    """
    short = short_title(title)
    if len(short) <= 40:
        return short
    head, tail = (18, 8) if HAN.search(short) else (28, 10)
    year = f"{date[:4]} " if date else ""
    return f"{year}{short[:head].rstrip()}…{short[-tail:].lstrip()}"


def article_label(short: str, number: str, chinese: bool) -> str:
    """``刑法 第363条`` / ``General Data Protection Regulation art. 5``."""
    return f"{short} 第{number.replace('-', '条之')}条" if chinese else f"{short} art. {number}"


def _add_references(b: _Builder, masked: str, links: list[MarkdownLink],
                    link_starts: list[int], start: int, end: int, spans: list[tuple[int, int]],
                    source: str, locator: str, chinese: bool) -> None:
    chunk = masked[start:end]
    refs: list[CrossRef]
    if chinese:
        refs = find_chinese_references(
            chunk, offset=start, known=lambda name: b.resolve_name(name) is not None,
            numbers=b.numbers, current=locator.removeprefix("art_") if locator != "preamble"
            else None)
        if _AMENDING.search(b.title):
            refs = amended_references(refs, chunk, start)
    else:
        first = bisect.bisect_left(link_starts, start)
        last = bisect.bisect_left(link_starts, end)
        local = [MarkdownLink(lk.start - start, lk.end - start, lk.text, lk.url)
                 for lk in links[first:last] if lk.end <= end]
        refs = find_english_references(chunk, offset=start, links=local)
        refs += find_link_instruments(local, offset=start)
    starts = [s for s, _ in spans]
    for ref in refs:
        _add_reference(b, ref, source, locator, _quote(b.text, spans, starts, ref.start))


def _in_quotes(text: str, pos: int) -> bool:
    """Inside the quoted new wording of an amendment (“…”) on the same paragraph."""
    line_start = text.rfind("\n", 0, pos) + 1
    before = text[line_start:pos]
    opened = text.rfind("“", 0, pos) > text.rfind("”", 0, pos)
    return before.count("“") > before.count("”") or (opened and before.startswith("“"))


_HISTORY_LINE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日[^\n]*?《([^《》\n]{2,120})》")


def _add_amendment_history(b: _Builder, text: str) -> None:
    """Metadata lines ``1999年12月25日 …通过的《中华人民共和国刑法修正案》``: AMENDS edges from
    each amending instrument (identified by its title) to this one, with the date."""
    head, marker, _ = text.partition("<!-- INFO END -->")
    if not marker:
        return
    for m in _HISTORY_LINE.finditer(head):
        title = m[4]
        if not re.search(r"修正案|修改|决定", title):
            continue
        found = identify(title)
        iri = b.resolve_name(title) or (found.work_iri if found else None)
        if iri is None or iri == b.iri:
            continue
        date = f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
        source = ids.instrument_id(iri)
        b.add_stub(source, NodeType.INSTRUMENT, title, {"stub": True, "name": title,
                                                        "date": date})
        prov = Provenance(b.instrument, "metadata", (m.start(), m.end()), m[0][:300],
                          "pattern")
        b.add_rel(Relationship(source, b.instrument, RelType.AMENDS, prov,
                               {"date": date, "raw": title[:200]}))


def _quote(text: str, spans: list[tuple[int, int]], starts: list[int], pos: int) -> str:
    i = bisect.bisect_right(starts, pos) - 1
    if i < 0:
        return ""
    s, e = spans[i]
    return text[s:e][:1000]


def _add_reference(b: _Builder, ref: CrossRef, source: str, locator: str,
                   quote: str) -> None:
    target_iri = b.iri
    name = ref.instrument
    if not ref.same and name is not None:
        resolved = b.resolve_name(name)
        if resolved is None:
            if GENERIC_NAME.match(name) or GENERIC_NAME.match(_OPTIONAL.sub("", name)):
                b.unresolved += 1
                return
            target_iri = f"/unresolved/{ids.slugify(name)}"
            b.add_stub(ids.instrument_id(target_iri), NodeType.INSTRUMENT, name,
                       {"stub": True, "status": "unresolved", "name": name})
            b.unresolved += 1
        else:
            target_iri = resolved
    same = target_iri == b.iri
    target_instrument = ids.instrument_id(target_iri)
    if ref.article is None:
        if same:
            return
        target, target_eid = target_instrument, ""
        b.add_stub(target_instrument, NodeType.INSTRUMENT, name or target_iri,
                   {"stub": True, "name": name or target_iri})
    else:
        eid = ids.article_eid(ref.article)
        if same and eid not in b.own_eids:
            b.problems.append(Problem(b.file, f"reference {ref.raw!r} names no article of "
                                      "this text", place=locator))
            return
        target = ids.article_id(target_iri, eid)
        target_eid = ids.article_eid(ref.article, ref.para, ref.item)
        if not same:
            b.add_stub(target_instrument, NodeType.INSTRUMENT, name or target_iri,
                       {"stub": True, "name": name or target_iri})
            b.add_stub(target, NodeType.ARTICLE, f"Art. {ref.article} {name or ''}".strip(),
                       {"stub": True, "number": ref.article, "document": target_instrument})
    if target == source:
        return
    interprets = b.interpretation and not same and "解释" not in (name or "")
    amends = b.amending and not same and not _in_quotes(b.text, ref.start)
    rel_type = RelType.AMENDS if amends else (
        RelType.INTERPRETS if interprets else RelType.REFERS_TO)
    props = {"target_eid": target_eid, "raw": ref.raw[:200],
             **({"date": b.date} if amends and b.date else {})}
    if ref.url:
        props["url"] = ref.url[:500]
    confidence = 0.9 if ref.url else 1.0
    prov = Provenance(b.instrument, locator, (ref.start, ref.end), quote, "pattern",
                      confidence)
    b.add_rel(Relationship(source, target, rel_type, prov, props))
    b.references += 1
    if amends and source != b.instrument:  # the timeline's instrument-level edge
        b.add_rel(Relationship(b.instrument, target_instrument, RelType.AMENDS, prov,
                               {"raw": ref.raw[:200], **({"date": b.date} if b.date else {})},
                               key=f"{b.instrument}|instrument"))
    if interprets and source != b.instrument and ref.article is not None:
        # the instrument-level edge a query "interpretation → INTERPRETS → article" follows
        b.add_rel(Relationship(b.instrument, target, RelType.INTERPRETS, prov, props,
                               key=f"{b.instrument}|instrument"))
