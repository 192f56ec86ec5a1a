"""Legal mentions in papers: instruments, articles, concepts and jurisdictions per sentence.

:func:`extract_mentions` turns the sentences of an ingested paper into MENTIONS edges from
each sentence's Section to what the sentence names:

- catalog names (instruments, groups of instruments, jurisdictions, concepts), found by one
  Aho-Corasick automaton over every folded alias (method ``gazetteer``), built once per
  catalog; Latin aliases must sit on word boundaries, abbreviations and generic short names
  (``EU``, ``Criminal Law``) must match their case;
- article references (``Article 34 of the Convention``, ``Art. 3(1)(c)``,
  ``刑法第三百六十四条``), resolved to the instrument the phrase names, else to the nearest
  instrument named before it in the sentence, else (less sure) earlier in the document
  (method ``pattern``);
- age expressions (``children under 14``, ``aged 14 to 18``) as the age-threshold concept;
- names that look like instruments but match nothing (``... Act``, ``... Convention``,
  ``... Protocol``, ``... Decision``, ``Law of the People's Republic of China on ...``, a
  Chinese title in 《》 ending in 法/条例/解释/..., an abbreviation in parentheses after such
  a name): an
  Instrument with ``status: "unresolved"`` and ``needs_review: True``, never dropped, never
  guessed (method ``pattern``).

Everything is pure: sentences and catalog in, nodes and relationships out; the work is linear
in the text (one automaton pass and a few compiled regexes per sentence).

Examples
--------
>>> from citegraph.catalog import default_catalog_dir, load_catalog
>>> from ingest.base import Sentence
>>> cat = load_catalog(default_catalog_dir())
>>> s = Sentence("China ratified the CRC; see Article 34 of the Convention.", 100, 157,
...              "section:p/1", "1")
>>> nodes, rels = extract_mentions([s], cat, document="work:p")
>>> sorted(r.target for r in rels)  # doctest: +NORMALIZE_WHITESPACE
['article:/akn/un/treaty/1989-11-20/crc#art_34', 'instrument:/akn/un/treaty/1989-11-20/crc',
 'jurisdiction:CN']
>>> [r.provenance.span for r in rels if r.target == "jurisdiction:CN"]
[(100, 105)]
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import ahocorasick

from citegraph import ids
from citegraph.catalog import Catalog, InstrumentEntry
from citegraph.model import Node, NodeType, Provenance, Relationship, RelType, quote_around
from citegraph.text import AlignedFold, fold_alias, fold_aligned, is_unspaced
from ingest.base import Sentence
from ingest.crossrefs import (
    GENERIC_NAME,
    CrossRef,
    find_chinese_references,
    find_english_references,
)
from ingest.identifiers import find_identifiers

GAZETTEER = "gazetteer"
PATTERN = "pattern"
AGE_CONCEPT = "age-threshold"

#: Confidence of the ways a mention is found.
DEMONYM_CONFIDENCE = 0.8
GROUP_CONFIDENCE = 0.9
ARTICLE_NAMED_CONFIDENCE = 0.95
ARTICLE_SAME_SENTENCE_CONFIDENCE = 0.85
ARTICLE_EARLIER_CONFIDENCE = 0.6
AGE_CONFIDENCE = 0.9
UNRESOLVED_CONFIDENCE = 0.6

_CACHE_KEY = "ingest.mentions.gazetteer"

_SPACES = re.compile(r" {2,}")


def _is_word(char: str) -> bool:
    """A letter or digit of a space-separated script (CJK needs no word boundary)."""
    return char.isalnum() and not is_unspaced(char)


# --- the gazetteer -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Target:
    """What an alias points at: one node, or several for a group of instruments."""

    node_ids: tuple[str, ...]
    kind: str  # instrument | group | jurisdiction | concept
    confidence: float
    cased: str | None  # set when the alias must match with this case
    alias: str
    iris: tuple[str, ...] = ()  # work IRIs, for instruments and groups


@dataclass(slots=True)
class Gazetteer:
    """The alias automaton of one catalog and the stub nodes of what it can point at."""

    automaton: Any
    stubs: dict[str, Node] = field(default_factory=dict)
    iri_kind_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    age_concept: str | None = None


_KIND_WORDS = {
    "treaty": ("convention", "treaty", "covenant", "agreement"),
    "optional_protocol": ("protocol",),
    "statute": ("law", "act", "code", "statute"),
    "amendment": ("amendment",),
    "legislative_decision": ("decision",),
    "judicial_interpretation": ("interpretation",),
    "directive": ("directive",),
    "framework_decision": ("decision", "framework decision"),
    "recommendation": ("recommendation",),
    "charter": ("charter", "constitution"),
    "resolution": ("resolution",),
}


def _instrument_stub(entry: InstrumentEntry) -> Node:
    return Node(entry.node_id, NodeType.INSTRUMENT, entry.display_name,
                {"stub": True, "work_iri": entry.iri})


def build_gazetteer(catalog: Catalog) -> Gazetteer:
    """Compile the alias automaton of ``catalog`` (see :func:`gazetteer` for the cached one)."""
    automaton = ahocorasick.Automaton()
    gaz = Gazetteer(automaton)

    def add(alias: str, target: _Target, exact: bool) -> None:
        cased, low = fold_alias(alias)
        if not low:
            return
        target = _replace_alias(target, cased, exact)
        existing: tuple[_Target, ...] = automaton.get(low) if low in automaton else ()
        same = [t for t in existing if t.node_ids == target.node_ids]
        if same and (same[0].cased is not None or not exact):
            return  # an exact listing wins over a case-insensitive one of the same name
        others = tuple(t for t in existing if t.node_ids != target.node_ids)
        automaton.add_word(low, (*others, target))

    for inst in catalog.iter_instruments():
        gaz.stubs[inst.node_id] = _instrument_stub(inst)
        gaz.iri_kind_words[inst.iri] = _KIND_WORDS.get(inst.kind, ())
        base = _Target((inst.node_id,), "instrument", 1.0, None, "", (inst.iri,))
        for name in inst.exact_aliases:
            add(name, base, exact=True)
        for listed in (inst.official_name, inst.short_name, inst.name_zh, *inst.aliases):
            if listed:
                add(listed, base, exact=_is_abbreviation(listed))
        for variant in inst.variant_names:
            add(variant.name, _Target(base.node_ids, "instrument", variant.confidence, None,
                                      "", base.iris), exact=False)
    for group in catalog.groups.values():
        members = [catalog.instruments[m] for m in group.members]
        node_ids = tuple(m.node_id for m in members)
        iris = tuple(m.iri for m in members)
        for name in group.aliases:
            add(name, _Target(node_ids, "group", GROUP_CONFIDENCE, None, "", iris), False)
        for variant in group.variant_names:
            add(variant.name, _Target(node_ids, "group", variant.confidence, None, "", iris),
                False)
    for juris in catalog.iter_jurisdictions():
        gaz.stubs[juris.node_id] = Node(juris.node_id, NodeType.JURISDICTION, juris.name,
                                        {"stub": True, "code": juris.code})
        base = _Target((juris.node_id,), "jurisdiction", 1.0, None, "")
        for name in juris.exact_aliases:
            add(name, base, exact=True)
        for name in (juris.name, *juris.aliases):
            add(name, base, exact=_is_abbreviation(name))
        for name in juris.demonyms:
            add(name, _Target(base.node_ids, "jurisdiction", DEMONYM_CONFIDENCE, None, ""),
                exact=True)
    for concept in catalog.iter_concepts():
        gaz.stubs[concept.node_id] = Node(concept.node_id, NodeType.CONCEPT, concept.label,
                                          {"stub": True})
        base = _Target((concept.node_id,), "concept", 1.0, None, "")
        for name in concept.exact_aliases:
            add(name, base, exact=True)
        for name in concept.aliases:
            add(name, base, exact=_is_abbreviation(name))
    if AGE_CONCEPT in catalog.concepts:
        gaz.age_concept = catalog.concepts[AGE_CONCEPT].node_id
    automaton.make_automaton()
    return gaz


def _replace_alias(target: _Target, cased: str, exact: bool) -> _Target:
    return _Target(target.node_ids, target.kind, target.confidence, cased if exact else None,
                   cased, target.iris)


def _is_abbreviation(name: str) -> bool:
    """``UNICEF``, ``U.S.``: short, Latin, no lower-case letter (matched with its case)."""
    letters = [c for c in name if c.isalpha()]
    return (len(letters) > 0 and len(name) <= 12 and all(c.isascii() for c in letters)
            and not any(c.islower() for c in letters))


def gazetteer(catalog: Catalog) -> Gazetteer:
    """The alias automaton of ``catalog``, built on first use and kept with the catalog."""
    cached = catalog.cache.get(_CACHE_KEY)
    if not isinstance(cached, Gazetteer):
        cached = build_gazetteer(catalog)
        catalog.cache[_CACHE_KEY] = cached
    return cached


# --- finding -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mention:
    """One thing found in a sentence: targets, offsets within the sentence, how, how sure."""

    start: int
    end: int
    node_ids: tuple[str, ...]
    kind: str
    method: str
    confidence: float
    surface: str
    iris: tuple[str, ...] = ()


def _gazetteer_mentions(text: str, folded: AlignedFold, gaz: Gazetteer) -> list[Mention]:
    low, cased = folded.low, folded.cased
    found: list[tuple[int, int, _Target]] = []
    for end_idx, targets in gaz.automaton.iter(low):
        for target in targets:
            key_len = len(target.alias)
            start = end_idx - key_len + 1
            end = end_idx + 1
            if _is_word(low[start]) and start > 0 and _is_word(low[start - 1]):
                continue
            if _is_word(low[end_idx]) and end < len(low) and _is_word(low[end]):
                continue
            if target.cased is not None and cased[start:end] != target.cased:
                continue
            found.append((start, end, target))
    found.sort(key=lambda m: (m[0] - m[1], m[0]))  # longest first, then leftmost
    taken = bytearray(len(low))
    mentions: list[Mention] = []
    for start, end, target in found:
        if taken.find(1, start, end) != -1:
            continue
        taken[start:end] = b"\x01" * (end - start)
        o_start, o_end = folded.original(start), folded.original_end(end)
        mentions.append(Mention(o_start, o_end, target.node_ids, target.kind, GAZETTEER,
                                target.confidence, text[o_start:o_end], target.iris))
    mentions.sort(key=lambda m: m.start)
    return mentions


_AGE = re.compile(
    r"\b(?:(?:under|below|over|aged|age|ages)\s+(?:the\s+age\s+of\s+)?\d{1,2}"
    r"(?:\s*(?:-|–|to|and)\s*\d{1,2})?(?:\s+years?(?:\s+old|\s+of\s+age)?)?"
    r"|\d{1,2}\s*(?:-|–|to)\s*\d{1,2}\s+years?(?:\s+old|\s+of\s+age)?"
    r"|\d{1,2}\s+years?(?:\s+old|\s+of\s+age))\b"
    r"|(?:不满|未满|已满|年满)[一二三四五六七八九十\d]{1,3}周岁",
    re.IGNORECASE)

_NAME_WORD = r"[A-Z][\w'’\-]*"
_CONNECTOR = r"(?:of|on|for|against|concerning|relating\s+to|in|and|to)(?:\s+the)?"
_KEYWORD_LAST = re.compile(
    rf"(?<![\w'’])(?P<name>{_NAME_WORD}(?:\s+(?:{_CONNECTOR}\s+)?{_NAME_WORD})*?"
    rf"\s+(?:Act|Convention|Protocol|Decision|Directive|Treaty|Covenant))"
    rf"(?:\s+(?:of\s+)?(?P<year>1[89]\d\d|20\d\d))?\b"
    rf"(?:\s*\((?P<abbr>[A-Z][A-Za-z0-9\-]{{1,11}})\))?")
_KEYWORD_FIRST = re.compile(
    rf"(?<![\w'’])(?P<name>(?:Convention|Protocol|Charter|Treaty|Covenant)\s+"
    rf"(?:on|of|for|against|concerning)\s+(?:the\s+)?{_NAME_WORD}"
    rf"(?:\s+(?:{_CONNECTOR}\s+)?{_NAME_WORD})*)"
    rf"(?:\s*\((?P<abbr>[A-Z][A-Za-z0-9\-]{{1,11}})\))?")
_PRC_LAW = re.compile(
    rf"(?<![\w'’])(?P<name>(?:{_NAME_WORD}\s+)*Law\s+of\s+the\s+People[’']s\s+Republic\s+of"
    rf"\s+China(?:\s+on\s+(?:the\s+)?{_NAME_WORD}(?:\s+(?:{_CONNECTOR}\s+)?{_NAME_WORD})*)?)"
    rf"(?:\s*\((?P<abbr>[A-Z][A-Za-z0-9\-]{{1,11}})\))?")
#: A Chinese title in 《》 that names a legal instrument by its ending.
_CN_LEGAL_TITLE = re.compile(
    r"《(?P<name>[^《》\n]{2,120}?(?:法|条例|解释|决定|规定|公约|议定书|办法|规则|意见)"
    r"(?:[（(][一二三四五六七八九十]+[)）])?)》")
#: Capitalised words that start a sentence or a phrase without belonging to a name.
_NOT_NAME_START = frozenset({
    "The", "This", "That", "These", "Those", "Such", "Each", "Any", "Every", "Its", "Their",
    "Our", "A", "An", "In", "Under", "By", "Of", "And", "Or", "But", "See", "Both",
    "Present", "Said", "New",
})


_UNRESOLVED_HINT = re.compile(r"(?:Act|Convention|Protocol|Decision|Directive|Treaty|Covenant|"
                              r"Charter|China)\b|《")
_AGE_HINT = re.compile(r"year|周岁|\b(?:under|below|over|aged?|ages)\s+(?:the\s+age\s+of\s+)?\d",
                       re.IGNORECASE)
_ARTICLE_HINT = re.compile(r"[Aa]rt(?:icles?\b|s?\.)|ARTICLE")


def _identified_mentions(text: str, catalog: Catalog) -> list[Mention]:
    """Instruments named by an official identifier (``Regulation (EU) 2016/679``,
    ``18 U.S.C. § 2252``, ``ETS No. 185``): the catalog's entry when it knows the name, else
    the identifier's deterministic work (:mod:`ingest.identifiers`)."""
    mentions = []
    for ident in find_identifiers(text):
        iri = catalog.resolve_name(ident.raw) or catalog.resolve_name(ident.label)
        if iri is not None and catalog.has_instrument(iri):
            entry = catalog.instrument(iri)
            mentions.append(Mention(ident.start, ident.end, (entry.node_id,), "instrument",
                                    PATTERN, 1.0, ident.raw, (iri,)))
            continue
        mentions.append(Mention(ident.start, ident.end, (ids.instrument_id(ident.work_iri),),
                                "identified", PATTERN, 1.0, ident.label, (ident.work_iri,)))
    return mentions


