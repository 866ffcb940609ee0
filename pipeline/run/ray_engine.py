"""Scale-out: documents spread over a Ray cluster, results back to the run's single writer.

Each worker is a Ray actor with its own model session (a configured endpoint, or its own
embedded llama.cpp server), its own gazetteer and, when recording or replaying, its own
cassettes (vcrpy patches one process at a time, so actors replay in parallel). Workers only
extract and interpret — `run.document.process`, the function the local engine runs in its
threads — and return `Processed` values; the driver stores them, so a Ray run writes exactly
the rows a local run writes.

There is one actor per CPU the cluster has free (at most one per document). Against a
configured endpoint (live), the run's concurrency is shared out among the actors: an actor
with a share of n extracts up to n documents at once in its threads, with at most n requests
in flight, so the endpoint sees the configured concurrency, never more, as with the local
engine. Otherwise (replay, record, the embedded model) each actor takes one document at a
time.

    claimdiff run articles/ --engine ray                       # a local Ray instance
    claimdiff run articles/ --engine ray --address ray://head:10001   # an existing cluster

On a cluster, every node needs claimdiff installed (the same lock file) and, for replay, the
cassettes folder at the same absolute path (or on shared storage).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from pipeline.config import Settings
from pipeline.extract import Answer, Ask, Request
from pipeline.model.transport import HttpStats
from pipeline.run.document import Job, Processed, process
from pipeline.run.session import CassetteMode
from schemas import Document


class RayUnavailable(RuntimeError):
    """Ray is not installed or the cluster cannot be reached; the message says what to do."""


def _settings_payload(settings: Settings) -> dict[str, Any]:
    """Settings as plain data for the workers (paths made absolute: a worker's working folder
    is not the driver's). The key goes under its environment name: `api_key` has validation
    aliases, so `Settings.model_validate` would drop it under its field name."""
    data = settings.model_dump()
    del data["api_key"]
    if settings.api_key is not None:
        data["CLAIMDIFF_API_KEY"] = settings.api_key.get_secret_value()
    data["cache_dir"] = str(settings.cache_dir.expanduser().resolve())
    data["cassettes_dir"] = str(settings.cassettes_dir.expanduser().resolve())
    if settings.markers is not None:
        data["markers"] = str(settings.markers.resolve())
    return data


def shares(slots: int, actors: int) -> list[int]:
    """`slots` requests in flight shared out among `actors` as evenly as can be (sum: slots)."""
    return [slots // actors + (i < slots % actors) for i in range(actors)]


class _Worker:
    """A Ray actor: one model session, one gazetteer; up to `job.workers` documents at once
    (its threads), with at most that many requests in flight."""

    def __init__(self, payload: dict[str, Any], mode: CassetteMode, job: Job) -> None:
        import logging

        from pipeline.interpret.places import Gazetteer
        from pipeline.run.session import ModelSession

        logging.getLogger("instructor").setLevel(logging.CRITICAL)
        settings = Settings.model_validate(payload)
        self.session = ModelSession(settings, mode)
        self.places = Gazetteer.load(settings.cache_dir)
        self.job = job
        self._ask: Ask | None = None
        self._gloss: Any = None
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(max(job.workers, 1))
        self._retries_reported = 0

    def _start(self) -> Ask:
        with self._lock:  # the embedded server starts here, once, whichever thread is first
            if self._ask is None:
                ask = self.session.ask()
                slots = self._slots

                def bounded(request: Request) -> Answer:
                    with slots:
                        return ask(request)

                self._gloss = self.session.gloss() if self.job.gloss else None
                self._ask = bounded
            return self._ask

    def process(self, document: Document) -> tuple[Processed, int]:
        """The document's outcome, and the HTTP retries this actor made since it last said."""
        from pipeline.extract import plan

        ask = self._start()
        requests = plan(document, self.places, self.job.layout)
        processed = process(document, requests, ask, self.places, self.job, None, self._gloss)
        with self._lock:
            retries = self.session.stats.retries - self._retries_reported
            self._retries_reported += retries
        return processed, retries

    def close(self) -> None:
        self.session.close()


def extract_on_ray(
    documents: Sequence[Document],
    settings: Settings,
    mode: CassetteMode,
    job: Job,
    address: str | None,
    status: Callable[[str], None],
    stats: HttpStats | None = None,
) -> Iterator[Processed]:
    """Process `documents` on Ray actors; yields results as they finish. The actors' HTTP
    retries are added to `stats` (the driver's session, which sends nothing itself)."""
    try:
        import ray
    except ImportError:
        raise RayUnavailable(
            "the Ray engine needs Ray: pip install 'claimdiff[ray]' (make test installs it)"
        ) from None
    # A local instance this run starts is shut down when it ends: `claimdiff` leaves through
    # os._exit, which skips Ray's own shutdown at exit and would orphan its agents.
    started = address is None and not ray.is_initialized()
    try:
        ray.init(address=address, ignore_reinit_error=True, include_dashboard=False,
                 log_to_driver=False, configure_logging=False)  # fmt: skip
    except Exception as error:  # Ray raises many kinds; all mean "no cluster here"
        where = address or "local"
        raise RayUnavailable(f"cannot start or reach Ray ({where}): {error}") from error
    free = _free_cpus(ray)
    # job.workers > 1: requests in flight against one configured endpoint, shared out among
    # the actors; 1: one document at a time per model session (cassettes, embedded server).
    slots = job.workers if job.workers > 1 else 0
    count = max(1, min(free, len(documents), slots or len(documents)))
    share = shares(slots, count) if slots else [1] * count
    status(f"Ray: {count} workers on {address or 'a local instance'}")
    actor: Any = ray.remote(num_cpus=1)(_Worker)
    payload = _settings_payload(settings)
    # Cassette paths are the driver's, made absolute (a worker's working folder may differ).
    job = replace(job, cassettes_dir=job.cassettes_dir.expanduser().resolve())
    workers: list[Any] = [
        actor.options(max_concurrency=n).remote(payload, mode, replace(job, workers=n))
        for n in share
    ]
    queue = deque(documents)
    pending: dict[Any, int] = {}  # in flight: object ref → its actor's index

    def submit(index: int) -> None:
        pending[workers[index].process.remote(queue.popleft())] = index

    try:
        for index, n in enumerate(share):
            for _ in range(min(n, len(queue))):
                submit(index)
        while pending:
            [done], _ = ray.wait(list(pending), num_returns=1)
            index = pending.pop(done)
            if queue:
                submit(index)  # the actor that finished takes the next document
            processed, retries = ray.get(done)
            if stats is not None:
                stats.retries += retries
            yield processed
    finally:
        for ref in pending:  # an error or an interrupt: send nothing more
            with contextlib.suppress(Exception):
                ray.cancel(ref)
        # Stops the actors' embedded servers; a worker that died has nothing to stop.
        with contextlib.suppress(Exception):
            ray.get([w.close.remote() for w in workers], timeout=60)
        for worker in workers:
            ray.kill(worker)
        if started:
            ray.shutdown()
        else:
            _wait_released(ray, free)


def _free_cpus(ray: Any) -> int:
    return int(ray.available_resources().get("CPU", 0))


def _wait_released(ray: Any, free: int, patience: float = 5.0) -> None:
    """Until the killed actors' CPUs show as free again (briefly): a run started next in this
    process sizes its pool from them."""
    deadline = time.monotonic() + patience
    while _free_cpus(ray) < free and time.monotonic() < deadline:
        time.sleep(0.05)
