"""Instruments identified by their citation alone: deterministic work IRIs, no catalog.

The one home of the patterns that name an instrument by an official identifier. Pure
functions: :func:`find_identifiers` finds every identifier in a text (offsets kept),
:func:`identify` reads a whole name. Both give :class:`Identifier` values whose ``work_iri``
is the same whichever form a citation takes (``Regulation (EU) 2016/679``, CELEX
``32016R0679`` and ``http://data.europa.eu/eli/reg/2016/679/oj`` are one work). Nothing is
guessed: a name no pattern reads gives nothing (the caller keeps it ``unresolved`` or asks
the catalog, the place for curated facts and for names no pattern gives).

Callers: the legal-text reader (a text's own title and number give its identity and are
registered for later mentions), the mention extractor, and the paper readers' footnote and
legal-citation parsers (``find_identifiers(footnote_text)``).

Schemes
-------
``eu``        Regulation (EU) 2016/679, Regulation (EC) No 1049/2001, Directive 95/46/EC,
              Council Framework Decision 2004/68/JHA, Decision No 1/2003, CELEX, ELI URIs
``unts``      1577 U.N.T.S. 3 (volume, first page)
``coe``       ETS No. 185, CETS No. 201 (one series)
``ilo``       ILO C182, ILO Convention No. 182, Convention (No. 182)
``usc``       18 U.S.C. § 2252 (title; the section is the provision)
``publ``      Pub. L. No. 105-277
``uk``        Protection of Children Act 1978 (the short-title-and-year form), ``s 1``
``cn``        《中华人民共和国刑法》 (the title, with or without 中华人民共和国)
``cn-docno``  法释〔2004〕11号 and other document numbers (国发〔2019〕5号 …)
``cn-order``  主席令第八十三号 (the order of the President; numbered per term)

Examples
--------
>>> identify("Regulation (EU) 2016/679").work_iri
'/akn/eu/act/regulation/2016/679'
>>> identify("CELEX 32016R0679").work_iri == identify("Regulation (EU) 2016/679").work_iri
True
>>> identify("Directive 95/46/EC").work_iri
'/akn/eu/act/directive/1995/46'
>>> [i.label for i in find_identifiers("see 18 U.S.C. § 2252 and ETS No. 185")]
['18 U.S.C.', 'ETS No. 185']
>>> identify("《中华人民共和国刑法》").work_iri == identify("刑法").work_iri
True
>>> identify("the Child Protection Act") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from citegraph.text import slugify
from ingest.numerals import chinese_to_int

__all__ = ["Identifier", "find_identifiers", "identify"]


@dataclass(frozen=True, slots=True)
class Identifier:
    """One instrument named by an official identifier in a text."""

    scheme: str
    work_iri: str
    label: str  # the identifier in its usual written form
    raw: str  # as written
    start: int
    end: int
    provision: str | None = None  # "2252" of 18 U.S.C. § 2252, "1" of "s 1"


_EU_KIND = {"regulation": "regulation", "directive": "directive", "decision": "decision",
            "framework decision": "framework-decision"}
_EU_LABEL = {"regulation": "Regulation", "directive": "Directive", "decision": "Decision",
             "framework-decision": "Framework Decision"}
_CELEX_KIND = {"R": "regulation", "L": "directive", "D": "decision", "F": "framework-decision"}
_ELI_KIND = {"reg": "regulation", "dir": "directive", "dec": "decision"}
_CN_NUM = "零〇一二两三四五六七八九十百千0-9"

_PATTERNS: dict[str, re.Pattern[str]] = {
    # Regulation (EU) 2016/679 · Regulation (EU) No 910/2014 · Directive 95/46/EC ·
    # Council Framework Decision 2004/68/JHA · Regulation (EC) No 1049/2001
    "eu": re.compile(
        r"\b(?P<kind>(?i:Framework\s+Decision|Regulation|Directive|Decision))\s+"
        r"(?:\((?P<sys1>EU|EC|EEC|Euratom|EURATOM|CFSP|JHA)\)\s+)?(?:No\.?\s+)?"
        r"(?P<a>\d{1,4})/(?P<b>\d{1,4})(?:/(?P<sys2>EU|EC|EEC|Euratom|CFSP|JHA))?(?![\d/])"),
    "celex": re.compile(r"\b(?:CELEX(?::|\s+(?:No\.?\s*)?)?\s*)?3(?P<year>(?:19|20)\d\d)"
                        r"(?P<kind>[RLDF])(?P<num>\d{4})\b"),
    "eli": re.compile(r"\bdata\.europa\.eu/eli/(?P<kind>reg|dir|dec)(?:_[a-z]+)?/"
                      r"(?P<year>\d{4})/(?P<num>\d{1,4})\b"),
    "unts": re.compile(r"\b(?P<vol>\d{1,4})\s+U\.?\s?N\.?\s?T\.?\s?S\.?\s+(?P<page>\d{1,5})\b"),
    "coe": re.compile(r"\b(?:C?ETS)\s+(?:No\.?\s*)?(?P<num>\d{1,3})\b"),
    "ilo": re.compile(r"\b(?:ILO\s+)?(?:C(?P<c>\d{2,3})\b(?=[^\n]{0,0})|"
                      r"(?<=ILO\s)Convention\s+(?:No\.?\s*)?(?P<n>\d{1,3})\b|"
                      r"Convention,?\s+(?:\d{4}\s+)?\(No\.\s*(?P<p>\d{1,3})\))"),
    "usc": re.compile(r"\b(?P<title>\d{1,2})\s+U\.?\s?S\.?\s?C\.?(?:A\.?)?\s*"
                      r"(?:§§?\s*(?P<sec>\d+[a-z]?(?:-\d+)?))?"),
    "publ": re.compile(r"\bPub(?:lic|\.)?\s*L(?:aw|\.)?\s*(?:No\.?\s*)?"
                       r"(?P<congress>\d{2,3})[-–](?P<num>\d{1,4})\b"),
    "uk": re.compile(r"\b(?P<name>(?:[A-Z][a-z]+(?:\s+(?:of|and|for|the|on|to|in)\b)?\s+)+"
                     r"Act)\s+(?P<year>1[6-9]\d\d|20\d\d)\b(?:,?\s+s\.?\s*(?P<sec>\d+[A-Z]?))?"),
    "cn": re.compile(r"《(?P<title>(?:中华人民共和国)?[^《》\n]{1,120}?(?:法|法典|条例|规定|办法|"
                     r"规则|细则|解释|决定|公约|通知|意见|批复|安排|修正案(?:（[^）]{1,4}）)?))》"),
    "cn-docno": re.compile(r"(?P<org>[\u4e00-\u9fff]{1,8})[〔\[［(（](?P<year>(?:19|20)\d\d)"
                           r"[〕\]］)）]\s*(?:第\s*)?(?P<num>\d{1,4})\s*号"),
    "cn-order": re.compile(rf"主席令(?:（第(?P<term>[{_CN_NUM}]+)届）)?第(?P<num>[{_CN_NUM}]+)号"),
}
#: What may stand before a document number's issuer in running text (根据法释〔…〕).
_DOCNO_LEAD = re.compile(r"^.*[的、和与及据照见为即经以按自于院部会局署厅]")
_ILO_CONTEXT = re.compile(r"\bILO\b|International Labour|Labour Organi[sz]ation")


def _year(value: str) -> int:
    n = int(value)
    return n if n >= 100 else (1900 + n if n > 45 else 2000 + n)


def _eu(m: re.Match[str]) -> tuple[str, str] | None:
    """Acts since 2015 and directives/decisions before: year/number (``2016/679``,
    ``95/46/EC``); with ``No``: number/year (``Regulation (EC) No 1049/2001``)."""
    kind = _EU_KIND[re.sub(r"\s+", " ", m["kind"].lower())]
    if m["kind"].isupper():  # a printed title: REGULATION (EU) 2016/679
        label = f"{_EU_LABEL[kind]} {m.group(0)[len(m['kind']):].strip()}"
    numbered = re.search(r"\bNo\b", m.group(0)) is not None
    if not (m["sys1"] or m["sys2"]):
        return None  # "Decision 3/2004" of some court or body: no EU marker
    first, second = m["a"], m["b"]
    year, num = (_year(second), int(first)) if numbered else (_year(first), int(second))
    label = re.sub(r"\s+", " ", m.group(0))
    return f"/akn/eu/act/{kind}/{year}/{num}", label


def _celex(m: re.Match[str]) -> tuple[str, str]:
    kind = _CELEX_KIND[m["kind"]]
    num = int(m["num"])
    return f"/akn/eu/act/{kind}/{m['year']}/{num}", f"{_EU_LABEL[kind]} {m['year']}/{num}"


def _eli(m: re.Match[str]) -> tuple[str, str]:
    kind = _ELI_KIND[m["kind"]]
    num = int(m["num"])
    return f"/akn/eu/act/{kind}/{m['year']}/{num}", f"{_EU_LABEL[kind]} {m['year']}/{num}"


def _cn_title(title: str) -> str:
    core = title.removeprefix("中华人民共和国")
    return core or title


def _read(scheme: str, m: re.Match[str], text: str) -> tuple[str, str, str | None] | None:
    """(work IRI, label, provision) of one match, or None when it is no identifier."""
    if scheme == "eu":
        got = _eu(m)
        return None if got is None else (*got, None)
    if scheme == "celex":
        return (*_celex(m), None)
    if scheme == "eli":
        return (*_eli(m), None)
    if scheme == "unts":
        return (f"/akn/un/treaty/unts/{m['vol']}-{m['page']}",
                f"{m['vol']} U.N.T.S. {m['page']}", None)
    if scheme == "coe":
        return f"/akn/coe/treaty/ets/{int(m['num'])}", f"ETS No. {int(m['num'])}", None
    if scheme == "ilo":
        return _ilo(m, text)
    if scheme == "usc":
        return (f"/akn/us/act/usc/{int(m['title'])}", f"{int(m['title'])} U.S.C.",
                m["sec"])
    if scheme == "publ":
        key = f"{int(m['congress'])}-{int(m['num'])}"
        return f"/akn/us/act/publ/{key}", f"Pub. L. No. {key}", None
    return _read_national(scheme, m)


def _ilo(m: re.Match[str], text: str) -> tuple[str, str, str | None] | None:
    num = m["c"] or m["n"] or m["p"]
    if m["c"] and not (m.group(0).startswith("ILO") or _ILO_CONTEXT.search(
            text, max(0, m.start() - 300), m.end() + 300)):
        return None  # "C182" alone is too weak without an ILO context
    if m["p"] and not _ILO_CONTEXT.search(text, max(0, m.start() - 300), m.end() + 300) \
            and "Labour" not in text[max(0, m.start() - 120):m.start()]:
        return None
    return f"/akn/ilo/treaty/convention/{int(num)}", f"ILO C{int(num)}", None


def _read_national(scheme: str, m: re.Match[str]) -> tuple[str, str, str | None] | None:
    if scheme == "uk":
        name = re.sub(r"\s+", " ", m["name"]).strip()
        name = re.sub(r"^(?:The|the|This|this|That|An?|Section|Part)\s+", "", name)
        if name.count(" ") < 1:
            return None  # "Act 1978" alone, "Children Act"? at least two words
        return (f"/akn/uk/act/{m['year']}/{slugify(name)}", f"{name} {m['year']}", m["sec"])
    if scheme == "cn":
        core = _cn_title(m["title"])
        return f"/akn/cn/act/title/{slugify(core)}", f"《{m['title']}》", None
    if scheme == "cn-docno":
        org = _DOCNO_LEAD.sub("", m["org"])[-5:]
        return (f"/akn/cn/doc/{slugify(org)}/{m['year']}-{int(m['num'])}",
                f"{org}〔{m['year']}〕{int(m['num'])}号", None)
    num = chinese_to_int(m["num"])
    if m["term"]:  # numbered per presidential term
        term = chinese_to_int(m["term"])
        return f"/akn/cn/act/order/{term}-{num}", f"主席令（第{term}届）第{num}号", None
    return f"/akn/cn/act/order/{num}", f"主席令第{num}号", None


def find_identifiers(text: str) -> list[Identifier]:
    """Every instrument identifier in ``text``, in order of position (overlaps removed:
    the longer match wins).

    >>> [(i.scheme, i.work_iri) for i in find_identifiers(
    ...     "Council Framework Decision 2004/68/JHA and 1577 U.N.T.S. 3")]
    [('eu', '/akn/eu/act/framework-decision/2004/68'), ('unts', '/akn/un/treaty/unts/1577-3')]
    """
    found: list[Identifier] = []
    for scheme, pattern in _PATTERNS.items():
        for m in pattern.finditer(text):
            ident = _identifier(scheme, m, text)
            if ident is not None:
                found.append(ident)
    found.sort(key=lambda i: (i.start, -(i.end - i.start)))
    kept: list[Identifier] = []
    for ident in found:
        if kept and ident.start < kept[-1].end:
            continue
        kept.append(ident)
    return kept


def identify(name: str) -> Identifier | None:
    """The identifier a whole name gives, or None (never a guess).

    The identifier must open the name (after ``the``, ``Council``, a document number's
    issuer); a Chinese title (bare or in 《》, a title inside it in 〈〉 or 《》) must be the
    whole name.

    >>> identify("Pub. L. No. 105-277").work_iri
    '/akn/us/act/publ/105-277'
    >>> identify("Protection of Children Act 1978").work_iri
    '/akn/uk/act/1978/protection-of-children-act'
    >>> identify("最高人民法院关于适用《中华人民共和国保险法》若干问题的解释").work_iri
    '/akn/cn/act/title/最高人民法院关于适用-中华人民共和国保险法-若干问题的解释'
    >>> identify("Report on Regulation (EU) 2016/679") is None
    True
    """
    stripped = name.strip()
    if _HAN_TITLE.match(stripped):
        inner = stripped.removeprefix("《").removesuffix("》")
        inner = inner.replace("《", "〈").replace("》", "〉")
        m = _PATTERNS["cn"].fullmatch(f"《{inner}》")
        if m is not None:
            return _identifier("cn", m, stripped)
    found = find_identifiers(stripped)
    if not found or found[0].start > _LEAD.match(stripped).end():  # type: ignore[union-attr]
        return None
    return found[0]


#: A name made of Han characters (a Chinese title), perhaps in 《》.
_HAN_TITLE = re.compile(r"^《?[\u4e00-\u9fff]")
#: What may stand before the identifier that names a whole instrument.
_LEAD = re.compile(r"^(?:(?:the|The|THE|Council|COUNCIL|Commission|COMMISSION|CELEX:?|"
                   r"ILO|https?://)\s*)*")


def _identifier(scheme: str, m: re.Match[str], text: str) -> Identifier | None:
    got = _read(scheme, m, text)
    if got is None:
        return None
    name = "eu" if scheme in ("celex", "eli") else scheme
    return Identifier(name, got[0], got[1], m.group(0), m.start(), m.end(), got[2])
