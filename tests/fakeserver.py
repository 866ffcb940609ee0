"""One real local OpenAI-compatible HTTP server for every test that needs a model endpoint.

`FakeServer` listens on a free loopback port and answers `POST /v1/chat/completions`. Each
request is answered by the first of these that has something for it:

1. an injected fault (`Faults`): by request number, by request body (its first occurrence),
   at random with a seeded probability, or always;
2. the next scripted step (`push`): a `Reply`, a `Status` (429 with Retry-After, 500, 401 …),
   a `Drop` (the connection closed without a response, after an optional hold: a timeout),
   or a `Raw` body (e.g. `CORRUPT`, a 200 JSON response that is not JSON);
3. the recorded cassettes (the vcrpy YAML `claimdiff run --record` writes), matched on the
   parsed JSON request body; a body recorded more than once is answered in recorded order;
4. the `responder`, a function of the request body returning the message content (or a step);
   `null_records` answers every claimdiff request with no records.

Anything else gets a 404 JSON error and counts as a miss, so a request nobody expected cannot
pass unnoticed (404 is not retried). `GET /v1/models` lists the model; `GET /stats` returns the
counters, for a client in another process. Every request is kept in `received` (raw bytes
and headers too, to check what a client sends); `requests`, `answered`, `misses`,
`faults_served` and `max_in_flight` count chat completions.

    with FakeServer(responder=null_records) as server:
        env["CLAIMDIFF_BASE_URL"] = server.base_url   # http://127.0.0.1:PORT/v1
"""

from __future__ import annotations

import contextlib
import json
import random
import socket
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

CHAT_PATH = "/v1/chat/completions"


# ----------------------------------------------------------------------------- steps


@dataclass(frozen=True)
class Reply:
    """A 200 chat completion whose message content is `content` (a dict is sent as JSON)."""

    content: str | Mapping[str, Any]
    delay: float = 0.0  # seconds before answering (longer than the client's timeout: a timeout)
    prompt_tokens: int = 11
    completion_tokens: int = 7


@dataclass(frozen=True)
class Status:
    """An HTTP error status with a JSON error body and these headers."""

    code: int
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Drop:
    """Close the connection without a response, after holding the request `after` seconds."""

    after: float = 0.0


@dataclass(frozen=True)
class Raw:
    """Exactly this response: a recorded one, or a broken one."""

    status: int
    content_type: str
    body: bytes


Step = Reply | Status | Drop | Raw
DROP = Drop()
CORRUPT = Raw(200, "application/json", b'{"id": "chatcmpl-broken", "choices": [{"mess')


# ----------------------------------------------------------------------------- faults

RATE_LIMITED = "429"  # 429 with Retry-After
SERVER_ERROR = "500"
UNAVAILABLE = "503"
TIMEOUT = "timeout"  # held past the client's timeout, then dropped
DROPPED = "drop"  # the connection closed without a response
INVALID_JSON = "invalid_json"  # a 200 whose body is not JSON
KINDS = (RATE_LIMITED, SERVER_ERROR, UNAVAILABLE, TIMEOUT, DROPPED, INVALID_JSON)


@dataclass(frozen=True)
class Faults:
    """Which chat requests to spoil and how, plus a latency added to every chat request. A
    spoiled request is not answered otherwise, so the client's retry gets the real answer."""

    schedule: Mapping[int, str] = field(default_factory=dict)  # request number (1-based) → kind
    # canonical request body → kind, for the first request with that body: lands on the same
    # request whatever order concurrent requests arrive in
    first_of: Mapping[str, str] = field(default_factory=dict)
    probability: float = 0.0  # chance that any other request is spoiled, by a kind of `kinds`
    kinds: tuple[str, ...] = KINDS
    seed: int = 0
    always: str | None = None  # a fault that never clears
    retry_after: str = "0"  # the Retry-After header of a 429
    timeout_delay: float = 3.0  # seconds a TIMEOUT holds the request
    latency: float = 0.0  # seconds added to every chat request, spoiled or not

    def __post_init__(self) -> None:
        named = {*self.schedule.values(), *self.first_of.values(), *self.kinds, self.always}
        unknown = named - {*KINDS, None}
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(map(str, unknown))}; use {KINDS}")

    def step(self, kind: str) -> Step:
        return {
            RATE_LIMITED: Status(429, {"Retry-After": self.retry_after}),
            SERVER_ERROR: Status(500),
            UNAVAILABLE: Status(503),
            TIMEOUT: Drop(self.timeout_delay),
            DROPPED: DROP,
            INVALID_JSON: CORRUPT,
        }[kind]


