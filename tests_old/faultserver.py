"""A real local OpenAI-compatible HTTP server that answers from recorded cassettes, with faults.

`CassetteServer` loads every interaction of a cassette folder (the vcrpy YAML that
`claimdiff run --record` writes) and answers `POST /v1/chat/completions` with the recorded
response whose request body is the same JSON (compared as parsed JSON, so key order and
spacing do not matter). A body recorded more than once is answered in recorded order, and the
last answer repeats. An unknown body gets a 404 JSON error, so a request the cassettes do not
cover cannot pass unnoticed, unless a `responder` is given: it returns the message content for
a request body the cassettes do not answer (`empty_records` for the benchmark's generated
documents; a crafted answer for hostile-model tests).

`Faults` says which requests to spoil and how: by request number (1-based, chat completions in
arrival order), by request body (its first occurrence), at random with a seeded probability, or
always. A spoiled request is not
answered, so the client's retry of the same body gets the recorded answer. `latency` delays
every chat completion. The server counts what it served (`requests`, `answered`, `misses`,
`faults_served`) and keeps each request in `served`.

    with CassetteServer(CASSETTES / model / version, Faults({3: TIMEOUT})) as server:
        env["CLAIMDIFF_BASE_URL"] = server.base_url   # http://127.0.0.1:PORT/v1
"""

from __future__ import annotations

import contextlib
import json
import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

# Fault kinds.
RATE_LIMITED = "429"  # 429 with Retry-After
SERVER_ERROR = "500"
UNAVAILABLE = "503"
TIMEOUT = "timeout"  # answer only after the client has given up
DROP = "drop"  # close the connection without a response
INVALID_JSON = "invalid_json"  # 200 with a body that is not JSON
KINDS = (RATE_LIMITED, SERVER_ERROR, UNAVAILABLE, TIMEOUT, DROP, INVALID_JSON)

CHAT_PATH = "/v1/chat/completions"


@dataclass(frozen=True)
class Faults:
    """Which chat requests to spoil, and how; plus a latency added to every chat request."""

    schedule: dict[int, str] = field(default_factory=dict)  # request number → kind
    # canonical request body → kind, for the first request with that body: a fault that lands
    # on the same request whatever order concurrent requests arrive in
    first_of: dict[str, str] = field(default_factory=dict)
    probability: float = 0.0  # chance that any other request is spoiled
    kinds: tuple[str, ...] = KINDS  # what a random fault may be
    seed: int = 0
    always: str | None = None  # a fault that never clears
    retry_after: str = "0"  # the Retry-After header of a 429
    timeout_delay: float = 3.0  # seconds a TIMEOUT holds the request; above the client timeout
    latency: float = 0.0  # seconds added to every chat request, spoiled or not

    def __post_init__(self) -> None:
        named = {*self.schedule.values(), *self.first_of.values(), *self.kinds, self.always}
        unknown = named - {*KINDS, None}
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(map(str, unknown))}; use {KINDS}")


@dataclass(frozen=True)
class Recorded:
    status: int
    content_type: str
    body: bytes


def load_cassettes(folder: Path) -> dict[str, list[Recorded]]:
    """Canonical JSON request body → its recorded responses, in recorded order."""
    answers: dict[str, list[Recorded]] = {}
    for path in sorted(folder.rglob("*.yaml")):
        cassette = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for interaction in cassette.get("interactions", []):
            request, response = interaction["request"], interaction["response"]
            if request.get("method") != "POST" or not request.get("body"):
                continue  # e.g. GET /v1/models
            headers = {k.lower(): v for k, v in (response.get("headers") or {}).items()}
            content_type = (headers.get("content-type") or ["application/json"])[0]
            body = response["body"]["string"]
            answers.setdefault(canonical(request["body"]), []).append(
                Recorded(
                    response["status"]["code"],
                    content_type,
                    body.encode("utf-8") if isinstance(body, str) else body,
                )
            )
    return answers


def canonical(body: str | bytes | Any) -> str:
    parsed = json.loads(body) if isinstance(body, str | bytes) else body
    return json.dumps(parsed, sort_keys=True, ensure_ascii=False)


def empty_records(body: Any) -> str:
    """A responder: no records, a valid answer to every record type's request."""
    return '{"records": []}'


def chat_completion(content: str, model: str) -> bytes:
    """A 200 chat completion body whose message content is `content`."""
    return json.dumps(
        {
            "id": "chatcmpl-faultserver",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 100, "completion_tokens": 5, "total_tokens": 105},
        }
    ).encode()


@dataclass(frozen=True)
class Served:
    number: int  # 1-based, in arrival order
    body: Any  # the parsed JSON request body
    outcome: str  # "recorded", "responder", "miss", or the fault kind


Responder = Callable[[Any], str | None]


