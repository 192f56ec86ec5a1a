"""The h11 protocol ``citegraph serve`` runs uvicorn with: a deadline for request headers.

Uvicorn's h11 server waits for a request's headers without a deadline, so a client sending
a header line a minute holds its connection for ever (slowloris). :class:`DeadlineH11Protocol`
closes a connection whose request line and headers are not complete within
``CITEGRAPH_HEADER_TIMEOUT_S`` (from its opening, or from the previous response on a
kept-alive connection); the body's own deadline is :mod:`api.guards`'. The other limits
(``limit_concurrency``, keep-alive, header size) are uvicorn options: ``citegraph serve``.
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.h11_impl import H11Protocol

from citegraph.settings import get_settings


class DeadlineH11Protocol(H11Protocol):
    """h11 with a deadline on each request's line and headers."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_deadline()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._headers_arrived()

    def on_response_complete(self) -> None:
        self._arm_header_deadline()
        super().on_response_complete()
        self._headers_arrived()

    def _arm_header_deadline(self) -> None:
        self._cancel_header_deadline()
        self._deadline_cycle = self.cycle
        self._header_deadline: asyncio.TimerHandle | None = self.loop.call_later(
            get_settings().header_timeout_s, self._header_deadline_passed)

    def _headers_arrived(self) -> None:
        if self.cycle is not None and self.cycle is not getattr(self, "_deadline_cycle", None):
            self._cancel_header_deadline()

    def _cancel_header_deadline(self) -> None:
        handle = getattr(self, "_header_deadline", None)
        if handle is not None:
            handle.cancel()
            self._header_deadline = None

    def _header_deadline_passed(self) -> None:
        self._header_deadline = None
        if not self.transport.is_closing():
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_deadline()
        super().connection_lost(exc)
