"""Accuracy of the legal-text reader against an independent count of articles and titles.

The independent count is deliberately another method than the reader's: it does not walk the
text line by line with a state machine but

- collects every line that *looks* like an article heading (Chinese ``第N条`` / ``第N条之M``,
  numbered clauses ``一、`` for texts made of clauses, English/French ``Article N``,
  ``Art. N``, ``Article Nbis``, ``Article premier``/``1er``, Roman numerals; EU print
  ``Article N`` alone on a line),
- keeps the principal text only: for treaties, article headings up to the first annex /
  appendix / protocol / exchange-of-notes heading (other than an article's own title line)
  or the first restart of the numbering (another language version, an annexed instrument);
  for Chinese texts, up to the first 附件 line,
- takes the longest strictly increasing chain of numbers (a longest increasing subsequence,
  not a greedy walk), so quoted or cross-referenced headings out of order drop out,
- skips ``Article N*`` headings (a consolidated text marks an amending protocol's own
  clauses with an asterisk: they are not articles of the principal text),
- expects a reported court case (two or more section headings such as 基本案情, 裁判要点)
  to be refused, whatever article it quotes,
- expects as an article's title the ``####Title`` line (treaties) or the short line after
  ``Article N`` (EU print) that follows the heading, and none for Chinese articles.

A text with no article heading at all is expected to be *refused* by the reader (a typed
error), which counts as exact.

Run: ``.venv/bin/python -m benchmarks.accuracy_legal [--details]`` (prints per-corpus figures;
``--details`` lists every text whose count differs).
"""

from __future__ import annotations

import argparse
import bisect
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REAL = REPO.parent / "shared" / "corpus" / "real"
CORPORA = {"zh": "Chinese legal texts", "treaties": "Treaties",
           "eu-print": "EU Official Journal print"}

_CN_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN_NUM = "零〇一二两三四五六七八九十百千0-9０-９"
_CN_HEAD = re.compile(rf"^\s*#*\s*第([{_CN_NUM}]+)条(?:之([{_CN_NUM}]+))?(?=\s|$|[^{_CN_NUM}"
                      r"第、，,至和及或的规中款项])")
_CN_CLAUSE = re.compile(rf"^\s*#*\s*([{_CN_NUM}]+)、")
_CN_ANNEX = re.compile(r"^\s*#*\s*(附件|附表|附录)")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_TR_HEAD = re.compile(
    r"^#{1,6}\s*(Article|ARTICLE|Art\.|Artikel|ARTIKEL|Artículo|Articolo|Artigo)\s+"
    r"(\d+|[IVXLC]+|premier|Premier|PREMIER|1er)\s*"
    r"(bis|ter|quater|quinquies|sexies|[A-Z](?![a-z]))?\s*\.?"
    r"(?:\s*[-–—:]?\s+(\S.*?))?\s*$")
_TR_END = re.compile(
    r"^#{1,6}\s*(ANNEX|Annex|ANNEXE|Annexe|APPENDIX|Appendix|Bijlage|BIJLAGE|PROTOCOL|Protocol|"
    r"Additional Protocol|Nr\.?\s+[IVX]+\b|No\.?\s+[IVX]+\b|Exchange of|Notes?\b|Schedule|"
    r"SCHEDULE)")
_SUFFIX = {"": 0, "bis": 2, "ter": 3, "quater": 4, "quinquies": 5, "sexies": 6}
_EU_HEAD = re.compile(r"^Article (\d+)$")


@dataclass(frozen=True)
class Expected:
    """The independent count for one text: article keys in order and their titles."""

    numbers: tuple[str, ...]
    titles: tuple[str | None, ...]


def cn_int(s: str) -> int:
    s = s.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if s.isdigit():
        return int(s)
    if all(c in _CN_DIGIT for c in s):
        return int("".join(str(_CN_DIGIT[c]) for c in s))
    total, digit = 0, 0
    for c in s:
        if c in _CN_DIGIT:
            digit = _CN_DIGIT[c]
        else:
            total += (digit or 1) * _CN_UNIT[c]
            digit = 0
    return total + digit


def roman(s: str) -> int:
    values = [_ROMAN[c] for c in s]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v
               for i, v in enumerate(values))


