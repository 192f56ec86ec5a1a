"""Cross-references of the legal-text reader against a hand-checked sample.

The sample (``benchmarks/data/crossrefs_sample.tsv``) names, for 75 articles of the real
corpus (45 Chinese, 30 treaty/GDPR articles, chosen by the lowest sha256 of ``file|number``
among the articles holding a reference-like phrase, so not picked by hand), every reference
a careful reader finds: ``same:N`` (this text's article N) or ``other:NAME[:N]`` (another
instrument, by its short name, and its article). Forms (《…通知书》, 《…表》) and "this
Convention", "paragraph 1 of this Article" are no references to another article.

A reference the reader gives counts when its target matches: same article, or another
instrument whose folded name contains the expected short name (or is contained in it) and
the same article number. Precision and recall are computed within the text and to other
instruments separately.

Run: ``.venv/bin/python -m benchmarks.accuracy_crossrefs [--details]``.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from benchmarks.accuracy_legal import REAL

DATA = Path(__file__).resolve().parent / "data"
SAMPLE = DATA / "crossrefs_sample.tsv"
#: Annotated after the rules were fixed on SAMPLE: the honest figure.
HELD_OUT = DATA / "crossrefs_heldout.tsv"
Target = tuple[str, str, str]  # (kind "same"/"other", folded name, article or "")


def _fold(name: str) -> str:
    name = name.replace("_", " ").strip("《》〈〉 ").removeprefix("中华人民共和国").casefold()
    return name.removeprefix("the ")


def load_sample(path: Path = SAMPLE) -> dict[tuple[str, str], set[Target]]:
    sample: dict[tuple[str, str], set[Target]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        file, article, *rest = line.split("\t")
        targets: set[Target] = set()
        for item in (rest[0].split() if rest else []):
            kind, _, tail = item.partition(":")
            if kind == "same":
                targets.add(("same", "", tail))
            else:
                name, _, number = tail.partition(":")
                targets.add(("other", _fold(name), number))
        sample[(file, article)] = targets
    return sample


def read_targets(file: str) -> dict[str, set[Target]]:
    """Per article number: the targets of the reader's REFERS_TO / INTERPRETS edges."""
    from citegraph.model import NodeType, RelType
    from ingest.legal import read_legal_text

    _REFERENCE_TYPES = (RelType.REFERS_TO, RelType.INTERPRETS, RelType.AMENDS)  # noqa: N806
    doc = read_legal_text(REAL / file)
    nodes = {n.id: n for n in doc.batch.nodes}
    own = f"article:{nodes[doc.batch.document].props['work_iri']!s}#"
    out: dict[str, set[Target]] = defaultdict(set)
    for rel in doc.batch.relationships:
        source = nodes.get(rel.source)
        if rel.type not in _REFERENCE_TYPES or source is None or \
                source.type is not NodeType.ARTICLE:
            continue
        number = str(source.props["number"])
        if rel.target.startswith(own):
            out[number].add(("same", "", rel.target[len(own):].removeprefix("art_")))
            continue
        target = nodes.get(rel.target)
        article = str(target.props.get("number", "")) if target is not None else ""
        instrument = nodes.get(str(target.props.get("document", ""))) if (
            target is not None and article) else target
        name = "" if instrument is None else str(instrument.props.get("name")
                                                 or instrument.label)
        out[number].add(("other", _fold(name), article))
    return out


def _matches(got: Target, want: Target) -> bool:
    if got[0] != want[0] or got[2] != want[2]:
        return False
    return got[0] == "same" or bool(got[1] and want[1] and (got[1] in want[1]
                                                            or want[1] in got[1]))


def score(details: bool, path: Path = SAMPLE) -> dict[str, tuple[int, int, int, int]]:
    """Per kind: (right among read, read, found among expected, expected)."""
    counts = {"same": [0, 0, 0, 0], "other": [0, 0, 0, 0]}
    cache: dict[str, dict[str, set[Target]]] = {}
    for (file, article), wanted in load_sample(path).items():
        if file not in cache:
            cache[file] = read_targets(file)
        got = cache[file].get(article, set())
        for kind in counts:
            g = [t for t in got if t[0] == kind]
            w = [t for t in wanted if t[0] == kind]
            hit_g = sum(any(_matches(t, x) for x in w) for t in g)
            hit_w = sum(any(_matches(x, t) for x in g) for t in w)
            counts[kind][0] += hit_g
            counts[kind][1] += len(g)
            counts[kind][2] += hit_w
            counts[kind][3] += len(w)
            if details and (hit_g < len(g) or hit_w < len(w)):
                print(f"  {file[:40]} art {article} {kind}: read {sorted(g)} expected "
                      f"{sorted(w)}")
    return {k: (v[0], v[1], v[2], v[3]) for k, v in counts.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--details", action="store_true")
    args = parser.parse_args(argv)
    for path in (SAMPLE, HELD_OUT):
        result = score(args.details, path)
        articles = len(load_sample(path))
        for kind, (right, read, found, expected) in result.items():
            label = "within the text" if kind == "same" else "to other instruments"
            precision = right / read if read else 1.0
            recall = found / expected if expected else 1.0
            print(f"{path.stem}: cross-references {label}: {articles} articles, expected "
                  f"{expected}, read {read}, precision {precision:.2f}, recall {recall:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