def _unresolved_mentions(text: str, catalog: Catalog) -> list[Mention]:
    """Names that look like instruments; those the catalog knows under a looser reading
    (:meth:`~citegraph.catalog.Catalog.match_name`) point at it, with its confidence."""
    mentions: list[Mention] = _identified_mentions(text, catalog)
    if not _UNRESOLVED_HINT.search(text):
        return mentions
    for match in _CN_LEGAL_TITLE.finditer(text):
        name = match["name"]
        mentions.append(Mention(match.start(), match.end(),
                                (ids.unresolved_instrument_id(name),), "unresolved", PATTERN,
                                UNRESOLVED_CONFIDENCE, name))
    for pattern in (_KEYWORD_LAST, _KEYWORD_FIRST, _PRC_LAW):
        for match in pattern.finditer(text):
            name = _SPACES.sub(" ", " ".join(match["name"].split()))
            start = match.start("name")
            words = name.split(" ")
            while len(words) > 1 and words[0] in _NOT_NAME_START:
                start = text.index(words[1], start + len(words[0]))
                words = words[1:]
            name = " ".join(words)
            if len(words) < 2 or GENERIC_NAME.match(name):
                continue
            if "year" in pattern.groupindex and match["year"]:
                name = _SPACES.sub(" ", " ".join(
                    text[start:match.end("year")].split()))
            abbr = match["abbr"]
            label = f"{name} ({abbr})" if abbr else name
            known = catalog.match_name(name)
            if known is not None and catalog.has_instrument(known.iri):
                entry = catalog.instrument(known.iri)
                mentions.append(Mention(start, match.end(), (entry.node_id,), "instrument",
                                        PATTERN, known.confidence, label, (known.iri,)))
                continue
            node_id = ids.unresolved_instrument_id(label)
            mentions.append(Mention(start, match.end(), (node_id,), "unresolved", PATTERN,
                                    UNRESOLVED_CONFIDENCE, label))
    return mentions


