"""The model client: instructor over the openai SDK, over an HTTP transport that retries.

Two kinds of retry, kept apart on purpose:
- transport faults (connection errors, timeouts, 429, 5xx) are retried here, below the SDK,
  with exponential backoff and jitter, honouring `Retry-After`;
- answers that fail validation are re-asked by instructor, with the error fed back.
The SDK's own retries are off so that one policy, visible in `HttpStats`, is in charge.
"""

from __future__ import annotations

import email.utils
import json
import math
import threading
import time
from dataclasses import dataclass, field

import httpx2
import instructor
import openai
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 60.0

_MODES = {
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "tools": instructor.Mode.TOOLS,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
}


@dataclass(frozen=True)
class Endpoint:
    base_url: str
    model: str
    api_key: str = field(repr=False)


@dataclass
class HttpStats:
    requests: int = 0
    retries: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, *, retry: bool) -> None:
        with self._lock:
            self.requests += 1
            self.retries += int(retry)


class _RetryableStatus(Exception):
    def __init__(self, response: httpx2.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


def retry_after(response: httpx2.Response) -> float | None:
    """Seconds the server asked us to wait, from `Retry-After` (seconds or an HTTP date)."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return None  # unreadable: fall back to our own backoff
    if not math.isfinite(seconds):
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _corrupt_json(response: httpx2.Response) -> bool:
    """A 2xx JSON answer whose body does not parse: a fault on the way, not the model's answer
    (that would spend one of instructor's re-asks, which are for answers that fail validation)."""
    if not 200 <= response.status_code < 300:
        return False
    if "json" not in response.headers.get("content-type", ""):
        return False
    try:
        json.loads(response.read())
    except ValueError:
        return True
    return False


class RetryTransport(httpx2.BaseTransport):
    """Retries one HTTP exchange on transport faults and retryable statuses."""

    def __init__(
        self,
        inner: httpx2.BaseTransport,
        attempts: int,
        stats: HttpStats,
        backoff: wait_exponential_jitter | None = None,
    ) -> None:
        self.inner = inner
        self.attempts = max(attempts, 1)
        self.stats = stats
        self.backoff = backoff or wait_exponential_jitter(multiplier=0.5, max=20.0, jitter=0.5)

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, _RetryableStatus):
            asked = retry_after(error.response)
            if asked is not None:
                return asked
        return float(self.backoff(state))

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        retrying = Retrying(
            stop=stop_after_attempt(self.attempts),
            wait=self._wait,
            retry=retry_if_exception_type((_RetryableStatus, httpx2.TransportError)),
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    self.stats.count(retry=attempt.retry_state.attempt_number > 1)
                    response = self.inner.handle_request(request)
                    if response.status_code in RETRY_STATUSES or _corrupt_json(response):
                        response.read()
                        response.close()
                        raise _RetryableStatus(response)
                    return response
        except _RetryableStatus as exhausted:
            if 200 <= exhausted.response.status_code < 300:
                # A body that stayed corrupt is a transport failure: handed to the SDK it would
                # be a JSON error, and instructor would spend its re-asks (meant for answers
                # that fail validation) on the network's fault.
                raise httpx2.RemoteProtocolError(
                    f"the endpoint's JSON body stayed corrupt after {self.attempts} attempts",
                    request=request,
                ) from None
            return exhausted.response  # the SDK turns it into RateLimitError, InternalServerError…
        raise AssertionError("unreachable: tenacity either returns or raises")

    def close(self) -> None:
        self.inner.close()


def make_client(
    endpoint: Endpoint, mode: str, timeout: float, attempts: int, stats: HttpStats
) -> instructor.Instructor:
    transport = RetryTransport(httpx2.HTTPTransport(), attempts, stats)
    http_client = httpx2.Client(transport=transport, timeout=timeout)
    sdk = openai.OpenAI(
        base_url=endpoint.base_url, api_key=endpoint.api_key, max_retries=0, http_client=http_client
    )
    return instructor.from_openai(sdk, mode=_MODES[mode])
