"""One JSON error shape for every failure: ``{"error": {"code", "message", "detail"}}``.

Citegraph errors map to HTTP statuses by class (unknown node → 404, store down → 503 with
``Retry-After``, refused query → 400...), HTTP exceptions keep their status, and request
validation errors become 422 naming the offending field.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from api.schemas import ErrorResponse, JSONBytes
from citegraph.errors import (
    CitegraphError,
    ConfigError,
    CorruptStoreError,
    InputError,
    InputTooLargeError,
    ModelError,
    NodeNotFoundError,
    QueryError,
    QueryTimeoutError,
    StoreError,
    StoreUnavailableError,
)

log = logging.getLogger("citegraph.api")

#: Seconds a client should wait before retrying when the store is down.
RETRY_AFTER_S = 5

#: Most specific class first.
_STATUS: tuple[tuple[type[CitegraphError], int], ...] = (
    (NodeNotFoundError, 404),
    (StoreUnavailableError, 503),
    (CorruptStoreError, 500),
    (StoreError, 500),
    (InputTooLargeError, 413),
    (InputError, 422),
    (ModelError, 422),
    (QueryTimeoutError, 504),
    (QueryError, 400),
    (ConfigError, 500),
)

_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 406: "not_acceptable", 409: "conflict",
               413: "payload_too_large", 415: "unsupported_media_type", 422: "invalid_request",
               429: "too_many_requests", 500: "internal_error", 503: "unavailable",
               504: "timeout"}

_DESCRIPTIONS = {400: "Bad request (for example a refused query)",
                 401: "Missing or wrong bearer token", 403: "Writes or Cypher disabled",
                 404: "Unknown node or resource", 413: "Upload too large",
                 422: "Invalid parameter (the field is named)",
                 429: "Too many uploads in progress (see Retry-After)",
                 503: "Store unavailable (see Retry-After)", 504: "Query timed out"}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries documenting the error shape for these statuses."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        entry: dict[str, Any] = {"model": ErrorResponse,
                                 "description": _DESCRIPTIONS.get(status, "Error")}
        if status in (429, 503):
            entry["headers"] = {"Retry-After": {"description": "Seconds to wait",
                                                "schema": {"type": "integer"}}}
        out[status] = entry
    return out


def error_response(status: int, code: str, message: str, detail: Any = None,
                   headers: dict[str, str] | None = None) -> Response:
    """A response in the one error shape."""
    return JSONBytes({"error": {"code": code, "message": message, "detail": detail}},
                     status_code=status, headers=headers)


def status_of(exc: CitegraphError) -> int:
    for cls, status in _STATUS:
        if isinstance(exc, cls):
            return status
    return 500


def _citegraph_detail(exc: CitegraphError) -> dict[str, Any] | None:
    place = {k: v for k, v in (("file", exc.file), ("line", exc.line), ("column", exc.column),
                               ("place", exc.place)) if v is not None}
    return place or None


async def handle_citegraph_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CitegraphError)
    status = status_of(exc)
    headers = {"Retry-After": str(RETRY_AFTER_S)} if status == 503 else None
    if status >= 500 and status != 503:
        log.error("%s %s failed: %s", request.method, request.url.path, exc)
    return error_response(status, exc.code, str(exc), _citegraph_detail(exc), headers)


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    detail = exc.detail
    message = detail if isinstance(detail, str) else _HTTP_CODES.get(status, "error")
    code = _HTTP_CODES.get(status, f"http_{status}")
    headers = dict(exc.headers) if exc.headers else None
    return error_response(status, code, message, None, headers)


def _field_name(loc: Sequence[Any]) -> str:
    """``("query", "depth")`` → ``depth``; body paths keep their dots."""
    parts = [str(p) for p in loc if p not in ("query", "path", "body", "header", "cookie")]
    return ".".join(parts) or ".".join(str(p) for p in loc)


async def handle_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [{"field": _field_name(e.get("loc", ())), "location": str(e.get("loc", ("",))[0]),
                 "message": str(e.get("msg", "")), "type": str(e.get("type", ""))}
                for e in exc.errors()]
    fields = ", ".join(dict.fromkeys(p["field"] for p in problems))
    first = problems[0]["message"] if problems else "invalid request"
    return error_response(422, "invalid_parameter", f"invalid {fields}: {first}", problems)


def _is_unavailable(exc: BaseException) -> bool:
    """Driver errors that mean the database cannot be reached (without importing the driver)."""
    names = {cls.__name__ for cls in type(exc).__mro__}
    return bool(names & {"ServiceUnavailable", "SessionExpired", "ConnectionError",
                         "DatabaseUnavailable"})


async def handle_unexpected(request: Request, exc: Exception) -> Response:
    if _is_unavailable(exc):
        return error_response(503, "store_unavailable", "the store cannot be reached",
                              None, {"Retry-After": str(RETRY_AFTER_S)})
    log.exception("%s %s failed", request.method, request.url.path)
    return error_response(500, "internal_error", "internal error")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(CitegraphError, handle_citegraph_error)
    app.add_exception_handler(StarletteHTTPException, handle_http_exception)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    app.add_exception_handler(Exception, handle_unexpected)
