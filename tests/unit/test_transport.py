"""pipeline.model.transport: HTTP retries below the openai SDK, against the real fake server.

Transport faults (429, 5xx, dropped connections, timeouts, corrupt 200 bodies) are retried by
`RetryTransport` with backoff, honouring `Retry-After`; the SDK's own retries are off, so the
server sees exactly the attempts the transport makes.
"""

from __future__ import annotations

import email.utils
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2
import openai
import pytest
from fakeserver import CORRUPT, DROP, Drop, FakeServer, Reply, Status
from tenacity import RetryCallState, wait_none

from pipeline.model.transport import (
    MAX_RETRY_AFTER,
    Endpoint,
    HttpStats,
    RetryTransport,
    make_client,
    retry_after,
)

SECRET = "sk-test-SECRET"


class RecordingWait:
    """A tenacity wait of 0 s that remembers when it was consulted."""

    def __init__(self) -> None:
        self.attempts: list[int] = []

    def __call__(self, state: RetryCallState) -> float:
        self.attempts.append(state.attempt_number)
        return 0.0


def sdk(
    server: FakeServer, attempts: int, stats: HttpStats, backoff: Any = None, timeout: float = 5
) -> openai.OpenAI:
    """The SDK over a RetryTransport with a test backoff (0 s unless given)."""
    transport = RetryTransport(httpx2.HTTPTransport(), attempts, stats, backoff or wait_none())
    return openai.OpenAI(
        base_url=server.base_url, api_key=SECRET, max_retries=0,
        http_client=httpx2.Client(transport=transport, timeout=timeout),
    )  # fmt: skip


def chat(client: openai.OpenAI) -> str | None:
    answer = client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": "How many bridges were shelled?"}]
    )
    return answer.choices[0].message.content


# ----------------------------------------------------------------------------- retries


def test_429_then_200_is_one_retry_of_the_same_request(fake_server: FakeServer) -> None:
    fake_server.push(Status(429, {"Retry-After": "0"}), Reply("fine"))
    stats = HttpStats()
    assert chat(sdk(fake_server, 3, stats)) == "fine"
    assert (stats.requests, stats.retries) == (2, 1)
    first, second = fake_server.chats
    assert first.raw == second.raw
    assert (first.outcome, second.outcome) == ("script", "script")


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retryable_statuses_are_retried(fake_server: FakeServer, status: int) -> None:
    fake_server.push(Status(status), Reply("fine"))
    stats = HttpStats()
    assert chat(sdk(fake_server, 2, stats)) == "fine"
    assert stats.retries == 1


@pytest.mark.parametrize(
    ("status", "error"),
    [(400, openai.BadRequestError), (401, openai.AuthenticationError),
     (404, openai.NotFoundError), (422, openai.UnprocessableEntityError)],
)  # fmt: skip
def test_client_errors_are_not_retried(
    fake_server: FakeServer, status: int, error: type[openai.APIStatusError]
) -> None:
    fake_server.push(Status(status), Reply("must not be reached"))
    stats = HttpStats()
    with pytest.raises(error):
        chat(sdk(fake_server, 3, stats))
    assert len(fake_server.chats) == 1
    assert (stats.requests, stats.retries) == (1, 0)


@pytest.mark.parametrize(
    ("status", "error"), [(503, openai.InternalServerError), (429, openai.RateLimitError)]
)
def test_a_status_beyond_the_attempts_reaches_the_sdk(
    fake_server: FakeServer, status: int, error: type[openai.APIStatusError]
) -> None:
    fake_server.push(*[Status(status)] * 5, Reply("too late"))
    stats = HttpStats()
    with pytest.raises(error) as raised:
        chat(sdk(fake_server, 3, stats))
    assert raised.value.status_code == status
    assert len(fake_server.chats) == 3
    assert (stats.requests, stats.retries) == (3, 2)


def test_the_last_response_is_returned_when_attempts_run_out(fake_server: FakeServer) -> None:
    fake_server.push(Status(503), Status(504))
    transport = RetryTransport(httpx2.HTTPTransport(), 2, HttpStats(), wait_none())
    with httpx2.Client(transport=transport, base_url=fake_server.url) as client:
        response = client.post("/v1/chat/completions", json={"model": "m"})
    assert response.status_code == 504
    assert response.json()["error"]["message"] == "fake server: status 504"


