"""An `Ask` backed by instructor over the openai SDK: one request, validated, re-asked.

instructor's JSON_SCHEMA mode sends the response model's schema as OpenAI structured outputs;
ours is built per chunk (`extract.schema`) and handed over through a context variable. The
mode does not send OpenAI's `strict` flag, so a hook adds it (strict decoding is what makes an
OpenAI answer a valid choice by construction; other servers ignore the flag). Validation
failures are re-asked by instructor with the error fed back; transport faults never reach it
(they are retried below the SDK, `model.transport`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from instructor.core.exceptions import InstructorRetryException
from instructor.v2.core.hooks import Hooks
from pydantic import BaseModel

from pipeline.extract import Answer, Ask, AskFailed, Request
from pipeline.extract.answers import (
    answer_model,
    asked_keys,
    request_context,
    set_request_schema,
)

MAX_TOKENS = 512  # an answer of a few records; a runaway answer stops here


def _strict(**kwargs: Any) -> None:
    response_format = kwargs.get("response_format")
    if isinstance(response_format, dict) and "json_schema" in response_format:
        response_format["json_schema"]["strict"] = True


def instructor_ask(client: Any, model: str, validation_retries: int, strict: bool = True) -> Ask:
    """An `Ask` at temperature 0 through an instructor client."""

    def ask(request: Request) -> Answer:
        rejections: list[Exception] = []
        hooks = Hooks()
        hooks.on("parse:error", lambda error, **_: rejections.append(error))
        if strict:
            hooks.on("completion:kwargs", _strict)
        set_request_schema(request.schema)
        # Not instructor's `context=`: it would render the messages (article text) as Jinja.
        checked_against = request_context({
            "choices": request.choices,
            "specs": {s.name: s for s in request.specs},
            "keys": asked_keys(request.schema, request.specs),
        })  # fmt: skip
        try:
            with checked_against:
                response, completion = client.chat.completions.create_with_completion(
                    model=model,
                    temperature=0,
                    max_tokens=MAX_TOKENS,
                    max_retries=validation_retries,
                    response_model=answer_model(request.specs),
                    hooks=hooks,
                    messages=request.messages,
                )
        except InstructorRetryException as error:
            if error.failed_attempts and not _is_transport(error):
                usage = error.total_usage
                raise AskFailed(
                    _last_validation_message(error),
                    error.n_attempts,
                    getattr(usage, "prompt_tokens", 0) or 0,
                    getattr(usage, "completion_tokens", 0) or 0,
                ) from error
            raise
        # On success instructor reports the last completion's usage only; re-asks are counted
        # through the parse-error hook.
        usage = completion.usage
        return Answer(
            response,
            1 + len(rejections),
            getattr(usage, "prompt_tokens", 0) or 0,
            getattr(usage, "completion_tokens", 0) or 0,
        )

    return ask


def _is_transport(error: BaseException) -> bool:
    cause = error.__cause__
    return cause is not None and not isinstance(cause, ValueError)


def _last_validation_message(error: InstructorRetryException) -> str:
    last = error.failed_attempts[-1].exception if error.failed_attempts else error
    lines = [line.strip() for line in str(last).splitlines() if line.strip()]
    detail = "; ".join(line for line in lines if not line.startswith("For further information"))
    return f"answer rejected after {error.n_attempts} attempts: {detail[:500]}"


class _Gloss(BaseModel):
    """An English rendering of one sentence, for readers of another language."""

    gloss: str


GlossAsk = Callable[[str, str], str]  # (sentence, its language) → English gloss


def instructor_gloss(client: Any, model: str, validation_retries: int) -> GlossAsk:
    """Machine translation of a quote into English, for `claimdiff run --gloss`: free text
    (there is nothing to choose from), marked as machine translation wherever it is shown, and
    never used for comparison."""

    def gloss(sentence: str, language: str) -> str:
        answer = client.chat.completions.create(
            model=model,
            temperature=0,
            max_tokens=MAX_TOKENS,
            max_retries=validation_retries,
            response_model=_Gloss,
            messages=[
                {"role": "system", "content": "Translate the news sentence into plain English. "
                 "Keep every number and name as written. Answer {\"gloss\": \"...\"}."},
                {"role": "user", "content": f"[{language}] {sentence}"},
            ],
        )  # fmt: skip
        return str(answer.gloss).strip()

    return gloss
