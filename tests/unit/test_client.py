"""pipeline.model.client: one instructor request per `Request`, through the real HTTP stack.

The two retry policies stay apart: a transport fault is retried below the SDK and costs no
re-ask; an answer that fails validation is re-asked with the error fed back, and costs no
transport retry.
"""

from __future__ import annotations

import json
from typing import Any

import openai
import pytest
from fakeserver import CORRUPT, FakeServer, Faults, Reply, Status, nulls, response_schema
from instructor.core.exceptions import InstructorRetryException

from pipeline.extract import Answer, AskFailed, Request, plan
from pipeline.extract.answers import drafts
from pipeline.model.client import MAX_TOKENS, instructor_ask
from pipeline.model.transport import Endpoint, HttpStats, make_client
from schemas import Document

ARTICLE = (
    "Militants stormed a police post outside Bunia before dawn, killing nine officers and "
    "wounding 17, a provincial spokesman said. "
    "The attackers fled into the forest with weapons taken from the post."
)


@pytest.fixture
def casualty(gazetteer: Any) -> Request:
    [request] = [r for r in plan(Document("post", "post.txt", ARTICLE), gazetteer)
                 if r.label == "casualty"]  # fmt: skip
    return request


def ask_via(server: FakeServer, stats: HttpStats, validation_retries: int = 1,
            attempts: int = 3, strict: bool = True) -> Any:  # fmt: skip
    endpoint = Endpoint(server.base_url, "m", "sk-test")
    client = make_client(endpoint, "json_schema", timeout=5, attempts=attempts, stats=stats)
    return instructor_ask(client, "m", validation_retries, strict)


def record(*figures: str, location: str | None = None) -> dict[str, Any]:
    return {"figures": list(figures), "location": location}


GOOD = {"sentence_1": record("nine", "17", location="Bunia")}
BORROWED = {"sentence_1": record("90", "17", location="Bunia")}  # "90": not in the sentence


