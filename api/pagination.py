"""Opaque cursors for paginated lists.

A cursor is URL-safe base64 of ``k:<last id>`` (keyset, for lists sorted by id) or
``o:<offset>:<scope>`` (for computed rankings and search results). The scope is a short
hash of the list a cursor belongs to (the endpoint and its query, see
:func:`scope_of`): an offset means nothing in another list, so a cursor carried over to
another endpoint or query is refused. A cursor that does not decode or belongs elsewhere
is a 422 naming the ``cursor`` field.

Examples
--------
>>> decode_key_cursor(encode_key_cursor("article:/akn/cn/act/1997-03-14/x#art_1"))
'article:/akn/cn/act/1997-03-14/x#art_1'
>>> decode_offset_cursor(encode_offset_cursor(40, "/search?q=child"), "/search?q=child")
40
>>> decode_offset_cursor(encode_offset_cursor(40, "/search?q=child"), "/search?q=crc")
Traceback (most recent call last):
...
fastapi.exceptions.RequestValidationError: ...
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Sequence
from typing import TypeVar
from urllib.parse import urlencode

from fastapi import Request
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


#: Query parameters that do not change which list a page belongs to.
PAGING_PARAMS = frozenset({"cursor", "limit"})


def scope_of(request: Request) -> str:
    """The list a request pages through: its path and query, less cursor and limit.

    Parameters are sorted, so their order does not matter.
    """
    items = sorted((k, v) for k, v in request.query_params.multi_items()
                   if k not in PAGING_PARAMS)
    return request.url.path + "?" + urlencode(items)


def _scope_hash(scope: str) -> str:
    return hashlib.sha256(scope.encode()).hexdigest()[:12]


def encode_offset_cursor(offset: int, scope: str = "") -> str:
    """A cursor resuming at ``offset`` in the list named by ``scope``."""
    return _encode(f"o:{offset}:{_scope_hash(scope)}")


def decode_offset_cursor(cursor: str | None, scope: str = "") -> int:
    """The offset of a cursor of the list ``scope`` (0 for none); 422 for any other."""
    if cursor is None:
        return 0
    value, _, stamp = _decode(cursor, "o:").partition(":")
    if not value.isdigit():
        raise _bad_cursor("not a cursor for this list")
    if stamp != _scope_hash(scope):
        raise _bad_cursor("this cursor belongs to another endpoint or query: keep the "
                          "parameters of the page that returned it")
    return int(value)


def page(items: Sequence[T], offset: int, limit: int,
         scope: str = "") -> tuple[Sequence[T], str | None]:
    """The slice ``[offset, offset + limit)`` and the cursor of the next page, if any."""
    chunk = items[offset:offset + limit]
    more = len(items) > offset + limit
    return chunk, encode_offset_cursor(offset + limit, scope) if more else None
