"""The model client's two retry policies, against a real local fault-injecting HTTP server.

Transport faults (429, 5xx, dropped connections, timeouts) are retried by `RetryTransport`
below the SDK; invalid answers are re-asked by instructor with the validation error fed back.
"""

from __future__ import annotations

import email.utils
import math
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2
import openai
import pytest
from fakes import DROP, FakeOpenAI, Fault, completion
from instructor.core.exceptions import InstructorRetryException
from tenacity import RetryCallState, wait_none

from pipeline.drafts import CasualtyDraft
from pipeline.extract import AskFailed, instructor_ask
from pipeline.llm import (
    MAX_RETRY_AFTER,
    Endpoint,
    HttpStats,
    RetryTransport,
    make_client,
    retry_after,
)
from schemas import RecordType

CHUNK = (
    "At least seven people were killed and 69 injured when the bridge collapsed in Bryansk, "
    "officials said."
)
GOOD = {
    "records": [
        {
            "quote": CHUNK,
            "killed": "At least seven",
            "injured": "69",
            "victims": "people",
            "location": "Bryansk",
            "attributed_to": "officials",
        }
    ]
}
UNGROUNDED_QUOTE = "Nine people died in Kursk."
BAD = {"records": [{"quote": UNGROUNDED_QUOTE, "killed": "Nine"}]}
OK = {"ok": True}


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as running:
        yield running


class RecordingWait:
    """A tenacity wait of 0 s that remembers when it was consulted."""

    def __init__(self) -> None:
        self.attempts: list[int] = []

    def __call__(self, state: RetryCallState) -> float:
        self.attempts.append(state.attempt_number)
        return 0.0


def http_client(
    server: FakeOpenAI, attempts: int, stats: HttpStats, backoff: Any = None, timeout: float = 5
) -> httpx2.Client:
    transport = RetryTransport(
        httpx2.HTTPTransport(), attempts, stats, backoff=backoff or wait_none()
    )
    return httpx2.Client(transport=transport, timeout=timeout, base_url=server.url)


def sdk(server: FakeOpenAI, attempts: int, stats: HttpStats, **kwargs: Any) -> openai.OpenAI:
    return openai.OpenAI(
        base_url=server.url + "/v1",
        api_key="sk-test",
        max_retries=0,
        http_client=http_client(server, attempts, stats, **kwargs),
    )


def chat(client: openai.OpenAI) -> str | None:
    answer = client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
    return answer.choices[0].message.content


# --- RetryTransport -------------------------------------------------------------------------


def test_429_then_200_succeeds_with_one_retry(server: FakeOpenAI) -> None:
    server.push((429, {"Retry-After": "0"}), completion("fine"))
    stats = HttpStats()

    assert chat(sdk(server, 3, stats)) == "fine"

    assert (stats.requests, stats.retries) == (2, 1)
    assert len(server.requests) == 2
    assert server.requests[0].body == server.requests[1].body  # the same request, sent again
    assert not server.script


def test_retry_after_is_honoured_instead_of_backoff(server: FakeOpenAI) -> None:
    server.push((429, {"Retry-After": "1"}), completion("fine"))
    backoff = RecordingWait()

    started = time.monotonic()
    assert chat(sdk(server, 3, HttpStats(), backoff=backoff)) == "fine"
    elapsed = time.monotonic() - started

    assert elapsed >= 0.95
    assert backoff.attempts == []  # the server's wait replaced ours


def test_backoff_is_used_when_the_server_gives_no_retry_after(server: FakeOpenAI) -> None:
    server.push((503, {}), (502, {}), completion("fine"))
    backoff = RecordingWait()
    stats = HttpStats()

    assert chat(sdk(server, 3, stats, backoff=backoff)) == "fine"

    assert backoff.attempts == [1, 2]
    assert (stats.requests, stats.retries) == (3, 2)