def _age_mentions(text: str, concept_node: str | None) -> list[Mention]:
    if concept_node is None or not _AGE_HINT.search(text):
        return []
    return [Mention(m.start(), m.end(), (concept_node,), "concept", PATTERN, AGE_CONFIDENCE,
                    m[0]) for m in _AGE.finditer(text)]


# --- article references --------------------------------------------------------------------


@dataclass(slots=True)
class _Context:
    """What the extractor remembers across the sentences of one document."""

    last_instrument: dict[str, str] = field(default_factory=dict)  # kind word / "" -> IRI
    abbreviations: dict[str, Mention] = field(default_factory=dict)


def _antecedent(name: str | None, before: list[Mention], ctx: _Context,
                gaz: Gazetteer) -> tuple[str | None, float]:
    """The instrument a bare or generic reference (``the Convention``) stands for."""
    word = ""
    if name:
        word = re.sub(r"^(?:the\s+)?(?:present\s+|this\s+)?", "", name.strip(),
                      flags=re.IGNORECASE).lower()
    for mention in reversed(before):
        candidate = mention.iris[0]
        if not word or word in gaz.iri_kind_words.get(candidate, ()):
            return candidate, ARTICLE_SAME_SENTENCE_CONFIDENCE
    earlier = ctx.last_instrument.get(word)
    return (earlier, ARTICLE_EARLIER_CONFIDENCE) if earlier else (None, 0.0)


