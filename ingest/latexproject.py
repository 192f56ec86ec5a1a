r"""LaTeX projects: the main file, the files it pulls in, and the bibliographies beside it.

A project is read as one text: comments and verbatim material blanked (same length, line
breaks kept), then every ``\input``, ``\include``, ``\subfile``, ``\import`` and
``\subimport`` replaced by the (blanked) file it names, recursively. Offsets of the paper
index this expanded text; :meth:`Project.locate` turns one back into a file and line.

Examples
--------
>>> blank(r"a % c" "\n" r"\verb|%x| \% b")
'a    \n          \\% b'
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from citegraph.errors import InputError, InputTooLargeError
from ingest.base import Problem
from ingest.textio import decode_detected

#: Deepest chain of included files, and most files in one project.
MAX_DEPTH = 12
MAX_FILES = 500
MAX_CHARS = 5_000_000

_VERBATIM_ENV = re.compile(
    r"\\begin\{(verbatim\*?|Verbatim|lstlisting|minted|comment|alltt)\}.*?"
    r"(?:\\end\{\1\}|\Z)", re.DOTALL)
_VERB = re.compile(r"\\(?:verb|lstinline|mintinline\{[^}]*\})\*?([^A-Za-z\s{])(?:(?!\1).)*\1")
_COMMENT = re.compile(r"(?<!\\)(?:\\\\)*%[^\n]*")
_INCLUDE = re.compile(
    r"\\(?P<cmd>input|include|subfile|import|subimport|inputfrom|includefrom|subinputfrom|"
    r"subincludefrom)\s*(?:\{(?P<dir>[^{}]*)\}\s*)?\{(?P<name>[^{}]+)\}")
_TWO_ARGS = frozenset({"import", "subimport", "inputfrom", "includefrom", "subinputfrom",
                       "subincludefrom"})
_BIB_RESOURCE = re.compile(r"\\(?:bibliography|addbibresource|addglobalbib|addsectionbib)"
                           r"\s*(?:\[[^\]]*\]\s*)?\{([^{}]+)\}")
_DOCUMENTCLASS = re.compile(r"\\documentclass\s*(?:\[(?P<opt>[^\]]*)\])?\s*\{(?P<cls>[^}]*)\}")
_BEGIN_DOCUMENT = re.compile(r"\\begin\s*\{document\}")


def _spaces(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def blank(text: str) -> str:
    """Verbatim material and comments as spaces (line breaks kept): same length."""
    text = _VERBATIM_ENV.sub(_spaces, text)
    text = _VERB.sub(_spaces, text)
    return "\n".join(_strip_comment(line) for line in text.split("\n"))


def _strip_comment(line: str) -> str:
    match = _COMMENT.search(line)
    if match is None:
        return line
    start = match.start() + match.group(0).index("%")
    return line[:start] + " " * (len(line) - start)


@dataclass(frozen=True, slots=True)
class Segment:
    """Text ``[start, ...)`` of the project comes from ``file`` from ``offset`` on."""

    start: int
    file: str
    offset: int


@dataclass(slots=True)
class Project:
    """The expanded text of a project, where each part came from, and its bibliographies."""

    main: Path
    text: str = ""
    segments: list[Segment] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    bib_files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    _sources: dict[str, str] = field(default_factory=dict)

    def locate(self, offset: int) -> tuple[str, int]:
        """(file, 1-based line) of an offset of :attr:`text`."""
        k = bisect_right([s.start for s in self.segments], offset) - 1
        if k < 0:
            return str(self.main), 1
        segment = self.segments[k]
        source = self._sources.get(segment.file, "")
        position = segment.offset + offset - segment.start
        return segment.file, source.count("\n", 0, position) + 1


def read_source(path: Path) -> str:
    """A ``.tex`` file's text, blanked (any encoding :func:`decode_detected` reads)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from exc
    return blank(decode_detected(data, str(path))[0].replace("\r\n", "\n"))


def is_main_file(text: str) -> bool:
    r"""A file LaTeX can be run on: ``\documentclass`` and ``\begin{document}``."""
    blanked = blank(text)
    return bool(_DOCUMENTCLASS.search(blanked) and _BEGIN_DOCUMENT.search(blanked))


