"""Mentions of instruments in the seed paper, by (section, instrument), against the hand
annotation ``tests/data/seed_mentions_gold.yaml`` (every annotated sentence, its section, the
instruments a careful reader sees, including the OCR-garbled Table 1 read as a reader
reconstructs it).

A sentence's targets are those of the MENTIONS edges starting in it; an article mention
counts for its instrument; ``unresolved:<name>`` matches any unresolved instrument whose
label contains the name. Sentences come from the paper reader (``ingest.paper``), not from
the annotation.

Run: ``.venv/bin/python -m benchmarks.accuracy_mentions [--details]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "corpus" / "seed-paper.txt"
GOLD = REPO / "tests" / "data" / "seed_mentions_gold.yaml"


def _instrument(target: str) -> str | None:
    if target.startswith("article:"):
        return "instrument:" + target.removeprefix("article:").split("#", 1)[0]
    if target.startswith(("instrument:", "unresolved:")):
        return target
    return None


def evaluate(details: bool = False) -> tuple[int, int, int, int]:
    """(right among read, read, found among expected, expected) over (section, instrument)."""
    from citegraph.catalog import default_catalog_dir, load_catalog
    from ingest.mentions import extract_mentions
    from ingest.paper import parse_paper

    text = SEED.read_text(encoding="utf-8")
    sentences = parse_paper(text, file=str(SEED), slug="seed-paper").sentences
    nodes, rels = extract_mentions(sentences, load_catalog(default_catalog_dir()),
                                   document="work:seed-paper")
    labels = {n.id: n.label.casefold() for n in nodes}
    unresolved = {n.id for n in nodes if n.props.get("status") == "unresolved"}
    expected: set[tuple[str, str]] = set()
    read: set[tuple[str, str]] = set()
    for item in yaml.safe_load(GOLD.read_text(encoding="utf-8"))["sentences"]:
        hits = [s for s in sentences if item["anchor"] in " ".join(s.text.split())]
        if len(hits) != 1:
            hits = [s for s in hits if s.locator == item.get("section")] or hits[:1]
        if not hits:
            continue
        s = hits[0]
        expected |= {(s.node_id, t) for t in map(_instrument, item["targets"]) if t}
        read |= {(s.node_id, t) for r in rels if r.provenance.span is not None
                 and s.start <= r.provenance.span[0] < s.end
                 and (t := _instrument(r.target))}

    def same(got: tuple[str, str], want: tuple[str, str]) -> bool:
        if got[0] != want[0]:
            return False
        if want[1].startswith("unresolved:"):
            return got[1] in unresolved and want[1][11:].casefold() in labels.get(got[1], "")
        return got == want

    right = sum(any(same(g, w) for w in expected) for g in read)
    found = sum(any(same(g, w) for g in read) for w in expected)
    if details:
        for g in sorted(read):
            if not any(same(g, w) for w in expected):
                print("  spurious", g)
        for w in sorted(expected):
            if not any(same(g, w) for g in read):
                print("  missed", w)
    return right, len(read), found, len(expected)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--details", action="store_true")
    args = parser.parse_args(argv)
    right, read, found, expected = evaluate(args.details)
    print(f"seed paper mentions by (section, instrument): expected {expected}, read {read}, "
          f"precision {right / max(read, 1):.3f}, recall {found / max(expected, 1):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
