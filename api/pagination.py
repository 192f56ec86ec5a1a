"""Opaque cursors for paginated lists.

A cursor is URL-safe base64 of ``k:<last id>`` (keyset, for lists sorted by id) or
``o:<offset>`` (for computed rankings). A cursor that does not decode is a 422 naming the
``cursor`` field.

Examples
--------
>>> decode_key_cursor(encode_key_cursor("article:/akn/cn/act/1997-03-14/x#art_1"))
'article:/akn/cn/act/1997-03-14/x#art_1'
>>> decode_offset_cursor(encode_offset_cursor(40))
40
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import TypeVar

from fastapi.exceptions import RequestValidationError

T = TypeVar("T")


def _bad_cursor(reason: str) -> RequestValidationError:
    return RequestValidationError([{"loc": ("query", "cursor"), "msg": reason,
                                    "type": "value_error"}])


def _encode(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(cursor: str, prefix: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise _bad_cursor("not a cursor returned by this API") from exc
    if not raw.startswith(prefix):
        raise _bad_cursor("not a cursor for this list")
    return raw[len(prefix):]


def encode_key_cursor(last_id: str) -> str:
    return _encode("k:" + last_id)


def decode_key_cursor(cursor: str | None) -> str | None:
    return None if cursor is None else _decode(cursor, "k:")


def encode_offset_cursor(offset: int) -> str:
    return _encode(f"o:{offset}")


def decode_offset_cursor(cursor: str | None) -> int:
    if cursor is None:
        return 0
    value = _decode(cursor, "o:")
    if not value.isdigit():
        raise _bad_cursor("not a cursor for this list")
    return int(value)


def page(items: Sequence[T], offset: int, limit: int) -> tuple[Sequence[T], str | None]:
    """The slice ``[offset, offset + limit)`` and the cursor of the next page, if any."""
    chunk = items[offset:offset + limit]
    more = len(items) > offset + limit
    return chunk, encode_offset_cursor(offset + limit) if more else None
