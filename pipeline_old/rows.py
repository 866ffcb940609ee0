"""Records → table rows: the flat shapes DuckDB stores, computed without touching a database.

Each record becomes one row of its own table (quantities spread into `<name>_min`, `_max`,
`_qualifier`, `_phrase` columns), exactly as the model filled its fields, and one `facts` row
per number its quote counts, named by the controlled `Measure` vocabulary so that outlets can
be compared measure by measure. Which measure a number counts is read from the quote's words
(`pipeline.measures`), not taken from the model's field; a fact's `record_type` is its
measure's ("69 injured" quoted by an attack record is a casualty fact). `document_facts`
keeps one fact per number phrase of a document when several records quote the same sentence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pipeline.measures import RECORD_TYPE_OF, measures_of
from schemas import (
    Attack,
    Casualty,
    Measure,
    Quantity,
    Record,
    RecordType,
    Talks,
    TerritorialClaim,
)

TABLES: dict[RecordType, str] = {
    RecordType.ATTACK: "attacks",
    RecordType.CASUALTY: "casualties",
    RecordType.TALKS: "talks",
    RecordType.TERRITORIAL_CLAIM: "territorial_claims",
}

Row = dict[str, Any]


@dataclass(frozen=True)
class Fact:
    measure: Measure
    quantity: Quantity
    start: int | None = None  # the number phrase's offsets in the record's quote
    end: int | None = None
    from_model: bool = False  # the quote's words were silent; the model's field named it
    why: str = ""


def record_row(document_id: str, record_id: str, record: Record) -> Row:
    """The row of the record's own table."""
    evidence = record.evidence
    row: Row = {"record_id": record_id, "document_id": document_id}
    if isinstance(record, Casualty):
        row |= {"victims": record.victims, "location": record.location}
        row |= _quantity_columns("killed", "killed", record.killed)
        row |= _quantity_columns("injured", "injured", record.injured)
    elif isinstance(record, Attack):
        row |= {"actor": record.actor, "weapon": record.weapon, "target": record.target,
                "location": record.location}  # fmt: skip
        row |= _quantity_columns("launched", "launched", record.launched)
        row |= _quantity_columns("hit", "hit", record.hit)
        row |= _quantity_columns("downed", "downed", record.downed)
        row |= _quantity_columns("distance_km", "distance", record.distance)
    elif isinstance(record, Talks):
        row |= {"venue": record.venue, "date": record.date, "ukraine_head": record.ukraine_head,
                "russia_head": record.russia_head, "mediator": record.mediator}  # fmt: skip
    elif isinstance(record, TerritorialClaim):
        row |= {"claimant": record.claimant, "place": record.place, "period": record.period}
        row |= _quantity_columns("area_km2", "area", record.area)
    row |= {
        "quote": evidence.quote,
        "char_start": evidence.char_start,
        "char_end": evidence.char_end,
        "attributed_to": evidence.attributed_to,
        "match": evidence.match.value,
    }
    return row


def facts_of(record: Record) -> list[Fact]:
    """Every number of the record's quote that counts something, each under its measure."""
    return [
        Fact(reading.measure, reading.quantity, reading.start, reading.end,
             reading.from_model, reading.why)
        for reading in measures_of(record)
        if reading.measure is not None
    ]  # fmt: skip


def fact_rows(document_id: str, record_id: str, record: Record) -> list[Row]:
    """The record's `facts` rows; `fact_id` is `record_id:measure`, with `:2`, `:3`… for a
    measure its quote counts more than once."""
    return _rows(document_id, record_id, record, facts_of(record))


def document_facts(document_id: str, records: Iterable[tuple[str, Record]]) -> list[Row]:
    """The `facts` rows of a document's (record_id, record) pairs, one per number phrase of
    the document: when several records quote the same number (an attack record and a
    casualty record quoting one sentence), the row kept is the one whose measure was read
    from the words rather than from the model's field, then the one from a record of the
    measure's own type, then the first; rows stay in record order."""
    candidates: list[tuple[tuple[bool, bool, int], tuple[int, int] | None, Row]] = []
    for record_id, record in records:
        facts = facts_of(record)
        for fact, row in zip(facts, _rows(document_id, record_id, record, facts), strict=True):
            span = None
            if fact.start is not None and fact.end is not None:
                at = record.evidence.char_start
                span = (at + fact.start, at + fact.end)
            own = record.record_type is RECORD_TYPE_OF[fact.measure]
            candidates.append(((fact.from_model, not own, len(candidates)), span, row))
    kept: list[tuple[int, int]] = []
    chosen: set[int] = set()
    for rank, span, _ in sorted(candidates, key=lambda candidate: candidate[0]):
        if span is not None:
            if any(start < span[1] and span[0] < end for start, end in kept):
                continue
            kept.append(span)
        chosen.add(rank[2])
    return [row for n, (_, _, row) in enumerate(candidates) if n in chosen]


def _rows(document_id: str, record_id: str, record: Record, facts: Iterable[Fact]) -> list[Row]:
    evidence = record.evidence
    rows: list[Row] = []
    seen: dict[Measure, int] = {}
    for fact in facts:
        seen[fact.measure] = n = seen.get(fact.measure, 0) + 1
        rows.append(
            {
                "fact_id": f"{record_id}:{fact.measure.value}" + (f":{n}" if n > 1 else ""),
                "document_id": document_id,
                "record_id": record_id,
                "record_type": RECORD_TYPE_OF[fact.measure].value,
                "incident": incident(record),
                "incident_id": None,
                "location": _location(record),
                "actor": _actor(record),
                "measure": fact.measure.value,
                "value_min": fact.quantity.value_min,
                "value_max": fact.quantity.value_max,
                "qualifier": fact.quantity.qualifier.value,
                "unit": fact.quantity.unit.value,
                "phrase": fact.quantity.phrase,
                "quote": evidence.quote,
                "char_start": evidence.char_start,
                "char_end": evidence.char_end,
                "attributed_to": evidence.attributed_to,
            }
        )
    return rows


def incident(record: Record) -> str | None:
    """What happened where, in the article's own words: "airfields, Olenya"."""
    if isinstance(record, Attack):
        parts = [record.target, record.location]
    elif isinstance(record, Casualty):
        parts = [record.victims, record.location]
    elif isinstance(record, TerritorialClaim):
        parts = [record.place]
    else:
        parts = [record.venue]
    text = ", ".join(part for part in _unique(parts) if part)
    return text or None


def _quantity_columns(column: str, name: str, quantity: Quantity | None) -> Row:
    return {
        f"{column}_min": quantity.value_min if quantity else None,
        f"{column}_max": quantity.value_max if quantity else None,
        f"{name}_qualifier": quantity.qualifier.value if quantity else None,
        f"{name}_phrase": quantity.phrase if quantity else None,
    }


def _location(record: Record) -> str | None:
    if isinstance(record, Attack | Casualty):
        return record.location
    if isinstance(record, TerritorialClaim):
        return record.place
    return record.venue


def _actor(record: Record) -> str | None:
    if isinstance(record, Attack):
        return record.actor
    if isinstance(record, TerritorialClaim):
        return record.claimant
    return None


def _unique(parts: Iterable[str | None]) -> list[str | None]:
    seen: set[str] = set()
    out: list[str | None] = []
    for part in parts:
        key = (part or "").casefold()
        if key and key not in seen:
            seen.add(key)
            out.append(part)
    return out
