"""One document through extract (under its cassette) and interpret → an `Outcome` to store.

The same function runs in the local engine's threads and in Ray workers; it never touches the
database. A transport failure, a missing cassette or a model that cannot start fails the
document alone (status `failed`, the reason in `failures`); every other document goes on.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import httpx2
import openai
from instructor.core.exceptions import InstructorRetryException

from pipeline.extract import Ask, Layout, Request, extract_document
from pipeline.interpret.records import Places, interpret
from pipeline.model.cassettes import ReplayMiss, cassette_path, recorder, recording
from pipeline.model.client import GlossAsk
from pipeline.run.session import CassetteMode
from schemas import Document, Extraction, Failure, Interpretation, Outcome


@dataclass(frozen=True)
class Job:
    """What a worker needs to process documents (plain values: it travels to Ray workers)."""

    model: str
    mode: CassetteMode
    prompt_version: str
    cassettes_dir: Path
    layout: Layout
    run_id: str
    workers: int = 1  # concurrent requests within one document
    gloss: bool = False  # English glosses of non-English quotes


@dataclass(frozen=True)
class Processed:
    outcome: Outcome
    requests: int
    rejected: int
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    error: str | None = None


def process(
    document: Document,
    requests: list[Request],
    ask: Ask,
    places: Places,
    job: Job,
    on_request: Callable[[], None] | None = None,
    gloss: GlossAsk | None = None,
) -> Processed:
    started = time.monotonic()
    cassette = cassette_path(job.cassettes_dir, job.model, job.prompt_version, document.document_id)
    try:
        with _cassette(job.mode, cassette):
            extraction = extract_document(
                document, ask, places, layout=job.layout, workers=job.workers,
                on_request=on_request, requests=requests,
            )  # fmt: skip
            interpretation = interpret(document, extraction, places)
            if job.gloss and gloss is not None and document.language != "en":
                interpretation = replace(
                    interpretation, glosses=_glosses(interpretation, document, gloss)
                )
    except Exception as error:  # the document fails alone; the reason is stored
        stage, reason = classify(error, document, cassette)
        outcome = Outcome(
            document, "failed", True, None, None,
            (Failure(document.document_id, document.source_path, stage, reason),),
            job.run_id, job.model, job.prompt_version,
        )  # fmt: skip
        return Processed(outcome, 0, 0, 0, 0, time.monotonic() - started, reason)
    outcome = Outcome(
        document, "partial" if extraction.failures else "ok", True, None, interpretation,
        tuple(_chunk_failures(document, extraction)), job.run_id, job.model, job.prompt_version,
    )  # fmt: skip
    return Processed(outcome, extraction.requests, extraction.rejected, extraction.prompt_tokens,
                     extraction.completion_tokens, time.monotonic() - started)  # fmt: skip


def _glosses(interpretation: Interpretation, document: Document, gloss: GlossAsk) -> dict[int, str]:
    """One English gloss per quoted sentence that holds a fact (in the cassette: recorded and
    replayed with the rest of the document's traffic)."""
    quotes = {f.evidence.char_start: f.evidence.quote for f in interpretation.facts}
    return {start: gloss(quote, document.language) for start, quote in sorted(quotes.items())}


def _chunk_failures(document: Document, extraction: Extraction) -> list[Failure]:
    return [
        Failure(
            document.document_id,
            document.source_path,
            "validation",
            f.reason,
            f.chunk_index,
            f.record_type,
        )
        for f in extraction.failures
    ]


@contextlib.contextmanager
def _cassette(mode: CassetteMode, path: Path) -> Iterator[None]:
    if mode == "live":
        yield
        return
    if mode == "record":
        with recording(path):
            yield
        return
    with recorder(mode).use_cassette(str(path)):
        yield


def classify(error: BaseException, document: Document, cassette: Path) -> tuple[str, str]:
    """(stage, reason) for a document-level failure, with the reason a person can act on."""
    if _cause(error, ReplayMiss):
        missing = (
            "has no recorded answer for one of its requests"
            if cassette.exists()
            else "has no cassette"
        )
        return "replay", (
            f"document {document.document_id} {missing} ({cassette}); prompts or model changed "
            f"since recording? Record it with: claimdiff run --record {document.source_path}"
        )
    status = _cause(error, openai.APIStatusError)
    if isinstance(status, openai.APIStatusError):
        return "transport", f"HTTP {status.status_code} from the model endpoint: {status.message}"
    if _cause(error, openai.APIConnectionError) or _cause(error, httpx2.TransportError):
        return "transport", f"cannot reach the model endpoint: {_innermost(error)}"
    if isinstance(error, InstructorRetryException):
        return "transport", f"model call failed: {_innermost(error)}"
    return "error", f"{type(error).__name__}: {error}"


def _cause(error: BaseException, kind: type[BaseException]) -> BaseException | None:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _innermost(error: BaseException) -> str:
    while error.__cause__ is not None:
        error = error.__cause__
    return f"{type(error).__name__}: {error}"
