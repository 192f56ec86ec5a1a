"""Deterministic identifiers: the same input always yields the same ids.

Instruments are named by their Akoma Ntoso FRBR work IRI, articles by that IRI plus an
Akoma Ntoso eId, works by DOI, BibTeX key or normalised title and year.

Examples
--------
>>> akn_work_iri("cn", "act", "1997-03-14", "criminal-law")
'/akn/cn/act/1997-03-14/criminal-law'
>>> article_id("/akn/cn/act/1997-03-14/criminal-law", article_eid("363", para=1))
'article:/akn/cn/act/1997-03-14/criminal-law#art_363__para_1'
>>> article_eid("17-1")
'art_17-1'
>>> work_id_from_doi("https://doi.org/10.1000/XYZ")
'work:doi:10.1000/xyz'
"""

from __future__ import annotations

import re

from citegraph.errors import ModelError
from citegraph.text import slugify

__all__ = ["slugify"]  # re-exported: ids are made of slugs

_DOI = re.compile(r"10\.\d{4,9}/\S+", re.IGNORECASE)


def akn_work_iri(country: str, doctype: str, date: str, name: str) -> str:
    """The FRBR work IRI ``/akn/{country}/{doctype}/{date}/{name}``."""
    for part in (country, doctype, date, name):
        if not part or "/" in part or any(c.isspace() for c in part):
            raise ModelError(f"bad Akoma Ntoso IRI component {part!r}")
    return f"/akn/{country}/{doctype}/{date}/{name}"


def instrument_id(work_iri: str) -> str:
    """``instrument:`` plus the work IRI (or a ``/unresolved/...`` pseudo-IRI)."""
    if not work_iri.startswith("/"):
        raise ModelError(f"work IRI must start with '/': {work_iri!r}")
    return f"instrument:{work_iri}"


def unresolved_instrument_id(name: str) -> str:
    """Id of an instrument named in a text that matches nothing in the catalog."""
    return instrument_id(f"/unresolved/{slugify(name)}")


def work_iri_of(instrument_node_id: str) -> str:
    """Inverse of :func:`instrument_id`."""
    if not instrument_node_id.startswith("instrument:"):
        raise ModelError(f"not an instrument id: {instrument_node_id!r}")
    return instrument_node_id.removeprefix("instrument:")


def article_eid(article: str, para: int | None = None, item: str | None = None) -> str:
    """The Akoma Ntoso eId of an article, paragraph or item.

    ``article`` is the normalised number (``"34"``, ``"17-1"`` for 第十七条之一).

    >>> article_eid("3", para=1, item="c")
    'art_3__para_1__item_c'
    """
    eid = f"art_{article}"
    if para is not None:
        eid += f"__para_{para}"
    if item is not None:
        eid += f"__item_{item}"
    return eid


def article_id(work_iri: str, eid: str) -> str:
    """``article:{work IRI}#{eId}``."""
    return f"article:{work_iri}#{eid}"


def work_id(slug: str) -> str:
    """Id of an ingested work named by a slug, e.g. ``work:seed-paper``."""
    return f"work:{slugify(slug)}"


def normalise_doi(text: str) -> str | None:
    """Return the bare lower-case DOI found in ``text`` (a DOI or a doi.org URL), or None."""
    match = _DOI.search(text)
    return match.group(0).rstrip(".,;").lower() if match else None


def work_id_from_doi(doi: str) -> str:
    bare = normalise_doi(doi)
    if bare is None:
        raise ModelError(f"not a DOI: {doi!r}")
    return f"work:doi:{bare}"


def work_id_from_bibkey(key: str) -> str:
    return f"work:bib:{key.strip()}"


def work_id_from_title_year(title: str, year: int | str | None) -> str:
    return f"work:ty:{slugify(title, 60)}-{year or 'nd'}"


def unresolved_reference_id(paper_slug: str, number: int) -> str:
    """Placeholder for marker ``[number]`` of a paper whose reference is unknown."""
    return f"work:ref:{slugify(paper_slug)}/{number}"


def section_id(paper_slug: str, number: str) -> str:
    """``section:{paper}/{number}``, e.g. ``section:seed-paper/3.1.2``."""
    return f"section:{slugify(paper_slug)}/{number}"


def concept_id(slug: str) -> str:
    return f"concept:{slugify(slug)}"


def jurisdiction_id(code: str) -> str:
    """``jurisdiction:CN`` for ISO 3166 codes, ``jurisdiction:org/un`` for organisations."""
    if code.lower().startswith("org/"):
        return f"jurisdiction:org/{slugify(code[4:])}"
    return f"jurisdiction:{code.upper()}"