def _article_mentions(text: str, mentions: list[Mention], catalog: Catalog, gaz: Gazetteer,
                      ctx: _Context) -> list[Mention]:
    refs: list[CrossRef] = []
    if _ARTICLE_HINT.search(text):
        refs.extend(find_english_references(text))
    if "条" in text:
        refs.extend(find_chinese_references(
            text, known=lambda name: catalog.resolve_name(name) is not None))
    found: list[Mention] = []
    if not refs:
        return found
    single = [m for m in mentions if m.kind == "instrument" and len(m.iris) == 1]
    starts = [m.start for m in single]
    for ref in refs:
        if ref.article is None:
            continue  # a whole instrument: the gazetteer or the unresolved pattern has it
        at = bisect.bisect_left(starts, ref.start)
        iri: str | None = None
        confidence = ARTICLE_NAMED_CONFIDENCE
        if ref.instrument and not GENERIC_NAME.match(ref.instrument):
            iri = catalog.resolve_name(ref.instrument)
            if iri is None and at < len(single) and single[at].start < ref.end + 200:
                iri = single[at].iris[0]  # "Article 3 of the UN's Convention on ..."
            if iri is None:
                continue  # an unknown instrument: kept by the unresolved-name pattern
        else:
            before = [m for m in single[max(0, at - 8):at] if m.end <= ref.start]
            iri, confidence = _antecedent(ref.instrument, before, ctx, gaz)
            if iri is None:
                continue
        eid = ids.article_eid(ref.article, ref.para, ref.item)
        node_id = ids.article_id(iri, eid)
        found.append(Mention(ref.start, ref.end, (node_id,), "article", PATTERN, confidence,
                             text[ref.start:ref.end], (iri,)))
    return found


