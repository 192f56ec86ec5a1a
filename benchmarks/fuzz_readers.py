"""Fuzz every reader with mutations of the real corpus (``../shared/corpus/real``).

Each case is a real file (its first ``--seed-bytes``) mutated a few times: bytes flipped,
slices deleted, duplicated or repeated many times (the shapes that make a parser quadratic),
structural tokens inserted, two files spliced, the end cut off. The case goes through the
pipeline's per-file step (``ingest.pipeline.parse_document``) as a file of that kind.
Outcomes: parsed, a typed ``CitegraphError`` naming the file, an untyped exception (a bug),
or slow (past ``--case-timeout`` s: the worker process is killed and restarted).

    .venv/bin/python -m benchmarks.fuzz_readers --cases 10000            # every reader
    .venv/bin/python -m benchmarks.fuzz_readers --cases 200 --reader bibtex

Prints one line per reader (cases, parsed, typed, untyped, slow, slowest case, wall time)
and each untyped or slow case's reader, seed, mutation seed and error.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from benchmarks.real_corpus import CorpusFile, corpus_files

FILE = "fuzz-input"
TOKENS = [b"{", b"}", b"\\", b"\\'{", b"@article{k,", b"<", b">", b"&", b"</", b"<section>",
          "第".encode(), "条".encode(), "第一百二十三条之一".encode(), b"Article ",
          b"### Article 1\n",
          b"\n\n", b"[1]", b"[", b"]", b"%", b"\r", b"\x00", b"\xef\xbb\xbf", b". ", b"1. ",
          b"\\cite{", b"\\section{", b"$", b"Id. at ", b"supra note 3", b"\xff\xfe", b"(a) ",
          b"References\n", b"TY  - ", b"ER  - ", b'"', b",", b"=", b"\t"]
MAX_CASE_BYTES = 400_000


@dataclass(frozen=True, slots=True)
class Reader:
    """One reader: the real files that seed it, the name suffix and the kind given."""

    name: str
    folder: str
    suffixes: tuple[str, ...]
    kind: str | None = None
    whole: bool = False  # seed with whole files (a PDF cut short has no trailer)

    def seeds(self) -> list[CorpusFile]:
        return [f for f in corpus_files(self.folder, self.suffixes) if f.path.is_file()]

    def seed_bytes(self, most: int) -> list[bytes]:
        """The seeds' first ``most`` bytes, cut at a UTF-8 character boundary (a cut
        character would only test the decoder), or whole files."""
        if self.whole:
            return [f.path.read_bytes() for f in self.seeds()]
        return [utf8_head(f.path.read_bytes(), most) for f in self.seeds()]


def utf8_head(data: bytes, most: int) -> bytes:
    """``data[:most]`` without a trailing partial UTF-8 character.

    >>> utf8_head("第一条".encode(), 4).decode()
    '第'
    """
    if len(data) <= most:
        return data
    end = most
    while end > 0 and (data[end] & 0xC0) == 0x80:  # inside a character: back to its start
        end -= 1
    return data[:end]


READERS = (
    Reader("bibtex", "bib", (".bib",)),
    Reader("legal-zh", "zh", (".md",), "legal"),
    Reader("legal-treaty", "treaties", (".md",), "legal"),
    Reader("legal-print", "eu-print", (".txt", ".md"), "legal", whole=True),
    Reader("paper-text", "papers", (".md",), "paper"),
    Reader("paper-html", "law-reviews", (".html", ".htm")),
    Reader("latex", "papers", (".tex",)),
    Reader("xml", "refmgr", (".xml",)),
    Reader("refmgr", "refmgr", (".json", ".ris", ".enw", ".yaml", ".yml")),
    Reader("pdf", "law-reviews", (".pdf",), whole=True),
)


def mutate(seeds: list[bytes], rng: random.Random, steps: int = 3) -> bytes:
    """A mutation of one of ``seeds`` (pure given ``rng``).

    >>> a = mutate([b"@article{k, title={T}}"], random.Random(1))
    >>> a == mutate([b"@article{k, title={T}}"], random.Random(1)), isinstance(a, bytes)
    (True, True)
    """
    data = bytearray(rng.choice(seeds))
    for _ in range(rng.randint(1, steps)):
        data = bytearray(_step(bytes(data), seeds, rng))
    return bytes(data[:MAX_CASE_BYTES])


def _span(data: bytes, rng: random.Random, most: int = 2000) -> tuple[int, int]:
    start = rng.randrange(len(data) + 1)
    return start, min(len(data), start + rng.randint(0, most))


def _step(data: bytes, seeds: list[bytes], rng: random.Random) -> bytes:
    how = rng.randrange(8)
    at = rng.randrange(len(data) + 1)
    if how == 0 and data:  # flip bytes
        out = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)
    if how == 1:  # delete a slice
        start, end = _span(data, rng)
        return data[:start] + data[end:]
    if how == 2:  # duplicate a slice elsewhere
        start, end = _span(data, rng)
        return data[:at] + data[start:end] + data[at:]
    if how == 3:  # repeat a short slice many times (quadratic shapes)
        start, end = _span(data, rng, 40)
        return data[:at] + data[start:end] * rng.randint(10, 3000) + data[at:]
    if how == 4:  # structural tokens
        bits = b"".join(rng.choice(TOKENS) for _ in range(rng.randint(1, 30)))
        return data[:at] + bits + data[at:]
    if how == 5:  # one token repeated (nesting, runs)
        return data[:at] + rng.choice(TOKENS) * rng.randint(50, 5000) + data[at:]
    if how == 6:  # splice with another seed
        other = rng.choice(seeds)
        return data[:at] + other[rng.randrange(len(other) + 1):]
    return data[:at]  # cut off the end


# -- running cases in a worker that can be killed --------------------------------------------
def _worker(reader: Reader, seed_bytes: int, conn: Connection) -> None:
    import traceback

    from citegraph.errors import CitegraphError
    from citegraph.settings import Settings
    from ingest.base import DocumentKind
    from ingest.pipeline import parse_document

    settings = Settings(_env_file=None, corpus=None)  # type: ignore[call-arg]
    kind = DocumentKind(reader.kind) if reader.kind else None
    seeds = reader.seed_bytes(seed_bytes)
    name = FILE + reader.suffixes[0]
    while True:
        case = conn.recv()
        if case is None:
            return
        data = mutate(seeds, random.Random(case))
        try:
            parse_document(name, data, settings=settings, kind=kind)
            conn.send(("parsed", ""))
        except CitegraphError as exc:
            named = exc.file == name
            conn.send(("typed" if named else "untyped", "" if named else f"unnamed: {exc!r}"))
        except BaseException as exc:  # finding these is the point
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            conn.send(("untyped", f"{type(exc).__name__}: {str(exc)[:120]} "
                                  f"at {Path(frame.filename).name}:{frame.lineno}"))


@dataclass
class Tally:
    outcomes: Counter[str] = field(default_factory=Counter)
    findings: list[str] = field(default_factory=list)
    slowest: tuple[float, int] = (0.0, -1)


class Pool:
    """One worker process for a reader, restarted after a case it could not finish."""

    def __init__(self, reader: Reader, seed_bytes: int) -> None:
        self.reader, self.seed_bytes = reader, seed_bytes
        self._start()

    def _start(self) -> None:
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(self.reader, self.seed_bytes, child),
                                daemon=True)
        self.proc.start()

    def run(self, case: int, timeout_s: float) -> tuple[str, str, float]:
        started = time.monotonic()
        self.conn.send(case)
        if self.conn.poll(timeout_s):
            outcome, detail = self.conn.recv()
            return outcome, detail, time.monotonic() - started
        self.proc.kill()
        self.proc.join()
        self._start()
        return "slow", f"no answer within {timeout_s:g} s", timeout_s

    def close(self) -> None:
        self.conn.send(None)
        self.proc.join(timeout=10)


def fuzz(reader: Reader, cases: int, *, seed_bytes: int, timeout_s: float,
         first_case: int = 0) -> Tally:
    tally = Tally()
    pool = Pool(reader, seed_bytes)
    try:
        for case in range(first_case, first_case + cases):
            outcome, detail, took = pool.run(case, timeout_s)
            tally.outcomes[outcome] += 1
            if took > tally.slowest[0]:
                tally.slowest = (took, case)
            if outcome in ("untyped", "slow"):
                tally.findings.append(f"{reader.name} case {case}: {outcome} {detail}")
    finally:
        pool.close()
    return tally


def selected(names: list[str] | None) -> Iterator[Reader]:
    for reader in READERS:
        if (not names or reader.name in names) and reader.seeds():
            yield reader


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="cases per reader")
    parser.add_argument("--reader", action="append", help="only these readers (repeatable)")
    parser.add_argument("--seed-bytes", type=int, default=32_000,
                        help="bytes of each real file used as a seed")
    parser.add_argument("--case-timeout", type=float, default=10.0,
                        help="seconds before a case counts as slow")
    args = parser.parse_args(argv)
    print("reader          cases  parsed  typed  untyped  slow  slowest(s)  wall(s)")
    findings: list[str] = []
    for reader in selected(args.reader):
        started = time.monotonic()
        tally = fuzz(reader, args.cases, seed_bytes=args.seed_bytes,
                     timeout_s=args.case_timeout)
        o = tally.outcomes
        print(f"{reader.name:14s} {sum(o.values()):6d} {o['parsed']:7d} {o['typed']:6d} "
              f"{o['untyped']:8d} {o['slow']:5d} {tally.slowest[0]:11.2f} "
              f"{time.monotonic() - started:8.0f}", flush=True)
        findings.extend(tally.findings)
    for finding in findings:
        print(finding)
    return 1 if findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
