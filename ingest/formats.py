"""The format registry: one table that says what a file is and which reader parses it.

Detection (:func:`identify`, used by :mod:`ingest.detect`) and the pipeline (:func:`read`)
both go through :data:`FORMATS`, so a file is never classified by one rule and parsed by
another. Each :class:`Format` names its document kind, its file suffixes, a content sniff
and the reader it dispatches to. A format citegraph recognises but does not read (Citavi,
``.doc``, images, ZIP archives, unknown XML, binary files) has no reader and is refused
with a one-line :class:`~citegraph.errors.UnsupportedFormatError` naming the file and the
format; one whose reader is still to come says "is not supported yet". Nothing unknown is
ever "loaded as paper".

How a file is identified (first rule that decides wins):

1. binary signatures, in table order (``%PDF``, ZIP members, OLE2, SQLite, images, NUL
   bytes);
2. the suffix, when formats claim it and it is not a generic text suffix (``.txt``,
   ``.md``, none): the claiming formats' sniffs in table order, then the claiming format
   with ``trust_suffix`` (``.bib`` is BibTeX even when it holds only comments), else the
   claiming format with no sniff (``.xml`` that no XML sniff accepts is "unknown XML");
3. otherwise every text format's sniff in table order (RIS in a ``.txt``, BibTeX in a
   ``.md``), and last the legal-text / paper decision of :mod:`ingest.detect`.

Adding a reader: one new file plus one registry line
-----------------------------------------------------
1. Write ``ingest/<name>.py`` with a pure ``parse_<name>(data: bytes, *, file: str) ->
   ParsedDocument`` (register it with ``pure=True``), or, when it needs more than the bytes,
   a thin adapter ``read_<name>(source: Source) -> ParsedDocument``. ``source.text()``
   gives the strictly decoded text (raising the typed errors), ``source.data`` the bytes,
   ``source.path`` the file on disk when there is one (a project reader may read files
   beside it), ``source.bib`` the Works of a ``.bib`` given with it and ``source.resolve``
   the catalog's instrument-name resolver. Raise only :mod:`citegraph.errors` types.
2. In :data:`FORMATS`, set ``reader="ingest.<name>:read_<name>"`` on the format's line
   (the not-yet formats are already listed), or add a line
   ``Format("name", KIND, (".suffix",), sniff, reader="ingest.<name>:read_<name>",
   description="...")``. Put a line with a sniff before the generic lines that would
   otherwise take the file. Set ``mentions=True`` if the pipeline should find instrument
   mentions in its sentences.
3. ``tests/test_reader_conformance.py`` then runs the reader over every real file it is
   assigned (no traceback, spans index the text, deterministic ids, plain-text quotes).

Examples
--------
>>> identify(Source("refs.bib", b"@article{k, title={T}}")).format.name
'bibtex'
>>> identify(Source("a.ris", b"TY  - JOUR\\nTI  - T\\nER  - \\n")).format.name
'ris'
>>> identify(Source("x.png", b"\\x89PNG\\r\\n\\x1a\\nrest")).format.name
'image'
>>> try:
...     read(Source("lib.ctv6", b"SQLite format 3\\x00..."))
... except UnsupportedFormatError as exc:
...     print(exc.format, "|", exc.location(), "|", exc.message.split(";")[0])
citavi | lib.ctv6 | Citavi project (an SQLite database) is not a format citegraph reads
"""

from __future__ import annotations

import codecs
import functools
import importlib
import io
import json
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePath

from citegraph.errors import InputError, UnsupportedFormatError
from citegraph.model import Node
from citegraph.text import slugify
from ingest import patterns
from ingest.base import DocumentKind, ParsedDocument
from ingest.textio import decode_text

Resolver = Callable[[str], str | None]
Reader = Callable[["Source"], ParsedDocument]
#: Bytes looked at by the sniffs (the legal/paper decision reads the whole text).
HEAD_BYTES = 64 * 1024
#: Suffixes that say only "text": the content decides what the file is.
GENERIC_TEXT_SUFFIXES = frozenset({"", ".txt", ".text", ".md", ".markdown"})


def _no_resolver(name: str) -> str | None:
    return None