def _article_stub(node_id: str, iri: str, catalog: Catalog) -> Node:
    eid = node_id.split("#", 1)[1]
    name = catalog.instrument(iri).display_name if catalog.has_instrument(iri) else iri
    number = eid.removeprefix("art_").replace("__para_", " para. ").replace("__item_", " item ")
    return Node(node_id, NodeType.ARTICLE, f"{name} art. {number}",
                {"stub": True, "work_iri": iri, "eid": eid})


# --- putting it together -------------------------------------------------------------------


def find_mentions(sentence_text: str, catalog: Catalog, ctx: _Context | None = None,
                  gaz: Gazetteer | None = None) -> list[Mention]:
    """Every mention in one sentence (offsets relative to the sentence), in text order."""
    ctx = ctx or _Context()
    gaz = gaz or gazetteer(catalog)
    folded = fold_aligned(sentence_text)
    mentions = _gazetteer_mentions(sentence_text, folded, gaz)
    mentions = _merge_abbreviations(sentence_text, mentions)
    size = len(sentence_text)
    # an unknown instrument's title may contain a catalog place or concept name
    # ("Cybersecurity Law of the People's Republic of China"), never a catalog instrument
    unresolved = _take(_occupancy(size, (m for m in mentions
                                         if m.kind in ("instrument", "group"))),
                       _unresolved_mentions(sentence_text, catalog))
    if unresolved:
        inside = _occupancy(size, unresolved)
        mentions = [m for m in mentions if inside.find(0, m.start, m.end) != -1]
    taken = _occupancy(size, mentions + unresolved)
    extra = _take(taken, _age_mentions(sentence_text, gaz.age_concept))
    for m in unresolved:
        abbr = re.search(r"\(([^()]+)\)$", m.surface)
        if abbr:
            ctx.abbreviations[abbr[1]] = m
    unresolved += _take(taken, _known_abbreviations(sentence_text, ctx))
    articles = _article_mentions(sentence_text, mentions, catalog, gaz, ctx)
    everything = sorted(mentions + extra + unresolved + articles, key=lambda m: m.start)
    _remember(everything, ctx, gaz)
    return everything


