"""One document → records: focused requests per chunk and record type, grounded answers only.

Each chunk is asked only for the record types its words suggest (`pipeline.routing`). Every
answer is validated against its chunk (`pipeline.drafts`); instructor re-asks a bounded number
of times. A chunk whose answers stay ungrounded becomes a `ChunkFailure` and the rest of the
document carries on; a transport failure or a missing cassette fails the whole document.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from instructor.core.exceptions import InstructorRetryException
from instructor.v2.core.hooks import Hooks
from pydantic import BaseModel

from pipeline import routing
from pipeline.chunks import Chunk, split
from pipeline.drafts import (
    RESPONSE_MODELS,
    AttackDraft,
    CasualtyDraft,
    Draft,
    TalksDraft,
    TerritoryDraft,
    drafts_of,
)
from pipeline.grounding import locate, locate_number
from pipeline.normalize import parse_quantity, qualified_start
from pipeline.prompts import system_prompt, user_prompt
from pipeline.roles import Roles, assign
from pipeline.sources import Document
from schemas import (
    Attack,
    Casualty,
    Evidence,
    Quantity,
    Record,
    RecordType,
    Talks,
    TerritorialClaim,
)


@dataclass(frozen=True)
class Answer:
    """One validated model answer and what it cost."""

    response: BaseModel
    attempts: int
    prompt_tokens: int
    completion_tokens: int


class AskFailed(Exception):
    """The model's answers for one chunk stayed invalid after every re-ask."""

    def __init__(self, message: str, attempts: int, prompt_tokens: int, completion_tokens: int):
        super().__init__(message)
        self.attempts = attempts
        self.prompt_tokens = prompt_tokens
        self.completion_tokens = completion_tokens


Ask = Callable[[RecordType, str], Answer]


@dataclass(frozen=True)
class ChunkFailure:
    chunk_index: int
    record_type: RecordType
    reason: str


@dataclass
class Extraction:
    document: Document
    records: list[Record] = field(default_factory=list)
    failures: list[ChunkFailure] = field(default_factory=list)
    requests: int = 0  # model answers asked for, re-asks included
    rejected: int = 0  # answers the validators sent back
    prompt_tokens: int = 0
    completion_tokens: int = 0
    dropped_fields: int = 0  # context fields (location, attribution…) not found in the chunk


def plan(document: Document) -> list[tuple[Chunk, RecordType]]:
    """The requests a document needs, in order; identical chunks are asked once."""
    seen: set[tuple[str, RecordType]] = set()
    requests = []
    for chunk in split(document.text):
        for record_type in routing.record_types(chunk.text):
            if (chunk.text, record_type) not in seen:
                seen.add((chunk.text, record_type))
                requests.append((chunk, record_type))
    return requests


def extract_document(
    document: Document,
    ask: Ask,
    on_request: Callable[[], None] | None = None,
    workers: int = 1,
) -> Extraction:
    """Ask for every (chunk, record type) of the plan; with `workers` > 1 the requests run
    concurrently, and the results are still taken in plan order, so records come out the same."""
    result = Extraction(document)
    requests = plan(document)

    def answer_of(request: tuple[Chunk, RecordType]) -> Answer | AskFailed:
        chunk, record_type = request
        try:
            return ask(record_type, chunk.text)
        except AskFailed as failed:
            return failed
        finally:
            if on_request:
                on_request()

    if workers > 1 and len(requests) > 1:
        pool = ThreadPoolExecutor(max_workers=min(workers, len(requests)))
        futures = [pool.submit(answer_of, request) for request in requests]
        try:
            answers = [future.result() for future in futures]
        finally:
            # A transport failure fails the document: don't send what is still queued.
            pool.shutdown(wait=True, cancel_futures=True)
    else:
        answers = [answer_of(request) for request in requests]
    for (chunk, record_type), answer in zip(requests, answers, strict=True):
        if isinstance(answer, AskFailed):
            failed = answer
            result.requests += failed.attempts
            result.rejected += failed.attempts
            result.prompt_tokens += failed.prompt_tokens
            result.completion_tokens += failed.completion_tokens
            result.failures.append(ChunkFailure(chunk.index, record_type, str(failed)))
        else:
            result.requests += answer.attempts
            result.rejected += answer.attempts - 1
            result.prompt_tokens += answer.prompt_tokens
            result.completion_tokens += answer.completion_tokens
            for draft in drafts_of(answer.response):
                record, dropped = to_record(draft, chunk, document.text)
                result.records.append(record)
                result.dropped_fields += dropped
    return result


