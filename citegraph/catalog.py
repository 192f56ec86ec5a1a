"""The curated catalog of instruments, concepts and jurisdictions (``data/catalog/*.yaml``).

The pydantic models below are the catalog's schema; :func:`load_catalog` validates every file
and entry and raises :class:`~citegraph.errors.CatalogError` naming the file and the entry;
:func:`catalog_batch` turns the catalog into graph nodes and relationships (document
``"catalog"``); :meth:`Catalog.resolve_name` maps any name, alias or abbreviation of an
instrument to its Akoma Ntoso work IRI.

Examples
--------
>>> cat = load_catalog(default_catalog_dir())
>>> cat.resolve_name("刑法")
'/akn/cn/act/1997-03-14/criminal-law'
>>> cat.resolve_name("  the UN  Convention on the rights of the child ")
'/akn/un/treaty/1989-11-20/crc'
>>> cat.resolve_name("Children's Internet Safety Act") is None
True
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from citegraph import ids
from citegraph.errors import CatalogError
from citegraph.model import GraphBatch, Node, NodeType, Provenance, Relationship, RelType
from citegraph.text import collapse_spaces, normalise_name

CATALOG_DOCUMENT = "catalog"
CATALOG_METHOD = "catalog"

InstrumentKind = Literal[
    "treaty", "optional_protocol", "statute", "amendment", "legislative_decision",
    "judicial_interpretation", "directive", "framework_decision", "recommendation",
    "charter", "resolution",
]
InstrumentRelType = Literal["SUPPLEMENTS", "AMENDS", "IMPLEMENTS", "INTERPRETS", "SUPERSEDES"]
AdoptionType = Literal["ENACTED", "RATIFIED", "SIGNED"]

_IRI = re.compile(r"^/akn/(?P<juris>[a-z][a-z0-9-]*)/(?P<doctype>[a-z][a-z-]*)/"
                  r"(?P<date>\d{4}(?:-\d{2}-\d{2})?)/(?P<name>[a-z0-9][a-z0-9-]*)$")
_ARTICLE_NUMBER = re.compile(r"^\d+(?:-\d+)?$")
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_CODE = re.compile(r"^(?:[A-Z]{2}|org/[a-z][a-z0-9-]*)$")

#: The files of a catalog directory, in load order; all but groups.yaml are required.
CATALOG_FILES = ("meta.yaml", "jurisdictions.yaml", "instruments.yaml", "relations.yaml",
                 "adoptions.yaml", "concepts.yaml", "groups.yaml")
_OPTIONAL_FILES = frozenset({"groups.yaml"})

_M = TypeVar("_M", bound=BaseModel)

#: Confidence of a name matched without or with an organisation prefix, or by designator.
VARIANT_CONFIDENCE = 0.9
#: Confidence of a name found inside a longer catalogued name (times the name's own).
CONTAINED_CONFIDENCE = 0.7
_MIN_CONTAINED_WORDS = 3
_FUNCTION_WORDS = frozenset({
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the",
    "to", "with", "concerning", "against"})
_INSTRUMENT_WORDS = frozenset({
    "act", "charter", "code", "constitution", "convention", "covenant", "decision",
    "declaration", "directive", "law", "protocol", "recommendation", "statute", "treaty"})
_DESIGNATOR = re.compile(r"\b((?:convention|protocol|recommendation|c?ets)\s+(?:no\.?\s*)?"
                         r"\d{1,3})(?![\w/.-])")


@dataclass(frozen=True, slots=True)
class NameMatch:
    """How :meth:`Catalog.match_name` read a name: the instrument, the rule, the certainty."""

    iri: str
    method: Literal["exact", "variant", "contained"]
    confidence: float


def _words(folded: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[\w'-]+", folded))


def _strip_prefix(folded: str, prefixes: tuple[str, ...]) -> str:
    """``ilo convention no. 182`` → ``convention no. 182`` (an organisation's name in front)."""
    for prefix in prefixes:
        if folded.startswith(prefix + " ") or folded.startswith(prefix + "'s "):
            rest = folded[len(prefix):].removeprefix("'s").strip()
            return re.sub(r"^the ", "", rest) if len(_words(rest)) >= 2 else folded
    return folded


def _designators(folded: str, *, leading: bool = False) -> list[str]:
    """``convention no 182`` keys in a folded name (only at its start when ``leading``)."""
    found = []
    for match in _DESIGNATOR.finditer(folded):
        if leading and match.start() > 0:
            break
        found.append(re.sub(r"\s*no\.?\s*|\s+", " ", match.group(1)).strip())
    return found


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class VariantName(_Entry):
    """A name used in the literature that differs from the record, resolved with doubt."""

    name: str = Field(min_length=1)
    confidence: float = Field(gt=0.0, lt=1.0)
    note: str = Field(min_length=1)


class ArticleRef(_Entry):
    """An article of a catalogued instrument: instrument key and normalised number."""

    instrument: str
    article: str

    @field_validator("article", mode="before")
    @classmethod
    def _article_number(cls, value: object) -> object:
        text = str(value) if isinstance(value, int) else value
        if not isinstance(text, str) or not _ARTICLE_NUMBER.match(text):
            raise ValueError(f"article number must look like '34' or '286-1', got {value!r}")
        return text


class InstrumentEntry(_Entry):
    """A treaty, statute, judicial interpretation, directive, recommendation or charter."""

    key: str
    iri: str
    kind: InstrumentKind
    jurisdiction: str
    official_name: str = Field(min_length=1)
    short_name: str | None = None
    name_zh: str | None = None
    adopted: dt.date
    in_force: dt.date | None = None
    first_adopted: dt.date | None = None
    revisions: list[dt.date] = Field(default_factory=list)
    citation: str | None = None
    aliases: list[str] = Field(default_factory=list)
    exact_aliases: list[str] = Field(default_factory=list)
    variant_names: list[VariantName] = Field(default_factory=list)
    notes: str | None = None

    @field_validator("iri")
    @classmethod
    def _iri_shape(cls, value: str) -> str:
        if not _IRI.match(value):
            raise ValueError(f"not an Akoma Ntoso work IRI /akn/juris/doctype/date/name: "
                             f"{value!r}")
        return value

    @field_validator("official_name", "short_name", "notes")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        return None if value is None else collapse_spaces(value)

    @property
    def year(self) -> int:
        return self.adopted.year

    @property
    def node_id(self) -> str:
        return ids.instrument_id(self.iri)

    @property
    def display_name(self) -> str:
        return self.short_name or self.official_name

    def names(self) -> list[str]:
        """Every name the instrument goes by (official, short, Chinese, aliases)."""
        names = [self.official_name, self.short_name, self.name_zh, *self.aliases,
                 *self.exact_aliases]
        return [n for n in dict.fromkeys(names) if n]


class JurisdictionEntry(_Entry):
    """A state (ISO 3166-1 alpha-2 code) or an organisation (``org/<slug>``)."""

    code: str
    name: str
    official_name: str | None = None
    name_zh: str | None = None
    kind: Literal["state", "organisation"]
    aliases: list[str] = Field(default_factory=list)
    exact_aliases: list[str] = Field(default_factory=list)
    demonyms: list[str] = Field(default_factory=list)
    member_of: str | None = None

    @field_validator("code")
    @classmethod
    def _code_shape(cls, value: str) -> str:
        if not _CODE.match(value):
            raise ValueError(f"code must be an ISO 3166-1 alpha-2 code or org/<slug>: {value!r}")
        return value

    @property
    def node_id(self) -> str:
        return ids.jurisdiction_id(self.code)


class ConceptEntry(_Entry):
    """A legal concept with its aliases and the articles that define or treat it."""

    slug: str
    label: str
    label_zh: str | None = None
    instrument_term: str | None = None
    current_term: str | None = None
    aliases: list[str] = Field(default_factory=list)
    exact_aliases: list[str] = Field(default_factory=list)
    description: str | None = None
    defined_in: list[ArticleRef] = Field(default_factory=list)
    addressed_in: list[ArticleRef] = Field(default_factory=list)

    @property
    def node_id(self) -> str:
        return ids.concept_id(self.slug)


class RelationEntry(_Entry):
    """A relation between two catalogued instruments, optionally down to articles."""

    key: str
    type: InstrumentRelType
    source: str
    target: str
    target_articles: list[str] = Field(default_factory=list)
    note: str | None = None

    @field_validator("target_articles")
    @classmethod
    def _numbers(cls, value: list[str]) -> list[str]:
        for number in value:
            if not _ARTICLE_NUMBER.match(number):
                raise ValueError(f"article number must look like '34' or '286-1': {number!r}")
        return value


class AdoptionEntry(_Entry):
    """A jurisdiction's enactment, signature or ratification of an instrument."""

    key: str
    type: AdoptionType
    jurisdiction: str
    instrument: str
    date: dt.date
    domestic_approval: dt.date | None = None
    note: str | None = None


class GroupEntry(_Entry):
    """A collective name ("the two judicial interpretations") for several instruments."""

    key: str
    members: list[str] = Field(min_length=2)
    aliases: list[str] = Field(default_factory=list)
    variant_names: list[VariantName] = Field(default_factory=list)


class Catalog(_Entry):
    """The whole validated catalog. Build it with :func:`load_catalog`."""

    version: str
    instruments: dict[str, InstrumentEntry]
    jurisdictions: dict[str, JurisdictionEntry]
    concepts: dict[str, ConceptEntry]
    relations: dict[str, RelationEntry] = Field(default_factory=dict)
    adoptions: dict[str, AdoptionEntry] = Field(default_factory=dict)
    groups: dict[str, GroupEntry] = Field(default_factory=dict)
    _by_iri: dict[str, InstrumentEntry] = PrivateAttr(default_factory=dict)
    _names: dict[str, str] = PrivateAttr(default_factory=dict)
    #: Names without an organisation prefix and ``Convention No. N`` designators; None when
    #: two instruments share the key (never guessed).
    _loose: dict[str, str | None] = PrivateAttr(default_factory=dict)
    #: (words, IRI, confidence) of every name of three words or more, for containment.
    _long_names: list[tuple[tuple[str, ...], str, float]] = PrivateAttr(default_factory=list)
    #: Derived structures other modules build once per catalog (e.g. the mention automaton).
    _cache: dict[str, Any] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        self._by_iri.update({e.iri: e for e in self.instruments.values()})
        for entry in self.instruments.values():
            for name in (*entry.names(), *(v.name for v in entry.variant_names), entry.iri,
                         entry.key):
                self._names.setdefault(normalise_name(name), entry.iri)
        prefixes = self._organisation_prefixes()
        for entry in self.instruments.values():
            named = [(n, 1.0) for n in entry.names()]
            named += [(v.name, v.confidence) for v in entry.variant_names]
            for name, confidence in named:
                folded = normalise_name(name)
                for key in {_strip_prefix(folded, prefixes), *_designators(folded)}:
                    if key and key != folded and key not in self._names:
                        known = self._loose.get(key, entry.iri)
                        self._loose[key] = entry.iri if known == entry.iri else None
                words = _words(folded)
                if len(words) >= _MIN_CONTAINED_WORDS:
                    self._long_names.append((words, entry.iri, confidence))

    @property
    def cache(self) -> dict[str, Any]:
        """A per-catalog scratch space for derived indexes (never part of the data)."""
        return self._cache

    def resolve_name(self, name: str) -> str | None:
        """The work IRI of the instrument called ``name``, or None.

        Matches the official, short and Chinese names, aliases, abbreviations, variant
        names, the catalog key and the IRI itself, ignoring case, spacing, NFKC differences,
        a leading "the" and surrounding quotes or title marks; failing that, the looser
        readings of :meth:`match_name`.

        >>> load_catalog(default_catalog_dir()).resolve_name("OPSC")
        '/akn/un/treaty/2000-05-25/opsc'
        """
        match = self.match_name(name)
        return match.iri if match is not None else None

    def match_name(self, name: str) -> NameMatch | None:
        """The instrument called ``name``, how it was matched and how sure the match is.

        In order: a listed name (``exact``); the name without or with an organisation's
        name or abbreviation in front (``ILO``, ``United Nations``), or a numbered
        designator it starts with (``Convention No. 182 on ...``) (``variant``); the name as
        a run of whole words inside exactly one instrument's name of three words or more,
        when it has two content words and says what kind of instrument it is
        (``contained``, for names cut short by a line break).

        >>> cat = load_catalog(default_catalog_dir())
        >>> cat.match_name("Convention No. 182 on the Worst Forms of Child Labour")
        NameMatch(iri='/akn/ilo/treaty/1999-06-17/c182', method='variant', confidence=0.9)
        >>> cat.match_name("Charter of the United Nations Children's Fund") is None
        True
        """
        folded = normalise_name(name)
        if not folded:
            return None
        iri = self._names.get(folded)
        if iri is not None:
            return NameMatch(iri, "exact", 1.0)
        stripped = _strip_prefix(folded, self._organisation_prefixes())
        for key in dict.fromkeys([stripped, *_designators(stripped, leading=True)]):
            iri = self._names.get(key) or self._loose.get(key)
            if iri is not None:
                return NameMatch(iri, "variant", VARIANT_CONFIDENCE)
        return self._contained(_words(stripped))

    def _contained(self, words: tuple[str, ...]) -> NameMatch | None:
        content = [w for w in words if w not in _FUNCTION_WORDS]
        if (len(words) < _MIN_CONTAINED_WORDS or len(content) < 2
                or not _INSTRUMENT_WORDS.intersection(words)):
            return None
        found: dict[str, float] = {}
        n = len(words)
        for long_words, iri, confidence in self._long_names:
            if any(long_words[i:i + n] == words for i in range(len(long_words) - n + 1)):
                found[iri] = max(found.get(iri, 0.0), confidence)
        if len(found) != 1:
            return None
        [(iri, confidence)] = found.items()
        return NameMatch(iri, "contained", round(CONTAINED_CONFIDENCE * confidence, 3))

    def _organisation_prefixes(self) -> tuple[str, ...]:
        """Folded names and abbreviations of the catalogued organisations, longest first."""
        cached = self._cache.get("catalog.organisation_prefixes")
        if isinstance(cached, tuple):
            return cached
        names = {normalise_name(n) for j in self.jurisdictions.values()
                 if j.kind == "organisation"
                 for n in (j.name, *j.aliases, *j.exact_aliases) if n.isascii()}
        prefixes = tuple(sorted((n for n in names if n), key=len, reverse=True))
        self._cache["catalog.organisation_prefixes"] = prefixes
        return prefixes

    def instrument(self, work_iri: str) -> InstrumentEntry:
        """The entry of the instrument with this work IRI (``KeyError`` if unknown)."""
        try:
            return self._by_iri[work_iri]
        except KeyError:
            raise KeyError(f"no catalogued instrument with IRI {work_iri!r}") from None

    def has_instrument(self, work_iri: str) -> bool:
        return work_iri in self._by_iri

    def iter_instruments(self) -> Iterator[InstrumentEntry]:
        return iter(self.instruments.values())

    def iter_concepts(self) -> Iterator[ConceptEntry]:
        return iter(self.concepts.values())

    def iter_jurisdictions(self) -> Iterator[JurisdictionEntry]:
        return iter(self.jurisdictions.values())


# ---------------------------------------------------------------------------------------
# loading


def default_catalog_dir() -> Path:
    """``data/catalog`` of the checkout, else the copy installed with the package."""
    from citegraph.settings import default_catalog_dir as located

    return located()


def _read_yaml(path: Path) -> Mapping[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogError(f"cannot read catalog file: {exc.strerror}", file=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise CatalogError("catalog file is not UTF-8", file=str(path)) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CatalogError(f"invalid YAML: {getattr(exc, 'problem', exc)}", file=str(path),
                           line=None if mark is None else mark.line + 1,
                           column=None if mark is None else mark.column + 1) from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CatalogError("a catalog file must be a mapping of entry keys to entries",
                           file=str(path))
    return data


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        parts.append(f"{loc}: {err['msg']}" if loc else err["msg"])
    return "; ".join(parts)


def _entries(path: Path, data: Mapping[str, Any], model: type[_M],
             key_field: str) -> dict[str, _M]:
    entries: dict[str, _M] = {}
    for raw_key, body in data.items():
        key = str(raw_key)
        if not isinstance(body, dict):
            raise CatalogError("entry must be a mapping", file=str(path), place=key)
        if key_field in body and str(body[key_field]) != key:
            raise CatalogError(f"{key_field} {body[key_field]!r} differs from the entry key",
                               file=str(path), place=key)
        try:
            entries[key] = model.model_validate({**body, key_field: key})
        except ValidationError as exc:
            raise CatalogError(_describe(exc), file=str(path), place=key) from exc
    return entries


def _check_keys(path: Path, keys: Mapping[str, Any], pattern: re.Pattern[str]) -> None:
    for key in keys:
        if not pattern.match(key):
            raise CatalogError(f"bad entry key (expected {pattern.pattern})", file=str(path),
                               place=key)


def _check_instrument(path: Path, entry: InstrumentEntry,
                      jurisdictions: Mapping[str, JurisdictionEntry]) -> None:
    where: dict[str, Any] = {"file": str(path), "place": entry.key}
    if entry.jurisdiction not in jurisdictions:
        raise CatalogError(f"unknown jurisdiction {entry.jurisdiction!r}", **where)
    match = _IRI.match(entry.iri)
    assert match is not None  # checked by the model
    expected = entry.jurisdiction.lower().removeprefix("org/")
    if match["juris"] != expected:
        raise CatalogError(f"IRI jurisdiction {match['juris']!r} should be {expected!r}", **where)
    if match["date"] != entry.adopted.isoformat():
        raise CatalogError(f"IRI date {match['date']} differs from adopted "
                           f"{entry.adopted.isoformat()}", **where)
    if entry.in_force is not None and entry.in_force < entry.adopted:
        raise CatalogError("in_force precedes adopted", **where)


def _check_article_refs(path: Path, owner: str, refs: list[ArticleRef],
                        instruments: Mapping[str, InstrumentEntry]) -> None:
    for ref in refs:
        if ref.instrument not in instruments:
            raise CatalogError(f"unknown instrument {ref.instrument!r}", file=str(path),
                               place=owner)


def _check_unique_names(files: Mapping[str, Path], cat: Catalog) -> None:
    """No two catalogued things may share a folded name (it would make mentions ambiguous)."""
    owners: dict[str, tuple[str, str]] = {}

    def claim(name: str, kind: str, key: str, file: str) -> None:
        folded = normalise_name(name)
        if not folded:
            raise CatalogError(f"empty name {name!r}", file=str(files[file]), place=key)
        owner = f"{kind} {key}"
        previous = owners.setdefault(folded, (owner, file))
        if previous[0] != owner:
            raise CatalogError(f"name {name!r} is also used by {previous[0]} "
                               f"({files[previous[1]].name})", file=str(files[file]),
                               place=key)

    for inst in cat.instruments.values():
        for name in (*inst.names(), *(v.name for v in inst.variant_names)):
            claim(name, "instrument", inst.key, "instruments.yaml")
    for juris in cat.jurisdictions.values():
        for name in (juris.name, *juris.aliases, *juris.exact_aliases, *juris.demonyms):
            claim(name, "jurisdiction", juris.code, "jurisdictions.yaml")
    for concept in cat.concepts.values():
        for name in (*concept.aliases, *concept.exact_aliases):
            claim(name, "concept", concept.slug, "concepts.yaml")
    for group in cat.groups.values():
        for name in (*group.aliases, *(v.name for v in group.variant_names)):
            claim(name, "group", group.key, "groups.yaml")


def _check_references(files: Mapping[str, Path], cat: Catalog) -> None:
    for inst in cat.instruments.values():
        _check_instrument(files["instruments.yaml"], inst, cat.jurisdictions)
    iris: dict[str, str] = {}
    for inst in cat.instruments.values():
        if (other := iris.setdefault(inst.iri, inst.key)) != inst.key:
            raise CatalogError(f"IRI {inst.iri} is also used by {other}",
                               file=str(files["instruments.yaml"]), place=inst.key)
    for juris in cat.jurisdictions.values():
        if juris.member_of is not None and juris.member_of not in cat.jurisdictions:
            raise CatalogError(f"unknown organisation {juris.member_of!r}",
                               file=str(files["jurisdictions.yaml"]), place=juris.code)
    for rel in cat.relations.values():
        for end in (rel.source, rel.target):
            if end not in cat.instruments:
                raise CatalogError(f"unknown instrument {end!r}",
                                   file=str(files["relations.yaml"]), place=rel.key)
        if rel.source == rel.target:
            raise CatalogError("an instrument cannot relate to itself",
                               file=str(files["relations.yaml"]), place=rel.key)
    for adoption in cat.adoptions.values():
        where: dict[str, Any] = {"file": str(files["adoptions.yaml"]), "place": adoption.key}
        if adoption.jurisdiction not in cat.jurisdictions:
            raise CatalogError(f"unknown jurisdiction {adoption.jurisdiction!r}", **where)
        if adoption.instrument not in cat.instruments:
            raise CatalogError(f"unknown instrument {adoption.instrument!r}", **where)
        adopted = cat.instruments[adoption.instrument].adopted
        if adoption.type != "ENACTED" and adoption.date < adopted:
            raise CatalogError(f"{adoption.type} on {adoption.date} precedes adoption on "
                               f"{adopted}", **where)
    for concept in cat.concepts.values():
        _check_article_refs(files["concepts.yaml"], concept.slug,
                            [*concept.defined_in, *concept.addressed_in], cat.instruments)
    for group in cat.groups.values():
        for member in group.members:
            if member not in cat.instruments:
                raise CatalogError(f"unknown instrument {member!r}",
                                   file=str(files["groups.yaml"]), place=group.key)
    _check_unique_names(files, cat)


def load_catalog(directory: Path) -> Catalog:
    """Read and validate the catalog in ``directory``.

    Raises
    ------
    CatalogError
        A file is missing, unreadable or not YAML, or an entry breaks the schema or refers
        to something the catalog does not have; the error names the file and the entry.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise CatalogError("catalog directory not found", file=str(directory))
    unknown = sorted(p.name for p in directory.glob("*.yaml") if p.name not in CATALOG_FILES)
    if unknown:
        raise CatalogError(f"unexpected catalog file(s): {', '.join(unknown)}",
                           file=str(directory))
    files = {name: directory / name for name in CATALOG_FILES}
    data: dict[str, Mapping[str, Any]] = {}
    for name, path in files.items():
        if not path.is_file():
            if name in _OPTIONAL_FILES:
                data[name] = {}
                continue
            raise CatalogError("required catalog file is missing", file=str(path))
        data[name] = _read_yaml(path)

    version = data["meta.yaml"].get("version")
    if not isinstance(version, str) or not version:
        raise CatalogError("meta.yaml must give a version string", file=str(files["meta.yaml"]),
                           place="version")
    for name in ("instruments.yaml", "relations.yaml", "adoptions.yaml", "concepts.yaml",
                 "groups.yaml"):
        _check_keys(files[name], data[name], _KEY)
    cat = Catalog(
        version=version,
        jurisdictions=_entries(files["jurisdictions.yaml"], data["jurisdictions.yaml"],
                               JurisdictionEntry, "code"),
        instruments=_entries(files["instruments.yaml"], data["instruments.yaml"],
                             InstrumentEntry, "key"),
        concepts=_entries(files["concepts.yaml"], data["concepts.yaml"], ConceptEntry, "slug"),
        relations=_entries(files["relations.yaml"], data["relations.yaml"], RelationEntry,
                           "key"),
        adoptions=_entries(files["adoptions.yaml"], data["adoptions.yaml"], AdoptionEntry,
                           "key"),
        groups=_entries(files["groups.yaml"], data["groups.yaml"], GroupEntry, "key"),
    )
    _check_references(files, cat)
    return cat


def catalog_json_schema() -> dict[str, Any]:
    """The JSON Schema of the catalog (the :class:`Catalog` model and its entries)."""
    return Catalog.model_json_schema()


# ---------------------------------------------------------------------------------------
# the graph batch


def _provenance(locator: str, quote: str | None = None) -> Provenance:
    return Provenance(document=CATALOG_DOCUMENT, locator=locator, quote=quote or "",
                      method=CATALOG_METHOD, confidence=1.0)


def _iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def instrument_node(entry: InstrumentEntry) -> Node:
    """The full Instrument node of a catalogued instrument."""
    aliases = [n for n in entry.names() if n not in (entry.official_name,)]
    aliases += [v.name for v in entry.variant_names if v.name not in aliases]
    props: dict[str, Any] = {
        "kind": entry.kind, "official_name": entry.official_name,
        "short_name": entry.short_name, "name_zh": entry.name_zh, "aliases": aliases,
        "adopted": _iso(entry.adopted), "in_force": _iso(entry.in_force),
        "year": entry.year, "jurisdiction": entry.jurisdiction, "notes": entry.notes,
        "work_iri": entry.iri, "catalog_key": entry.key, "citation": entry.citation,
        "first_adopted": _iso(entry.first_adopted), "status": "catalog",
    }
    return Node(entry.node_id, NodeType.INSTRUMENT, entry.display_name, props)


def article_stub(entry: InstrumentEntry, number: str) -> Node:
    """A placeholder Article node (``stub: True``) the legal-text reader completes."""
    return Node(ids.article_id(entry.iri, ids.article_eid(number)), NodeType.ARTICLE,
                f"{entry.display_name} art. {number}",
                {"stub": True, "number": number, "work_iri": entry.iri,
                 "eid": ids.article_eid(number)})


def jurisdiction_node(entry: JurisdictionEntry) -> Node:
    props: dict[str, Any] = {
        "code": entry.code, "kind": entry.kind, "official_name": entry.official_name,
        "name_zh": entry.name_zh,
        "aliases": [n for n in (*entry.aliases, *entry.exact_aliases) if n != entry.name],
        "member_of": entry.member_of,
    }
    return Node(entry.node_id, NodeType.JURISDICTION, entry.name, props)


def concept_node(entry: ConceptEntry) -> Node:
    props: dict[str, Any] = {
        "slug": entry.slug, "label_zh": entry.label_zh,
        "aliases": [*entry.aliases, *entry.exact_aliases], "description": entry.description,
        "instrument_term": entry.instrument_term, "current_term": entry.current_term,
    }
    return Node(entry.node_id, NodeType.CONCEPT, entry.label, props)


def catalog_batch(catalog: Catalog) -> GraphBatch:
    """Nodes and relationships of the whole catalog, as one batch of document ``"catalog"``.

    Instrument, Jurisdiction and Concept nodes are complete; articles the catalog names
    (targets of INTERPRETS and similar, sources of DEFINES/ADDRESSES) are stub nodes, so the
    batch has no dangling endpoint whatever is loaded before or after it.
    """
    nodes: dict[str, Node] = {}
    rels: list[Relationship] = []

    def add(node: Node) -> str:
        nodes.setdefault(node.id, node)
        return node.id

    for inst in catalog.iter_instruments():
        add(instrument_node(inst))
    for juris in catalog.iter_jurisdictions():
        add(jurisdiction_node(juris))
    for concept in catalog.iter_concepts():
        add(concept_node(concept))

    for rel in catalog.relations.values():
        source = catalog.instruments[rel.source]
        target = catalog.instruments[rel.target]
        rtype = RelType(rel.type)
        rels.append(Relationship(source.node_id, target.node_id, rtype,
                                 _provenance(rel.key, rel.note)))
        for number in rel.target_articles:
            stub_id = add(article_stub(target, number))
            rels.append(Relationship(source.node_id, stub_id, rtype,
                                     _provenance(rel.key, rel.note), {"article": number}))

    for adoption in catalog.adoptions.values():
        juris = catalog.jurisdictions[adoption.jurisdiction]
        inst = catalog.instruments[adoption.instrument]
        props: dict[str, Any] = {"date": adoption.date.isoformat(),
                                 "domestic_approval": _iso(adoption.domestic_approval)}
        rels.append(Relationship(juris.node_id, inst.node_id, RelType(adoption.type),
                                 _provenance(adoption.key, adoption.note), props))

    for concept in catalog.iter_concepts():
        for rtype, refs in ((RelType.DEFINES, concept.defined_in),
                            (RelType.ADDRESSES, concept.addressed_in)):
            for ref in refs:
                stub_id = add(article_stub(catalog.instruments[ref.instrument], ref.article))
                rels.append(Relationship(stub_id, concept.node_id, rtype,
                                         _provenance(concept.slug)))
    return GraphBatch.of(CATALOG_DOCUMENT, nodes.values(), rels)