def test_a_dropped_connection_is_retried(fake_server: FakeServer) -> None:
    fake_server.push(DROP, Reply("fine"))
    stats = HttpStats()
    assert chat(sdk(fake_server, 3, stats)) == "fine"
    assert (stats.requests, stats.retries) == (2, 1)


def test_dropped_connections_beyond_the_attempts_are_a_connection_error(
    fake_server: FakeServer,
) -> None:
    fake_server.push(DROP, DROP, Reply("too late"))
    with pytest.raises(openai.APIConnectionError):
        chat(sdk(fake_server, 2, HttpStats()))
    assert len(fake_server.chats) == 2


def test_a_read_timeout_is_retried(fake_server: FakeServer) -> None:
    fake_server.push(Reply("slow", delay=1.0), Reply("fine"))
    stats = HttpStats()
    assert chat(sdk(fake_server, 3, stats, timeout=0.3)) == "fine"
    assert (len(fake_server.chats), stats.retries) == (2, 1)


def test_a_request_held_then_dropped_is_retried(fake_server: FakeServer) -> None:
    fake_server.push(Drop(after=0.6), Reply("fine"))
    assert chat(sdk(fake_server, 2, HttpStats(), timeout=0.3)) == "fine"


def test_a_corrupt_json_body_is_a_transport_fault_and_retried(fake_server: FakeServer) -> None:
    fake_server.push(CORRUPT, Reply("fine"))
    stats = HttpStats()
    assert chat(sdk(fake_server, 3, stats)) == "fine"
    assert (stats.requests, stats.retries) == (2, 1)


def test_a_non_json_body_of_another_type_is_left_to_the_sdk(fake_server: FakeServer) -> None:
    # Only a body that claims to be JSON and does not parse is a fault on the way.
    from fakeserver import Raw

    fake_server.push(Raw(200, "text/plain", b"plain words"), Reply("never asked"))
    stats = HttpStats()
    transport = RetryTransport(httpx2.HTTPTransport(), 3, stats, wait_none())
    with httpx2.Client(transport=transport, base_url=fake_server.url) as client:
        response = client.post("/v1/chat/completions", json={"model": "m"})
    assert (response.status_code, response.text) == (200, "plain words")
    assert stats.retries == 0


# ----------------------------------------------------------------------------- backoff


def test_retry_after_replaces_the_backoff(fake_server: FakeServer) -> None:
    fake_server.push(Status(429, {"Retry-After": "1"}), Reply("fine"))
    backoff = RecordingWait()
    started = time.monotonic()
    assert chat(sdk(fake_server, 3, HttpStats(), backoff)) == "fine"
    assert time.monotonic() - started >= 0.95
    assert backoff.attempts == []


def test_the_backoff_is_consulted_when_no_retry_after_is_given(fake_server: FakeServer) -> None:
    fake_server.push(Status(503), DROP, CORRUPT, Reply("fine"))
    backoff = RecordingWait()
    stats = HttpStats()
    assert chat(sdk(fake_server, 4, stats, backoff)) == "fine"
    assert backoff.attempts == [1, 2, 3]
    assert (stats.requests, stats.retries) == (4, 3)


@pytest.mark.parametrize("value", ["soon", "nan", "inf", "-inf", "1e999", "", "Thu, 99 Foo"])
def test_a_malformed_retry_after_falls_back_to_the_backoff(
    fake_server: FakeServer, value: str
) -> None:
    fake_server.push(Status(429, {"Retry-After": value}), Reply("fine"))
    backoff = RecordingWait()
    assert chat(sdk(fake_server, 3, HttpStats(), backoff)) == "fine"
    assert backoff.attempts == [1]


def test_the_default_backoff_grows_and_is_bounded() -> None:
    transport = RetryTransport(httpx2.HTTPTransport(), 8, HttpStats())
    waits = []
    for attempt in range(1, 9):
        state = RetryCallState(None, None, (), {})  # type: ignore[arg-type]
        state.attempt_number = attempt
        waits.append(transport._wait(state))
    assert 0.5 <= waits[0] <= 1.0
    assert waits[3] >= 4.0
    assert all(0 < w <= 20.5 for w in waits)


