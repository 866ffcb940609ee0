"""Every data class claimdiff passes between its stages, declared once.

The flow is one way (ingest → extract → interpret → store → compare → report), and each stage
takes and returns the plain, frozen values below, so that a stage can be tested alone and run
on another machine (Ray). Offsets are Python string indices into `Document.text`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

# ----------------------------------------------------------------------------- documents


@dataclass(frozen=True, slots=True)
class Document:
    """One article, with the metadata its page or table row gave and its exact text."""

    document_id: str
    source_path: str
    text: str
    part: int = 1  # 1-based position of the article on its page; 1 for a plain file
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None  # what event dates are resolved against
    dateline: str | None = None
    language: str = "en"  # ISO 639-1
    language_source: str = "default"  # metadata | detected | default
    source_format: str = "text"  # text | html | jsonl | csv | parquet | stdin

    @property
    def text_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def chars(self) -> int:
        return len(self.text)


@dataclass(frozen=True, slots=True)
class SourceError:
    """An input we refuse (a file, or one row of a table), with a reason a person can act on."""

    source_path: str
    document_id: str
    reason: str


# ----------------------------------------------------------------------------- text units


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int  # 1-based within its chunk: what the model chooses
    start: int  # offsets into the document text
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Chunk:
    index: int  # 0-based within the document
    start: int
    end: int
    text: str
    sentences: tuple[Sentence, ...]


# ----------------------------------------------------------------------------- numbers


class Qualifier(StrEnum):
    """How the article hedges a number; decides how the number widens into an interval."""

    EXACT = "exact"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    ABOUT = "about"
    NEARLY = "nearly"
    UP_TO = "up_to"
    LESS_THAN = "less_than"
    RANGE = "range"  # "200 to 300", "200-300"
    VAGUE = "vague"  # "dozens", "several", "hundreds"


class Unit(StrEnum):
    COUNT = "count"
    KM = "km"
    KM2 = "km2"
    KG = "kg"
    USD = "usd"
    PERCENT = "percent"


class NumberKind(StrEnum):
    """What a number phrase is, before anyone asks what it counts."""

    COUNT = "count"  # "31", "at least seven", "dozens"
    MEASURE = "measure"  # a length, area or weight: "4,000 km", "350 kg"
    YEAR = "year"
    DATE = "date"  # "Oct. 14", "14 октября"
    TIME = "time"  # "19:00", "6:30 a.m."
    ORDINAL = "ordinal"  # "second", "3rd"
    MONEY = "money"
    PERCENT = "percent"
    DURATION = "duration"  # "three years", "18 months"
    AGE = "age"  # "a 12-year-old"


COUNTABLE_KINDS = frozenset({NumberKind.COUNT, NumberKind.MEASURE})


@dataclass(frozen=True, slots=True)
class Quantity:
    """An inclusive interval ``[value_min, value_max]``; ``value_max`` None means open-ended.
    ``phrase`` is the number exactly as the article wrote it, hedge and unit included."""

    value_min: float
    value_max: float | None
    qualifier: Qualifier
    unit: Unit
    phrase: str


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A number phrase found in a text: its span (hedge and unit included) and reading."""

    start: int
    end: int
    text: str
    kind: NumberKind
    quantity: Quantity | None  # None for kinds that are not amounts (years, times…)


# ----------------------------------------------------------------------------- places and dates


class PlacePrecision(StrEnum):
    SETTLEMENT = "settlement"
    REGION = "region"
    COUNTRY = "country"


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry: a GeoNames settlement, a region (ISO 3166-2) or a country."""

    place_id: str  # "gn:170063", "iso:SY-ID", "iso:SY"
    name: str
    country: str | None  # ISO 3166-1 alpha-2
    admin1: str | None  # GeoNames admin1 code, "SY.09"
    admin1_name: str | None
    latitude: float | None
    longitude: float | None
    precision: PlacePrecision
    population: int = 0


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """Words of a text that name a place, and the gazetteer entries they may mean."""

    start: int
    end: int
    text: str
    candidates: tuple[Place, ...]


@dataclass(frozen=True, slots=True)
class ResolvedPlace:
    """A place name as written, settled to one entry, or left ambiguous with its candidates."""

    text: str
    place: Place | None
    candidates: tuple[Place, ...] = ()
    reason: str = ""


class DatePrecision(StrEnum):
    """ACLED's time precision: the day, the week or the month is known."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class EventDate:
    """When something happened: the words, the date they resolve to and how precisely.
    ``text`` None means the quote gave no date and the article's own date stands in."""

    date: dt.date | None
    precision: DatePrecision | None
    text: str | None = None
    source: str = ""  # quote | chunk | document | none


