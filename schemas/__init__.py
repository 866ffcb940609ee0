"""claimdiff's schemas: the data classes every stage passes on, the record types declared as
data, the controlled vocabularies (measures, event types) and the cue words per language."""

from schemas import data
from schemas.data import *  # noqa: F403  (every data class, as listed in schemas.data)
from schemas.records import (
    FieldKind,
    FieldSpec,
    RecordSpec,
    event_types,
    measures,
    record_spec,
    record_specs,
)

# The analyst contract's version: tables and columns. A database of another version gets a
# clear message (store.open), never a traceback.
SCHEMA_VERSION = "2"

__all__ = [
    "SCHEMA_VERSION",
    "FieldKind",
    "FieldSpec",
    "RecordSpec",
    "event_types",
    "measures",
    "record_spec",
    "record_specs",
]
__all__ += data.__all__
