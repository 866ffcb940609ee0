"""claimdiff's target records, shared by the model prompts and the DuckDB store."""

from schemas.evidence import Evidence, Match
from schemas.quantity import Qualifier, Quantity, Unit
from schemas.records import (
    Attack,
    Casualty,
    Measure,
    Record,
    RecordType,
    Talks,
    TerritorialClaim,
)

SCHEMA_VERSION = "1"

__all__ = [
    "SCHEMA_VERSION",
    "Attack",
    "Casualty",
    "Evidence",
    "Match",
    "Measure",
    "Qualifier",
    "Quantity",
    "Record",
    "RecordType",
    "Talks",
    "TerritorialClaim",
    "Unit",
]
