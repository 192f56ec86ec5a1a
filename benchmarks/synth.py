"""A deterministic, seeded synthetic corpus for the benchmarks.

Two outputs from one :class:`SynthSpec`:

* model objects (:func:`graph_batches`): a catalog of instruments with articles,
  cross-references, concepts and jurisdictions, a shared pool of cited works, and one
  batch per paper with its sections, reference list, in-text citations and mentions.
  References are drawn from the pool with a skewed distribution, so popular works are
  co-cited often, as in a real bibliography. :func:`spec_for` picks a paper count that
  gives a wanted number of relationships (1,000,000 and more);
* text (:func:`paper_text`, :func:`bibtex_text`, :func:`write_text_corpus`): papers with
  numbered headings, numeric markers, article mentions and a numbered reference list, and
  the matching ``.bib`` files with LaTeX escapes and several authors per entry.

All text is made of generated pseudo-words: nothing is copied from any real document.

Examples
--------
>>> spec = SynthSpec(papers=3, instruments=4, articles=5)
>>> batches = list(graph_batches(spec))
>>> sum(len(b.relationships) for b in batches) == sum(
...     len(b.relationships) for b in graph_batches(spec))
True
>>> text, bib = paper_text(spec, 0)
>>> "[1]" in text and bib.startswith("@")
True
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from citegraph import ids
from citegraph.model import GraphBatch, Node, NodeType, Provenance, Relationship, RelType

_ONSETS = ("b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z",
           "br", "ch", "dr", "gl", "kr", "pl", "sh", "st", "th", "tr")
_NUCLEI = ("a", "e", "i", "o", "u", "ai", "ea", "io", "ou")
_CODAS = ("", "", "n", "r", "s", "l", "m", "nd", "st", "x")
#: LaTeX accent commands used in generated BibTeX names, and the letters they decorate.
_LATEX_ACCENTS = {'\\"o': "ö", "\\'e": "é", "\\`a": "à", "\\~n": "ñ", "\\c{c}": "ç",
                  "\\v{s}": "š", '\\"u': "ü", "\\^i": "î"}


def _make_words(count: int, seed: int = 20261125) -> tuple[str, ...]:
    rng = random.Random(seed)
    words: dict[str, None] = {}
    while len(words) < count:
        syllables = rng.choice((1, 2, 2, 3, 3, 4))
        word = "".join(rng.choice(_ONSETS) + rng.choice(_NUCLEI) + rng.choice(_CODAS)
                       for _ in range(syllables))
        words[word] = None
    return tuple(words)


#: The generated vocabulary (fixed, independent of any spec's seed).
WORDS = _make_words(3000)
SURNAMES = tuple(w.capitalize() for w in WORDS[:800])


@dataclass(frozen=True, slots=True)
class SynthSpec:
    """The shape of a synthetic corpus; every count is per paper unless stated.

    ``pool`` is the number of shared cited works (0: three per paper, at least 50).
    """

    papers: int
    sections: int = 8
    subsections: int = 1
    sentences: int = 4
    refs: int = 25
    pool: int = 0
    instruments: int = 60
    articles: int = 40
    xrefs: int = 2
    concepts: int = 40
    jurisdictions: int = 30
    marker_rate: float = 0.5
    mention_rate: float = 0.25
    seed: int = 8

    @property
    def pool_size(self) -> int:
        return self.pool or max(50, 3 * self.papers)

    @property
    def rels_per_paper(self) -> float:
        """Expected relationships of one paper batch."""
        sections = self.sections * (1 + self.subsections)
        sentences = sections * self.sentences
        structure = sections + self.sections * self.subsections
        return (structure + self.refs + sentences * self.marker_rate * 2
                + sentences * self.mention_rate)

    @property
    def catalog_rels(self) -> int:
        """Relationships of the catalog and instrument batches (exact)."""
        articles = self.instruments * self.articles
        adoption = self.instruments * 2
        defines = articles // 10
        links = self.instruments - 1
        return articles + articles * self.xrefs + adoption + defines + links


def spec_for(relationships: int, *, seed: int = 8, **shape: int | float) -> SynthSpec:
    """A spec whose graph has about ``relationships`` relationships (within ~2 %).

    >>> spec = spec_for(5000)
    >>> abs(count_relationships(spec) - 5000) < 500
    True
    """
    base = SynthSpec(papers=1, seed=seed, **shape)  # type: ignore[arg-type]
    if relationships < 4 * base.catalog_rels:
        scale = max(1, relationships // 8)
        base = replace(base, instruments=max(2, min(base.instruments, scale // base.articles)))
        if base.instruments * base.articles > scale:
            base = replace(base, articles=max(2, scale // base.instruments))
    papers = (relationships - base.catalog_rels) / base.rels_per_paper
    return replace(base, papers=max(1, round(papers)))


def count_relationships(spec: SynthSpec) -> int:
    """The exact number of relationships :func:`graph_batches` yields (generates them)."""
    return sum(len(b.relationships) for b in graph_batches(spec))


# -- names -----------------------------------------------------------------------------------
def _title(rng: random.Random, low: int = 3, high: int = 7) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return " ".join(words).capitalize()


def _sentence(rng: random.Random, low: int = 10, high: int = 22) -> str:
    return _title(rng, low, high) + "."


def jurisdiction_code(j: int) -> str:
    """A two-letter pseudo country code (``AA``, ``AB``...), not a real one for j < 100."""
    return "X" + chr(ord("A") + j % 26) if j < 26 else chr(ord("A") + j // 26 % 26) + chr(
        ord("A") + j % 26)


def instrument_iri(spec: SynthSpec, k: int) -> str:
    code = jurisdiction_code(k % spec.jurisdictions).lower()
    year = 1950 + k % 70
    return ids.akn_work_iri(code, "act", f"{year}-01-01", f"synthetic-act-{k}")


def instrument_name(k: int) -> str:
    """The English name of instrument ``k`` (generated words)."""
    rng = random.Random(f"instrument-name:{k}")
    kind = ("Convention on", "Act on", "Protocol on", "Law on", "Directive on")[k % 5]
    return f"{kind} {_title(rng, 2, 3).title()} {k}"


def article_node_id(spec: SynthSpec, k: int, n: int) -> str:
    return ids.article_id(instrument_iri(spec, k), ids.article_eid(str(n + 1)))


def pool_work_id(w: int) -> str:
    return ids.work_id_from_bibkey(f"pool{w:07d}")


def paper_document(i: int) -> str:
    return ids.work_id(f"synth-paper-{i:06d}")


def _skewed(rng: random.Random, size: int) -> int:
    """An index in ``range(size)`` that favours small values (a few popular works)."""
    return min(size - 1, int(size * rng.random() ** 2.5))


# -- graph -----------------------------------------------------------------------------------
def graph_batches(spec: SynthSpec) -> Iterator[GraphBatch]:
    """Every batch of the corpus, in a load order where endpoints exist first. Lazy."""
    yield catalog_batch(spec)
    for k in range(spec.instruments):
        yield instrument_batch(spec, k)
    for start in range(0, spec.pool_size, 1000):
        yield pool_batch(spec, start, min(spec.pool_size, start + 1000))
    for i in range(spec.papers):
        yield paper_batch(spec, i)


def catalog_batch(spec: SynthSpec) -> GraphBatch:
    """Instruments, their articles, concepts and jurisdictions, and adoption edges."""
    rng = random.Random(f"{spec.seed}:catalog")
    doc = "catalog"
    nodes: list[Node] = []
    rels: list[Relationship] = []
    for j in range(spec.jurisdictions):
        code = jurisdiction_code(j)
        nodes.append(Node(ids.jurisdiction_id(code), NodeType.JURISDICTION, f"State {code}"))
    concepts = [ids.concept_id(f"{WORDS[c]}-{c}") for c in range(spec.concepts)]
    nodes.extend(Node(cid, NodeType.CONCEPT, cid.removeprefix("concept:")) for cid in concepts)
    for k in range(spec.instruments):
        iri = instrument_iri(spec, k)
        name = instrument_name(k)
        year = int(iri.split("/")[4][:4])
        nodes.append(Node(ids.instrument_id(iri), NodeType.INSTRUMENT, name,
                          {"aliases": [name.split(" ", 1)[1]], "date": f"{year}-01-01",
                           "document": doc}))
        for verb, j in ((RelType.SIGNED, k % spec.jurisdictions),
                        (RelType.RATIFIED, rng.randrange(spec.jurisdictions))):
            rels.append(Relationship(ids.jurisdiction_id(jurisdiction_code(j)),
                                     ids.instrument_id(iri), verb,
                                     Provenance(doc, iri, None, "", "catalog"),
                                     {"date": f"{year + 1}-06-01"}))
        for n in range(spec.articles):
            aid = article_node_id(spec, k, n)
            nodes.append(Node(aid, NodeType.ARTICLE, f"Article {n + 1}",
                              {"number": str(n + 1), "heading": _title(rng, 2, 5),
                               "document": doc}))
            rels.append(Relationship(ids.instrument_id(iri), aid, RelType.HAS_ARTICLE,
                                     Provenance(doc, f"art_{n + 1}", None, "", "catalog")))
            if (k * spec.articles + n) % 10 == 0:
                rels.append(Relationship(aid, rng.choice(concepts), RelType.DEFINES,
                                         Provenance(doc, f"art_{n + 1}", None, "",
                                                    "catalog")))
    return GraphBatch.of(doc, nodes, rels)


def instrument_batch(spec: SynthSpec, k: int) -> GraphBatch:
    """The cross-references of instrument ``k``: article to article (often in another
    instrument) and a link to an earlier instrument that it implements or supplements."""
    rng = random.Random(f"{spec.seed}:instrument:{k}")
    iri = instrument_iri(spec, k)
    doc = f"legal:{iri}"
    rels: list[Relationship] = []
    offset = 0
    for n in range(spec.articles):
        source = article_node_id(spec, k, n)
        quote = _sentence(rng)
        for x in range(spec.xrefs):
            other = k if x == 0 or spec.instruments == 1 else rng.randrange(spec.instruments)
            m = rng.randrange(spec.articles)
            if other == k and m == n:
                m = (n + 1) % spec.articles
            target = article_node_id(spec, other, m)
            rels.append(Relationship(source, target, RelType.REFERS_TO,
                                     Provenance(doc, f"art_{n + 1}", (offset, offset + 12),
                                                quote, "pattern", 0.95)))
            offset += 13
        offset += len(quote)
    if k > 0:
        verb = (RelType.IMPLEMENTS, RelType.SUPPLEMENTS, RelType.INTERPRETS)[k % 3]
        rels.append(Relationship(ids.instrument_id(iri),
                                 ids.instrument_id(instrument_iri(spec, rng.randrange(k))),
                                 verb, Provenance(doc, "", None, "", "catalog")))
    return GraphBatch.of(doc, (), rels)


def pool_batch(spec: SynthSpec, start: int, end: int) -> GraphBatch:
    """Works ``start`` to ``end - 1`` of the shared pool, as a bibliography would give them."""
    doc = f"bib:pool-{start // 1000}"
    nodes = []
    for w in range(start, end):
        rng = random.Random(f"{spec.seed}:work:{w}")
        authors = [f"{rng.choice(SURNAMES)}, {rng.choice(SURNAMES)[0]}."
                   for _ in range(rng.randint(1, 3))]
        nodes.append(Node(pool_work_id(w), NodeType.WORK, _title(rng),
                          {"year": 1960 + rng.randrange(65), "authors": authors,
                           "venue": _title(rng, 2, 4).title(), "document": doc}))
    return GraphBatch.of(doc, nodes, ())


def _section_numbers(spec: SynthSpec) -> list[str]:
    numbers = []
    for s in range(1, spec.sections + 1):
        numbers.append(str(s))
        numbers.extend(f"{s}.{t}" for t in range(1, spec.subsections + 1))
    return numbers


def paper_batch(spec: SynthSpec, i: int) -> GraphBatch:
    """Paper ``i``: its Work, sections, reference list, markers and mentions."""
    rng = random.Random(f"{spec.seed}:paper:{i}")
    doc = paper_document(i)
    slug = doc.removeprefix("work:")
    pool = spec.pool_size
    refs = list(dict.fromkeys(pool_work_id(_skewed(rng, pool)) for _ in range(spec.refs)))
    nodes = [Node(doc, NodeType.WORK, _title(rng),
                  {"year": 1990 + rng.randrange(36), "document": doc})]
    rels: list[Relationship] = [
        Relationship(doc, ref, RelType.CITES,
                     Provenance(doc, "references", (n * 80, n * 80 + 79), "", "reference-list"))
        for n, ref in enumerate(refs)]
    offset = 100 + 80 * len(refs)
    articles = spec.instruments * spec.articles
    for number in _section_numbers(spec):
        sid = ids.section_id(slug, number)
        nodes.append(Node(sid, NodeType.SECTION, f"{number} {_title(rng, 2, 5)}",
                          {"number": number, "document": doc}))
        rels.append(Relationship(doc, sid, RelType.HAS_SECTION,
                                 Provenance(doc, number, None, "", "structure")))
        if "." in number:
            parent = ids.section_id(slug, number.rsplit(".", 1)[0])
            rels.append(Relationship(sid, parent, RelType.PART_OF,
                                     Provenance(doc, number, None, "", "structure")))
        for _ in range(spec.sentences):
            quote = _sentence(rng)
            end = offset + len(quote)
            if rng.random() < spec.marker_rate:
                first = rng.randrange(len(refs))
                for ref in refs[first:first + rng.randint(1, 3)]:
                    rels.append(Relationship(sid, ref, RelType.CITES,
                                             Provenance(doc, number, (end - 4, end), quote,
                                                        "marker")))
            if articles and rng.random() < spec.mention_rate:
                a = _skewed(rng, articles)
                k, n = divmod(a, spec.articles)
                target = (article_node_id(spec, k, n) if rng.random() < 0.7
                          else ids.instrument_id(instrument_iri(spec, k)))
                rels.append(Relationship(sid, target, RelType.MENTIONS,
                                         Provenance(doc, number, (offset, offset + 30), quote,
                                                    "gazetteer", 0.9)))
            offset = end + 1
    return GraphBatch.of(doc, nodes, rels)


# -- text ------------------------------------------------------------------------------------
def _wrap(text: str, width: int = 96) -> str:
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class BibRecord:
    """One generated reference, rendered both as BibTeX and as a reference-list line.

    ``authors`` are (surname, given names) pairs whose surnames may hold a LaTeX accent
    (``{\\"o}``); :func:`plain` gives the decoded form.
    """

    key: str
    kind: str
    authors: tuple[tuple[str, str], ...]
    title: str
    year: int
    venue: str
    volume: int
    first_page: int
    last_page: int
    doi: str | None


def plain(latex: str) -> str:
    r"""The text a reader sees for a generated LaTeX value (accents, ``\&``, braces).

    >>> plain('M{\\"o}ller \\& {Co}')
    'Möller & Co'
    """
    for accent, char in _LATEX_ACCENTS.items():
        latex = latex.replace("{" + accent + "}", char)
    return latex.replace("\\&", "&").replace("{", "").replace("}", "")


def _latexify(name: str, rng: random.Random) -> str:
    """Put a LaTeX accent into a generated name now and then."""
    if rng.random() < 0.35 and len(name) > 3:
        pos = rng.randrange(1, len(name) - 1)
        accent = rng.choice(list(_LATEX_ACCENTS))
        return f"{name[:pos]}{{{accent}}}{name[pos + 1:]}"
    return name


def bib_record(key: str, rng: random.Random) -> BibRecord:
    kind = rng.choice(("article", "article", "book", "inproceedings", "incollection"))
    authors = tuple(
        (_latexify(rng.choice(SURNAMES), rng),
         rng.choice(SURNAMES) + (f" {rng.choice(SURNAMES)[0]}." if rng.random() < 0.4 else ""))
        for _ in range(rng.randint(1, 4)))
    words = _title(rng, 4, 10).split(" ")
    words[0] = "{" + words[0] + "}"
    first = rng.randint(1, 900)
    return BibRecord(key, kind, authors, " ".join(words), 1960 + rng.randrange(65),
                     _title(rng, 2, 4).title().replace(" ", " \\& ", 1), rng.randint(1, 80),
                     first, first + rng.randint(5, 40),
                     f"10.5555/synth.{key}" if rng.random() < 0.5 else None)


def render_bibtex(rec: BibRecord) -> str:
    """The record as a BibTeX entry (several authors, LaTeX escapes, braces in the title)."""
    authors = " and ".join(f"{surname}, {given}" for surname, given in rec.authors)
    fields = [f"  author = {{{authors}}}", f"  title = {{{rec.title}}}",
              f"  year = {{{rec.year}}}"]
    if rec.kind == "article":
        fields += [f"  journal = {{{rec.venue}}}", f"  volume = {{{rec.volume}}}",
                   f"  pages = {{{rec.first_page}--{rec.last_page}}}"]
    elif rec.kind == "book":
        fields += [f"  publisher = {{{rec.venue} Press}}"]
    else:
        fields += [f"  booktitle = {{Proceedings of the {rec.venue}}}",
                   f"  pages = {{{rec.first_page}--{rec.last_page}}}"]
    if rec.doi:
        fields.append(f"  doi = {{{rec.doi}}}")
    return f"@{rec.kind}{{{rec.key},\n" + ",\n".join(fields) + "\n}\n"


def render_reference(number: int, rec: BibRecord) -> str:
    """The record as a numbered reference-list line, as a paper's PDF would print it."""
    authors = ", ".join(f"{plain(surname)}, {given[0]}." for surname, given in rec.authors)
    venue = plain(rec.venue)
    where = (f"{venue}, {rec.volume}, {rec.first_page}-{rec.last_page}" if rec.kind == "article"
             else f"{venue} Press" if rec.kind == "book"
             else f"In Proceedings of the {venue}, {rec.first_page}-{rec.last_page}")
    doi = f" https://doi.org/{rec.doi}" if rec.doi else ""
    return f"[{number}] {authors} ({rec.year}). {plain(rec.title)}. {where}.{doi}"


def bib_records(entries: int, *, seed: int = 8, prefix: str = "ref") -> list[BibRecord]:
    rng = random.Random(f"{seed}:bib:{prefix}")
    return [bib_record(f"{prefix}{n:05d}", rng) for n in range(1, entries + 1)]


def bibtex_text(entries: int, *, seed: int = 8, prefix: str = "ref") -> str:
    """A ``.bib`` text of ``entries`` generated entries (keys ``{prefix}00001``...)."""
    return "\n".join(render_bibtex(r) for r in bib_records(entries, seed=seed, prefix=prefix))


def _marker(rng: random.Random, refs: int) -> str:
    first = rng.randint(1, refs)
    style = rng.random()
    if style < 0.6 or first + 2 > refs:
        return f"[{first}]"
    if style < 0.8:
        return f"[{first}, {first + 2}]"
    return f"[{first}-{first + 2}]"


def paper_text(spec: SynthSpec, i: int, names: Sequence[str] = ()) -> tuple[str, str]:
    """Paper ``i`` as plain text with its ``.bib``: numbered headings, wrapped paragraphs,
    ``[n]`` markers, mentions of ``names`` (instrument names or aliases; generated
    ones by default) with article numbers, and a numbered reference list."""
    rng = random.Random(f"{spec.seed}:text:{i}")
    names = list(names) or [instrument_name(k) for k in range(spec.instruments)]
    refs = spec.refs
    records = bib_records(refs, seed=spec.seed, prefix=f"p{i}r")
    bib = "\n".join(render_bibtex(r) for r in records)
    out = [_title(rng, 5, 10), "", f"{rng.choice(SURNAMES)} {rng.choice(SURNAMES)}", "",
           "Abstract", _wrap(" ".join(_sentence(rng) for _ in range(4))), ""]
    for number in _section_numbers(spec):
        dot = "." if "." not in number else ""
        out += [f"{number}{dot} {_title(rng, 2, 6)}", ""]
        for _ in range(2):
            sentences = []
            for _ in range(spec.sentences):
                sentence = _sentence(rng)
                if names and rng.random() < spec.mention_rate * 2:
                    words = sentence.split(" ")
                    pos = rng.randrange(1, len(words))
                    words.insert(pos, f"Article {rng.randint(1, spec.articles)} of the "
                                      f"{rng.choice(names)}")
                    sentence = " ".join(words)
                if rng.random() < spec.marker_rate:
                    sentence += _marker(rng, refs)
                sentences.append(sentence)
            out += [_wrap(" ".join(sentences)), ""]
    out += ["References", ""]
    out.extend(render_reference(n, rec) for n, rec in enumerate(records, 1))
    return "\n".join(out) + "\n", bib


@dataclass(frozen=True, slots=True)
class TextCorpus:
    """Files written by :func:`write_text_corpus` and their total size in bytes."""

    papers: tuple[Path, ...]
    bibs: tuple[Path, ...]
    paper_bytes: int
    bib_bytes: int


def write_text_corpus(spec: SynthSpec, directory: Path,
                      names: Sequence[str] = ()) -> TextCorpus:
    """Write ``paper-NNNNNN.txt`` and ``paper-NNNNNN.bib`` for every paper of ``spec``."""
    directory.mkdir(parents=True, exist_ok=True)
    papers, bibs = [], []
    paper_bytes = bib_bytes = 0
    for i in range(spec.papers):
        text, bib = paper_text(spec, i, names)
        paper = directory / f"paper-{i:06d}.txt"
        bibfile = paper.with_suffix(".bib")
        paper_bytes += paper.write_bytes(text.encode("utf-8"))
        bib_bytes += bibfile.write_bytes(bib.encode("utf-8"))
        papers.append(paper)
        bibs.append(bibfile)
    return TextCorpus(tuple(papers), tuple(bibs), paper_bytes, bib_bytes)
