"""One exception root for everything citegraph raises on purpose.

Every error that concerns an input names the file and, where known, the place in it
(line, column, entry key or article), so that the CLI and the API can print one clear line.
"""

from __future__ import annotations


class CitegraphError(Exception):
    """Root of every error citegraph raises deliberately."""

    code = "citegraph_error"

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        place: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.place = place

    def location(self) -> str:
        """Return ``file:line:column`` (or the parts known), empty when nothing is known."""
        parts = [self.file or "<input>"] if (self.file or self.line or self.place) else []
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        where = ":".join(parts)
        if self.place:
            where = f"{where} ({self.place})" if where else self.place
        return where

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


class InputError(CitegraphError):
    """An input document could not be read or parsed."""

    code = "bad_input"


class EncodingError(InputError):
    """The bytes of a file are in no encoding citegraph accepts."""

    code = "bad_encoding"


class InputTooLargeError(InputError):
    """An input exceeds the configured size limit."""

    code = "input_too_large"


class ParseError(InputError):
    """The text was decoded but its structure is broken."""

    code = "parse_error"


class ReaderFailedError(ParseError):
    """A reader (or a library under it) raised something untyped on this input.

    ``place`` names the code that failed; the rest of the batch still loads.
    """

    code = "reader_failed"


class BibtexError(ParseError):
    """A BibTeX file or entry is malformed."""

    code = "bibtex_error"


class LatexDecodeError(ParseError):
    """A LaTeX value cannot be turned into text within the decoder's limits."""

    code = "latex_decode_error"


class LegalTextError(ParseError):
    """A legal text (plain, Markdown or Akoma Ntoso) is malformed."""

    code = "legal_text_error"


class UnsafeXmlError(ParseError):
    """An XML document uses entities, a DTD or other constructs that are refused."""

    code = "unsafe_xml"


class UnsupportedInputError(InputError):
    """No reader knows how to read this file."""

    code = "unsupported_input"


class UnsupportedFormatError(UnsupportedInputError):
    """The file is in a format citegraph recognises but does not read (or not yet).

    ``format`` names it (``"citavi"``, ``"docx"``, ``"binary"``), for the one-line error.
    """

    code = "unsupported_format"

    def __init__(self, message: str, *, format: str, file: str | None = None) -> None:
        super().__init__(message, file=file)
        self.format = format


class CatalogError(CitegraphError):
    """The curated catalog in ``data/`` is invalid."""

    code = "catalog_error"


class ConfigError(CitegraphError):
    """The configuration is invalid."""

    code = "config_error"


class ModelError(CitegraphError):
    """A node or relationship violates the graph model."""

    code = "model_error"


class StoreError(CitegraphError):
    """A store operation failed."""

    code = "store_error"


class StoreUnavailableError(StoreError):
    """The store cannot be reached right now; retrying later may succeed."""

    code = "store_unavailable"


class CorruptStoreError(StoreError):
    """The persisted store file cannot be read."""

    code = "corrupt_store"


class NodeNotFoundError(StoreError):
    """No node has the requested id."""

    code = "not_found"


class QueryError(CitegraphError):
    """A query is invalid or refused (for example a write in read-only Cypher)."""

    code = "bad_query"


class QueryTimeoutError(QueryError):
    """A query ran past its time limit."""

    code = "query_timeout"
