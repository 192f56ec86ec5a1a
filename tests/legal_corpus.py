"""Where the shared legal corpus lives (read at test time, never copied)."""

from __future__ import annotations

import os
from pathlib import Path

SHARED = Path(os.environ.get("CITEGRAPH_SHARED")
              or Path(__file__).resolve().parents[1].parent / "shared")
LEGAL = SHARED / "corpus" / "legal"

CRIMINAL_LAW_IRI = "/akn/cn/act/1997-03-14/criminal-law"
CRC_IRI = "/akn/un/treaty/1989-11-20/crc"
OPSC_IRI = "/akn/un/treaty/2000-05-25/opsc"
INTERPRETATION_2004_IRI = "/akn/cn/judgment/2004-09-03/spc-spp-obscene-electronic-info"

#: A stand-in for the catalog's resolver: a few names, nothing else.
NAMES = {
    "刑法": CRIMINAL_LAW_IRI,
    "中华人民共和国刑法": CRIMINAL_LAW_IRI,
    "Convention on the Rights of the Child": CRC_IRI,
    "Optional Protocol to the Convention on the Rights of the Child on the sale of children, "
    "child prostitution and child pornography": OPSC_IRI,
}


def resolve(name: str) -> str | None:
    return NAMES.get(name)
