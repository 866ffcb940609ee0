"""A run: ingest → relevance → extract + interpret (workers) → store (one writer) → compare.

Documents fail alone: a refused file or row becomes a `failures` row, a document whose
extraction failed is stored with status `failed` and its reason, and the run goes on. The
embedded model server starts only when some document needs a live answer, and always stops.
"""

from __future__ import annotations

import secrets
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Protocol

from pipeline import ingest
from pipeline.compare import compare
from pipeline.config import Settings
from pipeline.extract import Answer, Ask, Request, plan
from pipeline.extract.prompts import prompt_version
from pipeline.ingest import relevance
from pipeline.ingest.entries import entry_starts, load_entry_layout
from pipeline.ingest.pages import Marker
from pipeline.interpret.places import Gazetteer
from pipeline.run.document import Job, Processed, process
from pipeline.run.session import CassetteMode, ModelSession
from pipeline.store import Store
from pipeline.store.comparison import read_comparables
from schemas import SCHEMA_VERSION, Comparison, Document, Failure, Outcome, SourceError


class Reporter(Protocol):
    """What a run tells its user interface as it goes."""

    def status(self, message: str) -> None: ...
    def planned(self, documents: int) -> None: ...
    def assembling(self, done: int, total: int) -> None: ...
    def document_started(self, document: Document, requests: int) -> None: ...
    def request_done(self, document_id: str) -> None: ...
    def document_done(self, result: DocumentResult) -> None: ...


class SilentReporter:
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
    language: str | None = None
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
    comparison: Comparison | None = None

    @property
    def failed(self) -> list[DocumentResult]:
        return [d for d in self.documents if d.status == "failed"]


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(3)


def run(
    paths: Sequence[str | Path],
    db: Path,
    settings: Settings,
    mode: CassetteMode,
    reporter: Reporter | None = None,
    force: bool = False,
) -> RunSummary:
    """Extract every article under `paths` into `db`; unchanged documents are skipped unless
    `force`. Returns what happened to each document."""
    with _signals_raise():
        return _run(paths, db, settings, mode, reporter or SilentReporter(), force)


def _run(
    paths: Sequence[str | Path],
    db: Path,
    settings: Settings,
    mode: CassetteMode,
    reporter: Reporter,
    force: bool,
) -> RunSummary:
    started = time.monotonic()
    version = prompt_version(settings.layout)
    session = ModelSession(settings, mode, reporter.status, reporter.assembling)
    summary = RunSummary(new_run_id(), session.model, mode, version)
    store = Store(db, on_wait=reporter.status, lock_timeout=settings.lock_timeout).open()
    store.start_run(
        summary.run_id, model=session.model, endpoint=session.endpoint_label,
        cassette_mode=mode, prompt_version=version, schema_version=SCHEMA_VERSION,
        layout=settings.layout, engine=settings.engine,
    )  # fmt: skip
    try:
        with session:
            items = list(ingest.read(paths, max_bytes=settings.max_bytes,
                                     markers=_markers(settings)))  # fmt: skip
            reporter.planned(len(items))
            pending, scores = _triage(items, store, session, summary, reporter, force)
            if pending:
                places = Gazetteer.load(settings.cache_dir)  # the driver's (local engine)
                job = Job(session.model, mode, version, settings.cassettes_dir, settings.layout,
                          summary.run_id, _workers(settings, mode), settings.gloss)  # fmt: skip
                for result in _extract_all(pending, scores, places, store, session, job, summary,
                                           reporter):  # fmt: skip
                    summary.documents.append(result)
                    reporter.document_done(result)
            store.flush(force=True)
            reporter.status("resolving incidents and comparing outlets")
            summary.comparison = compare_database(store, settings.markers)
    except BaseException:
        # An error or a signal: keep what is buffered if the file is free right now, never
        # wait for it; the next run goes on from the last commit.
        summary.http_retries = session.stats.retries
        store.abandon_run(summary.run_id, **_run_totals(summary, time.monotonic() - started))
        raise
    summary.http_retries = session.stats.retries
    store.finish_run(summary.run_id, **_run_totals(summary, time.monotonic() - started))
    return summary


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so that every context manager unwinds (the embedded
    model server stops, the store lets go of the database); `claimdiff run` exits 143."""


@contextmanager
def _signals_raise() -> Iterator[None]:
    """While the run lasts, SIGTERM raises `Terminated` and SIGINT `KeyboardInterrupt` in the
    main thread; once one has, further SIGTERM and SIGINT are ignored until the run has
    unwound, so that a second signal cannot cut the cleanup short (the model server runs in a
    session of its own: only this process can stop it)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return
    previous = {number: signal.getsignal(number) for number in (signal.SIGTERM, signal.SIGINT)}

    def stop(number: int, frame: FrameType | None) -> None:
        for other in previous:
            signal.signal(other, signal.SIG_IGN)
        if number == signal.SIGTERM:
            raise Terminated(f"terminated by signal {number}")
        raise KeyboardInterrupt

    for number in previous:
        signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def compare_database(store: Store, markers: Path | None = None) -> Comparison:
    """Resolve incidents and compare outlets over everything the database holds, and store it.
    `markers`: the markers file whose `live_entries` tell live blogs (default: the built-in)."""
    layout = load_entry_layout(markers)
    with store.exclusive():  # nothing else writes between reading and writing back
        with store.writer() as con:
            assert con is not None
            records, facts, quotes, outlets = read_comparables(
                con, lambda text: entry_starts(text, layout)
            )
        # The file is free while comparing: readers go on reading the last comparison.
        comparison = compare(records, facts, quotes, outlets)
        store.write_comparison(comparison)
    return comparison


