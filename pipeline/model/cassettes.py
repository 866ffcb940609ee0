"""Recorded model traffic (vcrpy): one cassette per model, prompt version and document.

Replay matches requests on method, path and the parsed JSON body, never on host or port (the
embedded server listens on a random port) nor on headers (the SDK varies `x-stainless-*`).
Only `content-type` survives in a recorded request; response headers that could identify an
account are dropped before anything is written.

Recording under a new prompt version asks the model only what it has not answered before: a
request identical, body and all, to one recorded for the same document under an earlier
version is answered from that recording (`recording`). A change to one vocabulary then costs
the requests it changes, not hours of re-recording every corpus.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import vcr
import yaml
from vcr.errors import CannotOverwriteExistingCassetteException
from vcr.persisters.filesystem import FilesystemPersister
from vcr.serializers import yamlserializer

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


def earlier_recordings(path: Path) -> list[Path]:
    """The same document's cassettes under the model's other prompt versions, newest first."""
    if not path.parent.parent.is_dir():
        return []
    found = [p for p in path.parent.parent.glob(f"*/{path.name}") if p.parent != path.parent]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


@contextlib.contextmanager
def recording(path: Path) -> Iterator[None]:
    """Record the document's traffic into `path`, replacing what it held.

    The successful answers recorded for the same document (this cassette, then those of
    earlier prompt versions) are loaded first: a request that matches one of them (each
    answers one request) is answered from it, every other request goes to the model. The
    cassette keeps what this run used and nothing else, so it replays exactly this run.
    """
    requests: list[Any] = []
    responses: list[Any] = []
    # the document's own cassette first: re-recording one version asks nothing twice
    for donor in ([path] if path.is_file() else []) + earlier_recordings(path):
        try:
            old_requests, old_responses, *_ = FilesystemPersister.load_cassette(
                donor, yamlserializer
            )
        except (OSError, ValueError, yaml.YAMLError):
            continue  # an unreadable cassette answers nothing; the model is asked instead
        for request, response in zip(old_requests, old_responses, strict=True):
            if response.get("status", {}).get("code") == 200:  # faults are not carried over
                requests.append(request)
                responses.append(response)
    path.unlink(missing_ok=True)
    if not requests:
        with recorder("record").use_cassette(str(path)):
            yield
        return
    FilesystemPersister.save_cassette(
        path, {"requests": requests, "responses": responses}, yamlserializer
    )
    carried = len(requests)
    with recorder("record").use_cassette(str(path), record_mode="new_episodes") as cassette:
        try:
            yield
        finally:  # keep the answers this run used, in the order they were recorded
            cassette.data = [
                item
                for index, item in enumerate(cassette.data)
                if index >= carried or cassette.play_counts[index]
            ]
            cassette.dirty = True
