"""Scale-out: documents spread over a Ray cluster, results back to the run's single writer.

Each worker is a Ray actor with its own model session (a configured endpoint, or its own
embedded llama.cpp server), its own gazetteer and, when recording or replaying, its own
cassettes (vcrpy patches one process at a time, so actors replay in parallel). Workers only
extract and interpret — `run.document.process`, the function the local engine runs in its
threads — and return `Processed` values; the driver stores them, so a Ray run writes exactly
the rows a local run writes.

    claimdiff run articles/ --engine ray                       # a local Ray instance
    claimdiff run articles/ --engine ray --address ray://head:10001   # an existing cluster

On a cluster, every node needs claimdiff installed (the same lock file) and, for replay, the
cassettes folder at the same absolute path (or on shared storage).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from pipeline.config import Settings
from pipeline.run.document import Job, Processed, process
from pipeline.run.session import CassetteMode
from schemas import Document


class RayUnavailable(RuntimeError):
    """Ray is not installed or the cluster cannot be reached; the message says what to do."""


def _settings_payload(settings: Settings) -> dict[str, Any]:
    """Settings as plain data for the workers (paths made absolute: a worker's working folder
    is not the driver's)."""
    data = settings.model_dump()
    data["api_key"] = settings.api_key.get_secret_value() if settings.api_key else None
    data["cache_dir"] = str(settings.cache_dir.expanduser().resolve())
    data["cassettes_dir"] = str(settings.cassettes_dir.expanduser().resolve())
    if settings.markers is not None:
        data["markers"] = str(settings.markers.resolve())
    return data


class _Worker:
    """A Ray actor: one model session, one gazetteer, documents one at a time."""

    def __init__(self, payload: dict[str, Any], mode: CassetteMode, job: Job) -> None:
        import logging

        from pipeline.interpret.places import Gazetteer
        from pipeline.run.session import ModelSession

        logging.getLogger("instructor").setLevel(logging.CRITICAL)
        settings = Settings.model_validate(payload)
        self.session = ModelSession(settings, mode)
        self.places = Gazetteer.load(settings.cache_dir)
        self.job = job
        self._ask: Any = None

    def process(self, document: Document) -> Processed:
        from pipeline.extract import plan

        if self._ask is None:
            self._ask = self.session.ask()  # the embedded server starts here, once
        requests = plan(document, self.places, self.job.layout)
        gloss = self.session.gloss() if self.job.gloss else None
        return process(document, requests, self._ask, self.places, self.job, None, gloss)

    def close(self) -> None:
        self.session.close()


def extract_on_ray(
    documents: Sequence[Document],
    settings: Settings,
    mode: CassetteMode,
    job: Job,
    address: str | None,
    status: Callable[[str], None],
) -> Iterator[Processed]:
    """Process `documents` on Ray actors; yields results as they finish."""
    try:
        import ray
        from ray.util import ActorPool
    except ImportError:
        raise RayUnavailable(
            "the Ray engine needs Ray: pip install 'claimdiff[ray]' (make test installs it)"
        ) from None
    try:
        ray.init(address=address, ignore_reinit_error=True, include_dashboard=False,
                 log_to_driver=False, configure_logging=False)  # fmt: skip
    except Exception as error:  # Ray raises many kinds; all mean "no cluster here"
        raise RayUnavailable(f"cannot start or reach Ray ({address or 'local'}): {error}") from error
    cpus = max(1, int(ray.available_resources().get("CPU", 1)))
    count = max(1, min(cpus, len(documents)))
    status(f"Ray: {count} workers on {address or 'a local instance'}")
    actor = ray.remote(num_cpus=1)(_Worker)
    payload = _settings_payload(settings)
    workers = [actor.remote(payload, mode, job) for _ in range(count)]  # type: ignore[attr-defined]
    try:
        pool = ActorPool(workers)
        yield from pool.map_unordered(lambda w, d: w.process.remote(d), list(documents))
    finally:
        ray.get([w.close.remote() for w in workers])
        for worker in workers:
            ray.kill(worker)
