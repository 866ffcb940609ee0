"""pipeline.model.local.LocalServer: llama.cpp's server as a real process.

A file that is not a model makes the server exit: the error names the exit code and the log,
and nothing is left running. The `live` test (opt-in: pytest -m live) assembles the real
embedded model and asks it about one sentence written for the test.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

import pytest

from pipeline.model.local import LocalModelError, LocalServer, get_model

needs_llama = pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None, reason="llama-cpp-python is not installed"
)


@needs_llama
def test_a_file_that_is_not_a_model_stops_the_server_with_its_log(tmp_path: Path) -> None:
    fake = tmp_path / "not-a-model.gguf"
    fake.write_bytes(b"GGUF" + b"\0" * 64)
    log = tmp_path / "logs" / "llama-server.log"
    server = LocalServer(get_model("qwen2.5-coder-1.5b"), fake, log, threads=1,
                         startup_timeout=120)  # fmt: skip
    with pytest.raises(LocalModelError) as raised, server:
        pytest.fail("the server must not start")
    message = str(raised.value)
    assert "llama.cpp server exited with code" in message and str(log) in message
    assert log.exists() and server._process is None


@needs_llama
def test_stop_is_safe_before_start_and_twice(tmp_path: Path) -> None:
    server = LocalServer(get_model("qwen2.5-coder-1.5b"), tmp_path / "m.gguf", tmp_path / "l.log")
    server.stop()
    server.stop()
    assert server.base_url.startswith("http://127.0.0.1:")


@pytest.mark.live
def test_the_embedded_model_answers_a_request(gazetteer: Any, tmp_path: Path) -> None:
    from pipeline.config import Settings
    from pipeline.extract import plan
    from pipeline.extract.answers import drafts
    from pipeline.model import local
    from pipeline.model.client import instructor_ask
    from pipeline.model.transport import Endpoint, HttpStats, make_client
    from schemas import Document

    settings = Settings()
    model = local.get_model(settings.local_model)
    gguf = local.assemble(model, settings.cache_dir)
    text = ("Gunmen attacked a village near Mopti on Sunday, killing 14 people and wounding 30, "
            "the regional governor said.")  # fmt: skip
    [request] = [r for r in plan(Document("live", "live.txt", text), gazetteer)
                 if r.label == "casualty"]  # fmt: skip
    with LocalServer(model, gguf, tmp_path / "server.log", threads=os.cpu_count() or 1) as server:
        client = make_client(Endpoint(server.base_url, model.alias, "not-needed"), "json_schema",
                             300, 3, HttpStats())  # fmt: skip
        answer = instructor_ask(client, model.alias, validation_retries=2)(request)
    found = drafts(answer.response, request.specs, request.choices)
    assert [(d.values["killed"], d.values["injured"]) for d in found] == [("14", "30")]


@pytest.mark.live
def test_the_checked_sampler_answers_as_the_plain_chain(
    gazetteer: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The grammar checked on the chosen token first (pipeline.model.grammar_sampling) is a
    speed-up only: the same request gets the same answer, token for token, as with
    llama-cpp-python's own chain. Forced text evaluated in one batch takes fewer passes of the
    model than tokens written, and its answers are grammar-valid records too."""
    import json
    import re
    import urllib.request

    from pipeline.config import Settings
    from pipeline.extract import plan
    from pipeline.extract.answers import answer_model, asked_keys, set_request_schema
    from pipeline.model import local
    from pipeline.model.grammar_sampling import FORCED_TEXT_ENV, PLAIN_SAMPLER_ENV
    from schemas import Document

    settings = Settings()
    model = local.get_model(settings.local_model)
    gguf = local.assemble(model, settings.cache_dir)
    text = (
        "Rebels fired 12 rockets at the airport of Goma on Monday; the army said it shot down 9 "
        "of them and that 3 soldiers were wounded, while 2 civilians were killed."
    )
    requests = plan(Document("live", "live.txt", text), gazetteer)
    answers: dict[str, list[str]] = {}
    written: dict[str, int] = {}
    for sampler in ("plain", "checked", "forced"):
        if sampler == "plain":
            monkeypatch.setenv(PLAIN_SAMPLER_ENV, "1")
        else:
            monkeypatch.delenv(PLAIN_SAMPLER_ENV, raising=False)
        monkeypatch.setenv(FORCED_TEXT_ENV, "1" if sampler == "forced" else "0")
        log = tmp_path / f"{sampler}.log"
        with LocalServer(model, gguf, log, threads=os.cpu_count() or 1) as server:
            for request in requests:
                set_request_schema(request.schema)
                body = {
                    "model": model.alias, "messages": request.messages, "temperature": 0,
                    "max_tokens": 512, "response_format": {"type": "json_schema", "json_schema": {
                        "name": answer_model(request.specs).__name__, "schema": request.schema,
                    }},
                }  # fmt: skip
                sent = urllib.request.Request(
                    f"{server.base_url}/chat/completions", data=json.dumps(body).encode(),
                    headers={"content-type": "application/json"},
                )  # fmt: skip
                with urllib.request.urlopen(sent, timeout=600) as response:
                    reply = json.loads(response.read())
                answers.setdefault(sampler, []).append(reply["choices"][0]["message"]["content"])
                written[sampler] = written.get(sampler, 0) + reply["usage"]["completion_tokens"]
        passes = [int(n) for n in re.findall(r"\beval time =.*?/\s+(\d+) runs", log.read_text())]
        written[f"{sampler} passes"] = sum(passes)
    assert len(requests) >= 2
    assert answers["checked"] == answers["plain"]
    assert all(json.loads(a) for a in answers["checked"])  # grammar-valid JSON with a record
    for request, answer in zip(requests, answers["forced"], strict=True):
        set_request_schema(request.schema)
        context = {"choices": request.choices, "specs": {s.name: s for s in request.specs},
                   "keys": asked_keys(request.schema, request.specs)}  # fmt: skip
        answer_model(request.specs).model_validate_json(answer, context=context)
        assert json.loads(answer)
    assert written["forced passes"] < written["forced"] / 2, written
    assert written["checked passes"] >= written["checked"] - len(requests), written