def find_main_files(folder: Path) -> list[Path]:
    """The main files under a folder: those LaTeX can be run on that no other includes."""
    candidates = sorted(p for p in folder.rglob("*.tex") if p.is_file())
    mains = [p for p in candidates if is_main_file(read_source(p))]
    included = {f for m in mains for f in load_project(m).files[1:]}
    return [m for m in mains if m not in included]


def _resolve(name: str, base: Path) -> Path | None:
    name = name.strip()
    for candidate in (base / name, base / f"{name}.tex"):
        if candidate.is_file():
            return candidate
    return None


def _expand(project: Project, path: Path, root: Path, depth: int) -> Iterator[tuple[str, str,
                                                                                    int]]:
    """(text, file, offset) pieces of ``path`` with its inclusions expanded."""
    text = read_source(path)
    project._sources[str(path)] = text
    project.files.append(path)
    position = 0
    for match in _INCLUDE.finditer(text):
        yield text[position:match.start()], str(path), position
        position = match.end()
        cmd = match.group("cmd")
        base = root if cmd in ("input", "include", "subfile") else path.parent
        if cmd in _TWO_ARGS:
            base = (root if cmd in ("import", "inputfrom", "includefrom") else path.parent
                    ) / (match.group("dir") or "")
        target = _resolve(match.group("name"), base) or _resolve(match.group("name"),
                                                                 path.parent)
        line = text.count("\n", 0, match.start()) + 1
        if target is None or target in project.files or depth >= MAX_DEPTH or \
                len(project.files) >= MAX_FILES:
            why = ("file not found" if target is None else "already included (a cycle?)"
                   if target in project.files else "too deeply nested or too many files")
            project.problems.append(Problem(str(path), f"\\{cmd}{{{match.group('name')}}}: "
                                                       f"{why}; skipped", line, cmd))
            yield " " * (match.end() - match.start()), str(path), match.start()
            continue
        yield from _expand(project, target, root if cmd != "subimport" else target.parent,
                           depth + 1)
    yield text[position:], str(path), position


def load_project(main: Path, max_chars: int = MAX_CHARS) -> Project:
    """The project whose main file is ``main``: expanded text, files and bibliographies."""
    project = Project(main)
    pieces: list[str] = []
    length = 0
    for text, file, offset in _expand(project, main, main.parent, 0):
        project.segments.append(Segment(length, file, offset))
        pieces.append(text)
        length += len(text)
        if length > max_chars:
            raise InputTooLargeError(f"LaTeX project is over {max_chars} characters",
                                     file=str(main))
    project.text = "".join(pieces)
    project.bib_files = _bibliographies(project)
    return project


def _bibliographies(project: Project) -> list[Path]:
    r"""The ``.bib`` files of ``\bibliography``/``\addbibresource``, beside the main file
    (or, for a ``subfiles`` chapter, beside its parent's main file)."""
    sources = [(project.text, project.main.parent)]
    head = _DOCUMENTCLASS.search(project.text)
    if head and head.group("cls").strip() == "subfiles" and head.group("opt"):
        parent = project.main.parent / head.group("opt").strip()
        if parent.is_file():
            sources.append((read_source(parent), parent.parent))
    found: list[Path] = []
    for text, root in sources:
        for match in _BIB_RESOURCE.finditer(text):
            for name in match.group(1).split(","):
                path = _resolve_bib(name.strip(), root)
                if path is None:
                    project.problems.append(Problem(str(project.main), f"bibliography "
                                                    f"{name.strip()!r} not found", None))
                elif path not in found:
                    found.append(path)
    return found


def _resolve_bib(name: str, root: Path) -> Path | None:
    for candidate in (root / name, root / f"{name}.bib"):
        if candidate.is_file():
            return candidate
    return None


def project_of(path: Path, levels: int = 3) -> Path | None:
    """The main file of a folder at or above ``path`` (up to ``levels``) that includes it."""
    folder = path.parent
    for _ in range(levels):
        for candidate in sorted(folder.glob("*.tex")):
            if candidate != path and is_main_file(read_source(candidate)) and \
                    path.resolve() in {f.resolve() for f in load_project(candidate).files}:
                return candidate
        if folder.parent == folder:
            break
        folder = folder.parent
    return None