def to_record(draft: Draft, chunk: Chunk, text: str) -> tuple[Record, int]:
    """A validated draft → a stored record whose quote and spans are the article's own text."""
    span = locate(draft.quote, chunk.text)
    assert span is not None, "drafts are validated against their chunk"
    start, end = chunk.start + span.start, chunk.start + span.end
    quote = text[start:end]
    grounded = _Grounder(chunk.text)
    evidence = Evidence(
        quote=quote, char_start=start, char_end=end,
        attributed_to=grounded(draft.attributed_to), match=span.match,
    )  # fmt: skip
    record: Record
    if isinstance(draft, CasualtyDraft):
        record = Casualty(
            evidence=evidence, victims=grounded(draft.victims), location=grounded(draft.location),
            killed=_quantity(quote, draft.killed), injured=_quantity(quote, draft.injured),
        )  # fmt: skip
    elif isinstance(draft, AttackDraft):
        record = Attack(
            evidence=evidence, actor=grounded(draft.actor), weapon=grounded(draft.weapon),
            target=grounded(draft.target), location=grounded(draft.location),
            launched=_quantity(quote, draft.launched), hit=_quantity(quote, draft.hit),
            downed=_quantity(quote, draft.downed), distance=_quantity(quote, draft.distance),
        )  # fmt: skip
    elif isinstance(draft, TalksDraft):
        roles = assign(quote, Roles(
            venue=grounded(draft.venue), ukraine_head=_person(grounded(draft.ukraine_head)),
            russia_head=_person(grounded(draft.russia_head)), mediator=grounded(draft.mediator),
        ))  # fmt: skip
        record = Talks(
            evidence=evidence, venue=roles.venue, date=grounded(draft.date),
            ukraine_head=roles.ukraine_head, russia_head=roles.russia_head,
            mediator=roles.mediator,
        )  # fmt: skip
    elif isinstance(draft, TerritoryDraft):
        record = TerritorialClaim(
            evidence=evidence, claimant=grounded(draft.claimant), place=grounded(draft.place),
            area=_quantity(quote, draft.area), period=grounded(draft.period),
        )  # fmt: skip
    else:
        raise TypeError(f"unknown draft {type(draft).__name__}")
    return record, grounded.dropped


class _Grounder:
    """Keeps a context value only if the chunk says it, in the chunk's own characters."""

    def __init__(self, chunk: str) -> None:
        self.chunk = chunk
        self.dropped = 0

    def __call__(self, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        span = locate(value, self.chunk)
        if span is None:
            self.dropped += 1
            return None
        return self.chunk[span.start : span.end]


def _person(name: str | None) -> str | None:
    """A delegation head is a person: small models put "Ukraine" there, which says nothing."""
    if name is None or sum(word[:1].isupper() for word in name.split()) < 2:
        return None
    return name


def _quantity(quote: str, phrase: str | None) -> Quantity | None:
    """The phrase as the quote writes it, widened to a hedge the model left out ("at least")."""
    if phrase is None:
        return None
    span = locate_number(phrase, quote)
    assert span is not None, "drafts are validated: number phrases sit in their quote"
    start = qualified_start(quote, span.start, span.end)
    return parse_quantity(quote[start : span.end])


def instructor_ask(client: Any, model: str, validation_retries: int) -> Ask:
    """An `Ask` backed by an instructor client at temperature 0."""

    def ask(record_type: RecordType, chunk: str) -> Answer:
        rejections: list[Exception] = []
        hooks = Hooks()
        hooks.on("parse:error", lambda error, **_: rejections.append(error))
        try:
            response, completion = client.chat.completions.create_with_completion(
                model=model,
                temperature=0,
                max_retries=validation_retries,
                response_model=RESPONSE_MODELS[record_type],
                context={"chunk": chunk},
                hooks=hooks,
                messages=[
                    {"role": "system", "content": system_prompt(record_type)},
                    {"role": "user", "content": user_prompt(chunk)},
                ],
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
