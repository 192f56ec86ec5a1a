"""Stage 1 of reading a statute or treaty: its structure (title, metadata, articles).

:func:`parse_structure` is pure: the decoded text in, a :class:`LegalStructure` out (the
title from the document's own title line, never a section heading; the articles with their
numbers, titles and spans; what was left unread, as problems). :mod:`ingest.legal` builds
the graph from it (articles, cross-references, amendments). Layouts recognised:

- English / French: ``Article 1``, ``Art. 3``, ``### Article  34``, ``####Title`` on the next
  line, ``Article 10 bis``, ``Article 1er``, Roman numerals; structural headings ``PART I``,
  ``Chapter 2``; annexes, protocols and a restart of the numbering (another language version,
  an annexed instrument) end the principal text;
- the EU Official Journal print: running heads skipped, ``Article N`` alone on a line with
  its title on the next, the act's title from its first lines;
- Chinese: ``第三百六十三条`` and inserted ``第二百八十六条之一`` at the start of a line, with
  编/章/节 headings, 附则 and 附件 (annex); texts made of numbered clauses ``一、`` (amendments,
  decisions); reported court cases are refused.

Texts printed from PDFs break lines anywhere, so a bare ``Article 49`` line only opens an
article when it continues the numbering and stands after a finished sentence (or in the OJ
print); a Markdown heading or a Chinese article line must at least increase the numbering.

>>> s = parse_structure("# 某法\\n\\n第一条 总则。\\n\\n第二条 另一条。\\n", file="x.md")
>>> s.title, [a.number for a in s.articles]
('某法', ['1', '2'])
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from citegraph import ids
from citegraph.errors import LegalTextError
from citegraph.text import HAN, mostly_cjk, roman_to_int
from ingest.base import Problem
from ingest.numerals import (
    NUMERAL_CHARS,
    article_number,
    chinese_to_int,
    number_key,
    suffixed_number,
)

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
            (len(heading[1]) >= 8 or HAN.search(heading[1])):
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
