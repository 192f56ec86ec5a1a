"""Cross-references inside legal texts: ``依照刑法第三百六十三条第一款``, ``articles 1, 11 and 36``.

Pure pattern matching over one span of text; :mod:`ingest.legal` turns the references into
REFERS_TO / INTERPRETS edges. A reference names an article (optionally a paragraph and an
item) or a whole instrument, and says which instrument: the same one (``same``), or one named
in the text (``instrument``, as written, for the caller's resolver).

Examples
--------
>>> refs = find_chinese_references("依照刑法第三百六十三条第一款、第三百六十四条的规定")
>>> [(r.instrument, r.article, r.para) for r in refs]
[('刑法', '363', 1), ('刑法', '364', None)]
>>> [(r.article, r.same) for r in find_english_references("as defined in article 2")]
[('2', True)]
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from citegraph.text import HAN_CHARS
from ingest.numerals import NUMERAL_CHARS, article_number, chinese_to_int


@dataclass(frozen=True, slots=True)
class CrossRef:
    """One reference found in a legal text.

    ``start``/``end`` are offsets into the text given to the finder plus its ``offset``;
    ``article`` is the normalised article number, or None for a reference to a whole
    instrument; ``instrument`` the name of the instrument as written (None when ``same``).
    """

    start: int
    end: int
    raw: str
    article: str | None
    para: int | None = None
    item: str | None = None
    instrument: str | None = None
    same: bool = True
    url: str | None = None


@dataclass(frozen=True, slots=True)
class MarkdownLink:
    start: int
    end: int
    text: str
    url: str


# --- Markdown links -------------------------------------------------------------------

_MD_LINK = re.compile(r"\[([^\[\]\n]{0,300})\]\(([^()\s]{0,1000})\)")


def markdown_links(text: str) -> list[MarkdownLink]:
    """The ``[text](url)`` links of a Markdown text.

    >>> markdown_links("see [the Charter](../charter/README.md).")[0].text
    'the Charter'
    """
    return [MarkdownLink(m.start(), m.end(), m[1], m[2]) for m in _MD_LINK.finditer(text)]


def mask_markdown_links(text: str) -> str:
    """Blank the link syntax (``[``, ``](url)``) with spaces, keeping every offset.

    >>> masked = mask_markdown_links("articles [1](a.md) and [2](b.md)")
    >>> masked.split(), len(masked)
    (['articles', '1', 'and', '2'], 32)
    """
    def blank(m: re.Match[str]) -> str:
        return " " + m[1] + " " * (len(m[0]) - len(m[1]) - 1)
    return _MD_LINK.sub(blank, text)


_URL_NOISE = re.compile(r"^(?:\.\.|\.|readme\.md|index\.html?|verdrag|treaty|treaties|)$",
                        re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def name_from_url(url: str) -> str | None:
    """A readable instrument name spelled by a link path, if any.

    >>> name_from_url("../../verdrag/convention/on/the/rights/of/the/child/BWBV0002508/README.md")
    'Convention on the Rights of the Child'
    """
    words: list[str] = []
    for segment in url.split("#")[0].split("/"):
        if _URL_NOISE.match(segment) or any(c.isdigit() for c in segment):
            if words:
                break
            continue
        words.extend(w for w in re.split(r"[-_\s]+", segment) if w)
    return title_case(" ".join(words)) if len(words) >= 2 else None


_SMALL_WORDS = frozenset({"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the",
                          "to", "with", "concerning", "etc"})


def title_case(name: str) -> str:
    """``convention on the rights of the child`` → ``Convention on the Rights of the Child``."""
    words = name.split()
    return " ".join(w if (i and w.lower() in _SMALL_WORDS) else w[:1].upper() + w[1:]
                    for i, w in enumerate(words))


# --- Chinese -----------------------------------------------------------------------------

_N = f"[{NUMERAL_CHARS}]+"
_CN_UNIT = re.compile(
    rf"第(?P<art>{_N})条(?:之(?P<sub>{_N}))?(?:第(?P<para>{_N})款)?"
    rf"(?:第[（(]?(?P<item>{_N})[）)]?项)?"
)
_CN_JOINER = re.compile(r"^(?:、|，|,|和|及|以及|或者|或|至|到)$")
_CN_TITLE = re.compile(r"《([^《》\n]{2,120})》")
_CN_RUN_BEFORE = re.compile(f"[{HAN_CHARS}〈〉]{{1,24}}$")
_CN_SELF = ("本法", "本解释", "本规定", "本条例", "本决定", "本办法", "本节", "本章", "本编",
            "本条", "前条", "本细则")
#: Short names of PRC laws that are cited without 《》 (used when the resolver knows none).
CN_SHORT_NAMES = (
    "刑法", "刑事诉讼法", "民法典", "民事诉讼法", "行政诉讼法", "治安管理处罚法", "宪法",
    "未成年人保护法", "预防未成年人犯罪法", "网络安全法", "个人信息保护法", "数据安全法",
    "著作权法", "出版管理条例", "电信条例", "互联网信息服务管理办法", "刑法修正案",
)
_MAX_RANGE = 50
#: Words a law's short name ends with, when it is cited without 《》 (婚姻法第三条).
_CN_LAW_END = re.compile(r"(?:法|法典|条例|规定|办法|细则|规则|解释|决定|公约|修正案|章程|"
                         r"通知|意见|批复|安排|纲要|规范|税则|指示|决议)(?:（[^（）]{1,8}）)?$")
#: A law cited as a whole without 《》 (依照刑法有关规定): the name, then 有关规定 / 的规定.
_CN_WHOLE = re.compile(rf"(?P<run>[{HAN_CHARS}]{{2,24}}?)(?:的)?(?:有关|相关)规定")
_CN_VAGUE = ("有关", "相关", "其他", "国家", "上述", "该", "各", "同级", "地方")
#: Where a name cited without 《》 starts: after the verb or joiner before it (依照婚姻法).
#: 和 in 共和国 and 于 in 关于 are part of names.
_CN_NAME_CUT = re.compile(r"(?:依照|按照|根据|依据|适用|违反|参照|符合|执行|实施|对于|以及|或者|"
                          r"和(?!国)|与|及|并|由|经|对|按|依|照|即|是|指|在|同|为|被|将|向|"
                          r"(?<!关)于|的)")
#: 该法 / 该条例: the instrument named last.
_CN_THAT = ("该法", "该条例", "该规定", "该办法", "该解释", "该决定")
_CN_PREVIOUS = re.compile(rf"前条|前(?P<n>{_N})条")


def find_chinese_references(text: str, *, offset: int = 0,
                            known: Callable[[str], bool] = lambda name: False,
                            numbers: tuple[str, ...] = (), current: str | None = None,
                            ) -> list[CrossRef]:
    """References such as ``刑法第三百六十三条第一款``, ``第一条``, ``《某法》`` in ``text``.

    A group of articles joined by 、/和/至 shares the instrument named before its first
    member; ``至`` ranges are expanded (up to 50 articles). An instrument name right before
    the first article is taken from ``《…》`` or from the longest trailing run of Chinese
    characters that ``known`` accepts, else from :data:`CN_SHORT_NAMES`, else from the run
    after its verb when it ends like a law (``依照婚姻法第三条``: another law, never this
    one); ``本法`` and a bare ``第…条`` mean the same instrument (``基本法`` does not). A
    ``《…》`` title with no article after it is a reference to the whole instrument.

    ``numbers`` (the text's own article numbers, in order) expands a range of this text over
    its inserted articles (第141条至第143条 includes 142-1) and, with ``current`` (the
    article the text belongs to), resolves ``前条`` to the article before it.

    >>> refs = find_chinese_references("第一条至第三条", numbers=("1", "2", "2-1", "3"))
    >>> [r.article for r in refs]
    ['1', '2', '2-1', '3']
    >>> [(r.instrument, r.article) for r in find_chinese_references("依照婚姻法第三条")]
    [('婚姻法', '3')]
    >>> [(r.instrument, r.same) for r in find_chinese_references("香港特别行政区基本法第十八条")]
    [('香港特别行政区基本法', False)]
    >>> [r.article for r in find_chinese_references("违反前条规定", numbers=("1", "2"),
    ...                                             current="2")]
    ['1']

    >>> [(r.instrument, r.article) for r in find_chinese_references("第一条至第三条")]
    [(None, '1'), (None, '2'), (None, '3')]
    >>> [(r.instrument, r.article) for r in find_chinese_references("根据《某某法》制定")]
    [('某某法', None)]
    """
    refs: list[CrossRef] = []
    titles_used: set[int] = set()
    group_instrument: str | None = None
    group_title_start: int | None = None
    previous: re.Match[str] | None = None
    for match in _CN_UNIT.finditer(text):
        try:
            number = article_number(f"第{match['art']}条" + (f"之{match['sub']}"
                                                              if match["sub"] else ""))
            para = chinese_to_int(match["para"]) if match["para"] else None
            item = str(chinese_to_int(match["item"])) if match["item"] else None
        except ValueError:
            previous = None
            continue
        joined = previous is not None and bool(
            _CN_JOINER.match(text[previous.end():match.start()]))
        start = match.start()
        if not joined:
            group_instrument, group_title_start = _chinese_instrument_before(
                text, match.start(), known)
            if group_title_start is not None:
                titles_used.add(group_title_start)
                start = group_title_start
        members = [number]
        if joined and previous is not None and text[previous.end():match.start()] in "至到":
            members = _expand_range(refs[-1].article if refs else None, number,
                                    numbers if group_instrument is None else ())
        for num in members:
            refs.append(CrossRef(
                start=offset + start, end=offset + match.end(), raw=text[start:match.end()],
                article=num, para=para if num == number else None,
                item=item if num == number else None,
                instrument=group_instrument, same=group_instrument is None))
        previous = match
    refs.extend(_previous_articles(text, offset, numbers, current))
    refs.extend(_whole_laws(text, offset, {r.start - offset for r in refs}))
    for title in _CN_TITLE.finditer(text):
        if title.start() in titles_used or not _CN_LAW_END.search(title[1]):
            continue  # a form (《…审批表》, 《…通知书》) is no instrument
        refs.append(CrossRef(start=offset + title.start(), end=offset + title.end(),
                             raw=title[0], article=None, instrument=title[1], same=False))
    refs.sort(key=lambda r: r.start)
    return refs


def _expand_range(first: str | None, last: str, numbers: tuple[str, ...] = ()) -> list[str]:
    if first is not None and first in numbers and last in numbers:
        low, high = numbers.index(first), numbers.index(last)
        if 0 < high - low <= _MAX_RANGE:
            return list(numbers[low + 1:high + 1])
    if first is None or not first.isdigit() or not last.isdigit():
        return [last]
    low, high = int(first), int(last)
    if not 0 < high - low <= _MAX_RANGE:
        return [last]
    return [str(n) for n in range(low + 1, high + 1)]


def _chinese_instrument_before(text: str, pos: int, known: Callable[[str], bool],
                               ) -> tuple[str | None, int | None]:
    """Instrument named right before ``pos``: (name or None for the same one, title start)."""
    window_start = max(0, pos - 160)
    before = text[window_start:pos]
    if before.endswith("》"):
        title_open = before.rfind("《")
        if title_open != -1:
            return before[title_open + 1:-1], window_start + title_open
    run = _CN_RUN_BEFORE.search(before)
    if run is None:
        return None, None
    chars = run[0]
    name = _cited_name(chars)
    if name is None or _is_self(name):
        return None, None
    for cut in range(len(name) - 1):  # the longest known name after the verb
        candidate = name[cut:]
        if known(candidate):
            return candidate, None
    for short in sorted(CN_SHORT_NAMES, key=len, reverse=True):
        if chars.endswith(short) and (len(chars) == len(short) or name.endswith(short)):
            return short, None
    return (name, None) if _CN_LAW_END.search(name) and len(name) >= 3 else (None, None)


def amended_references(refs: list[CrossRef], text: str = "", offset: int = 0
                       ) -> list[CrossRef]:
    """In an amending text (修正案, 关于修改…的决定), an article number with no instrument of
    its own (删除第一条, 将第四条修改为, 本法 in the quoted new wording) is an article of the
    instrument being amended: the one named last before it outside the quoted wording
    (``text``/``offset`` locate the quotes “…”).

    >>> t = "修改《某某条例》：引言改为“根据《民法典》制定”。删除第一条、第二条。"
    >>> [(r.instrument, r.article) for r in amended_references(find_chinese_references(t), t)]
    [('某某条例', None), ('民法典', None), ('某某条例', '1'), ('某某条例', '2')]
    """
    out: list[CrossRef] = []
    named: str | None = None
    for ref in refs:
        if not ref.same:
            if not _quoted(text, ref.start - offset):
                named = ref.instrument
        elif named is not None and ref.article is not None:
            ref = CrossRef(ref.start, ref.end, ref.raw, ref.article, ref.para, ref.item,
                           instrument=named, same=False)
        out.append(ref)
    return out


def _quoted(text: str, pos: int) -> bool:
    before = text[:max(pos, 0)]
    return before.count("“") > before.count("”")


def _whole_laws(text: str, offset: int, taken: set[int]) -> list[CrossRef]:
    """A law named without 《》 and cited as a whole: ``依照刑法有关规定``."""
    refs = []
    for m in _CN_WHOLE.finditer(text):
        name = _cited_name(m["run"])
        if name is None or _is_self(name) or name.startswith(_CN_VAGUE) or len(name) < 2 \
                or not _CN_LAW_END.search(name) or m.start() in taken:
            continue
        start = m.start("run") + len(m["run"]) - len(name)
        refs.append(CrossRef(offset + start, offset + start + len(name), name, None,
                             instrument=name, same=False))
    return refs


def _is_self(name: str) -> bool:
    """本法, 附本办法, 从事本条例: this text; 基本法 is another law."""
    if name.endswith(tuple(w for w in _CN_SELF if len(w) >= 3)) or name.startswith("本"):
        return True
    return name.endswith(_CN_SELF) and not name.endswith("基本法")


def _cited_name(chars: str) -> str | None:
    """The name at the end of a run of Chinese characters: after its last verb or joiner."""
    cut = 0
    for m in _CN_NAME_CUT.finditer(chars):
        if m.end() < len(chars):
            cut = m.end()
    return chars[cut:] or None


def _previous_articles(text: str, offset: int, numbers: tuple[str, ...],
                       current: str | None) -> list[CrossRef]:
    """``前条`` (the article before this one), ``前两条`` (the two before)."""
    if current is None or current not in numbers:
        return []
    here = numbers.index(current)
    refs = []
    for m in _CN_PREVIOUS.finditer(text):
        try:
            count = chinese_to_int(m["n"]) if m["n"] else 1
        except ValueError:
            continue
        for number in numbers[max(0, here - count):here]:
            refs.append(CrossRef(offset + m.start(), offset + m.end(), m[0], number))
    return refs


# --- English -----------------------------------------------------------------------------

_EN_NUM = r"\d{1,4}(?:[-.]\d{1,3})?(?:\s?\(\s?[0-9a-z]{1,4}\s?\))*"
_EN_REF = re.compile(
    rf"\b(?P<kw>[Aa]rticles?|ARTICLES?|Arts?\.)[ \t]*(?P<list>{_EN_NUM}"
    rf"(?:\s*(?:,|and|or|to|through)\s+{_EN_NUM}|\s*,\s*{_EN_NUM})*)"
    rf"(?:\s*,?\s*paragraphs?\s+(?P<para>\d{{1,3}})(?:\s?\((?P<item>[a-z]{{1,4}})\))?)?"
)
_EN_NUM_ONE = re.compile(
    r"(?P<num>\d{1,4}(?:[-.]\d{1,3})?)(?P<subs>(?:\s?\(\s?[0-9a-z]{1,4}\s?\))*)")
_EN_SUB = re.compile(r"\(\s?([0-9a-z]{1,4})\s?\)")
_EN_SAME_TAIL = re.compile(
    r"^\s*,?\s*(?:of|under|in|de|du)\s+(?:the\s+present|this|la\s+présente|le\s+présent)\s+"
    r"(?:Convention|Protocol|Agreement|Treaty|Covenant|Charter|Statute|Act|Decision|Directive|"
    r"Regulation|Law|Code)\b", re.IGNORECASE)
_EN_NAMED_TAIL = re.compile(
    r"^\s*,?\s*(?:of|de\s+la|du)\s+(?P<name>(?:the\s+)?(?:[A-Z][\w'’-]*)(?:\s+(?:[A-Z][\w'’-]*|"
    r"on|of|the|and|to|for|in|against|concerning|d['’][A-Z][\w-]*|de|du|des|pour|sur)\b)*"
    r"(?:\s+\((?:EU|EC|EEC|Euratom)\))?(?:\s+No\.?)?(?:\s+\d{1,4}/\d{1,4}(?:/[A-Z]{2,4})?)?)")
_EN_RANGE_WORDS = ("to", "through")
_EN_PARA_OF = re.compile(
    r"\bparagraphs?\s+(?P<para>\d{1,3})(?:\s?\((?P<item>[a-z]{1,4})\))?\s+of\s+"
    r"(?P<kw>[Aa]rticle)\s+(?P<num>\d{1,5})\b")
#: Names that say "an instrument" without saying which (``the Convention``).
GENERIC_NAME = re.compile(
    r"^(?:the\s+)?(?:present\s+|this\s+)?(?:Convention|Protocol|Covenant|Charter|Treaty|"
    r"Agreement|Act|Statute|Law|Code|Regulation|Directive|Decision)$", re.IGNORECASE)


def find_english_references(text: str, *, offset: int = 0,
                            links: list[MarkdownLink] | None = None) -> list[CrossRef]:
    """References such as ``article 9, paragraph 1``, ``Art. 3(1)(c)``, ``articles 1 and 2``.

    Run it on text whose Markdown links were masked (:func:`mask_markdown_links`) and pass
    the ``links`` (offsets relative to ``text``): numbers that are links take the instrument
    their URL names. ``of the present Convention`` / ``of this Protocol`` or no tail mean the
    same instrument; ``of the Convention on ...`` names another.

    >>> [(r.article, r.para, r.item) for r in find_english_references("Art. 3(1)(c) applies")]
    [('3', 1, 'c')]
    >>> [r.instrument for r in find_english_references("article 34 of the Convention")]
    ['the Convention']
    """
    refs: list[CrossRef] = []
    covered: set[int] = set()
    for match in _EN_PARA_OF.finditer(text):
        instrument = _instrument_after(text, match.end())
        covered.add(match.start("kw"))
        refs.append(CrossRef(
            start=offset + match.start(), end=offset + match.end(), raw=match[0],
            article=match["num"], para=int(match["para"]), item=match["item"],
            instrument=instrument, same=instrument is None))
    for match in _EN_REF.finditer(text):
        if match.start() in covered:
            continue
        instrument = _instrument_after(text, match.end())
        numbers = list(_EN_NUM_ONE.finditer(match["list"]))
        list_start = match.start("list")
        previous_number: str | None = None
        for i, num in enumerate(numbers):
            subs = _EN_SUB.findall(num["subs"])
            para = int(subs[0]) if subs and subs[0].isdigit() else None
            item = subs[1] if len(subs) > 1 else (subs[0] if subs and para is None else None)
            if i == len(numbers) - 1 and match["para"]:
                para, item = int(match["para"]), match["item"] or item
            between = match["list"][numbers[i - 1].end():num.start()] if i else ""
            article = num["num"].replace(".", "-")
            expanded = [article]
            if previous_number and between.strip() in _EN_RANGE_WORDS:
                expanded = _expand_range(previous_number, article)
            n_start, n_end = list_start + num.start(), list_start + num.end()
            name, url = instrument, None
            link = _link_at(links, n_start)
            if link is not None and (instrument is None or GENERIC_NAME.match(instrument)):
                url = link.url
                name = name_from_url(link.url) or instrument
            for art in expanded:
                refs.append(CrossRef(
                    start=offset + (match.start() if i == 0 else n_start), end=offset + n_end,
                    raw=text[match.start() if i == 0 else n_start:n_end].strip(),
                    article=art, para=para if art == article else None,
                    item=item if art == article else None,
                    instrument=name, same=name is None, url=url))
            previous_number = article
    refs.sort(key=lambda r: r.start)
    return refs


def _instrument_after(text: str, pos: int) -> str | None:
    """The instrument an ``of ...`` tail names, None for ``of the present ...`` or no tail."""
    tail = text[pos:pos + 200]
    if _EN_SAME_TAIL.match(tail):
        return None
    named = _EN_NAMED_TAIL.match(tail)
    return _trim_name(named["name"]) if named else None


def _link_at(links: list[MarkdownLink] | None, pos: int) -> MarkdownLink | None:
    if not links:
        return None
    for link in links:
        if link.start <= pos < link.end:
            return link
    return None


def _trim_name(name: str) -> str:
    words = name.split()
    while words and words[-1].lower() in _SMALL_WORDS:
        words.pop()
    return " ".join(words)


#: Words that make a link's text or a capitalised phrase an instrument name.
INSTRUMENT_WORDS = re.compile(
    r"\b(?:Convention|Protocol|Covenant|Charter|Declaration|Treaty|Agreement|Statute|Act|"
    r"Directive|Decision|Regulation|Recommendation|Resolution|Code|Law)\b")


def find_link_instruments(links: list[MarkdownLink], *, offset: int = 0) -> list[CrossRef]:
    """Markdown links that name an instrument (``[Charter of the United Nations](…)``).

    The link text is the name; when it is generic (``[Convention](…)``) the URL's path
    is used instead. Links whose text is a number are article references, not handled here.

    >>> [r.instrument for r in find_link_instruments(markdown_links(
    ...     "the [Convention](../verdrag/convention/on/the/rights/of/the/child/B1/README.md)"))]
    ['Convention on the Rights of the Child']
    """
    refs: list[CrossRef] = []
    for link in links:
        text = link.text.strip()
        if (not text or text[0].isdigit() or not INSTRUMENT_WORDS.search(text)
                or _EN_REF.search(text)):
            continue
        name = text
        if len(text.split()) <= 2:
            name = name_from_url(link.url) or text
        refs.append(CrossRef(start=offset + link.start, end=offset + link.end, raw=link.text,
                             article=None, instrument=name, same=False, url=link.url))
    return refs