def _markers(settings: Settings) -> tuple[Marker, ...] | None:
    if settings.markers is None:
        return None
    return ingest.load_markers(settings.markers)


def _triage(
    items: Sequence[Document | SourceError],
    store: Store,
    session: ModelSession,
    summary: RunSummary,
    reporter: Reporter,
    force: bool,
) -> tuple[list[Document], dict[str, float]]:
    """Refused inputs, unchanged and off-topic documents are settled here; the rest pending
    (with their relevance scores)."""
    pending = []
    scores: dict[str, float] = {}
    for item in items:
        if isinstance(item, SourceError):
            failure = Failure(item.document_id, item.source_path, "read", item.reason)
            store.add_failure(summary.run_id, failure)
            result = DocumentResult(item.document_id, item.source_path, None, "failed",
                                    error=item.reason)  # fmt: skip
        elif not force and store.is_current(item, session.model, summary.prompt_version):
            result = DocumentResult(item.document_id, item.source_path, item.outlet, "unchanged",
                                    item.language)  # fmt: skip
        else:
            score = relevance.score(item.text, item.language)
            if score >= relevance.THRESHOLD:
                pending.append(item)
                scores[item.document_id] = round(score, 2)
                continue
            store.add(Outcome(item, "skipped", False, round(score, 2), None, (), summary.run_id,
                              session.model, summary.prompt_version))  # fmt: skip
            result = DocumentResult(item.document_id, item.source_path, item.outlet, "skipped",
                                    item.language)  # fmt: skip
        summary.documents.append(result)
        reporter.document_done(result)
    return pending, scores


def _workers(settings: Settings, mode: CassetteMode) -> int:
    # vcrpy patches the HTTP transport process-wide, so a cassette per document needs one
    # document at a time; so does llama.cpp's server, which answers one request at a time (and
    # keeps its prompt cache only for the request before).
    if mode != "live" or not settings.base_url:
        return 1
    return max(settings.concurrency, 1)


def _extract_all(
    documents: Sequence[Document],
    scores: dict[str, float],
    places: Gazetteer,
    store: Store,
    session: ModelSession,
    job: Job,
    summary: RunSummary,
    reporter: Reporter,
) -> Iterator[DocumentResult]:
    """Extract concurrently (bounded threads, or Ray actors); store in this thread, the
    database's only writer."""
    if session.settings.engine == "ray":
        from pipeline.run.ray_engine import extract_on_ray

        for processed in extract_on_ray(documents, session.settings, session.mode, job,
                                        session.settings.ray_address, reporter.status,
                                        session.stats):  # fmt: skip
            yield _save(_scored(processed, scores), store, summary)
        return
    ask = session.ask()  # starts the embedded server once, before any worker needs it
    gloss = session.gloss() if job.gloss else None
    if job.workers > 1:
        ask = _bounded(ask, job.workers)

    def work(document: Document) -> Processed:
        requests = plan(document, places, job.layout)
        reporter.document_started(document, len(requests))
        processed = process(document, requests, ask, places, job,
                            lambda: reporter.request_done(document.document_id),
                            gloss)  # fmt: skip
        return _scored(processed, scores)

    pool = ThreadPoolExecutor(max_workers=job.workers)
    try:
        futures = {pool.submit(work, document): document for document in documents}
        for future in as_completed(futures):
            yield _save(future.result(), store, summary)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _scored(processed: Processed, scores: dict[str, float]) -> Processed:
    """The outcome with its document's relevance score (workers do not compute it again)."""
    o = processed.outcome
    score = scores.get(o.document.document_id)
    outcome = Outcome(o.document, o.status, True, score, o.interpretation, o.failures,
                      o.run_id, o.model, o.prompt_version)  # fmt: skip
    return replace(processed, outcome=outcome)


def _bounded(ask: Ask, limit: int) -> Ask:
    """`ask` with at most `limit` requests in flight, however documents and their chunks are
    spread over threads: the endpoint sees the configured concurrency, never more."""
    slots = threading.BoundedSemaphore(limit)

    def bounded(request: Request) -> Answer:
        with slots:
            return ask(request)

    return bounded


def _save(processed: Processed, store: Store, summary: RunSummary) -> DocumentResult:
    outcome = processed.outcome
    document = outcome.document
    store.add(outcome)
    summary.prompt_tokens += processed.prompt_tokens
    summary.completion_tokens += processed.completion_tokens
    interpretation = outcome.interpretation
    return DocumentResult(
        document.document_id, document.source_path, document.outlet, outcome.status,
        document.language,
        records=len(interpretation.records) if interpretation else 0,
        facts=len(interpretation.facts) if interpretation else 0,
        requests=processed.requests, rejected=processed.rejected, seconds=processed.seconds,
        error=processed.error,
    )  # fmt: skip


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
