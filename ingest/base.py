"""Values shared by readers and the pipeline: sentences, problems, parse results."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from citegraph.model import GraphBatch


class DocumentKind(StrEnum):
    PAPER = "paper"
    BIBTEX = "bibtex"
    LEGAL = "legal"


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an ingested text, for the provenance of whatever is found in it.

    ``start``/``end`` are character offsets into the document's decoded text;
    ``node_id`` is the Section (or Article) the sentence belongs to, ``locator`` its
    human-readable place (a section number such as ``3.1.2`` or an article eId).
    """

    text: str
    start: int
    end: int
    node_id: str
    locator: str


@dataclass(frozen=True, slots=True)
class Problem:
    """Something a reader skipped or doubted, with the place it happened."""

    file: str
    reason: str
    line: int | None = None
    place: str | None = None
    skipped: bool = True

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line is not None else "")
        if self.place:
            where += f" ({self.place})"
        return f"{where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """What a reader made of one file: the batch to write, and what it skipped."""

    kind: DocumentKind
    batch: GraphBatch
    problems: tuple[Problem, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    summary: dict[str, int] = field(default_factory=dict)
