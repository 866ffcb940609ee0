"""The fake server every other test leans on: who answers, faults, cassettes, counters."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml
from fakeserver import (
    DROPPED,
    RATE_LIMITED,
    UNAVAILABLE,
    FakeServer,
    Faults,
    Reply,
    Status,
    canonical,
    first_choices,
    nulls,
)


def post(server: FakeServer, body: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(
        f"{server.base_url}/chat/completions",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def content(data: bytes) -> Any:
    return json.loads(json.loads(data)["choices"][0]["message"]["content"])


def test_script_then_cassettes_then_responder_then_a_miss(tmp_path: Path) -> None:
    recorded = {"model": "m", "messages": [{"role": "user", "content": "recorded"}]}
    cassette = {"interactions": [{
        "request": {"method": "POST", "uri": "http://x/v1/chat/completions",
                    "body": json.dumps(recorded)},
        "response": {"status": {"code": 200}, "headers": {"Content-Type": ["application/json"]},
                     "body": {"string": json.dumps({"choices": [{"message": {"content": "1"}}]})}},
    }]}  # fmt: skip
    (tmp_path / "doc.yaml").write_text(yaml.safe_dump(cassette))
    asked = {"model": "m", "messages": [{"role": "user", "content": "other"}]}
    with FakeServer(tmp_path, responder=lambda b: {"echo": b["messages"][0]["content"]}) as server:
        server.push(Reply({"scripted": True}))
        assert content(post(server, asked)[2]) == {"scripted": True}
        reordered = json.loads(json.dumps(recorded, sort_keys=True))  # key order does not matter
        assert content(post(server, reordered)[2]) == 1
        assert content(post(server, asked)[2]) == {"echo": "other"}
        server.responder = None
        status, _, body = post(server, asked)
        assert status == 404 and b"no answer for this request body" in body
    assert [r.outcome for r in server.chats] == ["script", "recorded", "responder", "miss"]
    assert (server.requests, server.answered, server.misses) == (4, 3, 1)


def test_faults_by_number_by_body_and_always() -> None:
    body = {"model": "m", "messages": []}
    faults = Faults({1: RATE_LIMITED}, first_of={canonical({"model": "n"}): UNAVAILABLE},
                    retry_after="7")  # fmt: skip
    with FakeServer(responder=lambda _: "fine", faults=faults) as server:
        status, headers, _ = post(server, body)
        assert (status, headers["Retry-After"]) == (429, "7")
        assert post(server, {"model": "n"})[0] == 503
        assert post(server, {"model": "n"})[0] == 200  # only its first occurrence
        server.faults = Faults(always=UNAVAILABLE)
        assert [post(server, body)[0] for _ in range(3)] == [503] * 3
    assert server.faults_served == {RATE_LIMITED: 1, UNAVAILABLE: 4}


def test_random_faults_are_the_same_for_the_same_seed() -> None:
    def outcomes() -> list[str]:
        with FakeServer(responder=lambda _: "x", faults=Faults(probability=0.5, seed=3,
                        kinds=(RATE_LIMITED, UNAVAILABLE))) as server:  # fmt: skip
            for _ in range(12):
                post(server, {"model": "m"})
        return [r.outcome for r in server.chats]

    first = outcomes()
    assert first == outcomes() and {"responder", RATE_LIMITED, UNAVAILABLE} == set(first)


def test_a_dropped_connection_and_unknown_kinds() -> None:
    with (
        FakeServer(faults=Faults(always=DROPPED)) as server,
        pytest.raises((urllib.error.URLError, ConnectionError)),
    ):
        post(server, {"model": "m"})
    with pytest.raises(ValueError, match="unknown fault kinds"):
        Faults({1: "slow"})


def test_models_stats_and_other_routes() -> None:
    with FakeServer(model="tiny") as server:
        server.push(Status(500))
        post(server, {"model": "m"})
        with urllib.request.urlopen(f"{server.base_url}/models") as response:
            assert json.loads(response.read())["data"][0]["id"] == "tiny"
        with urllib.request.urlopen(f"{server.url}/stats") as response:
            assert json.loads(response.read())["requests"] == 1
    assert [(r.method, r.path, r.number) for r in server.received] == [
        ("POST", "/v1/chat/completions", 1), ("GET", "/v1/models", 0), ("GET", "/stats", 0),
    ]  # fmt: skip


SCHEMA = {
    "type": "object",
    "properties": {
        "sentence_1": {"anyOf": [{"type": "object", "properties": {
            "figures": {"type": "array", "items": {"type": "string", "enum": ["9", "17"]},
                        "maxItems": 2},
            "location": {"$ref": "#/$defs/place"},
        }}, {"type": "null"}]},
    },
    "$defs": {"place": {"anyOf": [{"type": "string", "enum": ["Bunia"]}, {"type": "null"}]}},
}  # fmt: skip
TALKS = {
    "type": "object",
    "properties": {
        "record": {"anyOf": [{"type": "object", "properties": {
            "sentence": {"type": "string", "enum": ["sentence_2", "sentence_3"]},
            "venue": {"$ref": "#/$defs/place"},
            "mediators": {"type": "array", "items": {"$ref": "#/$defs/place"}, "maxItems": 3},
        }}, {"type": "null"}]},
    },
    "$defs": SCHEMA["$defs"],
}  # fmt: skip


def first_of(schema: dict[str, object]) -> object:
    return json.loads(first_choices({"response_format": {"json_schema": {"schema": schema}}}))


def test_the_emptiest_and_the_first_answers_of_a_schema() -> None:
    assert nulls(SCHEMA) == {"sentence_1": None}
    assert first_of(SCHEMA) == {"sentence_1": {"figures": ["9"], "location": None}}
    several = {"type": "object", "properties": {"casualty": SCHEMA}, "$defs": SCHEMA["$defs"]}
    assert nulls(several) == {"casualty": {"sentence_1": None}}
    assert first_of(several) == {"casualty": {"sentence_1": {"figures": ["9"], "location": None}}}


def test_the_first_answer_of_a_one_record_per_chunk_type_quotes_its_first_sentence() -> None:
    assert nulls(TALKS) == {"record": None}
    assert first_of(TALKS) == {
        "record": {"sentence": "sentence_2", "venue": "Bunia", "mediators": []}
    }
    several = {"type": "object", "properties": {"talks": TALKS}, "$defs": SCHEMA["$defs"]}
    assert first_of(several) == {"talks": first_of(TALKS)}