def longest_chain(items: Sequence[tuple[tuple[int, int], str, str | None]]
                  ) -> list[tuple[tuple[int, int], str, str | None]]:
    """Longest strictly increasing subsequence by key (patience sorting, O(n log n))."""
    tails: list[tuple[int, int]] = []
    tail_index: list[int] = []
    parent = [-1] * len(items)
    for i, (key, _, _) in enumerate(items):
        k = bisect.bisect_left(tails, key)
        if k == len(tails):
            tails.append(key)
            tail_index.append(i)
        else:
            tails[k] = key
            tail_index[k] = i
        parent[i] = tail_index[k - 1] if k else -1
    chain: list[tuple[tuple[int, int], str, str | None]] = []
    i = tail_index[-1] if tail_index else -1
    while i >= 0:
        chain.append(items[i])
        i = parent[i]
    return chain[::-1]


_CASE = re.compile(r"^#+\s*(基本案情|裁判要点|裁判要旨|简要案情|裁判结果|法院认为|裁判理由)\s*$",
                   re.MULTILINE)


def expect_chinese(text: str) -> Expected:
    if len(set(_CASE.findall(text))) >= 2:
        return Expected((), ())
    body = text.split("<!-- INFO END -->", 1)[-1]
    lines = body.splitlines()
    items: list[tuple[tuple[int, int], str, str | None]] = []
    for line in lines:
        if items and _CN_ANNEX.match(line):
            break
        m = _CN_HEAD.match(line)
        if m:
            sub = cn_int(m[2]) if m[2] else 0
            items.append(((cn_int(m[1]), sub), f"{cn_int(m[1])}" + (f"-{sub}" if sub else ""),
                          None))
    if not items:  # a text made of numbered clauses 一、二、 (amendments, decisions)
        for line in lines:
            if items and _CN_ANNEX.match(line):
                break
            m = _CN_CLAUSE.match(line)
            if m and not line.lstrip("# ").startswith(("“", "\"")):
                n = cn_int(m[1])
                items.append(((n, 0), str(n), None))
        if len(items) < 2 or items[0][0] != (1, 0):
            items = []
    chain = longest_chain(items)
    return Expected(tuple(n for _, n, _ in chain), tuple(t for _, _, t in chain))


def _next_title(lines: list[str], i: int) -> str | None:
    for line in lines[i + 1:i + 4]:
        if not line.strip():
            continue
        m = re.match(r"^####\s*(\S.*?)\s*$", line)
        if m and not _TR_HEAD.match(line):
            return m[1].strip("*_ ") or None
        return None
    return None


def expect_treaty(text: str) -> Expected:
    lines = text.splitlines()
    items: list[tuple[tuple[int, int], str, str | None]] = []
    after_heading = False  # a ``####`` line after a heading is its title, not an annex
    for i, line in enumerate(lines):
        if items and not after_heading and _TR_END.match(line):
            break
        if line.strip():
            after_heading = line.lstrip().startswith("#")
        m = _TR_HEAD.match(line)
        if not m:
            continue
        raw = m[2]
        n = int(raw) if raw.isdigit() else 1 if raw.lower() in ("premier", "1er") else roman(raw)
        suffix = (m[3] or "").lower()
        key = (n, _SUFFIX.get(suffix, ord(suffix[0]) - 96 if suffix else 0))
        if items and key <= items[-1][0]:
            break  # the numbering restarts: an annexed instrument or another language
        title = m[4].strip(" .") if m[4] else _next_title(lines, i)
        items.append((key, f"{n}{suffix.upper() if len(suffix) == 1 else suffix}", title))
    return Expected(tuple(n for _, n, _ in items), tuple(t for _, _, t in items))


def expect_eu_print(text: str) -> Expected:
    lines = text.splitlines()
    items: list[tuple[tuple[int, int], str, str | None]] = []
    for i, line in enumerate(lines):
        m = _EU_HEAD.match(line.strip())
        if m:
            title = lines[i + 1].strip() if i + 1 < len(lines) else None
            following = lines[i + 2].strip() if i + 2 < len(lines) else ""
            if title and (title.endswith(",") or following[:1].islower()):  # two lines
                title += " " + lines[i + 2].strip()
            items.append(((int(m[1]), 0), m[1], title or None))
    chain = longest_chain(items)
    return Expected(tuple(n for _, n, _ in chain), tuple(t for _, _, t in chain))