def test_the_request_sent(fake_server: FakeServer, casualty: Request) -> None:
    assert casualty.choices.number_texts(1) == ["nine", "17"]
    fake_server.push(Reply(GOOD))
    ask_via(fake_server, HttpStats())(casualty)
    [sent] = fake_server.chats
    body = sent.body
    assert (sent.method, sent.path) == ("POST", "/v1/chat/completions")
    assert (body["model"], body["temperature"], body["max_tokens"]) == ("m", 0, MAX_TOKENS)
    assert body["messages"] == casualty.messages
    response_format = body["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["name"] == "casualty_records"
    assert response_format["json_schema"]["strict"] is True
    assert response_format["json_schema"]["schema"] == casualty.schema


def test_an_article_that_looks_like_a_template_is_sent_as_written(
    fake_server: FakeServer, gazetteer: Any
) -> None:
    # Pages carry template debris; the prompt must hold the article's words, whatever they are.
    text = ("Militants killed nine officers near Bunia, a spokesman said {{ choices }} and "
            "{% if the page had cut the sentence.")  # fmt: skip
    [request] = [r for r in plan(Document("tpl", "tpl.txt", text), gazetteer)
                 if r.label == "casualty"]  # fmt: skip
    fake_server.push(Reply({"sentence_1": record("nine", location="Bunia")}))
    answer = ask_via(fake_server, HttpStats())(request)
    assert fake_server.chats[0].body["messages"] == request.messages
    assert "{{ choices }}" in request.messages[1]["content"]
    [draft] = drafts(answer.response, request.specs, request.choices)
    assert draft.values["killed"] == "nine"


def test_strict_can_be_left_out(fake_server: FakeServer, casualty: Request) -> None:
    fake_server.push(Reply(GOOD))
    ask_via(fake_server, HttpStats(), strict=False)(casualty)
    assert "strict" not in fake_server.chats[0].body["response_format"]["json_schema"]


def test_a_valid_answer_becomes_drafts(fake_server: FakeServer, casualty: Request) -> None:
    fake_server.push(Reply(GOOD))
    answer: Answer = ask_via(fake_server, HttpStats())(casualty)
    assert (answer.attempts, answer.prompt_tokens, answer.completion_tokens) == (1, 11, 7)
    [draft] = drafts(answer.response, casualty.specs, casualty.choices)
    assert (draft.record_type, draft.sentence) == ("casualty", 1)
    assert draft.values == {"killed": "nine", "injured": "17", "missing": None,
                            "location": "Bunia"}  # fmt: skip


def test_an_answer_after_a_429_costs_no_reask(fake_server: FakeServer, casualty: Request) -> None:
    fake_server.push(Status(429, {"Retry-After": "0"}), Reply(GOOD))
    stats = HttpStats()
    answer = ask_via(fake_server, stats)(casualty)
    assert answer.attempts == 1
    assert (stats.requests, stats.retries) == (2, 1)


def test_a_corrupt_body_costs_no_reask(fake_server: FakeServer, casualty: Request) -> None:
    fake_server.push(CORRUPT, Reply(GOOD))
    stats = HttpStats()
    answer = ask_via(fake_server, stats)(casualty)
    assert answer.attempts == 1 and stats.retries == 1


def test_an_invalid_answer_is_reasked_with_the_error_fed_back(
    fake_server: FakeServer, casualty: Request
) -> None:
    fake_server.push(Reply(BORROWED), Reply(GOOD))
    stats = HttpStats()
    answer = ask_via(fake_server, stats)(casualty)
    assert answer.attempts == 2
    assert (stats.requests, stats.retries) == (2, 0)  # a re-ask is not a transport retry
    first, second = (r.body["messages"] for r in fake_server.chats)
    assert second[: len(first)] == first
    fed_back = " ".join(m["content"] for m in second[len(first) :])
    assert "figures ['90'] are not number phrases of sentence 1" in fed_back
    assert "['nine', '17']" in fed_back  # the allowed values are named


def test_answers_that_stay_invalid_raise_ask_failed(
    fake_server: FakeServer, casualty: Request
) -> None:
    fake_server.push(*[Reply(BORROWED)] * 4)
    with pytest.raises(AskFailed) as failed:
        ask_via(fake_server, HttpStats(), validation_retries=2)(casualty)
    assert failed.value.attempts == 3 == len(fake_server.chats)
    assert "answer rejected after 3 attempts" in str(failed.value)
    assert "figures ['90']" in str(failed.value)
    assert "For further information" not in str(failed.value)
    assert failed.value.prompt_tokens > 0


def test_an_answer_that_is_not_json_is_reasked(fake_server: FakeServer, casualty: Request) -> None:
    fake_server.push(Reply("There were nine dead."), Reply(GOOD))
    assert ask_via(fake_server, HttpStats())(casualty).attempts == 2


def test_a_transport_failure_is_not_an_ask_failure(
    fake_server: FakeServer, casualty: Request
) -> None:
    fake_server.push(*[Status(503, {"Retry-After": "0"})] * 9)
    with pytest.raises(InstructorRetryException) as raised:
        ask_via(fake_server, HttpStats(), validation_retries=2)(casualty)
    assert not isinstance(raised.value, AskFailed)
    assert isinstance(raised.value.__cause__, openai.InternalServerError)
    assert len(fake_server.chats) == 3  # the transport's attempts, not multiplied by re-asks


def test_a_body_that_stays_corrupt_is_a_transport_failure_not_reasked(casualty: Request) -> None:
    # A corrupt 200 body is a transport fault: once the transport's attempts are spent it must
    # not spend instructor's re-asks too (each re-ask starting the transport's attempts again).
    with (
        FakeServer(faults=Faults(always="invalid_json")) as server,
        pytest.raises(InstructorRetryException) as raised,
    ):
        ask_via(server, HttpStats(), validation_retries=1, attempts=2)(casualty)
    assert not isinstance(raised.value, AskFailed)
    assert server.requests == 2  # the transport's two attempts, no re-ask on top


def test_nulls_answer_every_sentence_with_nothing(
    fake_server: FakeServer, casualty: Request
) -> None:
    fake_server.responder = lambda body: nulls(response_schema(body))
    answer = ask_via(fake_server, HttpStats())(casualty)
    assert drafts(answer.response, casualty.specs, casualty.choices) == []
    assert json.loads(json.dumps(answer.response.model_dump())) == {"sentence_1": None}
