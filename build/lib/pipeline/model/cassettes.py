"""Recorded model traffic (vcrpy): one cassette per model, prompt version and document.

Replay matches requests on method, path and the parsed JSON body, never on host or port (the
embedded server listens on a random port) nor on headers (the SDK varies `x-stainless-*`).
Only `content-type` survives in a recorded request; response headers that could identify an
account are dropped before anything is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import vcr
from vcr.errors import CannotOverwriteExistingCassetteException

CassetteMode = Literal["record", "replay"]
_KEEP_REQUEST_HEADERS = {"content-type"}
_DROP_RESPONSE_HEADERS = {
    "set-cookie", "openai-organization", "openai-project", "x-request-id", "cf-ray",
    "authorization", "api-key", "x-api-key",
}  # fmt: skip

ReplayMiss = CannotOverwriteExistingCassetteException


def cassette_path(root: Path, model: str, prompt_version: str, document_id: str) -> Path:
    safe_model = model.replace("/", "_").replace(":", "_")
    return root / safe_model / prompt_version / f"{document_id}.yaml"


def _scrub_request(request: Any) -> Any:
    for name in list(request.headers):
        if name.lower() not in _KEEP_REQUEST_HEADERS:
            del request.headers[name]
    return request


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in _DROP_RESPONSE_HEADERS or name.lower().startswith("x-ratelimit"):
            del headers[name]
    return response


def recorder(mode: CassetteMode) -> vcr.VCR:
    return vcr.VCR(
        serializer="yaml",
        record_mode="all" if mode == "record" else "none",
        match_on=["method", "path", "body"],
        filter_headers=["authorization", "api-key", "x-api-key", "openai-organization"],
        filter_query_parameters=["api-key", "key"],
        before_record_request=_scrub_request,
        before_record_response=_scrub_response,
        decode_compressed_response=True,
    )