class CassetteServer:
    """The running server. Use as a context manager; point clients at `base_url`."""

    def __init__(
        self,
        cassettes: Path | None = None,
        faults: Faults | None = None,
        responder: Responder | None = None,
        model: str = "model",
    ) -> None:
        self.answers = load_cassettes(cassettes) if cassettes else {}
        if cassettes and not self.answers:
            raise ValueError(f"no recorded chat completions under {cassettes}")
        self.faults = faults or Faults()  # may be replaced while the server runs
        self.responder = responder
        self.model = model
        self.requests = 0  # chat completion requests received
        self.answered = 0  # … answered from the cassettes or the responder
        self.misses = 0  # … answered 404: nothing recorded for that body
        self.in_flight = 0  # chat requests being handled right now
        self.max_in_flight = 0  # the most ever handled at once
        self.faults_served: Counter[str] = Counter()
        self.served: list[Served] = []
        self.authorizations: set[str] = set()  # Authorization headers seen
        self._cursor: Counter[str] = Counter()
        self._spoiled: set[str] = set()
        self._rng = random.Random(self.faults.seed)
        self._lock = threading.Lock()
        self._server = _QuietServer(("127.0.0.1", 0), _handler(self))
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}"
        self.base_url = self.url + "/v1"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": self.requests,
                "answered": self.answered,
                "misses": self.misses,
                "faults": dict(self.faults_served),
            }

    def __enter__(self) -> CassetteServer:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _fault_for(self, number: int, key: str) -> str | None:
        faults = self.faults
        if faults.always:
            return faults.always
        if number in faults.schedule:
            return faults.schedule[number]
        if key in faults.first_of and key not in self._spoiled:
            self._spoiled.add(key)
            return faults.first_of[key]
        if faults.probability and self._rng.random() < faults.probability:
            return self._rng.choice(faults.kinds)
        return None

    def _take(self, body: Any) -> tuple[str | None, Recorded | None]:
        """Count the request; (the fault to serve, or the answer to give, or neither: 404)."""
        with self._lock:
            self.requests += 1
            number = self.requests
            key = canonical(body)
            fault = self._fault_for(number, key)
            answer = None if fault else self._answer(key, body)
            outcome = fault or (answer and answer.source) or "miss"
            self.served.append(Served(number, body, outcome))
            if fault:
                self.faults_served[fault] += 1
                return fault, None
            if answer is None:
                self.misses += 1
                return None, None
            self.answered += 1
            return None, answer.recorded

    def _answer(self, key: str, body: Any) -> _Answer | None:
        recorded = self.answers.get(key)
        if recorded:
            answer = recorded[min(self._cursor[key], len(recorded) - 1)]
            self._cursor[key] += 1
            return _Answer(answer, "recorded")
        content = self.responder(body) if self.responder else None
        if content is None:
            return None
        model = body.get("model", self.model) if isinstance(body, dict) else self.model
        return _Answer(
            Recorded(200, "application/json", chat_completion(content, model)), "responder"
        )


@dataclass(frozen=True)
class _Answer:
    recorded: Recorded
    source: str


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the benchmark opens many connections at once

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and left is expected here, not a failure


def _handler(server: CassetteServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes; with Nagle on, the second waits for the
        # client's delayed ACK: 40 ms a response, which would swamp the benchmark.
        disable_nagle_algorithm = True

        def log_message(self, *_: Any) -> None:
            pass

        def do_GET(self) -> None:
            if self.path.rstrip("/") == "/v1/models":
                model = {"id": server.model, "object": "model", "owned_by": "faultserver"}
                self._json(200, {"object": "list", "data": [model]})
            elif self.path == "/stats":  # for a client in another process
                self._json(200, server.stats())
            else:
                self._json(404, _error(f"no route {self.path}", "not_found"))

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length)
            if self.headers.get("authorization"):
                with server._lock:
                    server.authorizations.add(self.headers["authorization"])
            if self.path != CHAT_PATH:
                self._json(404, _error(f"no route {self.path}", "not_found"))
                return
            try:
                body = json.loads(raw)
            except ValueError:
                self._json(400, _error("request body is not JSON", "invalid_request_error"))
                return
            fault, answer = server._take(body)
            with server._lock:
                server.in_flight += 1
                server.max_in_flight = max(server.max_in_flight, server.in_flight)
            try:
                time.sleep(server.faults.latency)
            finally:
                with server._lock:
                    server.in_flight -= 1
            if fault:
                self._fault(fault)
            elif answer is None:
                self._json(404, _error("no recorded answer for this request body", "not_found"))
            else:
                self._send(answer.status, answer.body, answer.content_type)

        def _fault(self, kind: str) -> None:
            faults = server.faults
            if kind == RATE_LIMITED:
                self._json(429, _error("rate limited", "rate_limit"), faults.retry_after)
            elif kind in (SERVER_ERROR, UNAVAILABLE):
                self._json(int(kind), _error(f"injected {kind}", "server_error"))
            elif kind == INVALID_JSON:
                self._send(200, b'{"id": "chatcmpl-broken", "choices": [{"mess', "application/json")
            elif kind == TIMEOUT:
                time.sleep(faults.timeout_delay)
                self._drop()
            else:
                self._drop()

        def _drop(self) -> None:
            self.close_connection = True
            with contextlib.suppress(OSError):  # the client may have gone already
                self.connection.shutdown(socket.SHUT_RDWR)
            self.connection.close()

        def _json(self, status: int, payload: Any, retry_after: str | None = None) -> None:
            extra = {"Retry-After": retry_after} if retry_after is not None else {}
            self._send(status, json.dumps(payload).encode(), "application/json", extra)

        def _send(
            self, status: int, data: bytes, content_type: str, extra: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _error(message: str, kind: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "code": None}}


def main() -> None:
    """Serve from the command line, e.g. for a benchmark or a manual run of `claimdiff`:

    python tests/faultserver.py [--cassettes DIR] [--empty-records] [--latency S]
                                [--probability P --seed N]

    Prints the base URL (for CLAIMDIFF_BASE_URL) on the first line, then serves until its
    standard input closes.
    """
    import argparse
    import sys

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--cassettes", type=Path)
    parser.add_argument("--empty-records", action="store_true", help="answer unknown bodies")
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--probability", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model", default="model")
    args = parser.parse_args()
    faults = Faults(probability=args.probability, seed=args.seed, latency=args.latency)
    responder = empty_records if args.empty_records else None
    with CassetteServer(args.cassettes, faults, responder, args.model) as server:
        print(server.base_url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