EXPECT = {"zh": expect_chinese, "treaties": expect_treaty, "eu-print": expect_eu_print}


@dataclass(frozen=True)
class Outcome:
    """What the reader gave for one text, set against the expectation."""

    file: str
    expected: Expected
    numbers: tuple[str, ...] | None  # None: refused with a typed error
    titles: tuple[str | None, ...]
    error: str = ""
    document: str = ""  # the instrument id the text was given

    @property
    def exact(self) -> bool:
        if self.numbers is None:
            return not self.expected.numbers
        return self.numbers == self.expected.numbers

    def titles_right(self) -> tuple[int, int]:
        if self.numbers is None or not self.exact:
            return 0, len(self.expected.numbers)
        pairs = zip(self.titles, self.expected.titles, strict=True)
        return sum(_same_title(a, b) for a, b in pairs), len(self.expected.numbers)


def _same_title(got: str | None, want: str | None) -> bool:
    fold = (lambda s: re.sub(r"\s+", " ", s).strip(" .").casefold())  # noqa: E731
    return (got is None and want is None) or (
        got is not None and want is not None and fold(got) == fold(want))


def run_reader(path: Path, expected: Expected) -> Outcome:
    from citegraph.errors import CitegraphError
    from citegraph.model import NodeType
    from ingest.legal import read_legal_text
    try:
        doc = read_legal_text(path)
    except CitegraphError as exc:
        return Outcome(path.name, expected, None, (), str(exc).split(": ", 1)[-1][:100])
    arts = sorted((n for n in doc.batch.nodes if n.type == NodeType.ARTICLE and not n.is_stub),
                  key=lambda n: int(str(n.props["order"])))
    return Outcome(path.name, expected, tuple(str(a.props["number"]) for a in arts),
                   tuple(_opt(a.props.get("heading")) for a in arts),
                   document=doc.batch.document)


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


def evaluate(corpus: str) -> list[Outcome]:
    files = sorted((REAL / corpus).glob("*.md"))
    return [run_reader(f, EXPECT[corpus](f.read_text(encoding="utf-8"))) for f in files]


def report(corpus: str, outcomes: list[Outcome], details: bool) -> None:
    exact = sum(o.exact for o in outcomes)
    refused = sum(o.numbers is None for o in outcomes)
    articles = sum(len(o.expected.numbers) for o in outcomes)
    got = sum(len(o.numbers or ()) for o in outcomes)
    right = [o.titles_right() for o in outcomes]
    titled = sum(r for r, _ in right)
    ids = {o.document for o in outcomes if o.document}
    print(f"## {CORPORA[corpus]} ({corpus}): {len(outcomes)} texts, exact article counts "
          f"{exact}/{len(outcomes)} ({exact / len(outcomes):.1%}); refused {refused} "
          f"(expected {sum(not o.expected.numbers for o in outcomes)}); articles expected "
          f"{articles}, read {got}; titles right {titled}/{articles} "
          f"({titled / max(articles, 1):.1%}); ids {len(ids)} for {len(outcomes) - refused} "
          "texts read")
    if details:
        for o in outcomes:
            if not o.exact:
                print(f"  {o.file[:60]}: expected {len(o.expected.numbers)}, read "
                      f"{'refused ' + o.error if o.numbers is None else len(o.numbers)}; "
                      f"first difference {_first_difference(o)}")
            elif titles_wrong := [(g, w) for g, w in zip(o.titles, o.expected.titles,
                                                          strict=True)
                                  if not _same_title(g, w)]:
                print(f"  {o.file[:60]}: {len(titles_wrong)} titles differ, e.g. "
                      f"{titles_wrong[0]}")


def _first_difference(o: Outcome) -> str:
    got, want = o.numbers or (), o.expected.numbers
    for i, (a, b) in enumerate(zip(got, want, strict=False)):
        if a != b:
            return f"at #{i + 1}: read {a!r}, expected {b!r}"
    return f"after #{min(len(got), len(want))}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--details", action="store_true")
    parser.add_argument("corpora", nargs="*", default=list(CORPORA))
    args = parser.parse_args(argv)
    for corpus in args.corpora:
        report(corpus, evaluate(corpus), args.details)
    return 0


if __name__ == "__main__":
    sys.exit(main())