# ----------------------------------------------------------------------------- answers

Responder = Callable[[Any], str | Mapping[str, Any] | Step | None]


def canonical(body: str | bytes | Any) -> str:
    """A request body as canonical JSON: equal for equal JSON whatever the key order."""
    parsed = json.loads(body) if isinstance(body, str | bytes) else body
    return json.dumps(parsed, sort_keys=True, ensure_ascii=False)


def load_cassettes(folder: Path) -> dict[str, list[Raw]]:
    """Canonical request body → its recorded responses, in order, from every cassette under
    `folder` (chat completions only)."""
    answers: dict[str, list[Raw]] = {}
    for path in sorted(folder.rglob("*.yaml")):
        cassette = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for interaction in cassette.get("interactions", []):
            request, response = interaction["request"], interaction["response"]
            if request.get("method") != "POST" or not request.get("body"):
                continue
            headers = {k.lower(): v for k, v in (response.get("headers") or {}).items()}
            content_type = (headers.get("content-type") or ["application/json"])[0]
            body = response["body"]["string"]
            raw = body.encode("utf-8") if isinstance(body, str) else body
            answers.setdefault(canonical(request["body"]), []).append(
                Raw(response["status"]["code"], content_type, raw)
            )
    return answers


def response_schema(body: Any) -> dict[str, Any]:
    """The JSON schema a request asks its answer to follow (OpenAI structured outputs)."""
    schema: dict[str, Any] = body["response_format"]["json_schema"]["schema"]
    return schema


def nulls(schema: Mapping[str, Any], root: Mapping[str, Any] | None = None) -> Any:
    """The emptiest answer `schema` allows: null where null is allowed, an object of such
    answers for every property of an object that is not nullable, [] for a list, the first
    value of a choice that cannot be null ($refs read from `root`)."""
    root = root or schema
    if "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    options = schema.get("anyOf", [schema])
    if any(option.get("type") == "null" for option in options):
        return None
    if schema.get("type") == "object":
        return {name: nulls(sub, root) for name, sub in schema.get("properties", {}).items()}
    if schema.get("type") == "array":
        return []
    if schema.get("enum"):  # a choice that cannot be null: the first
        return schema["enum"][0]
    raise ValueError(f"no empty answer for schema {schema}")


def null_records(body: Any) -> str:
    """A responder: every sentence key null (one object of them per record type when a request
    asks for several): a valid answer to every claimdiff request, holding no record."""
    return json.dumps(nulls(response_schema(body)))


