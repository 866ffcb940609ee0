"""Records → table rows: the flat shapes DuckDB stores, computed without touching a database.

Each record becomes one row of its own table (quantities spread into `<name>_min`, `_max`,
`_qualifier`, `_phrase` columns) and one `facts` row per number it holds, named by the
controlled `Measure` vocabulary so that outlets can be compared measure by measure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

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
    """Every number a record holds, each under its measure."""
    pairs: list[tuple[Measure, Quantity | None]]
    if isinstance(record, Casualty):
        pairs = [(Measure.KILLED, record.killed), (Measure.INJURED, record.injured)]
    elif isinstance(record, Attack):
        kind = _weapon_kind(record.weapon)
        launched = {"drone": Measure.DRONES_LAUNCHED, "missile": Measure.MISSILES_LAUNCHED}
        downed = {"drone": Measure.DRONES_DOWNED, "missile": Measure.MISSILES_DOWNED}
        pairs = [
            (launched.get(kind or "", Measure.WEAPONS_LAUNCHED), record.launched),
            (Measure.AIRCRAFT_HIT if _is_aircraft(record.target) else Measure.TARGETS_HIT,
             record.hit),
            (downed.get(kind or "", Measure.DRONES_DOWNED), record.downed),
            (Measure.DISTANCE_KM, record.distance),
        ]  # fmt: skip
    elif isinstance(record, TerritorialClaim):
        pairs = [(Measure.AREA_KM2, record.area)]
    else:
        pairs = []
    return [Fact(measure, quantity) for measure, quantity in pairs if quantity is not None]


def fact_rows(document_id: str, record_id: str, record: Record) -> list[Row]:
    evidence = record.evidence
    return [
        {
            "fact_id": f"{record_id}:{fact.measure.value}",
            "document_id": document_id,
            "record_id": record_id,
            "record_type": record.record_type.value,
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
        for fact in facts_of(record)
    ]


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


def _weapon_kind(weapon: str | None) -> str | None:
    words = (weapon or "").casefold()
    if any(word in words for word in ("drone", "uav", "shahed", "geran")):
        return "drone"
    if "missile" in words or "rocket" in words:
        return "missile"
    return None


_AIRCRAFT = re.compile(
    r"(?<![\w-])(aircraft|(war)?planes?|airplanes?|bombers?|jets?|helicopters?|tu-\d+\w*)\b", re.I
)


def _is_aircraft(target: str | None) -> bool:
    """ "41 bombers" counts aircraft; "anti-aircraft systems" does not."""
    return bool(_AIRCRAFT.search(target or ""))


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