@dataclass(frozen=True)
class Source:
    """One input: its name, its bytes and what its reader may need besides.

    >>> Source("dir/My Paper.txt", b"x").slug
    'my-paper'
    """

    name: str
    data: bytes
    path: Path | None = None
    bib: Sequence[Node] = ()
    resolve: Resolver = _no_resolver

    @property
    def suffix(self) -> str:
        return PurePath(self.name).suffix.lower()

    @property
    def slug(self) -> str:
        return slugify(PurePath(self.name).stem)

    def text(self) -> str:
        """The text, strictly decoded; :class:`InputError` when there is none."""
        text = decode_text(self.data, self.name)
        if not text.strip():
            raise InputError("file is empty", file=self.name)
        return text

    @cached_property
    def head(self) -> bytes:
        return self.data[:HEAD_BYTES]

    @cached_property
    def sample(self) -> str:
        """The head decoded leniently (BOM, else UTF-8 with replacement), for sniffing."""
        return _lenient(self.head)

    @cached_property
    def loose_text(self) -> str:
        """The whole text decoded leniently, for the sniffs that count over all of it."""
        return _lenient(self.data)

    @cached_property
    def json_value(self) -> object:
        """The parsed JSON when the text is JSON (None otherwise)."""
        if not _json(self):
            return None
        try:
            value: object = json.loads(self.loose_text)
        except ValueError:
            return None
        return value

    @cached_property
    def zip_names(self) -> frozenset[str]:
        """Member names when the bytes are a ZIP archive (empty otherwise)."""
        if not self.data.startswith(b"PK\x03\x04"):
            return frozenset()
        try:
            with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
                return frozenset(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return frozenset()


def _lenient(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace")
    if _looks_utf16(data):
        return data.decode("utf-16-le" if data[1:2] == b"\x00" else "utf-16-be", "replace")
    return data.decode("utf-8", "replace")


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: NULs on one side of (nearly) every pair."""
    head = data[:4096]
    if len(head) < 8:
        return False
    even, odd = head[0::2].count(0), head[1::2].count(0)
    pairs = len(head) // 2
    return max(even, odd) >= 0.9 * pairs and min(even, odd) <= 0.05 * pairs


Sniff = Callable[[Source], bool]


@dataclass(frozen=True, slots=True)
class Format:
    """One line of the registry.

    ``reader`` is ``"module:function"`` (imported when first used, so the CLI starts
    fast): a function of a :class:`Source`, or with ``pure`` a ``parse_*(data: bytes, *,
    file: str)`` called directly; or None for a format that is recognised and refused.
    ``planned`` marks a refused format whose reader is coming ("not supported yet").
    ``binary`` formats are sniffed first, before any suffix is trusted; ``advice`` ends
    the refusal message.
    """

    name: str
    kind: DocumentKind
    suffixes: tuple[str, ...]
    sniff: Sniff | None
    reader: str | None = None
    description: str = ""
    binary: bool = False
    trust_suffix: bool = False
    planned: bool = False
    mentions: bool = False
    advice: str = ""
    explain: Callable[[Source], str] | None = None
    pure: bool = False
    text_of: str | None = None

    def load_reader(self) -> Reader:
        """The reader function; :class:`UnsupportedFormatError` for a refused format."""
        if self.reader is None:
            raise UnsupportedFormatError(self.refusal(), format=self.name)
        module, _, function = self.reader.partition(":")
        found = getattr(importlib.import_module(module), function)
        if self.pure:
            return functools.partial(_call_pure, found)
        reader: Reader = found
        return reader

    def decoded_text(self, source: Source) -> str:
        """The text the reader's sentence and provenance offsets index (``text_of``, a
        ``"module:function"`` of the Source, for formats that are not text themselves)."""
        if self.text_of is None:
            return source.text()
        module, _, function = self.text_of.partition(":")
        text: str = getattr(importlib.import_module(module), function)(source)
        return text

    def refusal(self) -> str:
        what = self.description or self.name
        text = (f"{what} is not supported yet" if self.planned
                else f"{what} is not a format citegraph reads")
        return f"{text}; {self.advice}" if self.advice else text


def _call_pure(parse: Callable[..., ParsedDocument], source: Source) -> ParsedDocument:
    return parse(source.data, file=source.name)


@dataclass(frozen=True, slots=True)
class Match:
    """The format a file was identified as, and the one-line reason."""

    format: Format
    reason: str


# --- sniffs --------------------------------------------------------------------------------

_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00",
                b"MM\x00*", b"BM")


def _pdf(s: Source) -> bool:
    return b"%PDF-" in s.head[:1024]


def _zip_with(member: str) -> Sniff:
    return lambda s: member in s.zip_names


def _odt(s: Source) -> bool:
    return "content.xml" in s.zip_names and s.data[30:85].find(
        b"application/vnd.oasis.opendocument.text") >= 0


def _zip(s: Source) -> bool:
    return s.data.startswith((b"PK\x03\x04", b"PK\x05\x06"))


def _ole2(s: Source) -> bool:
    return s.data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def _sqlite(s: Source) -> bool:
    return s.data.startswith(b"SQLite format 3\x00")


def _citavi(s: Source) -> bool:
    return s.suffix.startswith(".ctv") or (_sqlite(s) and b"Citavi" in s.head)


def _image(s: Source) -> bool:
    return s.data.startswith(_IMAGE_MAGIC) or (s.data[:4] == b"RIFF" and s.data[8:12] == b"WEBP")


def _binary(s: Source) -> bool:
    head = s.head[:8192]
    return b"\x00" in head and not _looks_utf16(head) and not head.startswith(
        (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def _root_is(*names: str) -> Sniff:
    wanted = {n.lower() for n in names}

    def sniff(s: Source) -> bool:
        root = patterns.xml_root(s.sample)
        return root is not None and root.lower() in wanted
    return sniff


def _akn(s: Source) -> bool:
    return patterns.xml_root(s.sample) is not None and bool(patterns.AKN.search(s.sample[:5000]))


def _endnote_xml(s: Source) -> bool:
    return _root_is("xml")(s) and "<record" in s.sample[:5000]


def _word_bibliography(s: Source) -> bool:
    root = patterns.xml_root(s.sample) or ""
    return root.endswith(":Sources") or root == "Sources"


def _any_xml(s: Source) -> bool:
    """An XML declaration, or an .xml file with a root element (Markdown may open with a
    stray ``<meta>`` tag, which does not make it XML)."""
    declared = s.sample.lstrip("\ufeff \t\r\n").startswith("<?xml")
    return declared or (s.suffix == ".xml" and patterns.xml_root(s.sample) is not None)


def _html(s: Source) -> bool:
    return patterns.is_html(s.sample)


def _rtf(s: Source) -> bool:
    return s.sample.lstrip("\ufeff \r\n").startswith("{\\rtf")


def _json(s: Source) -> bool:
    return s.sample.lstrip("\ufeff \t\r\n")[:1] in ("[", "{")


def _csl_item(value: object) -> bool:
    return isinstance(value, dict) and ("citation-key" in value or (
        "id" in value and ("type" in value or "title" in value)))


def _csl_json(s: Source) -> bool:
    """A list of CSL items (``id`` with ``type`` or ``title``), or one such item."""
    value = s.json_value
    if isinstance(value, list):
        return bool(value) and all(_csl_item(item) for item in value[:50])
    return _csl_item(value)


def _zotero_json(s: Source) -> bool:
    """Better BibTeX JSON / Zotero export: ``{"items": [{"itemType": ...}], ...}``."""
    value = s.json_value
    if not isinstance(value, dict) or not isinstance(value.get("items"), list):
        return False
    items = value["items"]
    return "config" in value or any(isinstance(i, dict) and "itemType" in i for i in items[:50])


def _csl_yaml(s: Source) -> bool:
    return s.suffix in (".yaml", ".yml") and ("\nreferences:" in f"\n{s.sample}"
                                              or "\n- id:" in f"\n{s.sample}")


def _ris(s: Source) -> bool:
    return patterns.RIS_START.search(s.sample) is not None and len(
        patterns.RIS_TAG.findall(s.sample)) >= 2


def _enw(s: Source) -> bool:
    lines = [line for line in s.sample.splitlines()[:60] if line.strip()]
    tagged = sum(bool(patterns.ENW_TAG.match(line)) for line in lines)
    return tagged >= 1 and tagged * 2 >= len(lines)


def _bib_entries(s: Source) -> int:
    text = s.loose_text
    return len(patterns.BIB_TYPES.findall(text)) or len(patterns.BIB_KEYED_ENTRY.findall(text))


def _bibtex(s: Source) -> bool:
    """Entries from the first line that is not a comment, or entries making up the text."""
    entries = _bib_entries(s)
    if not entries:
        return False
    text = s.loose_text
    first = patterns.BIB_LEADING_COMMENTS.match(text)
    return (text[first.end() if first else 0:].lstrip().startswith("@")
            or entries * 20 >= text.count("\n") + 1)


def _pandoc(s: Source) -> bool:
    return s.suffix in (".md", ".markdown", ".txt", "") and len(
        patterns.PANDOC_CITATION.findall(s.loose_text)) >= 2


def _latex(s: Source) -> bool:
    return patterns.LATEX_SOURCE.search(s.sample) is not None


def _legal(s: Source) -> bool:
    from ingest.detect import text_kind

    return text_kind(s.loose_text)[0] is DocumentKind.LEGAL


def _text_reason(s: Source) -> str:
    from ingest.detect import text_kind

    return text_kind(s.loose_text)[1]


def _bibtex_reason(s: Source) -> str:
    entries = _bib_entries(s)
    return f"{entries} BibTeX entries (@article{{...}} and the like)"


def _table(s: Source) -> bool:
    return s.suffix in (".csv", ".tsv")


# --- the registry --------------------------------------------------------------------------

_P, _B, _L = DocumentKind.PAPER, DocumentKind.BIBTEX, DocumentKind.LEGAL
_EXPORT = "export the references as BibTeX (.bib)"

#: The registry, in the order identification tries it.
FORMATS: tuple[Format, ...] = (
    # binary signatures: decided by content, before any suffix is trusted
    Format("pdf", _P, (".pdf",), _pdf, "ingest.readers:read_pdf", "PDF", binary=True,
           trust_suffix=True, mentions=True, text_of="ingest.readers:pdf_text"),
    Format("docx", _P, (".docx",), _zip_with("word/document.xml"), "ingest.word:read_docx",
           "Word document (.docx)", binary=True, mentions=True, text_of="ingest.word:docx_text"),
    Format("odt", _P, (".odt",), _odt, "ingest.word:read_odt", "OpenDocument text (.odt)",
           binary=True, mentions=True, text_of="ingest.word:odt_text"),
    Format("zip", _P, (".zip", ".epub", ".xlsx", ".pptx", ".ods"), _zip, None,
           "ZIP archive", binary=True, advice="unpack it and ingest the files inside"),
    Format("doc", _P, (".doc", ".xls", ".ppt"), _ole2, None,
           "Word 97-2003 document (OLE2 compound file)", binary=True,
           advice="save it as .docx, PDF or plain text"),
    Format("citavi", _B, (".ctv4", ".ctv5", ".ctv6", ".ctt"), _citavi, None,
           "Citavi project (an SQLite database)", binary=True,
           advice="export it from Citavi as BibTeX or RIS"),
    Format("sqlite", _B, (".sqlite", ".db"), _sqlite, None, "SQLite database", binary=True),
    Format("image", _P, (".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".webp", ".bmp"),
           _image, None, "image", binary=True, advice="run OCR and ingest the text"),
    Format("binary", _P, (), _binary, None, "binary file", binary=True),
    # XML and HTML: decided by the root element
    Format("akn", _L, (".akn", ".xml"), _akn, "ingest.readers:read_akn", "Akoma Ntoso XML",
           explain=lambda s: "Akoma Ntoso XML"),
    Format("endnote-xml", _B, (".xml",), _endnote_xml,
           "ingest.refmgr_endnote:parse_endnote_xml", "EndNote XML", pure=True),
    Format("mods", _B, (".xml", ".mods"), _root_is("modsCollection", "mods"),
           "ingest.refmgr_mods:parse_mods", "MODS XML", pure=True),
    Format("word-bibliography", _B, (".xml",), _word_bibliography, None,
           "Word bibliography XML (b:Sources)", advice=_EXPORT),
    Format("html", _P, (".html", ".htm", ".xhtml"), _html, "ingest.readers:read_html",
           "HTML page read as a paper", trust_suffix=True, mentions=True,
           text_of="ingest.readers:html_text"),
    Format("xml", _P, (".xml",), _any_xml, None, "XML of an unknown vocabulary",
           advice="citegraph reads Akoma Ntoso, MODS and EndNote XML"),
    Format("rtf", _P, (".rtf",), _rtf, None, "RTF document", advice="save it as .docx or text"),
    # structured text exports
    Format("csl-json", _B, (".json",), _csl_json, "ingest.refmgr_csl:parse_csl_json",
           "CSL-JSON", pure=True),
    Format("zotero-json", _B, (".json",), _zotero_json, "ingest.refmgr_csl:parse_zotero_json",
           "Better BibTeX / Zotero JSON", pure=True),
    Format("json", _P, (".json",), _json, None, "JSON that is not CSL-JSON"),
    Format("csl-yaml", _B, (".yaml", ".yml"), _csl_yaml, "ingest.refmgr_csl:parse_csl_yaml",
           "CSL-YAML", pure=True),
    Format("ris", _B, (".ris",), _ris, "ingest.refmgr_ris:parse_ris", "RIS", pure=True),
    Format("enw", _B, (".enw",), _enw, "ingest.refmgr_endnote:parse_enw",
           "EndNote tagged (.enw)", pure=True),
    Format("bibtex", _B, (".bib", ".bibtex", ".biblatex"), _bibtex,
           "ingest.readers:read_bibtex", "BibTeX", trust_suffix=True, explain=_bibtex_reason),
    Format("latex", _P, (".tex", ".ltx"), _latex, "ingest.latex:read_latex", "LaTeX",
           trust_suffix=True, mentions=True,
           text_of="ingest.latex:latex_text"),
    Format("pandoc-markdown", _P, (".md", ".markdown"), _pandoc,
           "ingest.pandoc:read_pandoc_markdown", "Pandoc Markdown with [@key] citations",
           mentions=True),
    Format("table", _P, (".csv", ".tsv"), _table, None, "CSV/TSV table"),
    # plain text and Markdown: the legal/paper decision of ingest.detect
    Format("legal-text", _L, (".txt", ".md", ".markdown", ".text"), _legal,
           "ingest.readers:read_legal_text", "legal text", explain=_text_reason),
    Format("paper-text", _P, (".txt", ".md", ".markdown", ".text"), None,
           "ingest.readers:read_paper", "paper (text or Markdown)", mentions=True),
)

_BY_NAME = {f.name: f for f in FORMATS}
_TEXT_FALLBACK = _BY_NAME["paper-text"]


def get(name: str) -> Format:
    """The format called ``name`` (``KeyError`` if none is)."""
    return _BY_NAME[name]


def suffixes(*, readable_only: bool = False) -> frozenset[str]:
    """Every suffix some format claims (with a reader, or planned, when ``readable_only``)."""
    return frozenset(s for f in FORMATS for s in f.suffixes
                     if not readable_only or f.reader is not None or f.planned)


def kind_of_suffix(suffix: str) -> DocumentKind | None:
    """The kind of the readable format a suffix most likely means (for load order)."""
    for fmt in FORMATS:
        if suffix.lower() in fmt.suffixes and fmt.reader is not None:
            return fmt.kind
    return None


# --- identification and reading ------------------------------------------------------------

def identify(source: Source, kind: DocumentKind | None = None) -> Match:
    """The format of ``source`` and why; ``kind`` (``--as``) narrows to readable formats.

    >>> identify(Source("law.md", "第一条 目的。\\n第二条 范围。\\n".encode())).format.name
    'legal-text'
    """
    if kind is not None:
        return _identify_as(source, kind)
    for fmt in FORMATS:
        if fmt.binary and fmt.sniff is not None and fmt.sniff(source):
            return Match(fmt, _why(fmt, source, "content"))
    suffix = source.suffix
    claimed = [f for f in FORMATS if suffix in f.suffixes]
    if claimed and suffix not in GENERIC_TEXT_SUFFIXES:
        return _by_suffix(source, claimed, suffix)
    return _by_content(source)


def _by_suffix(source: Source, claimed: list[Format], suffix: str) -> Match:
    for fmt in claimed:
        if fmt.sniff is not None and fmt.sniff(source):
            return Match(fmt, _why(fmt, source, "content"))
    for fmt in claimed:
        if fmt.trust_suffix or fmt.sniff is None:
            return Match(fmt, _why(fmt, source, f"file extension {suffix}"))
    return _by_content(source)


def _by_content(source: Source) -> Match:
    for fmt in FORMATS:
        if not fmt.binary and fmt.sniff is not None and fmt.sniff(source):
            return Match(fmt, _why(fmt, source, "content"))
    return Match(_TEXT_FALLBACK, _text_reason(source))


def _identify_as(source: Source, kind: DocumentKind) -> Match:
    """``--as kind``: the readable format of that kind the file's content or suffix picks."""
    readable = [f for f in FORMATS if f.kind is kind and f.reader is not None]
    for fmt in readable:
        if fmt.name not in ("legal-text", "paper-text") and fmt.sniff is not None \
                and fmt.sniff(source):
            return Match(fmt, f"--as {kind.value} ({fmt.description})")
    for fmt in readable:
        if source.suffix in fmt.suffixes and source.suffix not in GENERIC_TEXT_SUFFIXES:
            return Match(fmt, f"--as {kind.value} ({fmt.description})")
    return Match(readable[-1], f"--as {kind.value}")


def _why(fmt: Format, source: Source, basis: str) -> str:
    if fmt.explain is not None and basis == "content":
        return fmt.explain(source)
    return f"{fmt.description} ({basis})"


def read(source: Source, kind: DocumentKind | None = None) -> tuple[ParsedDocument, Match]:
    """Identify ``source`` and parse it with its format's reader.

    Raises
    ------
    UnsupportedFormatError
        If the format is recognised but not read (or not yet), naming the file.
    """
    match = identify(source, kind)
    if match.format.reader is None:
        raise UnsupportedFormatError(match.format.refusal(), format=match.format.name,
                                     file=source.name)
    return match.format.load_reader()(source), match