def first_choices(body: Any) -> str:
    """A responder: every sentence key gets a record whose first field that offers choices
    takes the first of them (a list of figures: its first number phrase; a place, a name),
    the other fields empty; a type with one record per chunk gets one, quoting the first
    sentence offered (one object of them per record type when a request asks for several):
    records that depend on the request only, whatever order requests arrive in."""
    root = response_schema(body)

    def resolved(node: Mapping[str, Any]) -> Mapping[str, Any]:
        ref = node.get("$ref", "")
        return root["$defs"][ref.rsplit("/", 1)[-1]] if ref else node

    def first(node: Mapping[str, Any]) -> Any:
        node = resolved(node)
        if node.get("type") == "array" and node.get("items", {}).get("enum"):
            return [node["items"]["enum"][0]]
        options = node.get("anyOf", [node])
        return next((o["enum"][0] for o in options if o.get("enum")), None)

    def record(schema: Mapping[str, Any]) -> dict[str, Any]:
        answer, chosen = nulls(schema, root), False
        for name, sub in schema["properties"].items():
            if name == "sentence":  # a one-per-chunk record's sentence: its first, as `nulls`
                continue
            value = None if chosen else first(sub)
            if value is not None:
                answer[name], chosen = value, True
        return answer

    def records(schema: Mapping[str, Any]) -> dict[str, Any]:
        return {key: record(sub["anyOf"][0]) for key, sub in schema["properties"].items()}

    def one_type(schema: Mapping[str, Any]) -> bool:
        keys = list(schema["properties"])
        return keys == ["record"] or all(key.startswith("sentence_") for key in keys)

    if one_type(root):
        return json.dumps(records(root))
    return json.dumps({name: records(sub) for name, sub in root["properties"].items()})


def chat_completion(reply: Reply, model: str) -> bytes:
    content = reply.content if isinstance(reply.content, str) else json.dumps(reply.content)
    return json.dumps({
        "id": "chatcmpl-fake", "object": "chat.completion", "created": 1_700_000_000,
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                     "finish_reason": "stop"}],
        "usage": {"prompt_tokens": reply.prompt_tokens,
                  "completion_tokens": reply.completion_tokens,
                  "total_tokens": reply.prompt_tokens + reply.completion_tokens},
    }).encode()  # fmt: skip


# ----------------------------------------------------------------------------- the server


@dataclass(frozen=True)
class Received:
    """One request as it arrived."""

    number: int  # chat completions: 1-based in arrival order; other requests 0
    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    raw: bytes  # the body's bytes
    body: Any  # the parsed JSON body, or None
    outcome: str  # fault kind | "script" | "recorded" | "responder" | "miss" | "other"


class FakeServer:
    """The running server: a context manager; point clients at `base_url`."""

    def __init__(
        self,
        cassettes: Path | None = None,
        responder: Responder | None = None,
        faults: Faults | None = None,
        model: str = "model",
    ) -> None:
        self.recorded = load_cassettes(cassettes) if cassettes else {}
        if cassettes and not self.recorded:
            raise ValueError(f"no recorded chat completions under {cassettes}")
        self.responder = responder
        self.faults = faults or Faults()  # may be replaced while the server runs
        self.model = model
        self.script: deque[Step] = deque()
        self.received: list[Received] = []
        self.requests = 0  # chat completions received
        self.answered = 0  # … answered by the script, the cassettes or the responder
        self.misses = 0  # … answered 404: nobody had an answer
        self.faults_served: Counter[str] = Counter()
        self.in_flight = 0
        self.max_in_flight = 0  # the most chat completions ever handled at once
        self._cursor: Counter[str] = Counter()
        self._spoiled: set[str] = set()
        self._rng = random.Random(self.faults.seed)
        self._lock = threading.Lock()
        self._server = _QuietServer(("127.0.0.1", 0), _handler(self))
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}"
        self.base_url = f"{self.url}/v1"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> FakeServer:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def push(self, *steps: Step) -> None:
        """Queue steps; each chat request not spoiled by a fault takes the next one."""
        with self._lock:
            self.script.extend(steps)

    @property
    def chats(self) -> list[Received]:
        """The chat completion requests received, in arrival order."""
        with self._lock:
            return [r for r in self.received if r.number]

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": self.requests,
                "answered": self.answered,
                "misses": self.misses,
                "faults": dict(self.faults_served),
                "max_in_flight": self.max_in_flight,
            }

    # -- deciding

    def _fault(self, number: int, key: str) -> str | None:
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

    def _decide(self, body: Any) -> tuple[int, str, Step | None]:
        """(request number, outcome, the step to serve; None: a miss). Runs under the lock."""
        self.requests += 1
        number = self.requests
        key = canonical(body)
        fault = self._fault(number, key)
        if fault:
            self.faults_served[fault] += 1
            return number, fault, self.faults.step(fault)
        step, outcome = self._answer(key, body)
        if step is None:
            self.misses += 1
        else:
            self.answered += 1
        return number, outcome, step

    def _answer(self, key: str, body: Any) -> tuple[Step | None, str]:
        if self.script:
            return self.script.popleft(), "script"
        recorded = self.recorded.get(key)
        if recorded:
            self._cursor[key] += 1
            return recorded[min(self._cursor[key], len(recorded)) - 1], "recorded"
        answer = self.responder(body) if self.responder else None
        if answer is None:
            return None, "miss"
        return (answer if isinstance(answer, Step) else Reply(answer)), "responder"


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and left is expected here, not a failure


