"""Decoding input bytes: UTF-8 (with or without BOM) and UTF-16 with a BOM, nothing else.

Examples
--------
>>> decode_text("citation".encode("utf-16"), "a.txt")
'citation'
>>> decode_text(b"\\xef\\xbb\\xbfhello", "a.txt")
'hello'
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path

from citegraph.errors import EncodingError, InputTooLargeError

DEFAULT_MAX_BYTES = 64 * 1024 * 1024


def decode_text(data: bytes, file: str) -> str:
    """Decode by BOM, else strict UTF-8; raise :class:`EncodingError` naming the place."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8):], "utf-8", file)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", file)
    return _strict(data, "utf-8", file)


def _strict(data: bytes, encoding: str, file: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise EncodingError(
            f"not valid {encoding.upper()} at byte {exc.start} (only UTF-8 and UTF-16 with a "
            "byte-order mark are accepted)", file=file, line=line) from exc
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise EncodingError("contains NUL characters (binary data or an unmarked UTF-16 file)",
                            file=file, line=line)
    return text


def read_bytes(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a file, refusing one larger than ``max_bytes`` before reading it."""
    p = Path(path)
    size = p.stat().st_size
    if size > max_bytes:
        raise InputTooLargeError(f"file is {size} bytes, over the limit of {max_bytes}",
                                 file=str(p))
    return p.read_bytes()


def read_text(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    return decode_text(read_bytes(path, max_bytes), str(path))
