"""Ingest over HTTP: upload one paper, BibTeX file or legal text (bearer token required).

The token is checked and the size limit enforced *before* the body is parsed: the route
reads the request stream itself, refusing (413) as soon as it exceeds the limit.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from starlette.datastructures import UploadFile
from starlette.responses import Response

from api.deps import SettingsDep, StoreDep, TokenDep
from api.errors import RETRY_AFTER_S, error_response, error_responses
from api.schemas import IngestReportOut, JSONBytes
from ingest.base import DocumentKind

router = APIRouter(tags=["ingest"])

#: Room for the multipart envelope around the file itself.
ENVELOPE_BYTES = 64 * 1024

_UPLOAD_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["file"],
    "properties": {
        "file": {"type": "string", "format": "binary",
                 "description": "The document; its name's suffix helps detect its kind"},
        "kind": {"type": "string", "enum": [k.value for k in DocumentKind],
                 "description": "Force the kind instead of detecting it"},
        "replace": {"type": "boolean", "default": False,
                    "description": "Delete what earlier loads of this document added"},
    },
}


def invalid_field(field: str, message: str) -> RequestValidationError:
    """A 422 naming a field of the multipart form (location ``body``, as FastAPI's own)."""
    return RequestValidationError([{"loc": ("body", field), "msg": message,
                                    "type": "value_error"}])


async def _read_limited(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"upload larger than {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise HTTPException(413, f"upload larger than {limit} bytes")
    return bytes(body)


def _parse_bool(value: object) -> bool:
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off", ""):
        return False
    raise invalid_field("replace", f"not a boolean: {value!r}")


@router.post(
    "/ingest",
    dependencies=[TokenDep],
    response_model=IngestReportOut,
    responses=error_responses(401, 403, 413, 422, 429, 503),
    openapi_extra={"requestBody": {"required": True, "content": {
        "multipart/form-data": {"schema": _UPLOAD_SCHEMA}}}},
)
async def ingest_upload(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """Parse one uploaded file and write it to the graph; returns the ingest report.

    A file that cannot be read answers 422 with the report (naming the place of the
    error) in ``detail``; nothing of it is written.
    """
    limit = settings.max_upload_bytes
    request._body = await _read_limited(request, limit + ENVELOPE_BYTES)  # parsed below
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise invalid_field("file", "send the document as multipart/form-data field 'file'")
    try:
        form = await request.form(max_files=1, max_fields=10)
    except Exception as exc:  # malformed multipart bodies
        raise invalid_field("file", f"malformed multipart body: {exc}") from exc
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise invalid_field("file", "field 'file' with a document is required")
    kind_raw = form.get("kind")
    try:
        kind = DocumentKind(kind_raw) if isinstance(kind_raw, str) and kind_raw else None
    except ValueError as exc:
        kinds = [k.value for k in DocumentKind]
        raise invalid_field("kind", f"kind must be one of {kinds}") from exc
    replace = _parse_bool(form.get("replace", "false"))
    data = await upload.read()
    await form.close()
    if len(data) > limit:
        raise HTTPException(413, f"upload larger than {limit} bytes")
    name = os.path.basename(upload.filename or "") or "upload.txt"

    from ingest.pipeline import ingest_bytes

    slots: asyncio.Semaphore = request.app.state.upload_slots
    if slots.locked():
        raise HTTPException(429, f"{settings.max_uploads} uploads are already being ingested",
                            headers={"Retry-After": str(RETRY_AFTER_S)})
    async with slots:
        report = await store.write(lambda s: ingest_bytes(s, name, data, settings=settings,
                                                          kind=kind, replace=replace))
    body = report.to_dict()
    if report.failed:
        errors = [f.error for f in report.files if f.error]
        return error_response(422, "ingest_failed", errors[0] if errors else "ingest failed",
                              body)
    return JSONBytes(body)