def _handler(server: FakeServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else a response waits 40 ms for the client's ACK

        def log_message(self, *_: Any) -> None:
            pass

        def do_GET(self) -> None:
            self._other(b"")
            if self.path.rstrip("/") == "/v1/models":
                model = {"id": server.model, "object": "model", "owned_by": "fakeserver"}
                self._json(200, {"object": "list", "data": [model]})
            elif self.path == "/stats":
                self._json(200, server.stats())
            else:
                self._json(404, _error(f"no route {self.path}"))

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            if self.path != CHAT_PATH or not isinstance(body, dict):
                self._other(raw, body)
                self._json(404 if self.path != CHAT_PATH else 400, _error("not a chat request"))
                return
            with server._lock:
                number, outcome, step = server._decide(body)
                server.received.append(Received(number, "POST", self.path, self._headers(),
                                                raw, body, outcome))  # fmt: skip
                server.in_flight += 1
                server.max_in_flight = max(server.max_in_flight, server.in_flight)
            try:
                time.sleep(server.faults.latency)
                self._serve(step, body)
            finally:
                with server._lock:
                    server.in_flight -= 1

        def _headers(self) -> dict[str, str]:
            return {name.lower(): value for name, value in self.headers.items()}

        def _other(self, raw: bytes, body: Any = None) -> None:
            with server._lock:
                server.received.append(Received(0, self.command, self.path, self._headers(),
                                                raw, body, "other"))  # fmt: skip

        def _serve(self, step: Step | None, body: dict[str, Any]) -> None:
            if step is None:
                self._json(404, _error("fake server: no answer for this request body"))
            elif isinstance(step, Reply):
                time.sleep(step.delay)
                self._send(200, chat_completion(step, body.get("model", server.model)))
            elif isinstance(step, Status):
                self._json(step.code, _error(f"fake server: status {step.code}"), step.headers)
            elif isinstance(step, Raw):
                self._send(step.status, step.body, step.content_type)
            else:
                time.sleep(step.after)
                self.close_connection = True
                with contextlib.suppress(OSError):  # the client may have gone already
                    self.connection.shutdown(socket.SHUT_RDWR)
                self.connection.close()

        def _json(self, status: int, payload: Any, headers: Mapping[str, str] = {}) -> None:
            self._send(status, json.dumps(payload).encode(), "application/json", headers)

        def _send(self, status: int, data: bytes, content_type: str = "application/json",
                  headers: Mapping[str, str] = {}) -> None:  # fmt: skip
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _error(message: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": "fake_server", "code": None}}


def main() -> None:
    """Serve from the command line (a benchmark, a manual run of claimdiff): prints the base
    URL for CLAIMDIFF_BASE_URL, then serves until standard input closes.

    python tests/fakeserver.py [--cassettes DIR] [--null-records] [--latency S]
    """
    import argparse
    import sys

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--cassettes", type=Path)
    parser.add_argument("--null-records", action="store_true", help="answer unknown bodies")
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--probability", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    faults = Faults(probability=args.probability, seed=args.seed, latency=args.latency)
    responder = null_records if args.null_records else None
    with FakeServer(args.cassettes, responder, faults) as server:
        print(server.base_url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
