"""Decoding input bytes: UTF-8 (with or without BOM) and UTF-16 with a BOM; for the formats
that reference managers write in legacy encodings, :func:`decode_detected` also takes UTF-16
without a BOM and what charset-normalizer detects (Windows-1252, GB18030, Latin-1...).

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

import charset_normalizer

from citegraph.errors import EncodingError, InputTooLargeError

DEFAULT_MAX_BYTES = 64 * 1024 * 1024


def decode_text(data: bytes, file: str) -> str:
    """Decode by BOM, else strict UTF-8; raise :class:`EncodingError` naming the place."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8):], "utf-8", file)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", file)
    return _strict(data, "utf-8", file)


#: Legacy encodings detection chooses from, in the order that breaks a near tie (a short
#: sample fits several: GBK bytes are also valid Korean, Windows-1252 is also Windows-1250).
LEGACY_ENCODINGS = ("cp1252", "gb18030", "latin_1", "cp1250", "big5", "shift_jis", "cp949")
_NAMES = {"cp1252": "windows-1252", "cp1250": "windows-1250", "latin_1": "latin-1",
          "utf_16_le": "utf-16-le", "utf_16_be": "utf-16-be"}
#: How much more chaos (charset-normalizer's mess ratio) than the best a preferred one may have.
_TIE = 0.1


def decode_detected(data: bytes, file: str) -> tuple[str, str]:
    """Decode ``data`` and name the encoding used: BOM, UTF-8, UTF-16 without BOM, or the
    legacy encoding charset-normalizer finds least messy.

    >>> decode_detected("Caf\u00e9 \u201cq\u201d".encode("cp1252"), "a.bib")
    ('Café “q”', 'windows-1252')
    >>> decode_detected("@book{k,}".encode("utf-16-le"), "a.bib")
    ('@book{k,}', 'utf-16-le')
    >>> decode_detected("张三".encode("gbk") * 3, "a.bib")[1]
    'gb18030'
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_text(data, file), "utf-16"
    try:
        return decode_text(data, file), "utf-8"
    except EncodingError:
        pass
    unmarked = _unmarked_utf16(data)
    encoding = unmarked or _detect_legacy(data, file)
    return _strict(data, encoding, file), _NAMES.get(encoding, encoding)


def _unmarked_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM shows as a NUL beside nearly every ASCII character."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf_16_le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf_16_be"
    return None


def _detect_legacy(data: bytes, file: str) -> str:
    matches = list(charset_normalizer.from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)))
    if not matches:
        raise EncodingError("not UTF-8, UTF-16 or a legacy encoding that decodes cleanly "
                            f"({', '.join(LEGACY_ENCODINGS)})", file=file, line=1)
    best = min(m.chaos for m in matches)
    near = {name for m in matches if m.chaos <= best + _TIE for name in m.could_be_from_charset}
    return next((name for name in LEGACY_ENCODINGS if name in near), matches[0].encoding)


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