# ----------------------------------------------------------------------------- records


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


# ----------------------------------------------------------------------------- comparison


class Verdict(StrEnum):
    AGREE = "agree"
    COMPATIBLE = "compatible"
    CONFLICT = "conflict"


@dataclass(frozen=True, slots=True)
class Interval:
    lo: float
    hi: float | None  # None: no upper bound

    def overlaps(self, other: Interval) -> bool:
        his = [hi for hi in (self.hi, other.hi) if hi is not None]
        return not his or max(self.lo, other.lo) <= min(his)

    def intersect(self, other: Interval) -> Interval | None:
        his = [hi for hi in (self.hi, other.hi) if hi is not None]
        lo, hi = max(self.lo, other.lo), (min(his) if his else None)
        return None if hi is not None and lo > hi else Interval(lo, hi)


@dataclass(frozen=True, slots=True)
class RecordRef:
    """What incident resolution needs of a stored record (and of its document)."""

    record_id: str
    document_id: str
    record_type: str
    char_start: int
    event_type: str | None
    date: dt.date | None
    date_precision: DatePrecision | None
    date_from_text: bool  # False: the article's own date stands in
    place: Place | None
    actors: tuple[str, ...] = ()
    outlet: str | None = None
    language: str | None = None
    place_from_dateline: bool = False  # the article's dateline stood in: any other place wins
    wider: bool = False  # every figure of the record is a wider total: no incident of its own
    published: dt.date | None = None  # the article's date


@dataclass(frozen=True, slots=True)
class FactRef:
    """What divergences need of a stored fact."""

    fact_id: str
    document_id: str
    record_id: str
    measure: str
    value_min: float
    value_max: float | None
    phrase: str
    quote: str
    char_start: int
    scope: Scope
    outlet: str | None = None
    language: str | None = None
    gloss: str | None = None


@dataclass(frozen=True, slots=True)
class Incident:
    incident_id: str
    label: str
    record_type: str
    event_type: str | None
    date: dt.date | None
    date_precision: DatePrecision | None
    place: Place | None
    record_ids: tuple[str, ...]
    document_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Link:
    """Why two records of different documents were put in one incident: the score and each
    term's contribution (place, date, event type, actors)."""

    incident_id: str
    record_a: str
    record_b: str
    document_a: str
    document_b: str
    score: float
    terms: dict[str, float]
    reason: str


@dataclass(frozen=True, slots=True)
class Report:
    """One document's figure for one measure of one incident, as a divergence lists it."""

    document_id: str
    outlet: str | None
    language: str | None
    value_min: float
    value_max: float | None
    phrase: str
    quote: str | None
    statements: int
    gloss: str | None = None


@dataclass(frozen=True, slots=True)
class Divergence:
    kind: str  # number | name
    incident_id: str | None
    incident: str
    measure: str
    reports: tuple[Report, ...]
    verdict: Verdict

    @property
    def n_documents(self) -> int:
        return len({r.document_id for r in self.reports})

    @property
    def n_outlets(self) -> int:
        # A document whose outlet is unknown counts as a source of its own.
        return len({r.outlet or f"?{r.document_id}" for r in self.reports})


@dataclass(frozen=True, slots=True)
class NameVariants:
    """Spellings of one name across documents, under the most used spelling."""

    canonical: str
    spellings: dict[str, dict[str, int]]  # spelling → document_id → occurrences


@dataclass(frozen=True, slots=True)
class Comparison:
    incidents: tuple[Incident, ...]
    assignments: dict[str, str]  # record_id → incident_id
    links: tuple[Link, ...]
    divergences: tuple[Divergence, ...]
    names: tuple[NameVariants, ...]

    @property
    def conflicts(self) -> list[Divergence]:
        return [d for d in self.divergences if d.verdict is Verdict.CONFLICT and d.kind == "number"]
