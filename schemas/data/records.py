"""Records and facts: what the model chose (drafts), what interpretation made of it (records,
facts and their evidence), and everything the store writes for one document (outcomes,
failures)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from schemas.data.dates import EventDate
from schemas.data.documents import Chunk, Document
from schemas.data.numbers import Quantity
from schemas.data.places import ResolvedPlace


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a record or fact comes from: the article's own sentence at its span, and who the
    article says makes the claim."""

    quote: str
    char_start: int
    char_end: int
    attributed_to: str | None = None


@dataclass(frozen=True, slots=True)
class Party:
    """One side at talks and the head of its delegation, as written."""

    side: str | None
    head: str | None


class Scope(StrEnum):
    """What a figure is a figure of, within its article (only `incident` figures are compared
    as the incident's own)."""

    INCIDENT = "incident"
    SUBGROUP = "subgroup"  # "among them three soldiers"
    SUPERSEDED = "superseded"  # "the toll rose from 20 to 31": the 20
    WIDER = "wider"  # a war's or a month's total


@dataclass(frozen=True, slots=True)
class Draft:
    """One record as the model chose it: a sentence of its chunk and, per declared field, one
    of the chunk's candidates (text as written), or None."""

    record_type: str
    chunk_index: int
    sentence: int
    values: dict[str, Any]  # field name → str | list[str] | list[dict] | None
    event_type: str | None = None
    attributed_to: str | None = None


@dataclass(frozen=True, slots=True)
class Record:
    """One record of a declared type, interpreted: evidence, where, when, what, and its fields
    (quantities, names, places, choices) keyed by the names its declaration gives them."""

    record_id: str
    document_id: str
    record_type: str
    evidence: Evidence
    values: dict[str, Any]  # field → Quantity | str | tuple[str, ...] | tuple[Party, ...] | None
    location: ResolvedPlace | None = None
    date: EventDate | None = None
    event_type: str | None = None
    event_type_source: str | None = None  # "cue 'airstrike'" | "model" | None
    actors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Fact:
    """One number of one record, in long form: what it counts (measure), its interval, what it
    is a figure of (scope), and why the code read it that way."""

    fact_id: str
    document_id: str
    record_id: str
    record_type: str
    field: str
    measure: str
    quantity: Quantity
    scope: Scope
    reason: str  # how the measure and scope were read, for an analyst
    evidence: Evidence
    phrase_start: int
    phrase_end: int


@dataclass(frozen=True, slots=True)
class ChunkFailure:
    chunk_index: int
    record_type: str
    reason: str


@dataclass
class Extraction:
    """What extraction returned for one document, and what it cost."""

    document_id: str
    drafts: list[Draft] = field(default_factory=list)
    failures: list[ChunkFailure] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)
    requests: int = 0  # model answers asked for, re-asks included
    rejected: int = 0  # answers the validators sent back
    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass(frozen=True, slots=True)
class Interpretation:
    """A document's records and facts, ready for the store."""

    document_id: str
    records: tuple[Record, ...]
    facts: tuple[Fact, ...]
    glosses: dict[int, str] = field(default_factory=dict)  # quote start → English (machine)


@dataclass(frozen=True, slots=True)
class Failure:
    """Something that failed, for the `failures` table: a file, a row, a chunk, a document."""

    document_id: str
    source_path: str | None
    stage: str  # read | validation | transport | replay | model
    reason: str
    chunk_index: int | None = None
    record_type: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """Everything the store writes for one document, in one transaction."""

    document: Document
    status: str  # ok | partial | skipped (off-topic) | failed
    relevant: bool | None
    relevance_score: float | None
    interpretation: Interpretation | None
    failures: tuple[Failure, ...] = ()
    run_id: str = ""
    model: str | None = None
    prompt_version: str | None = None
