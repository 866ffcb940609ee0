"""A real local OpenAI-compatible HTTP server that answers from a script, for offline tests.

Each request pops the next scripted step: an HTTP status with headers (``Fault``), a dropped
connection (``DROP``), or a chat completion whose message content is a given string
(``completion``). Every request is recorded (path, headers, parsed JSON body). When the script
runs out the server answers 500 with a message saying so, so an extra request cannot pass
silently.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Fault:
    """Answer with this status, these headers and a JSON error body."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)


class _Drop:
    def __repr__(self) -> str:
        return "DROP"


DROP = _Drop()  # close the socket without sending a response


@dataclass(frozen=True)
class Reply:
    """A 200 chat completion whose message content is `content`."""

    content: str
    delay: float = 0.0  # seconds to wait before answering (to provoke client timeouts)
    prompt_tokens: int = 11
    completion_tokens: int = 7


def completion(content: str | dict[str, Any], delay: float = 0.0) -> Reply:
    return Reply(content if isinstance(content, str) else json.dumps(content), delay)


Step = Fault | Reply | _Drop | tuple[int, dict[str, str]]


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    body: Any  # parsed JSON, or None


class FakeOpenAI:
    """The running server: `url` to point a client at, `requests` it received, `script` left."""

    def __init__(self, steps: Iterable[Step] = ()) -> None:
        self.script: deque[Step] = deque(steps)
        self.requests: list[Received] = []
        self._lock = threading.Lock()
        self._server = _QuietServer(("127.0.0.1", 0), _handler(self))
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def push(self, *steps: Step) -> None:
        with self._lock:
            self.script.extend(steps)

    def _next(self, received: Received) -> Step | None:
        with self._lock:
            self.requests.append(received)
            return self.script.popleft() if self.script else None

    def start(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


@contextmanager
def fake_openai(*steps: Step) -> Iterator[FakeOpenAI]:
    with FakeOpenAI(steps) as server:
        yield server


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and left is expected here, not a failure


def _handler(server: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_: Any) -> None:  # keep test output quiet
            pass

        def _handle(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            headers = {name.lower(): value for name, value in self.headers.items()}
            step = server._next(Received(self.command, self.path, headers, body))
            if isinstance(step, tuple):
                step = Fault(*step)
            if step is None:
                self._send(500, {}, _error("fake server: script exhausted", "server_error"))
            elif isinstance(step, _Drop):
                self.close_connection = True
                self.connection.close()
            elif isinstance(step, Fault):
                self._send(step.status, step.headers, _error(f"scripted {step.status}", "fault"))
            else:
                time.sleep(step.delay)
                self._send(200, {}, _chat_completion(step, body))

        do_GET = do_POST = _handle

        def _send(self, status: int, headers: dict[str, str], payload: Any) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _error(message: str, kind: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "code": None}}


def _chat_completion(reply: Reply, request: Any) -> dict[str, Any]:
    model = request.get("model", "m") if isinstance(request, dict) else "m"
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply.content},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": reply.prompt_tokens,
            "completion_tokens": reply.completion_tokens,
            "total_tokens": reply.prompt_tokens + reply.completion_tokens,
        },
    }
