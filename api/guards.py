"""The app's outer guard (pure ASGI): Host allow-list, body caps and a body deadline, CSP.

It runs before routing and before any body is parsed, so no route can be made to read a
200 MB body, answer to a rebound DNS name, or wait forever for a body sent a byte a minute:

- a ``Host`` header off ``CITEGRAPH_ALLOWED_HOSTS`` (DNS rebinding) answers 400;
- a body larger than the route's cap (``CITEGRAPH_MAX_UPLOAD_BYTES`` for ``/ingest``,
  ``CITEGRAPH_MAX_BODY_BYTES`` elsewhere) answers 413, on ``Content-Length`` or once the
  streamed bytes pass it; a body not complete within ``CITEGRAPH_BODY_TIMEOUT_S`` answers 408;
- ``/docs`` and ``/redoc`` get a Content-Security-Policy allowing only this origin (their
  inline scripts by hash), so the pages load nothing from a CDN.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson
from starlette.exceptions import HTTPException

from citegraph.settings import Settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

DOCS_PATHS = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})
#: Multipart framing around an upload of at most ``max_upload_bytes``.
MULTIPART_SLACK = 64 * 1024
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL)


class BodyRefused(HTTPException):
    """The body broke a cap (413) or its deadline (408); routes answer it in the error shape."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(status, message, headers={"Connection": "close"})
        self.message = message


def host_name(header: str) -> str:
    """The host of a ``Host`` header, without port, lower case.

    >>> host_name("LocalHost:8000"), host_name("[::1]:8000"), host_name("127.0.0.1")
    ('localhost', '::1', '127.0.0.1')
    """
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].partition("]")[0]
    return header.rpartition(":")[0] if header.count(":") == 1 else header


def allowed_hosts(settings: Settings) -> frozenset[str]:
    """The configured names, plus the address the server is bound to (unless a wildcard)."""
    names = {host_name(h) for h in settings.allowed_hosts.split(",") if h.strip()}
    if settings.host not in ("0.0.0.0", "::", ""):
        names.add(host_name(settings.host))
    return frozenset(names)


def docs_csp(body: bytes) -> str:
    """A strict policy for a docs page: self only, its inline scripts by SHA-256."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(body))
    return ("default-src 'none'; script-src 'self' " + hashes + "; style-src 'self' "
            "'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
            "worker-src blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


async def _plain_error(send: Send, status: int, code: str, message: str) -> None:
    body = orjson.dumps({"error": {"code": code, "message": message, "detail": None}})
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """Wraps the app; see the module docstring."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.hosts = allowed_hosts(settings)

    def body_cap(self, path: str) -> int:
        if path.rstrip("/") == "/ingest":
            return self.settings.max_upload_bytes + MULTIPART_SLACK
        return self.settings.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        host = host_name(headers.get(b"host", b"").decode("latin-1"))
        if "*" not in self.hosts and host not in self.hosts:
            await _plain_error(send, 400, "bad_host",
                               "Host header not allowed (set CITEGRAPH_ALLOWED_HOSTS)")
            return
        cap = self.body_cap(scope["path"])
        declared = headers.get(b"content-length", b"").decode("latin-1").strip()
        if declared.isdigit() and int(declared) > cap:
            await _plain_error(send, 413, "payload_too_large",
                               f"request body larger than {cap} bytes")
            return
        limited = _limited_receive(receive, cap, self.settings.body_timeout_s)
        if scope["path"] in DOCS_PATHS:
            send = _with_docs_csp(send)
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited, tracking_send)
        except BodyRefused as refused:
            if started:
                raise
            await _plain_error(send, refused.status_code, _CODES[refused.status_code],
                               refused.message)


_CODES = {408: "request_timeout", 413: "payload_too_large"}


def _limited_receive(receive: Receive, cap: int, timeout_s: float) -> Receive:
    """``receive`` raising :class:`BodyRefused` past ``cap`` bytes or the deadline."""
    deadline = time.monotonic() + timeout_s
    seen = 0
    done = False

    async def limited() -> Message:
        nonlocal seen, done
        if done:  # the body is complete: waiting for the disconnect is not bounded
            return await receive()
        left = deadline - time.monotonic()
        try:
            message = await asyncio.wait_for(receive(), timeout=max(left, 0.001))
        except TimeoutError:
            raise BodyRefused(408, f"request body not received within {timeout_s:g} s") \
                from None
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > cap:
                raise BodyRefused(413, f"request body larger than {cap} bytes")
            done = not message.get("more_body", False)
        return message

    return limited


def _with_docs_csp(send: Send) -> Send:
    """Hold a docs page's start message until its body is known, then add the CSP."""
    start: Message | None = None
    chunks: list[bytes] = []

    async def docs_send(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
            return
        if start is None or message["type"] != "http.response.body":
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body"):
            return
        body = b"".join(chunks)
        start["headers"] = [*start.get("headers", []),
                            (b"content-security-policy", docs_csp(body).encode()),
                            (b"x-content-type-options", b"nosniff")]
        await send(start)
        await send({"type": "http.response.body", "body": body})

    return docs_send
