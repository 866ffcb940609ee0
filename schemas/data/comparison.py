"""Comparison: incidents resolved across documents, the stored records and facts they are made
of, and the divergences between outlets' figures and spellings, with their verdicts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from schemas.data.dates import DatePrecision
from schemas.data.places import Place
from schemas.data.records import Scope


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
    entry: int | None = None  # a live blog's entry holding the record (0: the page's header)
    place_from_context: bool = False  # the place is a neighbouring record's (comparison sets it)


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