def _occupancy(length: int, mentions: Iterable[Mention]) -> bytearray:
    taken = bytearray(length)
    for m in mentions:
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
    return taken


def _free(taken: bytearray, m: Mention) -> bool:
    return taken.find(1, m.start, m.end) == -1


def _take(taken: bytearray, candidates: Iterable[Mention]) -> list[Mention]:
    """Candidates that overlap nothing taken so far, longest first; marks them taken."""
    kept: list[Mention] = []
    for m in sorted(candidates, key=lambda m: (m.start - m.end, m.start)):
        if _free(taken, m):
            taken[m.start:m.end] = b"\x01" * (m.end - m.start)
            kept.append(m)
    return kept


_PAREN_ABBR = re.compile(r"\s*\(([A-Z][A-Za-z0-9\-]{1,11})\)")


def _merge_abbreviations(text: str, mentions: list[Mention]) -> list[Mention]:
    """Fold ``Name (ABBR)`` into one mention when both point at the same thing."""
    merged: list[Mention] = []
    for m in mentions:
        prev = merged[-1] if merged else None
        if prev is not None and prev.node_ids == m.node_ids and _PAREN_ABBR.fullmatch(
                text[prev.end:m.end + 1]):
            merged[-1] = Mention(prev.start, m.end + 1, prev.node_ids, prev.kind, prev.method,
                                 max(prev.confidence, m.confidence), text[prev.start:m.end + 1],
                                 prev.iris)
            continue
        merged.append(m)
    return merged