@pytest.mark.parametrize(
    ("status", "error"),
    [(503, openai.InternalServerError), (429, openai.RateLimitError)],
)
def test_retryable_status_beyond_attempts_reaches_the_sdk(
    server: FakeOpenAI, status: int, error: type[openai.APIStatusError]
) -> None:
    attempts = 3
    server.push(*[Fault(status)] * (attempts + 2), completion("too late"))
    stats = HttpStats()

    with pytest.raises(error) as raised:
        chat(sdk(server, attempts, stats))

    assert raised.value.status_code == status
    assert len(server.requests) == attempts
    assert (stats.requests, stats.retries) == (attempts, attempts - 1)


def test_dropped_connection_then_200_succeeds(server: FakeOpenAI) -> None:
    server.push(DROP, completion("fine"))
    stats = HttpStats()

    assert chat(sdk(server, 3, stats)) == "fine"

    assert len(server.requests) == 2
    assert (stats.requests, stats.retries) == (2, 1)


def test_dropped_connections_beyond_attempts_raise_connection_error(server: FakeOpenAI) -> None:
    server.push(DROP, DROP, completion("too late"))

    with pytest.raises(openai.APIConnectionError):
        chat(sdk(server, 2, HttpStats()))

    assert len(server.requests) == 2


def test_read_timeout_is_retried(server: FakeOpenAI) -> None:
    server.push(completion("slow", delay=1.0), completion("fine"))
    stats = HttpStats()

    assert chat(sdk(server, 3, stats, timeout=0.3)) == "fine"

    assert len(server.requests) == 2
    assert stats.retries == 1


@pytest.mark.parametrize(
    ("status", "error"),
    [(400, openai.BadRequestError), (401, openai.AuthenticationError)],
)
def test_client_errors_are_not_retried(
    server: FakeOpenAI, status: int, error: type[openai.APIStatusError]
) -> None:
    server.push(Fault(status), completion("must not be reached"))
    stats = HttpStats()

    with pytest.raises(error):
        chat(sdk(server, 3, stats))

    assert len(server.requests) == 1
    assert (stats.requests, stats.retries) == (1, 0)


def test_transport_returns_the_last_response_when_attempts_run_out(server: FakeOpenAI) -> None:
    server.push(Fault(503), Fault(504))
    with http_client(server, 2, HttpStats()) as client:
        response = client.post("/v1/chat/completions", json={"model": "m"})
    assert response.status_code == 504
    assert response.json()["error"]["message"] == "scripted 504"


# --- retry_after ----------------------------------------------------------------------------


def _asked(value: str) -> float | None:
    return retry_after(httpx2.Response(429, headers={"Retry-After": value}))


def _http_date(delta: timedelta) -> str:
    return email.utils.format_datetime(datetime.now(UTC) + delta, usegmt=True)


def test_retry_after_seconds() -> None:
    assert _asked("0") == 0.0
    assert _asked("7") == 7.0
    assert _asked("1.5") == 1.5
    assert _asked("-5") == 0.0
    assert retry_after(httpx2.Response(429)) is None


def test_retry_after_http_date() -> None:
    in_30s = _asked(_http_date(timedelta(seconds=30)))
    assert in_30s is not None and 27 <= in_30s <= 30
    assert _asked(_http_date(timedelta(seconds=-300))) == 0.0  # already past


def test_retry_after_is_capped() -> None:
    assert _asked("3600") == MAX_RETRY_AFTER
    assert _asked(_http_date(timedelta(days=2))) == MAX_RETRY_AFTER


@pytest.mark.parametrize("value", ["soon", "nan"])
def test_retry_after_ignores_malformed_values(value: str) -> None:
    asked = _asked(value)
    assert asked is None or (math.isfinite(asked) and 0 <= asked <= MAX_RETRY_AFTER)


