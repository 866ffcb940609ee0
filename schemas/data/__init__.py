"""Every data class claimdiff passes between its stages, declared once.

The flow is one way (ingest → extract → interpret → store → compare → report), and each stage
takes and returns the plain, frozen values declared here, so that a stage can be tested alone
and run on another machine (Ray). Offsets are Python string indices into `Document.text`.

The parts, one module each: `documents` (articles and their text units), `numbers`, `places`,
`dates`, `records` (drafts, records, facts, what the store writes) and `comparison` (incidents,
divergences). Import them from here or from `schemas`.
"""

from schemas.data.comparison import (
    Comparison,
    Divergence,
    FactRef,
    Incident,
    Interval,
    Link,
    NameVariants,
    RecordRef,
    Report,
    Verdict,
)
from schemas.data.dates import (
    DateMention,
    DatePrecision,
    EventDate,
)
from schemas.data.documents import (
    Chunk,
    Document,
    Sentence,
    SourceError,
)
from schemas.data.numbers import (
    COUNTABLE_KINDS,
    NumberKind,
    NumberMention,
    Qualifier,
    Quantity,
    Unit,
)
from schemas.data.places import (
    Place,
    PlaceMention,
    PlacePrecision,
    ResolvedPlace,
)
from schemas.data.records import (
    ChunkFailure,
    Draft,
    Evidence,
    Extraction,
    Fact,
    Failure,
    Interpretation,
    Outcome,
    Party,
    Record,
    Scope,
)

__all__ = [
    "COUNTABLE_KINDS",
    "Chunk",
    "ChunkFailure",
    "Comparison",
    "DateMention",
    "DatePrecision",
    "Divergence",
    "Document",
    "Draft",
    "EventDate",
    "Evidence",
    "Extraction",
    "Fact",
    "FactRef",
    "Failure",
    "Incident",
    "Interpretation",
    "Interval",
    "Link",
    "NameVariants",
    "NumberKind",
    "NumberMention",
    "Outcome",
    "Party",
    "Place",
    "PlaceMention",
    "PlacePrecision",
    "Qualifier",
    "Quantity",
    "Record",
    "RecordRef",
    "Report",
    "ResolvedPlace",
    "Scope",
    "Sentence",
    "SourceError",
    "Unit",
    "Verdict",
]
