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