@pytest.mark.parametrize("value", ["soon", "nan"])
def test_malformed_retry_after_still_retries(server: FakeOpenAI, value: str) -> None:
    server.push((429, {"Retry-After": value}), completion("fine"))
    assert chat(sdk(server, 3, HttpStats())) == "fine"
    assert len(server.requests) == 2


# --- end to end through instructor ----------------------------------------------------------


def ask_via(server: FakeOpenAI, stats: HttpStats, validation_retries: int = 1) -> Any:
    endpoint = Endpoint(base_url=server.url + "/v1", model="m", api_key="sk-secret")
    client = make_client(endpoint, "json_schema", timeout=5, attempts=3, stats=stats)
    return instructor_ask(client, "m", validation_retries=validation_retries)


def test_instructor_answer_after_a_429(server: FakeOpenAI) -> None:
    server.push((429, {"Retry-After": "0"}), completion(GOOD))
    stats = HttpStats()

    answer = ask_via(server, stats)(RecordType.CASUALTY, CHUNK)

    assert answer.attempts == 1  # a transport retry is not a re-ask
    assert (stats.requests, stats.retries) == (2, 1)
    assert answer.completion_tokens == 7 and answer.prompt_tokens == 11
    [draft] = answer.response.records
    assert isinstance(draft, CasualtyDraft)
    assert (draft.quote, draft.killed, draft.injured) == (CHUNK, "At least seven", "69")

    request = server.requests[-1]
    assert request.method == "POST"
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer sk-secret"
    assert request.body["model"] == "m"
    assert request.body["temperature"] == 0
    assert request.body["response_format"]["type"] == "json_schema"
    assert request.body["response_format"]["json_schema"]["name"] == "CasualtyDrafts"
    assert CHUNK in request.body["messages"][-1]["content"]


def test_invalid_answer_is_reasked_with_the_error_fed_back(server: FakeOpenAI) -> None:
    server.push(completion(BAD), completion(GOOD))
    stats = HttpStats()

    answer = ask_via(server, stats)(RecordType.CASUALTY, CHUNK)

    assert answer.attempts == 2
    assert answer.response.records[0].quote == CHUNK
    assert (stats.requests, stats.retries) == (2, 0)  # re-asks are not transport retries
    first, second = (r.body["messages"] for r in server.requests)
    assert len(second) > len(first)
    assert second[: len(first)] == first
    fed_back = " ".join(m["content"] for m in second[len(first) :])
    assert UNGROUNDED_QUOTE in fed_back
    assert "is not in the paragraph" in fed_back


def test_every_answer_invalid_raises_ask_failed(server: FakeOpenAI) -> None:
    server.push(*[completion(BAD)] * 4)

    with pytest.raises(AskFailed) as failed:
        ask_via(server, HttpStats(), validation_retries=1)(RecordType.CASUALTY, CHUNK)

    assert failed.value.attempts == 2 == len(server.requests)
    assert "is not in the paragraph" in str(failed.value)
    assert failed.value.prompt_tokens > 0


def test_number_outside_the_quote_is_rejected(server: FakeOpenAI) -> None:
    sentence = "At least seven people were killed"
    borrowed = {"records": [{"quote": sentence, "killed": "At least seven", "injured": "69"}]}
    server.push(completion(borrowed), completion(borrowed))

    with pytest.raises(AskFailed) as failed:
        ask_via(server, HttpStats())(RecordType.CASUALTY, CHUNK)

    assert "injured '69' is not in the quote" in str(failed.value)


def test_transport_failure_is_not_an_ask_failure(server: FakeOpenAI) -> None:
    server.push(*[Fault(503, {"Retry-After": "0"})] * 9)
    stats = HttpStats()

    with pytest.raises(InstructorRetryException) as raised:
        ask_via(server, stats)(RecordType.CASUALTY, CHUNK)

    assert not isinstance(raised.value, AskFailed)
    assert isinstance(raised.value.__cause__, openai.InternalServerError)
    assert len(server.requests) == 3  # the transport's attempts, not multiplied by re-asks