def _known_abbreviations(text: str, ctx: _Context) -> list[Mention]:
    """Later bare uses of an abbreviation introduced by an unresolved name."""
    found: list[Mention] = []
    for abbr, first in ctx.abbreviations.items():
        if abbr not in text:
            continue
        for match in re.finditer(rf"(?<![\w-]){re.escape(abbr)}(?![\w-])", text):
            found.append(Mention(match.start(), match.end(), first.node_ids, first.kind,
                                 PATTERN, first.confidence, first.surface, first.iris))
    return found


def _remember(mentions: list[Mention], ctx: _Context, gaz: Gazetteer) -> None:
    for m in mentions:
        if m.kind == "instrument" and len(m.iris) == 1:
            iri = m.iris[0]
            ctx.last_instrument[""] = iri
            for word in gaz.iri_kind_words.get(iri, ()):
                ctx.last_instrument[word] = iri


def extract_mentions(sentences: Sequence[Sentence], catalog: Catalog, *, document: str,
                     ) -> tuple[list[Node], list[Relationship]]:
    """MENTIONS edges from each sentence's node to the instruments, articles, concepts and
    jurisdictions it names, with the nodes they need.

    Parameters
    ----------
    sentences : sequence of Sentence
        In document order; ``start`` is the sentence's absolute offset in the document text,
        ``node_id`` the Section it belongs to, ``locator`` its section number.
    catalog : Catalog
        The validated catalog; its alias automaton is built once and cached on it.
    document : str
        The provenance document id (the paper's Work id).

    Returns
    -------
    (nodes, relationships)
        Stub nodes for every catalog target and article named (``stub: True``), full nodes
        for unresolved instruments (``status: "unresolved"``, ``needs_review: True``); one
        MENTIONS relationship per mention and target, with span (absolute offsets), quote
        (the sentence), method (``gazetteer`` or ``pattern``) and confidence. Section nodes
        are not emitted: the paper reader owns them.
    """
    gaz = gazetteer(catalog)
    ctx = _Context()
    nodes: dict[str, Node] = {}
    rels: dict[tuple[str, str, str, str], Relationship] = {}
    for sentence in sentences:
        for m in find_mentions(sentence.text, catalog, ctx, gaz):
            span = (sentence.start + m.start, sentence.start + m.end)
            prov = Provenance(document, sentence.locator, span,
                              quote_around(sentence.text, m.start, m.end), m.method,
                              m.confidence)
            for node_id in m.node_ids:
                if node_id not in nodes:
                    nodes[node_id] = _node_for(node_id, m, gaz, catalog)
                rel = Relationship(sentence.node_id, node_id, RelType.MENTIONS, prov,
                                   {"mention": m.surface, "target_kind": m.kind})
                rels.setdefault(rel.identity, rel)
    return list(nodes.values()), list(rels.values())


def _node_for(node_id: str, m: Mention, gaz: Gazetteer, catalog: Catalog) -> Node:
    if node_id in gaz.stubs:
        return gaz.stubs[node_id]
    if m.kind == "article":
        return _article_stub(node_id, m.iris[0], catalog)
    if m.kind == "identified":
        return Node(node_id, NodeType.INSTRUMENT, m.surface,
                    {"stub": True, "status": "identified", "name": m.surface,
                     "work_iri": m.iris[0]})
    return Node(node_id, NodeType.INSTRUMENT, m.surface,
                {"status": "unresolved", "needs_review": True, "name": m.surface})
