"""Extract: one document → drafts, the model choosing among each chunk's sentences and phrases.

`plan` splits a document into chunks, lists each chunk's choices, routes it to the record types
its words suggest, and lays out the requests so that consecutive ones share the longest prefix
(one chunk's requests in a row). `extract_document` asks them (concurrently when allowed) and
keeps the validated drafts; a chunk whose answers stay invalid is a `ChunkFailure`, and the rest
of the document carries on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

from pipeline.extract.answers import asked_keys, drafts
from pipeline.extract.candidates import ChunkChoices, PlaceFinder, choices
from pipeline.extract.prompts import messages
from pipeline.extract.schema import response_schema, sentences_for
from pipeline.extract.sentences import chunks
from pipeline.text import cues_of, tokens
from schemas import ChunkFailure, Document, Extraction, RecordSpec, record_specs, vocab

Layout = Literal["per_type", "per_chunk"]


@dataclass(frozen=True)
class Request:
    """One model request: a chunk, the record types asked, the messages and the schema."""

    choices: ChunkChoices
    specs: tuple[RecordSpec, ...]
    messages: list[dict[str, str]]
    schema: dict[str, Any]

    @property
    def label(self) -> str:
        return ",".join(s.name for s in self.specs)


@dataclass(frozen=True)
class Answer:
    """One validated model answer and what it cost."""

    response: Any
    attempts: int
    prompt_tokens: int
    completion_tokens: int


class AskFailed(Exception):
    """The model's answers for one request stayed invalid after every re-ask."""

    def __init__(self, message: str, attempts: int, prompt_tokens: int, completion_tokens: int):
        super().__init__(message)
        self.attempts = attempts
        self.prompt_tokens = prompt_tokens
        self.completion_tokens = completion_tokens


Ask = Callable[[Request], Answer]


def cued_types(text: str, language: str) -> set[str] | None:
    """The record types one of whose cue words the text holds (None: the language has no cue
    words)."""
    if language not in vocab.languages("cues"):
        return None
    labels = {hit.label for hit in cues_of(language, "routes").find_all(tokens(text))}
    return {spec.name for spec in record_specs() if labels & set(spec.cues)}


def cued_sentences(choices: ChunkChoices, language: str) -> dict[str, set[int]] | None:
    """Record type → the sentences of the chunk holding one of its cue words (None: the
    language has no cue words)."""
    if language not in vocab.languages("cues"):
        return None
    found: dict[str, set[int]] = {}
    for sentence in choices.sentences:
        for name in cued_types(sentence.text, language) or ():
            found.setdefault(name, set()).add(sentence.index)
    return found


def route(spec: RecordSpec, choices: ChunkChoices, cued: dict[str, set[int]] | None) -> bool:
    """Is this chunk worth asking about this record type? Some sentence must hold a figure of
    one of its measures, or a cue word of the type (a language without cue words: any)."""
    found = None if cued is None else cued.get(spec.name, set())
    return bool(sentences_for(spec, choices, found))


def plan(
    document: Document,
    places: PlaceFinder,
    layout: Layout = "per_type",
    specs: Sequence[RecordSpec] | None = None,
) -> list[Request]:
    """The requests a document needs, in order; a chunk whose text repeats is asked once."""
    specs = tuple(specs or record_specs())
    seen: set[str] = set()
    requests: list[Request] = []
    for chunk in chunks(document.text, document.language):
        if chunk.text in seen:
            continue
        seen.add(chunk.text)
        found = choices(chunk, document.language, places)
        cued = cued_sentences(found, document.language)
        routed = tuple(s for s in specs if route(s, found, cued))
        groups = [routed] if layout == "per_chunk" and routed else [(s,) for s in routed]
        for group in groups:
            schema = response_schema(group, found, cued)
            requests.append(Request(found, group, messages(found, group), schema))
    return requests


def extract_document(
    document: Document,
    ask: Ask,
    places: PlaceFinder,
    *,
    layout: Layout = "per_type",
    workers: int = 1,
    on_request: Callable[[], None] | None = None,
    requests: list[Request] | None = None,
) -> Extraction:
    """Ask every request of the plan; with `workers` > 1 they run concurrently, and results are
    still taken in plan order, so drafts come out the same."""
    requests = requests if requests is not None else plan(document, places, layout)
    result = Extraction(document.document_id)
    result.chunks = list(dict.fromkeys(r.choices.chunk for r in requests))

    def answer_of(request: Request) -> Answer | AskFailed:
        try:
            return ask(request)
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
    for request, answer in zip(requests, answers, strict=True):
        result.prompt_tokens += answer.prompt_tokens
        result.completion_tokens += answer.completion_tokens
        result.requests += answer.attempts
        if isinstance(answer, AskFailed):
            result.rejected += answer.attempts
            result.failures.append(
                ChunkFailure(request.choices.chunk.index, request.label, str(answer))
            )
        else:
            result.rejected += answer.attempts - 1
            keys = asked_keys(request.schema, request.specs)
            result.drafts.extend(drafts(answer.response, request.specs, request.choices, keys))
    return result