# ----------------------------------------------------------------------------- Retry-After


def asked(value: str) -> float | None:
    return retry_after(httpx2.Response(429, headers={"Retry-After": value}))


def http_date(delta: timedelta) -> str:
    return email.utils.format_datetime(datetime.now(UTC) + delta, usegmt=True)


def test_retry_after_in_seconds() -> None:
    assert asked("0") == 0.0
    assert asked("7") == 7.0
    assert asked("1.5") == 1.5
    assert asked(" 3 ") == 3.0
    assert asked("-5") == 0.0  # never a negative wait
    assert retry_after(httpx2.Response(429)) is None


def test_retry_after_as_an_http_date() -> None:
    in_30s = asked(http_date(timedelta(seconds=30)))
    assert in_30s is not None and 27 <= in_30s <= 30
    assert asked(http_date(timedelta(seconds=-300))) == 0.0  # already past


def test_retry_after_is_capped() -> None:
    assert asked("3600") == MAX_RETRY_AFTER
    assert asked(http_date(timedelta(days=2))) == MAX_RETRY_AFTER
    assert asked("Fri, 31 Dec 9999 23:59:59 GMT") == MAX_RETRY_AFTER


@pytest.mark.parametrize(
    "value",
    ["soon", "nan", "NaN", "inf", "-inf", "1e999", "Thu, 99 Foo 2024", "12 seconds", "0x10"],
)
def test_a_malformed_retry_after_is_none(value: str) -> None:
    assert asked(value) is None


# ----------------------------------------------------------------------------- make_client


def test_the_sdks_own_retries_are_off(fake_server: FakeServer) -> None:
    fake_server.push(*[Status(503)] * 4)
    stats = HttpStats()
    client = make_client(Endpoint(fake_server.base_url, "m", SECRET), "json_schema", 5, 1, stats)
    with pytest.raises(openai.InternalServerError):
        client.client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "hello"}]
        )
    [only] = fake_server.chats  # the SDK would have tried three times
    assert only.headers["x-stainless-retry-count"] == "0"
    assert (stats.requests, stats.retries) == (1, 0)


def test_make_client_retries_with_its_own_policy(fake_server: FakeServer) -> None:
    fake_server.push(Status(429, {"Retry-After": "0"}), Status(503, {"Retry-After": "0"}),
                     Reply("fine"))  # fmt: skip
    stats = HttpStats()
    client = make_client(Endpoint(fake_server.base_url, "m", SECRET), "json_schema", 5, 3, stats)
    answer = client.client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": "hello"}]
    )
    assert answer.choices[0].message.content == "fine"
    assert (stats.requests, stats.retries) == (3, 2)


def test_the_key_travels_only_in_the_authorization_header(fake_server: FakeServer) -> None:
    fake_server.push(Status(429, {"Retry-After": "0"}), Reply("fine"))
    client = make_client(Endpoint(fake_server.base_url, "m", SECRET), "json_schema", 5, 3,
                         HttpStats())  # fmt: skip
    client.client.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])
    assert len(fake_server.received) == 2
    for received in fake_server.received:
        assert received.headers["authorization"] == f"Bearer {SECRET}"
        others = {k: v for k, v in received.headers.items() if k != "authorization"}
        assert SECRET not in repr(others)
        assert SECRET.encode() not in received.raw
        assert "SECRET" not in received.path


def test_the_endpoint_does_not_show_its_key() -> None:
    assert SECRET not in repr(Endpoint("http://127.0.0.1:1/v1", "m", SECRET))


def test_stats_count_across_threads(fake_server: FakeServer) -> None:
    from concurrent.futures import ThreadPoolExecutor

    fake_server.push(*[Status(503)] * 4, *[Reply("fine")] * 8)
    stats = HttpStats()
    client = sdk(fake_server, 5, stats)
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: chat(client), range(8)))
    assert answers == ["fine"] * 8
    assert (stats.requests, stats.retries) == (12, 4) == (len(fake_server.chats), 4)
